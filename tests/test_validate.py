"""validate.py and model.normalize_url: every rule of the data file (CONTRACT section 2)."""

from __future__ import annotations

import pytest

from mkdocs_seml_plugin.errors import Problem, SemlError
from mkdocs_seml_plugin.load import RawCategory, parse_csv
from mkdocs_seml_plugin.model import KNOWN_COLUMNS, Category, Link, normalize_url
from mkdocs_seml_plugin.validate import build_catalog, url_problem, validate_row

PATH = "data/links.csv"
CATEGORIES_PATH = "data/categories.yml"
FULL_HEADER = "title,url,category,description,must_read,scientific,added,origin"


def catalog_of(text: str, categories: list[RawCategory] | None = None):
    return build_catalog(parse_csv(text, PATH), categories or [], CATEGORIES_PATH)


def only_problem(text: str) -> Problem:
    catalog, problems = catalog_of(text)
    assert catalog.links == ()
    assert len(problems) == 1, problems
    return problems[0]


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "https://example.org/a/b?q=1&r=2#frag",
        "HTTPS://Example.ORG/Path",
        "https://example.org:8443/x",
        "http://127.0.0.1:8000/",
        "http://[::1]/",
        "https://user@example.org/",
        "https://example.org/%20encoded",
        "mailto:someone@example.org",
        "MAILTO:someone@example.org",
    ],
)
def test_url_accepted(url: str):
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "scheme"),
        ("JavaScript:alert(1)", "scheme"),
        ("data:text/html;base64,PHNjcmlwdD4=", "scheme"),
        ("ftp://example.org/file", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("vbscript:msgbox", "scheme"),
        ("/relative/path", "scheme"),
        ("relative/path", "scheme"),
        ("//example.org/protocol-relative", "scheme"),
        ("example.org", "scheme"),
        ("http://", "host"),
        ("https:///path-only", "host"),
        ("http:example.org", "host"),
        ("mailto:", "address"),
        ("https://example.org/a b", "space"),
        ("https://example.org/a\tb", "space"),
        ('https://example.org/"onmouseover="x', "quote"),
        ("https://example.org/'x'", "quote"),
        ("https://example.org/<script>", "'<'"),
        ("https://example.org/a>b", "'>'"),
        ("https://example.org/\x00", "control"),
        ("https://example.org/\x02x\x03", "control"),
        ("https://example.org:abc/", "url"),
        ("https://example.org:99999/x", "url"),
        ("https://example.org/`x`", "url"),
        ("https://example.org\\@evil.org", "url"),
    ],
)
def test_url_rejected(url: str, words: str):
    why = url_problem(url)
    assert why is not None
    assert words in why


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTPS://EXAMPLE.ORG/a", "https://example.org/a"),
        ("https://Example.org/Path/Case", "https://example.org/Path/Case"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org", "https://example.org"),
        ("https://example.org//", "https://example.org"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:443/a", "http://example.org:443/a"),
        ("https://example.org:80/a", "https://example.org:80/a"),
        ("https://example.org:8443/a/", "https://example.org:8443/a"),
        ("https://example.org/a#section", "https://example.org/a"),
        ("https://example.org/a/#section", "https://example.org/a"),
        ("https://example.org/a?q=1#x", "https://example.org/a?q=1"),
        ("https://example.org/a?Q=Case", "https://example.org/a?Q=Case"),
        ("https://User@Example.org/", "https://User@example.org"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("MAILTO:someone@example.org", "mailto:someone@example.org"),
        ("  https://example.org/a  ", "https://example.org/a"),
    ],
)
def test_normalize_url(url: str, key: str):
    assert normalize_url(url) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.org/a", "HTTPS://EXAMPLE.ORG/a"),
        ("https://example.org/a", "https://example.org/a/"),
        ("https://example.org/a", "https://example.org:443/a"),
        ("http://example.org/a", "http://example.org:80/a/"),
        ("https://example.org/a", "https://example.org/a#top"),
        ("https://example.org", "https://Example.org/#x"),
    ],
)
def test_duplicate_by_normalized_url(first: str, second: str):
    text = f"title,url,category\nFirst,{first},C\nOther,https://other.org,C\nSecond,{second},C\n"
    catalog, problems = catalog_of(text)
    assert [link.title for link in catalog.links] == ["First", "Other"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.kind == "duplicate"
    assert (problem.path, problem.line, problem.column) == (PATH, 4, 2)
    assert "line 2" in problem.message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.org/a", "https://example.org/A"),
        ("https://example.org/a", "http://example.org/a"),
        ("https://example.org/a", "https://example.org/a?x=1"),
        ("https://example.org/a", "https://example.org:8443/a"),
    ],
)
def test_not_duplicate(first: str, second: str):
    text = f"title,url,category\nFirst,{first},C\nSecond,{second},C\n"
    catalog, problems = catalog_of(text)
    assert problems == []
    assert len(catalog.links) == 2


