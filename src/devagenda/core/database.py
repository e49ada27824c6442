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


def make_engine(url: str, *, threads: int = 16, pool_timeout: float = 10.0) -> Engine:
    """An engine for `url` whose pool holds a connection for each of the `threads` that
    may use it at once, and as many again for downloads that stream while their thread
    is free. A request that still finds none waits `pool_timeout` seconds at most, then
    fails with SQLAlchemy's TimeoutError (which the API answers with 503).

    A PostgreSQL URL may choose a schema with libpq's options parameter:
    `postgresql://host/db?options=-csearch_path%3Dmyschema` (the tests use one per run).
    """
    normalized = normalize_url(url)
    pool = {"pool_size": threads, "max_overflow": threads, "pool_timeout": pool_timeout}
    if normalized.startswith("sqlite"):
        if _in_memory(normalized):
            return _sqlite_engine(normalized)  # one shared connection: no pool to size
        return _sqlite_engine(normalized, **pool)
    return create_engine(normalized, pool_pre_ping=True, **pool)


def _in_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def _sqlite_engine(url: str, **pool: float) -> Engine:
    engine = create_engine(url, **pool)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


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
