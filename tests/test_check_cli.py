"""`seml check` as a real subprocess in tmp_path, its links on the local test server: output
grouped by status, JSON, exit codes, the results cache and the progress bar. Every URL the
command sees is on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from linkserver import LinkServer

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

HEADER = "title,url,category,description,must_read,scientific"
CATEGORIES = "- name: Reading\n  intro: Things to read.\n- name: Tools\n"
#: Routes in data order: header on line 1, so `/ok` is line 2, `/moved` line 3, ...
ROUTES = ("/ok", "/moved", "/temp", "/gone404", "/gone410", "/hang", "/close")
LINE = {route: line for line, route in enumerate(ROUTES, start=2)}
PROBLEM_KINDS = {"http-error", "timeout", "connection-error", "tls-error", "redirect-loop"}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NO_PROXY="127.0.0.1", PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return env


def seml(cwd: Path, *args: str, stderr: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_seml_plugin", "check", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )


def online(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return seml(cwd, "--online", "--timeout", "1", "--deadline", "20", *args)


def write_data(root: Path, rows: list[str], categories: str | None = CATEGORIES) -> None:
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "links.csv").write_text(
        "\n".join([HEADER, *rows]) + "\n", encoding="utf-8", newline=""
    )
    if categories is not None:
        (root / "data" / "categories.yml").write_text(categories, encoding="utf-8")


def link_rows(server: LinkServer, routes: tuple[str, ...] | list[str]) -> list[str]:
    return [f"Title {n},{server.url(route)},Reading,,false,false" for n, route in enumerate(routes)]


def groups(stdout: str) -> dict[str, list[str]]:
    """Text output -> {heading: entry lines}; the summary line is left out."""
    found: dict[str, list[str]] = {}
    heading = None
    for line in stdout.splitlines():
        if line.startswith("  "):
            assert heading is not None, stdout
            found[heading].append(line.strip())
        elif " problems, " in line:
            heading = None
        else:
            heading = line
            found[heading] = []
    return found


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer() as running:
        yield running


# offline


def test_clean_data_exits_0_and_asks_nobody(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok", "/gone404"]))
    result = seml(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["0 problems, 0 notes"]
    assert server.total_hits() == 0  # lint only: no request without --online
    assert not (tmp_path / ".seml-cache").exists()


LINT_ROWS = [
    "Rules of ML,https://example.org/rules,Reading,,false,false",
    "Rules again,https://EXAMPLE.org/rules/,Reading,,false,false",  # duplicate url, line 3
    "Odd,https://example.org/odd,Reading,,yes,false",  # bad boolean, line 4
    "Elsewhere,https://example.org/else,Nowhere,,false,false",  # unknown category, line 5
]


def test_lint_problems_grouped_by_kind(tmp_path: Path) -> None:
    write_data(tmp_path, LINT_ROWS)
    result = seml(tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    found = groups(result.stdout)
    assert set(found) == {"bad-boolean (1)", "duplicate (1)", "unknown-category (1)"}
    assert found["duplicate (1)"][0].startswith("data/links.csv:3:2: url ")
    assert found["bad-boolean (1)"][0].startswith("data/links.csv:4:5: must_read is 'yes'")
    assert found["unknown-category (1)"][0].startswith("data/links.csv:5:3: category 'Nowhere'")
    assert result.stdout.splitlines()[-1] == "3 problems, 0 notes"


def test_lint_problems_as_json(tmp_path: Path) -> None:
    write_data(tmp_path, LINT_ROWS)
    result = seml(tmp_path, "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    assert report["notes"] == []
    assert [(p["kind"], p["line"]) for p in report["problems"]] == [
        ("duplicate", 3),
        ("bad-boolean", 4),
        ("unknown-category", 5),
    ]
    for problem in report["problems"]:
        assert problem["message"].startswith(f"data/links.csv:{problem['line']}:")


def test_no_categories_file_no_unknown_categories(tmp_path: Path) -> None:
    write_data(tmp_path, LINT_ROWS[2:], categories=None)
    report = json.loads(seml(tmp_path, "--format", "json").stdout)
    assert [p["kind"] for p in report["problems"]] == ["bad-boolean"]


# unreadable input: exit 2, a message, no traceback


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "links file not found"),
        (f'{HEADER}\nA,https://example.org/a,"Reading,,false,false\n', "not valid CSV"),
        ("name,link\nA,https://example.org/a\n", "lacks the column(s)"),
        ("", "empty"),
    ],
    ids=["missing", "bad-csv", "bad-header", "empty"],
)
def test_unreadable_data_exits_2(tmp_path: Path, text: str | None, says: str) -> None:
    if text is not None:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "links.csv").write_text(text, encoding="utf-8")
    result = seml(tmp_path, "--online")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("seml: data/links.csv")
    assert says in result.stderr
    assert not (tmp_path / ".seml-cache").exists()


def test_unreadable_categories_exit_2(tmp_path: Path) -> None:
    write_data(tmp_path, LINT_ROWS[:1], categories="- name: [unclosed\n")
    result = seml(tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "data/categories.yml" in result.stderr


# online


def test_online_text_grouped_by_status(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ROUTES))
    result = online(tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    found = groups(result.stdout)
    assert set(found) == {
        "http-error (2)",
        "timeout (1)",
        "connection-error (1)",
        "redirected (1)",
    }, result.stdout

    def place(route: str) -> str:
        return f"data/links.csv:{LINE[route]}: {server.url(route)}"

    assert [e.startswith(place("/gone404")) for e in found["http-error (2)"]] == [True, False]
    assert found["http-error (2)"][0].endswith("404 Not Found")
    assert found["http-error (2)"][1].startswith(place("/gone410"))
    assert found["timeout (1)"][0].startswith(place("/hang"))
    assert found["connection-error (1)"][0].startswith(place("/close"))
    (note,) = found["redirected (1)"]
    assert note.startswith(f"data/links.csv:{LINE['/moved']}: {server.url('/moved')} ")
    assert server.url("/ok") in note  # the URL to use instead
    assert server.url("/temp") not in result.stdout  # a temporary redirect is fine
    assert result.stdout.splitlines()[-1].startswith("4 problems, 1 note")


def test_online_json(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ROUTES))
    result = online(tmp_path, "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    problems = {p["url"]: p for p in report["problems"]}
    assert {url: p["kind"] for url, p in problems.items()} == {
        server.url("/gone404"): "http-error",
        server.url("/gone410"): "http-error",
        server.url("/hang"): "timeout",
        server.url("/close"): "connection-error",
    }
    for url, problem in problems.items():
        route = url.removeprefix(server.base)
        assert problem["line"] == LINE[route]
        assert problem["message"].startswith(f"data/links.csv:{LINE[route]}: {url}")
    assert problems[server.url("/gone404")]["status"] == 404
    assert problems[server.url("/gone410")]["status"] == 410
    assert "status" not in problems[server.url("/hang")]  # no response came
    assert "status" not in problems[server.url("/close")]
    (note,) = report["notes"]
    assert (note["kind"], note["line"], note["url"]) == (
        "redirected",
        LINE["/moved"],
        server.url("/moved"),
    )
    assert isinstance(note["status"], int)
    assert server.url("/ok") in note["message"]


def test_a_permanent_redirect_is_a_note_not_a_problem(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok", "/moved", "/temp"]))
    result = online(tmp_path, "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert [(n["kind"], n["url"]) for n in report["notes"]] == [
        ("redirected", server.url("/moved"))
    ]


def test_lint_and_link_problems_together(tmp_path: Path, server: LinkServer) -> None:
    rows = [*link_rows(server, ["/gone404"]), "Bad,javascript:alert(1),Reading,,false,false"]
    write_data(tmp_path, rows)
    report = json.loads(online(tmp_path, "--format", "json").stdout)
    assert sorted((p["kind"], p["line"]) for p in report["problems"]) == [
        ("bad-url", 3),
        ("http-error", 2),
    ]
    assert set(server.hits) == {("HEAD", "/gone404"), ("GET", "/gone404")}  # not the bad URL


# the cache


def test_the_cache_is_reused_within_its_ttl(tmp_path: Path, server: LinkServer) -> None:
    routes = ["/ok", "/moved", "/gone404", "/nohead"]
    write_data(tmp_path, link_rows(server, routes))
    first = online(tmp_path, "--format", "json")
    assert first.returncode == 1
    cache = tmp_path / ".seml-cache" / "links.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    statuses = {r["url"]: r["status"] for r in stored["results"].values()}
    assert statuses == {
        server.url("/ok"): "ok",
        server.url("/moved"): "redirected",
        server.url("/gone404"): "http-error",
        server.url("/nohead"): "ok",
    }
    hits = dict(server.hits)
    assert json.loads(first.stdout)["summary"]["checked"] == 4

    second = online(tmp_path, "--format", "json")
    assert dict(server.hits) == hits  # not one request
    assert second.returncode == 1  # the cached 404 is still a problem
    first_report, second_report = json.loads(first.stdout), json.loads(second.stdout)
    assert second_report["problems"] == first_report["problems"]
    assert second_report["notes"] == first_report["notes"]
    assert (second_report["summary"]["checked"], second_report["summary"]["cached"]) == (0, 4)

    again = online(tmp_path, "--format", "json", "--ttl", "0")
    assert again.returncode == 1
    assert json.loads(again.stdout)["summary"]["checked"] == 4
    assert server.hits[("HEAD", "/gone404")] == hits[("HEAD", "/gone404")] + 1
    assert server.total_hits() == 2 * sum(hits.values())


def test_only_what_is_not_cached_is_checked(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok"]))
    assert online(tmp_path).returncode == 0
    write_data(tmp_path, link_rows(server, ["/ok", "/temp"]))
    hits = server.total_hits()
    report = json.loads(online(tmp_path, "--format", "json").stdout)
    assert (report["summary"]["checked"], report["summary"]["cached"]) == (1, 1)
    assert server.total_hits() - hits == 2  # /temp and the /ok it leads to; /ok itself cached


def test_links_the_deadline_left_unchecked_are_checked_next_time(
    tmp_path: Path, server: LinkServer
) -> None:
    """One request at a time; /hang holds it past the 1 s deadline, so /ok is never asked.
    Its "not checked" is no result to keep: the next run (within the TTL) asks for it."""
    write_data(tmp_path, link_rows(server, ["/hang", "/ok"]))
    first = seml(
        tmp_path, "--online", "--timeout", "10", "--deadline", "1", "--per-host", "1",
        "--format", "json",
    )  # fmt: skip
    assert first.returncode == 1
    assert server.hits[("HEAD", "/ok")] == 0
    assert {p["url"] for p in json.loads(first.stdout)["problems"]} == {
        server.url("/hang"),
        server.url("/ok"),
    }
    write_data(tmp_path, link_rows(server, ["/ok"]))
    second = online(tmp_path, "--format", "json")
    assert server.hits[("HEAD", "/ok")] == 1
    assert (second.returncode, json.loads(second.stdout)["problems"]) == (0, [])


@pytest.mark.parametrize("text", ["{not json", '{"version": 99, "results": {}}', "[]"])
def test_an_unusable_cache_is_ignored_and_replaced(
    tmp_path: Path, server: LinkServer, text: str
) -> None:
    write_data(tmp_path, link_rows(server, ["/ok"]))
    cache = tmp_path / ".seml-cache" / "links.json"
    cache.parent.mkdir()
    cache.write_text(text, encoding="utf-8")
    result = online(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert server.hits[("HEAD", "/ok")] == 1
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert [r["url"] for r in stored["results"].values()] == [server.url("/ok")]


def test_the_cache_option(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok"]))
    assert online(tmp_path, "--cache", "here/results.json").returncode == 0
    assert (tmp_path / "here" / "results.json").is_file()
    assert not (tmp_path / ".seml-cache").exists()


# the progress bar


def test_no_progress_bar_when_piped(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok", "/temp"]))
    result = online(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "checking links" not in result.stdout


def test_a_progress_bar_on_a_terminal(tmp_path: Path, server: LinkServer) -> None:
    write_data(tmp_path, link_rows(server, ["/ok", "/temp", "/nohead"]))
    leader, follower = pty.openpty()
    try:
        result = seml(tmp_path, "--online", "--timeout", "1", stderr=follower)
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert result.returncode == 0
    text = shown.decode("utf-8")
    assert "checking links" in text
    assert "3/3" in text
    assert "checking links" not in result.stdout


def test_a_failure_that_may_pass_is_checked_again_every_run(
    tmp_path: Path, server: LinkServer
) -> None:
    """A 429 is cached (the build reads it) but never fresh; a 404 stays cached."""
    write_data(tmp_path, link_rows(server, ["/busy-long", "/gone404"]))
    assert online(tmp_path, "--retries", "0").returncode == 1
    assert (server.hits[("HEAD", "/busy-long")], server.hits[("HEAD", "/gone404")]) == (1, 1)
    report = json.loads(online(tmp_path, "--retries", "0", "--format", "json").stdout)
    assert (server.hits[("HEAD", "/busy-long")], server.hits[("HEAD", "/gone404")]) == (2, 1)
    assert (report["summary"]["checked"], report["summary"]["cached"]) == (1, 1)
    assert {p["status"] for p in report["problems"]} == {429, 404}


def test_refused_input_with_json_format_still_prints_one_object(tmp_path: Path) -> None:
    result = seml(tmp_path, "--data", "nowhere.csv", "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert "nowhere.csv" in report["error"]
    assert report["problem"]["kind"] == "missing-file"
