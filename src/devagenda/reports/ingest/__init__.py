"""Read a Director General's report (text export or Word file) into a `ReportDocument`.

Both formats become the same source lines first (`textexport`, `docx`), so one parser
reads both: the narrative's structure, the annexes, footnotes, approvals and project
events, and what the text mentions (addresses, symbols, countries, figures). The reader is
tolerant: gaps, repeats, orphan footnotes and missing annexes are kept for the checker to
report; it raises `ReportFormatError` only for input that is not a report at all (no
numbered paragraph, not text, PDF) and `ContradictionError` for a language or year that
the text contradicts. Whether a text is a whole report is `completeness`'s rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from devagenda.core.errors import ContradictionError, InputError, ReportFormatError
from devagenda.reports.ingest.annexes import read_annexes
from devagenda.reports.ingest.completeness import missing_parts
from devagenda.reports.ingest.decoding import decode_report
from devagenda.reports.ingest.detection import (
    LANGUAGE_NAMES,
    Evidence,
    detect_language,
    language_evidence,
    year_evidence,
)
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

__all__ = ["parse_text", "read_report", "read_source"]

PDF_SIGNATURE = b"%PDF-"


def read_report(
    path_or_bytes: str | Path | bytes,
    *,
    language: Language | str | None = None,
    year: int | None = None,
    source: str | None = None,
    gazetteer: Gazetteer | None = None,
    tolerant: bool = False,
) -> ReportDocument:
    """Read a report from a file path or its bytes: a .docx or a text export in any of
    the usual encodings. `language` and `year` are detected when not given, and refused
    when they contradict the text. A text without numbered paragraphs is refused unless
    `tolerant` (the checker reports what is missing instead)."""
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, source or "<bytes>"
    else:
        data, name = Path(path_or_bytes).read_bytes(), source or str(path_or_bytes)
    return _parse(read_source(data, name), language, year, gazetteer, tolerant)


def read_source(data: bytes, name: str) -> Source:
    """The lines of a report file in either format; PDF is refused with what to do."""
    if data.startswith(PDF_SIGNATURE):
        raise ReportFormatError(
            "PDF is not supported: export the report to .docx or text", path=name
        )
    if is_docx(data):
        return read_docx(data, name)
    return read_text_export(decode_report(data, name), name)


def parse_text(
    text: str,
    *,
    language: Language | str | None = None,
    year: int | None = None,
    source: str = "<text>",
    gazetteer: Gazetteer | None = None,
    tolerant: bool = False,
) -> ReportDocument:
    """Read a text export that is already decoded."""
    if not text.strip():
        raise ReportFormatError("the text is empty", path=source, line=1)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _parse(read_text_export(text, source), language, year, gazetteer, tolerant)


def _parse(
    source: Source,
    language: Language | str | None,
    year: int | None,
    gazetteer: Gazetteer | None,
    tolerant: bool,
) -> ReportDocument:
    narrative = read_narrative(source.lines)
    if not narrative.paragraphs and not tolerant:
        last = source.lines[-1].number if source.lines else 1
        empty = ReportDocument(language=Language.EN, year=None, source=source.name)
        missing = "; ".join(m.description for m in missing_parts(empty))
        raise ReportFormatError(
            f"not a Director General's report: missing {missing}",
            path=source.name,
            line=last,
        )
    stated_language = detect_language("\n".join(line.text for line in source.lines))
    lang = _agreeing_language(language, stated_language, source)
    stated = year_evidence(narrative.paragraphs, lang)
    _check_year(year, stated, source.name)
    gazetteer = gazetteer or _default_gazetteer()
    annexes = read_annexes(narrative.annex_lines)
    references = narrative_references(narrative.blocks) + annexes.references
    document = ReportDocument(
        language=lang,
        year=year or (stated[0] if stated else None),
        source=source.name,
        title=narrative.title,
        stated_year=stated[0] if stated else None,
        stated_language=stated_language,
        last_line=source.lines[-1].number if source.lines else 1,
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


def _agreeing_language(
    given: Language | str | None, stated: Language | None, source: Source
) -> Language:
    """The caller's language when the text agrees (or says nothing), else a refusal that
    points at a line in the language the text is really in."""
    if given is None:
        return stated or Language.EN
    chosen = _language(given)
    if stated is None or chosen is stated:
        return chosen
    evidence = language_evidence(source.lines, stated)
    raise ContradictionError(
        f"wrong language: the text is in {LANGUAGE_NAMES[stated]}, not "
        f"{LANGUAGE_NAMES[chosen]} (“{evidence.text if evidence else ''}”): "
        f"pass --language {stated.value} or leave it out",
        path=source.name,
        line=evidence.line if evidence else None,
        field="language",
    )


def _check_year(given: int | None, stated: tuple[int, Evidence] | None, name: str) -> None:
    """A year the first paragraph only names in passing ("2022-2026年") may be wrong; the
    one it says the report covers ("2023年度") is not."""
    if given is None or stated is None or given == stated[0] or not stated[1].certain:
        return
    year, evidence = stated
    raise ContradictionError(
        f"the report says it covers {year} (“{evidence.text}”), not {given}: "
        f"pass --year {year} or leave it out",
        path=name,
        line=evidence.line,
        field="year",
    )


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
