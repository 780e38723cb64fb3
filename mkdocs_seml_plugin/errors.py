"""Problems found in data files and pages: values with a place and a hint, and one format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import BuildError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, at a line (and column) where known.

    `kind` is a stable key for tools (`bad-url`, `duplicate`, ...); `hint` says what to do.
    """

    kind: str
    path: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str = ""
    #: The link the problem concerns, where there is one.
    url: str | None = None

    def to_json(self) -> dict[str, object]:
        """The form `--format json` prints: kind, message, and the line where there is one."""
        entry: dict[str, object] = {"kind": self.kind, "message": str(self)}
        if self.line is not None:
            entry["line"] = self.line
        if self.url:
            entry["url"] = self.url
        return entry

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = f"{place}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class SemlError(BuildError):
    """A problem that makes the data unusable as a whole (missing file, no header, bad YAML),
    or any problem when the Markdown extension runs with `strict`.

    A BuildError, so that MkDocs reports it as one clean line, with no traceback, wherever it
    is raised (the extension can run in MkDocs without the plugin).
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def display_path(path: Path) -> str:
    """How messages name a file: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
