"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

The same models and migrations serve both; this module hides the few differences:
driver names and SQLite pragmas (WAL, foreign keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from devagenda.core.errors import InputError


def normalize_url(url: str) -> str:
    """Accept the URLs people write (postgres://, postgresql://) and pick psycopg 3."""
    try:
        parsed = make_url(url)
    except Exception as error:  # SQLAlchemy raises ArgumentError with a terse message
        raise InputError(f"not a database URL: {url!r}", field="database_url") from error
    backend = parsed.get_backend_name()
    if backend in {"postgres", "postgresql"}:
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise InputError(
        f"unsupported database {backend!r}: use sqlite:/// or postgresql://",
        field="database_url",
    )


def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets readers work while a write is under way; SQLite checks foreign keys only
    when asked to."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`.

    A PostgreSQL URL may choose a schema with libpq's options parameter:
    `postgresql://host/db?options=-csearch_path%3Dmyschema` (the tests use one per run).
    """
    normalized = normalize_url(url)
    if normalized.startswith("sqlite"):
        engine = create_engine(normalized)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(normalized, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back whole on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
