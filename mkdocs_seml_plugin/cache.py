"""The link-check results cache (`.seml-cache/links.json`): written by `seml check --online`,
read by later checks (to skip fresh results) and by the build (to mark broken links, offline)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .linkcheck import LinkResult
from .load import write_atomic
from .model import normalize_url

DEFAULT_CACHE = Path(".seml-cache") / "links.json"
VERSION = 1


def read_cache(path: Path) -> dict[str, LinkResult]:
    """Results by normalized URL; an unreadable or foreign cache counts as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return {}
        return {key: LinkResult.from_json(entry) for key, entry in data["results"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_cache(path: Path, results: dict[str, LinkResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": VERSION,
        "results": {key: result.to_json() for key, result in sorted(results.items())},
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def fresh(result: LinkResult, ttl: float, now: float | None = None) -> bool:
    """Whether a cached result stands without a new request: younger than `ttl`, and not a
    failure that may pass (those are checked again every time)."""
    age = (now if now is not None else time.time()) - result.checked
    return age < ttl and not result.transient


def key(url: str) -> str:
    return normalize_url(url)


def broken_links(results: dict[str, LinkResult]) -> dict[str, str]:
    """Normalized URL -> what the last check found, for the links that failed it."""
    broken = {}
    for url_key, result in results.items():
        if result.problem and not result.transient:
            day = time.strftime("%Y-%m-%d", time.gmtime(result.checked))
            broken[url_key] = f"{result.message} (seml check --online, {day})"
    return broken
