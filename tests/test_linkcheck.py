"""check_urls against a real local server (tests/linkserver.py): how each way of failing is
classified, which answers are retried, the deadline, and the global and per-host limits."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from typing import TYPE_CHECKING, Any

import pytest
from linkserver import LinkServer, max_overlap

from mkdocs_seml_plugin.cache import LinkResult
from mkdocs_seml_plugin.linkcheck import CheckSettings, check_urls, retry_after

if TYPE_CHECKING:
    from collections.abc import Iterator

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to 127.0.0.1, never through a proxy from the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer() as running:
        yield running


@pytest.fixture
def other_server() -> Iterator[LinkServer]:
    """A second host, as far as the checker can tell (another port, another netloc)."""
    with LinkServer() as running:
        yield running


def check(urls: list[str], progress: Any = None, **settings: Any) -> dict[str, LinkResult]:
    options: dict[str, Any] = {
        "timeout": 1.0,
        "deadline": 20.0,
        "backoff": 0.05,
        "retries": 2,
        "concurrency": 20,
        "per_host": 20,
    }
    options.update(settings)
    return asyncio.run(check_urls(urls, CheckSettings(**options), progress))


def check_one(url: str, **settings: Any) -> LinkResult:
    results = check([url], **settings)
    assert list(results) == [url]
    return results[url]


H, G = "HEAD", "GET"

# route, status, code, final route, permanent, attempts, every hit the server should see
ROUTES = [
    ("/ok", "ok", 200, "/ok", False, 1, {(H, "/ok"): 1}),
    (
        "/moved",
        "redirected",
        200,
        "/ok",
        True,
        1,
        {(H, "/moved"): 1, (H, "/moved2"): 1, (H, "/ok"): 1},
    ),
    ("/temp", "redirected", 200, "/ok", False, 1, {(H, "/temp"): 1, (H, "/ok"): 1}),
    # A 302 first: the old URL is still the one to use, whatever the later hops say.
    (
        "/temp-to-moved",
        "redirected",
        200,
        "/ok",
        False,
        1,
        {(H, "/temp-to-moved"): 1, (H, "/moved"): 1, (H, "/moved2"): 1, (H, "/ok"): 1},
    ),
    ("/loop-a", "redirect-loop", None, None, False, 1, {(H, "/loop-a"): 1, (H, "/loop-b"): 1}),
    ("/gone404", "http-error", 404, None, False, 1, {(H, "/gone404"): 1, (G, "/gone404"): 1}),
    ("/gone410", "http-error", 410, None, False, 1, {(H, "/gone410"): 1, (G, "/gone410"): 1}),
    ("/busy", "ok", 200, "/busy", False, 2, {(H, "/busy"): 2}),
    # A failed HEAD is asked again with GET, which /flaky already answers.
    ("/flaky", "ok", 200, "/flaky", False, 1, {(H, "/flaky"): 1, (G, "/flaky"): 1}),
    ("/always500", "http-error", 500, None, False, 3, {(H, "/always500"): 3, (G, "/always500"): 3}),
    ("/hang", "timeout", None, None, False, 1, {(H, "/hang"): 1}),
    ("/close", "connection-error", None, None, False, 1, {(H, "/close"): 1}),
    ("/slowbody", "ok", 200, "/slowbody", False, 1, {(H, "/slowbody"): 1}),
    (
        "/slowbody-nohead",
        "ok",
        200,
        "/slowbody-nohead",
        False,
        1,
        {(H, "/slowbody-nohead"): 1, (G, "/slowbody-nohead"): 1},
    ),
    ("/nohead", "ok", 200, "/nohead", False, 1, {(H, "/nohead"): 1, (G, "/nohead"): 1}),
    ("/head403", "ok", 200, "/head403", False, 1, {(H, "/head403"): 1, (G, "/head403"): 1}),
]


@pytest.mark.parametrize(
    ("route", "status", "code", "final", "permanent", "attempts", "hits"),
    ROUTES,
    ids=[row[0] for row in ROUTES],
)
def test_each_route_is_classified(
    server: LinkServer,
    route: str,
    status: str,
    code: int | None,
    final: str | None,
    permanent: bool,
    attempts: int,
    hits: dict[tuple[str, str], int],
) -> None:
    url = server.url(route)
    result = check_one(url)
    assert (result.url, result.status, result.code) == (url, status, code), result
    assert result.permanent is permanent
    assert result.attempts == attempts
    assert result.message
    if final is not None:
        assert result.final_url == server.url(final)
    # HEAD first, GET when HEAD fails (but for 429), retries only on 429 and 5xx.
    assert dict(server.hits) == hits


def test_problem_statuses() -> None:
    problems = {"http-error", "timeout", "connection-error", "tls-error", "redirect-loop"}
    for status in ("ok", "redirected", *sorted(problems)):
        assert LinkResult("http://127.0.0.1/", status, "").problem is (status in problems)


def test_retry_after_is_honoured(server: LinkServer) -> None:
    """The 429 says one second; the backoff alone would wait 0.05 s."""
    start = time.monotonic()
    result = check_one(server.url("/busy"), backoff=0.05)
    elapsed = time.monotonic() - start
    assert (result.status, result.attempts) == ("ok", 2)
    assert server.hits[(H, "/busy")] == 2
    assert elapsed >= 0.95


def test_backoff_doubles(server: LinkServer) -> None:
    start = time.monotonic()
    result = check_one(server.url("/always500"), backoff=0.2, retries=2)
    elapsed = time.monotonic() - start
    assert (result.status, result.code, result.attempts) == ("http-error", 500, 3)
    assert elapsed >= 0.2 + 0.4 - 0.05


@pytest.mark.parametrize(("route", "code"), [("/always500", 500), ("/busy", 429)])
def test_no_retries_when_none_allowed(server: LinkServer, route: str, code: int) -> None:
    result = check_one(server.url(route), retries=0)
    assert (result.status, result.code, result.attempts) == ("http-error", code, 1)
    asked_again_with_get = {(G, route): 1} if code != 429 else {}
    assert dict(server.hits) == {(H, route): 1, **asked_again_with_get}


def test_a_wait_past_the_deadline_is_not_taken(server: LinkServer) -> None:
    """Retry-After: 3600 (capped at 30 s) cannot fit a 3 s deadline: report the 429 now."""
    start = time.monotonic()
    result = check_one(server.url("/busy-long"), deadline=3.0)
    assert time.monotonic() - start < 2.5
    assert (result.status, result.code, result.attempts) == ("http-error", 429, 1)


def test_the_deadline_bounds_the_whole_run(server: LinkServer) -> None:
    """Hanging links with a 10 s timeout each: the 2 s deadline ends the run."""
    urls = [server.url(f"/hang?n={n}") for n in range(6)]
    start = time.monotonic()
    results = check(urls, timeout=10.0, deadline=2.0, per_host=4)
    elapsed = time.monotonic() - start
    assert 1.9 <= elapsed < 2.0 + 2.0
    assert set(results) == set(urls)
    assert {r.status for r in results.values()} == {"timeout"}
    assert server.total_hits() <= 4  # the per-host limit held the other two back


def test_the_global_limit(server: LinkServer) -> None:
    urls = [server.url(f"/slow?n={n}") for n in range(12)]
    results = check(urls, concurrency=3, per_host=100)
    assert {r.status for r in results.values()} == {"ok"}
    assert len(server.spans) == 12
    assert max_overlap(server.spans) == 3  # never more, and the limit is used


def test_the_per_host_limit(server: LinkServer, other_server: LinkServer) -> None:
    urls = [s.url(f"/slow?n={n}") for n in range(6) for s in (server, other_server)]
    results = check(urls, concurrency=10, per_host=2)
    assert {r.status for r in results.values()} == {"ok"}
    assert max_overlap(server.spans) == 2
    assert max_overlap(other_server.spans) == 2
    assert max_overlap(server.spans + other_server.spans) == 4


def test_waiting_for_a_busy_host_does_not_block_other_hosts(
    server: LinkServer, other_server: LinkServer
) -> None:
    """Four URLs on one host, then four on another; two at a time per host, four in all.

    A task that waits for its host's slot must not sit on one of the global slots meanwhile,
    or the second host waits for the first: the two hosts are checked side by side."""
    urls = [server.url(f"/slow?n={n}") for n in range(4)]
    urls += [other_server.url(f"/slow?n={n}") for n in range(4)]
    results = check(urls, concurrency=4, per_host=2)
    assert {r.status for r in results.values()} == {"ok"}
    first_done_on_one = min(end for _, end in server.spans)
    first_started_on_other = min(start for start, _ in other_server.spans)
    assert first_started_on_other < first_done_on_one


def test_tls_error(server: LinkServer) -> None:
    """https:// to a plain-HTTP server: the handshake fails."""
    url = server.base.replace("http://", "https://") + "/ok"
    result = check_one(url)
    assert result.status == "tls-error", result
    assert result.code is None
    assert server.total_hits() == 0  # the request itself never got through


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check_one(f"http://127.0.0.1:{port}/ok")
    assert (result.status, result.code, result.attempts) == ("connection-error", None, 1)


