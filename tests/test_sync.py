"""sync: the pure merge of upstream (README or flat seed CSV) into the data rows, and the diff."""

from __future__ import annotations

import csv
import io
import textwrap

import pytest

from mkdocs_seml_plugin.load import RawCategory, parse_csv
from mkdocs_seml_plugin.sync import SyncResult, merge_flat, merge_readme, parse_flat, render_csv
from mkdocs_seml_plugin.upstream import parse_readme

HEADER = "title,url,category,description,must_read,scientific,added,origin,team_note"
TODAY = "2024-05-01"
STAR, CAP = "\u2b50", "\U0001f393"


def readme(sections: dict[str, list[str]], intros: dict[str, str] | None = None) -> str:
    """A README: `## name`, an optional intro, then `- [Title](url) ...` items."""
    out = ["# List", "", "## Contents", ""]
    out += [f"- [{name}](#{name.lower()})" for name in sections]
    for name, items in sections.items():
        out += ["", f"## {name}", ""]
        if intros and name in intros:
            out += [intros[name], ""]
        out += items
    out += ["", "## Contribute", "", "- [Guide](contributing.md)", ""]
    return "\n".join(out)


def merge(
    rows: str,
    sections: dict[str, list[str]],
    *,
    categories: list[RawCategory] | None = None,
    intros: dict[str, str] | None = None,
    prune: bool = False,
    header: str = HEADER,
) -> tuple[SyncResult, str, str]:
    """Merge a README into a CSV (header + `rows`); the result, the CSV text before and after."""
    before = header + "\n" + textwrap.dedent(rows)
    table = parse_csv(before, "links.csv")
    upstream = parse_readme(readme(sections, intros), "README.md")
    result = merge_readme(table, categories or [], upstream, TODAY, prune=prune)
    return result, before, render_csv(result, table.header)


def records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def by_url(text: str) -> dict[str, dict[str, str]]:
    return {row["url"]: row for row in records(text)}


def summary(result: SyncResult) -> list[tuple[str, ...]]:
    return [
        (c.action, c.url, c.category, c.old_category, str(c.count) if c.count else "")
        for c in result.changes
    ]


# -- the five kinds of change -------------------------------------------------------------------


def test_added_row_gets_todays_date_and_upstream_origin() -> None:
    result, _, after = merge("", {"Tools": [f"- [A](https://a.example/) {CAP}{STAR} - Does A."]})
    assert summary(result) == [("added", "https://a.example/", "Tools", "", "")]
    assert records(after) == [
        {
            "title": "A",
            "url": "https://a.example/",
            "category": "Tools",
            "description": "Does A.",
            "must_read": "true",
            "scientific": "true",
            "added": TODAY,
            "origin": "upstream",
            "team_note": "",
        }
    ]


@pytest.mark.parametrize(
    ("old", "item", "fields"),
    [
        pytest.param(
            "Old,https://a.example/,Tools,,false,false",
            "- [New](https://a.example/)",
            [("title", "Old", "New")],
            id="title",
        ),
        pytest.param(
            "A,https://a.example/,Tools,Old text.,false,false",
            "- [A](https://a.example/) - New text.",
            [("description", "Old text.", "New text.")],
            id="description",
        ),
        pytest.param(
            "A,https://a.example/,Tools,,false,true",
            f"- [A](https://a.example/) {STAR}",
            [("must_read", "false", "true"), ("scientific", "true", "false")],
            id="markers",
        ),
        pytest.param(
            "A,https://a.example/,Tools,,,",
            f"- [A](https://a.example/) {STAR}",
            [("must_read", "", "true")],
            id="empty-boolean-to-true",
        ),
    ],
)
def test_changed(old: str, item: str, fields: list[tuple[str, str, str]]) -> None:
    result, _, after = merge(f"{old},2020-01-01,upstream,note\n", {"Tools": [item]})
    (change,) = result.changes
    assert (change.action, change.url, list(change.fields)) == (
        "changed",
        "https://a.example/",
        fields,
    )
    (row,) = records(after)
    for column, _, new in fields:
        assert row[column] == new
    assert (row["added"], row["origin"], row["team_note"]) == ("2020-01-01", "upstream", "note")


