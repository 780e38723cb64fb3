"""The Python-Markdown extension: `seml` directives for any Markdown build (Zensical, plain
Python-Markdown). The MkDocs plugin registers this same extension, so both run one code path."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .errors import Problem, SemlError
from .inject import DEFAULT_COLUMNS, Injector, known_columns
from .source import CatalogSource, default_categories_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown import Markdown

log = logging.getLogger("mkdocs_seml_plugin")

#: After whitespace normalisation (30) and snippets (32), before fenced code (25) and
#: raw HTML blocks (20) would swallow the directive comments.
PRIORITY = 28

# Loaded data per (links, categories, columns), shared by every Markdown instance of the
# process: a build that makes one instance per page parses the data once.
_injectors: dict[tuple[Path, Path, tuple[str, ...]], tuple[CatalogSource, Injector | None]] = {}


@dataclass(frozen=True)
class PageContext:
    """The page being converted: how problems name it, and how many lines of its file come
    before the Markdown that Python-Markdown sees (front matter)."""

    path: str = "<markdown>"
    lines_before: Callable[[], int] = lambda: 0


class SemlPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: SemlExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        injector = self.extension.injector()
        if injector is None:
            return lines
        page = self.extension.page
        stash = self.md.htmlStash.store
        expanded, problems = injector.expand(lines, page.path, stash, page.lines_before)
        for problem in problems:
            self.extension.report(problem)
        return expanded


class SemlExtension(Extension):
    """Options: `links_file`, `categories_file`, `columns`, `strict`."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "links_file": ["data/links.csv", "The data file, relative to the working directory."],
            "categories_file": ["", "Category order and intros; default: beside links_file."],
            "columns": [list(DEFAULT_COLUMNS), "Default columns of every table."],
            "strict": [False, "Raise on problems instead of logging them."],
        }
        super().__init__(**kwargs)
        #: The page being converted, set by the MkDocs plugin before each page.
        self.page = PageContext()
        self._plugin_injector: Injector | None = None
        self._plugin_report: Callable[[Problem], None] | None = None

    def attach(self, injector: Injector, report: Callable[[Problem], None]) -> None:
        """Used by the MkDocs plugin: data loaded by the plugin, problems to its logger."""
        self._plugin_injector, self._plugin_report = injector, report

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(SemlPreprocessor(md, self), "seml", PRIORITY)

    def report(self, problem: Problem) -> None:
        if self._plugin_report is not None:
            self._plugin_report(problem)
        elif self.getConfig("strict"):
            raise SemlError(problem)
        else:
            log.warning("%s (data: %s)", problem, self.getConfig("links_file"))

    def injector(self) -> Injector | None:
        if self._plugin_injector is not None:
            return self._plugin_injector
        links = Path(self.getConfig("links_file"))
        categories = Path(self.getConfig("categories_file") or default_categories_path(links))
        columns = self.getConfig("columns")
        if isinstance(columns, str):  # `columns = "title,markers"`, as TOML or YAML may give it
            columns = [name.strip() for name in columns.split(",") if name.strip()]
        columns = tuple(columns)
        key = (links.resolve(), categories.resolve(), columns)
        source, injector = _injectors.get(key, (CatalogSource(links, categories), None))
        try:
            catalog, problems, fresh = source.load()
        except SemlError as exc:
            if self.getConfig("strict"):
                raise
            log.error("%s", exc)
            return None
        if self.getConfig("strict") and problems:
            raise SemlError(problems[0])
        if fresh or injector is None:
            for problem in problems:  # once per parse, not once per page
                self.report(problem)
            known, unknown = known_columns(catalog, columns)
            for message in unknown:
                self.report(Problem("bad-option", "seml extension", f"columns: {message}"))
            injector = Injector(catalog, known)
        _injectors[key] = (source, injector)
        return injector


def makeExtension(**kwargs: Any) -> SemlExtension:
    return SemlExtension(**kwargs)
