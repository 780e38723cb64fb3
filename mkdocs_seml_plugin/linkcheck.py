"""Check URLs concurrently: HEAD first (GET when HEAD fails), redirects followed by hand so
loops and permanent moves are seen, retries with backoff on 429 and 5xx; results as data."""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from . import __version__
from .cache import LinkResult

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

PERMANENT = {301, 308}
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 30.0
USER_AGENT = f"mkdocs-seml-plugin/{__version__} (link check)"


@dataclass(frozen=True)
class CheckSettings:
    timeout: float = 10.0  # per request
    concurrency: int = 20
    per_host: int = 4
    deadline: float = 300.0  # for the whole run
    retries: int = 2  # on 429 and 5xx
    backoff: float = 0.5  # first wait; doubles each retry


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


async def _request(client: httpx.AsyncClient, method: str, url: str) -> httpx.Response:
    async with client.stream(method, url) as response:
        return response  # headers only: the body is never read


async def _follow(client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, str, str | None]:
    """One check of `url` with redirects followed: (final response, final URL, moved to)."""
    seen = {url}
    moved_to: str | None = None
    only_permanent = True
    method = "HEAD"
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response = await _request(client, method, current)
        if method == "HEAD" and response.status_code >= 400 and response.status_code != 429:
            # Many servers and CDNs answer HEAD with 403, 404 or 405 for pages that GET serves.
            method = "GET"
            response = await _request(client, method, current)
        location = response.headers.get("location")
        if response.is_redirect and location:
            current = urljoin(current, location)
            only_permanent = only_permanent and response.status_code in PERMANENT
            if only_permanent:
                moved_to = current
            if current in seen:
                raise httpx.TooManyRedirects("redirect loop", request=response.request)
            seen.add(current)
            continue
        return response, current, moved_to
    raise httpx.TooManyRedirects("too many redirects", request=response.request)


def _classify_error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", "no answer in time"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirect-loop", str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return "tls-error", f"TLS failed: {cause}"
        cause = cause.__cause__ or cause.__context__
    if "SSL" in str(exc) or "CERTIFICATE" in str(exc).upper():
        return "tls-error", f"TLS failed: {exc}"
    return "connection-error", str(exc) or type(exc).__name__


async def check_one(
    client: httpx.AsyncClient, url: str, settings: CheckSettings, deadline: float
) -> LinkResult:
    attempts = 0
    while True:
        attempts += 1
        try:
            response, final, moved_to = await _follow(client, url)
        except httpx.HTTPError as exc:
            status, message = _classify_error(exc)
            return LinkResult(url, status, message, attempts=attempts, checked=time.time())
        except (httpx.InvalidURL, ValueError) as exc:  # e.g. a host name IDNA cannot encode
            message = f"cannot be requested: {exc}"
            return LinkResult(
                url, "connection-error", message, attempts=attempts, checked=time.time()
            )
        code = response.status_code
        retryable = code == 429 or code >= 500
        if retryable and attempts <= settings.retries:
            wait = retry_after(
                response.headers.get("retry-after"), settings.backoff * 2 ** (attempts - 1)
            )
            wait = min(wait, MAX_RETRY_AFTER)
            if time.monotonic() + wait < deadline:
                await asyncio.sleep(wait)
                continue
        reason = f"{code} {response.reason_phrase}".strip()
        status = "http-error" if code >= 400 else "redirected" if final != url else "ok"
        message = f"{reason}, now at {final}" if status == "redirected" else reason
        return LinkResult(
            url,
            status,
            message,
            code,
            final,
            permanent=moved_to is not None,
            attempts=attempts,
            checked=time.time(),
            moved_to=moved_to,
        )


async def check_urls(
    urls: Iterable[str],
    settings: CheckSettings,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, LinkResult]:
    """Check every URL; those still unchecked at the deadline come back as timeouts that
    were never checked (`checked` 0), so a cache does not keep them."""
    pending_urls = list(dict.fromkeys(urls))
    deadline = time.monotonic() + settings.deadline
    overall = asyncio.Semaphore(settings.concurrency)
    hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
        lambda: asyncio.Semaphore(settings.per_host)
    )
    results: dict[str, LinkResult] = {}
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    async with httpx.AsyncClient(
        timeout=settings.timeout,
        limits=limits,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
    ) as client:

        async def run(url: str) -> None:
            # The host's slot first: a task waiting for a busy host holds no global slot.
            async with hosts[urlsplit(url).netloc.lower()], overall:
                results[url] = await check_one(client, url, settings, deadline)
            if progress is not None:
                progress(len(results), len(pending_urls))

        tasks = [asyncio.ensure_future(run(url)) for url in pending_urls]
        if tasks:
            _, unfinished = await asyncio.wait(tasks, timeout=max(0.0, settings.deadline))
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
    for url in pending_urls:
        results.setdefault(url, LinkResult(url, "timeout", "not checked before the deadline"))
    return results
