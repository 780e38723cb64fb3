"""Odd environments and inputs end in a clear message or the right write, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_seml_plugin.errors import SemlError
from mkdocs_seml_plugin.load import parse_categories

HISTORY = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "awesome-seml" / "history"
)


def seml(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    environment.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_seml_plugin", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **env},
        check=False,
    )


def newest() -> str:
    return str(sorted(HISTORY.glob("*.md"))[-1])


def test_a_yaml_tag_in_categories_is_a_problem_with_its_line() -> None:
    with pytest.raises(SemlError) as info:
        parse_categories("- name: A\n- name: B\n  intro: !note hello\n", "categories.yml")
    assert info.value.problem.kind == "bad-yaml"
    assert info.value.problem.line == 2


def test_a_bad_source_date_epoch_is_refused(tmp_path: Path) -> None:
    done = seml(tmp_path, "sync", newest(), SOURCE_DATE_EPOCH="2024-01-01")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "SOURCE_DATE_EPOCH='2024-01-01'" in done.stderr
    assert not (tmp_path / "data").exists()


def test_an_unwritable_cache_keeps_the_report(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "links.csv").write_text(
        "title,url,category\nWrite to us,mailto:team@example.org,Contact\n", encoding="utf-8"
    )
    done = seml(tmp_path, "check", "--online", "--cache", "/dev/null/links.json")
    assert done.returncode == 0
    assert done.stdout.startswith("0 problems, 0 notes")
    assert "Traceback" not in done.stderr
    assert "results not cached" in done.stderr


def test_sync_writes_through_a_symlinked_data_file(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "links.csv").write_text("title,url,category\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "links.csv").symlink_to(shared / "links.csv")
    done = seml(tmp_path, "sync", newest())
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "links.csv").is_symlink()
    assert (shared / "links.csv").read_text(encoding="utf-8").count("\n") == 85
    assert (shared / "links.csv.bak").read_text(encoding="utf-8") == "title,url,category\n"
