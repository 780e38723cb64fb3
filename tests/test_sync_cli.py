"""`seml sync` end to end: the replay of the whole upstream history, real `seml` subprocesses in
tmp_path, a local HTTP server as the URL source, interrupted writes, and the shipped data."""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from mkdocs_seml_plugin.load import (
    dump_categories,
    read_categories,
    read_csv,
    read_upstream_intros,
    upstream_intros_path,
    write_atomic,
)
from mkdocs_seml_plugin.model import normalize_url
from mkdocs_seml_plugin.sync import SyncResult, merge_readme, render_csv
from mkdocs_seml_plugin.upstream import UpstreamList, parse_readme

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).parents[1]
SHARED = REPO.parent / "shared" / "data"
HISTORY = sorted((SHARED / "awesome-seml" / "history").glob("*.md"))
SEED = SHARED / "seed-links.csv"

HEADER = (
    "title",
    "url",
    "category",
    "description",
    "must_read",
    "scientific",
    "added",
    "origin",
    "team_note",
)
LOCAL = {
    "title": "Our onboarding page",
    "url": "https://handbook.example/local",
    "category": "Handbook",
    "description": "Read this first",
    "must_read": "",
    "scientific": "",
    "added": "",
    "origin": "",
    "team_note": "ours",
}
LOCAL_KEY = normalize_url(LOCAL["url"])


# -- helpers -----------------------------------------------------------------------------------


def seml(
    *args: str, cwd: Path, epoch: int | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real `seml` command of this environment in `cwd`."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_seml_plugin", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def sync_json(*args: str, cwd: Path, epoch: int | None = None) -> tuple[int, dict[str, Any]]:
    done = seml("sync", *args, "--format", "json", cwd=cwd, epoch=epoch)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def version_time(path: Path) -> dt.datetime:
    """The commit time in a history file name, e.g. 001_20200128T221158_20daa96.md."""
    stamp = path.name.split("_")[1]
    return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)


def version(number: int) -> Path:
    path = HISTORY[number - 1]
    assert path.name.startswith(f"{number:03d}_")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and mtime."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def readme(sections: dict[str, list[str]]) -> str:
    out = ["# List", "", "Intro with a [prose link](https://prose.example/).", ""]
    out += ["## Contents", ""] + [f"- [{name}](#x)" for name in sections]
    for name, items in sections.items():
        out += ["", f"## {name}", "", f"About {name.lower()}.", "", *items]
    return "\n".join([*out, "", "## License", "", "CC0", ""])


V1 = readme(
    {
        "Papers": [
            "- [Paper A](https://a.example/paper) \U0001f393",
            "- [Paper B](https://b.example/paper) \u2b50",
        ],
        "Tools": ["- [Tool C](https://c.example/) - Does C."],
    }
)
V2 = readme(
    {
        "Publications": [
            "- [Paper A](https://a.example/paper) \U0001f393",
            "- [Paper B](https://b.example/paper) \u2b50",
        ],
        "Tools": [
            "- [Tool C](https://c.example/) - Does C better.",
            "- [Tool D](https://d.example/) - New.",
        ],
    }
)
V2_REPORT = {
    "added": ["https://d.example/"],
    "changed": ["https://c.example/"],
    "moved": [],
    "renamed": [{"from": "Papers", "to": "Publications", "count": 2}],
    "removed": [],
    "kept": [],
}


