"""Find `<!-- seml:... -->` directives in page lines, skipping code, and validate their attributes
with MkDocs' own config machinery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

DIRECTIVE_NAMES = ("table", "count")

# A directive, or the start of one that does not close on its line (`close` empty then).
_DIRECTIVE = re.compile(r"<!--\s*seml:(?P<name>(?:\w+(?:-\w+)*)?)(?P<attrs>.*?)(?P<close>-->|$)")
_ATTRIBUTE = re.compile(r'\s*(?P<key>[A-Za-z_][\w-]*)\s*=\s*"(?P<value>[^"]*)"')
_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})")
# An opening fence as Python-Markdown and SuperFences read it: the fence, then at most a
# language or `{attributes}` and `key="value"` options.
_FENCE_OPENER = re.compile(
    r"(?P<fence>`{3,}|~{3,})[ ]*"
    r"(?:\{[^}\n]*\}|\.?[\w#.+-]*(?:[ ]+[\w-]+(?:=(?:\"[^\"]*\"|\S+))?)*)[ ]*$"
)
# Block openers whose content is indented by four more spaces: admonitions and details
# (`!!!`, `???`), content tabs (`===`), list items, footnotes and definitions.
_CONTAINER = re.compile(
    r"(?:!!!|\?\?\?\+?|===[!+]*|[-*+](?=\s)|\d+[.)](?=\s)|\[\^[^\]]+\]:|:(?=\s))"
)
_BACKTICKS = re.compile(r"`+")
# One-line blocks: after them an indented line starts code even without a blank line between.
_ONE_LINE_BLOCK = re.compile(r"#{1,6}(?:\s|$)|(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
TAB_LENGTH = 4


@dataclass(frozen=True)
class Directive:
    """One directive as written: where it is and its raw attributes."""

    name: str
    attributes: tuple[tuple[str, str], ...]
    index: int  # 0-based line index in the text scanned
    start: int  # span within that line
    end: int
    indent: str
    alone: bool  # nothing else on its line
    leftover: str  # attribute text that is not `key="value"`
    closed: bool = True  # False: the comment does not end on this line


def code_lines(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it lies in a fenced or indented code block.

    Tracks the indentation of containers (admonitions, tabs, list items) the way
    Python-Markdown does: content is indented one tab stop per level, and a block
    indented a further tab stop after a blank line is code.
    """
    result: list[bool] = []
    fence: tuple[str, int] | None = None
    containers = [0]
    indented_code = False
    after_blank = True
    for line in lines:
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        if fence is not None:
            match = _FENCE.match(text)
            closes = match and match["fence"][0] == fence[0] and len(match["fence"]) >= fence[1]
            if match and closes and not text[match.end() :].strip():
                fence = None
                after_blank = True
            result.append(True)
            continue
        if not text.strip():
            after_blank = True
            result.append(indented_code)
            continue
        if after_blank:
            while len(containers) > 1 and indent < containers[-1]:
                containers.pop()
        top = containers[-1]
        if indented_code and indent >= top + TAB_LENGTH:
            result.append(True)
            after_blank = False
            continue
        indented_code = after_blank and indent >= top + TAB_LENGTH
        after_blank = False
        if indented_code:
            result.append(True)
            continue
        if match := _FENCE_OPENER.match(text):
            fence = (match["fence"][0], len(match["fence"]))
            result.append(True)
            continue
        if _ONE_LINE_BLOCK.match(text):
            after_blank = True
        elif _CONTAINER.match(text):
            while len(containers) > 1 and containers[-1] > indent:
                containers.pop()
            containers.append(indent + TAB_LENGTH)
        result.append(False)
    return result


def code_spans(line: str) -> list[tuple[int, int]]:
    """Spans of inline code (`` `...` ``) in one line."""
    spans = []
    position = 0
    while match := _BACKTICKS.search(line, position):
        closing = re.compile(rf"(?<!`){match.group()}(?!`)")
        end = closing.search(line, match.end())
        if end is None:
            position = match.end()
            continue
        spans.append((match.start(), end.end()))
        position = end.end()
    return spans