def test_each_url_once_and_progress(server: LinkServer) -> None:
    calls: list[tuple[int, int]] = []
    ok, gone = server.url("/ok"), server.url("/gone404")
    results = check([ok, gone, ok], progress=lambda done, total: calls.append((done, total)))
    assert set(results) == {ok, gone}
    assert (results[ok].status, results[gone].status) == ("ok", "http-error")
    assert server.hits[(H, "/ok")] == 1
    assert sorted(calls) == [(1, 2), (2, 2)]


def test_no_urls() -> None:
    assert check([]) == {}


def test_results_carry_the_time_of_the_check(server: LinkServer) -> None:
    before = time.time()
    result = check_one(server.url("/hang"), timeout=0.3)
    assert before <= result.checked <= time.time()
    assert LinkResult.from_json(result.to_json()) == result


def _http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        (None, 0.5, 0.5),
        ("", 0.5, 0.5),
        ("3", 3.0, 3.0),
        (" 7 ", 7.0, 7.0),
        ("soon", 0.5, 0.5),
        ("-1", 0.5, 0.5),
    ],
)
def test_retry_after_values(value: str | None, low: float, high: float) -> None:
    assert low <= retry_after(value, 0.5) <= high


def test_retry_after_dates() -> None:
    assert 55 <= retry_after(_http_date(60), 0.5) <= 61
    assert retry_after(_http_date(-60), 0.5) == 0.0


def test_a_url_that_cannot_be_requested_is_a_result_not_a_crash() -> None:
    url = "http://a\u200db.example/"  # a zero-width joiner: IDNA cannot encode the host
    result = check_one(url, timeout=2)
    assert result.status == "connection-error"
    assert "cannot be requested" in result.message
