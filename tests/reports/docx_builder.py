"""Build a Word file with real footnotes and tables from a report's text export.

python-docx writes paragraphs and tables but not footnotes, so the footnotes part is made
here: its XML, its content type and its relationship from the document part. Footnote
ids are deliberately not the displayed numbers (Word numbers footnotes by the order of
their references), so a reader that confuses the two is caught. Annex rows go into Word
tables: Annex I one 2x2 table per recommendation, Annex II one table per group.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REF = re.compile(r"\[footnoteRef:(\d+)\]")
BODY = re.compile(r"(?<![^\s\]])\[(\d+):")
BODY_END = re.compile(r"\](?=\s*(?:\[\d+:|$))")
ID_OFFSET = 7  # footnote ids in the package are the displayed numbers plus this
ANNEX_MARKER = "[后接附件]"
RECOMMENDATION = re.compile(r"^(建议|Recommendation)\s*\d+")
EXPECTED_RESULT = re.compile(r"^\d\.\d\s")
ROW_NUMBER = re.compile(r"^\d+\.$")
GROUP = re.compile(r"[（(]\d+个?[）)]$")


@dataclass
class _Recommendation:
    label: str
    header: str = ""
    text: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)


@dataclass
class _Group:
    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def build_docx(export: str) -> bytes:
    """A .docx holding the same report as the text export `export`."""
    lines, bodies = _split_export(export)
    document = docx.Document()
    annex_start = next((i for i, line in enumerate(lines) if line == ANNEX_MARKER), len(lines))
    for line in lines[:annex_start]:
        _add_paragraph(document, line)
    _add_annexes(document, lines[annex_start:])
    _add_footnotes(document, bodies)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_export(export: str) -> tuple[list[str], dict[int, list[str]]]:
    """Lines without footnote bodies, and the bodies' paragraphs by footnote number."""
    lines: list[str] = []
    bodies: dict[int, list[str]] = {}
    raw = export.split("\n")
    index = 0
    while index < len(raw):
        line = raw[index].rstrip()
        index += 1
        start = BODY.search(line)
        if start is None:
            lines.append(line)
            continue
        lines.append(line[: start.start()].rstrip())
        rest = line[start.start() :]
        while (opened := BODY.search(rest)) is not None:
            content = rest[opened.end() :]
            closed = BODY_END.search(content)
            if closed is None:  # the body runs on to the next line
                following = raw[index]
                index += 1
                closed_next = BODY_END.search(following)
                assert closed_next is not None
                paragraphs = [content.strip(), following[: closed_next.start()].strip()]
                rest = following[closed_next.end() :]
            else:
                paragraphs, rest = [content[: closed.start()].strip()], content[closed.end() :]
            bodies[int(opened.group(1))] = paragraphs
    return lines, bodies


def _add_paragraph(container, line: str) -> None:
    """A paragraph whose footnote markers become real footnote references."""
    paragraph = container.add_paragraph()
    position = 0
    for found in REF.finditer(line):
        paragraph.add_run(line[position : found.start()])
        _add_reference(paragraph, int(found.group(1)))
        position = found.end()
    paragraph.add_run(line[position:])


def _add_reference(paragraph, number: int) -> None:
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="{number + ID_OFFSET}"/>'))


def _add_annexes(document, lines: list[str]) -> None:
    recommendation: _Recommendation | None = None
    group: _Group | None = None
    pending_row: str | None = None
    for line in lines:
        text = line.strip()
        if not text:
            continue
        cell = line.startswith("\t")
        plain = REF.sub("", text)
        if cell and RECOMMENDATION.match(plain):
            _flush(document, recommendation, group)
            recommendation, group = _Recommendation(text), None
        elif cell and GROUP.search(plain):
            _flush(document, recommendation, group)
            recommendation, group = None, _Group(text)
        elif group is not None:
            if ROW_NUMBER.match(text):
                pending_row = text
            elif pending_row is not None:
                group.rows.append((pending_row, text))
                pending_row = None
        elif (
            recommendation is not None
            and recommendation.results
            and not EXPECTED_RESULT.match(text)
        ):
            _flush(document, recommendation, None)
            recommendation = None
            _add_paragraph(document, line)
        elif recommendation is not None:
            _add_to_recommendation(recommendation, line, plain)
        else:
            _add_paragraph(document, line)
    _flush(document, recommendation, group)


def _add_to_recommendation(recommendation: _Recommendation, line: str, plain: str) -> None:
    text = line[1:] if line.startswith("\t") else line
    if (
        not recommendation.header
        and not recommendation.text
        and plain.startswith(("与预期", "Link"))
    ):
        recommendation.header = text
    elif recommendation.results or EXPECTED_RESULT.match(plain):
        recommendation.results.append(text)
    else:
        recommendation.text.append(text)


def _flush(document, recommendation: _Recommendation | None, group: _Group | None) -> None:
    if recommendation is not None:
        table = document.add_table(rows=2, cols=2)
        _fill(table.cell(0, 0), [recommendation.label])
        _fill(table.cell(0, 1), [recommendation.header])
        _fill(table.cell(1, 0), recommendation.text)
        _fill(table.cell(1, 1), recommendation.results)
    if group is not None:
        table = document.add_table(rows=1 + len(group.rows), cols=2)
        heading = table.cell(0, 0).merge(table.cell(0, 1))
        _fill(heading, [group.heading])
        for index, (number, title) in enumerate(group.rows, start=1):
            _fill(table.cell(index, 0), [number])
            _fill(table.cell(index, 1), [title])


def _fill(cell, texts: list[str]) -> None:
    """Put one paragraph per text into an empty cell (which starts with one paragraph)."""
    template = cell.paragraphs[0]
    for text in texts:
        _add_paragraph(cell, text)
    if texts:
        template._p.getparent().remove(template._p)


def _add_footnotes(document, bodies: dict[int, list[str]]) -> None:
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for number, paragraphs in sorted(bodies.items()):
        runs = "".join(
            f"<w:p>{'<w:r><w:footnoteRef/></w:r><w:r><w:tab/></w:r>' if i == 0 else ''}"
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
            for i, text in enumerate(paragraphs)
        )
        notes.append(f'<w:footnote w:id="{number + ID_OFFSET}">{runs}</w:footnote>')
    xml = f'<w:footnotes xmlns:w="{W_NS}">{"".join(notes)}</w:footnotes>'
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
