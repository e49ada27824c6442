"""Read a Director General's report (text export or Word file) into a `ReportDocument`.

Both formats become the same source lines first (`textexport`, `docx`), so one parser
reads both: the narrative's structure, the annexes, footnotes, approvals and project
events, and what the text mentions (addresses, symbols, countries, figures). The reader is
tolerant: gaps, repeats and orphan footnotes are kept for the checker to report; it raises
`ReportFormatError` only for input that is not a report at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from devagenda.core.errors import InputError, ReportFormatError
from devagenda.reports.ingest.annexes import read_annexes
from devagenda.reports.ingest.decoding import decode_report
from devagenda.reports.ingest.detection import detect_language, detect_year
from devagenda.reports.ingest.document import Figure, Language, Location, ReportDocument
from devagenda.reports.ingest.docx import is_docx, read_docx
from devagenda.reports.ingest.events import EventContext, read_events
from devagenda.reports.ingest.figures import figures_at_markers, find_figures
from devagenda.reports.ingest.footnotes import build_footnotes, narrative_references
from devagenda.reports.ingest.mentions import (
    COUNTRY_KIND,
    find_names,
    find_recommendations,
    find_symbols,
    find_urls,
    names_in_text,
)
from devagenda.reports.ingest.projects import read_approvals
from devagenda.reports.ingest.source import Source
from devagenda.reports.ingest.structure import Block, read_narrative
from devagenda.reports.ingest.textexport import read_text_export

if TYPE_CHECKING:
    from devagenda.reference.gazetteer import Gazetteer

__all__ = ["parse_text", "read_report"]


def read_report(
    path_or_bytes: str | Path | bytes,
    *,
    language: Language | str | None = None,
    year: int | None = None,
    source: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> ReportDocument:
    """Read a report from a file path or its bytes: a .docx or a text export in any of
    the usual encodings. `language` and `year` are detected when not given."""
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, source or "<bytes>"
    else:
        data, name = Path(path_or_bytes).read_bytes(), source or str(path_or_bytes)
    if is_docx(data):
        parsed = read_docx(data, name)
    else:
        parsed = read_text_export(decode_report(data, name), name)
    return _parse(parsed, language, year, gazetteer)


def parse_text(
    text: str,
    *,
    language: Language | str | None = None,
    year: int | None = None,
    source: str = "<text>",
    gazetteer: Gazetteer | None = None,
) -> ReportDocument:
    """Read a text export that is already decoded."""
    if not text.strip():
        raise ReportFormatError("the text is empty", path=source, line=1)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _parse(read_text_export(text, source), language, year, gazetteer)


def _parse(
    source: Source, language: Language | str | None, year: int | None, gazetteer: Gazetteer | None
) -> ReportDocument:
    narrative = read_narrative(source.lines)
    if not narrative.paragraphs:
        last = source.lines[-1].number if source.lines else 1
        raise ReportFormatError(
            "no numbered paragraph (“1. …”) found: not a report", path=source.name, line=last
        )
    sample = "\n".join(line.text for line in source.lines[:200])
    lang = _language(language) if language else detect_language(sample)
    year = year or detect_year(narrative.paragraphs, lang)
    gazetteer = gazetteer or _default_gazetteer()
    annexes = read_annexes(narrative.annex_lines)
    references = narrative_references(narrative.blocks) + annexes.references
    document = ReportDocument(
        language=lang,
        year=year,
        source=source.name,
        title=narrative.title,
        headings=narrative.headings,
        paragraphs=narrative.paragraphs,
        footnotes=build_footnotes(source.bodies, references),
        footnote_references=references,
        annex_recommendations=annexes.recommendations,
        annex_groups=annexes.groups,
        annex_projects=annexes.projects,
    )
    _read_mentions(document, narrative.blocks, gazetteer)
    _read_projects(document, narrative.blocks, gazetteer)
    return document


def _language(language: Language | str) -> Language:
    try:
        return Language(language)
    except ValueError:
        known = ", ".join(member.value for member in Language)
        raise InputError(
            f"unknown language {language!r} (known: {known})", field="language"
        ) from None


def _default_gazetteer() -> Gazetteer:
    from devagenda.reference.gazetteer import Gazetteer

    return Gazetteer.from_reference_data()


def _read_mentions(document: ReportDocument, blocks: list[Block], gazetteer: Gazetteer) -> None:
    """Addresses and symbols per paragraph; countries, recommendations and figures
    everywhere."""
    english = document.language is Language.EN
    # The figure each footnote is attached to, whose breakdown the footnote may give.
    totals: dict[int, Figure] = {}
    for block in blocks:
        text = block.text.text
        block.owner.urls.extend(find_urls(text))
        block.owner.symbols.extend(find_symbols(text))
        _add_names(document, text, block.location, gazetteer)
        document.recommendation_mentions.extend(
            find_recommendations(text, block.location, english=english)
        )
        breaks = tuple(offset for _, offset in block.text.refs)
        figures = find_figures(text, block.location, document.year, english=english, breaks=breaks)
        document.figures.extend(figures)
        for number, total in figures_at_markers(figures, text, block.text.refs).items():
            totals.setdefault(number, total)
    for note in document.footnotes:
        location = Location(note.line, paragraph=note.paragraph, footnote=note.number)
        _add_names(document, note.text, location, gazetteer)
        document.recommendation_mentions.extend(
            find_recommendations(note.text, location, english=english)
        )
        found = find_figures(
            note.text, location, document.year, english=english, total=totals.get(note.number)
        )
        document.figures.extend(found)
    # Annex II titles name beneficiaries and regions too ("…布基纳法索和西非经济货币联盟…").
    for row in document.annex_projects:
        _add_names(document, row.title, Location(row.line, annex="II", row=row.row), gazetteer)


def _add_names(
    document: ReportDocument, text: str, location: Location, gazetteer: Gazetteer
) -> None:
    countries, groups = find_names(text, location, gazetteer)
    document.country_mentions.extend(countries)
    document.group_mentions.extend(groups)


def _read_projects(document: ReportDocument, blocks: list[Block], gazetteer: Gazetteer) -> None:
    english = document.language is Language.EN
    document.approvals = read_approvals(
        document.paragraphs,
        document.annex_projects,
        lambda name: gazetteer.resolve(name) is not None,
        english=english,
    )
    context = EventContext(
        annex=document.annex_projects,
        year=document.year,
        countries=lambda text: [
            (match.start, match.end, match.entry.key)
            for match in names_in_text(text, gazetteer)
            if match.entry.kind == COUNTRY_KIND
        ],
        footnotes={note.number: note.text for note in document.footnotes},
        english=english,
    )
    document.project_events = read_events(document.paragraphs, blocks, context)
