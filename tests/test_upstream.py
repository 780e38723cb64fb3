"""upstream.parse_readme: awesome-list README text -> categories, links with lines, problems.

Small README snippets in parametrized tables, then the real history of the upstream list."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mkdocs_seml_plugin.model import Link, normalize_url
from mkdocs_seml_plugin.upstream import UpstreamList, parse_readme

HISTORY = Path(__file__).parents[1].parent / "shared" / "data" / "awesome-seml" / "history"
STAR, CAP, VS16 = "\u2b50", "\U0001f393", "\ufe0f"


def parse(text: str) -> UpstreamList:
    return parse_readme(textwrap.dedent(text), "README.md")


def history(number: int) -> Path:
    (path,) = HISTORY.glob(f"{number:03d}_*.md")
    return path


def one_item(item: str) -> str:
    """A README with one category holding one list item (on line 5)."""
    return f"# List\n\n## Tools\n\n{item}\n"


# -- items: markers, descriptions, titles ---------------------------------------------------

A = "https://a.example/x"


@pytest.mark.parametrize(
    ("item", "title", "url", "description", "must_read", "scientific"),
    [
        pytest.param(f"- [A]({A})", "A", A, "", False, False, id="plain"),
        pytest.param(f"- [A]({A}) {STAR}", "A", A, "", True, False, id="star"),
        pytest.param(f"- [A]({A}) {STAR}{VS16}", "A", A, "", True, False, id="star-fe0f"),
        pytest.param(f"- [A]({A}) {CAP}", "A", A, "", False, True, id="cap"),
        pytest.param(f"- [A]({A}) {CAP}{STAR}{VS16}", "A", A, "", True, True, id="cap-star-fe0f"),
        pytest.param(f"- [A]({A}) {CAP}{STAR}", "A", A, "", True, True, id="cap-star"),
        pytest.param(f"- [A]({A}) {STAR}{CAP}", "A", A, "", True, True, id="star-cap"),
        pytest.param(f"- [A]({A}){CAP}", "A", A, "", False, True, id="no-space"),
        pytest.param(f"- [A]({A}){CAP}{STAR}{VS16}", "A", A, "", True, True, id="no-space-both"),
        pytest.param(f"- [A]({A}) {CAP}   ", "A", A, "", False, True, id="trailing-spaces"),
        pytest.param(f"- [A]({A})   ", "A", A, "", False, False, id="trailing-spaces-only"),
        pytest.param(f"- [A]({A}) - A tool.", "A", A, "A tool.", False, False, id="description"),
        pytest.param(
            f"- [A]({A}) -  Two  spaces.", "A", A, "Two spaces.", False, False, id="desc-spaces"
        ),
        pytest.param(
            f"- [A]({A}) {STAR} - Read it.", "A", A, "Read it.", True, False, id="star-desc"
        ),
        pytest.param(
            f"- [A]({A}) - Like [B](https://b.example/) but fast.",
            "A",
            A,
            "Like B but fast.",
            False,
            False,
            id="desc-link-reduced",
        ),
        pytest.param(
            "- [Spaced title ](https://a.example/y)",
            "Spaced title",
            "https://a.example/y",
            "",
            False,
            False,
            id="title-trailing-space",
        ),
        pytest.param(
            "- [Wiki](https://en.wikipedia.org/wiki/Foo_(bar))",
            "Wiki",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "",
            False,
            False,
            id="parens-in-url",
        ),
        pytest.param(
            "- [TFX](https://dl.acm.org/doi/pdf/10.1145/3097983.3098021?download=true) " + CAP,
            "TFX",
            "https://dl.acm.org/doi/pdf/10.1145/3097983.3098021?download=true",
            "",
            False,
            True,
            id="query-string",
        ),
        pytest.param(
            "- [10 Best](https://nanonets.com/blog/x/#track-model-experiments)",
            "10 Best",
            "https://nanonets.com/blog/x/#track-model-experiments",
            "",
            False,
            False,
            id="external-fragment-is-a-resource",
        ),
    ],
)
def test_item(
    item: str, title: str, url: str, description: str, must_read: bool, scientific: bool
) -> None:
    result = parse(one_item(item))
    assert result.problems == []
    assert result.links == [Link(title, url, "Tools", 5, description, must_read, scientific)]


@pytest.mark.parametrize(
    "item",
    [
        pytest.param("- [Next section](#data-management)", id="in-page-anchor"),
        pytest.param("- [Guidelines](contributing.md)", id="relative-link"),
        pytest.param("- [Docs](docs/page.md#part)", id="relative-link-fragment"),
    ],
)
def test_in_page_and_relative_items_are_not_resources(item: str) -> None:
    result = parse(one_item(item))
    assert result.links == []
    assert result.problems == []


# -- structure: categories, intros, sections that are not categories --------------------------

README = """\
# Awesome List [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

