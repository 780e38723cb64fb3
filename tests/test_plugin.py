"""End to end: real `mkdocs build` runs of small sites in tmp_path, the output HTML parsed."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import (
    DEFAULT_LINKS,
    DEFAULT_TITLES,
    INTROS,
    Site,
    headers,
    html_main,
    mkdocs_yml,
    rows,
    tables,
    titles,
)

from mkdocs_seml_plugin.model import normalize_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import Tag

REPO = Path(__file__).parents[1]
SEED = REPO.parent / "shared" / "data" / "seed-links.csv"


def csv_text(*records: list[str]) -> str:
    """CSV text for `records` (a header first), quoted where needed, one line per record."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    return out.getvalue()


def heading_text(heading: Tag) -> str:
    """A heading's text without its permalink anchor."""
    return "".join(
        part.get_text() if hasattr(part, "get_text") else str(part)
        for part in heading.children
        if not (getattr(part, "name", None) == "a" and "headerlink" in part.get("class", []))
    )


# --- the directive's attributes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        pytest.param("", list(DEFAULT_TITLES), id="all-in-data-order"),
        pytest.param('category="Tooling"', ["Zeta Tool", "alpha tool"], id="category"),
        pytest.param(
            'category="Tooling,Broad Overviews"',
            ["Hidden Technical Debt", "Rules of ML", "Zeta Tool", "alpha tool"],
            id="category-list-keeps-data-order",
        ),
        pytest.param(
            'category=" data management , TOOLING "',
            ["Data Linter", "data Validation", "Zeta Tool", "alpha tool"],
            id="category-case-insensitive",
        ),
        pytest.param(
            'must_read="true"', ["Hidden Technical Debt", "data Validation"], id="must-read"
        ),
        pytest.param(
            'must_read="false"',
            ["Rules of ML", "Data Linter", "Zeta Tool", "alpha tool"],
            id="not-must-read",
        ),
        pytest.param(
            'scientific="true"', ["Hidden Technical Debt", "Data Linter"], id="scientific"
        ),
        pytest.param(
            'scientific="False" must_read="FALSE"',
            ["Rules of ML", "Zeta Tool", "alpha tool"],
            id="neither",
        ),
        pytest.param(
            'sort="title"',
            [
                "alpha tool",
                "Data Linter",
                "data Validation",
                "Hidden Technical Debt",
                "Rules of ML",
                "Zeta Tool",
            ],
            id="sort-case-insensitive",
        ),
        pytest.param(
            'sort="-title"',
            [
                "Zeta Tool",
                "Rules of ML",
                "Hidden Technical Debt",
                "data Validation",
                "Data Linter",
                "alpha tool",
            ],
            id="sort-descending",
        ),
        pytest.param(
            'sort="-category"',
            [
                "Zeta Tool",
                "alpha tool",
                "Data Linter",
                "data Validation",
                "Hidden Technical Debt",
                "Rules of ML",
            ],
            id="sort-descending-ties-keep-data-order",
        ),
        pytest.param(
            'sort="team_note"',
            [
                "Rules of ML",
                "data Validation",
                "alpha tool",
                "Data Linter",
                "Zeta Tool",
                "Hidden Technical Debt",
            ],
            id="sort-by-user-column-ties-keep-data-order",
        ),
        pytest.param('limit="2"', ["Hidden Technical Debt", "Rules of ML"], id="limit"),
        pytest.param('limit="99"', list(DEFAULT_TITLES), id="limit-above-count"),
        pytest.param('sort="-title" limit="2"', ["Zeta Tool", "Rules of ML"], id="sort-limit"),
        pytest.param(
            'category="Tooling" sort="title" limit="1"', ["alpha tool"], id="filter-sort-limit"
        ),
    ],
)
def test_table_rows(render: Callable[..., Tag], attributes: str, expected: list[str]) -> None:
    main = render(f"# Links\n\n<!-- seml:table {attributes} -->\n")
    assert len(tables(main)) == 1
    assert titles(main) == expected


def test_default_columns_and_cells(render: Callable[..., Tag]) -> None:
    main = render('<!-- seml:table category="Broad Overviews" -->\n')
    (table,) = tables(main)
    assert headers(table) == ["Title", "Description", "Markers"]
    assert rows(table)[1] == ["Rules of ML", "", ""]
    first = table.select("tbody tr")[0]
    link = first.find("a")
    assert link["href"] == "https://p.example.org/debt.pdf"
    assert link.get_text() == "Hidden Technical Debt"


