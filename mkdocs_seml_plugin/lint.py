"""Offline lint of the data: every row rule, plus what the build forgives (duplicate titles in a
category, padded fields, categories missing from categories.yml)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import Problem
from .validate import UrlRegister, check_row, unique_categories, url_register

if TYPE_CHECKING:
    from .load import RawCategory, RawRow, RawTable


def lint(
    table: RawTable, categories: list[RawCategory] | None, categories_path: str = ""
) -> list[Problem]:
    """Problems of the data in file order, then of the categories file. `categories` None:
    there is no categories file."""
    problems: list[Problem] = []
    urls = url_register(table)
    first_title: dict[tuple[str, str], int] = {}
    known = {c.name.casefold() for c in categories} if categories is not None else None
    for row in table.rows:
        row_problems = check_row(row, table.header, table.path)
        if not any(p.kind == "column-count" for p in row_problems):
            # As in the build, only a valid row claims its URL: a duplicate is a second
            # valid row, so removing it never removes the only usable one.
            valid = not row_problems
            row_problems += _row_lint(table, row, valid, urls, first_title, known)
            url = dict(zip(table.header, row.fields, strict=True))["url"].strip()
            row_problems = [replace(p, url=url or None) for p in row_problems]
        problems += row_problems
    if categories:
        problems += unique_categories(categories, categories_path)[1]
    return problems


def _row_lint(
    table: RawTable,
    row: RawRow,
    valid: bool,
    urls: UrlRegister,
    first_title: dict[tuple[str, str], int],
    known: set[str] | None,
) -> list[Problem]:
    """The rules beyond a single row's validity: padding, duplicates, unknown categories."""
    header = table.header
    values = dict(zip(header, row.fields, strict=True))
    found: list[Problem] = []

    def at(column: str, kind: str, message: str, hint: str) -> None:
        column_number = header.index(column) + 1
        found.append(Problem(kind, table.path, message, row.line, column_number, hint))

    for column, value in values.items():
        if value.strip() and value != value.strip():
            at(
                column,
                "whitespace",
                f"{column} {value!r} has spaces around it",
                "remove the leading and trailing spaces",
            )
    url, title = values["url"].strip(), values["title"].strip()
    category = values["category"].strip()
    if url and valid and (duplicate := urls.claim(url, row.line)):
        found.append(duplicate)
    if title and category:
        title_key = (category.casefold(), title.casefold())
        if title_key in first_title:
            at(
                "title",
                "duplicate",
                f"title {title!r} is already used in {category!r} on line {first_title[title_key]}",
                "tell the two apart, or remove one",
            )
        first_title.setdefault(title_key, row.line)
    if known is not None and category and category.casefold() not in known:
        at(
            "category",
            "unknown-category",
            f"category {category!r} is not in categories.yml",
            "add it to categories.yml, or fix the spelling",
        )
    return found
