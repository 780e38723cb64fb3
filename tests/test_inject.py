"""inject.py: directives in page lines -> counts, stashed tables, `group_by` headings, problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

import markdown
import pytest
from bs4 import BeautifulSoup

from mkdocs_seml_plugin.inject import DEFAULT_COLUMNS, Injector
from mkdocs_seml_plugin.load import RawCategory, parse_csv
from mkdocs_seml_plugin.markdown import SemlExtension
from mkdocs_seml_plugin.render import render_intro, render_table
from mkdocs_seml_plugin.select import Query, select
from mkdocs_seml_plugin.validate import build_catalog

if TYPE_CHECKING:
    from mkdocs_seml_plugin.errors import Problem
    from mkdocs_seml_plugin.model import Catalog

PAGE = "docs/index.md"

CSV = """\
title,url,category,description,must_read,scientific,notes
Zeta Tool,https://zeta.org,Tooling,Zeta desc,true,false,n1
Data Sheet,https://sheets.org,Data Management,,false,true,
alpha tool,https://alpha.org,tooling,,false,false,n3
Overview,https://overview.org,Broad Overviews,Everything,true,true,
C++ thing,https://cpp.org,C++ & <Co>,,false,false,
"""
CATEGORIES = [
    RawCategory(1, "Broad Overviews", "These resources cover all aspects."),
    RawCategory(3, "Data Management", ""),
    RawCategory(4, "Governance", "Nobody here."),
    RawCategory(5, "Tooling", "Tools <make> life easier."),
]
CATEGORY_NAMES = "Broad Overviews, Data Management, Governance, Tooling, C++ & <Co>"


def make_catalog() -> Catalog:
    catalog, problems = build_catalog(
        parse_csv(CSV, "data/links.csv"), CATEGORIES, "data/categories.yml"
    )
    assert problems == []
    return catalog


TABLE_COLUMNS = ", ".join(make_catalog().table_columns)


class Stash:
    """Records what it stores; placeholders look like Python-Markdown's."""

    def __init__(self) -> None:
        self.html: list[str] = []

    def __call__(self, html: str) -> str:
        self.html.append(html)
        return f"\x02wzxhzdk:{len(self.html) - 1}\x03"


def expand(
    *lines: str, columns: tuple[str, ...] = DEFAULT_COLUMNS, offset: int = 0
) -> tuple[list[str], list[Problem], Stash]:
    stash = Stash()
    out, problems = Injector(make_catalog(), columns).expand(
        list(lines), PAGE, stash, lambda: offset
    )
    return out, problems, stash


# --- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "count"),
    [
        ("<!-- seml:count -->", "5"),
        ('<!-- seml:count category="Tooling" -->', "2"),
        ('<!-- seml:count category="TOOLING, data management" -->', "3"),
        ('<!-- seml:count must_read="true" -->', "2"),
        ('<!-- seml:count scientific="false" -->', "3"),
        ('<!-- seml:count must_read="true" scientific="true" -->', "1"),
        ('<!-- seml:count category="Governance" -->', "0"),
    ],
)
def test_count_replaced_inline(directive: str, count: str):
    out, problems, stash = expand(f"There are {directive} links, see below.")
    assert out == [f"There are {count} links, see below."]
    assert problems == []
    assert stash.html == []


def test_several_counts_on_one_line():
    out, problems, _ = expand(
        'All <!-- seml:count -->, tools <!-- seml:count category="Tooling" -->.'
    )
    assert out == ["All 5, tools 2."]
    assert problems == []


# --- tables ------------------------------------------------------------------------------------


def test_table_becomes_a_stashed_block():
    out, problems, stash = expand("# Reading", "", "<!-- seml:table -->", "", "After.")
    assert problems == []
    assert out == ["# Reading", "", "", "\x02wzxhzdk:0\x03", "", "", "After."]
    catalog = make_catalog()
    assert stash.html == [render_table(catalog.links, DEFAULT_COLUMNS)]


