"""Word editions: headings, numbered paragraphs, the annexes as Word tables and the
report's footnotes as real Word footnotes.

python-docx cannot write footnotes, so `WordFootnotes` adds what Word expects: the part
word/footnotes.xml with the separator and continuation-separator footnotes (ids -1 and 0),
its relationship from the document (python-docx writes the content-type override from the
part's content type), the "footnote text" and "footnote reference" styles, and the
settings' footnotePr that names the separators.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from devagenda.reports.render.edition import Edition
from devagenda.reports.schemas import HeadingOut, LocalizedText, Run, TextParagraphOut

FOOTNOTE_TEXT_STYLE = "FootnoteText"
FOOTNOTE_REFERENCE_STYLE = "FootnoteReference"
SEPARATORS = f"""<w:footnotes {nsdecls("w")}>
  <w:footnote w:type="separator" w:id="-1">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:separator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
</w:footnotes>"""
SEPARATOR_IDS = f"""<w:footnotePr {nsdecls("w")}>
  <w:footnote w:id="-1"/><w:footnote w:id="0"/>
</w:footnotePr>"""
# Word's language tags for the editions' languages; East Asian text is Chinese in both, so
# Word picks the theme's Simplified Chinese font for it.
WORD_LANGUAGES = {"zh": "zh-CN", "en": "en-US"}
NUMBER_INDENT = Cm(1)
ITEM_INDENT = Cm(1.5)
# A4 with the template's 2.54 cm margins leaves 15.9 cm for a table.
ANNEX_ONE_WIDTHS = (Cm(2.6), Cm(7.3), Cm(6))
ANNEX_TWO_WIDTHS = (Cm(1.5), Cm(14.4))


class WordFootnotes:
    """The footnotes of one document: each reference gets its own footnote, numbered by
    Word in reading order, as Word allows one reference per footnote."""

    def __init__(self, document: WordDocument, texts: dict[int, str]) -> None:
        self.texts = texts
        self.count = 0
        self.element = parse_xml(SEPARATORS)
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            self.element,
            document.part.package,
        )
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        _add_footnote_styles(document)
        # footnotePr comes right before compat in the settings' schema order.
        document.settings.element.find(qn("w:compat")).addprevious(parse_xml(SEPARATOR_IDS))

    def refer(self, paragraph: Paragraph, number: int) -> None:
        """Put a reference to the report's footnote `number` at the end of `paragraph`."""
        self.count += 1
        self.element.append(self._footnote(self.count, self.texts[number]))
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(self.count))
        paragraph._p.append(_reference_run(reference))

    def _footnote(self, footnote_id: int, text: str) -> OxmlElement:
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(footnote_id))
        for index, line in enumerate(text.split("\n")):
            paragraph = OxmlElement("w:p")
            properties = OxmlElement("w:pPr")
            properties.append(_valued("w:pStyle", FOOTNOTE_TEXT_STYLE))
            paragraph.append(properties)
            if index == 0:
                paragraph.append(_reference_run(OxmlElement("w:footnoteRef")))
            paragraph.append(_text_run(f" {line}" if index == 0 else line))
            footnote.append(paragraph)
        return footnote


def _valued(tag: str, value: str) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    return element


def _reference_run(mark: OxmlElement) -> OxmlElement:
    """A run in the footnote reference style: the call in the text (w:footnoteReference) or
    the number at the start of the footnote itself (w:footnoteRef)."""
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    properties.append(_valued("w:rStyle", FOOTNOTE_REFERENCE_STYLE))
    run.append(properties)
    run.append(mark)
    return run


def _text_run(text: str) -> OxmlElement:
    run = OxmlElement("w:r")
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def _add_footnote_styles(document: WordDocument) -> None:
    """Word's built-in footnote styles, which python-docx's template lacks."""
    text = document.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    text.style_id = FOOTNOTE_TEXT_STYLE
    text.base_style = document.styles["Normal"]
    text.font.size = Pt(9)
    text.paragraph_format.space_after = Pt(0)
    reference = document.styles.add_style(
        "footnote reference", WD_STYLE_TYPE.CHARACTER, builtin=True
    )
    reference.style_id = FOOTNOTE_REFERENCE_STYLE
    reference.font.superscript = True


