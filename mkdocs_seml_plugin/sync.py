"""Merge upstream into the data: an awesome-list README (rows with `origin=upstream` follow it) or a
flat seed-format CSV (imported as the user's own rows). Pure: raw rows in, rows and a diff out;
the user's rows and columns are never dropped or changed (but for `prune`)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Problem
from .model import BOOLEAN_COLUMNS, KNOWN_COLUMNS, normalize_url
from .validate import UrlRegister, url_problem

if TYPE_CHECKING:
    from .load import RawCategory, RawRow, RawTable
    from .model import Link
    from .upstream import UpstreamList

UPSTREAM = "upstream"
#: The origin of rows imported from a flat CSV.
SEED = "seed"
ACTIONS = ("added", "changed", "moved", "renamed", "removed", "kept")
_TRACKED = ("title", "url", "description", "must_read", "scientific")


@dataclass
class Row:
    """A data row being merged: its values by column, and the record it came from, if any."""

    values: dict[str, str]
    source: RawRow | None = None
    touched: bool = False
    #: A record whose field count does not fit the header: carried over as written.
    opaque: bool = False

    @property
    def key(self) -> str | None:
        url = self.values.get("url", "").strip()
        return normalize_url(url) if url and url_problem(url) is None else None

    @property
    def managed(self) -> bool:
        return self.values.get("origin", "").strip().casefold() == UPSTREAM

    def set(self, column: str, value: str) -> None:
        if self.values.get(column) != value:
            self.values[column] = value
            self.touched = True


@dataclass(frozen=True)
class Change:
    action: str
    title: str
    url: str
    category: str
    #: For moves and renames: where the link was.
    old_category: str = ""
    #: For changes: (column, old, new).
    fields: tuple[tuple[str, str, str], ...] = ()
    #: For renames: how many links moved with the category, and their (title, url).
    count: int = 0
    links: tuple[tuple[str, str], ...] = ()
    #: For kept rows: why the row was left as it is.
    reason: str = ""


@dataclass
class SyncResult:
    header: tuple[str, ...]
    rows: list[Row]
    categories: list[tuple[str, str]] | None  # None: leave categories.yml alone
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Things worth a look that are not problems: repaired seed rows, kept intro edits.
    notes: list[str] = field(default_factory=list)
    #: Upstream's categories and intros as read, for the next sync to tell edits apart.
    upstream_intros: list[tuple[str, str]] | None = None

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]


def _flag(value: str) -> bool | None:
    return {"true": True, "false": False, "": False}.get(value.strip().lower())


def _rows(table: RawTable) -> tuple[tuple[str, ...], list[Row]]:
    """The table's rows as Rows; the header gains any standard column it lacks."""
    header = table.header + tuple(c for c in KNOWN_COLUMNS if c not in table.header)
    rows = []
    for raw in table.rows:
        if len(raw.fields) != len(table.header):
            rows.append(Row({}, raw, opaque=True))
            continue
        fields = raw.fields + ("",) * (len(header) - len(raw.fields))
        rows.append(Row(dict(zip(header, fields, strict=True)), raw))
    return header, rows


def _index(rows: list[Row], path: str) -> tuple[dict[str, Row], dict[str, Row], list[Problem]]:
    """First row per URL key: (rows sync manages, the user's own rows), and a problem for each
    further row of a URL already listed. The user's row wins over a managed one wherever it
    stands; the further rows are left alone."""
    own: dict[str, Row] = {}
    managed: dict[str, Row] = {}
    for row in rows:
        if (key := row.key) is not None and not row.managed:
            own.setdefault(key, row)
    for row in rows:
        if (key := row.key) is not None and row.managed and key not in own:
            managed.setdefault(key, row)
    first = {id(row) for row in (*own.values(), *managed.values())}
    problems = []
    for row in rows:
        if row.key is not None and id(row) not in first and row.source is not None:
            problems.append(
                Problem(
                    "duplicate",
                    path,
                    f"{row.values['url']} is in the data twice; sync leaves this row alone",
                    line=row.source.line,
                    hint="remove one of the two rows",
                    url=row.values["url"],
                )
            )
    return managed, own, problems


def _update(row: Row, link: Link) -> tuple[tuple[str, str, str], ...]:
    """Bring a managed row in line with upstream; the fields that changed."""
    wanted = {
        "title": link.title,
        "url": link.url,
        "description": link.description,
        "must_read": "true" if link.must_read else "false",
        "scientific": "true" if link.scientific else "false",
    }
    changed = []
    for column in _TRACKED:
        old, new = row.values.get(column, ""), wanted[column]
        if column in BOOLEAN_COLUMNS and _flag(old) == _flag(new):
            continue  # same value, maybe spelled TRUE or left empty: keep the user's spelling
        if old != new:
            changed.append((column, old, new))
            row.set(column, new)
    return tuple(changed)