@pytest.mark.parametrize(
    ("must_read", "scientific"), [("TRUE", "False"), ("True", ""), ("true", "FALSE")]
)
def test_same_boolean_in_another_spelling_is_no_change(must_read: str, scientific: str) -> None:
    line = f"A,https://a.example/,Tools,,{must_read},{scientific},2020-01-01,upstream,\n"
    result, before, after = merge(line, {"Tools": [f"- [A](https://a.example/) {STAR}"]})
    assert result.changes == []
    assert after == before


def test_moved_between_existing_categories() -> None:
    rows = """\
        A,https://a.example/,Tools,,false,false,2020-01-01,upstream,
        B,https://b.example/,Papers,,false,false,2020-01-01,upstream,
        """
    result, _, after = merge(
        rows, {"Tools": ["- [B](https://b.example/)"], "Papers": ["- [A](https://a.example/)"]}
    )
    assert sorted(summary(result)) == [
        ("moved", "https://a.example/", "Papers", "Tools", ""),
        ("moved", "https://b.example/", "Tools", "Papers", ""),
    ]
    assert {url: row["category"] for url, row in by_url(after).items()} == {
        "https://a.example/": "Papers",
        "https://b.example/": "Tools",
    }


def test_removed_when_upstream_drops_it() -> None:
    rows = """\
        A,https://a.example/,Tools,,false,false,2020-01-01,upstream,keep?
        B,https://b.example/,Tools,,false,false,2020-01-01,upstream,
        """
    result, _, after = merge(rows, {"Tools": ["- [B](https://b.example/)"]})
    assert summary(result) == [("removed", "https://a.example/", "Tools", "", "")]
    assert list(by_url(after)) == ["https://b.example/"]


@pytest.mark.parametrize("origin", ["", "seed", "mine", "Upstream-ish"])
def test_users_row_that_upstream_also_has_is_kept_as_it_is(origin: str) -> None:
    line = f"My title,https://a.example,Mine,My words,true,false,2019-01-01,{origin},ours\n"
    result, before, after = merge(
        line, {"Tools": [f"- [Their title](https://A.example/) {CAP} - Theirs."]}
    )
    ((action, url, category),) = [(c.action, c.url, c.category) for c in result.changes]
    assert (action, url, category) == ("kept", "https://a.example", "Mine")
    assert after == before


def test_origin_is_matched_case_insensitively() -> None:
    line = "A,https://a.example/,Tools,,false,false,2020-01-01,Upstream,\n"
    result, _, after = merge(line, {})
    assert summary(result) == [("removed", "https://a.example/", "Tools", "", "")]
    assert records(after) == []


# -- renames ---------------------------------------------------------------------------------

RENAME_ROWS = """\
    A,https://a.example/,Social aspects,,false,false,2020-01-01,upstream,
    B,https://b.example/,Social aspects,,false,false,2020-01-01,upstream,note b
    C,https://c.example/,Tools,,false,false,2020-01-01,upstream,
    """


