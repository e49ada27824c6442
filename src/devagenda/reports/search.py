"""What an ingested report puts in the search index: its paragraphs and footnotes.

Each is titled by the heading it sits under (shown, not searched), faceted by the sector
its chapter reports on, the report's year, and the countries the report names in it. Its
entries carry the report's source id, so deleting the report deletes them in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.core.models import Source, SourceLocation
from devagenda.reference.models import Sector
from devagenda.reports.models import (
    CountryMention,
    ReportFootnote,
    ReportHeading,
    ReportParagraph,
    ReportSubItem,
    without_footnote_markers,
)
from devagenda.search.registry import (
    NO_LANGUAGE,
    EntryData,
    Indexer,
    Part,
    part_of,
    per_update,
    register,
)


@dataclass(frozen=True)
class _Report:
    """What the entries of one report need, read in a few queries once per index update
    rather than a few queries per paragraph."""

    source: Source
    chapter_titles: dict[int, str]
    sectors: dict[int, str]  # chapter number -> sector code
    paragraphs: dict[int, tuple[int | None, str | None]]  # number -> chapter, section
    sub_items: dict[int, list[str]]  # paragraph id -> "label text"
    paragraph_countries: dict[int, list[str]]  # named in the paragraph itself
    footnote_countries: dict[int, list[str]]

    def heading(self, chapter: int | None, section: str | None) -> str:
        return section or self.chapter_titles.get(chapter or 0) or self.source.title

    def entry(
        self, *, title: str, body: str, anchor: str, chapter: int | None, countries: list[str]
    ) -> EntryData:
        return EntryData(
            language=self.source.language or NO_LANGUAGE,
            title=title,
            body=body,
            url=f"/reports/{self.source.year}/{self.source.language}#{anchor}",
            sector=self.sectors.get(chapter or 0),
            year=self.source.year,
            countries=tuple(countries),
            source_id=self.source.id,
            title_searched=False,
        )


def paragraph_entries(session: Session, paragraph: ReportParagraph) -> list[EntryData]:
    report = per_update(session, _read_report, paragraph.source_id)
    items = report.sub_items.get(paragraph.id, [])
    return [
        report.entry(
            title=f"{report.heading(paragraph.chapter, paragraph.section)} ¶{paragraph.number}",
            body="\n".join([paragraph.plain_text, *items]),
            anchor=f"p{paragraph.number}",
            chapter=paragraph.chapter,
            countries=report.paragraph_countries.get(paragraph.number, []),
        )
    ]


def footnote_entries(session: Session, footnote: ReportFootnote) -> list[EntryData]:
    """Footnotes take the heading and sector of the paragraph that cites them."""
    report = per_update(session, _read_report, footnote.source_id)
    cited = footnote.paragraph_number
    chapter, section = report.paragraphs.get(cited or 0, (None, None))
    where = f" ¶{cited}" if cited is not None else ""
    return [
        report.entry(
            title=f"{report.heading(chapter, section)}{where} fn {footnote.number}",
            body=footnote.text,
            anchor=f"fn{footnote.number}",
            chapter=chapter,
            countries=report.footnote_countries.get(footnote.number, []),
        )
    ]


def _read_report(session: Session, source_id: int) -> _Report:
    chapter_titles = session.execute(
        select(ReportHeading.number, ReportHeading.title).where(
            ReportHeading.source_id == source_id,
            ReportHeading.level == 1,
            ReportHeading.number.is_not(None),
        )
    )
    sectors = session.execute(
        select(Sector.report_order, Sector.code).where(Sector.report_order.is_not(None))
    )
    paragraphs = session.execute(
        select(ReportParagraph.number, ReportParagraph.chapter, ReportParagraph.section).where(
            ReportParagraph.source_id == source_id
        )
    )
    sub_items: dict[int, list[str]] = {}
    for paragraph_id, label, text in session.execute(
        select(ReportSubItem.paragraph_id, ReportSubItem.label, ReportSubItem.text)
        .join(ReportParagraph, ReportParagraph.id == ReportSubItem.paragraph_id)
        .where(ReportParagraph.source_id == source_id)
        .order_by(ReportSubItem.paragraph_id, ReportSubItem.position)
    ):
        sub_items.setdefault(paragraph_id, []).append(f"{label} {without_footnote_markers(text)}")
    in_paragraphs: dict[int, list[str]] = {}
    in_footnotes: dict[int, list[str]] = {}
    for paragraph, footnote, alpha3 in session.execute(
        select(SourceLocation.paragraph, SourceLocation.footnote, CountryMention.country_alpha3)
        .join(SourceLocation, SourceLocation.id == CountryMention.source_location_id)
        .where(SourceLocation.source_id == source_id, CountryMention.country_alpha3.is_not(None))
        .order_by(CountryMention.id)
    ):
        if footnote is not None:
            in_footnotes.setdefault(footnote, []).append(alpha3)
        elif paragraph is not None:
            in_paragraphs.setdefault(paragraph, []).append(alpha3)
    return _Report(
        source=session.get_one(Source, source_id),
        chapter_titles=dict(chapter_titles.all()),
        sectors=dict(sectors.all()),
        paragraphs={number: (chapter, section) for number, chapter, section in paragraphs},
        sub_items=sub_items,
        paragraph_countries=in_paragraphs,
        footnote_countries=in_footnotes,
    )


def _paragraphs_naming(session: Session, location_ids: list[int]) -> Iterable[ReportParagraph]:
    return session.scalars(
        select(ReportParagraph)
        .join(
            SourceLocation,
            (SourceLocation.source_id == ReportParagraph.source_id)
            & (SourceLocation.paragraph == ReportParagraph.number),
        )
        .where(SourceLocation.id.in_(location_ids), SourceLocation.footnote.is_(None))
    )


def _footnotes_naming(session: Session, location_ids: list[int]) -> Iterable[ReportFootnote]:
    return session.scalars(
        select(ReportFootnote)
        .join(
            SourceLocation,
            (SourceLocation.source_id == ReportFootnote.source_id)
            & (SourceLocation.footnote == ReportFootnote.number),
        )
        .where(SourceLocation.id.in_(location_ids))
    )


def _location(mention: CountryMention) -> int:
    return mention.source_location_id


register(
    Indexer(
        kind="paragraph",
        model=ReportParagraph,
        build=paragraph_entries,
        parts={
            ReportSubItem: part_of(ReportParagraph, lambda item: item.paragraph_id),
            CountryMention: Part(_location, _paragraphs_naming),
        },
    )
)
register(
    Indexer(
        kind="footnote",
        model=ReportFootnote,
        build=footnote_entries,
        parts={CountryMention: Part(_location, _footnotes_naming)},
    )
)