def test_table_keeps_the_directive_indentation():
    out, problems, _ = expand(
        "!!! note", "", '    <!-- seml:table category="Tooling" -->', "", "    more"
    )
    assert problems == []
    assert out == ["!!! note", "", "", "    \x02wzxhzdk:0\x03", "", "", "    more"]


def test_table_in_indented_code_inside_an_admonition_is_left_alone():
    lines = ["!!! note", "", "    text", "", '        <!-- seml:table category="Tooling" -->']
    out, problems, stash = expand(*lines)
    assert (out, problems, stash.html) == (lines, [], [])


@pytest.mark.parametrize(
    "header",
    ["- item", "1. item", '=== "Tab"', '??? note "Details"'],
)
def test_table_in_a_block_container(header: str):
    out, problems, _ = expand(header, "", "    <!-- seml:table -->")
    assert problems == []
    assert out == [header, "", "", "    \x02wzxhzdk:0\x03", ""]


def test_table_attributes_select_sort_limit_and_columns():
    _, problems, stash = expand(
        '<!-- seml:table category="tooling" sort="-title" limit="1" columns="title,notes" -->'
    )
    assert problems == []
    catalog = make_catalog()
    expected = select(catalog, Query(("Tooling",), sort="-title", limit=1))
    assert [link.title for link in expected] == ["Zeta Tool"]
    assert stash.html == [render_table(expected, ("title", "notes"))]


def test_table_default_columns_come_from_the_injector():
    _, problems, stash = expand("<!-- seml:table -->", columns=("url", "markers"))
    assert problems == []
    assert stash.html == [render_table(make_catalog().links, ("url", "markers"))]


def test_table_matching_nothing_is_the_empty_note():
    _, problems, stash = expand('<!-- seml:table category="Governance" -->')
    assert problems == []
    assert stash.html == [render_table([], DEFAULT_COLUMNS)]


def test_same_table_twice_is_rendered_once():
    injector = Injector(make_catalog())
    stash = Stash()
    lines = [
        '<!-- seml:table category="Tooling" -->',
        "",
        '<!-- seml:table category="tooling" -->',
    ]
    _, problems = injector.expand(lines, PAGE, stash)
    _, more = injector.expand(['<!-- seml:table category="TOOLING" -->'], "docs/other.md", stash)
    assert problems == more == []
    assert len(stash.html) == 3
    assert stash.html[0] is stash.html[1]
    assert stash.html[0] is stash.html[2]
    injector.expand(['<!-- seml:table category="Tooling" limit="1" -->'], PAGE, stash)
    assert stash.html[3] is not stash.html[0]
    assert stash.html[3] != stash.html[0]


def test_directives_in_code_are_left_alone():
    lines = [
        "`<!-- seml:count -->` counts links.",
        "",
        "```markdown",
        "<!-- seml:table -->",
        "```",
        "",
        "    <!-- seml:table sort=bad -->",
    ]
    out, problems, stash = expand(*lines)
    assert out == lines
    assert problems == []
    assert stash.html == []


# --- group_by ----------------------------------------------------------------------------------


def headings(lines: list[str]) -> list[str]:
    return [line for line in lines if line.lstrip().startswith("#")]


def test_group_by_emits_headings_in_categories_order():
    out, problems, stash = expand('<!-- seml:table group_by="category" -->')
    assert problems == []
    assert headings(out) == [
        "## Broad Overviews",
        "## Data Management",
        "## Tooling",
        "## C&#43;&#43; &#38; &#60;Co&#62;",
    ]
    catalog = make_catalog()
    tooling = select(catalog, Query(("Tooling",)))
    assert stash.html[2] == "\n".join(
        [render_intro("Tools <make> life easier."), render_table(tooling, DEFAULT_COLUMNS)]
    )
    assert stash.html[1] == render_table(
        select(catalog, Query(("Data Management",))), DEFAULT_COLUMNS
    )
    # Each heading is its own block: a blank line before it, then its stashed table.
    starts = [index for index, line in enumerate(out) if line.startswith("#")]
    for number, index in enumerate(starts):
        assert out[index - 1] == ""
        assert out[index + 1 : index + 4] == ["", f"\x02wzxhzdk:{number}\x03", ""]


