"""select.py: filters, stable case-insensitive sort, limit, grouping by category."""

from __future__ import annotations

import pytest

from mkdocs_seml_plugin.model import Catalog, Category, Link
from mkdocs_seml_plugin.select import Query, group_by_category, select, sort_column


def link(title: str, category: str, line: int, **fields: object) -> Link:
    return Link(
        title=title, url=f"https://example.org/{line}", category=category, line=line, **fields
    )


LINKS = (
    link("beta", "Tooling", 2, must_read=True, description="b"),
    link("Alpha", "Data Management", 3, scientific=True, description="B"),
    link("alpha", "Tooling", 4, must_read=True, scientific=True, description="a"),
    link("Gamma", "data management", 5, description="b"),
    link("ALPHA", "Broad Overviews", 6, description=""),
    link("delta", "Tooling", 7, scientific=True, extra=(("notes", "Zed"),)),
)
CATALOG = Catalog(
    LINKS,
    (
        Category("Broad Overviews", "All of it."),
        Category("Data Management"),
        Category("Governance"),
        Category("Tooling"),
    ),
    ("title", "url", "category", "description", "must_read", "scientific", "notes"),
)


def lines(query: Query) -> list[int]:
    return [item.line for item in select(CATALOG, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(Query(), [2, 3, 4, 5, 6, 7], id="all-in-data-order"),
        pytest.param(Query(categories=("Tooling",)), [2, 4, 7], id="one-category"),
        pytest.param(Query(categories=("tOOLING",)), [2, 4, 7], id="case-insensitive"),
        pytest.param(Query(categories=("Data Management",)), [3, 5], id="link-case-differs"),
        pytest.param(
            Query(categories=("Broad Overviews", "Tooling")), [2, 4, 6, 7], id="list-data-order"
        ),
        pytest.param(Query(categories=("Governance",)), [], id="empty-category"),
        pytest.param(Query(categories=()), [2, 3, 4, 5, 6, 7], id="empty-list-no-filter"),
        pytest.param(Query(must_read=True), [2, 4], id="must-read"),
        pytest.param(Query(must_read=False), [3, 5, 6, 7], id="not-must-read"),
        pytest.param(Query(scientific=True), [3, 4, 7], id="scientific"),
        pytest.param(Query(scientific=False), [2, 5, 6], id="not-scientific"),
        pytest.param(Query(must_read=True, scientific=True), [4], id="both"),
        pytest.param(Query(must_read=False, scientific=False), [5, 6], id="neither"),
        pytest.param(
            Query(categories=("tooling",), scientific=True), [4, 7], id="category-and-flag"
        ),
        pytest.param(
            Query(categories=("Tooling",), must_read=False, scientific=False), [], id="none-left"
        ),
    ],
)
def test_filters(query: Query, expected: list[int]):
    assert lines(query) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # "beta","Alpha","alpha","Gamma","ALPHA","delta": the three alphas tie.
        pytest.param("title", [3, 4, 6, 2, 7, 5], id="title-ascending-ties-in-data-order"),
        pytest.param("-title", [5, 7, 2, 3, 4, 6], id="title-descending-ties-in-data-order"),
        # "b","B","a","b","","": empty first; "b"/"B"/"b" tie.
        pytest.param("description", [6, 7, 4, 2, 3, 5], id="description"),
        pytest.param("-description", [2, 3, 5, 4, 6, 7], id="description-descending"),
        pytest.param("category", [6, 3, 5, 2, 4, 7], id="category-case-insensitive"),
        pytest.param("-must_read", [2, 4, 3, 5, 6, 7], id="boolean-descending"),
        pytest.param("must_read", [3, 5, 6, 7, 2, 4], id="boolean-ascending"),
        pytest.param("-scientific", [3, 4, 7, 2, 5, 6], id="scientific-descending"),
        pytest.param("-notes", [7, 2, 3, 4, 5, 6], id="user-column"),
    ],
)
def test_sort_is_case_insensitive_and_stable(sort: str, expected: list[int]):
    assert lines(Query(sort=sort)) == expected


def test_sort_within_filter_and_limit_after_sort():
    assert lines(Query(categories=("Tooling",), sort="title")) == [4, 2, 7]
    assert lines(Query(sort="-title", limit=2)) == [5, 7]
    assert lines(Query(sort="title", limit=1)) == [3]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(1, [2]), (3, [2, 3, 4]), (6, [2, 3, 4, 5, 6, 7]), (100, [2, 3, 4, 5, 6, 7])],
)
def test_limit(limit: int, expected: list[int]):
    assert lines(Query(limit=limit)) == expected


def test_select_leaves_catalog_untouched():
    select(CATALOG, Query(sort="-title", limit=2))
    assert [item.line for item in CATALOG.links] == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    ("sort", "column", "descending"),
    [("title", "title", False), ("-title", "title", True), ("- title ", "title", True)],
)
def test_sort_column(sort: str, column: str, descending: bool):
    assert sort_column(sort) == (column, descending)


def test_group_by_category_in_catalog_order_without_empty_ones():
    groups = group_by_category(CATALOG, select(CATALOG, Query()))
    assert [(category.name, [item.line for item in items]) for category, items in groups] == [
        ("Broad Overviews", [6]),
        ("Data Management", [3, 5]),
        ("Tooling", [2, 4, 7]),
    ]
    assert groups[0][0].intro == "All of it."


def test_group_by_category_keeps_the_selection_order():
    groups = group_by_category(CATALOG, select(CATALOG, Query(sort="-title")))
    assert [(category.name, [item.line for item in items]) for category, items in groups] == [
        ("Broad Overviews", [6]),
        ("Data Management", [5, 3]),
        ("Tooling", [7, 2, 4]),
    ]


def test_group_by_category_of_nothing():
    assert group_by_category(CATALOG, []) == []
