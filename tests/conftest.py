"""End-to-end fixtures: small MkDocs sites written from a file-tree literal into tmp_path, built
in-process (to see our log records) or by a `mkdocs` subprocess (to see exit codes and stderr)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

if TYPE_CHECKING:
    from collections.abc import Callable

#: Loggers whose records are ours (the plugin logs through `get_plugin_logger`).
SEML_LOGGER = "mkdocs.plugins.mkdocs_seml_plugin"

#: Header is line 1; the rows are lines 2 to 7. Three categories, in data order: Broad Overviews,
#: Data Management, Tooling (categories.yml lists them the other way round). Titles mix cases
#: so that sorting shows whether it is case-insensitive.
DEFAULT_LINKS = """\
title,url,category,description,must_read,scientific,team_note
Hidden Technical Debt,https://p.example.org/debt.pdf,Broad Overviews,Classic paper,true,true,read it
Rules of ML,https://dev.example.com/rules,Broad Overviews,,false,false,
Data Linter,https://d.example.org/linter,Data Management,Checks data sets,false,true,ask Ana
data Validation,https://d.example.org/validation,Data Management,,TRUE,False,
Zeta Tool,https://t.example.org/zeta,Tooling,A tool,false,false,internal
alpha tool,https://t.example.org/alpha,Tooling,Another tool,,,
"""

DEFAULT_TITLES = (
    "Hidden Technical Debt",
    "Rules of ML",
    "Data Linter",
    "data Validation",
    "Zeta Tool",
    "alpha tool",
)

INTROS = {
    "Tooling": "Tools that make life easier.",
    "Data Management": "How to manage the data sets.",
    "Broad Overviews": "Resources that cover all aspects.",
}

DEFAULT_CATEGORIES = "".join(
    f"- name: {name}\n  intro: {intro}\n" for name, intro in INTROS.items()
)

DEFAULT_MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    {"toc": {"permalink": True}},
    {"pymdownx.tabbed": {"alternate_style": True}},
    "pymdownx.superfences",
]


def mkdocs_yml(seml: dict[str, Any] | None = None, **extra: Any) -> str:
    """The text of a mkdocs.yml: the defaults, `seml` plugin options, other top-level keys."""
    config: dict[str, Any] = {
        "site_name": "t",
        "plugins": [{"seml": seml} if seml is not None else "seml"],
        "markdown_extensions": DEFAULT_MARKDOWN_EXTENSIONS,
    }
    config.update(extra)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


DEFAULTS: dict[str, str] = {
    "mkdocs.yml": mkdocs_yml(),
    "data/links.csv": DEFAULT_LINKS,
    "data/categories.yml": DEFAULT_CATEGORIES,
    "docs/index.md": "# Home\n",
}


def html_main(soup: BeautifulSoup) -> Tag:
    """The page content of the `mkdocs` theme (leaving out its nav, toc and keyboard modal)."""
    main = soup.select_one('div[role="main"]')
    assert main is not None, "no main content in the page"
    return main


def tables(element: Tag) -> list[Tag]:
    return element.select("div.seml-table > table")


def headers(table: Tag) -> list[str]:
    return [th.get_text(strip=True) for th in table.select("thead th")]


def rows(table: Tag) -> list[list[str]]:
    return [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]


def titles(element: Tag) -> list[str]:
    """The link texts of the first column of every seml table in `element`, in order."""
    return [
        tr.find("td").get_text() for table in tables(element) for tr in table.select("tbody tr")
    ]


@dataclass
class Site:
    """A site in a folder; `build()` in-process, `mkdocs()` as a subprocess."""

    root: Path
    caplog: pytest.LogCaptureFixture | None = None
    records: list[logging.LogRecord] = field(default_factory=list)

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")

    def build(self) -> Site:
        """Build in-process (the working directory is the site folder); keep our log records."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        assert self.caplog is not None, "an in-process build needs caplog"
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO), _chdir(self.root):
            config = load_config(config_file=str(self.root / "mkdocs.yml"))
            build(config)
        self.records = [r for r in self.caplog.records if r.name.startswith(SEML_LOGGER)]
        return self

    def mkdocs(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run the `mkdocs` command of this environment in the site folder."""
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"},
            check=False,
        )

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def html(self, page: str = "index.html") -> str:
        return (self.root / "site" / page).read_text(encoding="utf-8")

    def page(self, page: str = "index.html") -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "html.parser")

    def main(self, page: str = "index.html") -> Tag:
        return html_main(self.page(page))


class _chdir:  # like contextlib.chdir, which needs Python 3.11
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.old = Path.cwd()
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.old)


@pytest.fixture
def make_site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Callable[..., Site]:
    """Write a site: the defaults overlaid with `files` (path -> text; None drops a default)."""

    def make(files: dict[str, str | None] | None = None) -> Site:
        tree: dict[str, str | None] = {**DEFAULTS, **(files or {})}
        site = Site(tmp_path, caplog)
        for path, text in tree.items():
            if text is not None:
                site.write(path, text)
        return site

    return make


@pytest.fixture
def build_site(make_site: Callable[..., Site]) -> Callable[..., Site]:
    """Write a site and build it in-process."""

    def build(files: dict[str, str | None] | None = None) -> Site:
        return make_site(files).build()

    return build


@pytest.fixture
def render(build_site: Callable[..., Site]) -> Callable[..., Tag]:
    """Build a one-page site with `markdown` as docs/index.md; return its main content."""

    def render(markdown: str, files: dict[str, str | None] | None = None) -> Tag:
        site = build_site({"docs/index.md": markdown, **(files or {})})
        assert site.warnings == [], site.warnings
        return site.main()

    return render
