"""Reading what ingested reports say: their paragraphs, footnotes, figures and the places
where they name a country or group."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from devagenda.catalogue.models import ProjectTitle
from devagenda.core.errors import NotFoundError
from devagenda.core.models import Source, SourceKind, SourceLocation
from devagenda.core.pagination import Listing, text_in
from devagenda.core.schemas import Provenance
from devagenda.reports.content_schemas import (
    FigureFilter,
    FigureOut,
    FindingLocation,
    FindingOut,
    FootnoteOut,
    MentionOut,
    ParagraphOut,
    ReportOut,
    SubItemOut,
)
from devagenda.reports.lint.findings import Severity
from devagenda.reports.messages import TEMPLATES, stored_text
from devagenda.reports.models import (
    FOOTNOTE_MARKER,
    CountryMention,
    DocumentMention,
    RecommendationMention,
    ReportFigure,
    ReportFinding,
    ReportFootnote,
    ReportLink,
    ReportParagraph,
    without_footnote_markers,
)
from devagenda.reports.versions import partial_editions

SNIPPET_CONTEXT = 30  # characters each side of a name; Chinese packs a clause in that


# -- reports


def report_listing(session: Session) -> Listing[ReportOut]:
    query = select(Source).where(Source.kind == SourceKind.REPORT)
    return Listing(session, query, Source.id, _reports_out, text_in(Source.key))


def get_report(session: Session, year: int, language: str) -> ReportOut:
    return _reports_out(session, [_report_source(session, year, language)])[0]


def _report_source(session: Session, year: int, language: str) -> Source:
    source = session.scalar(
        select(Source).where(
            Source.kind == SourceKind.REPORT, Source.year == year, Source.language == language
        )
    )
    if source is None:
        raise NotFoundError(f"no {language} report for {year} has been ingested")
    return source


def _reports_out(session: Session, sources: Sequence[Source]) -> list[ReportOut]:
    ids = [s.id for s in sources]
    paragraphs = _count_by_source(session, ReportParagraph.source_id, ids)
    footnotes = _count_by_source(session, ReportFootnote.source_id, ids)
    figures = _count_by_source(
        session,
        SourceLocation.source_id,
        ids,
        join=(ReportFigure, ReportFigure.source_location_id == SourceLocation.id),
    )
    partial = partial_editions(session, list(sources))
    return [
        ReportOut(
            key=s.key,
            year=s.year or 0,
            language=s.language or "",
            title=s.title,
            uri=s.uri,
            partial=s.id in partial,
            paragraphs=paragraphs.get(s.id, 0),
            footnotes=footnotes.get(s.id, 0),
            figures=figures.get(s.id, 0),
        )
        for s in sources
    ]


def _count_by_source(
    session: Session, column: Any, ids: list[int], join: tuple[Any, Any] | None = None
) -> dict[int, int]:
    query = select(column, func.count()).where(column.in_(ids)).group_by(column)
    if join is not None:
        query = query.join(*join)
    return {source_id: count for source_id, count in session.execute(query)}


# -- paragraphs and footnotes


@dataclass
class _Attached:
    """What a paragraph or footnote cites or names, in reading order, without repeats."""

    documents: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def add(self, kind: str, value: str) -> None:
        values = getattr(self, kind)
        if value not in values:
            values.append(value)


def _attached(
    session: Session, source_id: int, numbers: list[int], *, footnotes: bool
) -> dict[int, _Attached]:
    """Links, cited documents and named countries of paragraphs (their footnotes excluded)
    or of footnotes, by number."""
    number = SourceLocation.footnote if footnotes else SourceLocation.paragraph
    where = [SourceLocation.source_id == source_id, number.in_(numbers)]
    if not footnotes:
        where.append(SourceLocation.footnote.is_(None))
    attached: dict[int, _Attached] = {}
    for kind, model, value in (
        ("documents", DocumentMention, DocumentMention.text),
        ("links", ReportLink, ReportLink.url),
        (
            "mentions",
            CountryMention,
            func.coalesce(CountryMention.country_alpha3, CountryMention.group_code),
        ),
    ):
        rows = session.execute(
            select(number, value)
            .join(SourceLocation, SourceLocation.id == model.source_location_id)
            .where(*where)
            .order_by(model.id)
        )
        for key, text in rows:
            attached.setdefault(key, _Attached()).add(kind, text)
    return attached


def _footnote_numbers(*texts: str) -> list[int]:
    return [int(n) for text in texts for n in FOOTNOTE_MARKER.findall(text)]


def paragraph_listing(
    session: Session, year: int, language: str, *, chapter: int | None = None
) -> Listing[ParagraphOut]:
    """The numbered paragraphs of one report, in order; NotFoundError if it is not ingested."""
    source = _report_source(session, year, language)
    query = (
        select(ReportParagraph)
        .options(selectinload(ReportParagraph.sub_items))
        .where(ReportParagraph.source_id == source.id)
    )
    if chapter is not None:
        query = query.where(ReportParagraph.chapter == chapter)
    return Listing(
        session,
        query,
        ReportParagraph.id,
        lambda s, rows: _paragraphs_out(s, source, rows),
        text_in(ReportParagraph.text),
    )


def get_paragraph(session: Session, year: int, language: str, number: int) -> ParagraphOut:
    source = _report_source(session, year, language)
    paragraph = session.scalar(
        select(ReportParagraph).where(
            ReportParagraph.source_id == source.id, ReportParagraph.number == number
        )
    )
    if paragraph is None:
        raise NotFoundError(f"{source.key} has no paragraph {number}")
    return _paragraphs_out(session, source, [paragraph])[0]


def _paragraphs_out(
    session: Session, source: Source, paragraphs: Sequence[ReportParagraph]
) -> list[ParagraphOut]:
    attached = _attached(session, source.id, [p.number for p in paragraphs], footnotes=False)
    return [
        ParagraphOut(
            report=source.key,
            number=p.number,
            chapter=p.chapter,
            section=p.section,
            text=p.plain_text,
            footnotes=_footnote_numbers(p.text, *(s.text for s in p.sub_items)),
            sub_items=[
                SubItemOut(label=s.label, text=s.plain_text, footnotes=_footnote_numbers(s.text))
                for s in p.sub_items
            ],
            documents=attached.get(p.number, _Attached()).documents,
            links=attached.get(p.number, _Attached()).links,
            mentions=attached.get(p.number, _Attached()).mentions,
            line=p.line,
        )
        for p in paragraphs
    ]


def footnote_listing(
    session: Session, year: int, language: str, *, paragraph: int | None = None
) -> Listing[FootnoteOut]:
    """The footnotes of one report, in order; NotFoundError if it is not ingested."""
    source = _report_source(session, year, language)
    query = select(ReportFootnote).where(ReportFootnote.source_id == source.id)
    if paragraph is not None:
        query = query.where(ReportFootnote.paragraph_number == paragraph)
    return Listing(
        session,
        query,
        ReportFootnote.id,
        lambda s, rows: _footnotes_out(s, source, rows),
        text_in(ReportFootnote.text),
    )


def get_footnote(session: Session, year: int, language: str, number: int) -> FootnoteOut:
    source = _report_source(session, year, language)
    footnote = session.scalar(
        select(ReportFootnote).where(
            ReportFootnote.source_id == source.id, ReportFootnote.number == number
        )
    )
    if footnote is None:
        raise NotFoundError(f"{source.key} has no footnote {number}")
    return _footnotes_out(session, source, [footnote])[0]


def _footnotes_out(
    session: Session, source: Source, footnotes: Sequence[ReportFootnote]
) -> list[FootnoteOut]:
    attached = _attached(session, source.id, [f.number for f in footnotes], footnotes=True)
    return [
        FootnoteOut(
            report=source.key,
            number=f.number,
            paragraph=f.paragraph_number,
            text=f.text,
            documents=attached.get(f.number, _Attached()).documents,
            links=attached.get(f.number, _Attached()).links,
            mentions=attached.get(f.number, _Attached()).mentions,
            line=f.line,
        )
        for f in footnotes
    ]


# -- findings


def report_findings(session: Session, year: int, language: str) -> list[FindingOut]:
    """The checker's findings on the report, stored when it was ingested, in line order."""
    source = _report_source(session, year, language)
    findings = session.scalars(
        select(ReportFinding)
        .join(ReportFinding.location)
        .where(SourceLocation.source_id == source.id)
        .order_by(SourceLocation.line, ReportFinding.id)
    )
    return [
        FindingOut(
            severity=Severity(f.severity),
            code=f.code,
            message=stored_text(f.message_key, f.message_params, "en") or f.message,
            message_zh=stored_text(f.message_key, f.message_params, "zh"),
            message_key=f.message_key if f.message_key in TEMPLATES else None,
            location=FindingLocation(
                line=f.location.line,
                paragraph=f.location.paragraph,
                sub_item=f.location.sub_item,
                footnote=f.location.footnote,
                heading=f.heading,
                heading_position=f.heading_position,
                annex=f.location.annex,
                annex_group=f.annex_group,
                row=f.location.row,
            ),
        )
        for f in findings
    ]