@pytest.mark.parametrize("level", [1, 3, 6])
def test_group_by_heading_level(level: int):
    out, problems, _ = expand(
        f'<!-- seml:table group_by="category" heading_level="{level}" category="Tooling" -->'
    )
    assert problems == []
    assert headings(out) == ["#" * level + " Tooling"]


def test_group_by_respects_filters_and_indentation():
    out, problems, _ = expand(
        "!!! note", "", '    <!-- seml:table group_by="category" must_read="true" -->'
    )
    assert problems == []
    assert headings(out) == ["    ## Broad Overviews", "    ## Tooling"]
    assert all(line == "" or line.startswith("    ") for line in out[2:])


def test_group_by_headings_reach_the_toc_through_markdown():
    extension = SemlExtension()
    reported: list[Problem] = []
    extension.attach(Injector(make_catalog()), reported.append)
    md = markdown.Markdown(extensions=[extension, "toc"])
    html = md.convert('# Links\n\n<!-- seml:table group_by="category" heading_level="3" -->\n')
    assert reported == []
    parsed = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in parsed.find_all("h3")] == [
        "Broad Overviews",
        "Data Management",
        "Tooling",
        "C++ & <Co>",
    ]
    # MkDocs themes insert a TOC token's name as HTML.
    toc = md.toc_tokens[0]["children"]
    assert [BeautifulSoup(entry["name"], "html.parser").get_text() for entry in toc] == [
        "Broad Overviews",
        "Data Management",
        "Tooling",
        "C++ & <Co>",
    ]
    assert [entry["id"] for entry in toc] == [h["id"] for h in parsed.find_all("h3")]
    assert len(parsed.select("div.seml-table")) == 4
    assert [p.get_text() for p in parsed.select("p.seml-intro")] == [
        "These resources cover all aspects.",
        "Tools <make> life easier.",
    ]


