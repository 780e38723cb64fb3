"""The plugin in a real ProperDocs build (the MkDocs fork loads it from `properdocs.plugins`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

PROPERDOCS = Path(sys.executable).with_name("properdocs")
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not PROPERDOCS.exists(), reason="properdocs is not installed")


def build(tmp_path: Path, page: str, *options: str) -> subprocess.CompletedProcess[str]:
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "properdocs.yml").write_text(
        "site_name: P\ntheme: mkdocs\nplugins:\n  - seml\n", encoding="utf-8"
    )
    return subprocess.run(
        [str(PROPERDOCS), "build", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def test_the_entry_point_is_there() -> None:
    (plugin,) = entry_points(group="properdocs.plugins", name="seml")
    assert plugin.value == "mkdocs_seml_plugin.plugin:SemlPlugin"


def test_tables_and_counts_in_a_properdocs_build(tmp_path: Path) -> None:
    page = (
        '# T\n\nWe have <!-- seml:count --> links.\n\n<!-- seml:table category="Governance" -->\n'
    )
    result = build(tmp_path, page, "--strict")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    assert "We have 85 links." in soup.get_text()
    assert len(soup.select(".seml-table tbody tr")) == 8
    assert (tmp_path / "site" / "links.json").is_file()


def test_strict_properdocs_fails_on_a_typo(tmp_path: Path) -> None:
    result = build(tmp_path, '# T\n\n<!-- seml:table category="Tooliing" -->\n', "--strict")
    assert result.returncode != 0
    assert 'docs/index.md:3: seml:table: category "Tooliing" matches nothing' in result.stderr
