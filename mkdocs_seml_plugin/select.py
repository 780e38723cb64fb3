"""Catalog + filters -> the links a directive shows, in order, optionally grouped by category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Catalog, Category, Link


@dataclass(frozen=True)
class Query:
    """What to pick from the catalog. `categories` are exact names as the catalog spells them."""

    categories: tuple[str, ...] | None = None
    must_read: bool | None = None
    scientific: bool | None = None
    sort: str | None = None  # a column name, "-name" for descending
    limit: int | None = None


def sort_column(sort: str) -> tuple[str, bool]:
    """`-title` -> ("title", descending)."""
    descending = sort.startswith("-")
    return sort.lstrip("-").strip(), descending


def select(catalog: Catalog, query: Query) -> list[Link]:
    """Filter, sort (stable, case-insensitive) and limit."""
    wanted = {name.casefold() for name in query.categories} if query.categories else None
    links = [
        link
        for link in catalog.links
        if (wanted is None or link.category.casefold() in wanted)
        and (query.must_read is None or link.must_read == query.must_read)
        and (query.scientific is None or link.scientific == query.scientific)
    ]
    if query.sort:
        column, descending = sort_column(query.sort)
        # sorted() is stable in both directions, so ties keep data order.
        links = sorted(links, key=lambda link: link.sort_key(column), reverse=descending)
    if query.limit is not None:
        links = links[: query.limit]
    return links


def group_by_category(catalog: Catalog, links: list[Link]) -> list[tuple[Category, list[Link]]]:
    """Links per category in the catalog's category order; empty categories left out."""
    groups: dict[str, list[Link]] = {c.name.casefold(): [] for c in catalog.categories}
    for link in links:
        groups[link.category.casefold()].append(link)
    return [
        (category, groups[category.name.casefold()])
        for category in catalog.categories
        if groups[category.name.casefold()]
    ]
