"""The standalone Python-Markdown extension: plain `markdown.markdown()` calls, no MkDocs."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CATEGORIES, DEFAULT_LINKS, DEFAULT_TITLES, headers, tables, titles

from mkdocs_seml_plugin.errors import SemlError
from mkdocs_seml_plugin.markdown import SemlExtension

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Site

EXTENSION_LOGGER = "mkdocs_seml_plugin"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The default data files in tmp_path/data; returns the links file."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "categories.yml").write_text(DEFAULT_CATEGORIES, encoding="utf-8")
    links = folder / "links.csv"
    links.write_text(DEFAULT_LINKS, encoding="utf-8")
    return links


def convert(text: str, name: str = "seml", **config: object) -> BeautifulSoup:
    html = markdown.markdown(text, extensions=[name], extension_configs={name: config})
    return BeautifulSoup(html, "html.parser")


def test_entry_point_named_seml() -> None:
    (point,) = entry_points(group="markdown.extensions", name="seml")
    assert point.load() is SemlExtension


@pytest.mark.parametrize("name", ["seml", "mkdocs_seml_plugin.markdown"])
def test_extension_by_name(data: Path, name: str) -> None:
    soup = convert(
        '# Tools\n\n<!-- seml:table category="Tooling" -->\n\n'
        "There are <!-- seml:count --> links.\n",
        name,
        links_file=str(data),
    )
    (table,) = tables(soup)
    assert headers(table) == ["Title", "Description", "Markers"]
    assert titles(soup) == ["Zeta Tool", "alpha tool"]
    assert soup.find_all("p")[-1].get_text() == "There are 6 links."
    assert all("noopener" in a["rel"] for a in table.find_all("a"))


def test_extension_object_and_options(data: Path) -> None:
    extension = SemlExtension(links_file=str(data), columns=["title", "team_note"])
    html = markdown.markdown('<!-- seml:table group_by="category" -->', extensions=[extension])
    soup = BeautifulSoup(html, "html.parser")
    # categories.yml beside the links file gives the order.
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "Tooling",
        "Data Management",
        "Broad Overviews",
    ]
    assert {tuple(headers(t)) for t in tables(soup)} == {("Title", "Team note")}


def test_relative_paths_resolve_against_cwd(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # The default links_file is data/links.csv.
    assert titles(convert("<!-- seml:table -->")) == list(DEFAULT_TITLES)
    other = tmp_path / "lists"
    other.mkdir()
    (other / "mine.csv").write_text(
        "title,url,category\nMine,https://mine.example.org/,Own\n", encoding="utf-8"
    )
    (other / "order.yml").write_text("- name: Own\n  intro: My own.\n", encoding="utf-8")
    soup = convert(
        '<!-- seml:table group_by="category" columns="title" -->',
        links_file="lists/mine.csv",
        categories_file="lists/order.yml",
    )
    assert titles(soup) == ["Mine"]
    assert soup.select_one("p.seml-intro").get_text() == "My own."


def test_directives_in_code_left_alone(data: Path) -> None:
    soup = convert(
        "    <!-- seml:table -->\n\nInline `<!-- seml:count -->`.\n", links_file=str(data)
    )
    assert tables(soup) == []
    assert [c.get_text() for c in soup.find_all("code")] == [
        "<!-- seml:table -->\n",
        "<!-- seml:count -->",
    ]


def test_strict_raises_on_bad_directive(data: Path) -> None:
    with pytest.raises(SemlError) as caught:
        convert(
            'x\n\n<!-- seml:table category="Data Managment" -->\n',
            links_file=str(data),
            strict=True,
        )
    message = str(caught.value)
    assert 'did you mean "Data Management"?' in message
    assert ":3:" in message
    assert caught.value.problem.line == 3


def test_strict_raises_on_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "links.csv"
    with pytest.raises(SemlError) as caught:
        convert("<!-- seml:table -->", links_file=str(missing), strict=True)
    assert "links.csv" in str(caught.value)
    assert "nowhere" in str(caught.value)


def test_strict_raises_on_bad_row(tmp_path: Path) -> None:
    links = tmp_path / "bad.csv"
    links.write_text(
        "title,url,category\nGood,https://g.example.org/,A\nBad,javascript:x,A\n", encoding="utf-8"
    )
    with pytest.raises(SemlError, match=r"bad\.csv:3:2:"):
        convert("<!-- seml:table -->", links_file=str(links), strict=True)


def test_lenient_logs_warning_naming_data_file(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=EXTENSION_LOGGER):
        soup = convert(
            'x\n\n<!-- seml:table category="Data Managment" -->\n\n<!-- seml:count -->\n',
            links_file=str(data),
        )
    ours = [r for r in caplog.records if r.name == EXTENSION_LOGGER]
    (record,) = ours
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert 'did you mean "Data Management"?' in message
    assert "links.csv" in message
    assert tables(soup) == []
    assert soup.find_all("p")[-1].get_text() == "6"


def test_lenient_logs_bad_rows_with_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    links = tmp_path / "rows.csv"
    links.write_text(
        'title,url,category\n"Two\nlines",https://g.example.org/,A\nBad,ftp://x,A\n',
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger=EXTENSION_LOGGER):
        soup = convert('<!-- seml:table columns="title" -->', links_file=str(links))
    (record,) = [r for r in caplog.records if r.name == EXTENSION_LOGGER]
    assert "rows.csv:4:2:" in record.getMessage()
    assert titles(soup) == ["Two\nlines"]


def test_lenient_missing_file_logs_and_leaves_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "gone.csv"
    with caplog.at_level(logging.WARNING, logger=EXTENSION_LOGGER):
        soup = convert("Count: <!-- seml:count -->", links_file=str(missing))
    (record,) = [r for r in caplog.records if r.name == EXTENSION_LOGGER]
    assert record.levelno >= logging.WARNING
    assert "gone.csv" in record.getMessage()
    assert tables(soup) == []
    assert soup.p.get_text().strip() == "Count:"


def test_strict_raises_on_bad_row_after_lenient_use_of_same_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Strictness belongs to each conversion: data parsed earlier by a lenient one still
    make a strict one raise."""
    links = tmp_path / "bad.csv"
    links.write_text(
        "title,url,category\nBad,ftp://x.example.org/,A\nGood,https://g.example.org/,A\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger=EXTENSION_LOGGER):
        assert titles(convert('<!-- seml:table columns="title" -->', links_file=str(links))) == [
            "Good"
        ]
    with pytest.raises(SemlError, match=r"bad\.csv:2:2:"):
        convert('<!-- seml:table columns="title" -->', links_file=str(links), strict=True)


def test_strict_in_mkdocs_without_the_plugin_is_one_clean_error(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(
        {
            "mkdocs.yml": "site_name: t\nmarkdown_extensions:\n  - seml:\n      strict: true\n",
            "docs/index.md": '# T\n\n<!-- seml:table category="Toolin" -->\n',
        }
    )
    result = site.mkdocs("build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert '<markdown>:3: seml:table: category "Toolin" matches nothing' in result.stderr
    assert "Aborted with a BuildError!" in result.stdout + result.stderr
