"""load.py: CSV text and categories.yml -> raw rows with line numbers; the atomic write."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from mkdocs_seml_plugin.errors import SemlError
from mkdocs_seml_plugin.load import (
    RawCategory,
    encode_like,
    parse_categories,
    parse_csv,
    read_categories,
    read_csv,
    read_text,
    write_atomic,
)

if TYPE_CHECKING:
    from pathlib import Path

HEADER = "title,url,category"


def rows(text: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(row.line, row.fields) for row in parse_csv(text, "data/links.csv").rows]


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a,b\n1,2\n3,4\n", [(2, ("1", "2")), (3, ("3", "4"))], id="lf"),
        pytest.param("a,b\r\n1,2\r\n3,4\r\n", [(2, ("1", "2")), (3, ("3", "4"))], id="crlf"),
        pytest.param("a,b\n1,2", [(2, ("1", "2"))], id="no-final-newline"),
        pytest.param("a,b\n\n1,2\n\n\n3,4\n\n", [(3, ("1", "2")), (6, ("3", "4"))], id="blank"),
        pytest.param("\n\na,b\n1,2\n", [(4, ("1", "2"))], id="blank-before-header"),
        pytest.param(
            'a,b\n"x\ny",2\n3,4\n', [(2, ("x\ny", "2")), (4, ("3", "4"))], id="quoted-newline"
        ),
        pytest.param(
            'a,b\n1,"two\n\nblank"\n3,4\n',
            [(2, ("1", "two\n\nblank")), (5, ("3", "4"))],
            id="quoted-blank-line",
        ),
        pytest.param(
            'a,b\r\n"x\r\ny",2\r\n3,4\r\n',
            [(2, ("x\r\ny", "2")), (4, ("3", "4"))],
            id="quoted-crlf",
        ),
        pytest.param('a,b\n"1,5","say ""hi"""\n', [(2, ("1,5", 'say "hi"'))], id="quotes"),
        pytest.param("a,b\n1,\n,\n", [(2, ("1", "")), (3, ("", ""))], id="empty-fields"),
        pytest.param("a,b\n1,2,3\n", [(2, ("1", "2", "3"))], id="extra-field-kept"),
    ],
)
def test_parse_csv_rows_and_first_lines(text: str, expected: list[tuple[int, tuple[str, ...]]]):
    assert rows(text) == expected


def test_parse_csv_header_is_stripped_and_path_kept():
    table = parse_csv(" title , url,category\n", "data/links.csv")
    assert table.header == ("title", "url", "category")
    assert table.rows == ()
    assert table.path == "data/links.csv"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('a,b\n"x"y,2\n', 2, id="text-after-closing-quote"),
        pytest.param('a,b\n1,2\n3,"4"5\n', 3, id="later-row"),
        pytest.param('a,b\n1,2\n"x,2\n3,4\n5,6\n', 3, id="unterminated-quote-names-its-row"),
        pytest.param('a,b\n"x\ny"z,2\n', 2, id="multi-line-record-names-first-line"),
    ],
)
def test_parse_csv_bad_quoting_names_the_record_line(text: str, line: int):
    with pytest.raises(SemlError) as info:
        parse_csv(text, "data/links.csv")
    problem = info.value.problem
    assert problem.kind == "bad-csv"
    assert problem.path == "data/links.csv"
    assert problem.line == line
    assert str(info.value).startswith(f"data/links.csv:{line}: ")
    assert problem.hint


@pytest.mark.parametrize("text", ["", "\n", "\n\n\r\n"], ids=["empty", "newline", "blank-lines"])
def test_parse_csv_empty_file(text: str):
    with pytest.raises(SemlError) as info:
        parse_csv(text, "data/links.csv")
    assert info.value.problem.kind == "empty-file"
    assert "title,url,category" in info.value.problem.hint


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"title,url,category\nA,https://a.org,C\n", id="lf"),
        pytest.param(b"title,url,category\r\nA,https://a.org,C\r\n", id="crlf"),
        pytest.param(b"\xef\xbb\xbftitle,url,category\nA,https://a.org,C\n", id="bom"),
        pytest.param(b"\xef\xbb\xbftitle,url,category\r\nA,https://a.org,C\r\n", id="bom-crlf"),
        pytest.param(b"title,url,category\rA,https://a.org,C\r", id="cr"),
    ],
)
def test_read_csv_accepts_bom_and_line_endings(tmp_path: Path, raw: bytes):
    path = tmp_path / "links.csv"
    path.write_bytes(raw)
    table = read_csv(path)
    assert table.header == ("title", "url", "category")
    assert [(row.line, row.fields) for row in table.rows] == [(2, ("A", "https://a.org", "C"))]


def test_read_csv_crlf_multiline_record_keeps_first_line(tmp_path: Path):
    path = tmp_path / "links.csv"
    path.write_bytes(b'title,url,category\r\n"A\r\nB",https://a.org,C\r\nD,https://d.org,C\r\n')
    assert [(r.line, r.fields[0]) for r in read_csv(path).rows] == [(2, "A\nB"), (4, "D")]


