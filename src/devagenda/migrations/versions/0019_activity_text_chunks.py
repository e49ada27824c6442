"""activities at scale: titles and descriptions give their chunk a new token too

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:10:00.000000

The activities list now matches its text filter (`q`) against folded titles,
descriptions, codes, cities and units that each process holds in memory beside the
facet columns (`devagenda.core.memory_facets`), so a write to `activity_title` or
`activity_description` must tell other processes which chunk to read again, as 0018's
triggers do for the facets' tables.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 16384  # devagenda.core.memory_facets.CHUNK_SIZE
LIST = "activity"
TABLES = (("activity_title", "activity_id"), ("activity_description", "activity_id"))
EVENTS = (
    ("ai", "INSERT", "new", "NEW"),
    ("au", "UPDATE", "new", "NEW"),
    ("ad", "DELETE", "old", "OLD"),
)


def _sqlite_upgrade() -> list[str]:
    return [
        f"CREATE TRIGGER {table}_chunk_{name} AFTER {event} ON {table} BEGIN "
        f"INSERT INTO list_chunk (list_name, chunk, token) "
        f"VALUES ('{LIST}', {row}.{key} / {CHUNK}, hex(randomblob(8))) "
        "ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token; END"
        for table, key in TABLES
        for name, event, row, _ in EVENTS
    ]


def _postgresql_upgrade() -> list[str]:
    statements = []
    for table, key in TABLES:
        statements.append(
            f"""
            CREATE FUNCTION {table}_chunk_touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO list_chunk (list_name, chunk, token)
                SELECT '{LIST}', chunk, gen_random_uuid()::text
                FROM (SELECT DISTINCT {key} / {CHUNK} AS chunk FROM changed) AS touched
                ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token;
                RETURN NULL;
            END
            $$
            """
        )
        statements.extend(
            f"CREATE TRIGGER {table}_chunk_{name} AFTER {event} ON {table} "
            f"REFERENCING {transition} TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_chunk_touch()"
            for name, event, _, transition in EVENTS
        )
    return statements


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_upgrade() if sqlite else _postgresql_upgrade():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _ in TABLES:
        for name, *_ in EVENTS:
            op.execute(
                f"DROP TRIGGER {table}_chunk_{name}"
                if sqlite
                else f"DROP TRIGGER {table}_chunk_{name} ON {table}"
            )
        if not sqlite:
            op.execute(f"DROP FUNCTION {table}_chunk_touch()")