def test_columns_attribute_with_markers_url_and_user_column(render: Callable[..., Tag]) -> None:
    main = render(
        '<!-- seml:table category="Broad Overviews" columns="markers,url,team_note,title" -->\n'
    )
    (table,) = tables(main)
    assert headers(table) == ["Markers", "URL", "Team note", "Title"]
    assert [th["data-seml-column"] for th in table.select("thead th")] == [
        "markers",
        "url",
        "team_note",
        "title",
    ]
    debt, rules = table.select("tbody tr")
    markers, url, note, title = debt.find_all("td")
    assert [(s["aria-label"], s.get_text()) for s in markers.select("span.seml-marker")] == [
        ("Must-read", "⭐"),
        ("Scientific publication", "🎓"),
    ]
    assert markers.select_one("span.seml-must-read")["role"] == "img"
    assert markers.select_one("span.seml-scientific") is not None
    assert url.a["href"] == url.a.get_text() == "https://p.example.org/debt.pdf"
    assert note.get_text() == "read it"
    assert title.a.get_text() == "Hidden Technical Debt"
    assert [td.get_text() for td in rules.find_all("td")] == [
        "",
        "https://dev.example.com/rules",
        "",
        "Rules of ML",
    ]


def test_boolean_columns_show_yes_or_nothing(render: Callable[..., Tag]) -> None:
    main = render('<!-- seml:table category="Data Management" columns="title,must_read" -->\n')
    assert rows(tables(main)[0]) == [["Data Linter", ""], ["data Validation", "yes"]]


def test_no_match_is_a_note_not_a_table(render: Callable[..., Tag]) -> None:
    main = render('<!-- seml:table category="Tooling" must_read="true" -->\n')
    assert tables(main) == []
    assert main.select_one("p.seml-empty") is not None


# --- group_by -----------------------------------------------------------------------------------


def test_group_by_category_headings_intros_tables_and_toc(build_site: Callable[..., Site]) -> None:
    site = build_site({"docs/index.md": '# All\n\n<!-- seml:table group_by="category" -->\n'})
    assert site.warnings == []
    soup = site.page()
    main = html_main(soup)
    headings = main.find_all("h2")
    # categories.yml order, not data order.
    assert [heading_text(h) for h in headings] == ["Tooling", "Data Management", "Broad Overviews"]
    expected_titles = {
        "Tooling": ["Zeta Tool", "alpha tool"],
        "Data Management": ["Data Linter", "data Validation"],
        "Broad Overviews": ["Hidden Technical Debt", "Rules of ML"],
    }
    for heading in headings:
        name = heading_text(heading)
        assert heading.get("id")
        permalink = heading.select_one("a.headerlink")
        assert permalink is not None
        assert permalink["href"] == f"#{heading['id']}"
        intro = heading.find_next_sibling()
        assert intro.name == "p"
        assert "seml-intro" in intro["class"]
        assert intro.get_text() == INTROS[name]
        block = intro.find_next_sibling()
        assert "seml-table" in block["class"]
        assert [tr.td.get_text() for tr in block.select("tbody tr")] == expected_titles[name]
    # The headings reach the table of contents, in order, under the page title.
    toc = [a["href"] for a in soup.select("#toc-collapse a.nav-link")]
    assert toc == ["#all"] + [f"#{h['id']}" for h in headings]


def test_group_by_heading_level_and_filters(render: Callable[..., Tag]) -> None:
    main = render(
        '# All\n\n<!-- seml:table group_by="category" heading_level="3" must_read="true" '
        'columns="title,team_note" -->\n'
    )
    assert main.find_all("h2") == []
    headings = main.find_all("h3")
    # Tooling has no must-read, so it gets no heading.
    assert [heading_text(h) for h in headings] == ["Data Management", "Broad Overviews"]
    assert all(h.select_one("a.headerlink") for h in headings)
    assert [rows(t) for t in tables(main)] == [
        [["data Validation", ""]],
        [["Hidden Technical Debt", "read it"]],
    ]


def test_group_by_in_data_order_without_categories_file(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "data/categories.yml": None,
            "docs/index.md": '<!-- seml:table group_by="category" -->\n',
        }
    )
    assert site.warnings == []
    main = site.main()
    assert [heading_text(h) for h in main.find_all("h2")] == [
        "Broad Overviews",
        "Data Management",
        "Tooling",
    ]
    assert main.select("p.seml-intro") == []
    assert titles(main) == list(DEFAULT_TITLES)


def test_group_by_heading_text_is_escaped(render: Callable[..., Tag]) -> None:
    name = "<b>C&D</b> *x* [y](http://evil.example) `z` #1"
    links = csv_text(
        ["title", "url", "category"],
        ["One", "https://one.example.org/", name],
    )
    intro = "<script>alert(1)</script> **not bold** [x](http://evil.example)"
    categories = yaml.safe_dump([{"name": name, "intro": intro}])
    main = render(
        '<!-- seml:table group_by="category" columns="title" -->\n',
        {"data/links.csv": links, "data/categories.yml": categories},
    )
    assert main.select_one("p.seml-intro").get_text() == intro
    assert main.find_all(["script", "strong"]) == []
    (heading,) = main.find_all("h2")
    assert heading_text(heading) == name
    soup = heading.find_parent("html")
    assert [a.get_text() for a in soup.select("#toc-collapse a.nav-link")] == [name]
    assert heading.find_all(["b", "em", "code"]) == []
    assert main.select('a[href="http://evil.example"]') == []