def write_docx(edition: Edition, out: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    _describe(document, edition)
    notes = WordFootnotes(document, {f.number: f.text for f in edition.footnotes})
    document.add_heading(edition.title, level=0)
    for notice in edition.notices:
        document.add_paragraph().add_run(notice).italic = True
    if edition.report:
        for block in edition.report.blocks:
            _add_block(document, edition, notes, block)
    if edition.annex_one:
        _add_annex_one(document, edition, notes)
    if edition.annex_two:
        _add_annex_two(document, edition)
    document.save(str(out))


def _describe(document: WordDocument, edition: Edition) -> None:
    document.core_properties.title = edition.title
    document.core_properties.language = WORD_LANGUAGES.get(edition.language, edition.language)
    (language,) = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    language.set(qn("w:val"), WORD_LANGUAGES.get(edition.language, edition.language))
    language.set(qn("w:eastAsia"), WORD_LANGUAGES["zh"])


def _add_runs(paragraph: Paragraph, runs: list[Run], notes: WordFootnotes) -> None:
    for run in runs:
        if run.kind == "text":
            paragraph.add_run(run.text)
        else:
            notes.refer(paragraph, run.number)


def _add_block(
    document: WordDocument,
    edition: Edition,
    notes: WordFootnotes,
    block: HeadingOut | TextParagraphOut,
) -> None:
    if isinstance(block, HeadingOut):
        document.add_heading(edition.heading_text(block), level=block.level)
        return
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = NUMBER_INDENT
    paragraph.paragraph_format.first_line_indent = -NUMBER_INDENT
    paragraph.paragraph_format.tab_stops.add_tab_stop(NUMBER_INDENT)
    paragraph.add_run(f"{block.number}.\t")
    _add_runs(paragraph, block.runs, notes)
    for item in block.sub_items:
        line = document.add_paragraph()
        line.paragraph_format.left_indent = ITEM_INDENT
        line.add_run(f"{item.label} ")
        _add_runs(line, item.runs, notes)


def _add_localized(paragraph: Paragraph, edition: Edition, text: LocalizedText) -> None:
    paragraph.add_run(text.text)
    if (note := edition.fallback_note(text)) is not None:
        paragraph.add_run(f" {note}").italic = True


def _table(
    document: WordDocument, head: list[str], widths: tuple[Length, ...], caption: str
) -> Table:
    """A bordered table with fixed column widths (rows added later take them), a header row
    that repeats on every page and a caption for assistive technology."""
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for column, cell, text, width in zip(
        table.columns, table.rows[0].cells, head, widths, strict=True
    ):
        column.width = cell.width = width
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table._tbl.tblPr.append(_valued("w:tblCaption", caption))
    return table


def _annex_heading(document: WordDocument, text: str, *, new_page: bool) -> None:
    """An annex that follows other content starts a page, as in the printed report."""
    document.add_heading(text, level=1).paragraph_format.page_break_before = new_page


def _add_annex_one(document: WordDocument, edition: Edition, notes: WordFootnotes) -> None:
    labels = edition.labels
    _annex_heading(document, labels["annex_one"], new_page=edition.report is not None)
    title = document.add_heading(labels["annex_one_title"], level=2)
    for index, number in enumerate(edition.annex_notes):
        if index:
            title.add_run(",").font.superscript = True
        notes.refer(title, number)
    head = [labels[f"{key}_column"] for key in ("recommendation", "text", "expected_results")]
    table = _table(document, head, ANNEX_ONE_WIDTHS, labels["annex_one_title"])
    for row in edition.annex_one:
        number, text, results = table.add_row().cells
        star = "*" if row.immediate else ""
        number.paragraphs[0].add_run(edition.label("recommendation", number=row.number) + star)
        _add_localized(text.paragraphs[0], edition, row.text)
        for index, result in enumerate(row.expected_results):
            paragraph = results.paragraphs[0] if index == 0 else results.add_paragraph()
            paragraph.add_run(f"{result.code} ").bold = True
            _add_localized(paragraph, edition, result.title)
    if not edition.annex_notes:
        document.add_paragraph(labels["immediate_legend"])


def _add_annex_two(document: WordDocument, edition: Edition) -> None:
    labels = edition.labels
    _annex_heading(document, labels["annex_two"], new_page=True)
    document.add_heading(edition.label("annex_two_title", year=edition.year), level=2)
    for group in edition.annex_two:
        document.add_heading(group.heading, level=3)
        head = [labels["row_column"], labels["project_column"]]
        table = _table(document, head, ANNEX_TWO_WIDTHS, group.heading)
        for row in group.rows:
            number, title = table.add_row().cells
            number.paragraphs[0].add_run(f"{row.number}.")
            _add_localized(title.paragraphs[0], edition, row.title)
