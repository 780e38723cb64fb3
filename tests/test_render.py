"""render.py: links -> HTML, with every text escaped."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from mkdocs_seml_plugin.model import Link
from mkdocs_seml_plugin.render import (
    column_label,
    escape,
    escape_markdown,
    render_intro,
    render_markers,
    render_table,
)


def make(title: str = "Title", **fields: object) -> Link:
    fields.setdefault("url", "https://example.org/a")
    return Link(title=title, category=str(fields.pop("category", "Cat")), line=2, **fields)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        ("R&D", "R&amp;D"),
        ("&amp;", "&amp;amp;"),
        ("&#60;", "&amp;#60;"),
        ("\x02wzxhzdk:0\x03", "\ufffdwzxhzdk:0\ufffd"),
        (
            "a\x00b\x01c\x08d\x0be\x0cf\x0dg\x1bh\x1fi\x7fj",
            "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi\ufffdj",
        ),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("⭐ 🎓 ü", "⭐ 🎓 ü"),
        ("", ""),
    ],
)
def test_escape(text: str, escaped: str):
    assert escape(text) == escaped


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("title", "Title"),
        ("url", "URL"),
        ("category", "Category"),
        ("description", "Description"),
        ("must_read", "Must read"),
        ("scientific", "Scientific"),
        ("markers", "Markers"),
        ("added", "Added"),
        ("my_notes", "My notes"),
    ],
)
def test_column_label(column: str, label: str):
    assert column_label(column) == label


def test_table_structure():
    html = render_table([make("A", description="Desc")], ["title", "description"])
    assert html == (
        '<div class="seml-table">\n<table>\n<thead>\n'
        '<tr><th scope="col" data-seml-column="title">Title</th>'
        '<th scope="col" data-seml-column="description">Description</th></tr>\n'
        "</thead>\n<tbody>\n"
        '<tr><td><a href="https://example.org/a" rel="noopener">A</a></td><td>Desc</td></tr>\n'
        "</tbody>\n</table>\n</div>"
    )


def test_hostile_text_is_escaped_everywhere():
    link = make(
        "<script>alert('t')</script> & \"q\"",
        url="https://example.org/?a=1&b=2",
        category="<b>Cat</b>",
        description="<img src=x onerror=alert(1)> \x02wzxhzdk:0\x03 `code` *em* | pipe",
        added="<i>2024</i>",
        origin="up\x03stream",
        extra=(("notes", "<!-- comment -->"),),
    )
    columns = ["title", "url", "category", "description", "added", "origin", "notes", "markers"]
    html = render_table([link], columns)
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "<!--" not in html
    assert "\x02" not in html
    assert "\x03" not in html
    parsed = soup(html)
    assert [tag.name for tag in parsed.find_all(True)] == [
        "div", "table", "thead", "tr", *["th"] * 8, "tbody", "tr",
        "td", "a", "td", "a", *["td"] * 6,
    ]  # fmt: skip
    cells = [td.get_text() for td in parsed.find_all("td")]
    assert cells == [
        link.title,
        link.url,
        "<b>Cat</b>",
        "<img src=x onerror=alert(1)> \ufffdwzxhzdk:0\ufffd `code` *em* | pipe",
        "<i>2024</i>",
        "up\ufffdstream",
        "<!-- comment -->",
        "",
    ]
    assert [a["href"] for a in parsed.find_all("a")] == [link.url, link.url]


def test_every_link_has_rel_noopener():
    links = [make(f"T{i}", url=f"https://example.org/{i}") for i in range(3)]
    parsed = soup(render_table(links, ["title", "url", "description"]))
    anchors = parsed.find_all("a")
    assert len(anchors) == 6
    assert all(a.get("rel") == ["noopener"] for a in anchors)


@pytest.mark.parametrize(
    ("must_read", "scientific", "labels"),
    [
        (False, False, []),
        (True, False, [("⭐", "Must-read", "seml-must-read")]),
        (False, True, [("🎓", "Scientific publication", "seml-scientific")]),
        (
            True,
            True,
            [
                ("⭐", "Must-read", "seml-must-read"),
                ("🎓", "Scientific publication", "seml-scientific"),
            ],
        ),
    ],
)
def test_markers_have_accessible_labels(
    must_read: bool, scientific: bool, labels: list[tuple[str, str, str]]
):
    link = make(must_read=must_read, scientific=scientific)
    spans = soup(render_markers(link)).find_all("span")
    assert [
        (s.get_text(), s["aria-label"], s["class"][-1], s["role"], s["title"]) for s in spans
    ] == [(symbol, label, css, "img", label) for symbol, label, css in labels]
    assert all("seml-marker" in s["class"] for s in spans)
    cell = soup(render_table([link], ["markers"])).find("td")
    assert cell.get_text().split() == [symbol for symbol, _, _ in labels]
    assert [s["aria-label"] for s in cell.find_all("span")] == [label for _, label, _ in labels]


def test_markers_cell_exact_html():
    link = make(must_read=True, scientific=True)
    assert render_markers(link) == (
        '<span class="seml-marker seml-must-read" role="img" aria-label="Must-read" '
        'title="Must-read">⭐</span> '
        '<span class="seml-marker seml-scientific" role="img" '
        'aria-label="Scientific publication" title="Scientific publication">🎓</span>'
    )


def test_empty_cells_are_empty():
    link = make(description="", added="", origin="", extra=(("notes", ""),))
    columns = ["description", "must_read", "scientific", "added", "origin", "notes", "markers"]
    html = render_table([link], columns)
    assert "None" not in html
    assert "nan" not in html.lower()
    assert "False" not in html
    assert [td.decode_contents() for td in soup(html).find_all("td")] == [""] * len(columns)


def test_boolean_columns_show_yes_or_nothing():
    rows = soup(
        render_table([make(must_read=True), make(scientific=True)], ["must_read", "scientific"])
    )
    assert [[td.get_text() for td in tr.find_all("td")] for tr in rows.tbody.find_all("tr")] == [
        ["yes", ""],
        ["", "yes"],
    ]


def test_user_column_shown_with_label_and_values():
    links = [
        make("A", extra=(("reading_time", "5 min"), ("notes", "n1"))),
        make("B", extra=(("reading_time", ""), ("notes", "n2"))),
    ]
    parsed = soup(render_table(links, ["title", "notes", "reading_time"]))
    assert [th.get_text() for th in parsed.find_all("th")] == ["Title", "Notes", "Reading time"]
    assert [th["data-seml-column"] for th in parsed.find_all("th")] == [
        "title",
        "notes",
        "reading_time",
    ]
    assert [[td.get_text() for td in tr.find_all("td")] for tr in parsed.tbody.find_all("tr")] == [
        ["A", "n1", "5 min"],
        ["B", "n2", ""],
    ]


def test_rows_in_given_order():
    links = [make(t, url=f"https://example.org/{t}") for t in ("c", "a", "b")]
    parsed = soup(render_table(links, ["title"]))
    assert [a.get_text() for a in parsed.find_all("a")] == ["c", "a", "b"]


def test_empty_selection_is_a_note():
    html = render_table([], ["title", "description"])
    parsed = soup(html)
    note = parsed.find("p")
    assert note is not None
    assert note["class"] == ["seml-empty"]
    assert note.get_text().strip()
    assert parsed.find("table") is None


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        (
            "Tools <b>for</b> you & me",
            '<p class="seml-intro">Tools &lt;b&gt;for&lt;/b&gt; you &amp; me</p>',
        ),
    ],
)
def test_render_intro(text: str, html: str):
    assert render_intro(text) == html


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Data Management", "Data Management"),
        ("  many   spaces\nand\tlines ", "many spaces and lines"),
        ("C++ & <Tools>", "C&#43;&#43; &#38; &#60;Tools&#62;"),
        ("# not a heading #", "&#35; not a heading &#35;"),
        (
            "*em* _u_ `code` [l](x)",
            "&#42;em&#42; &#95;u&#95; &#96;code&#96; &#91;l&#93;&#40;x&#41;",
        ),
        ("a\x02b\x03c", "a\ufffdb\ufffdc"),
    ],
)
def test_escape_markdown(text: str, escaped: str):
    assert escape_markdown(text) == escaped
