"""`seml sync` and `seml check`: arguments, reading and writing files, printing, exit codes.
The work itself is done by the core (upstream, sync, lint, linkcheck)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import __version__
from .cache import DEFAULT_CACHE
from .check import run_check
from .errors import SemlError, display_path
from .load import (
    RawTable,
    dump_categories,
    encode_like,
    parse_csv,
    read_categories,
    read_text,
    read_upstream_intros,
    upstream_intros_path,
    write_atomic,
)
from .model import KNOWN_COLUMNS
from .remote import DEFAULT_README, fetch_text
from .source import default_categories_path
from .sync import ACTIONS, Change, SyncResult, merge_flat, merge_readme, parse_flat, render_csv
from .upstream import parse_readme
from .validate import check_header

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED = 0, 1, 2
CATEGORIES_COMMENT = (
    "Category order and intro texts (the paragraph under each upstream heading).\n"
    "Written by `seml sync`; edit by hand as you like: your intros are kept."
)
UPSTREAM_INTROS_COMMENT = (
    "What upstream said about each category at the last `seml sync`: it tells the intros\n"
    "you edited in categories.yml (kept) from those you did not (they follow upstream)."
)
DEFAULT_DATA = "data/links.csv"


class Refused(Exception):
    """Bad usage or input: say why, write nothing, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (SemlError, Refused) as exc:
        print(f"seml: {exc}", file=sys.stderr)
        if args.format == "json":  # one JSON object on stdout, whatever happened
            problem = exc.problem.to_json() if isinstance(exc, SemlError) else None
            print(json.dumps({"error": str(exc), "problem": problem}, ensure_ascii=False))
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("seml: interrupted; nothing was written", file=sys.stderr)
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seml", description="Keep the SE-ML reading list of a handbook in sync and healthy."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    sync = commands.add_parser(
        "sync",
        help="update the data file from the upstream README or a seed-format CSV",
        description="Update the data file from an awesome-list README (path or URL) "
        "or a flat seed-format CSV (url, title, source, list name).",
    )
    sync.add_argument(
        "source", nargs="?", default=DEFAULT_README, metavar="SOURCE", help="README path or URL"
    )
    _data_options(sync)
    sync.add_argument("--dry-run", action="store_true", help="report, but write nothing")
    sync.add_argument("--prune", action="store_true", help="also remove your rows upstream lacks")
    sync.add_argument("--timeout", type=seconds, default=30.0, metavar="S", help="to fetch a URL")
    sync.set_defaults(run=run_sync)

    check = commands.add_parser(
        "check",
        help="lint the data; with --online also check every link",
        description="Lint the data file; with --online also check every URL, concurrently, "
        "with timeouts, retries and a results cache.",
    )
    _data_options(check)
    check.add_argument("--online", action="store_true", help="also check every URL")
    option = check.add_argument
    option("--timeout", type=seconds, default=10.0, metavar="S", help="per request (10)")
    option("--concurrency", type=count, default=20, metavar="N", help="requests at once (20)")
    option("--per-host", type=count, default=4, metavar="N", help="at once per host (4)")
    option("--deadline", type=seconds, default=300.0, metavar="S", help="for all (300)")
    option("--retries", type=int, default=2, metavar="N", help="on 429 and 5xx (2)")
    option("--cache", type=Path, default=DEFAULT_CACHE, metavar="PATH", help="results cache")
    option("--ttl", type=age, default=86400.0, metavar="S", help="a result stays fresh (86400)")
    check.set_defaults(run=run_check)
    return parser


def _data_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--data", type=Path, default=Path(DEFAULT_DATA), metavar="PATH", help="the links file"
    )
    command.add_argument(
        "--categories", type=Path, metavar="PATH", help="default: categories.yml beside --data"
    )
    command.add_argument("--format", choices=("text", "json"), default="text")


def seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def age(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def today() -> str:
    """The UTC date, or SOURCE_DATE_EPOCH's where set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.timezone.utc).date().isoformat()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    except (ValueError, OverflowError, OSError) as exc:
        raise Refused(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; unset it or fix it"
        ) from exc


# sync


def _read_source(source: str, timeout: float) -> str:
    if source.startswith(("https://", "http://")):
        return fetch_text(source, timeout=timeout)
    if "://" in source:
        raise Refused(f"{source}: only http and https URLs can be fetched")
    return read_text(Path(source), "source")


def _read_data(path: Path) -> tuple[RawTable, bytes | None]:
    """The data table (empty with the standard header when the file does not exist yet),
    and the file's bytes as they were."""
    if not path.exists():
        return RawTable(display_path(path), KNOWN_COLUMNS, ()), None
    table = parse_csv(read_text(path, "links file"), display_path(path))
    check_header(table)
    return table, path.read_bytes()


def run_sync(args: argparse.Namespace) -> int:
    data: Path = args.data
    categories_path: Path = args.categories or default_categories_path(data)
    text = _read_source(args.source, args.timeout)
    table, old_bytes = _read_data(data)
    categories = read_categories(categories_path)
    if _is_flat_csv(args.source, text):
        flat, report = parse_flat(text, args.source)
        if not flat:
            raise Refused(f"{args.source}: no rows could be read; nothing written")
        result = merge_flat(table, flat, report, today())
    else:
        upstream = parse_readme(text, _source_name(args.source))
        if not upstream.links:
            raise Refused(
                f"{args.source}: no resources found (is it the list's README?); nothing written"
            )
        last = read_upstream_intros(upstream_intros_path(categories_path))
        result = merge_readme(table, categories, upstream, today(), args.prune, last)
    written = [] if args.dry_run else _write(result, table, old_bytes, data, categories_path)
    _print_sync(result, args.format, written, args.dry_run)
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def _source_name(source: str) -> str:
    return source if "://" in source else display_path(Path(source))


def _is_flat_csv(source: str, text: str) -> bool:
    if source.lower().endswith(".csv"):
        return True
    first = text.lstrip().split("\n", 1)[0]
    return first.startswith(("http://", "https://")) and first.count(",") >= 3


def _write(
    result: SyncResult, table: RawTable, old_bytes: bytes | None, data: Path, categories: Path
) -> list[str]:
    """Write what changed, each file atomically with its old version kept as `.bak`; the
    paths written. The links file comes last, so that a failure before it leaves the data
    as they were; a failure after some files were written says which."""
    changed = list(_changed_files(result, table, old_bytes, data, categories))
    written: list[str] = []
    for path, content, backup in changed:
        try:
            if backup:
                _backup_and_write(path, content)
            else:
                write_atomic(path, content.decode("utf-8"))
        except OSError as exc:
            done = f"already written: {', '.join(written)}" if written else "nothing was written"
            raise Refused(
                f"{display_path(path)}: could not write: {exc.strerror or exc}; {done}"
            ) from exc
        written.append(display_path(path))
    return written


def _changed_files(
    result: SyncResult, table: RawTable, old_bytes: bytes | None, data: Path, categories: Path
) -> list[tuple[Path, bytes, bool]]:
    """(path, new content, keep a backup) of every file the sync changes, links file last."""
    files = []
    if result.upstream_intros is not None:
        memory = upstream_intros_path(categories)
        text = dump_categories(result.upstream_intros, UPSTREAM_INTROS_COMMENT)
        if not memory.exists() or memory.read_text(encoding="utf-8") != text:
            files.append((memory, text.encode("utf-8"), False))
    if result.categories is not None:
        yml = dump_categories(result.categories, CATEGORIES_COMMENT)
        old = categories.read_text(encoding="utf-8") if categories.exists() else None
        if old is None or yaml.safe_load(old) != yaml.safe_load(yml):
            files.append((categories, yml.encode("utf-8"), True))
    new_bytes = encode_like(render_csv(result, table.header), old_bytes)
    if new_bytes != old_bytes:
        files.append((data, new_bytes, True))
    return files


def _backup_and_write(path: Path, content: bytes) -> None:
    """Keep the file as it was in `NAME.bak`, then write the new content atomically."""
    path = path.resolve()  # beside a symlink's target, where write_atomic writes
    if path.exists():
        shutil.copy2(path, _backup(path))
    write_atomic(path, content.decode("utf-8"))


def _backup(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _change_json(change: Change) -> dict[str, Any]:
    entry: dict[str, Any] = {"title": change.title, "url": change.url, "category": change.category}
    if change.old_category:
        entry["from"] = change.old_category
    if change.fields:
        entry["fields"] = {name: {"old": old, "new": new} for name, old, new in change.fields}
    if change.action == "renamed":
        links = [{"title": title, "url": url} for title, url in change.links]
        entry = {"from": change.old_category, "to": change.category, "count": change.count}
        entry["links"] = links
    return entry


def _print_sync(result: SyncResult, fmt: str, written: list[str], dry_run: bool) -> None:
    counts = {action: len(result.of(action)) for action in ACTIONS}
    if fmt == "json":
        report: dict[str, Any] = {
            action: [_change_json(c) for c in result.of(action)] for action in counts
        }
        report["problems"] = [p.to_json() for p in result.problems]
        report["notes"] = result.notes
        report["written"] = written
        report["dry_run"] = dry_run
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for change in result.changes:
        print(_change_text(change))
    for note in result.notes:
        print(f"note     {note}")
    for problem in result.problems:
        print(f"problem  {problem}")
    summary = ", ".join(f"{n} {action}" for action, n in counts.items())
    summary += f", {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}"
    if dry_run:
        summary += " (dry run: nothing written)"
    elif written:
        backups = [name + ".bak" for name in written if Path(name + ".bak").exists()]
        summary += f" (written: {', '.join(written)}"
        summary += f"; the files before: {', '.join(backups)})" if backups else ")"
    else:
        summary += " (nothing to write)"
    print(summary)


def _change_text(change: Change) -> str:
    what = f'"{change.title}"'
    if change.action == "renamed":
        old, new, count = change.old_category, change.category, change.count
        return f'renamed  category "{old}" -> "{new}" ({count} links)'
    if change.action == "moved":
        return f'moved    {what}: "{change.old_category}" -> "{change.category}"'
    if change.action == "changed":
        fields = "; ".join(f"{name} {old!r} -> {new!r}" for name, old, new in change.fields)
        return f"changed  {what} in {change.category}: {fields}"
    if change.action == "kept":
        return f"kept     {what} in {change.category}: {change.reason}"
    return f"{change.action:<8} {what} in {change.category} <{change.url}>"
