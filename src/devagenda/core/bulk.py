"""Bulk inserts that stay fast on every engine, inside the caller's transaction.

On SQLite an `executemany` is the fast way. On PostgreSQL it is one statement per row,
and each statement fires the statement-level triggers that keep the lists' chunk tokens
(migration 0018): a million rows would take hours. There rows go through COPY, one
statement (and one firing of each trigger) per call.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_plain(row[name]) for name in names])


def _plain(value: Any) -> Any:
    """An enum as the value the database stores (psycopg would write its name)."""
    return value.value if isinstance(value, enum.Enum) else value
