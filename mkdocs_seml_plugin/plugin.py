"""The MkDocs plugin `seml`: loads the data once per build (reused while unchanged), registers the
Markdown extension, ships the table assets, watches the data in `mkdocs serve`, exports JSON."""

from __future__ import annotations

import functools
import json
from importlib.resources import files as package_files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from .cache import DEFAULT_CACHE, broken_links, read_cache
from .errors import SemlError, display_path
from .inject import DEFAULT_COLUMNS, Injector, known_columns
from .markdown import PageContext, SemlExtension
from .source import CatalogSource, default_categories_path

if TYPE_CHECKING:
    from typing import Literal

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from .model import Catalog

log = get_plugin_logger(__name__)

ASSETS = ("seml.css", "seml.js")
ASSETS_DIR = "assets/seml"


class _ExportPath(BaseConfigOption[str | None]):
    """A `.json` path inside the site, with a default that an explicit `null` turns off."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | None:
        if value is None:
            return None
        path = PurePosixPath(str(value).replace("\\", "/"))
        if (
            not isinstance(value, str)
            or path.is_absolute()
            or ".." in path.parts
            or path.suffix.lower() != ".json"
        ):
            raise ValidationError(
                f"expected a .json file name inside the site, such as links.json, or null; "
                f"got {value!r}"
            )
        return path.as_posix()


class SemlConfig(base.Config):
    links_file = c.Type(str, default="data/links.csv")
    """The data file, relative to mkdocs.yml."""
    categories_file = c.Optional(c.Type(str))
    """Category order and intro texts; default: `categories.yml` beside the links file."""
    columns = c.ListOfItems(c.Type(str), default=list(DEFAULT_COLUMNS))
    """The default columns of every table."""
    assets = c.Type(bool, default=True)
    """Ship the CSS and JavaScript that make tables sortable and filterable."""
    export = _ExportPath("links.json")
    """Write the whole list as JSON to this path in the site; null turns it off."""


class SemlPlugin(BasePlugin[SemlConfig]):
    def __init__(self) -> None:
        self.source: CatalogSource | None = None
        self.injector: Injector | None = None
        self.extension = SemlExtension()
        self.cache_path: Path | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Present so that MkDocs keeps this instance, and its parsed data, across rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path or ".").parent
        links = root / self.config.links_file
        categories = (
            root / self.config.categories_file
            if self.config.categories_file
            else default_categories_path(links)
        )
        if self.source is None or self.source.paths != (links, categories):
            self.source = CatalogSource(links, categories)
        try:
            catalog, problems, fresh = self.source.load()
        except SemlError as exc:
            raise PluginError(str(exc)) from exc
        if fresh:
            log.debug(
                "read %s: %d links in %d categories",
                display_path(links),
                len(catalog.links),
                len(catalog.categories),
            )
        for problem in problems:
            skipped = problem.line is not None and problem.path == display_path(links)
            log.warning("%s (the row is skipped)" if skipped else "%s", problem)
        self.cache_path = root / DEFAULT_CACHE
        broken = self._broken_links(catalog, links)
        columns, unknown = known_columns(catalog, self.config.columns)
        for message in unknown:
            log.warning(
                "%s: seml: columns: %s", display_path(Path(config.config_file_path)), message
            )
        injector = self.injector
        if injector is None or (injector.catalog, injector.columns, injector.broken) != (
            catalog,
            columns,
            broken,
        ):
            injector = self.injector = Injector(catalog, columns, broken)
        # else the same data: keep the injector and the tables it has rendered
        self.extension.attach(injector, lambda problem: log.warning("%s", problem))
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        if self.config.assets:
            config.extra_css.append(f"{ASSETS_DIR}/seml.css")
            config.extra_javascript.append(f"{ASSETS_DIR}/seml.js")
        return config

    def _broken_links(self, catalog: Catalog, links: Path) -> dict[str, str]:
        """What the last `seml check --online` found broken, read from its cache (the build
        makes no request); each such link is a warning."""
        if self.cache_path is None or not self.cache_path.exists():
            return {}
        broken = broken_links(read_cache(self.cache_path))
        for link in catalog.links:
            if link.key in broken:
                where = f"{display_path(links)}:{link.line}"
                log.warning("%s: link may be broken: %s: %s", where, link.url, broken[link.key])
        return broken

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.config.assets:
            folder = package_files(__package__) / "assets"
            for name in ASSETS:
                content = (folder / name).read_text(encoding="utf-8")
                files.append(File.generated(config, f"{ASSETS_DIR}/{name}", content=content))
        if self.config.export and self.injector is not None:
            content = json.dumps(self.injector.catalog.as_dict(), ensure_ascii=False, indent=1)
            files.append(File.generated(config, self.config.export, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Problems name the source file and its line, front matter counted.
        path = page.file.abs_src_path
        self.extension.page = PageContext(
            display_path(Path(path)) if path else page.file.src_uri,
            functools.partial(_lines_before, page, markdown),
        )
        return markdown

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.source is not None:
            for path in (*self.source.paths, self.cache_path):
                if path is not None and path.exists():
                    server.watch(str(path))
        return server


def _lines_before(page: Page, markdown: str) -> int:
    """Lines of the page's file before `markdown`: the front matter MkDocs took off."""
    source = page.file.content_string if not page.file.generated_by else markdown
    return source.count("\n") - markdown.count("\n") if source.endswith(markdown) else 0
