"""Footnotes: every reference has a body, every body a reference, numbers run 1, 2, 3.

Word numbers footnotes itself, so a break here usually means text was pasted from another
document or a footnote was deleted by hand; either way readers lose a source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from devagenda.reports.ingest.document import Location
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.numbering import sequence_breaks
from devagenda.reports.messages import message


def _at_reference(number: int, location: Location) -> Location:
    return replace(location, footnote=number)


@check("DA-FTN-001", Severity.ERROR)
def reference_without_body(context: LintContext) -> Iterator[Flag]:
    """A footnote reference whose footnote text is missing: the reader gets a dead number."""
    bodies = {note.number for note in context.doc.footnotes}
    for number, location in context.doc.footnote_references:
        if number not in bodies:
            yield Flag(
                _at_reference(number, location),
                message("footnotes.no_text", number=number),
            )


@check("DA-FTN-002", Severity.ERROR)
def body_without_reference(context: LintContext) -> Iterator[Flag]:
    """A footnote text that nothing in the body points to: it can never be found."""
    referenced = {number for number, _ in context.doc.footnote_references}
    for note in context.doc.footnotes:
        if note.number not in referenced:
            yield Flag(
                Location(line=note.line, paragraph=note.paragraph, footnote=note.number),
                message("footnotes.not_referenced", number=note.number, text=f"“{note.text[:40]}”"),
            )


@check("DA-FTN-003", Severity.ERROR)
def footnote_sequence(context: LintContext) -> Iterator[Flag]:
    """Footnote texts are numbered 1, 2, 3... and first referenced in that order.

    A number missing from both references and texts is a gap; a number missing from one
    side only is reported by DA-FTN-001 or DA-FTN-002 instead.
    """
    doc = context.doc
    referenced = {number for number, _ in doc.footnote_references}
    notes = doc.footnotes
    for index, problem in sequence_breaks([note.number for note in notes]):
        note = notes[index]
        missing = set(range(notes[index - 1].number + 1 if index else 1, note.number))
        if missing and missing <= referenced:
            continue
        location = Location(line=note.line, paragraph=note.paragraph, footnote=note.number)
        yield Flag(location, message("footnotes.numbering", problem=problem))
    first_seen: dict[int, Location] = {}
    for number, location in doc.footnote_references:
        first_seen.setdefault(number, location)
    order = list(first_seen)
    for index, number in enumerate(order):
        if index and number < order[index - 1]:
            yield Flag(
                _at_reference(number, first_seen[number]),
                message("footnotes.reference_order", number=number, previous=order[index - 1]),
            )


@check("DA-FTN-004", Severity.WARNING)
def reference_repeated(context: LintContext) -> Iterator[Flag]:
    """The same footnote referenced twice: Word gives each reference its own footnote, so a
    repeated number means a reference was typed by hand."""
    seen: dict[int, Location] = {}
    for number, location in context.doc.footnote_references:
        if number in seen:
            yield Flag(
                _at_reference(number, location),
                message("footnotes.referenced_twice", number=number, first_line=seen[number].line),
            )
        else:
            seen[number] = location


CHECKS = [reference_without_body, body_without_reference, footnote_sequence, reference_repeated]
