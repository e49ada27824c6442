"""What an ingested report keeps: its structure, and the facts read from it.

The report itself is a `Source` (kind "report"); everything here hangs off it, so that
re-ingesting a corrected edition replaces its content in one transaction.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.models import Base, SourceLocation

# Stored paragraph and sub-item texts keep footnote references where they stood, so that
# the report can be regenerated with its footnotes in place.
FOOTNOTE_MARKER = re.compile(r"\[footnoteRef:(\d+)\]")


def without_footnote_markers(text: str) -> str:
    return FOOTNOTE_MARKER.sub("", text)


class ReportHeading(Base):
    __tablename__ = "report_heading"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    numeral: Mapped[str | None] = mapped_column(String(8))
    number: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class ReportParagraph(Base):
    __tablename__ = "report_paragraph"
    __table_args__ = (UniqueConstraint("source_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # with [footnoteRef:N] markers
    line: Mapped[int] = mapped_column(Integer)

    @property
    def plain_text(self) -> str:
        return without_footnote_markers(self.text)

    sub_items: Mapped[list[ReportSubItem]] = relationship(
        cascade="all, delete-orphan", order_by="ReportSubItem.position"
    )


class ReportSubItem(Base):
    __tablename__ = "report_sub_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("report_paragraph.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(16))
    ordinal: Mapped[int] = mapped_column(Integer)
    style: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # with [footnoteRef:N] markers
    line: Mapped[int] = mapped_column(Integer)

    @property
    def plain_text(self) -> str:
        return without_footnote_markers(self.text)


class ReportFootnote(Base):
    __tablename__ = "report_footnote"
    __table_args__ = (UniqueConstraint("source_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    paragraph_number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)


class ReportLink(Base):
    """A URL printed in a paragraph or footnote."""

    __tablename__ = "report_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)


class DocumentMention(Base):
    """A document symbol (CDIP/31/4) cited in a paragraph or footnote."""

    __tablename__ = "document_mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(64))


class CountryMention(Base):
    """A country or group named in the report, resolved to its record."""

    __tablename__ = "country_mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    country_alpha3: Mapped[str | None] = mapped_column(ForeignKey("country.alpha3"), index=True)
    group_code: Mapped[str | None] = mapped_column(ForeignKey("actor_group.code"), index=True)
    text: Mapped[str] = mapped_column(String(200))

    location: Mapped[SourceLocation] = relationship(lazy="joined")


class RecommendationMention(Base):
    """A recommendation cited by number in the report ("建议4、10、11和45")."""

    __tablename__ = "recommendation_mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    recommendation_number: Mapped[int] = mapped_column(
        ForeignKey("recommendation.number"), index=True
    )
    text: Mapped[str] = mapped_column(String(200))

    location: Mapped[SourceLocation] = relationship(lazy="joined")


class ReportFinding(Base):
    """What `devagenda lint` found in the report, stored when it was ingested, so readers
    see the findings in place without the file at hand."""

    __tablename__ = "report_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    severity: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)  # in English, as the checker worded it then
    # The message as key and parameters (devagenda.reports.messages), so that a page words
    # it in its reader's language; None for a finding whose wording could not be recovered.
    message_key: Mapped[str | None] = mapped_column(String(64))
    message_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    heading: Mapped[str | None] = mapped_column(Text)
    heading_position: Mapped[int | None] = mapped_column(Integer)  # among the headings
    annex_group: Mapped[str | None] = mapped_column(String(32))  # Annex II group of the row

    location: Mapped[SourceLocation] = relationship(lazy="joined")


class ReportFigure(Base):
    """A quantitative statement: value, unit, what it counts, the year it is about."""

    __tablename__ = "report_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    counts: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    qualifier: Mapped[str | None] = mapped_column(String(32))
    # A total since a start ("自启动以来", "截至2023年底"), not the year's own count.
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The part of a total this figure stands for ("非洲" in "非洲2个"), and that total.
    breakdown: Mapped[str | None] = mapped_column(String(200))
    part_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_figure.id", ondelete="SET NULL"), index=True
    )

    location: Mapped[SourceLocation] = relationship(lazy="joined")
    part_of: Mapped[ReportFigure | None] = relationship(remote_side=[id])


class ReportVersion(Base):
    """One text an edition has had. Replacing an edition keeps the text it replaces, so a
    replacement can always be undone (`devagenda reports restore`).

    An edition's current version is the one whose checksum its `Source` carries. Versions
    are keyed by the edition's key, not by the source row, which a replacement rebuilds.
    """

    __tablename__ = "report_version"
    __table_args__ = (
        UniqueConstraint("edition", "number"),
        UniqueConstraint("edition", "checksum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(String(200), index=True)  # "dg-report/2023/zh"
    number: Mapped[int] = mapped_column(Integer)  # 1, 2... in the order first loaded
    file_name: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))  # as Source.checksum: of the text
    size: Mapped[int | None] = mapped_column(Integer)  # bytes of the file as given
    # The file's bytes, enough to load it again; None for an edition loaded before versions
    # were kept, whose text is not at hand.
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class IngestRun(Base):
    """One `devagenda ingest` (or restore): when, which file, what it was loaded as, how it
    ended, and what it counted. Refusals are recorded too, wherever the database could be
    reached."""

    __tablename__ = "ingest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    file_name: Mapped[str] = mapped_column(Text)
    # sha256 of the file's bytes (a version's checksum is of its text); None: not read.
    checksum: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    requested: Mapped[dict[str, Any]] = mapped_column(JSON)  # the flags: language, year...
    edition: Mapped[str | None] = mapped_column(String(200), index=True)  # loaded as
    version: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))  # see reports.versions.Outcome
    message: Mapped[str | None] = mapped_column(Text)  # why it was refused, in one line
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what a replacement changed


class AnnexOneCell(Base):
    """One expected result as a report's Annex I prints it in one recommendation's row.

    The knowledge base keeps one title per expected result; a report sometimes prints
    another wording in a row, and an edition regenerated as printed must show it.
    """

    __tablename__ = "annex_one_cell"
    __table_args__ = (UniqueConstraint("source_location_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
    recommendation_number: Mapped[int] = mapped_column(ForeignKey("recommendation.number"))
    position: Mapped[int] = mapped_column(Integer)  # order within the row, from 1
    expected_result_code: Mapped[str] = mapped_column(ForeignKey("expected_result.code"))
    printed_title: Mapped[str] = mapped_column(Text)

    location: Mapped[SourceLocation] = relationship(lazy="joined")


class ReportSymbol(Base):
    """The document symbol a user gave a year's report (`ingest --symbol`); it takes
    precedence over the shipped reference data (reference/data/report_symbols.csv)."""

    __tablename__ = "report_symbol"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
