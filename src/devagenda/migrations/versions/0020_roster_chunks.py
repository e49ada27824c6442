"""the roster at scale: per-chunk change tokens of the consultants list

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 07:40:00.000000

The consultants list now counts its facets and matches `q` from columns each process
holds in memory (`devagenda.core.memory_facets`, as the activities list since 0018), so
a write to a consultant, or to one of the tables its facets and texts read (languages,
IP fields, nationalities, assignments and their beneficiary countries), gives the
consultant's chunk (`list_chunk`, list 'consultant', id / 16,384) a new token. An
assignment's country names its consultant through the assignment. An update gives
both the old and the new row's chunk a new token, in case a link moves to another
consultant. No reference data is read (nationalities and countries are codes), so
chunk -1 is never written.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 16384  # devagenda.core.memory_facets.CHUNK_SIZE
LIST = "consultant"
# Each table the list reads, with its column naming the consultant.
TABLES = (
    ("consultant", "id"),
    ("consultant_language", "consultant_id"),
    ("consultant_field", "consultant_id"),
    ("consultant_nationality", "consultant_id"),
    ("assignment", "consultant_id"),
)
# A beneficiary country names its assignment, whose consultant is the one changed.
THROUGH = ("assignment_country", "assignment_id", "assignment")
# (trigger suffix, event, the row a SQLite trigger reads, the transition table of PostgreSQL)
EVENTS = (
    ("ai", "INSERT", ("NEW",), ("NEW",)),
    ("au", "UPDATE", ("NEW", "OLD"), ("NEW",)),
    ("auo", "UPDATE", (), ("OLD",)),  # PostgreSQL: one transition table per trigger
    ("ad", "DELETE", ("OLD",), ("OLD",)),
)
_SQLITE_UPSERT = "ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token;"


def _sqlite_events() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(name, event, rows) for name, event, rows, _ in EVENTS if rows]


def _sqlite_upgrade() -> list[str]:
    statements = [
        f"CREATE TRIGGER {table}_chunk_{name} AFTER {event} ON {table} BEGIN "
        + " ".join(
            f"INSERT INTO list_chunk (list_name, chunk, token) "
            f"VALUES ('{LIST}', {row}.{key} / {CHUNK}, hex(randomblob(8))) {_SQLITE_UPSERT}"
            for row in rows
        )
        + " END"
        for table, key in TABLES
        for name, event, rows in _sqlite_events()
    ]
    table, key, parent = THROUGH
    # A SELECT finds no assignment once it is deleted (its own trigger has told).
    statements.extend(
        f"CREATE TRIGGER {table}_chunk_{name} AFTER {event} ON {table} BEGIN "
        + " ".join(
            f"INSERT INTO list_chunk (list_name, chunk, token) "
            f"SELECT '{LIST}', consultant_id / {CHUNK}, hex(randomblob(8)) "
            f"FROM {parent} WHERE id = {row}.{key} {_SQLITE_UPSERT}"
            for row in rows
        )
        + " END"
        for name, event, rows in _sqlite_events()
    )
    return statements


def _postgresql_function(table: str, chunks: str) -> str:
    return f"""
        CREATE FUNCTION {table}_chunk_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO list_chunk (list_name, chunk, token)
            SELECT '{LIST}', chunk, gen_random_uuid()::text
            FROM ({chunks}) AS touched
            ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token;
            RETURN NULL;
        END
        $$
        """


def _postgresql_upgrade() -> list[str]:
    table, key, parent = THROUGH
    functions = [
        *((t, f"SELECT DISTINCT {k} / {CHUNK} AS chunk FROM changed") for t, k in TABLES),
        (
            table,
            f"SELECT DISTINCT p.consultant_id / {CHUNK} AS chunk FROM changed "
            f"JOIN {parent} AS p ON p.id = changed.{key}",
        ),
    ]
    statements = []
    for name, chunks in functions:
        statements.append(_postgresql_function(name, chunks))
        statements.extend(
            f"CREATE TRIGGER {name}_chunk_{suffix} AFTER {event} ON {name} "
            f"REFERENCING {transition} TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_chunk_touch()"
            for suffix, event, _, (transition,) in EVENTS
        )
    return statements


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The chunks of the consultants already stored, so that processes read them.
    token = "hex(randomblob(8))" if sqlite else "gen_random_uuid()::text"
    op.execute(
        f"INSERT INTO list_chunk (list_name, chunk, token) SELECT '{LIST}', id / {CHUNK}, "
        f"{token} FROM consultant GROUP BY id / {CHUNK}"
    )
    for statement in _sqlite_upgrade() if sqlite else _postgresql_upgrade():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    tables = [*(table for table, _ in TABLES), THROUGH[0]]
    for table in tables:
        if sqlite:
            for name, *_ in _sqlite_events():
                op.execute(f"DROP TRIGGER {table}_chunk_{name}")
        else:
            for name, *_ in EVENTS:
                op.execute(f"DROP TRIGGER {table}_chunk_{name} ON {table}")
            op.execute(f"DROP FUNCTION {table}_chunk_touch()")
    op.execute(f"DELETE FROM list_chunk WHERE list_name = '{LIST}'")
