"""Awesome-list README text -> categories and links with their source lines.

The grammar is awesome-lint's list item, `- [Title](url) - Description.`, plus this list's
⭐ (must-read) and 🎓 (scientific) markers wherever they stand after the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import Problem
from .model import Link, normalize_url
from .validate import UrlRegister, url_problem

#: Sections that are about the list, not part of it.
NOT_CATEGORIES = {"contents", "table of contents", "contribute", "contributing", "license"}

_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*[-*+]\s+(?P<body>.*)$")
# [Title](url): one level of nested brackets in the title, balanced parentheses in the URL.
_LINK = re.compile(
    r"^\[(?P<title>(?:[^\[\]]|\[[^\[\]]*\])+)\]"
    r"\((?P<url>(?:[^()\s]|\([^()\s]*\))+)(?:\s+\"[^\"]*\")?\)"
)
_MARKER = re.compile("(?P<marker>\u2b50|\U0001f393)\ufe0f?")
_DESCRIPTION = re.compile(r"^[-\u2013\u2014]\s*(?P<text>.+)$")
_INLINE_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_URL_GUESS = re.compile(r"(?:https?|mailto):[^\s()<>\[\]]+")


@dataclass(frozen=True)
class UpstreamCategory:
    name: str
    intro: str
    line: int


@dataclass
class UpstreamList:
    categories: list[UpstreamCategory] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Normalized URLs seen in malformed items: sync keeps their rows rather than removing them.
    unparsed: set[str] = field(default_factory=set)


def _plain(text: str) -> str:
    """Prose Markdown -> plain text: links become their text, tags go, spaces collapse."""
    text = _INLINE_LINK.sub(lambda m: m["text"], text)
    return " ".join(_HTML_TAG.sub(" ", text).split())


def parse_readme(text: str, path: str) -> UpstreamList:
    """Categories in order, their intro paragraphs, and every well-formed link item.

    Items that look like links but are not well-formed are problems with their line;
    a URL listed twice keeps its first place and the second is a problem.
    """
    result = UpstreamList()
    category: str | None = None
    intro: list[str] = []
    intro_open = False
    urls = UrlRegister(path, "the first item is used")

    def close_intro() -> None:
        nonlocal intro_open
        if intro_open and result.categories:
            last = result.categories[-1]
            result.categories[-1] = UpstreamCategory(last.name, _plain(" ".join(intro)), last.line)
        intro_open = False

    for number, line in enumerate(text.splitlines(), start=1):
        if heading := _HEADING.match(line):
            if len(heading["marks"]) == 2:
                close_intro()
                name = _plain(heading["text"])
                category = None if name.casefold() in NOT_CATEGORIES else name
                if category is not None:
                    result.categories.append(UpstreamCategory(category, "", number))
                    intro, intro_open = [], True
            # `#` (the list's title) and `###` subsections do not start categories.
            continue
        if category is None:
            continue
        item = _ITEM.match(line)
        if item is None:
            if intro_open and line.strip() and line.strip() != "<br>":
                intro.append(line.strip())
            continue
        close_intro()
        body = item["body"].strip()
        if not body:
            continue
        parsed, problem = _parse_item(body, category, number, path)
        if problem is not None:
            result.problems.append(problem)
            if parsed is None and (salvaged := _URL_GUESS.search(body)):
                result.unparsed.add(normalize_url(salvaged.group()))
        if parsed is not None:
            if duplicate := urls.claim(parsed.url, number):
                result.problems.append(duplicate)
            else:
                result.links.append(parsed)
    close_intro()
    return result


def _parse_item(
    body: str, category: str, line: int, path: str
) -> tuple[Link | None, Problem | None]:
    """One list item's text -> a link (none for in-page and relative links, which are not
    resources), and what is wrong with the item, if anything."""
    link = _LINK.match(body)
    if link is None:
        return None, Problem(
            "malformed-item",
            path,
            f"list item is not '[Title](url)': {body[:80]!r}",
            line=line,
            hint="write it as - [Title](https://...) - Description",
        )
    url = link["url"]
    if not urlsplit(url).scheme:
        return None, None  # an in-page anchor or a file of the repository
    if (why := url_problem(url)) is not None:
        hint = "use an absolute http or https URL"
        return None, Problem("bad-url", path, why, line=line, hint=hint)
    rest = body[link.end() :]
    markers = {m["marker"] for m in _MARKER.finditer(rest)}
    rest = _MARKER.sub("", rest).strip()
    description = ""
    problem = None
    if described := _DESCRIPTION.match(rest):
        description = _plain(described["text"])
    elif rest:  # kept as a link without description; the stray text is reported
        problem = Problem(
            "malformed-item",
            path,
            f"unexpected text after the link: {rest[:60]!r} (left out)",
            line=line,
            hint="separate a description with ' - '",
        )
    return Link(
        title=_plain(link["title"]),
        url=url,
        category=category,
        line=line,
        description=description,
        must_read="\u2b50" in markers,
        scientific="\U0001f393" in markers,
    ), problem
