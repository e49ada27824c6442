"""The declarative base, shared column types and provenance.

Provenance is a pair of tables: a `Source` (a report, a shipped data file, an editor's
entry) and a `SourceLocation` inside it (paragraph, footnote, annex row, file line).
Every stored fact may point at a location, so users can always ask "says who, where?".
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# `Table.info` key of a table that only caches what other tables hold (the search index):
# its value names the function that rebuilds it from them, "module:function", called with
# a session. Backups leave such tables out and rebuild them on restore (devagenda.backup).
REBUILT_BY = "rebuilt_by"


def enum_column(enum_type: type[enum.Enum], name: str) -> Enum:
    """Enums stored as their values in a checked VARCHAR, identical on SQLite and PostgreSQL."""
    return Enum(
        enum_type,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SourceKind(enum.StrEnum):
    REPORT = "report"  # a Director General's report
    DATASET = "dataset"  # a data file shipped with devagenda or imported
    EDITOR = "editor"  # entered by a person through an interface


class TextStatus(enum.StrEnum):
    OFFICIAL = "official"  # the organization's own wording in that language
    UNOFFICIAL_TRANSLATION = "unofficial_translation"  # translated by the devagenda project


class Source(Base, TimestampMixin):
    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "source_kind"))
    key: Mapped[str] = mapped_column(String(200))  # stable identity, e.g. "dg-report/2023/zh"
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    uri: Mapped[str | None] = mapped_column(Text)
    checksum: Mapped[str | None] = mapped_column(String(64))  # sha256 of the content read

    locations: Mapped[list[SourceLocation]] = relationship(
        back_populates="source", cascade="all, delete-orphan"
    )


class SourceLocation(Base):
    """A place inside a source; fields that do not apply stay NULL."""

    __tablename__ = "source_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    sub_item: Mapped[str | None] = mapped_column(String(16))
    footnote: Mapped[int | None] = mapped_column(Integer)
    annex: Mapped[str | None] = mapped_column(String(8))
    row: Mapped[int | None] = mapped_column(Integer)

    source: Mapped[Source] = relationship(back_populates="locations")

    def describe(self) -> str:
        """A short human citation: "dg-report/2023/zh ¶19 (ii)" or "... annex II row 3"."""
        parts = [self.source.key]
        if self.paragraph is not None:
            parts.append(f"¶{self.paragraph}")
        if self.sub_item:
            parts.append(self.sub_item)
        if self.footnote is not None:
            parts.append(f"fn {self.footnote}")
        if self.annex:
            parts.append(f"annex {self.annex}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None and self.paragraph is None and self.annex is None:
            parts.append(f"line {self.line}")
        return " ".join(parts)


class TranslationMixin:
    """One language's wording of a parent record's text, with its status and source.

    Subclasses declare the parent key column(s) as part of the primary key; the language
    completes it, so each language appears once per parent.
    """

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[TextStatus] = mapped_column(
        enum_column(TextStatus, "text_status"), default=TextStatus.OFFICIAL
    )

    @declared_attr
    def source_location_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("source_location.id", ondelete="SET NULL"))


class TranslatedMixin:
    """Parents of a translation table: pick the wording for a language, with fallback."""

    texts: list[TranslationMixin]

    def text_in(self, language: str, fallback: tuple[str, ...] = ("zh", "en")) -> str | None:
        by_language = {t.language: t.text for t in self.texts}
        for candidate in (language, *fallback):
            if candidate in by_language:
                return by_language[candidate]
        return None

    def set_text(
        self,
        language: str,
        text: str,
        status: TextStatus = TextStatus.OFFICIAL,
        source_location_id: int | None = None,
    ) -> None:
        """Insert or replace one language's wording."""
        for existing in self.texts:
            if existing.language == language:
                existing.text = text
                existing.status = status
                existing.source_location_id = source_location_id
                return
        translation_class = inspect(type(self)).relationships["texts"].mapper.class_
        self.texts.append(
            translation_class(
                language=language, text=text, status=status, source_location_id=source_location_id
            )
        )


class ListChunk(Base):
    """A range of CHUNK_SIZE keys of a listed table (`devagenda.core.memory_facets`) and a
    token that triggers replace whenever a row of that range, or of its link tables, is
    written; chunk -1 is replaced when reference data every chunk depends on changes."""

    __tablename__ = "list_chunk"

    list_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(64))