# -- figures


def figure_listing(session: Session, filters: FigureFilter | None = None) -> Listing[FigureOut]:
    """Figures of every ingested report. `year` is the year a figure is about, which is
    the report's year unless the figure states another one."""
    filters = filters or FigureFilter()
    query = (
        select(ReportFigure)
        .join(SourceLocation, SourceLocation.id == ReportFigure.source_location_id)
        .join(Source, Source.id == SourceLocation.source_id)
        .options(joinedload(ReportFigure.location).joinedload(SourceLocation.source))
    )
    if filters.year is not None:
        query = query.where(func.coalesce(ReportFigure.year, Source.year) == filters.year)
    if filters.unit is not None:
        query = query.where(ReportFigure.unit == filters.unit)
    if filters.paragraph is not None:
        query = query.where(SourceLocation.paragraph == filters.paragraph)
    if filters.language is not None:
        query = query.where(Source.language == filters.language)
    return Listing(
        session,
        query,
        ReportFigure.id,
        _figures_out,
        text_in(ReportFigure.text, ReportFigure.counts),
    )


def _figures_out(_session: Session, figures: Sequence[ReportFigure]) -> list[FigureOut]:
    return [
        FigureOut(
            id=f.id,
            report=f.location.source.key,
            value=f.value,
            text=f.text,
            unit=f.unit,
            counts=f.counts,
            year=f.year,
            qualifier=f.qualifier,
            cumulative=f.cumulative,
            breakdown=f.breakdown,
            part_of=f.part_of_id,
            source=Provenance.of(f.location),
        )
        for f in figures
    ]