def changes(report: dict[str, Any]) -> dict[str, Any]:
    """The change lists of a JSON report, entries as URLs (renames as they are)."""
    return {
        action: [
            {k: e[k] for k in ("from", "to", "count")} if action == "renamed" else e["url"]
            for e in report[action]
        ]
        for action in ("added", "changed", "moved", "renamed", "removed", "kept")
    }


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with V1 and V2 READMEs and a `data/` folder with only the local row."""
    (tmp_path / "v1.md").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.md").write_text(V2, encoding="utf-8")
    (tmp_path / "data").mkdir()
    write_rows(tmp_path / "data" / "links.csv", [LOCAL])
    return tmp_path


# -- THE REPLAY: all 110 versions of the upstream README, in order ------------------------------


@dataclass
class Diff:
    """A sync report reduced to what the replay checks: normalized URLs per action."""

    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)
    renamed: set[tuple[str, str, int]] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)
    problems: int = 0

    @classmethod
    def of_result(cls, result: SyncResult) -> Diff:
        diff = cls(problems=len(result.problems))
        for change in result.changes:
            key = normalize_url(change.url) if change.url else ""
            if change.action == "moved":
                assert key not in diff.moved
                diff.moved[key] = (change.old_category, change.category)
            elif change.action == "renamed":
                diff.renamed.add((change.old_category, change.category, change.count))
            else:
                getattr(diff, change.action).add(key)
        return diff

    @classmethod
    def of_json(cls, report: dict[str, Any]) -> Diff:
        diff = cls(problems=len(report["problems"]))
        for action in ("added", "removed", "changed", "kept"):
            getattr(diff, action).update(normalize_url(e["url"]) for e in report[action])
        for entry in report["moved"]:
            diff.moved[normalize_url(entry["url"])] = (entry["from"], entry["category"])
        diff.renamed = {(e["from"], e["to"], e["count"]) for e in report["renamed"]}
        return diff


TRACKED = ("title", "url", "description", "must_read", "scientific")


def new_urls(previous: dict[str, dict[str, str]], parsed: UpstreamList) -> dict[str, str]:
    """New key -> old key for links whose URL changed while the title stayed: the old URL
    gone, the new one new, and the title unique among the gone and among the new links."""
    links = {normalize_url(link.url): link for link in parsed.links}
    gone = defaultdict(list)
    for key, row in previous.items():
        if key not in links and key not in parsed.unparsed:
            gone[row["title"].strip().casefold()].append(key)
    new = defaultdict(list)
    for key, link in links.items():
        if key not in previous:
            new[link.title.strip().casefold()].append(key)
    return {
        new[title][0]: keys[0]
        for title, keys in gone.items()
        if len(keys) == 1 and len(new.get(title, [])) == 1
    }


def rekeyed(
    previous: dict[str, dict[str, str]], moves: dict[str, str]
) -> dict[str, dict[str, str]]:
    """`previous` with the rows of changed URLs filed under their new keys."""
    old_keys = set(moves.values())
    state = {key: row for key, row in previous.items() if key not in old_keys}
    state.update({new: previous[old] for new, old in moves.items()})
    return state


def expected_state(
    previous: dict[str, dict[str, str]], parsed: UpstreamList, today: str
) -> dict[str, dict[str, str]]:
    """The managed rows after a sync, from the parse alone: every link, `added` kept for links
    already there (under the same title when the URL changed); rows of malformed items
    (`unparsed`) kept from before. `previous` is keyed as after the URL changes."""
    state = {}
    for link in parsed.links:
        key = normalize_url(link.url)
        state[key] = {
            "title": link.title,
            "url": link.url,
            "category": link.category,
            "description": link.description,
            "must_read": str(link.must_read).lower(),
            "scientific": str(link.scientific).lower(),
            "added": previous[key]["added"] if key in previous else today,
            "origin": "upstream",
        }
    for key in parsed.unparsed:
        if key in previous and key not in state:
            state[key] = previous[key]
    return state


def expected_diff(
    before: dict[str, dict[str, str]],
    after: dict[str, dict[str, str]],
    old_names: list[str],
    new_names: list[str],
) -> Diff:
    """The difference between two states, computed independently of sync's code."""
    diff = Diff()
    diff.added = set(after) - set(before)
    diff.removed = set(before) - set(after)
    common = set(before) & set(after)
    diff.changed = {k for k in common if any(before[k][f] != after[k][f] for f in TRACKED)}
    recategorized = {
        k: (before[k]["category"], after[k]["category"])
        for k in common
        if before[k]["category"] != after[k]["category"]
    }
    # A rename: a category that vanished, all of whose rows now sit in one new category.
    members: dict[str, set[str]] = defaultdict(set)
    for key, row in before.items():
        members[row["category"]].add(key)
    existed = set(members) | set(old_names)
    renamed_keys = set()
    for old, keys in members.items():
        targets = {recategorized[k][1] for k in keys if k in recategorized}
        if (
            old not in new_names
            and len(targets) == 1
            and all(k in recategorized for k in keys)
            and not targets & existed
        ):
            diff.renamed.add((old, targets.pop(), len(keys)))
            renamed_keys |= keys
    diff.moved = {k: v for k, v in recategorized.items() if k not in renamed_keys}
    return diff


