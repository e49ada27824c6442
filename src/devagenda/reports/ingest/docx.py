"""A report's Word file, turned into the same source lines as its text export.

python-docx gives the body but not the footnotes, so the footnotes part is read from the
package directly. Word numbers footnotes in the order they are referenced, whatever their
internal ids; the lines carry those displayed numbers, as the text export does. Each table
cell's first paragraph starts a cell, as a leading tab does in the export.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from devagenda.core.errors import ReportFormatError
from devagenda.reports.ingest.source import FootnoteBody, Source, SourceLine

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
)
SEPARATOR_TYPES = {"separator", "continuationSeparator", "continuationNotice"}
ZIP_MAGIC = b"PK\x03\x04"
TEXT_NODES = (f"{W}t", f"{W}tab", f"{W}br")


def is_docx(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def read_docx(data: bytes, name: str) -> Source:
    """Lines and footnote bodies of the Word file in `data`."""
    body, footnotes = _open(data, name)
    reader = _BodyReader(footnotes)
    for element in _blocks(body):
        if element.tag == f"{W}p":
            reader.paragraph(element)
        else:
            reader.table(element)
    return Source(name, reader.lines, reader.bodies)


def _open(data: bytes, name: str) -> tuple[Any, dict[str, Any]]:
    """The document body element and the footnotes by id (separators left out)."""
    import docx  # python-docx loads lxml and its parts: only when a Word file is read

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and key errors alike
        raise ReportFormatError(f"not a readable Word file: {error}", path=name, line=1) from None
    body = document.element.body
    if body is None:
        raise ReportFormatError("the Word file has no document body", path=name, line=1)
    footnotes: dict[str, Any] = {}
    for relationship in document.part.rels.values():
        if relationship.reltype == FOOTNOTES_RELATIONSHIP and not relationship.is_external:
            footnotes = _footnotes(relationship.target_part.blob, name)
    return body, footnotes


def _footnotes(blob: bytes, name: str) -> dict[str, Any]:
    from lxml import etree

    try:
        root = etree.fromstring(blob)
    except etree.XMLSyntaxError as error:
        raise ReportFormatError(f"unreadable footnotes part: {error}", path=name, line=1) from None
    return {
        note.get(f"{W}id"): note
        for note in root.iter(f"{W}footnote")
        if note.get(f"{W}type") not in SEPARATOR_TYPES
    }


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables in reading order, looking inside content controls."""
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            yield from _blocks(child.iterfind(f"{W}sdtContent/*"))


class _BodyReader:
    """Numbers lines and footnotes as it walks the body."""

    def __init__(self, footnotes: dict[str, Any]) -> None:
        self.footnotes = footnotes
        self.numbers: dict[str, int] = {}
        self.lines: list[SourceLine] = []
        self.bodies: list[FootnoteBody] = []

    def paragraph(self, element: Any, *, cell_start: bool = False) -> None:
        line = len(self.lines) + 1
        pieces = [
            self._reference(node.get(f"{W}id"), line)
            if node.tag == f"{W}footnoteReference"
            else _run_text(node)
            for node in element.iter(*TEXT_NODES, f"{W}footnoteReference")
        ]
        self.lines.append(SourceLine(line, "".join(pieces).rstrip(), cell_start))

    def table(self, element: Any) -> None:
        for row in element.iterfind(f"{W}tr"):
            for cell in row.iterfind(f"{W}tc"):
                for index, paragraph in enumerate(cell.iterfind(f"{W}p")):
                    self.paragraph(paragraph, cell_start=index == 0)

    def _reference(self, footnote_id: str | None, line: int) -> str:
        if footnote_id not in self.numbers:
            number = self.numbers[footnote_id] = len(self.numbers) + 1
            note = self.footnotes.get(footnote_id)
            if note is not None:
                self.bodies.append(FootnoteBody(number, _note_text(note), line))
        return f"[footnoteRef:{self.numbers[footnote_id]}]"


def _note_text(note: Any) -> str:
    """A footnote's paragraphs, one a line, without the footnote's own number mark."""
    paragraphs = []
    for paragraph in note.iterfind(f"{W}p"):
        paragraphs.append("".join(map(_run_text, paragraph.iter(*TEXT_NODES))).strip())
    return "\n".join(paragraphs).strip()


def _run_text(node: Any) -> str:
    """Text of a w:t, or the character a tab or line break stands for in the export."""
    if node.tag == f"{W}t":
        return node.text or ""
    return "\t" if node.tag == f"{W}tab" else " "