Intro of the whole list with a [prose link](https://prose.example/top).

## Contents

- [Broad Overviews](#broad-overviews)
- [Tooling](#tooling)
- [External in contents](https://contents.example/)

## Broad Overviews

These resources cover [all aspects](https://prose.example/aspects).
- [Overview](https://o.example/1) ⭐

## Tooling

Tooling can make your life easier.

We only share <b>open source</b> tools.

<br>

- [Tool](https://t.example/1) - A tool.

### Subsection

- [Sub tool](https://t.example/2)

## Governance
- [Policy](https://g.example/1)

## Contribute

Read the [contribution guidelines](contributing.md) first.

- [Contributing](https://contribute.example/)

## License

[![CC0](https://licensebuttons.example/cc0.svg)](https://creativecommons.org/publicdomain/zero/1.0)

- [CC0](https://creativecommons.org/publicdomain/zero/1.0)
"""


def test_categories_in_order_with_lines() -> None:
    result = parse(README)
    assert [(c.name, c.line) for c in result.categories] == [
        ("Broad Overviews", 11),
        ("Tooling", 16),
        ("Governance", 30),
    ]


@pytest.mark.parametrize(
    ("name", "intro"),
    [
        # A Markdown link in prose is reduced to its text.
        ("Broad Overviews", "These resources cover all aspects."),
        # Paragraphs up to the first item are joined; tags and <br> lines go.
        ("Tooling", "Tooling can make your life easier. We only share open source tools."),
        # An item right under the heading: no intro.
        ("Governance", ""),
    ],
)
def test_intro(name: str, intro: str) -> None:
    intros = {c.name: c.intro for c in parse(README).categories}
    assert intros[name] == intro


def test_only_category_items_are_resources() -> None:
    """Contents, Contribute and License sections and prose links (in the list's intro, a
    category's intro, or the License badge) are not resources."""
    result = parse(README)
    assert [(link.title, link.url, link.category, link.line) for link in result.links] == [
        ("Overview", "https://o.example/1", "Broad Overviews", 14),
        ("Tool", "https://t.example/1", "Tooling", 24),
        ("Sub tool", "https://t.example/2", "Tooling", 28),
        ("Policy", "https://g.example/1", "Governance", 31),
    ]
    assert result.problems == []
    assert result.unparsed == set()


@pytest.mark.parametrize(
    "heading", ["Contents", "Table of Contents", "Contribute", "Contributing", "License"]
)
def test_sections_about_the_list_are_not_categories(heading: str) -> None:
    result = parse(
        f"## {heading}\n\n- [X](https://x.example/)\n\n## Real\n\n- [Y](https://y.example/)\n"
    )
    assert [c.name for c in result.categories] == ["Real"]
    assert [link.url for link in result.links] == ["https://y.example/"]


def test_subsections_belong_to_their_category() -> None:
    result = parse(
        """\
        ## Tools

        ### Tracking

        - [A](https://a.example/)

        ### Serving

        - [B](https://b.example/)

        ## Papers

        - [C](https://c.example/)
        """
    )
    assert [c.name for c in result.categories] == ["Tools", "Papers"]
    assert [(link.url, link.category) for link in result.links] == [
        ("https://a.example/", "Tools"),
        ("https://b.example/", "Tools"),
        ("https://c.example/", "Papers"),
    ]


def test_items_before_any_category_are_not_resources() -> None:
    result = parse(
        "# List\n\n- [Badge](https://badge.example/)\n\n## Tools\n\n- [A](https://a.example/)\n"
    )
    assert [link.url for link in result.links] == ["https://a.example/"]


# -- problems: malformed items and duplicates ---------------------------------------------------


@pytest.mark.parametrize(
    ("item", "salvaged"),
    [
        pytest.param("- [MLFlow](https://mlflow.org/", "https://mlflow.org", id="no-close-paren"),
        pytest.param("- [MLFlow(https://mlflow.org/)", "https://mlflow.org", id="no-close-bracket"),
        pytest.param("- just some words", None, id="no-link"),
    ],
)
def test_malformed_item_is_a_problem_with_its_line(item: str, salvaged: str | None) -> None:
    text = (
        "## Tools\n\n- [Before](https://before.example/)\n"
        + item
        + "\n- [After](https://after.example/)\n"
    )
    result = parse(text)
    assert [link.url for link in result.links] == [
        "https://before.example/",
        "https://after.example/",
    ]
    assert [(p.kind, p.line) for p in result.problems] == [("malformed-item", 4)]
    assert result.problems[0].path == "README.md"
    assert result.unparsed == ({salvaged} if salvaged else set())


def test_real_malformed_item_from_the_history() -> None:
    path = history(28)
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if line == "- [MLFlow](https://mlflow.org/"]
    result = parse_readme(path.read_text(encoding="utf-8"), path.name)
    assert [(p.kind, p.line) for p in result.problems] == [("malformed-item", number)]
    assert str(result.problems[0]).startswith(f"{path.name}:{number}: ")
    assert result.unparsed == {normalize_url("https://mlflow.org/")}
    assert normalize_url("https://mlflow.org/") not in {normalize_url(x.url) for x in result.links}
    # Every other item of the file is still read.
    _, items = _expected_from_text(path.read_text(encoding="utf-8"))
    assert len(result.links) == len(items) - 1


def test_stray_text_after_the_link_keeps_the_link_and_is_reported() -> None:
    """History version 15: `... 🎓⭐️awesome` (a word glued to the markers)."""
    path = history(15)
    text = path.read_text(encoding="utf-8")
    (number,) = [n for n, line in enumerate(text.splitlines(), 1) if line.endswith("awesome")]
    result = parse_readme(text, path.name)
    (link,) = [x for x in result.links if x.line == number]
    assert (link.must_read, link.scientific, link.description) == (True, True, "")
    assert [(p.kind, p.line) for p in result.problems] == [("malformed-item", number)]


@pytest.mark.parametrize(
    ("second", "second_category"),
    [
        pytest.param("https://a.example/", "Tools", id="same-url"),
        pytest.param("HTTPS://A.example:443/#top", "Tools", id="normalized-same"),
        pytest.param("https://a.example", "Papers", id="other-category"),
    ],
)
def test_duplicate_keeps_the_first(second: str, second_category: str) -> None:
    lines = ["## Tools", "", "- [First](https://a.example/) ⭐"]
    if second_category == "Tools":
        lines.append(f"- [Second]({second}) {CAP}")
    else:
        lines += ["", "## Papers", "", f"- [Second]({second}) {CAP}"]
    result = parse("\n".join(lines) + "\n")
    assert [(x.title, x.category, x.must_read, x.scientific) for x in result.links] == [
        ("First", "Tools", True, False)
    ]
    ((kind, line, message),) = [(p.kind, p.line, p.message) for p in result.problems]
    assert kind == "duplicate"
    assert line == len(lines)
    assert "line 3" in message


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/x", "https://bad host.example/"]
)
def test_bad_url_item_is_a_problem(url: str) -> None:
    """An item whose URL has a scheme but is not allowed is reported, not silently dropped
    (only in-page `#...` and relative links are quietly not resources)."""
    result = parse(one_item(f"- [Evil]({url})"))
    assert result.links == []
    assert [p.line for p in result.problems] == [5]


# -- the newest upstream README ----------------------------------------------------------------


def _expected_from_text(text: str) -> tuple[list[str], list[str]]:
    """Categories and item lines found with plain string checks, independent of the parser."""
    categories: list[str] = []
    items: list[str] = []
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            current = None if name in ("Contents", "Contribute", "License") else name
            if current:
                categories.append(current)
        elif current and line.startswith("- [") and "](http" in line:
            items.append(line)
    return categories, items


def test_newest_history_file() -> None:
    path = history(110)
    text = path.read_text(encoding="utf-8")
    categories, items = _expected_from_text(text)
    result = parse_readme(text, path.name)
    assert len(categories) == 7
    assert [c.name for c in result.categories] == categories
    assert len(items) == 84
    assert len(result.links) == 84
    assert result.problems == []
    assert result.unparsed == set()
    assert sum(link.must_read for link in result.links) == sum(STAR in i for i in items)
    assert sum(link.scientific for link in result.links) == sum(CAP in i for i in items)
    assert sum(link.must_read and link.scientific for link in result.links) == sum(
        STAR in i and CAP in i for i in items
    )
    assert sum(bool(link.description) for link in result.links) == sum(") - " in i for i in items)
    # Each link sits on its own line in the file, with its title there.
    lines = text.splitlines()
    for link in result.links:
        assert lines[link.line - 1].startswith(f"- [{link.title}]({link.url})")
    # The list's own intro links (survey, read more) are not resources.
    urls = {normalize_url(link.url) for link in result.links}
    assert "https://se-ml.github.io/survey" not in urls
    intros = {c.name: c.intro for c in result.categories}
    assert intros["Broad Overviews"] == "These resources cover all aspects."
    assert intros["Governance"] == ""
    assert intros["Tooling"] == (
        "Tooling can make your life easier. We only share open source tools, or commercial "
        "platforms that offer substantial free packages for research."
    )
