"""Read-only SQL that runs alike through a SQLAlchemy session and through plain sqlite3.

A command that only reads, such as `devagenda countries resolve`, would spend most of its
run importing SQLAlchemy's ORM (about half a second), far more than its queries take. A
query written once as SQL text with named parameters (`:name`) runs through either kind
of `Reader`: the services hand it a session's (`SessionReader`), and the command line
opens a SQLite file with the standard library when it can (`open_sqlite`). Both return
the rows of the same statement, so the rules that turn rows into answers live once.

The same text also runs on PostgreSQL through a session: SQL that differs between the
engines (full-text matching, string aggregation) is chosen by the reader's `dialect`.
Rows are tuples; values are what each driver returns (a date may come back as text from
SQLite and as a `date` from PostgreSQL), so row readers normalize them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Row = tuple[Any, ...]
_PLAIN_SQLITE = "sqlite:///"


class Reader(Protocol):
    @property
    def dialect(self) -> str:
        """The engine: "sqlite" or "postgresql"."""
        ...

    @property
    def database(self) -> str:
        """Which database this is, for what a process keeps per database."""
        ...

    def rows(self, sql: str, /, **params: object) -> list[Row]:
        """Every row `sql` selects, with `params` bound to its `:name` placeholders."""
        ...


def bound_list(params: dict[str, object], name: str, values: Iterable[object]) -> str:
    """The placeholders of an IN list, `(:name_0, :name_1, ...)`, its values added to
    `params`; at least one value, as SQL has no empty list."""
    names = []
    for number, value in enumerate(values):
        params[f"{name}_{number}"] = value
        names.append(f":{name}_{number}")
    if not names:
        raise ValueError(f"an empty IN list for {name}")
    return "(" + ", ".join(names) + ")"


@dataclass(frozen=True)
class SessionReader:
    """Runs the SQL in a session's transaction, after flushing what the session holds
    (as the ORM's own queries would), so that the rows include its pending writes."""

    session: Session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    @property
    def database(self) -> str:
        bind = self.session.get_bind()
        return getattr(bind, "engine", bind).url.render_as_string()

    def rows(self, sql: str, /, **params: object) -> list[Row]:
        from sqlalchemy import text

        if self.session.autoflush:
            self.session.flush()
        return [tuple(row) for row in self.session.execute(text(sql), params)]


@dataclass(frozen=True)
class SqliteReader:
    connection: sqlite3.Connection
    database: str  # the URL it was opened from
    dialect: str = "sqlite"

    def rows(self, sql: str, /, **params: object) -> list[Row]:
        return self.connection.execute(sql, params).fetchall()


def sqlite_file(url: str) -> Path | None:
    """The existing file a plain `sqlite:///PATH` URL names; None for any other URL
    (another engine, an in-memory database, a URL with options or escapes), which only
    SQLAlchemy reads as its author meant."""
    if not url.startswith(_PLAIN_SQLITE) or any(char in url for char in "?%#"):
        return None
    database = url[len(_PLAIN_SQLITE) :]
    if not database or database == ":memory:":
        return None
    path = Path(database)
    return path if path.is_file() else None


@contextmanager
def open_sqlite(url: str) -> Iterator[SqliteReader | None]:
    """A read-only reader over the SQLite file `url` names, inside one read transaction
    (what another process commits meanwhile is not half seen); None when the URL is not
    a plain SQLite file. Opening errors are `sqlite3.Error`, for the caller to decide."""
    path = sqlite_file(url)
    if path is None:
        yield None
        return
    location = "file:" + quote(str(path.resolve())) + "?mode=ro"
    connection = sqlite3.connect(location, uri=True, isolation_level=None)
    try:
        connection.execute("BEGIN")
        yield SqliteReader(connection, url)
    finally:
        connection.close()
