"""Files <-> raw rows: `links.csv` rows with line numbers, `categories.yml` entries.

Also the one atomic write every command uses."""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, SemlError, display_path


@dataclass(frozen=True)
class RawRow:
    """One CSV record and the file line it starts on (a quoted field may span lines)."""

    line: int
    fields: tuple[str, ...]
    #: The record as written, so that a rewrite can leave untouched rows byte for byte.
    text: str = ""


@dataclass(frozen=True)
class RawTable:
    path: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]


@dataclass(frozen=True)
class RawCategory:
    line: int
    name: str
    intro: str


def read_text(path: Path, what: str) -> str:
    """The file's text (UTF-8, BOM dropped, newlines unified), or a SemlError naming it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SemlError(
            Problem("missing-file", display_path(path), f"{what} not found", hint=_hint_for(what))
        ) from exc
    except OSError as exc:
        raise SemlError(
            Problem("unreadable-file", display_path(path), f"cannot read {what}: {exc.strerror}")
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SemlError(
            Problem(
                "bad-encoding",
                display_path(path),
                f"{what} is not UTF-8 (byte {exc.start})",
                line=line,
                hint="save the file as UTF-8",
            )
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WHERE_SET = {
    "links file": "the plugin option links_file, or --data on the command line",
    "categories file": "the plugin option categories_file, or --categories",
}


def encode_like(text: str, original: bytes | None) -> bytes:
    """`text` (as `read_text` gives it: no BOM, `\\n` line ends) as bytes in the style of
    the file it came from: its BOM and CRLF line ends kept."""
    if original is not None and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    bom = original is not None and original.startswith(codecs.BOM_UTF8)
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def _hint_for(what: str) -> str:
    if what in _WHERE_SET:
        return f"create it, or name an existing one ({_WHERE_SET[what]})"
    return "check the path"


def parse_csv(text: str, path: str) -> RawTable:
    """Split CSV text into a header and rows with first-line numbers."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[RawRow] = []
    header: tuple[str, ...] | None = None
    lines = text.split("\n")
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if len(record) <= 1 and not "".join(record).strip():
                continue  # blank line
            if header is None:
                header = tuple(name.strip() for name in record)
                continue
            rows.append(RawRow(start, tuple(record), "\n".join(lines[start - 1 : line - 1])))
    except csv.Error as exc:
        raise SemlError(
            Problem(
                "bad-csv",
                path,
                f"the file is not valid CSV: {exc}",
                line=line,  # where the broken record starts
                hint="quote fields that hold commas, quotes or line breaks",
            )
        ) from exc
    if header is None:
        raise SemlError(
            Problem(
                "empty-file",
                path,
                "the data file is empty",
                hint="start it with the header row: title,url,category",
            )
        )
    return RawTable(path, header, tuple(rows))


def read_csv(path: Path) -> RawTable:
    return parse_csv(read_text(path, "links file"), display_path(path))


def parse_categories(text: str, path: str) -> list[RawCategory]:
    """`categories.yml`: a list of `{name, intro}` mappings, each with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SemlError(
            Problem(
                "bad-yaml",
                path,
                f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                line=mark.line + 1 if mark else None,
                hint="fix the YAML syntax",
            )
        ) from exc
    if root is None:
        return []
    shape_hint = "write a list of entries like '- name: Data Management' with an optional 'intro'"
    if not isinstance(root, yaml.SequenceNode):
        raise SemlError(
            Problem(
                "bad-yaml",
                path,
                "expected a list of categories",
                line=root.start_mark.line + 1,
                hint=shape_hint,
            )
        )
    entries = []
    for node in root.value:
        line = node.start_mark.line + 1
        try:
            value = yaml.SafeLoader(io.StringIO()).construct_object(node, deep=True)
        except yaml.YAMLError as exc:  # e.g. a tag such as `!note` that safe YAML refuses
            problem = getattr(exc, "problem", None) or exc
            raise SemlError(
                Problem("bad-yaml", path, f"not valid YAML: {problem}", line=line, hint=shape_hint)
            ) from exc
        name = value.get("name") if isinstance(value, dict) else None
        if isinstance(name, (int, float)) and not isinstance(name, bool):
            name = str(name)  # `name: 2024` is a name too
        if not isinstance(name, str) or not name.strip():
            raise SemlError(
                Problem("bad-yaml", path, "a category needs a 'name'", line=line, hint=shape_hint)
            )
        intro = value.get("intro") or ""
        entries.append(RawCategory(line, name.strip(), str(intro).strip()))
    return entries


def read_categories(path: Path) -> list[RawCategory]:
    """The categories file, or nothing when there is none (it is optional)."""
    if not path.exists():
        return []
    return parse_categories(read_text(path, "categories file"), display_path(path))


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader sees the old file or the new one."""
    path = path.resolve()  # a symlinked data file is updated where it really is
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600; the file keeps the mode it had
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_categories(entries: list[tuple[str, str]], comment: str) -> str:
    """`categories.yml` text: `comment` lines, then a `{name, intro}` list."""
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    body = [{"name": name, "intro": intro} for name, intro in entries]
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000)


def upstream_intros_path(categories: Path) -> Path:
    """Where `seml sync` keeps what upstream last said about each category."""
    return categories.with_name(f"{categories.stem}.upstream.yml")


def read_upstream_intros(path: Path) -> dict[str, str] | None:
    """Folded category name -> upstream's intro at the last sync; None when unknown."""
    if not path.exists():
        return None
    try:
        entries = parse_categories(read_text(path, "upstream intros file"), str(path))
    except SemlError:
        return None  # a damaged memory only means intros edited or not cannot be told apart
    return {entry.name.casefold(): entry.intro for entry in entries}
