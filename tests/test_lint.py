"""lint(): every finding with its kind, line and column, from small CSV tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_seml_plugin.lint import lint
from mkdocs_seml_plugin.load import parse_categories, parse_csv, read_categories, read_csv

PATH = "data/links.csv"
# Columns: title 1, url 2, category 3, description 4, must_read 5, scientific 6.
HEADER = "title,url,category,description,must_read,scientific"
CATEGORIES = "- name: Reading\n- name: Tools\n  intro: Things to use.\n"
ROOT = Path(__file__).resolve().parent.parent


Finding = tuple[str, int | None, int | None]


def findings(rows: list[str], categories: str | None = CATEGORIES) -> list[Finding]:
    """(kind, line, column) of every problem, in file order (within a row, by column); the
    header is line 1, the rows follow."""
    table = parse_csv("\n".join([HEADER, *rows]) + "\n", PATH)
    known = parse_categories(categories, "data/categories.yml") if categories is not None else None
    problems = lint(table, known)
    for problem in problems:
        assert problem.path == PATH
        assert str(problem).startswith(f"{PATH}:{problem.line}")
        assert problem.hint
    lines = [p.line or 0 for p in problems]
    assert lines == sorted(lines), "problems come in file order"
    return sorted(
        ((p.kind, p.line, p.column) for p in problems), key=lambda f: (f[1] or 0, f[2] or 0, f[0])
    )


def row(
    title: str = "A title",
    url: str = "https://example.org/a",
    category: str = "Reading",
    description: str = "",
    must_read: str = "false",
    scientific: str = "false",
) -> str:
    return ",".join((title, url, category, description, must_read, scientific))


CASES = [
    # duplicate URLs, after normalization
    ("same url", [row(), row(title="B")], [("duplicate", 3, 2)]),
    ("host case", [row(), row("B", "https://EXAMPLE.org/a")], [("duplicate", 3, 2)]),
    ("trailing slash", [row(), row("B", "https://example.org/a/")], [("duplicate", 3, 2)]),
    ("fragment", [row(), row("B", "https://example.org/a#part")], [("duplicate", 3, 2)]),
    ("default port", [row(), row("B", "https://example.org:443/a")], [("duplicate", 3, 2)]),
    (
        "third row repeats the first",
        [row(), row("B", "https://example.org/b"), row("C", "https://example.org/a")],
        [("duplicate", 4, 2)],
    ),
    (
        "twice repeated",
        [row(), row("B"), row("C")],
        [("duplicate", 3, 2), ("duplicate", 4, 2)],
    ),
    ("other scheme", [row(), row("B", "http://example.org/a")], []),
    ("other query", [row(), row("B", "https://example.org/a?x=1")], []),
    ("other port", [row(), row("B", "https://example.org:8443/a")], []),
    ("path case", [row(), row("B", "https://example.org/A")], []),
    # duplicate titles: within a category only
    (
        "title in one category",
        [row("Rules of ML"), row("rules of ml", "https://example.org/b")],
        [("duplicate", 3, 1)],
    ),
    (
        "title across categories",
        [row("Rules of ML"), row("Rules of ML", "https://example.org/b", "Tools")],
        [],
    ),
    # schemes
    ("javascript", [row(url="javascript:alert(1)")], [("bad-url", 2, 2)]),
    ("ftp", [row(url="ftp://example.org/file")], [("bad-url", 2, 2)]),
    ("relative", [row(url="/docs/page")], [("bad-url", 2, 2)]),
    ("no host", [row(url="https://")], [("bad-url", 2, 2)]),
    ("mailto", [row(url="mailto:someone@example.org")], []),
    ("http", [row(url="http://example.org/a")], []),
    # empty fields
    ("empty title", [row(title="")], [("empty-field", 2, 1)]),
    ("empty url", [row(url="")], [("empty-field", 2, 2)]),
    ("empty category", [row(category="")], [("empty-field", 2, 3)]),
    ("blank title", [row(title="   ")], [("empty-field", 2, 1)]),
    ("empty description", [row(description="")], []),
    # padded fields
    ("padded title", [row(title=" A title")], [("whitespace", 2, 1)]),
    ("padded url", [row(url="https://example.org/a ")], [("whitespace", 2, 2)]),
    ("padded category", [row(category="Reading ")], [("whitespace", 2, 3)]),
    ("padded description", [row(description=" Words ")], [("whitespace", 2, 4)]),
    ("padded boolean", [row(must_read=" true")], [("whitespace", 2, 5)]),
    ("inner spaces", [row(title="A  long   title", description="a b")], []),
    # unknown categories
    ("unknown category", [row(category="Readings")], [("unknown-category", 2, 3)]),
    # booleans
    ("yes", [row(must_read="yes")], [("bad-boolean", 2, 5)]),
    ("one", [row(scientific="1")], [("bad-boolean", 2, 6)]),
    ("both", [row(must_read="no", scientific="x")], [("bad-boolean", 2, 5), ("bad-boolean", 2, 6)]),
    ("any case", [row(must_read="TRUE", scientific="False")], []),
    ("empty booleans", [row(must_read="", scientific="")], []),
    # rows that do not fit the header
    ("too few fields", ["A title,https://example.org/a,Reading"], [("column-count", 2, None)]),
    ("too many fields", [row() + ",extra"], [("column-count", 2, None)]),
    # lines count physical lines: a quoted field may span two
    (
        "after a two-line field",
        [row(description='"two\nlines"'), row("B", "https://example.org/b", must_read="maybe")],
        [("bad-boolean", 4, 5)],
    ),
    (
        "after a blank line",
        [row(), "", row("B", "https://example.org/b", must_read="maybe")],
        [("bad-boolean", 4, 5)],
    ),
    # several in one row
    (
        "several",
        [row(" T", "javascript:x", "Nowhere", must_read="yes")],
        [
            ("whitespace", 2, 1),
            ("bad-url", 2, 2),
            ("unknown-category", 2, 3),
            ("bad-boolean", 2, 5),
        ],
    ),
]


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lint(rows: list[str], expected: list[Finding]) -> None:
    assert findings(rows) == expected


def test_unknown_categories_need_a_categories_file() -> None:
    assert findings([row(category="Readings")], categories=None) == []


def test_an_empty_categories_file_knows_no_category() -> None:
    assert findings([row()], categories="") == [("unknown-category", 2, 3)]


def test_the_messages_say_what_and_where() -> None:
    table = parse_csv(f"{HEADER}\n{row()}\n{row('B', 'https://example.org/a/')}\n", PATH)
    (problem,) = lint(table, None)
    assert str(problem) == (
        "data/links.csv:3:2: url 'https://example.org/a/' is already listed on line 2; "
        "remove one of the two rows"
    )


def test_a_bad_url_is_not_also_a_duplicate() -> None:
    assert findings([row(url="javascript:x"), row("B", "javascript:x")]) == [
        ("bad-url", 2, 2),
        ("bad-url", 3, 2),
    ]


def test_extra_columns_are_linted_for_padding() -> None:
    table = parse_csv(f"{HEADER},team_note\n{row()}, ask Ana\n", PATH)
    assert [(p.kind, p.line, p.column) for p in lint(table, None)] == [("whitespace", 2, 7)]


def test_the_shipped_data_is_clean() -> None:
    table = read_csv(ROOT / "data" / "links.csv")
    categories = read_categories(ROOT / "data" / "categories.yml")
    assert [str(p) for p in lint(table, categories)] == []


def test_only_a_valid_row_claims_its_url() -> None:
    """Like the build: the row with no title is the problem, the valid one is no duplicate."""
    table = parse_csv(
        "title,url,category\n,https://a.example/,Tools\nAlpha,https://a.example,Tools\n",
        "links.csv",
    )
    problems = lint(table, None)
    assert [(p.kind, p.line) for p in problems] == [("empty-field", 2)]


def test_a_category_listed_twice_in_categories_yml() -> None:
    table = parse_csv("title,url,category\nA,https://a.example/,Tools\n", "links.csv")
    categories = parse_categories("- name: Tools\n- name: tools\n", "categories.yml")
    problems = lint(table, categories, "categories.yml")
    assert [(p.kind, p.path, p.line) for p in problems] == [("duplicate", "categories.yml", 2)]
