"""Page lines -> page lines with directives replaced: tables as stashed, finished HTML (they skip
Markdown's inline processing), `group_by` headings as Markdown (so the TOC sees them)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .directive import (
    DIRECTIVE_NAMES,
    CountOptions,
    Directive,
    TableOptions,
    attribute_names,
    find_directives,
    parse_options,
)
from .errors import Problem
from .render import escape_markdown, render_intro, render_table
from .select import Query, group_by_category, select, sort_column

if TYPE_CHECKING:
    from .model import Catalog

DEFAULT_COLUMNS = ("title", "description", "markers")

#: Stores finished HTML and returns the placeholder text that stands for it in the page.
Stash = Callable[[str], str]


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`did you mean "x"? ` for a close match among `choices`, else nothing."""
    folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f'did you mean "{folded[close[0]]}"? ' if close else ""


def known_columns(catalog: Catalog, columns: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """The configured default `columns` a table can show, and a message for each other one."""
    valid = catalog.table_columns
    unknown = [
        f'unknown column "{column}"; {did_you_mean(column, valid)}columns: {", ".join(valid)}'
        for column in columns
        if column not in valid
    ]
    return tuple(column for column in columns if column in valid), unknown


class DirectiveError(Exception):
    """What is wrong with one directive: becomes a Problem at its line."""


@dataclass
class Injector:
    """Expands directives against one catalog; renders each distinct table once."""

    catalog: Catalog
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    #: Normalized URL -> why the link may be broken (from `seml check --online`'s cache).
    broken: Mapping[str, str] = field(default_factory=dict)
    _tables: dict[tuple[object, ...], str] = field(default_factory=dict, repr=False)

    def expand(
        self,
        lines: Sequence[str],
        page: str,
        stash: Stash,
        lines_before: Callable[[], int] = lambda: 0,
    ) -> tuple[list[str], list[Problem]]:
        """Replace every directive in `lines`; problems name `page` and the line in it.

        `lines_before` counts the file's lines before `lines[0]` (front matter); it is asked
        only when there is a problem, since working it out may mean reading the file.
        """
        output = list(lines)
        problems: list[Problem] = []
        offset: int | None = None
        # Right to left on each line and bottom to top, so earlier positions stay valid.
        for directive in reversed(list(find_directives(lines))):
            try:
                replacement = self._expand_one(directive, stash)
            except DirectiveError as exc:
                offset = lines_before() if offset is None else offset
                problems.append(
                    Problem(
                        "bad-directive",
                        page,
                        f"seml:{directive.name or '?'}: {exc}",
                        line=offset + directive.index + 1,
                    )
                )
                continue
            line = output[directive.index]
            if isinstance(replacement, str):
                output[directive.index] = (
                    line[: directive.start] + replacement + line[directive.end :]
                )
            else:
                output[directive.index : directive.index + 1] = replacement
        problems.reverse()
        return output, problems

    def _expand_one(self, directive: Directive, stash: Stash) -> str | list[str]:
        if directive.name not in DIRECTIVE_NAMES:
            hint = did_you_mean(directive.name, DIRECTIVE_NAMES)
            raise DirectiveError(f"unknown directive; {hint}use seml:table or seml:count")
        if not directive.closed:
            raise DirectiveError("a directive must end with --> on the line it starts on")
        names = [attribute for attribute, _ in directive.attributes]
        if twice := sorted({name for name in names if names.count(name) > 1}):
            raise DirectiveError(f'attribute "{twice[0]}" is given more than once; keep one')
        for attribute, _ in directive.attributes:
            known = attribute_names(directive.name)
            if attribute not in known:
                raise DirectiveError(
                    f'unknown attribute "{attribute}"; {did_you_mean(attribute, known)}'
                    f"valid attributes: {', '.join(known)}"
                )
        options = parse_options(directive)
        if isinstance(options, str):
            raise DirectiveError(options)
        query = self._query(options)
        if not isinstance(options, TableOptions):
            return str(len(select(self.catalog, query)))
        if not directive.alone:
            raise DirectiveError(
                "a table must stand on a line of its own (not in a sentence, a quote or a "
                "table); give it a line, indented as deep as the block it belongs to"
            )
        if options.group_by is None and "heading_level" in names:
            raise DirectiveError('heading_level needs group_by="category"; add it or drop this')
        columns = self._columns(options)
        indent = directive.indent
        if options.group_by != "category":
            return _block(indent, stash(self._table(query, columns)))
        lines: list[str] = []
        marks = "#" * options.heading_level
        for category, links in group_by_category(self.catalog, select(self.catalog, query)):
            key = ("group", category.name, query, columns)
            if key not in self._tables:
                self._tables[key] = _join(
                    render_intro(category.intro), render_table(links, columns, self.broken)
                )
            lines += ["", f"{indent}{marks} {escape_markdown(category.name)}"]
            lines += _block(indent, stash(self._tables[key]))
        return lines

    def _table(self, query: Query, columns: tuple[str, ...]) -> str:
        table_key = ("table", query, columns)
        if table_key not in self._tables:
            self._tables[table_key] = render_table(
                select(self.catalog, query), columns, self.broken
            )
        return self._tables[table_key]

    def _query(self, options: CountOptions) -> Query:
        categories = None
        if options.category is not None:
            names = [c.name for c in self.catalog.categories]
            resolved = []
            for wanted in options.category:
                found = self.catalog.category(wanted)
                if found is None:
                    raise DirectiveError(
                        f'category "{wanted}" matches nothing; {did_you_mean(wanted, names)}'
                        f"categories: {', '.join(names)}"
                    )
                resolved.append(found.name)
            categories = tuple(resolved)
        sort = limit = None
        if isinstance(options, TableOptions):
            limit = options.limit
            if options.sort is not None:
                column, _ = sort_column(options.sort)
                self._check_column(column, "sort")
                sort = options.sort
        return Query(categories, options.must_read, options.scientific, sort, limit)

    def _columns(self, options: TableOptions) -> tuple[str, ...]:
        columns = tuple(options.columns) if options.columns else self.columns
        for column in columns:
            self._check_column(column, "columns")
            if columns.count(column) > 1:
                raise DirectiveError(f'columns: "{column}" is listed twice; keep one')
        return columns

    def _check_column(self, column: str, attribute: str) -> None:
        valid = self.catalog.table_columns
        if column not in valid:
            raise DirectiveError(
                f'{attribute}: unknown column "{column}"; {did_you_mean(column, valid)}'
                f"columns: {', '.join(valid)}"
            )


def _block(indent: str, text: str) -> list[str]:
    """A stand-alone block at the directive's indentation (blank lines keep it a block)."""
    return ["", f"{indent}{text}", ""]


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)
