"""Bulk inserts that stay fast on every engine, inside the caller's transaction.

On SQLite an `executemany` of one plain INSERT is the fast way; its values are made
ready by the columns' types once per row, without SQLAlchemy's per-row bookkeeping (a
million-row import writes some twenty million rows). On PostgreSQL an `executemany` is
one statement per row, and each statement fires the statement-level triggers that keep
the lists' chunk tokens (migration 0018): a million rows would take hours. There rows go
through COPY, one statement (and one firing of each trigger) per call. On both, a column
the rows leave out takes its default, as SQLAlchemy's INSERT would give it.

New rows whose ids the caller needs are inserted with `insert_returning_ids`. SQLAlchemy
would insert them one statement per row on SQLite (which does not promise RETURNING's
order): there only the first row is, and the others take the ids after its own. On
PostgreSQL the ids are drawn from the sequence first, and the rows go through COPY.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, text


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    names = list(rows[0])
    defaults = _defaults(table, names)
    if defaults is None:  # a default SQLAlchemy computes per row
        connection.execute(insert(table), list(rows))
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in [*names, *defaults])
    if dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None
        fixed = [_plain(value) for value in defaults.values()]
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([*(_plain(row[name]) for name in names), *fixed])
        return
    fixed = []  # the defaults, made ready once
    for name, value in defaults.items():
        process = _processor(connection, table, name)
        fixed.append(value if process is None or value is None else process(value))
    processed = [
        (position, process)
        for position, name in enumerate(names)
        if (process := _processor(connection, table, name)) is not None
    ]
    ready: list[tuple[Any, ...]] = []
    for row in rows:
        values = [row[name] for name in names]
        for position, process in processed:
            if values[position] is not None:
                values[position] = process(values[position])
        ready.append((*values, *fixed))
    marks = ", ".join("?" * (len(names) + len(defaults)))
    statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
    connection.exec_driver_sql(statement, ready)


def _defaults(table: Table, names: list[str]) -> dict[str, Any] | None:
    """The fixed defaults of the columns `names` leaves out; None if one is computed."""
    found: dict[str, Any] = {}
    for column in table.columns:
        if column.name in names or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        found[column.name] = column.default.arg  # type: ignore[attr-defined]
    return found


def _processor(connection: Connection, table: Table, name: str) -> Any:
    """How the column's type makes a value ready for the driver (None: as it is)."""
    dialect = connection.dialect
    return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)


def _plain(value: Any) -> Any:
    """An enum as the value the database stores (psycopg would write its name)."""
    return value.value if isinstance(value, enum.Enum) else value


def insert_returning_ids(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert `rows` (dicts with the same keys, without the id) into `table`, whose key is
    an integer `id`; returns the new ids in the order of `rows`."""
    if not rows:
        return []
    key = table.c.id
    if connection.dialect.name == "postgresql":
        # Ids taken from the column's sequence (as safe beside other writers as a
        # default), so that the rows go through COPY.
        ids = list(
            connection.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                    " FROM generate_series(1, :count) ORDER BY 1"
                ),
                {"table": table.name, "count": len(rows)},
            ).scalars()
        )
        insert_rows(
            connection, table, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)]
        )
        return ids
    # SQLite gives a new row an id above every id in the table (and above every id it
    # ever gave, for AUTOINCREMENT), and from this insert on the transaction holds the
    # database's write lock: the ids after the first row's are free, and stay so.
    first = connection.execute(insert(table).returning(key), rows[0]).scalar_one()
    ids = list(range(first, first + len(rows)))
    insert_rows(
        connection, table, [{**row, "id": id_} for row, id_ in zip(rows[1:], ids[1:], strict=True)]
    )
    return ids


def refresh_statistics(session: Any, tables: Sequence[str]) -> None:
    """Let the engine's planner see what a bulk write added: without fresh statistics,
    PostgreSQL plans a query over a table that grew by a million rows as if it were
    empty (sequential scans for a page of 50 keys), until autovacuum gets to it."""
    session.flush()
    for name in tables:
        session.execute(text(f'ANALYZE "{name}"'))
