"""A real HTTP/1.1 server on 127.0.0.1 for the link-check tests: one route per way a link can
fail, hit counts per (method, target), and the in-flight spans of `/slow` to see concurrency.

Runs in background daemon threads; `stop()` (or leaving the `with` block) ends every handler,
including those of `/hang` and `/slowbody`, so nothing outlives the test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

#: Route -> (status, Location) for the redirects.
REDIRECTS = {
    "/moved": (301, "/moved2"),
    "/moved2": (301, "/ok"),
    "/temp": (302, "/ok"),
    "/temp-to-moved": (302, "/moved"),  # temporary first: the URL should be kept
    "/moved-to-temp": (301, "/temp"),  # permanent first: the URL to use is /temp
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
}
SLOW_SECONDS = 0.2
SLOWBODY_SECONDS = 30


class LinkServer:
    """`with LinkServer() as server: server.url("/ok")`; `server.hits[("HEAD", "/ok")]`."""

    def __init__(self) -> None:
        self.hits: Counter[tuple[str, str]] = Counter()
        self.spans: list[tuple[float, float]] = []  # (start, end) of each /slow request
        self._seen: set[str] = set()  # targets of /busy and /flaky answered once already
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0
        self._connections: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self.port: int = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, target: str) -> str:
        return self.base + target

    def total_hits(self) -> int:
        with self._lock:
            return sum(self.hits.values())

    def start(self) -> LinkServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """End every handler (hanging ones too), close every connection, stop serving."""
        self._stopping.set()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> LinkServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # bookkeeping called by the handlers

    def _count(self, method: str, target: str) -> None:
        with self._lock:
            self.hits[(method, target)] += 1

    def _first_time(self, target: str) -> bool:
        with self._lock:
            first = target not in self._seen
            self._seen.add(target)
            return first

    def _enter(self) -> float:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        return time.monotonic()

    def _leave(self, start: float) -> None:
        with self._lock:
            self._in_flight -= 1
            self.spans.append((start, time.monotonic()))


def max_overlap(spans: list[tuple[float, float]]) -> int:
    """The most spans open at one moment (an end at the same instant as a start comes first)."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up early is part of the tests, not an error


def _handler_for(server: LinkServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # an idle keep-alive connection ends by itself

        def setup(self) -> None:
            super().setup()
            with server._lock:
                server._connections.add(self.connection)
                server._threads.add(threading.current_thread())

        def finish(self) -> None:
            with contextlib.suppress(OSError):
                super().finish()
            with server._lock:
                server._connections.discard(self.connection)
                server._threads.discard(threading.current_thread())

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_HEAD(self) -> None:
            self._route("HEAD")

        def do_GET(self) -> None:
            self._route("GET")

        def _answer(self, code: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _route(self, method: str) -> None:
            target = self.path
            path = urlsplit(target).path
            server._count(method, target)
            try:
                self._serve(method, target, path)
            except OSError:
                self.close_connection = True  # the client went away

        def _serve(self, method: str, target: str, path: str) -> None:
            if path == "/ok":
                self._answer(200, b"ok\n")
            elif path in REDIRECTS:
                code, location = REDIRECTS[path]
                self._answer(code, b"", Location=location)
            elif path == "/gone404":
                self._answer(404, b"not here\n")
            elif path == "/gone410":
                self._answer(410, b"gone for good\n")
            elif path == "/busy":
                if server._first_time(target):
                    self._answer(429, b"slow down\n", Retry_After="1")
                else:
                    self._answer(200, b"ok\n")
            elif path == "/busy-long":
                self._answer(429, b"come back in an hour\n", Retry_After="3600")
            elif path == "/flaky":
                if server._first_time(target):
                    self._answer(500, b"oops\n")
                else:
                    self._answer(200, b"ok\n")
            elif path == "/always500":
                self._answer(500, b"broken\n")
            elif path == "/hang":
                server._stopping.wait()  # accepted, never answered
                self.close_connection = True
            elif path == "/close":
                self.close_connection = True  # hang up without a word
            elif path in ("/slowbody", "/slowbody-nohead"):
                if path == "/slowbody-nohead" and method == "HEAD":
                    self._answer(405, b"", Allow="GET")
                else:
                    self._trickle()
            elif path == "/head403":  # a CDN that forbids HEAD but serves GET
                if method == "HEAD":
                    self._answer(403, b"")
                else:
                    self._answer(200, b"ok\n")
            elif path == "/nohead":
                if method == "HEAD":
                    self._answer(405, b"", Allow="GET")
                else:
                    self._answer(200, b"ok\n")
            elif path == "/slow":
                start = server._enter()
                time.sleep(SLOW_SECONDS)
                server._leave(start)  # before answering: the client cannot start another first
                self._answer(200, b"ok\n")
            else:
                self._answer(404, b"no such route\n")

        def _trickle(self) -> None:
            """Headers at once, then one byte a second for 30 s (the checker must not wait)."""
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(SLOWBODY_SECONDS))
            self.end_headers()
            self.wfile.flush()
            if self.command == "HEAD":
                return
            for _ in range(SLOWBODY_SECONDS):
                if server._stopping.wait(1):
                    return
                self.wfile.write(b".")
                self.wfile.flush()

    return Handler
