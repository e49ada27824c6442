"""Numbering: paragraphs, chapters, list items and annex rows must count up by one.

Cross-references ("see paragraph 8.3") and the loader's keys depend on these numbers, so a
gap or a repeat in paragraphs is an error; in a list inside a paragraph it is a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from devagenda.reports.ingest.document import Heading, Location, ProjectGroup, ReportDocument
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.text import (
    Label,
    all_units,
    inline_labels,
    label_of,
    line_sub_items,
    quote,
    split_lists,
    to_roman,
)
from devagenda.reports.messages import Message, message


def sequence_breaks(
    numbers: list[int], name: Callable[[int], str] = str
) -> Iterator[tuple[int, Message]]:
    """(index, what is wrong) wherever `numbers` stop counting up by one from 1."""
    seen: set[int] = set()
    expected = 1
    for index, number in enumerate(numbers):
        if number in seen:
            yield index, message("sequence.repeated", number=name(number))
        elif index and number < numbers[index - 1]:
            previous = name(numbers[index - 1])
            yield index, message("sequence.reversed", number=name(number), previous=previous)
        elif number > expected:
            missing = [name(n) for n in range(expected, number)]
            yield index, message("sequence.gap", number=name(number), missing=missing)
        seen.add(number)
        expected = max(expected, number + 1)


@check("DA-NUM-001", Severity.ERROR)
def paragraph_sequence(context: LintContext) -> Iterator[Flag]:
    """Numbered paragraphs run 1, 2, 3... with no gap, repeat or reversal.

    Other documents cite the report by paragraph number, so a broken sequence breaks them.
    """
    paragraphs = context.doc.paragraphs
    for index, problem in sequence_breaks([p.number for p in paragraphs]):
        paragraph = paragraphs[index]
        location = Location(line=paragraph.line, paragraph=paragraph.number)
        yield Flag(location, message("numbering.paragraphs", problem=problem))


@check("DA-NUM-002", Severity.ERROR)
def chapter_sequence(context: LintContext) -> Iterator[Flag]:
    """Chapter headings are numbered 一, 二, 三... with no gap, repeat or reversal."""
    chapters = [h for h in context.doc.chapters if h.number is not None]
    for index, problem in sequence_breaks([h.number for h in chapters if h.number]):
        heading = chapters[index]
        location = Location(line=heading.line, heading=heading.title)
        yield Flag(
            location, message("numbering.chapters", heading=quote(heading.title), problem=problem)
        )


def numeral_style(numeral: str) -> str:
    if numeral.isdigit():
        return "Arabic"
    if set(numeral) <= set("IVXLC"):
        return "Roman"
    return "Chinese"


@check("DA-NUM-003", Severity.WARNING)
def chapter_numeral_style(context: LintContext) -> Iterator[Flag]:
    """All chapter headings use the same kind of numeral ("一、" not "2、").

    A heading typed by hand in a numbered list is the usual cause; readers notice it.
    """
    chapters: list[Heading] = [h for h in context.doc.chapters if h.numeral]
    styles = Counter(numeral_style(h.numeral or "") for h in chapters)
    if len(styles) < 2:
        return
    usual, usual_count = styles.most_common(1)[0]
    example = next(h for h in chapters if numeral_style(h.numeral or "") == usual)
    for heading in chapters:
        style = numeral_style(heading.numeral or "")
        if style != usual:
            yield Flag(
                Location(line=heading.line, heading=heading.title),
                message(
                    "numbering.numeral_style",
                    number=heading.number,
                    heading=quote(heading.title),
                    numeral=heading.numeral,
                    style=message(f"numeral.{style.lower()}"),
                    others=usual_count,
                    usual=message(f"numeral.{usual.lower()}"),
                    example_numeral=example.numeral,
                    example=quote(example.title),
                ),
            )


def document_lists(doc: ReportDocument) -> Iterator[list[Label]]:
    """Every list in the document: line sub-items per paragraph, and inline lists."""
    for paragraph in doc.paragraphs:
        labels: list[Label] = []
        for item in line_sub_items(paragraph):
            letters = bool(labels) and labels[-1].kind == "letter"
            item_location = Location(item.line, paragraph.number, sub_item=item.label)
            label = label_of(item.label, item_location, letters, item.label + item.text[:12])
            if label:
                labels.append(label)
        yield from split_lists(labels)
    for unit in all_units(doc):
        yield from split_lists(inline_labels(unit.text, unit.location))
    for recommendation in doc.annex_recommendations:
        location = Location(line=recommendation.line, annex="I", row=recommendation.number)
        yield from split_lists(inline_labels(recommendation.text, location))


def where(label: Label) -> Message:
    loc = label.location
    if loc.footnote is not None:
        return message("place.footnote", footnote=loc.footnote)
    if loc.annex:
        return message(
            "place.annex_recommendation", annex=message(f"annex.{loc.annex}"), row=loc.row
        )
    if loc.sub_item:
        return message("place.sub_item", paragraph=loc.paragraph, sub_item=loc.sub_item)
    return message("place.paragraph", paragraph=loc.paragraph)


@check("DA-NUM-004", Severity.WARNING)
def list_sequence(context: LintContext) -> Iterator[Flag]:
    """Items of one list count on by one: no "iv)" twice, no "i), iii)" without "ii)"."""
    for items in document_lists(context.doc):
        name = to_roman if items[0].kind == "roman" else _letter
        for index, problem in sequence_breaks([label.ordinal for label in items], name):
            label = items[index]
            printed = " ".join(item.printed for item in items)
            yield Flag(
                label.location,
                message(
                    "numbering.list_sequence",
                    labels=printed,
                    place=where(label),
                    problem=problem,
                    context=quote(label.context),
                ),
            )


def _letter(ordinal: int) -> str:
    return chr(ord("a") + ordinal - 1)


@check("DA-NUM-005", Severity.WARNING)
def list_style(context: LintContext) -> Iterator[Flag]:
    """One list keeps one label shape: "(i) … （ii）" or "(iii) … iv)" is a slip.

    Lists in different paragraphs, or successive lists in one paragraph, may use different
    shapes; only labels of one list (counting on from i or a) are compared.
    """
    for items in document_lists(context.doc):
        styles = Counter(label.style for label in items)
        if len(styles) < 2:
            continue
        usual = styles.most_common(1)[0][0]
        odd = next(label for label in items if label.style != usual)
        printed = " ".join(label.printed for label in items)
        first = items[0]
        yield Flag(
            odd.location,
            message(
                "numbering.list_style",
                place=where(odd),
                labels=printed,
                first=quote(first.context),
                odd=quote(odd.context),
            ),
        )


_BULLETS = "·•‧∙●▪◦-–—"


@check("DA-NUM-006", Severity.ADVISORY)
def bullet_style(context: LintContext) -> Iterator[Flag]:
    """Bulleted lines of one text use one bullet sign ("·" throughout, not "·" and "-")."""
    for recommendation in context.doc.annex_recommendations:
        lines = [line.strip() for line in recommendation.text.splitlines()]
        bullets = [line for line in lines if line and line[0] in _BULLETS]
        signs = Counter(line[0] for line in bullets)
        if len(signs) < 2:
            continue
        usual = signs.most_common(1)[0][0]
        odd = next(line for line in bullets if line[0] != usual)
        yield Flag(
            Location(line=recommendation.line, annex="I", row=recommendation.number),
            message(
                "numbering.bullets",
                number=recommendation.number,
                count=signs[usual],
                usual=usual,
                odd=quote(odd),
                odd_bullet=odd[0],
            ),
        )


@check("DA-NUM-007", Severity.ERROR)
def annex_sequence(context: LintContext) -> Iterator[Flag]:
    """Annex I rows run 1 to 45 and each Annex II group numbers its rows 1, 2, 3..."""
    recommendations = context.doc.annex_recommendations
    for index, problem in sequence_breaks([r.number for r in recommendations]):
        row = recommendations[index]
        location = Location(line=row.line, annex="I", row=row.number)
        yield Flag(location, message("numbering.annex_one", problem=problem))
    for group in ProjectGroup:
        rows = [p for p in context.doc.annex_projects if p.group is group]
        for index, problem in sequence_breaks([p.row for p in rows]):
            project = rows[index]
            location = Location(line=project.line, annex="II", row=project.row)
            group_name = message(f"group.{group}")
            yield Flag(location, message("numbering.annex_two", group=group_name, problem=problem))


CHECKS = [
    paragraph_sequence,
    chapter_sequence,
    chapter_numeral_style,
    list_sequence,
    list_style,
    bullet_style,
    annex_sequence,
]