def merge_readme(
    table: RawTable,
    categories: list[RawCategory],
    upstream: UpstreamList,
    today: str,
    prune: bool = False,
    last_upstream: dict[str, str] | None = None,
) -> SyncResult:
    """Follow upstream: add, change, move and remove managed rows; keep the user's own.

    `last_upstream`: the category intros upstream had at the last sync (see
    `_merge_categories`)."""
    header, rows = _rows(table)
    managed, own, duplicates = _index(rows, table.path)
    managed = _follow_new_urls(managed, own, upstream)
    old_category = {key: row.values["category"] for key, row in managed.items()}
    result = SyncResult(header, [], None, problems=[*duplicates, *upstream.problems])
    upstream_keys = set()
    order: list[Row] = []  # managed rows, in upstream order
    moves: list[tuple[Change, str]] = []
    for link in upstream.links:
        key = normalize_url(link.url)
        upstream_keys.add(key)
        if key in own:
            row = own[key]
            values = row.values
            reason = "your own row; upstream lists it too, so it is left as it is"
            result.changes.append(
                Change("kept", values["title"], values["url"], values["category"], reason=reason)
            )
            continue
        row = managed.get(key) or Row(dict.fromkeys(header, ""), touched=True)
        if row.source is None:
            row.values.update(category=link.category, added=today, origin=UPSTREAM)
            row.values.update(must_read="false", scientific="false")
            _update(row, link)
            result.changes.append(Change("added", link.title, link.url, link.category))
        elif fields := _update(row, link):
            result.changes.append(
                Change("changed", link.title, link.url, link.category, "", fields)
            )
        if row.source is not None and row.values["category"] != link.category:
            move = Change("moved", link.title, link.url, link.category, row.values["category"])
            moves.append((move, key))
            row.set("category", link.category)
        order.append(row)

    result.changes += _moves_and_renames(moves, old_category, upstream)
    leaving = set()
    for key, row in managed.items():
        if key not in upstream_keys and key not in upstream.unparsed:
            leaving.add(id(row))
    if prune:
        leaving |= {id(row) for key, row in own.items() if key not in upstream_keys}
    for row in rows:
        if id(row) in leaving:
            values = row.values
            result.changes.append(
                Change("removed", values["title"], values["url"], values["category"])
            )
    result.rows = _place(rows, order, leaving)
    stayed = [id(row) for row in rows if id(row) not in leaving]
    if [id(row) for row in result.rows if row.source is not None] != stayed:
        result.notes.append("rows now stand in upstream's order")
    result.categories, intro_notes = _merge_categories(
        categories, upstream, result.rows, last_upstream
    )
    result.notes += intro_notes
    result.upstream_intros = [(c.name, c.intro) for c in upstream.categories]
    return result


def _follow_new_urls(
    managed: dict[str, Row], own: dict[str, Row], upstream: UpstreamList
) -> dict[str, Row]:
    """Managed rows by key, with a row whose link got a new URL upstream filed under the new
    one: same title, the old URL gone, the new one not in the data, and no other link of
    that title on either side. The row then changes its URL and keeps the user's columns
    and its `added` date, rather than being removed and added again."""
    links = {normalize_url(link.url): link for link in upstream.links}
    gone: dict[str, list[str]] = defaultdict(list)
    for key, row in managed.items():
        if key not in links and key not in upstream.unparsed:
            gone[row.values["title"].strip().casefold()].append(key)
    new: dict[str, list[str]] = defaultdict(list)
    for key, link in links.items():
        if key not in managed and key not in own:
            new[link.title.strip().casefold()].append(key)
    followed = dict(managed)
    for title, old_keys in gone.items():
        if len(old_keys) == 1 and len(new.get(title, ())) == 1:
            followed[new[title][0]] = followed.pop(old_keys[0])
    return followed


def _moves_and_renames(
    moves: list[tuple[Change, str]], old_category: dict[str, str], upstream: UpstreamList
) -> list[Change]:
    """Moves, with those that amount to a renamed category folded into one change each.

    A category is renamed when it vanished upstream and every link it held now sits in
    one category that did not exist before.
    """
    upstream_names = {c.name for c in upstream.categories}
    before = set(old_category.values())
    members: dict[str, list[str]] = defaultdict(list)
    for key, category in old_category.items():
        members[category].append(key)
    targets: dict[str, set[str]] = defaultdict(set)
    for move, _ in moves:
        targets[move.old_category].add(move.category)
    moved_keys = {key for _, key in moves}
    renamed: dict[str, str] = {}
    for old, news in targets.items():
        (new,) = news if len(news) == 1 else (None,)
        if (
            new is not None
            and old not in upstream_names
            and new not in before
            and all(key in moved_keys for key in members[old])
        ):
            renamed[old] = new
    changes = [move for move, _ in moves if move.old_category not in renamed]
    for old, new in renamed.items():
        links = tuple((m.title, m.url) for m, _ in moves if m.old_category == old)
        changes.append(Change("renamed", "", "", new, old, count=len(links), links=links))
    return changes


