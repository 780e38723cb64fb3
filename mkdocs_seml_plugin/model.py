"""The reading list as frozen values: links, categories and the catalog; no I/O, no MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

#: Columns with a meaning of their own; every other CSV column is the user's.
KNOWN_COLUMNS = (
    "title",
    "url",
    "category",
    "description",
    "must_read",
    "scientific",
    "added",
    "origin",
)
REQUIRED_COLUMNS = ("title", "url", "category")
BOOLEAN_COLUMNS = ("must_read", "scientific")
#: A table-only column: the ⭐/🎓 badges.
MARKERS = "markers"

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The comparison key of a URL: scheme and host lower-cased, default port,
    fragment and a trailing slash dropped."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = parts.hostname.lower()
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        try:
            port = parts.port
        except ValueError:
            port = None
        userinfo = netloc.rpartition("@")[0] + "@" if "@" in netloc else ""
        netloc = userinfo + host
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            netloc += f":{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


@dataclass(frozen=True)
class Link:
    """One row of the data file, validated."""

    title: str
    url: str
    category: str
    line: int
    description: str = ""
    must_read: bool = False
    scientific: bool = False
    added: str = ""
    origin: str = ""
    #: The user's own columns, in file order.
    extra: tuple[tuple[str, str], ...] = ()

    def value(self, column: str) -> str:
        """The text of a column as a table cell or sort key shows it."""
        if column in BOOLEAN_COLUMNS:
            return "yes" if getattr(self, column) else ""
        if column == MARKERS:
            return ("⭐" if self.must_read else "") + ("🎓" if self.scientific else "")
        if column in KNOWN_COLUMNS:
            return str(getattr(self, column))
        return dict(self.extra).get(column, "")

    def sort_key(self, column: str) -> str:
        """What `sort` compares: the shown text, case-folded; markers by weight (⭐ over 🎓)."""
        if column == MARKERS:
            return f"{int(self.must_read)}{int(self.scientific)}"
        return self.value(column).casefold()

    @property
    def key(self) -> str:
        return normalize_url(self.url)


@dataclass(frozen=True)
class Category:
    name: str
    intro: str = ""


@dataclass(frozen=True)
class Catalog:
    """The validated list: links in data order, categories in display order."""

    links: tuple[Link, ...]
    categories: tuple[Category, ...]
    #: Every column of the data file, in file order.
    columns: tuple[str, ...] = field(default=REQUIRED_COLUMNS)

    @property
    def table_columns(self) -> tuple[str, ...]:
        """What a table can show: the format's columns (present in the file or not), the
        file's own columns, and `markers`."""
        own = tuple(c for c in self.columns if c not in KNOWN_COLUMNS)
        return (*KNOWN_COLUMNS, *own, MARKERS)

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        """The whole list as plain data (what the plugin exports as JSON): categories in
        order, then every link with every column of the file, markers as booleans."""
        links: list[dict[str, object]] = []
        for link in self.links:
            row: dict[str, object] = {column: link.value(column) for column in self.columns}
            row.update({flag: getattr(link, flag) for flag in BOOLEAN_COLUMNS})
            links.append(row)
        categories: list[dict[str, object]] = [
            {"name": c.name, "intro": c.intro} for c in self.categories
        ]
        return {"categories": categories, "links": links}

    def category(self, name: str) -> Category | None:
        folded = name.casefold()
        return next((c for c in self.categories if c.name.casefold() == folded), None)
