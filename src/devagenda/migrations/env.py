"""Alembic environment: runs on the engine devagenda hands over (see core/schema.py).

SQLite cannot alter most of a table in place, so a migration there copies the table,
drops the old one and renames the copy (Alembic's batch mode). With foreign keys
enforced, dropping a table first deletes its rows, and ON DELETE CASCADE takes every row
that refers to them: rebuilding `match_post` would empty the connections, notices and
parts of every post. So on SQLite the migrations run with enforcement off (it can only
be switched outside a transaction), every reference is checked before the commit, and
enforcement is switched back on for the pooled connection.
"""

from alembic import context
from sqlalchemy import Connection, text

from devagenda.core.schema import metadata
from devagenda.search.models import include_name

config = context.config
engine = config.attributes["engine"]


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        if connection.dialect.name == "sqlite":
            # Python's sqlite3 opens a transaction only before a row is written, so the
            # DDL before it would be committed at once: one transaction holds it all.
            connection.exec_driver_sql("BEGIN")
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            _refuse_broken_references(connection)


def _refuse_broken_references(connection: Connection) -> None:
    """Roll the migration back rather than commit rows whose references point nowhere."""
    broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(
            f"the migration would leave {len(broken)} rows of {', '.join(tables)} referring "
            "to rows that do not exist; nothing was changed"
        )


if engine.dialect.name == "sqlite":
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        try:
            _migrate(connection)
        finally:
            connection.rollback()  # no transaction left open, so that the PRAGMA applies
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()
else:
    with engine.begin() as connection:
        _migrate(connection)