def test_minimal_data_file_works_with_default_columns(build_site: Callable[..., Site]) -> None:
    """Only title, url and category are required; the default table columns (title,
    description, markers) name columns of the format, so they work without those columns."""
    links = "title,url,category\nOne,https://one.example.org/,Tooling\n"
    site = build_site(
        {
            "data/links.csv": links,
            "docs/index.md": '<!-- seml:table -->\n\n<!-- seml:table must_read="true" -->\n',
        }
    )
    assert site.warnings == []
    main = site.main()
    first = tables(main)[0]
    assert headers(first) == ["Title", "Description", "Markers"]
    assert rows(first) == [["One", "", ""]]
    assert main.select_one("p.seml-empty") is not None


# --- where directives are (not) expanded --------------------------------------------------------


def test_directives_in_code_are_left_as_text(render: Callable[..., Tag]) -> None:
    main = render(
        "# Syntax\n\n"
        "```markdown\n"
        '<!-- seml:table category="Tooling" -->\n'
        "```\n\n"
        "~~~\n"
        "<!-- seml:count -->\n"
        "~~~\n\n"
        "Indented code:\n\n"
        '    <!-- seml:table category="Data Management" -->\n\n'
        'Inline: `<!-- seml:count category="Tooling" -->` and ``<!-- seml:table -->``.\n'
    )
    assert tables(main) == []
    code = [c.get_text() for c in main.find_all("code")]
    assert '<!-- seml:table category="Tooling" -->\n' in code
    assert "<!-- seml:count -->\n" in code
    assert '<!-- seml:table category="Data Management" -->\n' in code
    assert '<!-- seml:count category="Tooling" -->' in code
    assert "<!-- seml:table -->" in code
    assert "2" not in main.get_text()


@pytest.mark.parametrize(
    "opener",
    [pytest.param("# Syntax", id="after-heading"), pytest.param("***", id="after-rule")],
)
def test_indented_code_right_after_a_block_is_left_as_text(
    render: Callable[..., Tag], opener: str
) -> None:
    """Python-Markdown makes an indented line right after a heading or a rule a code block,
    with no blank line between them."""
    main = render(
        f'{opener}\n    <!-- seml:table category="Tooling" -->\n    <!-- seml:count -->\n'
    )
    assert tables(main) == []
    assert [c.get_text() for c in main.find_all("code")] == [
        '<!-- seml:table category="Tooling" -->\n<!-- seml:count -->\n'
    ]


def test_count_beside_inline_code_on_one_line(render: Callable[..., Tag]) -> None:
    main = render(
        "`<!-- seml:count -->` gives <!-- seml:count -->; "
        '``a ` <!-- seml:count --> b`` gives <!-- seml:count category="Tooling" -->.\n'
    )
    assert main.p.get_text() == "<!-- seml:count --> gives 6; a ` <!-- seml:count --> b gives 2."


def test_table_in_admonition(render: Callable[..., Tag]) -> None:
    main = render(
        "# Page\n\n"
        '!!! note "Tools"\n\n'
        "    We use these:\n\n"
        '    <!-- seml:table category="Tooling" -->\n\n'
        "    And nothing else.\n\n"
        "After.\n"
    )
    admonition = main.select_one("div.admonition.note")
    assert admonition is not None
    assert titles(admonition) == ["Zeta Tool", "alpha tool"]
    assert len(tables(main)) == 1
    assert admonition.find_all("p")[-1].get_text() == "And nothing else."
    assert admonition.find_next_sibling("p").get_text() == "After."


def test_tables_in_content_tabs(render: Callable[..., Tag]) -> None:
    main = render(
        "# Page\n\n"
        '=== "Tools"\n\n'
        '    <!-- seml:table category="Tooling" -->\n\n'
        '=== "Data"\n\n'
        '    <!-- seml:table category="Data Management" columns="title" -->\n'
    )
    blocks = main.select("div.tabbed-set div.tabbed-block")
    assert [label.get_text() for label in main.select("div.tabbed-set label")] == [
        "Tools",
        "Data",
    ]
    assert [titles(block) for block in blocks] == [
        ["Zeta Tool", "alpha tool"],
        ["Data Linter", "data Validation"],
    ]
    assert headers(tables(blocks[1])[0]) == ["Title"]


def test_group_by_in_admonition_keeps_headings_inside(render: Callable[..., Tag]) -> None:
    main = render(
        '# Page\n\n!!! info\n\n    <!-- seml:table group_by="category" category="Tooling" -->\n'
    )
    admonition = main.select_one("div.admonition")
    assert [heading_text(h) for h in admonition.find_all("h2")] == ["Tooling"]
    assert titles(admonition) == ["Zeta Tool", "alpha tool"]


