"""The build shows what the last `seml check --online` found, from its cache, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from conftest import tables
from linkserver import LinkServer

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Site


def links_csv(server: LinkServer) -> str:
    return (
        "title,url,category\n"
        f"Fine paper,{server.url('/ok')},Tooling\n"
        f"Gone paper,{server.url('/gone404')},Tooling\n"
    )


def check_online(site: Site, *options: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs_seml_plugin",
            "check",
            "--online",
            "--timeout",
            "5",
            *options,
        ],
        cwd=site.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "NO_PROXY": "127.0.0.1"},
        check=False,
    )


def test_a_broken_link_is_marked_and_warned_about_without_network(
    make_site: Callable[..., Site],
) -> None:
    with LinkServer() as server:
        site = make_site(
            {
                "data/links.csv": links_csv(server),
                "data/categories.yml": "- name: Tooling\n",
                "docs/index.md": '# T\n\n<!-- seml:table category="Tooling" -->\n',
            }
        )
        result = check_online(site)
        assert result.returncode == 1, result.stdout + result.stderr
        assert (site.root / ".seml-cache" / "links.json").exists()
        hits = server.total_hits()
        site.build()
        assert server.total_hits() == hits  # the build asked nobody
    (table,) = tables(site.main())
    fine, gone = table.select("tbody tr")
    assert fine.select(".seml-broken") == []
    (mark,) = gone.select(".seml-broken")
    assert mark["aria-label"] == "Link may be broken"
    assert "404" in mark["title"]
    (warning,) = site.warnings
    assert "data/links.csv:3: link may be broken: " in warning
    assert "/gone404" in warning
    assert "404" in warning


def test_no_cache_no_marks(build_site: Callable[..., Site]) -> None:
    site = build_site({"docs/index.md": "# T\n\n<!-- seml:table -->\n"})
    assert site.main().select(".seml-broken") == []
    assert site.warnings == []


def test_an_unreadable_cache_is_ignored(build_site: Callable[..., Site]) -> None:
    site = build_site(
        {"docs/index.md": "# T\n\n<!-- seml:table -->\n", ".seml-cache/links.json": "{oops"}
    )
    assert site.main().select(".seml-broken") == []
    assert site.warnings == []


def test_a_failure_that_may_pass_is_not_marked(make_site: Callable[..., Site]) -> None:
    with LinkServer() as server:
        site = make_site(
            {
                "data/links.csv": f"title,url,category\nBusy,{server.url('/busy-long')},Tooling\n",
                "data/categories.yml": "- name: Tooling\n",
                "docs/index.md": "# T\n\n<!-- seml:table -->\n",
            }
        )
        assert check_online(site, "--retries", "0").returncode == 1
    site.build()
    assert site.main().select(".seml-broken") == []
    assert site.warnings == []