def find_directives(lines: Sequence[str]) -> Iterator[Directive]:
    """Every directive outside code, in order."""
    for index, (line, is_code) in enumerate(zip(lines, code_lines(lines), strict=True)):
        if is_code or "seml:" not in line:
            continue
        spans = code_spans(line)
        for match in _DIRECTIVE.finditer(line):
            if any(start <= match.start() < end for start, end in spans):
                continue
            attributes = []
            position = 0
            raw = match["attrs"]
            while attr := _ATTRIBUTE.match(raw, position):
                attributes.append((attr["key"], attr["value"]))
                position = attr.end()
            yield Directive(
                name=match["name"],
                attributes=tuple(attributes),
                index=index,
                start=match.start(),
                end=match.end(),
                indent=line[: len(line) - len(line.lstrip())],
                alone=not (line[: match.start()].strip() or line[match.end() :].strip()),
                leftover=raw[position:].strip(),
                closed=bool(match["close"]),
            )


# Attribute values arrive as text; these options turn them into values or say why not.


class _Boolean(BaseConfigOption[bool]):
    def run_validation(self, value: object) -> bool:
        text = str(value).strip().lower()
        if text not in ("true", "false"):
            raise ValidationError(f"expected true or false, got {value!r}")
        return text == "true"


class _Names(BaseConfigOption[list[str]]):
    """A comma-separated list of names."""

    def run_validation(self, value: object) -> list[str]:
        names = [name.strip() for name in str(value).split(",") if name.strip()]
        if not names:
            raise ValidationError("expected one or more comma-separated names")
        return names


class _Integer(BaseConfigOption[int]):
    def __init__(self, minimum: int, maximum: int | None = None, default: int | None = None):
        super().__init__()
        self.minimum, self.maximum, self.default = minimum, maximum, default

    def run_validation(self, value: object) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(f"expected a whole number, got {value!r}") from None
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            top = f" to {self.maximum}" if self.maximum is not None else " or more"
            raise ValidationError(f"expected {self.minimum}{top}, got {number}")
        return number


class CountOptions(base.Config):
    """The filters both directives take."""

    category = c.Optional(_Names())
    """One category or a comma-separated list, matched case-insensitively."""
    must_read = c.Optional(_Boolean())
    """Only links with (true) or without (false) the must-read marker."""
    scientific = c.Optional(_Boolean())
    """Only scientific publications (true) or only other links (false)."""


class TableOptions(CountOptions):
    columns = c.Optional(_Names())
    """Columns to show, in order; default: the plugin's `columns` option."""
    sort = c.Optional(c.Type(str))
    """A column to sort by, `-name` for descending."""
    limit = c.Optional(_Integer(minimum=1))
    """At most this many rows."""
    group_by = c.Optional(c.Choice(("category",)))
    """`category`: a heading, the intro text and a table per category."""
    heading_level = _Integer(minimum=1, maximum=6, default=2)
    """The level of the `group_by` headings."""


OPTIONS: dict[str, type[CountOptions]] = {"table": TableOptions, "count": CountOptions}


def attribute_names(name: str) -> list[str]:
    return [key for key, _ in OPTIONS[name]._schema]


def parse_options(directive: Directive) -> CountOptions | str:
    """The directive's attributes as validated options, or what is wrong with them.

    The directive name must be one of DIRECTIVE_NAMES.
    """
    if directive.leftover:
        return (
            f"cannot read the attributes {directive.leftover!r}; "
            'write them as name="value", separated by spaces'
        )
    options = OPTIONS[directive.name]()
    options.load_dict(dict(directive.attributes))
    failed, _ = options.validate()
    if failed:
        key, error = failed[0]
        return f'attribute {key}="{options.get(key)}": {error}'
    return options