def test_table_in_list_item_and_nested_blocks(render: Callable[..., Tag]) -> None:
    main = render(
        "# Page\n\n"
        "1. First step, read these:\n\n"
        '    <!-- seml:table category="Tooling" columns="title" -->\n\n'
        "2. Second step.\n\n"
        '=== "Tab"\n\n'
        "    !!! warning\n\n"
        '        <!-- seml:table category="Data Management" columns="title" -->\n\n'
        "        ```text\n"
        '        <!-- seml:table category="Broad Overviews" -->\n'
        "        ```\n"
    )
    first = main.select_one("ol > li")
    assert titles(first) == ["Zeta Tool", "alpha tool"]
    warning = main.select_one("div.tabbed-block div.admonition.warning")
    assert titles(warning) == ["Data Linter", "data Validation"]
    assert warning.code.get_text() == '<!-- seml:table category="Broad Overviews" -->\n'
    assert len(tables(main)) == 2


def test_count_in_heading_reaches_toc(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {"docs/index.md": '# Home\n\n## Tools (<!-- seml:count category="Tooling" -->)\n'}
    )
    assert site.warnings == []
    assert heading_text(site.main().h2) == "Tools (2)"
    assert [a.get_text() for a in site.page().select("#toc-collapse a.nav-link")] == [
        "Home",
        "Tools (2)",
    ]


def test_count_in_running_text_and_admonition(render: Callable[..., Tag]) -> None:
    main = render(
        "# Page\n\n"
        'We list <!-- seml:count category="Tooling" --> tools, '
        '<!-- seml:count must_read="true" --> must-reads and <!-- seml:count --> links.\n\n'
        "!!! tip\n\n"
        '    Only <!-- seml:count scientific="true" category="data management" --> paper.\n\n'
        '- a list item with <!-- seml:count category="Broad Overviews" --> links\n'
    )
    paragraphs = [p.get_text() for p in main.find_all("p", recursive=False)]
    assert "We list 2 tools, 2 must-reads and 6 links." in paragraphs
    assert main.select_one("div.admonition.tip p:not(.admonition-title)").get_text() == (
        "Only 1 paper."
    )
    assert main.select_one("li").get_text() == "a list item with 2 links"
    assert "seml:" not in str(main)


# --- warnings on pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "fragments"),
    [
        pytest.param(
            '<!-- seml:table category="Data Managment" -->',
            ['category "Data Managment" matches nothing', 'did you mean "Data Management"?'],
            id="category-typo",
        ),
        pytest.param(
            '<!-- seml:table colums="title" -->',
            ['unknown attribute "colums"', 'did you mean "columns"?'],
            id="attribute-typo",
        ),
        pytest.param(
            '<!-- seml:table columns="title,team_notes" -->',
            ['unknown column "team_notes"', 'did you mean "team_note"?', "markers"],
            id="column-typo",
        ),
        pytest.param(
            '<!-- seml:table sort="-titel" -->',
            ['unknown column "titel"', 'did you mean "title"?'],
            id="sort-typo",
        ),
        pytest.param(
            '<!-- seml:tabel category="Tooling" -->',
            ["unknown directive", 'did you mean "table"?'],
            id="directive-typo",
        ),
        pytest.param(
            'See <!-- seml:table category="Tooling" --> here.',
            ["line of its own"],
            id="table-in-sentence",
        ),
        pytest.param('<!-- seml:table limit="0" -->', ["limit"], id="bad-limit"),
        pytest.param('<!-- seml:table must_read="yes" -->', ["must_read"], id="bad-boolean"),
        pytest.param(
            "<!-- seml:table category='Tooling' -->", ['name="value"'], id="single-quotes"
        ),
        pytest.param(
            '<!-- seml:count columns="title" -->',
            ['unknown attribute "columns"', "category"],
            id="count-takes-no-columns",
        ),
        pytest.param(
            '<!-- seml:table group_by="categroy" -->', ["group_by", "category"], id="bad-group-by"
        ),
    ],
)
def test_bad_directive_warns_with_page_and_line(
    build_site: Callable[..., Site], directive: str, fragments: list[str]
) -> None:
    page = f"---\ntitle: Guide\n---\n# Guide\n\n{directive}\n"
    site = build_site({"docs/guide.md": page})
    (warning,) = site.warnings
    # Front matter counts: the directive is on line 6 of the file.
    assert "docs/guide.md:6:" in warning
    for fragment in fragments:
        assert fragment in warning
    assert tables(site.main("guide/index.html")) == []


def test_category_typo_lists_categories(build_site: Callable[..., Site]) -> None:
    site = build_site({"docs/index.md": '<!-- seml:count category="Toling" -->\n'})
    (warning,) = site.warnings
    assert 'did you mean "Tooling"?' in warning
    for name in INTROS:
        assert name in warning