def _place(rows: list[Row], order: list[Row], leaving: set[int]) -> list[Row]:
    """Managed rows in upstream order; every other row stays right after the row it
    followed in the file, so local additions keep their place."""
    in_order = {id(row) for row in order}
    after: dict[int | None, list[Row]] = defaultdict(list)
    anchor: int | None = None
    for row in rows:
        if id(row) in leaving:
            continue
        if id(row) in in_order:
            anchor = id(row)
        else:
            after[anchor].append(row)
    placed = list(after[None])
    for row in order:
        placed.append(row)
        placed += after[id(row)]
    return placed


def _merge_categories(
    categories: list[RawCategory],
    upstream: UpstreamList,
    rows: list[Row],
    last_upstream: dict[str, str] | None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """Upstream's categories in order with its intros; an intro edited by hand is kept (and
    noted); a category upstream lacks stays while rows still use it.

    `last_upstream` (folded name -> intro) is what upstream said at the last sync: an intro
    that still reads so was not edited and follows upstream. Without it, any intro that
    differs from upstream's counts as edited.
    """
    old = {c.name.casefold(): c for c in categories}
    merged: list[tuple[str, str]] = []
    notes = []
    for listed in upstream.categories:
        previous = old.get(listed.name.casefold())
        intro = listed.intro
        if previous is not None and previous.intro and previous.intro != listed.intro:
            base = (last_upstream or {}).get(listed.name.casefold())
            if last_upstream is None or base is None or previous.intro != base:
                intro = previous.intro
                notes.append(
                    f"kept your intro of {listed.name!r}; upstream's reads: {listed.intro!r}"
                )
        merged.append((listed.name, intro))
    names = {name.casefold() for name, _ in merged}
    used = {row.values.get("category", "").casefold() for row in rows}
    for category in categories:
        if category.name.casefold() not in names and category.name.casefold() in used:
            merged.append((category.name, category.intro))
            names.add(category.name.casefold())
    return merged, notes


# The flat seed format: url, title, source, list name; no header, titles may hold a bare comma.

SEED_FIELDS = 4


def parse_flat(text: str, path: str) -> tuple[list[tuple[int, str, str, str]], SyncResult]:
    """Flat CSV -> (line, url, title, category) rows; repairs and problems in a SyncResult."""
    report = SyncResult((), [], None)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    urls = UrlRegister(path, "the first row is used")
    line = 1
    for record in reader:
        start, line = line, reader.line_num + 1
        if not record or record == [""]:
            continue
        if len(record) < SEED_FIELDS:
            report.problems.append(
                Problem(
                    "column-count",
                    path,
                    f"expected 4 fields (url, title, source, list name), found {len(record)}",
                    line=start,
                    hint="fix or remove the row",
                )
            )
            continue
        title = ",".join(record[1:-2])
        if len(record) > SEED_FIELDS:
            report.notes.append(f"{path}:{start}: repaired title split by a comma: {title!r}")
        url, title = record[0].strip(), title.strip()
        if (why := url_problem(url)) is not None:
            report.problems.append(
                Problem("bad-url", path, why, line=start, hint="use an absolute http(s) URL")
            )
            continue
        if " " in title and title == title.lower():
            # The list's prose links ("take and share the survey", "read more") come out of a
            # README scrape like this: a phrase in lower case, not a title, not a resource.
            # One lower-case word ("scikit-learn") is a name and stays.
            report.notes.append(
                f"{path}:{start}: skipped {title!r}: a phrase in lower case, not a title, so a "
                "page link rather than a resource; add it by hand if it is one"
            )
            continue
        if duplicate := urls.claim(url, start):
            report.problems.append(duplicate)
            continue
        rows.append((start, url, title, record[-1].strip()))
    return rows, report


def merge_flat(
    table: RawTable,
    flat: list[tuple[int, str, str, str]],
    report: SyncResult,
    today: str,
) -> SyncResult:
    """Import flat rows as the user's own; rows whose URL is present are left alone."""
    header, rows = _rows(table)
    present = {row.key for row in rows if row.key is not None}
    result = SyncResult(header, rows, None, problems=report.problems, notes=report.notes)
    for _, url, title, category in flat:
        key = normalize_url(url)
        if key in present:
            reason = "its URL is already in the data; left as it is"
            result.changes.append(Change("kept", title, url, category, reason=reason))
            continue
        present.add(key)
        values = dict.fromkeys(header, "")
        values.update(title=title, url=url, category=category, added=today, origin=SEED)
        for column in BOOLEAN_COLUMNS:
            values[column] = "false"
        rows.append(Row(values, touched=True))
        result.changes.append(Change("added", title, url, category))
    return result


def render_csv(result: SyncResult, original_header: tuple[str, ...]) -> str:
    """The merged rows as CSV text; rows nothing touched are written as they were read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.header)
    same_header = result.header == original_header
    for row in result.rows:
        if row.source is not None and (row.opaque or (same_header and not row.touched)):
            out.write(row.source.text + "\n")
        else:
            writer.writerow([row.values.get(column, "") for column in result.header])
    return out.getvalue()
