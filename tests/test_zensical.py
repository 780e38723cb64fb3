"""The Markdown extension in a real Zensical build (no MkDocs plugins run there)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ZENSICAL = Path(sys.executable).with_name("zensical")
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not ZENSICAL.exists(), reason="zensical is not installed")

PAGE = """\
# Reading list

We list <!-- seml:count --> resources, <!-- seml:count must_read="true" --> of them must-reads.

<!-- seml:table category="governance" columns="title,markers" sort="-title" -->

!!! note
    <!-- seml:table category="Social Aspects" -->

<!-- seml:table category="Tooling" group_by="category" heading_level="3" -->

`<!-- seml:count -->` stays as it is.
"""


def build(tmp_path: Path, page: str, strict: bool = False) -> subprocess.CompletedProcess[str]:
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Z\n"
        "markdown_extensions:\n"
        "  - admonition\n"
        "  - toc:\n"
        "      permalink: true\n"
        "  - seml:\n"
        "      links_file: data/links.csv\n"
        f"      strict: {'true' if strict else 'false'}\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [str(ZENSICAL), "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_directives_render_in_a_zensical_build(tmp_path: Path) -> None:
    result = build(tmp_path, PAGE)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    text = article.get_text(" ")
    assert "We list 85 resources, 8 of them must-reads." in " ".join(text.split())
    tables = article.select("div.seml-table table")
    governance, social, tooling = tables
    titles = [a.get_text() for a in governance.select("tbody td:first-child a")]
    assert len(titles) == 8
    assert titles == sorted(titles, key=str.casefold, reverse=True)
    assert [th.get_text() for th in governance.select("thead th")] == ["Title", "Markers"]
    assert social.find_parent("div", class_="admonition") is not None
    assert len(tooling.select("tbody tr")) == 28
    heading = article.find("h3", id="tooling")
    assert heading is not None
    assert "Tooling" in heading.get_text()
    assert article.find("code", string="<!-- seml:count -->") is not None
    assert all(a.get("rel") == ["noopener"] for a in article.select(".seml-table a"))


def test_a_typo_is_logged_with_the_data_file_and_a_suggestion(tmp_path: Path) -> None:
    result = build(tmp_path, '# T\n\n<!-- seml:table category="Tooliing" -->\n')
    output = result.stdout + result.stderr
    assert result.returncode == 0
    assert ':3: seml:table: category "Tooliing" matches nothing; did you mean "Tooling"?' in output
    assert "data/links.csv" in output


def test_strict_fails_the_build(tmp_path: Path) -> None:
    result = build(tmp_path, '# T\n\n<!-- seml:table category="Tooliing" -->\n', strict=True)
    assert result.returncode != 0
    assert 'did you mean "Tooling"?' in result.stdout + result.stderr