def test_warning_free_build_logs_no_seml_warnings(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "docs/index.md": (
                '# Home\n\n<!-- seml:table group_by="category" -->\n\n'
                "There are <!-- seml:count --> links.\n"
            ),
            "docs/other.md": '# Other\n\n<!-- seml:table category="Tooling" sort="-title" -->\n',
        }
    )
    assert site.warnings == []
    assert titles(site.main("other/index.html")) == ["Zeta Tool", "alpha tool"]


# --- bad rows -----------------------------------------------------------------------------------

#: A good row whose quoted description spans lines 8 and 9, so the next row starts on line 10.
MULTILINE_ROW = (
    'Two Lines,https://lines.example.org/,Tooling,"first line\nsecond line",false,false,\n'
)


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        pytest.param(
            ",https://x.example.org/missing,Tooling,,,,",
            ":10:1:",
            "title is empty",
            id="missing-title",
        ),
        pytest.param(
            "No Category,https://x.example.org/nocat,,,,,",
            ":10:3:",
            "category is empty",
            id="missing-category",
        ),
        pytest.param(
            "Bad Scheme,ftp://files.example.org/x,Tooling,,,,",
            ":10:2:",
            "scheme",
            id="bad-url-scheme",
        ),
        pytest.param("Relative,/just/a/path,Tooling,,,,", ":10:2:", "url", id="relative-url"),
        pytest.param(
            "Too Few,https://x.example.org/few,Tooling", ":10:", "fields", id="too-few-columns"
        ),
        pytest.param(
            "Too Many,https://x.example.org/many,Tooling,,,,,extra",
            ":10:",
            "fields",
            id="too-many-columns",
        ),
        pytest.param(
            "Bad Bool,https://x.example.org/bool,Tooling,,yes,,",
            ":10:5:",
            "must_read",
            id="bad-boolean",
        ),
        pytest.param(
            "Bad Sci,https://x.example.org/sci,Tooling,,,1,",
            ":10:6:",
            "scientific",
            id="bad-boolean-scientific",
        ),
        pytest.param(
            "Dup,HTTPS://T.EXAMPLE.org:443/zeta/#frag,Tooling,,,,",
            ":10:2:",
            "line 6",
            id="duplicate-url",
        ),
    ],
)
def test_bad_row_warns_with_line_and_is_skipped(
    build_site: Callable[..., Site], row: str, where: str, message: str
) -> None:
    links = (
        DEFAULT_LINKS
        + MULTILINE_ROW
        + row
        + "\n"
        + "After,https://after.example.org/,Tooling,,,,\n"
    )
    site = build_site({"data/links.csv": links, "docs/index.md": "<!-- seml:table -->\n"})
    (warning,) = site.warnings
    assert f"data/links.csv{where}" in warning
    assert message in warning
    assert "skipped" in warning
    main = site.main()
    assert titles(main) == [*DEFAULT_TITLES, "Two Lines", "After"]
    hrefs = [a["href"] for a in main.select("div.seml-table a")]
    assert len(hrefs) == len(set(hrefs)) == 8
    assert not any("x.example.org" in href or "ftp:" in href for href in hrefs)


def test_each_bad_row_gets_its_own_warning(build_site: Callable[..., Site]) -> None:
    links = (
        DEFAULT_LINKS
        + "Bad One,javascript:alert(1),Tooling,,,,\n"  # line 8
        + MULTILINE_ROW  # lines 9-10
        + "Bad Two,https://x.example.org/,Tooling,,maybe,,\n"  # line 11
    )
    site = build_site({"data/links.csv": links})
    assert len(site.warnings) == 2
    assert "data/links.csv:8:2:" in site.warnings[0]
    assert "javascript:alert(1)" in site.warnings[0]
    assert "data/links.csv:11:5:" in site.warnings[1]


def test_strict_build_fails_on_bad_row(make_site: Callable[..., Site]) -> None:
    site = make_site({"data/links.csv": DEFAULT_LINKS + "Bad,ftp://x.example.org/,Tooling,,,,\n"})
    result = site.mkdocs("build", "--strict")
    assert result.returncode != 0
    assert "data/links.csv:8:2:" in result.stderr
    assert "Traceback" not in result.stderr
    # Without --strict the same site builds.
    assert site.mkdocs("build").returncode == 0


def test_strict_build_fails_on_bad_directive(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {
            "docs/guide.md": (
                "---\ntitle: Guide\ntags: [a, b]\n---\n\n# Guide\n\n"
                '<!-- seml:table category="Data Managment" -->\n'
            )
        }
    )
    result = site.mkdocs("build", "--strict")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    (line,) = [text for text in result.stderr.splitlines() if "Data Managment" in text]
    assert "docs/guide.md:8:" in line
    assert 'did you mean "Data Management"?' in line
    assert "Broad Overviews" in line


