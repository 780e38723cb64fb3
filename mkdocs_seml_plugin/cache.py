"""The link-check results cache (`.seml-cache/links.json`): written by `seml check --online`,
read by later checks (to skip fresh results) and by the build (to mark broken links, offline)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .load import write_atomic

#: Statuses that count as problems; `redirected` is a note, `ok` is fine.
PROBLEM_STATUSES = {
    "http-error",
    "timeout",
    "connection-error",
    "tls-error",
    "redirect-loop",
}
TRANSIENT_CODES = {429, 502, 503, 504}

DEFAULT_CACHE = Path(".seml-cache") / "links.json"
VERSION = 1


@dataclass(frozen=True)
class LinkResult:
    """What checking one URL found; stored in the cache, so free of any HTTP library."""

    url: str
    status: str  # ok, redirected, http-error, timeout, connection-error, tls-error, redirect-loop
    message: str
    code: int | None = None
    final_url: str | None = None
    permanent: bool = False  # the link moved for good: the URL should be updated
    attempts: int = 1
    checked: float = 0.0  # time.time() of the check; 0 when it was never checked
    #: Where the link moved for good: the target of the last permanent redirect before any
    #: temporary one (a temporary hop means the listed URL is still the one to keep).
    moved_to: str | None = None

    @property
    def problem(self) -> bool:
        return self.status in PROBLEM_STATUSES

    @property
    def transient(self) -> bool:
        """A failure that may be gone next time (a timeout, rate limiting, an overloaded
        server): checked again on every run, and not marked in the site."""
        return self.status == "timeout" or self.code in TRANSIENT_CODES

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


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


def broken_links(results: dict[str, LinkResult]) -> dict[str, str]:
    """Normalized URL -> what the last check found, for the links that failed it."""
    broken = {}
    for url_key, result in results.items():
        if result.problem and not result.transient:
            day = time.strftime("%Y-%m-%d", time.gmtime(result.checked))
            broken[url_key] = f"{result.message} (seml check --online, {day})"
    return broken