def test_category_renamed_with_all_its_rows_is_one_change() -> None:
    result, _, after = merge(
        RENAME_ROWS,
        {
            "Social Aspects": ["- [A](https://a.example/)", "- [B](https://b.example/)"],
            "Tools": ["- [C](https://c.example/)"],
        },
    )
    assert summary(result) == [("renamed", "", "Social Aspects", "Social aspects", "2")]
    rows = by_url(after)
    assert [rows[u]["category"] for u in rows] == ["Social Aspects", "Social Aspects", "Tools"]
    assert rows["https://b.example/"]["team_note"] == "note b"


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        pytest.param(
            {
                "People": ["- [A](https://a.example/)"],
                "Teams": ["- [B](https://b.example/)"],
                "Tools": ["- [C](https://c.example/)"],
            },
            [
                ("moved", "https://a.example/", "People", "Social aspects", ""),
                ("moved", "https://b.example/", "Teams", "Social aspects", ""),
            ],
            id="split-in-two",
        ),
        pytest.param(
            {
                "Tools": [
                    "- [A](https://a.example/)",
                    "- [B](https://b.example/)",
                    "- [C](https://c.example/)",
                ]
            },
            [
                ("moved", "https://a.example/", "Tools", "Social aspects", ""),
                ("moved", "https://b.example/", "Tools", "Social aspects", ""),
            ],
            id="into-existing-category",
        ),
        pytest.param(
            {"People": ["- [A](https://a.example/)"], "Tools": ["- [C](https://c.example/)"]},
            [
                ("moved", "https://a.example/", "People", "Social aspects", ""),
                ("removed", "https://b.example/", "Social aspects", "", ""),
            ],
            id="one-row-dropped",
        ),
        pytest.param(
            {
                "Social aspects": ["- [B](https://b.example/)"],
                "People": ["- [A](https://a.example/)"],
                "Tools": ["- [C](https://c.example/)"],
            },
            [("moved", "https://a.example/", "People", "Social aspects", "")],
            id="old-category-still-there",
        ),
    ],
)
def test_not_a_rename(sections: dict[str, list[str]], expected: list[tuple[str, ...]]) -> None:
    result, _, _ = merge(RENAME_ROWS, sections)
    assert sorted(summary(result)) == expected


def test_users_row_in_the_renamed_category_stays_there() -> None:
    rows = RENAME_ROWS + "    Mine,https://mine.example/,Social aspects,,,,,,ours\n"
    result, _, after = merge(
        rows,
        {
            "Social Aspects": ["- [A](https://a.example/)", "- [B](https://b.example/)"],
            "Tools": ["- [C](https://c.example/)"],
        },
    )
    assert summary(result) == [("renamed", "", "Social Aspects", "Social aspects", "2")]
    assert by_url(after)["https://mine.example/"]["category"] == "Social aspects"


# -- the user's rows and columns ---------------------------------------------------------------

USER_ROWS = """\
    Mine,https://mine.example/,Handbook,Our page,,,,,ours
    A,https://a.example/,Tools,,false,false,2020-01-01,upstream,theirs
    Seeded,https://seed.example/,Tools,,false,false,2020-02-02,seed,
    """


def test_users_rows_are_never_changed_or_removed() -> None:
    result, before, after = merge(USER_ROWS, {"Tools": ["- [A](https://a.example/)"]})
    assert result.changes == []
    assert after == before


def test_prune_removes_the_users_rows_upstream_lacks() -> None:
    result, _, after = merge(USER_ROWS, {"Tools": ["- [A](https://a.example/)"]}, prune=True)
    assert sorted(summary(result)) == [
        ("removed", "https://mine.example/", "Handbook", "", ""),
        ("removed", "https://seed.example/", "Tools", "", ""),
    ]
    assert list(by_url(after)) == ["https://a.example/"]


def test_prune_keeps_the_users_rows_upstream_has() -> None:
    result, _, after = merge(
        USER_ROWS,
        {"Tools": ["- [A](https://a.example/)", "- [Other title](https://seed.example)"]},
        prune=True,
    )
    assert sorted(summary(result)) == [
        ("kept", "https://seed.example/", "Tools", "", ""),
        ("removed", "https://mine.example/", "Handbook", "", ""),
    ]
    assert by_url(after)["https://seed.example/"]["title"] == "Seeded"