# -- mentions


def mentions_of(
    session: Session, *, country: str | None = None, group: str | None = None
) -> list[MentionOut]:
    """Every place an ingested report names this country (alpha-3) or group, in the
    order of the reports and of the text, with the words around each name."""
    query = (
        select(CountryMention)
        .join(CountryMention.location)
        .join(SourceLocation.source)
        .options(joinedload(CountryMention.location).joinedload(SourceLocation.source))
        .order_by(Source.year, Source.id, CountryMention.id)
    )
    if country is not None:
        query = query.where(CountryMention.country_alpha3 == country)
    if group is not None:
        query = query.where(CountryMention.group_code == group)
    mentions = session.scalars(query).all()
    texts = _located_texts(session, [m.location for m in mentions])
    # A name printed twice in one place is two mentions: show each its own occurrence.
    occurrences = Counter[tuple[int, str]]()
    out = []
    for m in mentions:
        nth = occurrences[(m.location.id, m.text)]
        occurrences[(m.location.id, m.text)] += 1
        out.append(_mention_out(m, snippet(texts.get(m.location.id, ""), m.text, nth)))
    return out


def _mention_out(m: CountryMention, around: str) -> MentionOut:
    return MentionOut(
        report=m.location.source.key,
        year=m.location.source.year,
        language=m.location.source.language,
        country=m.country_alpha3,
        group=m.group_code,
        paragraph=m.location.paragraph,
        sub_item=m.location.sub_item,
        footnote=m.location.footnote,
        annex=m.location.annex,
        row=m.location.row,
        text=m.text,
        snippet=around,
        citation=m.location.describe(),
    )


