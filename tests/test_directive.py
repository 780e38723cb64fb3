"""directive.py: finding `<!-- seml:... -->` in page lines (never in code) and reading options."""

from __future__ import annotations

import re

import markdown
import pytest

from mkdocs_seml_plugin.directive import (
    CountOptions,
    Directive,
    TableOptions,
    attribute_names,
    code_lines,
    code_spans,
    find_directives,
    parse_options,
)

C, P = True, False  # a code line, a prose line

CODE_CASES = {
    "backtick-fence": [
        (P, "para <!-- x1 -->"),
        (C, "```"),
        (C, "<!-- x2 -->"),
        (C, "```"),
        (P, "after <!-- x3 -->"),
    ],
    "tilde-fence": [
        (C, "~~~"),
        (C, "<!-- x1 -->"),
        (C, "~~~"),
        (P, "<!-- x2 -->"),
    ],
    "fence-with-language": [
        (C, "```markdown"),
        (C, "<!-- x1 -->"),
        (C, "```"),
        (P, "<!-- x2 -->"),
    ],
    "longer-fence-holds-shorter": [
        (C, "````markdown"),
        (C, "```"),
        (C, "<!-- x1 -->"),
        (C, "```"),
        (C, "````"),
        (P, "<!-- x2 -->"),
    ],
    "tilde-fence-ignores-backticks": [
        (C, "~~~~"),
        (C, "```"),
        (C, "<!-- x1 -->"),
        (C, "~~~~"),
        (P, "<!-- x2 -->"),
    ],
    "fence-in-admonition": [
        (P, "!!! note"),
        (P, ""),
        (C, "    ```"),
        (C, "    <!-- x1 -->"),
        (C, "    ```"),
        (P, ""),
        (P, "    content <!-- x2 -->"),
    ],
    "fence-in-nested-admonition": [
        (P, "!!! note"),
        (P, ""),
        (P, "    !!! tip"),
        (P, ""),
        (C, "        ~~~"),
        (C, "        <!-- x1 -->"),
        (C, "        ~~~"),
        (P, ""),
        (P, "        <!-- x2 -->"),
    ],
    "indented-code-top-level": [
        (P, "para"),
        (P, ""),
        (C, "    <!-- x1 -->"),
        (C, "    more"),
        (P, ""),
        (C, "    <!-- x2 -->"),
        (P, "back <!-- x3 -->"),
    ],
    "indented-code-first-line": [
        (C, "    <!-- x1 -->"),
        (P, ""),
        (P, "<!-- x2 -->"),
    ],
    "inline-code-at-line-start-is-no-fence": [
        (P, "```<!-- seml:count -->``` shows the syntax."),
        (P, ""),
        (P, "Count: <!-- x1 -->"),
        (P, ""),
        (P, "~~~ wavy ~~~ <!-- x2 -->"),
        (P, "<!-- x3 -->"),
    ],
    "indented-line-after-heading-is-code": [
        (P, "# Heading"),
        (C, "    <!-- x1 -->"),
        (P, "## Next <!-- x2 -->"),
    ],
    "indented-line-after-rule-is-code": [
        (P, "para"),
        (P, ""),
        (P, "***"),
        (C, "    <!-- x1 -->"),
    ],
    "lazy-continuation-is-not-code": [
        (P, "para"),
        (P, "    <!-- x1 -->"),
    ],
    "admonition-content-is-not-code": [
        (P, "!!! note"),
        (P, "    <!-- x1 -->"),
        (P, ""),
        (P, "    <!-- x2 -->"),
    ],
    "admonition-content-after-blank": [
        (P, '!!! note "Title"'),
        (P, ""),
        (P, "    <!-- x1 -->"),
    ],
    "indented-code-in-admonition": [
        (P, "!!! note"),
        (P, ""),
        (P, "    text"),
        (P, ""),
        (C, "        <!-- x1 -->"),
        (P, ""),
        (P, "    <!-- x2 -->"),
        (P, ""),
        (P, "after <!-- x3 -->"),
    ],
    "details-collapsible": [
        (P, "???+ note"),
        (P, ""),
        (P, "    <!-- x1 -->"),
        (P, ""),
        (C, "        <!-- x2 -->"),
    ],
    "list-item-content": [
        (P, "- item"),
        (P, ""),
        (P, "    <!-- x1 -->"),
    ],
    "indented-code-in-list-item": [
        (P, "- item"),
        (P, ""),
        (P, "    para"),
        (P, ""),
        (C, "        <!-- x1 -->"),
    ],
    "indented-code-in-ordered-list": [
        (P, "1. item"),
        (P, ""),
        (C, "        <!-- x1 -->"),
    ],
    "content-tab": [
        (P, '=== "Tab 1"'),
        (P, ""),
        (P, "    <!-- x1 -->"),
        (P, ""),
        (P, '=== "Tab 2"'),
        (P, ""),
        (P, "    text"),
        (P, ""),
        (C, "        <!-- x2 -->"),
    ],
    "admonition-then-top-level-code": [
        (P, "!!! note"),
        (P, ""),
        (P, "    content <!-- x1 -->"),
        (P, ""),
        (P, "para"),
        (P, ""),
        (C, "    <!-- x2 -->"),
    ],
    "list-in-admonition": [
        (P, "!!! note"),
        (P, ""),
        (P, "    - item"),
        (P, ""),
        (P, "        <!-- x1 -->"),
        (P, ""),
        (C, "            <!-- x2 -->"),
    ],
}