def test_user_columns_are_preserved_on_every_row() -> None:
    header = "owner,title,url,category,origin,added,team_note,must_read"
    rows = """\
        ana,A,https://a.example/,Tools,upstream,2020-01-01,check,false
        bo,Mine,https://mine.example/,Tools,,,local,
        cy,Gone,https://gone.example/,Tools,upstream,2020-01-01,,false
        """
    result, _, after = merge(
        rows,
        {"Papers": [f"- [A new](https://a.example/) {STAR} - Now described."]},
        header=header,
    )
    # Missing standard columns are appended; the user's columns keep their place.
    assert after.splitlines()[0] == (
        "owner,title,url,category,origin,added,team_note,must_read,description,scientific"
    )
    rows_after = by_url(after)
    assert rows_after["https://a.example/"] == {
        "owner": "ana",
        "title": "A new",
        "url": "https://a.example/",
        "category": "Papers",
        "origin": "upstream",
        "added": "2020-01-01",
        "team_note": "check",
        "must_read": "true",
        "description": "Now described.",
        "scientific": "",  # a column the file lacked: empty means false, no change
    }
    assert (
        rows_after["https://mine.example/"]["owner"],
        rows_after["https://mine.example/"]["team_note"],
    ) == ("bo", "local")
    assert "https://gone.example/" not in rows_after
    assert {c.action for c in result.changes} == {"changed", "moved", "removed"}


def test_added_is_kept_for_existing_rows_and_set_for_new_ones() -> None:
    rows = """\
        A,https://a.example/,Tools,,false,false,2020-01-01,upstream,
        B,https://b.example/,Tools,,false,false,,upstream,
        """
    _, _, after = merge(
        rows,
        {
            "Tools": [
                "- [A renamed](https://a.example/)",
                "- [B](https://b.example/)",
                "- [C](https://c.example/)",
            ]
        },
    )
    assert {url: row["added"] for url, row in by_url(after).items()} == {
        "https://a.example/": "2020-01-01",
        "https://b.example/": "",
        "https://c.example/": TODAY,
    }


# -- bytes and order ---------------------------------------------------------------------------


def test_untouched_rows_are_written_byte_for_byte() -> None:
    rows = '''\
        "Quoted, title",https://a.example/,Tools,"Says ""hi""",TRUE,False,2020-01-01,upstream,"two
        lines"
        "B",https://b.example/,Tools,,false,false,2020-01-01,upstream,
        Mine,https://mine.example/,Tools,,,,,,"unneeded quotes"
        C,https://c.example/,Tools,,false,false,2020-01-01,upstream,
        '''
    sections = {
        "Tools": [
            f'- [Quoted, title](https://a.example/) {STAR} - Says "hi"',
            "- [B](https://b.example/)",
            "- [C changed](https://c.example/)",
        ]
    }
    result, before, after = merge(rows, sections)
    assert [c.action for c in result.changes] == ["changed"]
    before_lines, after_lines = before.splitlines(), after.splitlines()
    assert after_lines[:5] == before_lines[:5]  # header, the 2-line record, B, Mine
    assert len(after_lines) == len(before_lines)
    assert after_lines[5] == "C changed,https://c.example/,Tools,,false,false,2020-01-01,upstream,"


def test_nothing_changed_renders_the_same_text() -> None:
    rows = """\
        Mine,https://mine.example/,Handbook,,,,,,ours
        A,https://a.example/,Tools,"with, comma",false,true,2020-01-01,upstream,
        """
    result, before, after = merge(
        rows, {"Tools": [f"- [A](https://a.example/) {CAP} - with, comma"]}
    )
    assert result.changes == []
    assert after == before


def test_managed_rows_follow_upstream_order_and_other_rows_keep_their_neighbour() -> None:
    rows = """\
        U0,https://u0.example/,Mine,,,,,,
        A,https://a.example/,Tools,,false,false,2020-01-01,upstream,
        U1,https://u1.example/,Mine,,,,,,
        U2,https://u2.example/,Mine,,,,,,
        B,https://b.example/,Tools,,false,false,2020-01-01,upstream,
        U3,https://u3.example/,Mine,,,,,,
        Gone,https://gone.example/,Tools,,false,false,2020-01-01,upstream,
        U4,https://u4.example/,Mine,,,,,,
        """
    _, _, after = merge(
        rows,
        {
            "Tools": [
                "- [N](https://n.example/)",
                "- [B](https://b.example/)",
                "- [A](https://a.example/)",
            ]
        },
    )
    # A user row after a removed row follows the managed row before that one.
    assert [row["title"] for row in records(after)] == [
        "U0",
        "N",
        "B",
        "U3",
        "U4",
        "A",
        "U1",
        "U2",
    ]


