"""Database failures a user can fix, said in one line with what to do.

The drivers' own messages are long and written for programmers ("(sqlite3.OperationalError)
unable to open database file", a psycopg connection dump); these are turned into a
`DatabaseError` (or `BusyError` when another process holds the database) naming the
database and the fix. Anything not recognised stays the driver's error: a bug.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from devagenda.core.errors import BusyError, DatabaseError

CONFIGURE = "(--database-url or DEVAGENDA_DATABASE_URL)"
# SQLite's answer when another connection holds the write lock past the busy timeout.
SQLITE_BUSY = ("database is locked", "database table is locked")
# PostgreSQL SQLSTATEs of concurrent writers: serialization failure, deadlock, lock timeout.
POSTGRES_BUSY = {"40001", "40P01", "55P03"}
# Unique keys that two ingests of the same edition race for.
RACED_KEYS = ("uq_source_kind", "uq_report_version", "source.kind, source.key")


def describe_database(url: str) -> str:
    """Where the database is, for messages: the SQLite file, or the server without a
    password."""
    try:
        parsed = make_url(url)
    except Exception:  # a malformed URL is reported elsewhere; show it as given
        return url
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database)) if parsed.database else "an in-memory SQLite database"
    return parsed.render_as_string(hide_password=True)


def database_error(error: SQLAlchemyError, url: str) -> DatabaseError | None:
    """The user's version of `error`, or None when it is not one a user can fix."""
    where = describe_database(url)
    message = _driver_message(error)
    if isinstance(error, IntegrityError) and any(key in message for key in RACED_KEYS):
        return BusyError(
            f"another process stored the same report at the same time in {where}: run the "
            "command again (it will find the edition loaded)"
        )
    if not isinstance(error, OperationalError | DBAPIError):
        return None
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    if any(text in message for text in SQLITE_BUSY) or code in POSTGRES_BUSY:
        return BusyError(
            f"another process is writing to the database {where}: try again when it has finished"
        )
    if not isinstance(error, OperationalError):
        return None
    if url.startswith("sqlite"):
        return _sqlite_problem(where, message)
    first_line = message.strip().splitlines()[0] if message.strip() else "no answer"
    return DatabaseError(
        f"cannot use the database at {where}: {first_line}; check that the server runs and "
        f"that the URL is right {CONFIGURE}"
    )


def _sqlite_problem(where: str, message: str) -> DatabaseError:
    folder = Path(where).parent
    if not folder.is_dir():
        return DatabaseError(
            f"cannot create the database {where}: the folder {folder} does not exist; create "
            f"it or choose another file {CONFIGURE}"
        )
    if "unable to open" in message:
        return DatabaseError(
            f"cannot open the database {where}: check that you may write to {folder} {CONFIGURE}"
        )
    if "not a database" in message or "malformed" in message:
        return DatabaseError(
            f"{where} is not a usable SQLite database ({message.strip()}): choose another "
            f"file {CONFIGURE}"
        )
    return DatabaseError(f"cannot use the database {where}: {message.strip()}")


def _driver_message(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    return str(original if original is not None else error)