def test_read_csv_missing_file_names_path(tmp_path: Path):
    path = tmp_path / "nope.csv"
    with pytest.raises(SemlError) as info:
        read_csv(path)
    assert info.value.problem.kind == "missing-file"
    assert "nope.csv" in str(info.value)
    assert "not found" in str(info.value)


def test_read_csv_not_utf8_names_line(tmp_path: Path):
    path = tmp_path / "links.csv"
    path.write_bytes(b"title,url,category\nCaf\xe9,https://a.org,C\n")
    with pytest.raises(SemlError) as info:
        read_csv(path)
    assert info.value.problem.kind == "bad-encoding"
    assert info.value.problem.line == 2


# --- categories.yml ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("# only a comment\n", [], id="comment-only"),
        pytest.param("[]\n", [], id="empty-list"),
        pytest.param(
            "- name: Broad Overviews\n  intro: These resources cover all aspects.\n"
            "- name: Governance\n",
            [
                RawCategory(1, "Broad Overviews", "These resources cover all aspects."),
                RawCategory(3, "Governance", ""),
            ],
            id="intro-optional",
        ),
        pytest.param(
            "# header\n\n- name: A\n  intro: ''\n- {name: B, intro: hi}\n",
            [RawCategory(3, "A", ""), RawCategory(5, "B", "hi")],
            id="lines-after-comments",
        ),
        pytest.param(
            "- name: '  Padded  '\n  intro: |\n    two\n    lines\n",
            [RawCategory(1, "Padded", "two\nlines")],
            id="stripped-block-intro",
        ),
        pytest.param("- name: A\n  intro: null\n", [RawCategory(1, "A", "")], id="null-intro"),
    ],
)
def test_parse_categories(text: str, expected: list[RawCategory]):
    assert parse_categories(text, "data/categories.yml") == expected


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("- name: A\n- [unclosed\n", 3, "not valid YAML", id="bad-yaml"),
        pytest.param("- name: A\n  intro: 'x\n", 3, "not valid YAML", id="unclosed-quote"),
        pytest.param("name: A\n", 1, "expected a list", id="mapping"),
        pytest.param("just text\n", 1, "expected a list", id="scalar"),
        pytest.param("- name: A\n- intro: no name\n", 2, "needs a 'name'", id="no-name"),
        pytest.param("- name: A\n\n- Governance\n", 3, "needs a 'name'", id="bare-string"),
        pytest.param("- name: [A]\n", 1, "needs a 'name'", id="name-not-text"),
        pytest.param("- name: A\n- name: '  '\n", 2, "needs a 'name'", id="name-blank"),
        pytest.param("- name:\n  intro: x\n", 1, "needs a 'name'", id="name-null"),
    ],
)
def test_parse_categories_errors_name_line(text: str, line: int, words: str):
    with pytest.raises(SemlError) as info:
        parse_categories(text, "data/categories.yml")
    problem = info.value.problem
    assert problem.kind == "bad-yaml"
    assert problem.path == "data/categories.yml"
    assert problem.line == line
    assert words in problem.message
    assert problem.hint


def test_read_categories_missing_file_is_no_categories(tmp_path: Path):
    assert read_categories(tmp_path / "categories.yml") == []


def test_read_categories_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "categories.yml"
    path.write_bytes(b"\xef\xbb\xbf- name: A\r\n  intro: x\r\n- name: B\r\n")
    assert read_categories(path) == [RawCategory(1, "A", "x"), RawCategory(3, "B", "")]


# --- write_atomic ------------------------------------------------------------------------------


def test_write_atomic_replaces_content_and_leaves_no_temp_files(tmp_path: Path):
    path = tmp_path / "links.csv"
    path.write_text("old\n", encoding="utf-8")
    write_atomic(path, "new,ü\r\nline\n")
    assert path.read_bytes() == "new,ü\r\nline\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.csv"]


def test_write_atomic_creates_a_new_file(tmp_path: Path):
    path = tmp_path / "fresh.csv"
    write_atomic(path, "a\n")
    assert path.read_text(encoding="utf-8") == "a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fresh.csv"]


def test_write_atomic_failure_keeps_old_file_and_no_temp_files(tmp_path: Path):
    path = tmp_path / "links.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "bad \ud800 surrogate")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["links.csv"]


@pytest.mark.parametrize(
    "original",
    [b"a,b\n1,2\n", b"a,b\r\n1,2\r\n", b"\xef\xbb\xbfa,b\n1,2\n", b"\xef\xbb\xbfa,b\r\n1,2\r\n"],
    ids=["lf", "crlf", "bom-lf", "bom-crlf"],
)
def test_encode_like_gives_back_the_files_own_style(tmp_path: Path, original: bytes) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes(original)
    assert encode_like(read_text(path, "links file"), original) == original
    changed = encode_like(read_text(path, "links file") + "3,4\n", original)
    assert changed.startswith(original)
    assert changed.endswith(b"3,4\r\n" if b"\r\n" in original else b"3,4\n")