def test_strict_build_of_good_site_succeeds(make_site: Callable[..., Site]) -> None:
    site = make_site({"docs/index.md": '# Home\n\n<!-- seml:table group_by="category" -->\n'})
    result = site.mkdocs("build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("files", "path"),
    [
        pytest.param({"data/links.csv": None}, "data/links.csv", id="default-path"),
        pytest.param(
            {"mkdocs.yml": mkdocs_yml({"links_file": "lists/reading.csv"})},
            "lists/reading.csv",
            id="configured-path",
        ),
    ],
)
def test_missing_data_file_stops_build_without_traceback(
    make_site: Callable[..., Site], files: dict[str, str | None], path: str
) -> None:
    site = make_site(files)
    result = site.mkdocs("build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    naming = [line for line in result.stderr.splitlines() if path in line]
    assert len(naming) == 1, result.stderr
    assert "not found" in naming[0]
    assert not (site.root / "site" / "index.html").exists()


@pytest.mark.parametrize(
    ("files", "path", "message"),
    [
        pytest.param(
            {"data/links.csv": "title,link,category\nA,https://a.example.org/,X\n"},
            "data/links.csv:1",
            "url",
            id="header-lacks-url",
        ),
        pytest.param(
            {"data/links.csv": 'title,url,category\n"A,https://a.example.org/,X\n'},
            "data/links.csv",
            "CSV",
            id="unterminated-quote",
        ),
        pytest.param({"data/links.csv": ""}, "data/links.csv", "empty", id="empty-file"),
        pytest.param(
            {"data/links.csv": "title,url,category\nCaf\xe9,https://a.example.org/,X\n"},
            "data/links.csv:2",
            "UTF-8",
            id="not-utf8",
        ),
        pytest.param(
            {"data/categories.yml": "- name: [unclosed\n"},
            "data/categories.yml",
            "YAML",
            id="bad-categories-yaml",
        ),
        pytest.param(
            {"data/categories.yml": "name: Tooling\n"},
            "data/categories.yml:1",
            "list",
            id="categories-not-a-list",
        ),
    ],
)
def test_unusable_data_stops_build_with_one_message(
    make_site: Callable[..., Site], files: dict[str, str], path: str, message: str
) -> None:
    site = make_site()
    for name, text in files.items():
        # Latin-1 bytes for the not-UTF-8 case, UTF-8 otherwise.
        encoding = "latin-1" if "\xe9" in text else "utf-8"
        (site.root / name).write_bytes(text.encode(encoding))
    result = site.mkdocs("build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    naming = [line for line in result.stderr.splitlines() if path in line]
    assert len(naming) == 1, result.stderr
    assert message in naming[0]


def test_data_path_that_is_a_folder_stops_build(make_site: Callable[..., Site]) -> None:
    site = make_site({"data/links.csv": None, "data/links.csv/readme.txt": "not a file"})
    result = site.mkdocs("build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if "data/links.csv" in line]) == 1


def test_missing_categories_file_is_fine(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"data/categories.yml": None, "docs/index.md": '<!-- seml:table group_by="category" -->\n'}
    )
    result = site.mkdocs("build", "--strict")
    assert result.returncode == 0, result.stderr


def test_configured_data_paths(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "mkdocs.yml": mkdocs_yml(
                {"links_file": "lists/reading.csv", "categories_file": "lists/order.yml"}
            ),
            "lists/reading.csv": DEFAULT_LINKS,
            "lists/order.yml": "- name: Broad Overviews\n- name: Tooling\n  intro: Tools!\n",
            "data/links.csv": None,
            "data/categories.yml": None,
            "docs/index.md": '<!-- seml:table group_by="category" -->\n',
        }
    )
    assert site.warnings == []
    main = site.main()
    assert [heading_text(h) for h in main.find_all("h2")] == [
        "Broad Overviews",
        "Tooling",
        "Data Management",
    ]
    assert [p.get_text() for p in main.select("p.seml-intro")] == ["Tools!"]


# --- hostile and unusual data -------------------------------------------------------------------

HOSTILE = [
    ["title", "url", "category", "description", "team_note"],
    [
        "<script>alert(1)</script>",
        "https://h.example.org/1",
        "Hostile",
        "<img src=x onerror=alert(1)>",
        "<b>x</b>",
    ],
    ["a | b | c", "https://h.example.org/2", "Hostile", "cell | with | pipes", "|"],
    [
        "**bold** [x](http://evil.example) `code`",
        "https://h.example.org/3",
        "Hostile",
        "_em_ <i>i</i> &amp; &lt;",
        "*",
    ],
    ["He said \"hi\" & 'bye'", "https://h.example.org/4?a=1&b=2", "Hostile", '"quoted"', "'"],
    ["JS", "javascript:alert(1)", "Hostile", "", ""],  # line 6
    ["Data URL", "data:text/html,<script>alert(2)</script>", "Hostile", "", ""],  # line 7
    ["Quote URL", 'https://q.example.org/a"onmouseover="alert(3)', "Hostile", "", ""],  # line 8
    ["Spaced URL", "https://q.example.org/a b", "Hostile", "", ""],  # line 9
    ["Angle URL", "https://q.example.org/<x>", "Hostile", "", ""],  # line 10
    ["🚀 Rocket ML 😀", "https://u.example.org/emoji", "Hostile", "", ""],
    ["機械学習の工学", "https://u.example.org/cjk", "Hostile", "日本語の説明", ""],
    ["هندسة التعلم الآلي", "https://u.example.org/rtl", "Hostile", "وصف", ""],
    ["<!-- seml:count --> & <!-- x -->", "mailto:list@example.org", "Hostile", "", ""],
]


def test_hostile_data_is_escaped_and_rejected(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "data/links.csv": csv_text(*HOSTILE),
            "data/categories.yml": None,
            "docs/index.md": (
                "# Hostile\n\n"
                '<!-- seml:table columns="title,url,description,team_note" -->\n\n'
                '<!-- seml:table group_by="category" columns="title,url" -->\n'
            ),
        }
    )
    # The five rows with unacceptable URLs are rejected, one warning each, at their lines.
    assert [w.split(": ", 2)[1] for w in site.warnings] == [
        "data/links.csv:6:2",
        "data/links.csv:7:2",
        "data/links.csv:8:2",
        "data/links.csv:9:2",
        "data/links.csv:10:2",
    ]
    html = site.html()
    main = site.main()
    content = str(main)
    for bad in ("javascript:", "data:text", "alert(2)", "alert(3)", "onmouseover"):
        assert bad not in content
        assert bad not in html
    assert "<script>alert" not in html
    assert main.find_all(["script", "img", "b", "i", "strong", "em", "code"]) == []
    assert main.find_all(attrs={"onerror": True}) == []
    for table in tables(main):
        assert all(len(tr.find_all("td")) == len(headers(table)) for tr in table.select("tbody tr"))
        for link in table.find_all("a"):
            assert link["href"].startswith(
                ("https://h.example.org/", "https://u.example.org/", "mailto:")
            )
    good = [
        row
        for row in HOSTILE[1:]
        if row[0] not in {"JS", "Data URL", "Quote URL", "Spaced URL", "Angle URL"}
    ]
    first, grouped = tables(main)
    assert rows(first) == [
        [title, url, description, note] for title, url, _, description, note in good
    ]
    assert rows(grouped) == [[title, url] for title, url, *_ in good]
    assert main.select_one('a[href="https://h.example.org/4?a=1&b=2"]') is not None
    # Counted text of a title is not expanded again.
    assert main.find(string="<!-- seml:count --> & <!-- x -->") is not None
    assert "http://evil.example" not in [a.get("href") for a in main.find_all("a")]
    assert [heading_text(h) for h in main.find_all("h2")] == ["Hostile"]


