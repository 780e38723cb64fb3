"""The demo handbook in headless Chromium: the filter box, sortable columns, accessible badges
and Material's instant navigation, against the site built from this repository's mkdocs.yml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent


def _unavailable(reason: str) -> None:
    """Skip this module on a machine without a browser; on CI that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists():
    _unavailable(f"{CHROMIUM} is missing (install Debian's chromium package)")
try:
    from playwright.sync_api import Browser, Page, Route, expect, sync_playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    _unavailable("playwright is not installed")

pytestmark = pytest.mark.timeout(120)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site, built from a copy of mkdocs.yml, docs/ and data/, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("demo")
    site = root / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    for folder in ("docs", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    # `mkdocs serve` sets site_url to the address it serves on; Material's instant navigation
    # only takes over links under site_url, so the copy does the same for this server.
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    """A fresh tab that can reach the test server and nothing else (no fonts, no GitHub API)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site_url)

    def local_only(route: Route) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


def row_texts(page: Page) -> list[tuple[str, bool]]:
    """(text, visible) of every body row of the page's first seml table."""
    return page.locator(".seml-table").first.evaluate(
        """wrapper => Array.from(wrapper.querySelectorAll("tbody tr"),
            row => [row.textContent, !row.hidden && row.offsetParent !== null])"""
    )


def titles(page: Page) -> list[str]:
    return page.locator(".seml-table").first.locator("tbody tr td:first-child").all_inner_texts()


def test_filter_box_hides_rows_without_the_words(page: Page) -> None:
    page.goto("data-management/")
    box = page.locator(".seml-filter input[type=search]")
    expect(box).to_have_count(1)
    expect(box).to_have_attribute("aria-label", "Filter links")
    rows = row_texts(page)
    total = len(rows)
    labelled = [text for text, _ in rows if "label" in text.lower()]
    assert 0 < len(labelled) < total  # the word tells rows apart

    box.fill("label")

    status = page.locator(".seml-status")
    expect(status).to_have_text(f"{len(labelled)} of {total}")
    for text, visible in row_texts(page):
        assert visible == ("label" in text.lower()), text

    box.fill("LABEL guide")  # case-insensitive; every word must occur
    expect(status).to_have_text("1 of " + str(total))
    assert [text for text, visible in row_texts(page) if visible] == [
        text for text in labelled if "guide" in text.lower()
    ]

    box.fill("")
    expect(status).to_have_text("")
    assert all(visible for _, visible in row_texts(page))


def test_filter_finds_badges_by_their_names(page: Page) -> None:
    page.goto("broad-overviews/")
    page.locator(".seml-filter input[type=search]").fill("must-read")
    expect(page.locator(".seml-status")).to_have_text("5 of 6")
    page.locator(".seml-filter input[type=search]").fill("scientific")
    expect(page.locator(".seml-status")).to_have_text("2 of 6")


def test_title_header_sorts_ascending_then_descending(page: Page) -> None:
    page.goto("data-management/")
    header = page.locator('.seml-table th[data-seml-column="title"]').first
    button = header.locator("button.seml-sort")
    expect(header).to_have_attribute("aria-sort", "none")
    original = titles(page)
    ascending = sorted(original, key=str.casefold)

    button.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert titles(page) == ascending

    button.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert titles(page) == ascending[::-1]

    button.click()  # from descending back to ascending: the rows really move
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert titles(page) == ascending
    markers = page.locator('.seml-table th[data-seml-column="markers"]').first
    expect(markers).to_have_attribute("aria-sort", "none")


def test_badges_have_accessible_names(page: Page) -> None:
    page.goto("broad-overviews/")
    table = page.locator(".seml-table").first
    must_read = table.get_by_role("img", name="Must-read", exact=True)
    scientific = table.get_by_role("img", name="Scientific publication", exact=True)
    expect(must_read).to_have_count(5)
    expect(scientific).to_have_count(2)
    expect(must_read.first).to_have_text("⭐")
    expect(scientific.first).to_have_text("🎓")
    # Every badge on the page has a name, not only those counted above.
    for badge in page.locator(".seml-marker").all():
        assert badge.get_attribute("aria-label") in ("Must-read", "Scientific publication")


def test_instant_navigation_gets_a_filter_box_too(page: Page, site_url: str) -> None:
    page.goto("data-management/")
    expect(page.locator(".seml-filter")).to_have_count(1)
    # A full page load would drop this; Material's instant navigation keeps the window.
    page.evaluate("window.semlSamePage = true")

    page.locator('.md-nav--primary a[href$="tooling/"]').first.click()
    page.wait_for_url(f"{site_url}tooling/")
    expect(page.locator(".md-content h1")).to_have_id("tooling")
    assert page.evaluate("window.semlSamePage") is True, "the click was not instant navigation"
    expect(page.locator(".seml-filter input[type=search]")).to_have_count(1)
    page.locator(".seml-filter input[type=search]").fill("experiment")
    rows = row_texts(page)
    shown = [text for text, visible in rows if visible]
    assert shown == [text for text, _ in rows if "experiment" in text.lower()]
    assert shown
    expect(page.locator(".seml-status")).to_have_text(f"{len(shown)} of {len(rows)}")

    # A page with a table in each content tab: every table gets its own box.
    page.locator('.md-nav--primary a[href$="model-training/"]').first.click()
    page.wait_for_url(f"{site_url}model-training/")
    expect(page.locator(".seml-table")).to_have_count(2)
    expect(page.locator(".seml-filter")).to_have_count(2)

    # Back to the first page: one box again, not a second one from a repeated run.
    page.go_back()
    page.go_back()
    page.wait_for_url(f"{site_url}data-management/")
    expect(page.locator(".md-content h1")).to_have_id("data-management")
    expect(page.locator(".seml-filter")).to_have_count(1)
    assert page.evaluate("window.semlSamePage") is True