#: Versions synced through the real `seml` command rather than the core functions: the first,
#: big reorganisations (4, 17, 18, 33), the malformed MLFlow item (28), Governance leaving and
#: coming back (66, 67), and the newest.
CLI_STEPS = {1, 4, 17, 18, 28, 33, 66, 67, 110}
RULES_OF_ML = normalize_url("https://developers.google.com/machine-learning/guides/rules-of-ml")
CD4ML = normalize_url("https://martinfowler.com/articles/cd4ml.html")


def core_step(data: Path, path: Path, today: str) -> tuple[Diff, int]:
    """One sync with the core functions, as the CLI does it; the diff and the exit code."""
    table = read_csv(data)
    categories_path = data.with_name("categories.yml")
    upstream = parse_readme(path.read_text(encoding="utf-8"), path.name)
    memory = upstream_intros_path(categories_path)
    last = read_upstream_intros(memory)
    result = merge_readme(table, read_categories(categories_path), upstream, today, False, last)
    write_atomic(data, render_csv(result, table.header))
    assert result.categories is not None
    assert result.upstream_intros is not None
    write_atomic(categories_path, dump_categories(result.categories, ""))
    write_atomic(memory, dump_categories(result.upstream_intros, ""))
    return Diff.of_result(result), 1 if result.problems else 0


def test_replay_the_whole_history(tmp_path: Path) -> None:
    assert len(HISTORY) == 110
    data = tmp_path / "data" / "links.csv"
    data.parent.mkdir()
    write_rows(data, [LOCAL])
    notes = {LOCAL_KEY: "ours"}  # the team_note values that must survive
    state: dict[str, dict[str, str]] = {}
    old_names: list[str] = []
    seen: dict[str, list[str]] = defaultdict(list)  # key -> actions seen over the replay
    renames = []
    url_changes: dict[str, str] = {}
    for number, path in enumerate(HISTORY, start=1):
        when = version_time(path)
        today = when.date().isoformat()
        parsed = parse_readme(path.read_text(encoding="utf-8"), path.name)
        moves = new_urls(state, parsed)
        state = rekeyed(state, moves)
        notes = {new: notes[old] for new, old in moves.items() if old in notes} | {
            key: note for key, note in notes.items() if key not in moves.values()
        }
        url_changes.update(moves)
        new_state = expected_state(state, parsed, today)
        new_names = [c.name for c in parsed.categories]
        expected = expected_diff(state, new_state, old_names, new_names)
        expected.problems = len(parsed.problems)

        if number in CLI_STEPS:
            code, report = sync_json(
                str(path), "--data", "data/links.csv", cwd=tmp_path, epoch=int(when.timestamp())
            )
            assert report["dry_run"] is False
            assert report["written"], f"version {number}: nothing written"
            diff = Diff.of_json(report)
        else:
            diff, code = core_step(data, path, today)

        where = f"version {number} ({path.name})"
        assert diff == expected, where
        assert code == (1 if parsed.problems else 0), where

        rows = read_rows(data)
        assert tuple(rows[0]) == HEADER, where
        keys = [normalize_url(row["url"]) for row in rows]
        assert len(keys) == len(set(keys)), f"{where}: a URL is in the data twice"
        actual = dict(zip(keys, rows, strict=True))
        assert actual.pop(LOCAL_KEY) == LOCAL, where
        assert {k: {c: v for c, v in r.items() if c != "team_note"} for k, r in actual.items()} == (
            new_state
        ), where
        assert {k: r["team_note"] for k, r in zip(keys, rows, strict=True) if r["team_note"]} == (
            notes
        ), where
        # Nobody edits an intro here: every intro is upstream's.
        intros = {c.name: c.intro for c in read_categories(data.with_name("categories.yml"))}
        assert intros == {c.name: c.intro for c in parsed.categories}, where
        # Managed rows stand in upstream order.
        parsed_keys = [normalize_url(link.url) for link in parsed.links]
        assert [k for k in keys if k in set(parsed_keys)] == parsed_keys, where

        for key in diff.added | diff.changed | set(diff.moved):
            seen[key].append("added" if key in diff.added else "changed/moved")
        renames += sorted(diff.renamed)
        state, old_names = new_state, new_names

        # The team annotates two upstream rows once they appear; sync must carry the notes
        # through every later change, move and rename.
        for key, note in ((RULES_OF_ML, "keep me"), (CD4ML, "moved around")):
            if key in state and key not in notes:
                rows = read_rows(data)
                for row in rows:
                    if normalize_url(row["url"]) == key:
                        row["team_note"] = note
                write_rows(data, rows)
                notes[key] = note

    # The replay went through what it is meant to test.
    assert set(notes) == {LOCAL_KEY, RULES_OF_ML, CD4ML}
    assert len(url_changes) >= 4  # links that got a new URL upstream kept their rows
    assert ("Social aspects", "Social Aspects") in {(a, b) for a, b, _ in renames}
    assert len(seen[CD4ML]) >= 3, seen[CD4ML]  # added, then changed and moved at least twice
    final = read_rows(data)
    assert len(final) == 85
    assert sum(row["origin"] == "upstream" for row in final) == 84

    # `added` is the date of the version a link first appeared in (for links never dropped).
    texts = [path.read_text(encoding="utf-8") for path in HISTORY]
    added = {normalize_url(row["url"]): row["added"] for row in final}
    for url in (
        "https://developers.google.com/machine-learning/guides/rules-of-ml",
        "https://papers.nips.cc/paper/5656-hidden-technical-debt-in-machine-learning-systems.pdf",
        "https://mlflow.org/",  # malformed in version 28: its row and date were kept
        "https://aimstack.io",
    ):
        first = next(i for i, text in enumerate(texts) if f"({url})" in text or f"({url}\n" in text)
        assert all(url in text for text in texts[first:]), url
        assert added[normalize_url(url)] == version_time(HISTORY[first]).date().isoformat(), url