def test_duplicate_of_a_multiline_record_names_its_first_line():
    text = 'title,url,category\n"Two\nlines",https://a.org,C\nAgain,https://a.org/,C\n'
    _, problems = catalog_of(text)
    assert [(p.kind, p.line) for p in problems] == [("duplicate", 4)]
    assert "line 2" in problems[0].message


def test_duplicate_after_a_skipped_bad_row_names_the_kept_row():
    text = (
        "title,url,category\n"
        "Bad,javascript:alert(1),C\n"
        "Good,https://a.org,C\n"
        "Copy,https://a.org#x,C\n"
    )
    catalog, problems = catalog_of(text)
    assert [link.title for link in catalog.links] == ["Good"]
    assert [(p.kind, p.line) for p in problems] == [("bad-url", 2), ("duplicate", 4)]
    assert "line 3" in problems[1].message


# --- row problems, with line and column ------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "kind", "column", "words"),
    [
        pytest.param(",https://a.org,C,,,,,", "empty-field", 1, "title", id="empty-title"),
        pytest.param("   ,https://a.org,C,,,,,", "empty-field", 1, "title", id="blank-title"),
        pytest.param("T,,C,,,,,", "empty-field", 2, "url", id="empty-url"),
        pytest.param("T,https://a.org,,,,,,", "empty-field", 3, "category", id="empty-cat"),
        pytest.param("T,https://a.org, ,,,,,", "empty-field", 3, "category", id="blank-cat"),
        pytest.param("T,javascript:alert(1),C,,,,,", "bad-url", 2, "scheme", id="javascript"),
        pytest.param("T,ftp://a.org,C,,,,,", "bad-url", 2, "scheme", id="ftp"),
        pytest.param("T,/docs/page,C,,,,,", "bad-url", 2, "scheme", id="relative"),
        pytest.param("T,https://a.org/x y,C,,,,,", "bad-url", 2, "space", id="space"),
        pytest.param('T,"https://a.org/""x",C,,,,,', "bad-url", 2, "quote", id="dquote"),
        pytest.param("T,https://a.org/<b>,C,,,,,", "bad-url", 2, "'<'", id="lt"),
        pytest.param("T,https://a.org,C,,yes,,,", "bad-boolean", 5, "must_read", id="yes"),
        pytest.param("T,https://a.org,C,,1,,,", "bad-boolean", 5, "must_read", id="one"),
        pytest.param("T,https://a.org,C,,,no,,", "bad-boolean", 6, "scientific", id="no"),
        pytest.param("T,https://a.org,C,,,truee,,", "bad-boolean", 6, "scientific", id="typo"),
        pytest.param("T,https://a.org,C,,,⭐,,", "bad-boolean", 6, "scientific", id="emoji"),
    ],
)
def test_row_problem_kind_line_and_column(row: str, kind: str, column: int, words: str):
    text = f"{FULL_HEADER}\nGood,https://good.org,C,,,,,\n\n{row}\n"
    catalog, problems = catalog_of(text)
    assert [link.title for link in catalog.links] == ["Good"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.kind, problem.path, problem.line, problem.column) == (kind, PATH, 4, column)
    assert words in problem.message
    assert problem.hint
    assert str(problem).startswith(f"{PATH}:4:{column}: ")


