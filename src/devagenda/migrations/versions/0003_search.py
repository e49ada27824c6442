"""search index: entries, their countries, and the engine's full-text index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:12:40.000000

The tables are plain; the full-text index is engine-specific and unknown to the models
(see devagenda.search.models):
- SQLite: an FTS5 table over search_entry (external content, so the text is stored once)
  kept in sync by triggers. A later `batch_alter_table("search_entry")` recreates the
  table and so drops these triggers: such a migration must create them again.
- PostgreSQL: a generated tsvector column with a GIN index; title tokens weigh "A" so that
  a query can ask for title matches.
The tokens are already segmented and folded by devagenda.search.segment: the SQLite
tokenizer and PostgreSQL's `simple` configuration only split them at the spaces.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_tokens, tokens,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts (rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens);
    END
    """,
    """
    CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
    END
    """,
    """
    CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
        INSERT INTO search_fts (rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens);
    END
    """,
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER search_entry_au",
    "DROP TRIGGER search_entry_ad",
    "DROP TRIGGER search_entry_ai",
    "DROP TABLE search_fts",
)
POSTGRESQL_UPGRADE = (
    """
    ALTER TABLE search_entry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A') || to_tsvector('simple', tokens)
    ) STORED
    """,
    "CREATE INDEX ix_search_entry_search_vector ON search_entry USING gin (search_vector)",
)
POSTGRESQL_DOWNGRADE = ("DROP INDEX ix_search_entry_search_vector",)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_tokens", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("cluster", sa.String(length=8), nullable=True),
        sa.Column("sector", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_search_entry_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint(
            "kind", "key", "language", name=op.f("uq_search_entry_kind_key_language")
        ),
    )
    op.create_index(op.f("ix_search_entry_source_id"), "search_entry", ["source_id"])
    op.create_table(
        "search_entry_country",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("alpha3", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["search_entry.id"],
            name=op.f("fk_search_entry_country_entry_id_search_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "alpha3", name=op.f("pk_search_entry_country")),
    )
    op.create_index(op.f("ix_search_entry_country_alpha3"), "search_entry_country", ["alpha3"])
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_UPGRADE)
    else:
        _run(POSTGRESQL_UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_DOWNGRADE)
    else:
        _run(POSTGRESQL_DOWNGRADE)
    op.drop_index(op.f("ix_search_entry_country_alpha3"), table_name="search_entry_country")
    op.drop_table("search_entry_country")
    op.drop_index(op.f("ix_search_entry_source_id"), table_name="search_entry")
    op.drop_table("search_entry")