# -- malformed items, categories ---------------------------------------------------------------


def test_malformed_item_keeps_the_existing_row() -> None:
    rows = """\
        MLFlow,https://mlflow.org/,Tools,,false,false,2020-02-02,upstream,note
        Kubeflow,https://www.kubeflow.org/,Tools,,false,false,2020-02-02,upstream,
        """
    result, before, after = merge(
        rows,
        {"Tools": ["- [MLFlow](https://mlflow.org/", "- [Kubeflow](https://www.kubeflow.org/)"]},
    )
    assert result.changes == []
    assert [(p.kind, p.line) for p in result.problems] == [("malformed-item", 9)]
    assert after == before


def test_categories_follow_upstream_and_keep_hand_edited_intros() -> None:
    categories = [
        RawCategory(1, "Tools", "Our own words about tools."),
        RawCategory(3, "Gone", "Nobody uses it."),
        RawCategory(5, "Handbook", "Our pages."),
        RawCategory(7, "Papers", ""),
    ]
    rows = "Mine,https://mine.example/,Handbook,,,,,,\n"
    result, _, _ = merge(
        rows,
        {"Papers": ["- [P](https://p.example/)"], "Tools": ["- [T](https://t.example/)"]},
        categories=categories,
        intros={"Papers": "Read these.", "Tools": "Upstream words about tools."},
    )
    assert result.categories == [
        ("Papers", "Read these."),  # an empty intro takes upstream's
        ("Tools", "Our own words about tools."),  # a hand edit is kept...
        ("Handbook", "Our pages."),  # a category upstream lacks stays while rows use it
    ]
    (note,) = result.notes  # ...and noted, with upstream's text
    assert "Tools" in note
    assert "Upstream words about tools." in note


# -- the flat seed format ----------------------------------------------------------------------

FLAT = """\
https://a.example/,Plain title,https://src.example/#readme,My List
https://b.example/,Split, title,https://src.example/#readme,My List
https://c.example/,"Quoted, title",https://src.example/#readme,My List
"""


def test_parse_flat_repairs_titles_split_by_a_comma() -> None:
    rows, report = parse_flat(FLAT, "seed.csv")
    assert rows == [
        (1, "https://a.example/", "Plain title", "My List"),
        (2, "https://b.example/", "Split, title", "My List"),
        (3, "https://c.example/", "Quoted, title", "My List"),
    ]
    assert len(report.notes) == 1
    assert report.notes[0].startswith("seed.csv:2:")
    assert report.problems == []


def test_merge_flat_is_additive() -> None:
    table = parse_csv(HEADER + "\nMine,https://A.example,Handbook,,,,,,ours\n", "links.csv")
    flat, report = parse_flat(FLAT, "seed.csv")
    result = merge_flat(table, flat, report, TODAY)
    assert [(c.action, c.url) for c in result.changes] == [
        ("kept", "https://a.example/"),
        ("added", "https://b.example/"),
        ("added", "https://c.example/"),
    ]
    rows = records(render_csv(result, table.header))
    assert rows[0]["title"] == "Mine"
    assert rows[1] == {
        "title": "Split, title",
        "url": "https://b.example/",
        "category": "My List",
        "description": "",
        "must_read": "false",
        "scientific": "false",
        "added": TODAY,
        "origin": "seed",
        "team_note": "",
    }


# -- a link that got a new URL upstream ---------------------------------------------------------


