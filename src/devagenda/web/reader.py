"""The report reader's page data: the stored report paragraph by paragraph, each with its
footnotes, its entities linked and the check findings that concern it.

Findings are those `devagenda lint` made when the report was ingested, stored with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy.orm import Session

from devagenda.reports import content
from devagenda.reports import services as report_services
from devagenda.reports.content_schemas import FindingOut, FootnoteOut, ParagraphOut
from devagenda.reports.lint import Severity
from devagenda.reports.render import annexes as printed_annexes
from devagenda.reports.schemas import (
    AnnexOneRow,
    AnnexTwoGroup,
    HeadingOut,
    NoteRun,
    ReportTextOut,
    Run,
    TextFootnoteOut,
    TextParagraphOut,
)
from devagenda.web.linking import Named, report_text

# Where a finding is shown: ("paragraph", n), ("footnote", n), ("heading", block index),
# ("annex-i", recommendation), ("annex-ii", group, row).
Place = tuple[str | int, ...]


# -- check findings ----------------------------------------------------------------------


def place_findings(
    findings: Sequence[FindingOut], blocks: Sequence[object]
) -> tuple[dict[Place, list[FindingOut]], list[FindingOut]]:
    """Findings by the place that shows them, and those that belong to no single place."""
    heading_blocks = [i for i, block in enumerate(blocks) if isinstance(block, HeadingOut)]
    placed: dict[Place, list[FindingOut]] = defaultdict(list)
    general = []
    for finding in findings:
        place = _place(finding, heading_blocks)
        if place is None:
            general.append(finding)
        else:
            placed[place].append(finding)
    return placed, general


def _place(finding: FindingOut, heading_blocks: list[int]) -> Place | None:
    where = finding.location
    if where.footnote is not None:
        return ("footnote", where.footnote)
    if where.paragraph is not None:
        return ("paragraph", where.paragraph)
    if where.annex == "I" and where.row is not None:
        return ("annex-i", where.row)
    if where.annex == "II" and where.annex_group and where.row is not None:
        return ("annex-ii", where.annex_group, where.row)
    position = where.heading_position
    if position is not None and position < len(heading_blocks):
        return ("heading", heading_blocks[position])
    return None


def severity_counts(findings: Iterable[FindingOut]) -> dict[str, int]:
    counts = {str(severity): 0 for severity in Severity}
    for finding in findings:
        counts[str(finding.severity)] += 1
    return counts


# -- the page ----------------------------------------------------------------------------


@dataclass
class ReaderParagraph:
    number: int
    html: Markup  # the paragraph's text with note references and links
    sub_items: list[tuple[str, Markup]]  # label, text
    footnotes: list[ReaderFootnote]
    kind: str = field(default="paragraph", init=False)  # as the services' blocks say


@dataclass
class ReaderFootnote:
    number: int
    html: Markup
    referenced: bool  # a note reference in the text points here (and back)


@dataclass
class ReaderPage:
    report: ReportTextOut
    blocks: list[HeadingOut | ReaderParagraph]
    other_footnotes: list[ReaderFootnote]  # referenced from the annexes, not a paragraph
    annex_one: list[AnnexOneRow]
    annex_two: list[AnnexTwoGroup]
    findings: dict[Place, list[FindingOut]] = field(default_factory=dict)
    general_findings: list[FindingOut] = field(default_factory=list)
    finding_counts: dict[str, int] = field(default_factory=dict)


def _named(session: Session, year: int, language: str) -> dict[Place, Named]:
    """What the content service stored as named or cited at each paragraph and footnote."""
    paragraphs = content.paragraph_listing(session, year, language).all()
    footnotes = content.footnote_listing(session, year, language).all()
    places: list[tuple[Place, ParagraphOut | FootnoteOut]] = [
        *((("paragraph", p.number), p) for p in paragraphs),
        *((("footnote", f.number), f) for f in footnotes),
    ]
    return {
        place: Named(frozenset(stored.mentions), tuple(stored.documents), tuple(stored.links))
        for place, stored in places
    }


def reader_page(session: Session, year: int, language: str, note_label: str) -> ReaderPage:
    """The report of `year` in `language` (else the stored edition the services choose);
    `note_label` is the page language's word for a footnote."""
    report = report_services.report_document(session, year, language)
    named = _named(session, year, report.language)
    blocks = _blocks(report, named, note_label)
    placed = {
        note.number
        for block in blocks
        if isinstance(block, ReaderParagraph)
        for note in block.footnotes
    }
    page = ReaderPage(
        report=report,
        blocks=blocks,
        other_footnotes=[
            _footnote(note, named, referenced=False)
            for note in report.footnotes
            if note.number not in placed
        ],
        annex_one=printed_annexes.annex_one(session, year, report.language),
        annex_two=report_services.annex_two(session, year, report.language),
    )
    findings = content.report_findings(session, year, report.language)
    page.findings, page.general_findings = place_findings(findings, report.blocks)
    page.finding_counts = severity_counts(findings)
    return page


def _blocks(
    report: ReportTextOut, named: dict[Place, Named], note_label: str
) -> list[HeadingOut | ReaderParagraph]:
    """Headings as the services give them; paragraphs as HTML with their footnotes."""
    notes = {note.number: note for note in report.footnotes}
    return [
        _paragraph(block, notes, named, note_label)
        if isinstance(block, TextParagraphOut)
        else block
        for block in report.blocks
    ]


def _paragraph(
    block: TextParagraphOut,
    notes: dict[int, TextFootnoteOut],
    named: dict[Place, Named],
    note_label: str,
) -> ReaderParagraph:
    here = named.get(("paragraph", block.number), Named())
    numbers = _note_numbers(block.runs) + [
        n for item in block.sub_items for n in _note_numbers(item.runs)
    ]
    return ReaderParagraph(
        number=block.number,
        html=_runs_html(block.runs, here, note_label),
        sub_items=[
            (item.label, _runs_html(item.runs, here, note_label)) for item in block.sub_items
        ],
        footnotes=[
            _footnote(notes[n], named, referenced=True)
            for n in dict.fromkeys(numbers)
            if n in notes
        ],
    )


def _note_numbers(runs: Sequence[Run]) -> list[int]:
    return [run.number for run in runs if isinstance(run, NoteRun)]


def _runs_html(runs: Sequence[Run], here: Named, note_label: str) -> Markup:
    """Text runs with their entities linked; note runs as numbered references, which
    screen readers announce as "footnote 6" rather than a bare "6"."""
    html = []
    for run in runs:
        if isinstance(run, NoteRun):
            html.append(
                Markup(
                    '<sup class="note-ref"><a href="#fn{n}" id="fnref{n}">'
                    '<span class="visually-hidden">{label} </span>{n}</a></sup>'
                ).format(n=run.number, label=note_label)
            )
        else:
            html.append(report_text(run.text, here))
    return Markup("").join(html)


def _footnote(
    note: TextFootnoteOut, named: dict[Place, Named], *, referenced: bool
) -> ReaderFootnote:
    html = report_text(note.text, named.get(("footnote", note.number), Named()))
    return ReaderFootnote(number=note.number, html=html, referenced=referenced)
