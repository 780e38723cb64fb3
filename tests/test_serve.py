"""A real `mkdocs serve` on 127.0.0.1: the served pages follow edits of the data files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CATEGORIES, DEFAULT_LINKS, html_main, titles

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from conftest import Site

START_TIMEOUT = 30.0
CHANGE_TIMEOUT = 15.0

PAGE = """\
# Home

Version one.

<!-- seml:table group_by="category" category="Tooling" columns="title" -->
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log

    def fetch(self) -> str | None:
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, check: Callable[[BeautifulSoup], bool], timeout: float, what: str) -> str:
        """Poll the page until `check` holds for it; fail with the server log otherwise."""
        deadline = time.monotonic() + timeout
        html = None
        while time.monotonic() < deadline:
            html = self.fetch()
            if html is not None and check(BeautifulSoup(html, "html.parser")):
                return html
            time.sleep(0.2)
        log = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"timed out waiting for {what}; last page: {html and html[-500:]!r}\n{log}")


@contextmanager
def serve(site: Site, *options: str) -> Iterator[Server]:
    port = free_port()
    log = site.root / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                "--dev-addr",
                f"127.0.0.1:{port}",
                *options,
            ],
            cwd=site.root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        try:
            server = Server(port, log)
            server.wait_for(lambda soup: True, START_TIMEOUT, "the server to answer")
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")


def table_titles(soup: BeautifulSoup) -> list[str]:
    return titles(html_main(soup))


def replace_atomically(path: Path, text: str) -> None:
    """Write the way `seml sync` and many editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.timeout(60)
def test_serve_rebuilds_when_data_change(make_site: Callable[..., Site]) -> None:
    site = make_site({"docs/index.md": PAGE})
    links = site.root / "data" / "links.csv"
    categories = site.root / "data" / "categories.yml"

    def reads() -> int:  # the plugin's debug line each time it parses the data
        return server.log.read_text(encoding="utf-8").count("read data/links.csv: ")

    with serve(site, "--verbose") as server:
        server.wait_for(
            lambda soup: table_titles(soup) == ["Zeta Tool", "alpha tool"],
            CHANGE_TIMEOUT,
            "the first build",
        )

        links.write_text(DEFAULT_LINKS.replace("Zeta Tool", "Omega Tool"), encoding="utf-8")
        server.wait_for(
            lambda soup: table_titles(soup) == ["Omega Tool", "alpha tool"],
            CHANGE_TIMEOUT,
            "the new title from links.csv",
        )

        categories.write_text(
            DEFAULT_CATEGORIES.replace("Tools that make life easier.", "Edited intro."),
            encoding="utf-8",
        )
        server.wait_for(
            lambda soup: [p.get_text() for p in soup.select("p.seml-intro")] == ["Edited intro."],
            CHANGE_TIMEOUT,
            "the new intro from categories.yml",
        )

        # A rebuild with the data unchanged: the page text is new, the table still right.
        (site.root / "docs" / "index.md").write_text(
            PAGE.replace("Version one.", "Version two."), encoding="utf-8"
        )
        html = server.wait_for(
            lambda soup: "Version two." in soup.get_text(), CHANGE_TIMEOUT, "the page edit"
        )
        soup = BeautifulSoup(html, "html.parser")
        assert table_titles(soup) == ["Omega Tool", "alpha tool"]
        assert [p.get_text() for p in soup.select("p.seml-intro")] == ["Edited intro."]
        # Parsed for the first build and after each data edit, not for the page edit.
        assert reads() == 3


@pytest.mark.timeout(60)
def test_serve_follows_data_file_replaced_by_rename(make_site: Callable[..., Site]) -> None:
    site = make_site({"docs/index.md": PAGE})
    links = site.root / "data" / "links.csv"
    with serve(site) as server:
        server.wait_for(
            lambda soup: table_titles(soup) == ["Zeta Tool", "alpha tool"],
            CHANGE_TIMEOUT,
            "the first build",
        )
        for title in ("Sigma Tool", "Kappa Tool", "Lambda Tool"):
            replace_atomically(links, DEFAULT_LINKS.replace("Zeta Tool", title))
            server.wait_for(
                lambda soup, title=title: table_titles(soup) == [title, "alpha tool"],
                CHANGE_TIMEOUT,
                f"{title} after replacing links.csv",
            )
