"""The search index: one row per record and language, with its text and facet values.

Rows are derived data, rewritten by `devagenda.search.sync` whenever a record changes, so
they carry no foreign key to the records (which live in many tables) except `source_id`:
the report an entry was read from, so that deleting a report deletes its entries in the
database itself, exactly as it deletes the report's paragraphs.

The full-text index proper is engine-specific DDL made by migration 0003 and unknown to
the models: an FTS5 table `search_fts` on SQLite, a generated `tsvector` column
`search_vector` with a GIN index on PostgreSQL. Migration 0011 adds triggers that give
`search_chunk` a new token whenever an entry of that range of ids is written, however the
write is made (including cascades from a deleted report), so that every process can tell
which part of its in-memory facet columns is stale.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from devagenda.core.models import REBUILT_BY, Base

# Made by migration 0003 outside the models (FTS5 creates the shadow tables itself):
# schema comparison must neither reflect nor drop them.
FULL_TEXT_TABLES = frozenset(
    {
        "search_fts",
        "search_fts_data",
        "search_fts_idx",
        "search_fts_docsize",
        "search_fts_config",
    }
)
FULL_TEXT_COLUMN = "search_vector"
FULL_TEXT_INDEX = "ix_search_entry_search_vector"


def _rebuilt() -> dict[str, dict[str, str]]:
    """The table options of every table here: `rebuild_index` rewrites them all from the
    records, so backups leave them out (a new dict each, as tables keep theirs)."""
    return {"info": {REBUILT_BY: "devagenda.search.sync:rebuild_index"}}


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic's `include_name` hook: leave the hand-made full-text objects out of
    autogenerate and `alembic check`, which would otherwise want to drop them."""
    if type_ == "table":
        return name not in FULL_TEXT_TABLES
    if type_ == "column" and parent_names.get("table_name") == "search_entry":
        return name != FULL_TEXT_COLUMN
    return not (type_ == "index" and name == FULL_TEXT_INDEX)


class SearchEntry(Base):
    __tablename__ = "search_entry"
    __table_args__ = (
        UniqueConstraint("kind", "key", "language"),
        # Covers what devagenda.search.facets reads per chunk of ids: without it, reading
        # the facet columns means reading every entry's text as well.
        Index(
            "ix_search_entry_facets",
            "id",
            "record",
            "kind",
            "status",
            "cluster",
            "sector",
            "year",
            "language",
        ),
        _rebuilt(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "project", "paragraph"...: see registry
    key: Mapped[str] = mapped_column(String(200))  # the record's primary key, as text
    # The same number for every language of one record (a hash of kind and key), so that
    # counting and paging go by record, not by entry.
    record: Mapped[int] = mapped_column(BigInteger, server_default=text("0"), index=True)
    language: Mapped[str] = mapped_column(String(8))  # "und" for text in no language
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    title_tokens: Mapped[str] = mapped_column(Text)  # segmented title: title matches rank first
    tokens: Mapped[str] = mapped_column(Text)  # segmented title and body, what is searched
    url: Mapped[str] = mapped_column(Text)  # path of the record's page in the web interface
    status: Mapped[str | None] = mapped_column(String(32))
    cluster: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), index=True
    )


class SearchEntryCountry(Base):
    """A country a record is about or mentions; a record may have many, hence a table."""

    __tablename__ = "search_entry_country"
    __table_args__ = _rebuilt()

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("search_entry.id", ondelete="CASCADE"), primary_key=True
    )
    alpha3: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)


class SearchName(Base):
    """A name by which a record is known in one language (a country's official name and
    aliases, a project's title), as `devagenda.search.segment.name_key` spells it: a query
    naming the record in one language then also finds the names of the others."""

    __tablename__ = "search_name"
    __table_args__ = _rebuilt()

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("search_entry.id", ondelete="CASCADE"), primary_key=True
    )
    name_key: Mapped[str] = mapped_column(String(400), primary_key=True, index=True)


class SearchChunk(Base):
    """A range of CHUNK_SIZE entry ids and a token that changes whenever one of its entries
    is written (by triggers, see migration 0011)."""

    __tablename__ = "search_chunk"
    __table_args__ = _rebuilt()

    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(64))


class SearchIndexFormat(Base):
    """The version of the tokenization the stored entries were made with (one row): an
    index made by an older version is rebuilt by `devagenda init`, not searched."""

    __tablename__ = "search_index_format"
    __table_args__ = _rebuilt()

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    format: Mapped[int] = mapped_column(Integer)


CHUNK_SIZE = 65536