# -- exit codes, dry run, backups, round trip ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["v1.md"], 0, "", id="clean"),
        pytest.param([str(version(28))], 1, ":100: list item is not", id="malformed-item"),
        pytest.param(["nowhere.md"], 2, "nowhere.md", id="missing-source"),
        pytest.param(["ftp://example.org/README.md"], 2, "ftp://", id="unsupported-scheme"),
        pytest.param(["v1.md", "--bogus"], 2, "--bogus", id="bad-usage"),
    ],
)
def test_exit_codes(work: Path, args: list[str], code: int, message: str) -> None:
    done = seml("sync", *args, cwd=work)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert message in done.stdout + done.stderr


def test_dry_run_writes_nothing_and_reports_what_a_real_run_does(work: Path) -> None:
    seml("sync", "v1.md", cwd=work, epoch=1_700_000_000)
    before = snapshot(work / "data")
    assert set(before) == {
        "links.csv",
        "links.csv.bak",
        "categories.yml",
        "categories.upstream.yml",
    }
    time.sleep(0.01)
    code, dry = sync_json("v2.md", "--dry-run", cwd=work, epoch=1_800_000_000)
    assert code == 0
    assert snapshot(work / "data") == before
    assert (dry["dry_run"], dry["written"]) == (True, [])

    code, real = sync_json("v2.md", cwd=work, epoch=1_800_000_000)
    assert code == 0
    assert (real["dry_run"], sorted(real["written"])) == (
        False,
        ["data/categories.upstream.yml", "data/categories.yml", "data/links.csv"],
    )
    assert changes(dry) == changes(real) == V2_REPORT
    assert real["renamed"][0]["links"] == [
        {"title": "Paper A", "url": "https://a.example/paper"},
        {"title": "Paper B", "url": "https://b.example/paper"},
    ]
    assert {k: v for k, v in dry.items() if k not in ("dry_run", "written")} == {
        k: v for k, v in real.items() if k not in ("dry_run", "written")
    }