def test_unicode_survives(render: Callable[..., Tag]) -> None:
    links = csv_text(
        ["title", "url", "category", "description"],
        ["🚀 Rocket ML 😀", "https://u.example.org/emoji", "Überblick", "naïve café"],
        ["機械学習の工学", "https://u.example.org/cjk", "機械学習", "日本語の説明"],
        ["هندسة التعلم الآلي", "https://u.example.org/rtl", "عربي", "وصف"],
    )
    main = render(
        '<!-- seml:table group_by="category" columns="title,description" -->\n\n'
        'Count: <!-- seml:count category="überblick" -->\n',
        {"data/links.csv": "\ufeff" + links.replace("\n", "\r\n"), "data/categories.yml": None},
    )
    assert [heading_text(h) for h in main.find_all("h2")] == ["Überblick", "機械学習", "عربي"]
    assert [rows(t) for t in tables(main)] == [
        [["🚀 Rocket ML 😀", "naïve café"]],
        [["機械学習の工学", "日本語の説明"]],
        [["هندسة التعلم الآلي", "وصف"]],
    ]
    assert main.find_all("p")[-1].get_text() == "Count: 1"


def test_user_column_and_empty_cells(render: Callable[..., Tag]) -> None:
    main = render(
        '<!-- seml:table columns="title,description,team_note,must_read,scientific,markers" -->\n'
    )
    (table,) = tables(main)
    assert headers(table)[2] == "Team note"
    cells = rows(table)
    assert [row[2] for row in cells] == ["read it", "", "ask Ana", "", "internal", ""]
    assert cells[-1] == ["alpha tool", "Another tool", "", "", "", ""]
    for td in table.find_all("td"):
        assert td.get_text().strip().lower() not in {"none", "nan", "null", "false"}


def test_every_external_link_has_rel_noopener(render: Callable[..., Tag]) -> None:
    main = render(
        '<!-- seml:table columns="title,url" -->\n\n<!-- seml:table group_by="category" -->\n'
    )
    links = main.select("div.seml-table a")
    assert len(links) == 6 * 2 + 6
    for link in links:
        assert "noopener" in link.get("rel", [])


