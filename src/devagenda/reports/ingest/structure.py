"""The narrative part of a report: headings, numbered paragraphs and their listed items.

Lines are classified one by one: a numbered paragraph ("12. "), a line of its own that
starts with a list label (it belongs to the paragraph before it), a chapter heading
("一、", "2、", "IX."), the introduction or conclusion, a section heading (a short line
without a full stop), or text that continues the paragraph before it. The first table
cell of an annex table or the "[后接附件]" marker ends the narrative; the rest is annexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devagenda.core.numerals import numeral_to_int
from devagenda.reports.ingest.annexes import GROUP, RECOMMENDATION
from devagenda.reports.ingest.document import Heading, Location, Paragraph, SubItem
from devagenda.reports.ingest.source import MarkedText, SourceLine
from devagenda.reports.ingest.subitems import Label, inline_items, split_line_label

PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.[ \t\u3000]+(\S.*)$")
CHAPTER = re.compile(
    r"^\s*([一二三四五六七八九十]{1,3}|\d{1,2}|[IVXL]{1,6})\s*(?:、|[.．]\s)\s*(\S.*)$"
)
UNNUMBERED_CHAPTERS = {"导言", "引言", "结论", "introduction", "conclusion", "conclusions"}
ANNEX_MARKER = re.compile(
    r"^\s*(?:\[(?:后接附件|附件如下|annex(?:es)? follows?)\]"
    r"|附件[一二三]?|annex(?:\s+[ivx]+)?)\s*$",
    re.IGNORECASE,
)
# A heading is short and is not a sentence.
MAX_HEADING_CHARS = 40
MAX_LATIN_HEADING_CHARS = 120
SENTENCE_PUNCTUATION = re.compile(r"[。；;：:，,.!?！？]$|[。；]")
WHITESPACE = re.compile(r"\s+")


@dataclass
class Block:
    """One line of narrative text and where it sits; what mentions and figures are read from."""

    text: MarkedText
    location: Location
    owner: Paragraph  # the numbered paragraph the line belongs to
    items: list[SubItem] = field(default_factory=list)  # a paragraph's inline items


@dataclass
class Narrative:
    title: str | None = None
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    annex_lines: list[SourceLine] = field(default_factory=list)


@dataclass
class _Position:
    """The headings and paragraph the walker is inside."""

    chapter: int | None = None
    section: str | None = None
    heading: str | None = None
    paragraph: Paragraph | None = None
    item: SubItem | None = None


def read_narrative(lines: list[SourceLine]) -> Narrative:
    """Split `lines` into the narrative's parts; lines from the annexes on are kept aside."""
    narrative = Narrative()
    position = _Position()
    for index, line in enumerate(lines):
        if _starts_annexes(line):
            narrative.annex_lines = lines[index:]
            break
        if line.text.strip():
            _read_line(line, narrative, position)
    return narrative


def _starts_annexes(line: SourceLine) -> bool:
    """The annex marker, or a table cell that opens an annex row (a stray tab does not)."""
    if ANNEX_MARKER.match(line.text):
        return True
    text = MarkedText.parse(line.text).text.strip()
    return line.cell_start and bool(RECOMMENDATION.match(text) or GROUP.match(text))


def _read_line(line: SourceLine, narrative: Narrative, position: _Position) -> None:
    text = line.text.strip()
    if found := PARAGRAPH.match(text):
        _start_paragraph(int(found.group(1)), found.group(2), line, narrative, position)
    elif position.paragraph is not None and (labelled := split_line_label(text)):
        _add_line_item(labelled, line, narrative, position)
    elif heading := _heading(text, line.number):
        if heading.level == 2 and _nothing_yet(narrative):
            narrative.title = heading.title
        else:
            _enter_heading(heading, narrative, position)
    elif position.paragraph is not None:
        _continue_paragraph(text, line, narrative, position)


def _nothing_yet(narrative: Narrative) -> bool:
    """Before any heading or paragraph, a heading-like line is the report's title."""
    return not (narrative.headings or narrative.paragraphs or narrative.title)


def _start_paragraph(
    number: int, raw: str, line: SourceLine, narrative: Narrative, position: _Position
) -> None:
    text = MarkedText.parse(raw.strip())
    paragraph = Paragraph(
        number=number,
        text=text.text,
        line=line.number,
        chapter=position.chapter,
        section=position.section,
        footnotes=[ref for ref, _ in text.refs],
        raw_text=text.raw(),
    )
    location = Location(line.number, paragraph=number, heading=position.heading)
    block = Block(text, location, paragraph, inline_items(text, line.number))
    paragraph.sub_items.extend(block.items)
    narrative.paragraphs.append(paragraph)
    narrative.blocks.append(block)
    position.paragraph, position.item = paragraph, None


def _add_line_item(
    labelled: tuple[Label, str], line: SourceLine, narrative: Narrative, position: _Position
) -> None:
    label, raw = labelled
    paragraph = position.paragraph
    assert paragraph is not None
    text = MarkedText.parse(raw.strip())
    item = SubItem(
        label=label.printed,
        ordinal=label.ordinal,
        style=label.style,
        text=text.text,
        line=line.number,
        footnotes=[ref for ref, _ in text.refs],
        raw_text=text.raw(),
    )
    paragraph.sub_items.append(item)
    paragraph.footnotes.extend(item.footnotes)
    location = Location(line.number, paragraph.number, label.printed, heading=position.heading)
    narrative.blocks.append(Block(text, location, paragraph))
    position.item = item


def _continue_paragraph(
    text: str, line: SourceLine, narrative: Narrative, position: _Position
) -> None:
    """A line that is neither numbered, labelled nor a heading: more of what came before."""
    paragraph = position.paragraph
    assert paragraph is not None
    marked = MarkedText.parse(text)
    owner: Paragraph | SubItem = position.item or paragraph
    owner.text += "\n" + marked.text
    owner.raw_text += "\n" + marked.raw()
    owner.footnotes.extend(ref for ref, _ in marked.refs)
    if position.item is not None:
        paragraph.footnotes.extend(ref for ref, _ in marked.refs)
    label = position.item.label if position.item else None
    location = Location(line.number, paragraph.number, label, heading=position.heading)
    narrative.blocks.append(Block(marked, location, paragraph))


def _heading(text: str, line: int) -> Heading | None:
    title = MarkedText.parse(text).text.strip()
    if WHITESPACE.sub("", title).lower() in UNNUMBERED_CHAPTERS:
        return Heading(title=title, level=1, line=line)
    if not _looks_like_heading(title):
        return None
    found = CHAPTER.match(title)
    if found and (number := numeral_to_int(found.group(1))) is not None:
        return Heading(found.group(2).strip(), 1, line, found.group(1), number)
    return Heading(title=title, level=2, line=line)


def _looks_like_heading(title: str) -> bool:
    limit = MAX_LATIN_HEADING_CHARS if title.isascii() else MAX_HEADING_CHARS
    return 0 < len(title) <= limit and SENTENCE_PUNCTUATION.search(title) is None


def _enter_heading(heading: Heading, narrative: Narrative, position: _Position) -> None:
    narrative.headings.append(heading)
    if heading.level == 1:
        position.chapter, position.section = heading.number, None
    else:
        position.section = heading.title
    position.heading = heading.title
    position.paragraph = position.item = None
