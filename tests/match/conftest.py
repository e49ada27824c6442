"""Matchmaking tests: import files written from rows, and a database to load them in."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.match.services import import_posts

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
HEADER = [
    "key",
    "side",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "owner",
    "owner_type",
    "countries",
    "ip_fields",
    "support",
    "green_category",
    "languages",
    "valid_from",
    "valid_until",
    "contact",
]


def post(key: str, side: str, **values: str) -> dict[str, str]:
    """A row with the columns a test names; an owner unless it says otherwise."""
    return {"key": key, "side": side, "owner": f"owner of {key}", **values}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(name, "") for name in HEADER])
    workbook.save(path)
    return path


def load(context: AppContext, path: Path, *, replace: bool = False) -> Any:
    with acting_as(ADMIN), context.transaction() as session:
        return import_posts(session, [path], replace=replace)


def count(context: AppContext, sql: str) -> Any:
    with context.engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


@pytest.fixture
def context(databases) -> AppContext:  # type: ignore[no-untyped-def]
    return AppContext.for_url(databases.initialized_url())