def test_text_report_names_titles_and_both_categories(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    done = seml("sync", "v2.md", "--dry-run", cwd=work)
    lines = done.stdout.splitlines()
    assert any("Tool D" in line and line.startswith("added") for line in lines)
    assert any("Tool C" in line and "Does C better." in line for line in lines)
    (renamed,) = [line for line in lines if line.startswith("renamed")]
    assert '"Papers"' in renamed
    assert '"Publications"' in renamed
    assert lines[-1].startswith("1 added, 1 changed, 0 moved, 1 renamed, 0 removed, 0 kept")
    assert "dry run" in lines[-1]


def test_backup_holds_the_previous_bytes(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    links, categories = work / "data" / "links.csv", work / "data" / "categories.yml"
    old_links, old_categories = links.read_bytes(), categories.read_bytes()
    assert seml("sync", "v2.md", cwd=work).returncode == 0
    assert links.read_bytes() != old_links
    assert (work / "data" / "links.csv.bak").read_bytes() == old_links
    assert (work / "data" / "categories.yml.bak").read_bytes() == old_categories


def test_round_trip_reports_nothing_and_rewrites_nothing(work: Path) -> None:
    code, first = sync_json("v1.md", cwd=work, epoch=1_700_000_000)
    assert code == 0
    assert len(first["added"]) == 3
    before = snapshot(work / "data")
    time.sleep(0.01)
    code, again = sync_json("v1.md", cwd=work, epoch=1_800_000_000)  # another day
    assert code == 0
    assert all(entries == [] for entries in changes(again).values())
    assert (again["written"], again["problems"]) == ([], [])
    assert snapshot(work / "data") == before  # not rewritten, no .bak


def test_round_trip_with_the_newest_readme_and_the_seed(tmp_path: Path) -> None:
    assert seml("sync", str(version(110)), cwd=tmp_path).returncode == 0
    assert seml("sync", str(SEED), cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "data")
    for source in (version(110), SEED):
        code, report = sync_json(str(source), cwd=tmp_path)
        assert code == 0
        assert report["written"] == []
        kinds = {a: v for a, v in changes(report).items() if v}
        # Re-importing the seed keeps every seed row (its URLs are all present now).
        assert set(kinds) == (set() if source != SEED else {"kept"})
    assert snapshot(tmp_path / "data") == before


def test_prune_removes_the_local_row(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    code, report = sync_json("v1.md", "--prune", cwd=work)
    assert code == 0
    assert changes(report)["removed"] == [LOCAL["url"]]
    assert LOCAL_KEY not in {normalize_url(r["url"]) for r in read_rows(work / "data/links.csv")}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "<!DOCTYPE html>\n<html><head><title>404: Not Found</title></head>\n"
            "<body><h1>404: Not Found</h1><p><a href='https://github.com/'>Home</a></p></body>"
            "</html>\n",
            id="html-error-page",
        ),
        pytest.param("404: Not Found", id="raw-github-404"),
        pytest.param(
            "# Moved\n\nThis list moved to [a new home](https://x.example/).\n", id="moved"
        ),
        pytest.param("", id="empty"),
    ],
)
def test_source_without_resources_is_refused(work: Path, text: str) -> None:
    seml("sync", "v1.md", cwd=work)
    before = snapshot(work / "data")
    (work / "README.md").write_text(text, encoding="utf-8")
    done = seml("sync", "README.md", cwd=work)
    assert done.returncode == 2
    assert "no resources" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(work / "data") == before


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param(
            'title,url,category\nA,"https://a.example/"x,Tools\n', 2, id="text-after-quote"
        ),
        pytest.param(
            'title,url,category\nA,https://a.example/,Tools\nB,"https://b.example/,Tools\n',
            3,
            id="unterminated-quote",
        ),
    ],
)
def test_unreadable_data_file_is_refused_naming_file_and_line(
    work: Path, content: str, line: int
) -> None:
    links = work / "data" / "links.csv"
    links.write_text(content, encoding="utf-8")
    before = snapshot(work / "data")
    done = seml("sync", "v1.md", cwd=work)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"data/links.csv:{line}:" in done.stderr
    assert snapshot(work / "data") == before


