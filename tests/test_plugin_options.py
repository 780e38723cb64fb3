"""Plugin and extension options that are checked once, where they are written."""

from __future__ import annotations

from typing import TYPE_CHECKING

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_LINKS, headers, mkdocs_yml, tables

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Site

TWO_TABLES = '# T\n\n<!-- seml:table category="Tooling" -->\n\n<!-- seml:table -->\n'


def test_an_unknown_default_column_is_one_warning_naming_mkdocs_yml(
    build_site: Callable[..., Site],
) -> None:
    site = build_site(
        {
            "mkdocs.yml": mkdocs_yml({"columns": ["title", "tema_note", "markers"]}),
            "docs/index.md": TWO_TABLES,
        }
    )
    (warning,) = site.warnings
    assert 'mkdocs.yml: seml: columns: unknown column "tema_note"; did you mean "team_note"?' in (
        warning
    )
    for table in tables(site.main()):
        assert headers(table) == ["Title", "Markers"]


@pytest.mark.parametrize(
    "export",
    ["/tmp/links.json", "../links.json", "data/../../x.json", "index.html", "links.csv"],
)
def test_export_must_be_a_json_file_inside_the_site(
    make_site: Callable[..., Site], export: str
) -> None:
    site = make_site({"mkdocs.yml": mkdocs_yml({"export": export})})
    result = site.mkdocs("build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "expected a .json file name inside the site" in result.stderr


def test_extension_columns_may_be_one_comma_separated_string(tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    links.write_text(DEFAULT_LINKS, encoding="utf-8")
    html = markdown.markdown(
        '<!-- seml:table category="Tooling" -->',
        extensions=["seml"],
        extension_configs={"seml": {"links_file": str(links), "columns": "title, team_note"}},
    )
    (table,) = tables(BeautifulSoup(html, "html.parser"))
    assert headers(table) == ["Title", "Team note"]