def case_lines(case: str) -> tuple[list[str], list[bool]]:
    lines = [line for _, line in CODE_CASES[case]]
    return lines, [kind for kind, _ in CODE_CASES[case]]


@pytest.mark.parametrize("case", CODE_CASES)
def test_code_lines(case: str):
    lines, expected = case_lines(case)
    got = code_lines(lines)
    # Blank lines carry no directive: only the others are compared.
    assert [g for g, line in zip(got, lines, strict=True) if line.strip()] == [
        e for e, line in zip(expected, lines, strict=True) if line.strip()
    ]


@pytest.mark.parametrize("case", CODE_CASES)
def test_code_lines_agree_with_python_markdown(case: str):
    """The expectations above are what Python-Markdown (with Material's usual extensions) does:
    a marked comment is shown as code text exactly on the code lines."""
    lines, expected = case_lines(case)
    html = markdown.markdown(
        "\n".join(lines),
        extensions=["admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    for line, is_code in zip(lines, expected, strict=True):
        if marker := re.search(r"<!-- (x\d) -->", line):
            assert (f"&lt;!-- {marker[1]} --&gt;" in html) is is_code, line


def test_unclosed_fence_runs_to_the_end():
    assert code_lines(["text", "```", "<!-- seml:table -->", "", "more"]) == [
        False,
        True,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("line", "spans"),
    [
        ("no code here", []),
        ("`a`", [(0, 3)]),
        ("x `a` y `b`", [(2, 5), (8, 11)]),
        ("``a ` b``", [(0, 9)]),
        ("```a``b```", [(0, 10)]),
        ("`unclosed", []),
        ("``a`", []),
        ("`a`` b `c`", [(0, 8)]),
        ("`<!-- seml:count -->`", [(0, 21)]),
    ],
)
def test_code_spans(line: str, spans: list[tuple[int, int]]):
    assert code_spans(line) == spans


# --- find_directives ---------------------------------------------------------------------------


def found(*lines: str) -> list[Directive]:
    return list(find_directives(lines))


def test_directive_with_attributes_alone():
    line = '<!-- seml:table category="Data Management" columns="title,description" sort="title" -->'
    (directive,) = found(line)
    assert directive == Directive(
        name="table",
        attributes=(
            ("category", "Data Management"),
            ("columns", "title,description"),
            ("sort", "title"),
        ),
        index=0,
        start=0,
        end=len(line),
        indent="",
        alone=True,
        leftover="",
    )


def test_directive_indent_and_index_inside_admonition():
    (directive,) = found("!!! note", "", '    <!-- seml:table category="A" -->  ')
    assert (directive.index, directive.indent, directive.alone) == (2, "    ", True)
    assert directive.start == 4


def test_directive_in_running_text():
    line = 'We list <!-- seml:count category="Tooling" --> tools.'
    (directive,) = found(line)
    assert directive.name == "count"
    assert directive.alone is False
    assert line[directive.start : directive.end] == '<!-- seml:count category="Tooling" -->'


@pytest.mark.parametrize(
    ("line", "attributes", "leftover"),
    [
        ("<!--seml:count-->", (), ""),
        ('<!--   seml:table   limit = "3"   -->', (("limit", "3"),), ""),
        ('<!-- seml:table category="" -->', (("category", ""),), ""),
        (
            '<!-- seml:table group_by="category" x-y="z" -->',
            (("group_by", "category"), ("x-y", "z")),
            "",
        ),
        ("<!-- seml:table category=Data -->", (), "category=Data"),
        ("<!-- seml:table sort='title' -->", (), "sort='title'"),
        ('<!-- seml:table limit="3" sort=title -->', (("limit", "3"),), "sort=title"),
        ('<!-- seml:table category="unclosed -->', (), 'category="unclosed'),
        ('<!-- seml:table "title" -->', (), '"title"'),
    ],
)
def test_directive_attributes_and_leftover(
    line: str, attributes: tuple[tuple[str, str], ...], leftover: str
):
    (directive,) = found(line)
    assert directive.attributes == attributes
    assert directive.leftover == leftover


def test_directive_names_are_reported_as_written():
    assert [d.name for d in found("<!-- seml:tabel -->", "<!-- seml: -->")] == ["tabel", ""]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(["`<!-- seml:count -->`"], id="inline-code"),
        pytest.param(["Write ``<!-- seml:table `x` -->`` on a line."], id="double-backticks"),
        pytest.param(["```", "<!-- seml:table -->", "```"], id="fenced"),
        pytest.param(["~~~html", "<!-- seml:table -->", "~~~"], id="tilde-fenced"),
        pytest.param(["para", "", "    <!-- seml:table -->"], id="indented"),
        pytest.param(["!!! note", "", "    x", "", "        <!-- seml:table -->"], id="adm-code"),
        pytest.param(["<!-- not a directive -->", "<!-- seml is here -->"], id="other-comments"),
    ],
)
def test_no_directive_found(lines: list[str]):
    assert found(*lines) == []