# -- the seed import -----------------------------------------------------------------------------

PAGE_LINKS = {1: "take and share the survey", 2: "read more"}
REPAIRED = {
    13: "The Data Linter: Lightweight, Automated Sanity Checking for ML Data Sets",
    17: "Machine Learning Testing: Survey, Landscapes and Horizons",
}


def test_seed_import_into_an_empty_data_dir(tmp_path: Path) -> None:
    code, report = sync_json(str(SEED), cwd=tmp_path, epoch=1_700_000_000)
    assert code == 0
    assert report["problems"] == []
    # The two page links are skipped and the two repairs reported, each with its line.
    skipped, repaired = report["notes"][:2], report["notes"][2:]
    for note, (line, title) in zip(skipped, PAGE_LINKS.items(), strict=True):
        assert f"seed-links.csv:{line}: skipped {title!r}" in note
    for note, (line, title) in zip(repaired, REPAIRED.items(), strict=True):
        assert f"seed-links.csv:{line}:" in note
        assert title in note
    rows = read_rows(tmp_path / "data" / "links.csv")
    with SEED.open(encoding="utf-8", newline="") as handle:
        records = [r for r in csv.reader(handle) if r[1] not in PAGE_LINKS.values()]
    urls = {normalize_url(record[0]) for record in records}
    assert len(urls) == len(records) == 55
    assert {normalize_url(r["url"]) for r in rows} == urls
    practices = next(r for r in rows if r["url"] == "https://se-ml.github.io/practices/")
    assert practices["title"] == "Engineering Best Practices for Machine Learning"
    assert len(rows) == len(urls) == len(report["added"])
    titles = {r["title"] for r in rows}
    assert set(REPAIRED.values()) <= titles
    assert all(r["origin"] == "seed" and r["added"] == "2023-11-14" for r in rows)
    assert {r["category"] for r in rows} == {"Software Engineering for Machine Learning"}

    before = snapshot(tmp_path / "data")
    code, again = sync_json(str(SEED), cwd=tmp_path)
    assert code == 0
    assert (again["added"], again["written"]) == ([], [])
    assert snapshot(tmp_path / "data") == before


