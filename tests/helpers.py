"""Helpers shared by test modules."""

from __future__ import annotations

from sqlalchemy import MetaData, select

from devagenda.core.context import AppContext


def snapshot(context: AppContext, *, without: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (but those named in `without`), in a stable order."""
    reflected = MetaData()
    reflected.reflect(context.engine)
    rows: dict[str, list[tuple]] = {}
    with context.engine.connect() as connection:
        for name, table in sorted(reflected.tables.items()):
            if name in without:
                continue
            result = connection.execute(select(table))
            rows[name] = sorted(tuple(map(repr, row)) for row in result)
    return rows