def recommendation_mentions(session: Session, number: int) -> list[MentionOut]:
    """Every place an ingested report cites recommendation `number`, with its context."""
    query = (
        select(RecommendationMention)
        .join(RecommendationMention.location)
        .join(SourceLocation.source)
        .options(joinedload(RecommendationMention.location).joinedload(SourceLocation.source))
        .where(RecommendationMention.recommendation_number == number)
        .order_by(Source.year, Source.id, RecommendationMention.id)
    )
    mentions = session.scalars(query).all()
    texts = _located_texts(session, [m.location for m in mentions])
    return [
        MentionOut(
            report=m.location.source.key,
            year=m.location.source.year,
            language=m.location.source.language,
            country=None,
            group=None,
            recommendation=m.recommendation_number,
            paragraph=m.location.paragraph,
            sub_item=m.location.sub_item,
            footnote=m.location.footnote,
            text=m.text,
            snippet=snippet(texts.get(m.location.id, ""), m.text),
            citation=m.location.describe(),
        )
        for m in mentions
    ]


def _located_texts(session: Session, locations: list[SourceLocation]) -> dict[int, str]:
    """The plain text at each location: the footnote, the sub-item, the paragraph or the
    annex row."""
    sources = {loc.source_id for loc in locations}
    numbers = {loc.paragraph for loc in locations if loc.paragraph is not None}
    notes = {loc.footnote for loc in locations if loc.footnote is not None}
    paragraphs = {
        (p.source_id, p.number): p
        for p in session.scalars(
            select(ReportParagraph)
            .options(selectinload(ReportParagraph.sub_items))
            .where(ReportParagraph.source_id.in_(sources), ReportParagraph.number.in_(numbers))
        )
    }
    footnotes = {
        (f.source_id, f.number): f.text
        for f in session.scalars(
            select(ReportFootnote).where(
                ReportFootnote.source_id.in_(sources), ReportFootnote.number.in_(notes)
            )
        )
    }
    annex_rows = [loc.id for loc in locations if loc.annex is not None]
    titles = dict(
        session.execute(
            select(ProjectTitle.source_location_id, ProjectTitle.text).where(
                ProjectTitle.source_location_id.in_(annex_rows)
            )
        ).all()
    )
    texts: dict[int, str] = {}
    for location in locations:
        if location.annex is not None:
            # An Annex II row prints a project's title.
            texts[location.id] = titles.get(location.id, "")
            continue
        if location.footnote is not None:
            texts[location.id] = footnotes.get((location.source_id, location.footnote), "")
            continue
        paragraph = paragraphs.get((location.source_id, location.paragraph))
        if paragraph is None:
            continue
        sub_items = {s.label: s.text for s in paragraph.sub_items}
        text = sub_items.get(location.sub_item or "", paragraph.text)
        texts[location.id] = without_footnote_markers(text)
    return texts


def snippet(text: str, name: str, occurrence: int = 0, context: int = SNIPPET_CONTEXT) -> str:
    """The words around the `occurrence`-th `name` in `text` (counting from 0; the last
    one if there are fewer), with "…" where the text was cut."""
    at = -1
    for _ in range(occurrence + 1):
        found = text.find(name, at + 1)
        if found < 0:
            break
        at = found
    if at < 0:
        return text[: 2 * context] + ("…" if len(text) > 2 * context else "")
    start, end = max(0, at - context), min(len(text), at + len(name) + context)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