def test_directive_after_inline_code_at_line_start():
    lines = ["```<!-- seml:table -->``` puts a table on the page.", "", "<!-- seml:table -->"]
    assert [(d.index, d.name) for d in found(*lines)] == [(2, "table")]


def test_inline_code_and_real_directive_on_one_line():
    line = "Syntax: `<!-- seml:count -->`; count: <!-- seml:count -->."
    (directive,) = found(line)
    assert directive.start == line.index("count: ") + len("count: ")


def test_several_directives_in_order():
    lines = ['<!-- seml:count --> and <!-- seml:count must_read="true" -->', "<!-- seml:table -->"]
    assert [(d.index, d.name, d.attributes) for d in found(*lines)] == [
        (0, "count", ()),
        (0, "count", (("must_read", "true"),)),
        (1, "table", ()),
    ]


# --- parse_options -----------------------------------------------------------------------------


def options_of(name: str, **attributes: str) -> CountOptions | str:
    return parse_options(Directive(name, tuple(attributes.items()), 0, 0, 0, "", True, ""))


def test_table_defaults():
    options = options_of("table")
    assert isinstance(options, TableOptions)
    assert options.category is None
    assert options.must_read is None
    assert options.scientific is None
    assert options.columns is None
    assert options.sort is None
    assert options.limit is None
    assert options.group_by is None
    assert options.heading_level == 2


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"category": "Tooling"}, {"category": ["Tooling"]}),
        ({"category": " A , B ,, "}, {"category": ["A", "B"]}),
        ({"must_read": "true"}, {"must_read": True}),
        ({"must_read": "TRUE"}, {"must_read": True}),
        ({"must_read": "False"}, {"must_read": False}),
        ({"scientific": "false"}, {"scientific": False}),
        ({"columns": "title, url,markers"}, {"columns": ["title", "url", "markers"]}),
        ({"sort": "-title"}, {"sort": "-title"}),
        ({"limit": "1"}, {"limit": 1}),
        ({"limit": " 25 "}, {"limit": 25}),
        ({"group_by": "category"}, {"group_by": "category"}),
        ({"heading_level": "1"}, {"heading_level": 1}),
        ({"heading_level": "6"}, {"heading_level": 6}),
    ],
)
def test_table_options_valid(attributes: dict[str, str], expected: dict[str, object]):
    options = options_of("table", **attributes)
    assert isinstance(options, TableOptions)
    for key, value in expected.items():
        assert getattr(options, key) == value


@pytest.mark.parametrize(
    ("name", "attributes", "words"),
    [
        ("table", {"must_read": "yes"}, ['must_read="yes"', "true or false"]),
        ("table", {"scientific": "1"}, ['scientific="1"', "true or false"]),
        ("count", {"must_read": ""}, ['must_read=""', "true or false"]),
        ("table", {"limit": "0"}, ['limit="0"', "1 or more"]),
        ("table", {"limit": "-1"}, ['limit="-1"', "1 or more"]),
        ("table", {"limit": "x"}, ['limit="x"', "whole number"]),
        ("table", {"limit": "2.5"}, ['limit="2.5"', "whole number"]),
        ("table", {"heading_level": "0"}, ['heading_level="0"', "1 to 6"]),
        ("table", {"heading_level": "7"}, ['heading_level="7"', "1 to 6"]),
        ("table", {"heading_level": "two"}, ['heading_level="two"', "whole number"]),
        ("table", {"group_by": "title"}, ['group_by="title"', "category"]),
        ("table", {"columns": " , "}, ["columns", "names"]),
        ("table", {"category": ""}, ["category", "names"]),
    ],
)
def test_bad_option_values_are_messages(name: str, attributes: dict[str, str], words: list[str]):
    message = options_of(name, **attributes)
    assert isinstance(message, str)
    for word in words:
        assert word in message


def test_leftover_is_a_message():
    (directive,) = found("<!-- seml:table sort=title -->")
    message = parse_options(directive)
    assert isinstance(message, str)
    assert "sort=title" in message
    assert 'name="value"' in message


def test_count_takes_only_filters():
    options = options_of("count", category="A", must_read="true", scientific="false")
    assert isinstance(options, CountOptions)
    assert not isinstance(options, TableOptions)
    assert (options.category, options.must_read, options.scientific) == (["A"], True, False)


def test_attribute_names():
    assert attribute_names("count") == ["category", "must_read", "scientific"]
    assert attribute_names("table") == [
        "category",
        "must_read",
        "scientific",
        "columns",
        "sort",
        "limit",
        "group_by",
        "heading_level",
    ]
