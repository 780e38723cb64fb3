"""Links -> HTML. All escaping of data text lives here, and only here."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from .model import MARKERS, Link

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# C0 controls (bar tab) would survive html.escape; STX/ETX would even be read back as
# Python-Markdown stash placeholders. Shown as U+FFFD instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters Markdown gives meaning to at any place in a line of heading text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~=:^$&\"'])")

MARKER_LABELS = {"must_read": ("⭐", "Must-read"), "scientific": ("🎓", "Scientific publication")}
COLUMN_LABELS = {"url": "URL", MARKERS: "Markers"}


def escape(text: str) -> str:
    """Plain text -> HTML text, safe in element content and in double-quoted attributes."""
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def escape_markdown(text: str) -> str:
    """Plain text -> Markdown inline text that renders as exactly that text."""
    text = _CONTROL.sub("\ufffd", " ".join(text.split()))
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", text)


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column) or column.replace("_", " ").strip().capitalize()


def render_markers(link: Link) -> str:
    badges = [
        f'<span class="seml-marker seml-{flag.replace("_", "-")}" role="img" '
        f'aria-label="{label}" title="{label}">{symbol}</span>'
        for flag, (symbol, label) in MARKER_LABELS.items()
        if getattr(link, flag)
    ]
    return " ".join(badges)


def render_broken(warning: str) -> str:
    """The mark of a link that the last `seml check --online` could not reach."""
    return (
        '<span class="seml-broken" role="img" aria-label="Link may be broken" '
        f'title="Link may be broken: {escape(warning)}">⚠️</span>'
    )


def render_cell(link: Link, column: str, warning: str | None = None) -> str:
    if column == "title":
        anchor = f'<a href="{escape(link.url)}" rel="noopener">{escape(link.title)}</a>'
        return f"{anchor} {render_broken(warning)}" if warning else anchor
    if column == "url":
        return f'<a href="{escape(link.url)}" rel="noopener">{escape(link.url)}</a>'
    if column == MARKERS:
        return render_markers(link)
    return escape(link.value(column))


def render_table(
    links: Sequence[Link], columns: Sequence[str], broken: Mapping[str, str] | None = None
) -> str:
    """A table of `links` with the given columns; a short note when there are none.

    `broken` maps normalized URLs to why the link may be broken (from the check cache).
    """
    broken = broken or {}
    if not links:
        return '<p class="seml-empty"><em>No links match.</em></p>'
    head = "".join(
        f'<th scope="col" data-seml-column="{escape(column)}">{escape(column_label(column))}</th>'
        for column in columns
    )
    body = "\n".join(
        "<tr>"
        + "".join(f"<td>{render_cell(link, c, broken.get(link.key))}</td>" for c in columns)
        + "</tr>"
        for link in links
    )
    return (
        f'<div class="seml-table">\n<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )


def render_intro(text: str) -> str:
    return f'<p class="seml-intro">{escape(text)}</p>' if text else ""
