"""Properties of the escaping: no data text can change the HTML structure or get lost.

Each property is checked on the renderer alone and through a real Python-Markdown conversion
(where `\\x02...\\x03` in data text would be read back as stash placeholders)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mkdocs_seml_plugin.inject import Injector
from mkdocs_seml_plugin.markdown import SemlExtension
from mkdocs_seml_plugin.model import Catalog, Category, Link
from mkdocs_seml_plugin.render import escape_markdown, render_table

COLUMNS = ("title", "description", "url", "markers")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Pieces that have a meaning to HTML, Markdown, Python-Markdown's stash or a table.
TRICKY = [
    "<script>alert(1)</script>",
    "</td></tr></table>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#60;",
    "&lt;",
    "&",
    '"',
    "'",
    "`",
    "``",
    "|",
    "*",
    "**",
    "_",
    "#",
    "## ",
    "[x](javascript:alert(1))",
    "<https://example.org>",
    "\\",
    "{: .cls }",
    "[^1]",
    "\x02wzxhzdk:0\x03",
    "\x02klzzwxh:0\x03",
    "\x02amp\x03",
    "\x02",
    "\x03",
    "\x00",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "  \n",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\xa0",
    "\ufffd",
    "⭐🎓",
]
hostile_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.text(max_size=3), st.sampled_from(TRICKY)), max_size=8).map("".join),
)
# Validation rejects quotes, spaces, < and > in URLs; the renderer must be safe without it.
url_text = st.text(
    alphabet=st.sampled_from("abcXYZ019-._~%!$&()*+,;=:@/?#[] \"'<>"), max_size=30
).map(lambda tail: "https://example.org/" + tail)


def expected_text(text: str) -> str:
    """What a reader sees of plain text in HTML: controls (bar tab and newline) as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def collapsed_text(text: str) -> str:
    """What a reader sees of heading text: whitespace runs as one space, controls as U+FFFD."""
    return _CONTROL.sub("\ufffd", " ".join(text.split()))


class Structure(HTMLParser):
    """The tag structure of a document: tags and attribute names, and anything else that is
    markup (comments, declarations, processing instructions); also the text of each cell and
    every href, exactly as parsed (BeautifulSoup would collapse whitespace-only strings)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []
        self.cells: list[str] = []
        self.hrefs: list[str | None] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *(name for name, _ in attrs)))
        if tag == "td":
            self.cells.append("")
            self._in_cell = True
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", tag, *(name for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        if tag == "td":
            self._in_cell = False

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment",))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("decl",))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("decl",))

    def handle_pi(self, data: str) -> None:
        self.events.append(("pi",))


def parse(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    return parser


def structure(html: str) -> list[tuple[str, ...]]:
    return parse(html).events


def link_of(title: str, description: str, url: str, flags: tuple[bool, bool]) -> Link:
    return Link(
        title=title,
        url=url,
        category="Cat",
        line=2,
        description=description,
        must_read=flags[0],
        scientific=flags[1],
    )


def check_table(html: str, link: Link, plain_html: str) -> None:
    assert "\x02" not in html
    assert "\x03" not in html
    parsed = parse(html)
    assert parsed.events == structure(plain_html)
    title, description, url, _ = parsed.cells
    assert title == expected_text(link.title)
    assert description == expected_text(link.description)
    assert url == link.url
    assert parsed.hrefs == [link.url, link.url]


flags = st.tuples(st.booleans(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(title=hostile_text, description=hostile_text, url=url_text, flags=flags)
@example(
    title="\x02wzxhzdk:0\x03",
    description="<b>&amp;</b>",
    url="https://example.org/",
    flags=(True, True),
)
def test_render_table_structure_does_not_depend_on_text(
    title: str, description: str, url: str, flags: tuple[bool, bool]
):
    link = link_of(title, description, url, flags)
    plain = render_table([link_of("x", "y", url, flags)], COLUMNS)
    check_table(render_table([link], COLUMNS), link, plain)


def convert(catalog: Catalog, page: str) -> str:
    extension = SemlExtension()
    problems: list[object] = []
    extension.attach(Injector(catalog, COLUMNS), problems.append)
    html = markdown.markdown(page, extensions=[extension])
    assert problems == []
    return html


@settings(max_examples=150, deadline=None)
@given(title=hostile_text, description=hostile_text, url=url_text, flags=flags)
@example(
    title="\x02wzxhzdk:0\x03",
    description="\x02klzzwxh:0\x03",
    url="https://example.org/",
    flags=(False, False),
)
@example(
    title="a\x02amp\x03b",
    description="&amp; `x` **y**",
    url="https://example.org/?a=1&b=2",
    flags=(True, False),
)
def test_table_through_python_markdown(
    title: str, description: str, url: str, flags: tuple[bool, bool]
):
    link = link_of(title, description, url, flags)
    catalog = Catalog((link,), (Category("Cat"),), ("title", "url", "category", "description"))
    html = convert(catalog, "Before.\n\n<!-- seml:table -->\n\nAfter.\n")
    plain = render_table([link_of("x", "y", url, flags)], COLUMNS)
    expected_structure = [
        ("start", "p"),
        ("end", "p"),
        *structure(plain),
        ("start", "p"),
        ("end", "p"),
    ]
    assert structure(html) == expected_structure
    check_table(html, link, f"<p></p>{plain}<p></p>")


@settings(max_examples=300, deadline=None)
@given(text=hostile_text)
@example(text="# closing hashes ##")
@example(text="\x02wzxhzdk:0\x03")
@example(text="a &amp; b &#60; c")
@example(text="   ")
def test_escape_markdown_heading_round_trips(text: str):
    html = markdown.markdown("## " + escape_markdown(text))
    parsed = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in parsed.find_all(True)] == ["h2"]
    assert parsed.h2.get_text() == collapsed_text(text)
    assert structure(html) == [("start", "h2"), ("end", "h2")]


@settings(max_examples=100, deadline=None)
@given(name=hostile_text.filter(lambda name: name.strip()))
@example(name="C++ & <Co> #1")
def test_group_by_heading_round_trips_through_python_markdown(name: str):
    link = Link(title="T", url="https://example.org/", category=name, line=2)
    catalog = Catalog(
        (link,), (Category(name, "Intro <b>text</b>"),), ("title", "url", "category", "description")
    )
    html = convert(catalog, '<!-- seml:table group_by="category" -->\n')
    parsed = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in parsed.find_all(re.compile(r"^h\d$"))] == [collapsed_text(name)]
    assert parsed.h2 is not None
    assert len(parsed.find_all("table")) == 1
    assert parsed.select_one("p.seml-intro").get_text() == "Intro <b>text</b>"