# --- plugin options -----------------------------------------------------------------------------


def test_export_writes_all_rows_as_json(build_site: Callable[..., Site]) -> None:
    site = build_site({"data/links.csv": DEFAULT_LINKS + "Bad,ftp://x.example.org/,Tooling,,,,\n"})
    data = json.loads((site.root / "site" / "links.json").read_text(encoding="utf-8"))
    assert [link["title"] for link in data["links"]] == list(DEFAULT_TITLES)
    first = data["links"][0]
    assert first["url"] == "https://p.example.org/debt.pdf"
    assert first["category"] == "Broad Overviews"
    assert first["team_note"] == "read it"
    assert first["must_read"] is True
    assert data["links"][1]["scientific"] is False
    assert [c["name"] for c in data["categories"]] == list(INTROS)


def test_export_to_another_name_and_off(make_site: Callable[..., Site]) -> None:
    site = make_site({"mkdocs.yml": mkdocs_yml({"export": "data/all-links.json"})}).build()
    assert (site.root / "site" / "data" / "all-links.json").is_file()
    assert not (site.root / "site" / "links.json").exists()

    site.write("mkdocs.yml", mkdocs_yml({"export": None}))
    shutil.rmtree(site.root / "site")
    site.build()
    assert (site.root / "site" / "index.html").is_file()
    assert list((site.root / "site").rglob("*links*.json")) == []


def test_assets_emitted_and_linked(build_site: Callable[..., Site]) -> None:
    site = build_site({"docs/sub/page.md": "<!-- seml:table -->\n"})
    out = site.root / "site" / "assets" / "seml"
    assert "seml-table" in (out / "seml.css").read_text(encoding="utf-8")
    assert "seml-table" in (out / "seml.js").read_text(encoding="utf-8")
    soup = site.page()
    assert [link["href"] for link in soup.select('link[href*="seml"]')] == ["assets/seml/seml.css"]
    assert [s["src"] for s in soup.select('script[src*="seml"]')] == ["assets/seml/seml.js"]
    nested = site.page("sub/page/index.html")
    assert [s["src"] for s in nested.select('script[src*="seml"]')] == ["../../assets/seml/seml.js"]


def test_assets_off(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "mkdocs.yml": mkdocs_yml({"assets": False}),
            "docs/index.md": "<!-- seml:table -->\n",
        }
    )
    assert not (site.root / "site" / "assets" / "seml").exists()
    html = site.html()
    assert "seml.css" not in html
    assert "seml.js" not in html
    assert len(tables(site.main())) == 1


def test_columns_option_sets_default_columns(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "mkdocs.yml": mkdocs_yml({"columns": ["title", "team_note", "markers"]}),
            "docs/index.md": (
                '<!-- seml:table category="Tooling" -->\n\n'
                '<!-- seml:table category="Tooling" columns="url" -->\n'
            ),
        }
    )
    assert site.warnings == []
    default, explicit = tables(site.main())
    assert headers(default) == ["Title", "Team note", "Markers"]
    assert rows(default) == [["Zeta Tool", "internal", ""], ["alpha tool", "", ""]]
    assert headers(explicit) == ["URL"]


def test_unknown_column_in_columns_option_is_reported(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {
            "mkdocs.yml": mkdocs_yml({"columns": ["title", "notes"]}),
            "docs/index.md": "<!-- seml:table -->\n",
        }
    )
    assert any('unknown column "notes"' in w for w in site.warnings)


# --- the repository's demo site -----------------------------------------------------------------


def seed_resource_urls() -> list[str]:
    """Every URL of the seed list, less its two page links (they are not resources)."""
    pages = {"https://se-ml.github.io/survey", "https://se-ml.github.io/practices"}
    with SEED.open(encoding="utf-8", newline="") as handle:
        urls = [record[0].strip() for record in csv.reader(handle) if record]
    return [url for url in urls if url not in pages]


def test_demo_site_builds_strict_and_links_every_seed_resource(tmp_path: Path) -> None:
    if not (REPO / "docs").is_dir() or not any((REPO / "docs").glob("*.md")):
        pytest.fail("the demo site's docs/ are missing")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copytree(REPO / "data", tmp_path / "data")
    site = Site(tmp_path)
    result = site.mkdocs("build", "--strict", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    hrefs = set()
    for page in (tmp_path / "site").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        hrefs |= {normalize_url(a["href"]) for a in soup.find_all("a", href=True)}
    seeds = seed_resource_urls()
    with SEED.open(encoding="utf-8", newline="") as handle:
        assert len(seeds) == sum(1 for record in csv.reader(handle) if record) - 2
    missing = [url for url in seeds if normalize_url(url) not in hrefs]
    assert missing == []
