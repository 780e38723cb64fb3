"""Raw rows -> Catalog + problems. Every rule of the data format lives here."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import Problem, SemlError
from .model import (
    BOOLEAN_COLUMNS,
    KNOWN_COLUMNS,
    MARKERS,
    REQUIRED_COLUMNS,
    Catalog,
    Category,
    Link,
    normalize_url,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .load import RawCategory, RawRow, RawTable

ALLOWED_SCHEMES = ("http", "https", "mailto")
_FORBIDDEN_IN_URL = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")
_BOOLEANS = {"true": True, "false": False, "": False}


def check_header(table: RawTable) -> None:
    """Raise when the header makes the whole file unusable."""
    header = table.header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise SemlError(
            Problem(
                "bad-header",
                table.path,
                f"the header row lacks the column(s) {', '.join(missing)}",
                line=1,
                hint="the first row must name the columns, at least: title,url,category",
            )
        )
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name or name in seen or name == MARKERS:
            what = "an empty" if not name else f"a duplicate or reserved ({name!r})"
            raise SemlError(
                Problem(
                    "bad-header",
                    table.path,
                    f"the header row has {what} column name",
                    line=1,
                    column=index,
                    hint="give every column a unique name other than 'markers'",
                )
            )
        seen.add(name)


def url_problem(url: str) -> str | None:
    """Why `url` is not acceptable, or None."""
    if not url:
        return "url is empty"
    if _FORBIDDEN_IN_URL.search(url):
        return f"url {url!r} holds a space, quote, '<', '>' or control character"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"url {url!r} cannot be parsed"
    try:
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        return f"url {url!r} has an invalid port"
    if not parts.scheme:
        return f"url {url!r} is not an absolute URL: it has no scheme"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"url {url!r} has a scheme that is not allowed"
    if parts.scheme.lower() != "mailto" and not parts.hostname:
        return f"url {url!r} has no host"
    if parts.scheme.lower() == "mailto" and not parts.path:
        return f"url {url!r} has no address"
    return None


class UrlRegister:
    """The first line of each URL, compared normalized: the one rule for a URL listed twice."""

    def __init__(self, path: str, hint: str, column: int | None = None) -> None:
        self.path, self.hint, self.column = path, hint, column
        self._first: dict[str, int] = {}

    def claim(self, url: str, line: int) -> Problem | None:
        """Nothing when `url` is new; else the problem of listing it again at `line`."""
        key = normalize_url(url)
        if key not in self._first:
            self._first[key] = line
            return None
        message = f"url {url!r} is already listed on line {self._first[key]}"
        return Problem("duplicate", self.path, message, line, self.column, self.hint, url=url)


def check_row(row: RawRow, header: Sequence[str], path: str) -> list[Problem]:
    """Every rule a single row can break, in column order."""

    def problem(kind: str, column: str, message: str, hint: str) -> Problem:
        col = header.index(column) + 1
        return Problem(kind, path, message, line=row.line, column=col, hint=hint)

    if len(row.fields) != len(header):
        return [
            Problem(
                "column-count",
                path,
                f"the row has {len(row.fields)} fields but the header has {len(header)}",
                line=row.line,
                hint="quote fields that contain commas, or add the missing fields",
            )
        ]
    values = dict(zip(header, row.fields, strict=True))
    problems = []
    for name in REQUIRED_COLUMNS:
        if not values[name].strip():
            problems.append(problem("empty-field", name, f"{name} is empty", f"fill in the {name}"))
    url = values["url"].strip()
    if url and (why := url_problem(url)) is not None:
        problems.append(problem("bad-url", "url", why, "use an absolute http, https or mailto URL"))
    for name in BOOLEAN_COLUMNS:
        raw = values.get(name, "").strip()
        if name in values and raw.lower() not in _BOOLEANS:
            problems.append(
                problem(
                    "bad-boolean",
                    name,
                    f"{name} is {raw!r}, not a boolean",
                    "write true or false (or leave it empty)",
                )
            )
    return problems


def validate_row(row: RawRow, header: Sequence[str], path: str) -> Link | Problem:
    """One raw row -> a Link, or the first problem found in it."""
    if problems := check_row(row, header, path):
        return problems[0]
    values = {name: value.strip() for name, value in zip(header, row.fields, strict=True)}
    return Link(
        title=values["title"],
        url=values["url"],
        category=values["category"],
        line=row.line,
        description=values.get("description", ""),
        must_read=_BOOLEANS[values.get("must_read", "").lower()],
        scientific=_BOOLEANS[values.get("scientific", "").lower()],
        added=values.get("added", ""),
        origin=values.get("origin", ""),
        extra=tuple((k, v) for k, v in values.items() if k not in KNOWN_COLUMNS),
    )


def url_register(table: RawTable) -> UrlRegister:
    """The register of a data file's URLs: a second row of a URL is the one to remove."""
    column = table.header.index("url") + 1
    return UrlRegister(table.path, "remove one of the two rows", column)


def build_catalog(
    table: RawTable, categories: Sequence[RawCategory], categories_path: str = ""
) -> tuple[Catalog, list[Problem]]:
    """Validate every row; bad rows become problems and are left out of the catalog."""
    check_header(table)
    problems: list[Problem] = []
    links: list[Link] = []
    urls = url_register(table)
    for row in table.rows:
        result = validate_row(row, table.header, table.path)
        if isinstance(result, Problem):
            problems.append(result)
        elif duplicate := urls.claim(result.url, row.line):
            problems.append(duplicate)
        else:
            links.append(result)

    ordered, category_problems = unique_categories(categories, categories_path)
    problems += category_problems
    for link in links:
        ordered.setdefault(link.category.casefold(), Category(link.category))
    return Catalog(tuple(links), tuple(ordered.values()), table.header), problems


def unique_categories(
    categories: Sequence[RawCategory], path: str
) -> tuple[dict[str, Category], list[Problem]]:
    """Categories by folded name in file order; a name listed again is a problem."""
    ordered: dict[str, Category] = {}
    problems = []
    for entry in categories:
        folded = entry.name.casefold()
        if folded in ordered:
            problems.append(
                Problem(
                    "duplicate",
                    path,
                    f"category {entry.name!r} is listed twice",
                    line=entry.line,
                    hint="keep one entry",
                )
            )
            continue
        ordered[folded] = Category(entry.name, entry.intro)
    return ordered, problems
