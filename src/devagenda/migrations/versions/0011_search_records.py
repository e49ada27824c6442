"""search by record: record numbers, names for cross-language queries, chunk tokens

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:00:00.000000

- `search_entry.record`: one number per record (all its languages), to count and page by
  record; an index covering the facet columns, read per chunk of ids. Existing entries
  get 0 until `devagenda init` rebuilds the index, which it does because
  `search_index_format` holds no current format.
- `search_name`: the names of a record in each language, for cross-language expansion.
- `search_chunk`: a token per range of 65,536 entry ids, replaced by triggers on every
  insert, update and delete of an entry of that range (cascades included), so that a
  process can tell which part of its in-memory facet columns to reload.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 65536
INDEX_FORMAT = 2  # devagenda.search.sync.INDEX_FORMAT when this revision was written
SQLITE_UPGRADE = tuple(
    f"CREATE TRIGGER search_entry_chunk_{name} AFTER {event} ON search_entry BEGIN "
    f"INSERT INTO search_chunk (chunk, token) VALUES ({row}.id / {CHUNK}, hex(randomblob(8))) "
    "ON CONFLICT (chunk) DO UPDATE SET token = excluded.token; END"
    for name, event, row in (
        ("ai", "INSERT", "new"),
        ("au", "UPDATE", "new"),
        ("ad", "DELETE", "old"),
    )
)
SQLITE_DOWNGRADE = tuple(f"DROP TRIGGER search_entry_chunk_{name}" for name in ("ai", "au", "ad"))
POSTGRESQL_UPGRADE = (
    f"""
    CREATE FUNCTION search_chunk_touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_chunk (chunk, token)
        SELECT chunk, gen_random_uuid()::text
        FROM (SELECT DISTINCT id / {CHUNK} AS chunk FROM changed) AS touched
        ON CONFLICT (chunk) DO UPDATE SET token = excluded.token;
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER search_entry_chunk_{name} AFTER {event} ON search_entry "
        f"REFERENCING {table} TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_chunk_touch()"
        for name, event, table in (
            ("ai", "INSERT", "NEW"),
            ("au", "UPDATE", "NEW"),
            ("ad", "DELETE", "OLD"),
        )
    ),
)
POSTGRESQL_DOWNGRADE = (
    *(f"DROP TRIGGER search_entry_chunk_{name} ON search_entry" for name in ("ai", "au", "ad")),
    "DROP FUNCTION search_chunk_touch()",
)


def upgrade() -> None:
    op.add_column(
        "search_entry",
        sa.Column("record", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )
    op.create_index(op.f("ix_search_entry_record"), "search_entry", ["record"])
    op.create_index(
        "ix_search_entry_facets",
        "search_entry",
        ["id", "record", "kind", "status", "cluster", "sector", "year", "language"],
    )
    op.create_table(
        "search_name",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["search_entry.id"],
            name=op.f("fk_search_name_entry_id_search_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "name_key", name=op.f("pk_search_name")),
    )
    op.create_index(op.f("ix_search_name_name_key"), "search_name", ["name_key"])
    op.create_table(
        "search_chunk",
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chunk", name=op.f("pk_search_chunk")),
    )
    op.create_table(
        "search_index_format",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index_format")),
    )
    # An empty index is current; entries made before this revision are not, so that
    # `devagenda init` rebuilds them.
    op.execute(
        "INSERT INTO search_index_format (id, format) "
        f"SELECT 1, {INDEX_FORMAT} WHERE NOT EXISTS (SELECT 1 FROM search_entry)"
    )
    statements = SQLITE_UPGRADE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_UPGRADE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRESQL_DOWNGRADE:
        op.execute(statement)
    op.drop_table("search_index_format")
    op.drop_table("search_chunk")
    op.drop_index(op.f("ix_search_name_name_key"), table_name="search_name")
    op.drop_table("search_name")
    op.drop_index("ix_search_entry_facets", table_name="search_entry")
    op.drop_index(op.f("ix_search_entry_record"), table_name="search_entry")
    op.drop_column("search_entry", "record")