def test_bad_url_message_matches_contract_example():
    problem = only_problem("title,url,category\nX,javascript:alert(1),C\n")
    assert str(problem) == (
        "data/links.csv:2:2: url 'javascript:alert(1)' has a scheme that is not allowed; "
        "use an absolute http, https or mailto URL"
    )


def test_column_position_follows_the_header_order():
    problem = only_problem("category,scientific,url,title\nC,maybe,https://a.org,T\n")
    assert (problem.kind, problem.column) == ("bad-boolean", 2)
    problem = only_problem("category,url,title\nC,https://a.org,\n")
    assert (problem.kind, problem.column) == ("empty-field", 3)


@pytest.mark.parametrize(
    ("row", "count"),
    [
        pytest.param("T,https://a.org", 2, id="too-few"),
        pytest.param("T,https://a.org,C,extra", 4, id="too-many"),
        pytest.param("Title, with comma,https://a.org,C", 4, id="unquoted-comma"),
    ],
)
def test_column_count_mismatch(row: str, count: int):
    problem = only_problem(f"title,url,category\n{row}\n")
    assert problem.kind == "column-count"
    assert problem.line == 2
    assert f"{count} fields" in problem.message
    assert "3" in problem.message


def test_multiline_record_problem_names_its_first_line():
    text = 'title,url,category\n"A\nB\nC",https://a.org,C\n"D\nE",ftp://x.org,C\n'
    catalog, problems = catalog_of(text)
    assert [link.line for link in catalog.links] == [2]
    assert [(p.kind, p.line) for p in problems] == [("bad-url", 5)]


def test_every_bad_row_is_reported_in_file_order():
    text = (
        f"{FULL_HEADER}\n"
        "A,https://a.org,C,,,,,\n"
        ",https://b.org,C,,,,,\n"
        "C,https://c.org\n"
        "D,data:text/html,C,,,,,\n"
        "E,https://e.org,C,,maybe,,,\n"
        "F,https://a.org/,C,,,,,\n"
        "G,https://g.org,C,,,,,\n"
    )
    catalog, problems = catalog_of(text)
    assert [link.title for link in catalog.links] == ["A", "G"]
    assert [(p.kind, p.line) for p in problems] == [
        ("empty-field", 3),
        ("column-count", 4),
        ("bad-url", 5),
        ("bad-boolean", 6),
        ("duplicate", 7),
    ]


# --- booleans and values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("tRuE", True),
        (" true ", True),
        ("false", False),
        ("FALSE", False),
        ("False", False),
        ("", False),
        ("   ", False),
    ],
)
def test_boolean_values(raw: str, value: bool):
    text = f"{FULL_HEADER}\nT,https://a.org,C,,{raw},{raw},,\n"
    catalog, problems = catalog_of(text)
    assert problems == []
    (link,) = catalog.links
    assert (link.must_read, link.scientific) == (value, value)


def test_optional_columns_absent_means_defaults():
    catalog, problems = catalog_of("url,category,title\nhttps://a.org,Cat,T\n")
    assert problems == []
    assert catalog.links == (Link(title="T", url="https://a.org", category="Cat", line=2),)
    assert catalog.columns == ("url", "category", "title")


def test_values_are_stripped_and_kept():
    text = (
        f"{FULL_HEADER},notes\n"
        "  Title  , https://a.org/x ,  Cat ,  Desc ,True,false,2024-01-02,upstream, note \n"
    )
    catalog, problems = catalog_of(text)
    assert problems == []
    assert catalog.links == (
        Link(
            title="Title",
            url="https://a.org/x",
            category="Cat",
            line=2,
            description="Desc",
            must_read=True,
            scientific=False,
            added="2024-01-02",
            origin="upstream",
            extra=(("notes", "note"),),
        ),
    )