# --- problems ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "start", "words"),
    [
        pytest.param(
            '<!-- seml:table categroy="Tooling" -->',
            'seml:table: unknown attribute "categroy"; did you mean "category"? ',
            [
                "valid attributes: category, must_read, scientific, columns, sort, limit, "
                "group_by, heading_level"
            ],
            id="unknown-attribute",
        ),
        pytest.param(
            '<!-- seml:count columns="title" -->',
            'seml:count: unknown attribute "columns"; ',
            ["valid attributes: category, must_read, scientific"],
            id="table-attribute-on-count",
        ),
        pytest.param(
            '<!-- seml:table columns="title,descripton" -->',
            'seml:table: columns: unknown column "descripton"; did you mean "description"? ',
            [f"columns: {TABLE_COLUMNS}"],
            id="unknown-column",
        ),
        pytest.param(
            '<!-- seml:table sort="-titel" -->',
            'seml:table: sort: unknown column "titel"; did you mean "title"? ',
            [f"columns: {TABLE_COLUMNS}"],
            id="unknown-sort-column",
        ),
        pytest.param(
            '<!-- seml:table category="Data Managment" -->',
            'seml:table: category "Data Managment" matches nothing; '
            'did you mean "Data Management"? ',
            [f"categories: {CATEGORY_NAMES}"],
            id="unknown-category",
        ),
        pytest.param(
            '<!-- seml:table category="Tooling, Governence" -->',
            'seml:table: category "Governence" matches nothing; did you mean "Governance"? ',
            [f"categories: {CATEGORY_NAMES}"],
            id="unknown-category-in-list",
        ),
        pytest.param(
            '<!-- seml:count category="Nothing Like It" -->',
            'seml:count: category "Nothing Like It" matches nothing; categories: ',
            [CATEGORY_NAMES],
            id="no-close-match",
        ),
        pytest.param(
            '<!-- seml:tabel category="Tooling" -->',
            'seml:tabel: unknown directive; did you mean "table"? ',
            ["seml:table or seml:count"],
            id="unknown-directive",
        ),
        pytest.param(
            '<!-- seml:table limit="0" -->',
            'seml:table: attribute limit="0": ',
            ["1 or more"],
            id="bad-limit",
        ),
        pytest.param(
            '<!-- seml:table must_read="yes" -->',
            'seml:table: attribute must_read="yes": ',
            ["true or false"],
            id="bad-boolean",
        ),
        pytest.param(
            "<!-- seml:table sort=title -->",
            "seml:table: cannot read the attributes 'sort=title'",
            ['name="value"'],
            id="leftover",
        ),
        pytest.param(
            '<!-- seml:table category="Tooling"',
            "seml:table: a directive must end with --> on the line it starts on",
            [],
            id="not-closed-on-its-line",
        ),
        pytest.param(
            '<!-- seml:table category="Tooling" category="Governance" -->',
            'seml:table: attribute "category" is given more than once',
            [],
            id="attribute-twice",
        ),
        pytest.param(
            '<!-- seml:table heading_level="3" -->',
            'seml:table: heading_level needs group_by="category"',
            [],
            id="heading-level-without-group-by",
        ),
        pytest.param(
            '<!-- seml:table columns="title,markers,title" -->',
            'seml:table: columns: "title" is listed twice',
            [],
            id="column-twice",
        ),
    ],
)
def test_bad_directive_is_one_problem_and_the_line_stays(
    directive: str, start: str, words: list[str]
):
    lines = ["Intro.", "", directive, "", "<!-- seml:count -->"]
    out, problems, stash = expand(*lines, offset=4)
    assert out == ["Intro.", "", directive, "", "5"]
    assert stash.html == []
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.kind, problem.path, problem.line) == ("bad-directive", PAGE, 7)
    assert problem.message.startswith(start), problem.message
    for word in words:
        assert word in problem.message
    assert str(problem).startswith(f"{PAGE}:7: seml:")


def test_contract_example_message():
    # The page had three lines of front matter before these.
    page = ["", "# Hi", "", "", '<!-- seml:table category="Data Managment" -->']
    _, problems, _ = expand(*page, offset=3)
    assert [str(p) for p in problems] == [
        'docs/index.md:8: seml:table: category "Data Managment" matches nothing; '
        f'did you mean "Data Management"? categories: {CATEGORY_NAMES}'
    ]


def test_table_inside_a_sentence_is_a_problem():
    line = 'See <!-- seml:table category="Tooling" --> for tools.'
    out, problems, stash = expand("Intro.", line, offset=2)
    assert out == ["Intro.", line]
    assert stash.html == []
    assert len(problems) == 1
    assert (problems[0].kind, problems[0].line) == ("bad-directive", 4)
    assert "line of its own" in problems[0].message


def test_problems_in_page_order_and_good_directives_still_expanded():
    lines = [
        '<!-- seml:table columns="nope" -->',
        'A <!-- seml:count --> and <!-- seml:count category="Nope" --> and <!-- seml:count -->.',
        "",
        "<!-- seml:table -->",
        "",
        '<!-- seml:table sort="nope" -->',
    ]
    out, problems, stash = expand(*lines, offset=10)
    assert [(p.line, p.message.split(":")[2]) for p in problems] == [
        (11, " columns"),
        (12, ' category "Nope" matches nothing; categories'),
        (16, " sort"),
    ]
    assert out[1] == 'A 5 and <!-- seml:count category="Nope" --> and 5.'
    assert len(stash.html) == 1
    assert out[0] == lines[0]
    assert out[-1] == lines[-1]
