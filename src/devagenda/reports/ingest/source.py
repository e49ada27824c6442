"""The intermediate form both input formats are turned into, so that one parser reads both.

A report becomes a list of lines in reading order, each still carrying its
`[footnoteRef:N]` markers, plus the footnote bodies found beside them. Table cells appear
as in the text export: a cell's first line starts a cell, its other lines follow plainly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d{1,6})\]")


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int  # 1-based line of the text export, or running paragraph number in a .docx
    text: str  # footnote bodies removed, reference markers kept, no leading tab
    cell_start: bool = False  # first line of a table cell (a leading tab in the export)


@dataclass(frozen=True, slots=True)
class FootnoteBody:
    number: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    lines: list[SourceLine]
    bodies: list[FootnoteBody]


@dataclass(frozen=True, slots=True)
class MarkedText:
    """Text with its footnote markers taken out and remembered by position.

    Sub-items, countries and figures are found in the clean text; a reference belongs to
    whatever span ends at or after its offset.
    """

    text: str
    refs: tuple[tuple[int, int], ...] = ()  # (footnote number, offset in text)

    @classmethod
    def parse(cls, raw: str) -> MarkedText:
        pieces: list[str] = []
        refs: list[tuple[int, int]] = []
        length = position = 0
        for found in FOOTNOTE_REF.finditer(raw):
            piece = raw[position : found.start()]
            pieces.append(piece)
            length += len(piece)
            refs.append((int(found.group(1)), length))
            position = found.end()
        pieces.append(raw[position:])
        return cls("".join(pieces), tuple(refs))

    def raw(self, start: int = 0, end: int | None = None) -> str:
        """text[start:end] with the markers that stand inside it, or at its ends, put back."""
        end = len(self.text) if end is None else end
        pieces: list[str] = []
        position = start
        for number, offset in self.refs:
            if start <= offset <= end:
                pieces.append(self.text[position:offset] + f"[footnoteRef:{number}]")
                position = offset
        pieces.append(self.text[position:end])
        return "".join(pieces)

    def refs_between(self, start: int, end: int) -> list[int]:
        """Footnotes referenced after `start` and up to `end` (a marker closes what precedes)."""
        return [number for number, offset in self.refs if start < offset <= end]
