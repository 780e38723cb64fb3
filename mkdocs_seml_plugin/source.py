"""Data files on disk -> Catalog, parsed again only when a file changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Problem, display_path
from .load import read_categories, read_csv
from .validate import build_catalog

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Catalog


def default_categories_path(links_path: Path) -> Path:
    return links_path.with_name("categories.yml")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass
class CatalogSource:
    """The catalog behind a links file and a categories file.

    `load()` raises SemlError when the data are unusable as a whole; row problems come back
    beside the catalog. The result is reused while neither file's mtime and size change.
    """

    links_path: Path
    categories_path: Path
    _stamps: tuple[tuple[int, int] | None, ...] | None = field(default=None, repr=False)
    _result: tuple[Catalog, list[Problem]] | None = field(default=None, repr=False)

    @property
    def paths(self) -> tuple[Path, Path]:
        return self.links_path, self.categories_path

    def load(self) -> tuple[Catalog, list[Problem], bool]:
        """(catalog, problems, fresh): `fresh` is False when the cached parse was reused."""
        stamps = tuple(_stamp(path) for path in self.paths)
        if self._result is not None and stamps == self._stamps:
            return (*self._result, False)
        table = read_csv(self.links_path)
        categories = read_categories(self.categories_path)
        self._result = build_catalog(table, categories, display_path(self.categories_path))
        self._stamps = stamps
        return (*self._result, True)
