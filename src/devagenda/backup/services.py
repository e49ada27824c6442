"""Export the whole knowledge base to one file, and restore it, on SQLite or PostgreSQL.

An export reads every table in one consistent snapshot. A restore checks the whole file
first (format, schema revision, every table's rows and SHA-256), then in one transaction
that holds the database against other writers: refuses a database that holds data of its
own unless asked to replace it (and then exports that data first), clears every table,
writes the file's rows in foreign-key order, moves PostgreSQL's id sequences past the
restored ids and rebuilds the caches. Whatever stops it before the commit, a SIGKILL
included, leaves the database as it was.

"Data of its own" is anything a new database does not hold: `devagenda init` loads the
shipped reference data into every database, and a restore may replace that without asking.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from devagenda import __version__
from devagenda.backup.archive import (
    ArchiveReader,
    ArchiveWriter,
    BackupFileError,
    TableData,
    encode_row,
)
from devagenda.backup.schemas import ExportSummary, RestoreSummary, TableRows
from devagenda.backup.values import ColumnValues, UnsupportedColumn, row_order, table_values
from devagenda.core.context import AppContext
from devagenda.core.dberrors import describe_database
from devagenda.core.errors import DatabaseError, ReplaceRefused
from devagenda.core.files import new_file
from devagenda.core.models import REBUILT_BY
from devagenda.core.schema import head_revision, metadata, schema_is_current
from devagenda.core.settings import default_database_path

BATCH = 1000  # rows per read from the database and per insert statement
Progress = Callable[[str], None]


def backed_up_tables() -> list[Table]:
    """Every table of the models in foreign-key order (parents first), caches aside."""
    return [table for table in metadata().sorted_tables if REBUILT_BY not in table.info]


def rebuilt_tables() -> list[Table]:
    """The caches: tables whose rows a function rebuilds from the other tables."""
    return [table for table in metadata().sorted_tables if REBUILT_BY in table.info]


def export_all(context: AppContext, path: Path, *, overwrite: bool = False) -> ExportSummary:
    """Write the whole knowledge base to `path` (a new file unless `overwrite`)."""
    _require_current_schema(context.engine)
    with _snapshot(context.engine) as connection, new_file(path, overwrite=overwrite) as target:
        counts = _write_backup(connection, target)
    return ExportSummary(
        path=str(path),
        database=describe_database(context.settings.database_url),
        schema_revision=head_revision(),
        devagenda_version=__version__,
        sha256=_file_sha256(path),
        rows=sum(table.rows for table in counts),
        tables=counts,
        rebuilt_on_restore=[table.name for table in rebuilt_tables()],
    )


def restore_all(
    context: AppContext,
    path: Path,
    *,
    replace: bool = False,
    keep_copy: Path | None = None,
    progress: Progress | None = None,
) -> RestoreSummary:
    """Replace the database's content with the backup at `path`, all or nothing.

    A database holding data of its own is refused (`ReplaceRefused`, naming what it holds)
    unless `replace`; then that data is first exported to `keep_copy` (by default a new
    file under the user data folder, see `default_copy_path`), in the same transaction,
    so that nothing written meanwhile can be lost.
    """
    from devagenda.bootstrap import ensure_initialized

    step = progress or (lambda _message: None)
    with ArchiveReader(path) as archive:
        _check_fits(archive)
        step("checking the file")
        archive.verify()
        ensure_initialized(context)
        where = describe_database(context.settings.database_url)
        _new_database_content()  # made before the lock, which it need not hold
        with _locked(context.engine) as connection:
            step("comparing the database with a new one")
            held = own_content(connection)
            copy = None
            if held:
                if not replace:
                    raise ReplaceRefused(
                        f"the database {where} holds data of its own ({_describe(held)}): "
                        "repeat with --replace to replace it (it is exported to a file first)",
                        changes={"replaced": [table.model_dump() for table in held]},
                    )
                copy = keep_copy or default_copy_path()
                step(f"saving the current content to {copy}")
                with new_file(copy) as target:
                    _write_backup(connection, target)
            _clear(connection)
            counts = _insert_all(connection, archive, step)
            _reset_sequences(connection)
            step("rebuilding the search index")
            rebuilt = _rebuild(connection)
    return RestoreSummary(
        path=str(path),
        database=where,
        schema_revision=archive.manifest.schema_revision,
        rows=sum(table.rows for table in counts),
        tables=counts,
        rebuilt=rebuilt,
        replaced=held,
        replaced_copy=str(copy) if copy else None,
    )


def default_copy_path() -> Path:
    """Where `--replace` saves what it replaces when not told: a new file, named by the
    time, in a `backups` folder beside the default database."""
    folder = default_database_path().parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = folder / f"replaced-{stamp}.zip"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"replaced-{stamp}-{number}.zip"
    return candidate


def own_content(connection: Connection) -> list[TableRows]:
    """The tables whose rows differ from those of a new database (with their row count):
    empty for a database that holds only what `devagenda init` loads. Row counts decide
    first; only a table with as many rows as a new one is compared row by row."""
    new = _new_database_content()
    held = []
    for table in backed_up_tables():
        rows = connection.scalar(select(func.count()).select_from(table)) or 0
        new_rows, new_digest = new.get(table.name, (0, ""))
        if rows != new_rows or (rows and _content_digest(connection, table) != new_digest):
            held.append(TableRows(name=table.name, rows=rows))
    return held


@cache
def _new_database_content() -> dict[str, tuple[int, str]]:
    """Row count and digest of every table that `devagenda init` fills, from a shipped-data
    load into a throwaway in-memory database (the schema made from the models, which the
    schema tests keep equal to the migrations'; the search index is not built)."""
    from devagenda.bootstrap import load_shipped_data
    from devagenda.core.database import make_engine

    engine = make_engine("sqlite://")
    try:
        metadata().create_all(engine)
        with engine.connect() as connection:
            transaction = connection.begin()
            session = Session(bind=connection)
            load_shipped_data(session)
            session.flush()
            content = {}
            for table in backed_up_tables():
                rows = connection.scalar(select(func.count()).select_from(table)) or 0
                if rows:
                    content[table.name] = (rows, _content_digest(connection, table))
            session.close()
            transaction.rollback()
    finally:
        engine.dispose()
    return content


def _content_digest(connection: Connection, table: Table) -> str:
    """SHA-256 of the table's rows as a backup writes them, leaving out the times the
    database sets itself (when a row was made), which differ from one database to another."""
    values = [
        value
        for value in table_values(table)
        if not (isinstance(value.column.type, DateTime) and value.column.server_default)
    ]
    digest = hashlib.sha256()
    for row in _read_rows(connection, table, values):
        digest.update(encode_row(row))
    return digest.hexdigest()


def _describe(tables: list[TableRows], shown: int = 5) -> str:
    largest = sorted(tables, key=lambda table: (-table.rows, table.name))
    parts = [f"{table.name}: {table.rows:,} rows" for table in largest[:shown]]
    if len(largest) > shown:
        parts.append(f"{len(largest) - shown} more tables")
    return ", ".join(parts)


def _require_current_schema(engine: Engine) -> None:
    if not schema_is_current(engine):
        raise DatabaseError(
            f"the database schema is not at revision {head_revision()}: run `devagenda init`"
        )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one state of every table, whatever others write
    meanwhile."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            if engine.dialect.name == "sqlite":
                # pysqlite begins transactions only before writes; a read one is asked for.
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield connection


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """One transaction that no other process can write beside: SQLite's write lock taken at
    once, every table locked against writes (not reads) on PostgreSQL."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                quote = connection.dialect.identifier_preparer.format_table
                names = ", ".join(quote(table) for table in metadata().sorted_tables)
                connection.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            yield connection
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise


def _read_rows(connection: Connection, table: Table, values: list[Any]) -> Iterator[list[Any]]:
    query = select(*(value.selected for value in values)).order_by(
        *row_order(table, connection.dialect.name)
    )
    result = connection.execute(query.execution_options(yield_per=BATCH))
    for row in result:
        yield [value.to_file(cell) for value, cell in zip(values, row, strict=True)]


def _write_backup(connection: Connection, target: IO[bytes]) -> list[TableRows]:
    writer = ArchiveWriter(target)
    for table in backed_up_tables():
        values = table_values(table)
        rows = _read_rows(connection, table, values)
        writer.add_table(table.name, [column.name for column in table.columns], rows)
    writer.finish(
        devagenda_version=__version__,
        schema_revision=head_revision(),
        rebuilt=[table.name for table in rebuilt_tables()],
    )
    return [TableRows(name=table.name, rows=table.rows) for table in writer.tables]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_fits(archive: ArchiveReader) -> None:
    """The file was written at this schema, with these tables and columns."""
    manifest = archive.manifest
    if manifest.schema_revision != head_revision():
        raise BackupFileError(
            f"written by devagenda {manifest.devagenda_version} at schema revision "
            f"{manifest.schema_revision}, but this devagenda ({__version__}) is at "
            f"{head_revision()}: restore it with devagenda {manifest.devagenda_version}, "
            "upgrading devagenda if that version is newer",
            path=str(archive.path),
            field="schema_revision",
        )
    expected = {
        table.name: [column.name for column in table.columns] for table in backed_up_tables()
    }
    found = {table.name: table.columns for table in manifest.tables}
    if found != expected:
        different = sorted(
            name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name)
        )
        raise BackupFileError(
            f"its tables do not match schema revision {head_revision()} "
            f"({', '.join(different)}): it was not written by `devagenda export --all`",
            path=str(archive.path),
            field="tables",
        )


def _clear(connection: Connection) -> None:
    """Delete every row, children first, caches included."""
    for table in reversed(metadata().sorted_tables):
        connection.execute(delete(table))


def _insert_all(connection: Connection, archive: ArchiveReader, step: Progress) -> list[TableRows]:
    """Insert the file's rows table by table. A foreign key to the same table (a project's
    predecessor) or to one restored later is written NULL at first and set once every row
    is in, so rows need no order among themselves."""
    dialect = connection.dialect.name
    tables = {table.name: table for table in backed_up_tables()}
    position = {name: number for number, name in enumerate(tables)}
    pending: list[tuple[Table, list[dict[str, Any]]]] = []
    counts = []
    for name, table in tables.items():
        entry = next(data for data in archive.manifest.tables if data.name == name)
        step(f"restoring {name} ({entry.rows:,} rows)")
        values = table_values(table)
        later = _later_references(table, position)
        # The key finds the row again; columns the update would set (updated_at) keep theirs.
        kept = [*_key_columns(table), *_set_on_update(table)]
        statement = insert(table).values(
            {value.column.key: value.bound(dialect) for value in values}
        )
        links: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        for number, raw in enumerate(archive.rows(entry), start=1):
            row = _decoded(archive, entry, number, values, raw)
            if later and any(row[key] is not None for key in later):
                links.append({key: row[key] for key in (*later, *kept)})
                row.update(dict.fromkeys(later))
            batch.append(row)
            if len(batch) >= BATCH:
                _insert_batch(connection, statement, batch, archive, entry, number)
                batch.clear()
        if batch:
            _insert_batch(connection, statement, batch, archive, entry, entry.rows)
        if links:
            pending.append((table, links))
        counts.append(TableRows(name=name, rows=entry.rows))
    for table, links in pending:
        _set_links(connection, table, links)
    return counts


def _decoded(
    archive: ArchiveReader,
    entry: TableData,
    number: int,
    values: list[ColumnValues],
    raw: list[Any],
) -> dict[str, Any]:
    row = {}
    for value, cell in zip(values, raw, strict=True):
        try:
            row[value.column.key] = value.from_file(cell)
        except (ValueError, TypeError) as error:
            what = f"column {value.column.name}: {cell!r} is not a {value.column.type} ({error})"
            raise archive.bad_row(entry, number, what) from None
    return row


def _insert_batch(
    connection: Connection,
    statement: Any,
    batch: list[dict[str, Any]],
    archive: ArchiveReader,
    entry: TableData,
    last: int,
) -> None:
    """Insert `batch`, the rows up to number `last`; rows the database refuses (a file
    edited by hand) are reported by number."""
    try:
        connection.execute(statement, batch)
    except IntegrityError as error:
        first = last - len(batch) + 1
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "refused"
        raise archive.bad_row(
            entry, first, f"rows {first}-{last} break a rule ({reason})"
        ) from None


def _later_references(table: Table, position: dict[str, int]) -> list[str]:
    keys = []
    for key in table.foreign_keys:
        target = key.column.table.name
        if target in position and position[target] >= position[table.name]:
            if not key.parent.nullable:
                raise UnsupportedColumn(
                    f"backup: {table.name}.{key.parent.name} refers to {target}, restored "
                    "after it, and cannot be NULL meanwhile; make it nullable or break the cycle"
                )
            keys.append(key.parent.key)
    return sorted(set(keys))


def _key_columns(table: Table) -> list[str]:
    return [column.key for column in table.primary_key.columns]


def _set_on_update(table: Table) -> list[str]:
    return [column.key for column in table.columns if column.onupdate is not None]


def _set_links(connection: Connection, table: Table, links: list[dict[str, Any]]) -> None:
    keys = _key_columns(table)
    linked = [name for name in links[0] if name not in keys]
    statement = (
        update(table)
        .where(*(table.c[key] == bindparam(f"key_{key}", type_=table.c[key].type) for key in keys))
        .values({name: bindparam(f"value_{name}", type_=table.c[name].type) for name in linked})
    )
    parameters = [
        {
            **{f"key_{key}": link[key] for key in keys},
            **{f"value_{name}": link[name] for name in linked},
        }
        for link in links
    ]
    for start in range(0, len(parameters), BATCH):
        connection.execute(statement, parameters[start : start + BATCH])


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move: set each to
    the largest id restored, so the next row gets the next id (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer
    for table in metadata().sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        column = keys[0]
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote.format_table(table), "column": column.name},
        )
        if sequence is None:
            continue
        largest = f"(SELECT MAX({quote.quote(column.name)}) FROM {quote.format_table(table)})"
        connection.execute(
            text(
                "SELECT setval(CAST(:sequence AS regclass), "
                f"COALESCE({largest}, 1), {largest} IS NOT NULL)"
            ),
            {"sequence": sequence},
        )


def _rebuild(connection: Connection) -> list[TableRows]:
    """Call each cache's rebuilding function once, in the restore's transaction."""
    session = Session(bind=connection)
    try:
        for spec in dict.fromkeys(table.info[REBUILT_BY] for table in rebuilt_tables()):
            module, _, name = spec.partition(":")
            getattr(import_module(module), name)(session)
        session.flush()
    finally:
        session.close()
    return [
        TableRows(
            name=table.name, rows=connection.scalar(select(func.count()).select_from(table)) or 0
        )
        for table in rebuilt_tables()
    ]
