"""Fetch a README over HTTP(S): a timeout, a size limit, redirects followed; errors as SemlError."""

from __future__ import annotations

import time

import httpx

from . import __version__
from .errors import Problem, SemlError

DEFAULT_README = "https://raw.githubusercontent.com/SE-ML/awesome-seml/master/README.md"
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = f"mkdocs-seml-plugin/{__version__}"


def fetch_text(url: str, timeout: float = 30.0, max_bytes: int = MAX_BYTES) -> str:
    def fail(message: str, hint: str = "check the URL, or pass a local file") -> SemlError:
        return SemlError(Problem("fetch", url, message, hint=hint))

    try:
        with (
            httpx.Client(
                timeout=timeout,
                follow_redirects=True,
                max_redirects=5,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != httpx.codes.OK:
                raise fail(f"the server answered {response.status_code} {response.reason_phrase}")
            body = bytearray()
            deadline = time.monotonic() + timeout  # httpx's timeout is per read; this is overall
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("overall deadline passed")
                body += chunk
                if len(body) > max_bytes:
                    raise fail(f"the response is larger than {max_bytes} bytes; refused")
            return body.decode(response.encoding or "utf-8", errors="replace")
    except httpx.TimeoutException as exc:
        raise fail(f"no answer within {timeout:g} s", "try again, or raise --timeout") from exc
    except httpx.TooManyRedirects as exc:
        raise fail("too many redirects") from exc
    except httpx.HTTPError as exc:
        raise fail(f"the request failed: {exc}") from exc
