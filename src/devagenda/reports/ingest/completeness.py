"""What makes a file a Director General's report on the Development Agenda.

A report has numbered paragraphs, sector chapters, Annex I (recommendations and expected
results), Annex II (projects by status), and states its year and is written in one
language. The loader refuses a file that lacks any of them, unless it is loaded as a
partial report (a draft); `devagenda lint` reports the same missing parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from devagenda.core.errors import NotAReportError
from devagenda.reports.ingest.document import ReportDocument
from devagenda.reports.messages import message


class Part(StrEnum):
    PARAGRAPHS = "paragraphs"
    CHAPTERS = "chapters"
    ANNEX_ONE = "annex_one"
    ANNEX_TWO = "annex_two"
    YEAR = "year"
    LANGUAGE = "language"


# A draft may lack these; without the others nothing could be stored under a key.
MAY_BE_MISSING_FROM_A_DRAFT = frozenset({Part.CHAPTERS, Part.ANNEX_ONE, Part.ANNEX_TWO})


@dataclass(frozen=True)
class MissingPart:
    part: Part
    line: int  # where the reader looked last: the end of the text, or paragraph 1

    @property
    def description(self) -> str:
        """What is missing, in English: the checker's catalogue words it (`part.*`)."""
        return message(f"part.{self.part}").render("en")


def missing_parts(doc: ReportDocument) -> list[MissingPart]:
    """The parts of a report that `doc` lacks, in reading order."""
    first = doc.paragraphs[0].line if doc.paragraphs else 1
    found = {
        Part.PARAGRAPHS: bool(doc.paragraphs),
        Part.CHAPTERS: bool(doc.chapters),
        Part.ANNEX_ONE: bool(doc.annex_recommendations),
        Part.ANNEX_TWO: bool(doc.annex_projects),
        Part.YEAR: doc.stated_year is not None,
        Part.LANGUAGE: doc.stated_language is not None,
    }
    lines = {Part.YEAR: first, Part.LANGUAGE: 1}
    return [
        MissingPart(part, lines.get(part, doc.last_line)) for part, ok in found.items() if not ok
    ]


def require_report(doc: ReportDocument, *, partial: bool) -> None:
    """Refuse what is not a whole report; with `partial`, a draft that lacks only chapters
    or annexes (and whose year is stated or given) passes."""
    missing = missing_parts(doc)
    if partial:
        missing = [m for m in missing if m.part not in MAY_BE_MISSING_FROM_A_DRAFT]
        missing = [m for m in missing if not _known_anyway(doc, m.part)]
    if not missing:
        return
    parts = "; ".join(m.description for m in missing)
    drafts_only = all(m.part in MAY_BE_MISSING_FROM_A_DRAFT for m in missing)
    hint = (
        "to load a draft anyway, pass --partial"
        if drafts_only
        else "check that this is the Director General's report on the Development Agenda"
    )
    raise NotAReportError(
        f"not a complete Director General's report: missing {parts} ({hint})",
        missing=[m.part.value for m in missing],
        path=doc.source,
    )


def _known_anyway(doc: ReportDocument, part: Part) -> bool:
    """A draft's year may come from --year; a text too short to have a language is never
    a draft of a report."""
    return part is Part.YEAR and doc.year is not None