# -- BOM, CRLF, file mode --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "crlf"), [(True, False), (False, True), (True, True), (False, False)]
)
def test_bom_and_crlf_are_kept(work: Path, bom: bool, crlf: bool) -> None:
    seml("sync", "v1.md", cwd=work)
    links = work / "data" / "links.csv"
    text = links.read_text(encoding="utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    links.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    code, report = sync_json("v2.md", cwd=work)
    assert code == 0
    assert "data/links.csv" in report["written"]
    data = links.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    assert data.count(b"\xef\xbb\xbf") == int(bom)
    newlines = data.count(b"\n")
    assert data.count(b"\r\n") == (newlines if crlf else 0)
    assert len(read_rows(links)) == 5  # local + 4 upstream


@pytest.mark.parametrize("mode", [0o644, 0o640], ids=["644", "640"])
def test_file_mode_of_the_data_file_is_kept(work: Path, mode: int) -> None:
    """An atomic rewrite must not change who can read the data (a temp file is 0600)."""
    links = work / "data" / "links.csv"
    links.chmod(mode)
    assert seml("sync", "v1.md", cwd=work).returncode == 0
    assert links.stat().st_mode & 0o777 == mode


def test_new_files_get_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert seml("sync", str(version(110)), cwd=tmp_path).returncode == 0
    for name in ("links.csv", "categories.yml"):
        assert (tmp_path / "data" / name).stat().st_mode & 0o777 == 0o666 & ~umask, name


def test_dry_run_into_an_empty_folder_creates_nothing(tmp_path: Path) -> None:
    code, report = sync_json(str(version(110)), "--dry-run", cwd=tmp_path)
    assert code == 0
    assert len(report["added"]) == 84
    assert list(tmp_path.iterdir()) == []


# -- the URL source, against a real local HTTP server ----------------------------------------------

BIG = 5 * 1024 * 1024 + 4096


class _Handler(http.server.BaseHTTPRequestHandler):
    release: threading.Event

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, code: int, body: bytes, **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/README.md":
            self._send(200, V1.encode("utf-8"))
        elif self.path == "/redirect":
            self._send(302, b"", Location="/README.md")
        elif self.path == "/hang":
            self.release.wait(30)
        elif self.path == "/big":
            line = b"- [Big](https://big.example/)\n"
            body = b"## Big\n\n" + line * (BIG // len(line))
            self.send_response(200)
            self.send_header("Content-Type", "text/markdown")
            self.end_headers()  # no Content-Length: the limit must hold while streaming
            for start in range(0, len(body), 65536):
                self.wfile.write(body[start : start + 65536])
        else:
            self._send(404, b"404: Not Found")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hanging up on /big or /hang is expected


@pytest.fixture
def server() -> Iterator[str]:
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.mark.parametrize("path", ["/README.md", "/redirect"])
def test_url_source(work: Path, server: str, path: str) -> None:
    code, report = sync_json(server + path, cwd=work)
    assert code == 0
    assert len(report["added"]) == 3
    rows = read_rows(work / "data" / "links.csv")
    assert [r["title"] for r in rows] == [LOCAL["title"], "Paper A", "Paper B", "Tool C"]


@pytest.mark.parametrize(
    ("path", "args", "message"),
    [
        pytest.param("/missing", [], "404", id="not-found"),
        pytest.param("/hang", ["--timeout", "1"], "no answer within 1 s", id="timeout"),
        pytest.param("/big", [], "larger than", id="oversized"),
    ],
)
def test_url_source_refused(
    work: Path, server: str, path: str, args: list[str], message: str
) -> None:
    before = snapshot(work / "data")
    start = time.monotonic()
    done = seml("sync", server + path, *args, cwd=work, timeout=30)
    assert time.monotonic() - start < 10
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(work / "data") == before


# -- interrupted writes ----------------------------------------------------------------------------

WRAPPER = """\
import os, signal, sys
from mkdocs_seml_plugin import cli

def fail(src, dst):
    raise OSError(28, "No space left on device")

def kill(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)

replace = os.replace

def fail_on_links(src, dst):
    if str(dst).endswith("links.csv"):
        fail(src, dst)
    replace(src, dst)

os.replace = {"fail": fail, "kill": kill, "fail-on-links": fail_on_links}[sys.argv.pop(1)]
raise SystemExit(cli.main())
"""


def interrupted(work: Path, mode: str) -> subprocess.CompletedProcess[str]:
    (work / "wrapper.py").write_text(WRAPPER, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "wrapper.py", mode, "sync", "v2.md"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_failing_replace_leaves_the_old_file_and_no_temp_file(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    links = work / "data" / "links.csv"
    old = links.read_bytes()
    done = interrupted(work, "fail")
    assert done.returncode != 0
    assert links.read_bytes() == old
    assert sorted(p.name for p in (work / "data").iterdir()) == [
        "categories.upstream.yml",
        "categories.yml",
        "links.csv",
        "links.csv.bak",
    ]


def test_failing_write_is_reported_without_a_traceback(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    before = snapshot(work / "data")
    done = interrupted(work, "fail")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "data/categories.upstream.yml: could not write: No space left on device" in done.stderr
    assert done.stderr.rstrip().endswith("nothing was written")  # the first write failed
    assert snapshot(work / "data") == before


def test_a_write_failing_after_others_names_what_was_written(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    links = work / "data" / "links.csv"
    old = links.read_bytes()
    done = interrupted(work, "fail-on-links")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "data/links.csv: could not write: No space left on device; already written: " in (
        done.stderr
    )
    assert "data/categories.yml" in done.stderr
    assert links.read_bytes() == old


def test_killed_between_temp_write_and_replace_leaves_the_old_file(work: Path) -> None:
    seml("sync", "v1.md", cwd=work)
    links, categories = work / "data" / "links.csv", work / "data" / "categories.yml"
    old_links, old_categories = links.read_bytes(), categories.read_bytes()
    done = interrupted(work, "kill")
    assert done.returncode == -9
    assert links.read_bytes() == old_links
    assert categories.read_bytes() == old_categories
    assert read_rows(links)[0] == LOCAL  # still a readable data file


# -- regenerating the shipped data (issue 3, item 5) -----------------------------------------------

SHIPPED = REPO / "data" / "links.csv"
AX = "https://ax.dev"


def test_regenerate_the_shipped_data(tmp_path: Path) -> None:
    """`seml sync` of the newest README, then of the seed, gives the shipped data but for:

    - `added`: the shipped rows carry the date each link first appeared upstream; a one-shot
      sync dates them all to the day of the sync;
    - Ax, the seed resource upstream dropped: the flat import gives it the seed's list name as
      its category and no description; the shipped row has its category and description from
      the upstream history (Tooling).
    """
    epoch = int(version_time(version(110)).timestamp())
    assert seml("sync", str(version(110)), cwd=tmp_path, epoch=epoch).returncode == 0
    assert seml("sync", str(SEED), cwd=tmp_path, epoch=epoch).returncode == 0
    made = read_rows(tmp_path / "data" / "links.csv")
    shipped = read_rows(SHIPPED)
    assert list(made[0]) == list(shipped[0])

    made_by = {normalize_url(r["url"]): r for r in made}
    shipped_by = {normalize_url(r["url"]): r for r in shipped}
    assert list(made_by) == list(shipped_by)  # the same links in the same order

    differences = {}
    for key, row in made_by.items():
        differing = {c for c in row if row[c] != shipped_by[key][c]} - {"added"}
        if differing:
            differences[key] = differing
    assert differences == {AX: {"category", "description"}}
    assert made_by[AX]["category"] == "Software Engineering for Machine Learning"
    assert made_by[AX]["description"] == ""
    assert shipped_by[AX]["category"] == "Tooling"
    assert made_by[AX]["origin"] == shipped_by[AX]["origin"] == "seed"
    assert sum(r["origin"] == "upstream" for r in made) == 84

    made_categories = yaml.safe_load((tmp_path / "data" / "categories.yml").read_text("utf-8"))
    shipped_categories = yaml.safe_load((REPO / "data" / "categories.yml").read_text("utf-8"))
    assert made_categories == shipped_categories


# -- category intros: upstream's follow upstream, the user's stay -------------------------------


def intro_readme(papers: str, tools: str) -> str:
    return (
        f"# List\n\n## Papers\n\n{papers}\n\n- [A](https://a.example/)\n\n"
        f"## Tools\n\n{tools}\n\n- [B](https://b.example/)\n"
    )


def test_intros_follow_upstream_unless_edited_by_hand(tmp_path: Path) -> None:
    (tmp_path / "v1.md").write_text(intro_readme("Old papers.", "Old tools."), encoding="utf-8")
    (tmp_path / "v2.md").write_text(intro_readme("New papers.", "New tools."), encoding="utf-8")
    assert seml("sync", "v1.md", cwd=tmp_path).returncode == 0
    categories = tmp_path / "data" / "categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("Old tools.", "Our own words."),
        encoding="utf-8",
    )
    done = seml("sync", "v2.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    intros = {c.name: c.intro for c in read_categories(categories)}
    assert intros == {"Papers": "New papers.", "Tools": "Our own words."}
    (note,) = [line for line in done.stdout.splitlines() if line.startswith("note")]
    assert "'Tools'" in note
    assert "New tools." in note

    # Without the memory of what upstream said, an intro that differs counts as edited.
    upstream_intros_path(categories).unlink()
    (tmp_path / "v3.md").write_text(intro_readme("Newer.", "Newer."), encoding="utf-8")
    seml("sync", "v3.md", cwd=tmp_path)
    intros = {c.name: c.intro for c in read_categories(categories)}
    assert intros == {"Papers": "New papers.", "Tools": "Our own words."}
