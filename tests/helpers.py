"""Helpers shared by test modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import Result
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext
from devagenda.reports.load import ingest_report


def load_report(url: str, report: Path) -> AppContext:
    """A new database at `url` holding `report`, ingested for real. Tests that need the
    2023 report but do not test its ingest take a copy instead (see tests/conftest.py)."""
    context = AppContext.for_url(url)
    initialize(context)
    ingest(context, report)
    return context


def ingest(context: AppContext, report: Path) -> None:
    """Store `report` in the initialized database of `context`, in one transaction."""
    with context.transaction() as session:
        ingest_report(session, report)


@contextmanager
def rolled_back(context: AppContext) -> Iterator[Session]:
    """A session on `context` whose writes, committed or not, are undone at the end, so
    that tests sharing one database do not see each other's changes."""
    connection = context.engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


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


def run_cli(context: AppContext, *args: str) -> Result:
    """`devagenda --database-url URL ARGS...` in this process, its output and errors apart."""
    from devagenda.cli import app

    return CliRunner().invoke(app, ["--database-url", context.settings.database_url, *args])
