"""activities at scale: the demo flag and per-chunk change tokens of the activities list

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 03:00:00.000000

- `activity.demo`: rows made by `devagenda demo generate`, never mixed with real ones.
- `list_chunk`: per listed table (`list_name`) a token per range of 16,384 keys, replaced
  by triggers whenever a row of that range is written, in the table itself or in one of
  the link tables its facets count (cascades included), so that every process can tell
  which part of its in-memory facet columns to reload (`devagenda.core.memory_facets`).
  Chunk -1 changes when a country is updated: the region and group facets read it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 16384  # devagenda.core.memory_facets.CHUNK_SIZE
LIST = "activity"
# Each table whose rows the activities list counts, with its column naming the activity.
TABLES = (
    ("activity", "id"),
    ("activity_beneficiary", "activity_id"),
    ("activity_subject_area", "activity_id"),
    ("activity_language", "activity_id"),
    ("activity_recommendation", "activity_id"),
    ("activity_expected_result", "activity_id"),
    ("activity_project", "activity_id"),
)
EVENTS = (
    ("ai", "INSERT", "new", "NEW"),
    ("au", "UPDATE", "new", "NEW"),
    ("ad", "DELETE", "old", "OLD"),
)


def _sqlite_upgrade() -> list[str]:
    statements = [
        f"CREATE TRIGGER {table}_chunk_{name} AFTER {event} ON {table} BEGIN "
        f"INSERT INTO list_chunk (list_name, chunk, token) "
        f"VALUES ('{LIST}', {row}.{key} / {CHUNK}, hex(randomblob(8))) "
        "ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token; END"
        for table, key in TABLES
        for name, event, row, _ in EVENTS
    ]
    statements.append(
        f"CREATE TRIGGER country_list_chunk_au AFTER UPDATE ON country BEGIN "
        "INSERT INTO list_chunk (list_name, chunk, token) "
        f"VALUES ('{LIST}', -1, hex(randomblob(8))) "
        "ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token; END"
    )
    return statements


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
    statements.append(
        f"""
        CREATE FUNCTION country_list_chunk_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO list_chunk (list_name, chunk, token)
            VALUES ('{LIST}', -1, gen_random_uuid()::text)
            ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token;
            RETURN NULL;
        END
        $$
        """
    )
    statements.append(
        "CREATE TRIGGER country_list_chunk_au AFTER UPDATE ON country "
        "FOR EACH STATEMENT EXECUTE FUNCTION country_list_chunk_touch()"
    )
    return statements


def upgrade() -> None:
    op.add_column(
        "activity", sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_index(op.f("ix_activity_demo"), "activity", ["demo"], unique=False)
    op.create_table(
        "list_chunk",
        sa.Column("list_name", sa.String(length=32), nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("list_name", "chunk", name=op.f("pk_list_chunk")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The chunks of the activities already stored, so that processes read them.
    token = "hex(randomblob(8))" if sqlite else "gen_random_uuid()::text"
    op.execute(
        f"INSERT INTO list_chunk (list_name, chunk, token) SELECT '{LIST}', id / {CHUNK}, "
        f"{token} FROM activity GROUP BY id / {CHUNK}"
    )
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
    if sqlite:
        op.execute("DROP TRIGGER country_list_chunk_au")
    else:
        op.execute("DROP TRIGGER country_list_chunk_au ON country")
        op.execute("DROP FUNCTION country_list_chunk_touch()")
    op.drop_table("list_chunk")
    op.drop_index(op.f("ix_activity_demo"), table_name="activity")
    with op.batch_alter_table("activity") as batch:
        batch.drop_column("demo")