def test_user_columns_kept_in_extra_in_file_order():
    text = "zeta,title,url,alpha,category,mid\nz1,T,https://a.org,a1,C,\n"
    catalog, problems = catalog_of(text)
    assert problems == []
    (link,) = catalog.links
    assert link.extra == (("zeta", "z1"), ("alpha", "a1"), ("mid", ""))
    assert catalog.columns == ("zeta", "title", "url", "alpha", "category", "mid")
    own = [column for column in catalog.table_columns if column not in KNOWN_COLUMNS]
    assert own == ["zeta", "alpha", "mid", "markers"]
    assert (link.value("zeta"), link.value("alpha"), link.value("mid")) == ("z1", "a1", "")


def test_validate_row_returns_link_or_problem():
    header = ("title", "url", "category")
    table = parse_csv("title,url,category\nT,https://a.org,C\nT,mailto:,C\n", PATH)
    good, bad = (validate_row(row, header, PATH) for row in table.rows)
    assert isinstance(good, Link)
    assert good.line == 2
    assert isinstance(bad, Problem)
    assert (bad.kind, bad.line, bad.column) == ("bad-url", 3, 2)


# --- header ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("url,category", "title"),
        ("title,category,description", "url"),
        ("title,url", "category"),
        ("Title,URL,Category", "title, url, category"),
        ("name,link,section", "title, url, category"),
    ],
)
def test_header_missing_required_column(header: str, missing: str):
    with pytest.raises(SemlError) as info:
        catalog_of(f"{header}\nA,B,C\n")
    problem = info.value.problem
    assert (problem.kind, problem.path, problem.line) == ("bad-header", PATH, 1)
    assert missing in problem.message


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("title,url,category,title", 4),
        ("title,url,,category", 3),
        ("title,url,category,markers", 4),
    ],
)
def test_header_with_duplicate_empty_or_reserved_name(header: str, column: int):
    with pytest.raises(SemlError) as info:
        catalog_of(f"{header}\n")
    problem = info.value.problem
    assert (problem.kind, problem.line, problem.column) == ("bad-header", 1, column)


# --- categories --------------------------------------------------------------------------------


def test_categories_file_order_first_then_data_order():
    text = (
        "title,url,category\n"
        "A,https://a.org,Zeta\n"
        "B,https://b.org,Tooling\n"
        "C,https://c.org,Alpha\n"
        "D,https://d.org,Zeta\n"
        "E,https://e.org,Broad Overviews\n"
    )
    listed = [
        RawCategory(1, "Broad Overviews", "All aspects."),
        RawCategory(3, "Governance", ""),
        RawCategory(4, "Tooling", "Tools."),
    ]
    catalog, problems = catalog_of(text, listed)
    assert problems == []
    assert catalog.categories == (
        Category("Broad Overviews", "All aspects."),
        Category("Governance", ""),
        Category("Tooling", "Tools."),
        Category("Zeta", ""),
        Category("Alpha", ""),
    )


def test_categories_merge_case_insensitively():
    text = (
        "title,url,category\n"
        "A,https://a.org,data management\n"
        "B,https://b.org,Extra Stuff\n"
        "C,https://c.org,EXTRA STUFF\n"
        "D,https://d.org,DATA MANAGEMENT\n"
    )
    catalog, problems = catalog_of(text, [RawCategory(1, "Data Management", "Data.")])
    assert problems == []
    assert catalog.categories == (Category("Data Management", "Data."), Category("Extra Stuff"))
    assert catalog.category("data MANAGEMENT") == Category("Data Management", "Data.")
    assert catalog.category("extra stuff") == Category("Extra Stuff")
    assert catalog.category("Missing") is None


def test_category_listed_twice_is_a_duplicate_problem():
    listed = [RawCategory(1, "Tooling", "first"), RawCategory(3, "tooling", "second")]
    catalog, problems = catalog_of("title,url,category\nA,https://a.org,Tooling\n", listed)
    assert catalog.categories == (Category("Tooling", "first"),)
    assert [(p.kind, p.path, p.line) for p in problems] == [("duplicate", CATEGORIES_PATH, 3)]


def test_categories_of_skipped_rows_do_not_appear():
    text = "title,url,category\nA,javascript:x,Ghost\nB,https://b.org,Real\n"
    catalog, _ = catalog_of(text)
    assert [c.name for c in catalog.categories] == ["Real"]