def test_new_url_under_the_same_title_keeps_the_row_and_its_notes() -> None:
    result, _, after = merge(
        """\
        Paper,https://old.example/p.pdf,Papers,,false,false,2020-01-01,upstream,read first
        Other,https://o.example/,Papers,,false,false,2020-01-01,upstream,
        """,
        {"Papers": ["- [Paper](https://new.example/p) 🎓", "- [Other](https://o.example/)"]},
    )
    assert summary(result) == [("changed", "https://new.example/p", "Papers", "", "")]
    (change,) = result.changes
    assert {name: (old, new) for name, old, new in change.fields} == {
        "url": ("https://old.example/p.pdf", "https://new.example/p"),
        "scientific": ("false", "true"),
    }
    paper = by_url(after)["https://new.example/p"]
    assert (paper["added"], paper["team_note"]) == ("2020-01-01", "read first")
    assert "https://old.example/p.pdf" not in by_url(after)


@pytest.mark.parametrize(
    ("rows", "items"),
    [
        pytest.param(
            "Paper,https://old.example/a,Papers,,,,2020-01-01,upstream,\n"
            "Paper,https://old.example/b,Papers,,,,2020-01-01,upstream,\n",
            ["- [Paper](https://new.example/)"],
            id="two-old-rows-of-that-title",
        ),
        pytest.param(
            "Paper,https://old.example/a,Papers,,,,2020-01-01,upstream,\n",
            ["- [Paper](https://new.example/1)", "- [Paper](https://new.example/2)"],
            id="two-new-links-of-that-title",
        ),
        pytest.param(
            "Paper,https://old.example/a,Papers,,,,2020-01-01,,mine\n",
            ["- [Paper](https://new.example/)"],
            id="the-users-own-row",
        ),
    ],
)
def test_no_url_change_when_the_title_does_not_say_which(rows: str, items: list[str]) -> None:
    result, _, after = merge(rows, {"Papers": items})
    assert "changed" not in {c.action for c in result.changes}
    assert all(row["added"] in ("2020-01-01", TODAY) for row in records(after))


# -- a URL in the data twice: the user's row wins wherever it stands ----------------------------

MINE = "Sacred fork,https://github.com/IDSIA/sacred/,Tools,,,,2020-01-01,,mine\n"
THEIRS = "Sacred,https://github.com/IDSIA/sacred,Tools,,,,2020-01-01,upstream,\n"


@pytest.mark.parametrize("rows", [MINE + THEIRS, THEIRS + MINE], ids=["mine-first", "mine-last"])
def test_user_row_wins_over_a_managed_duplicate_in_any_order(rows: str) -> None:
    listed, _, after_listed = merge(
        rows, {"Tools": ["- [Sacred](https://github.com/IDSIA/sacred)"]}
    )
    dropped, _, after_dropped = merge(rows, {"Tools": ["- [Other](https://other.example/)"]})
    assert [c.action for c in listed.changes] == ["kept"]
    assert [c.action for c in dropped.changes] == ["added"]
    for result, after in ((listed, after_listed), (dropped, after_dropped)):
        (problem,) = result.problems
        assert problem.kind == "duplicate"
        assert problem.line == (3 if rows.startswith("Sacred fork") else 2)
        assert {r["title"] for r in records(after)} >= {"Sacred fork", "Sacred"}


def test_flat_source_skips_page_links_and_its_own_duplicates() -> None:
    text = (
        "https://se-ml.github.io/practices,read more,src,List\n"
        "https://se-ml.github.io/practices/,Engineering Best Practices,src,List\n"
        "https://se-ml.github.io/practices#x,Engineering Best Practices again,src,List\n"
    )
    rows, report = parse_flat(text, "seed.csv")
    assert [(line, title) for line, _, title, _ in rows] == [(2, "Engineering Best Practices")]
    (note,) = report.notes
    assert note.startswith("seed.csv:1: skipped 'read more'")
    (problem,) = report.problems
    assert (problem.kind, problem.line) == ("duplicate", 3)
