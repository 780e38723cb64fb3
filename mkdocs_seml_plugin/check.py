"""`seml check`: lint the data, and with `--online` check every link (cached); the report."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from .cache import LinkResult, fresh, read_cache, write_cache
from .errors import Problem, display_path
from .linkcheck import CheckSettings, check_urls
from .lint import lint
from .load import read_categories, read_csv
from .model import normalize_url
from .source import default_categories_path
from .validate import check_header, check_row

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    from .load import RawTable


def _targets(table: RawTable) -> dict[str, tuple[int, str]]:
    """Checkable URLs (http and https of valid rows): normalized key -> (line, url)."""
    targets: dict[str, tuple[int, str]] = {}
    for row in table.rows:
        if check_row(row, table.header, table.path):
            continue
        url = dict(zip(table.header, row.fields, strict=True))["url"].strip()
        if url.lower().startswith(("http://", "https://")):
            targets.setdefault(normalize_url(url), (row.line, url))
    return targets


def run_check(args: argparse.Namespace) -> int:
    table = read_csv(args.data)
    check_header(table)
    categories_path: Path = args.categories or default_categories_path(args.data)
    categories = read_categories(categories_path) if categories_path.exists() else None
    problems: list[dict[str, Any]] = [
        p.to_json() for p in lint(table, categories, display_path(categories_path))
    ]
    notes: list[dict[str, Any]] = []
    summary: dict[str, int] = {}
    if args.online:
        targets = _targets(table)
        settings = CheckSettings(
            timeout=args.timeout,
            concurrency=args.concurrency,
            per_host=args.per_host,
            deadline=args.deadline,
            retries=args.retries,
        )
        cached = read_cache(args.cache)
        now = time.time()
        stale = [
            url
            for key, (_, url) in targets.items()
            if key not in cached or not fresh(cached[key], args.ttl, now)
        ]
        progress = _progress_bar() if sys.stderr.isatty() and args.format == "text" else None
        checked = asyncio.run(check_urls(stale, settings, progress))
        if progress is not None and len(checked) > sum(r.checked > 0 for r in checked.values()):
            print(file=sys.stderr)  # the deadline cut the bar short: end its line
        results = {key: cached[key] for key in targets if key in cached}
        results.update({normalize_url(url): result for url, result in checked.items()})
        # Only what was checked is kept: links gone from the data and links the deadline
        # left unchecked are not.
        try:
            write_cache(args.cache, {key: r for key, r in results.items() if r.checked})
        except OSError as exc:  # the report still stands; only the next run loses the cache
            print(f"seml: {args.cache}: results not cached: {exc.strerror or exc}", file=sys.stderr)
        summary = {"checked": len(stale), "cached": len(targets) - len(stale)}
        for key, (line, url) in targets.items():
            result = results[key]
            entry = _result_json(result, display_path(args.data), line, url)
            if result.problem:
                problems.append(entry)
            elif result.status == "redirected" and result.permanent:
                notes.append(entry)
            summary[result.status] = summary.get(result.status, 0) + 1
    _print_check(problems, notes, summary, args.format)
    return 1 if problems else 0


def _result_json(result: LinkResult, path: str, line: int, url: str) -> dict[str, Any]:
    """A link's result as a problem or note entry, worded by the one Problem format."""
    if result.moved_to and not result.problem:
        found = Problem(
            result.status,
            path,
            f"{url} has moved for good to {result.moved_to}",
            line=line,
            hint="update the URL",
            url=url,
        )
    else:
        found = Problem(result.status, path, f"{url}: {result.message}", line=line, url=url)
    entry: dict[str, Any] = found.to_json()
    if result.code is not None:
        entry["status"] = result.code
    if result.final_url and result.final_url != url:
        entry["final_url"] = result.final_url
    if result.moved_to:
        entry["suggestion"] = result.moved_to
    return entry


def _progress_bar() -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        print(
            f"\rchecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def _print_check(
    problems: list[dict[str, Any]], notes: list[dict[str, Any]], summary: dict[str, int], fmt: str
) -> None:
    if fmt == "json":
        print(
            json.dumps(
                {"problems": problems, "notes": notes, "summary": summary},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for entries in (problems, notes):
        kinds = sorted({e["kind"] for e in entries})
        for kind in kinds:
            group = [e for e in entries if e["kind"] == kind]
            print(f"{kind} ({len(group)})")
            for entry in group:
                print(f"  {entry['message']}")
    counts = ", ".join(f"{n} {status}" for status, n in sorted(summary.items()))
    tail = f"; links: {counts}" if counts else ""
    print(f"{_plural(len(problems), 'problem')}, {_plural(len(notes), 'note')}{tail}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
