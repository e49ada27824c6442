"""Word editions: headings, numbered paragraphs, the annexes as Word tables and the
report's footnotes as real Word footnotes.

python-docx cannot write footnotes, so `WordFootnotes` adds what Word expects: the part
word/footnotes.xml with the separator and continuation-separator footnotes (ids -1 and 0),
its relationship from the document (python-docx writes the content-type override from the
part's content type), the "footnote text" and "footnote reference" styles, and the
settings' footnotePr that names the separators.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

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


# Fonts as WIPO's documents set them in Word: Arial for English; SimSun (宋体) for Chinese
# text and SimHei (黑体) for Chinese headings.
BODY_FONTS = {"zh": "SimSun", "en": "Arial"}
HEADING_FONTS = {"zh": "SimHei", "en": "Arial"}
EAST_ASIAN_BODY_FONT = "SimSun"
EAST_ASIAN_HEADING_FONT = "SimHei"
BLACK = "000000"
# Styles of our own for the cover and the page furniture: (name, size, bold, alignment).
COVER_STYLES = {
    "Cover Letter": (Pt(28), True, WD_ALIGN_PARAGRAPH.LEFT),
    "Cover Symbol": (Pt(12), True, WD_ALIGN_PARAGRAPH.RIGHT),
    "Cover Detail": (Pt(10), False, WD_ALIGN_PARAGRAPH.RIGHT),
    "Cover Committee": (Pt(14), True, WD_ALIGN_PARAGRAPH.LEFT),
    "Cover Session": (Pt(11), True, WD_ALIGN_PARAGRAPH.LEFT),
    "Report Title": (Pt(16), True, WD_ALIGN_PARAGRAPH.LEFT),
    "Prepared By": (Pt(11), False, WD_ALIGN_PARAGRAPH.LEFT),
    "Decision": (Pt(11), False, WD_ALIGN_PARAGRAPH.LEFT),
    "Notice": (Pt(10), False, WD_ALIGN_PARAGRAPH.LEFT),
    "End Marker": (Pt(11), False, WD_ALIGN_PARAGRAPH.CENTER),
}
HEADING_SIZES = {1: Pt(14), 2: Pt(12), 3: Pt(11)}


def write_docx(edition: Edition, out: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    _describe(document, edition)
    _restyle(document, edition.language)
    _add_running_head(document, edition)
    notes = WordFootnotes(document, {f.number: f.text for f in edition.footnotes})
    _add_cover(document, edition)
    if edition.report:
        for block in edition.report.blocks:
            _add_block(document, edition, notes, block)
        if edition.annex_one or edition.annex_two:
            document.add_paragraph(edition.labels["annexes_follow"], style="End Marker")
    if edition.annex_one:
        _add_annex_one(document, edition, notes)
    if edition.annex_two:
        _add_annex_two(document, edition)
    document.add_paragraph(edition.labels["end_of_document"], style="End Marker")
    document.save(str(out))


def _describe(document: WordDocument, edition: Edition) -> None:
    """Document properties as the Secretariat's files carry them (python-docx's template
    says "python-docx" and dates itself 2013)."""
    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    properties.title = edition.title
    properties.subject = edition.symbol or ""
    properties.author = properties.last_modified_by = edition.labels["secretariat"]
    properties.comments = edition.labels["generated_by"]
    properties.keywords = edition.labels["committee"]
    properties.category = ""
    properties.created = properties.modified = now
    properties.revision = 1
    properties.language = WORD_LANGUAGES.get(edition.language, edition.language)
    (language,) = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    language.set(qn("w:val"), WORD_LANGUAGES.get(edition.language, edition.language))
    language.set(qn("w:eastAsia"), WORD_LANGUAGES["zh"])


def _set_fonts(properties: OxmlElement, latin: str, east_asian: str) -> None:
    """Name the fonts outright: a theme font reference would win over them."""
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _restyle(document: WordDocument, language: str) -> None:
    """Replace the template's look (Calibri, blue theme-coloured headings, a bordered
    title) with a plain black one in the edition's fonts, and add the cover's styles."""
    styles = document.styles
    body, heading = BODY_FONTS.get(language, "Arial"), HEADING_FONTS.get(language, "Arial")
    (defaults,) = styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr")
    _set_fonts(defaults, body, EAST_ASIAN_BODY_FONT)
    for element in styles.element.iter():
        for attribute in list(element.attrib):
            name = etree.QName(attribute).localname
            if name.startswith("theme"):
                del element.attrib[attribute]
            elif name == "color" and element.attrib[attribute] != "auto":
                element.set(attribute, BLACK)
    for color in styles.element.xpath("//w:color"):
        color.set(qn("w:val"), BLACK)
    for element in styles.element.xpath("//w:rFonts[@w:asciiTheme or @w:eastAsiaTheme]"):
        _set_fonts(element.getparent(), heading, EAST_ASIAN_HEADING_FONT)
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in HEADING_SIZES.items():
        style = styles[f"Heading {level}"]
        style.font.size = size
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        style.paragraph_format.space_after = Pt(6)
    for name, (size, bold, alignment) in COVER_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = size
        style.font.bold = bold
        style.paragraph_format.alignment = alignment
        style.paragraph_format.space_after = Pt(2)
        if name in ("Report Title", "Cover Committee"):
            _set_fonts(style.element.get_or_add_rPr(), heading, EAST_ASIAN_HEADING_FONT)
            style.paragraph_format.space_before = Pt(18)
            style.paragraph_format.space_after = Pt(12)
    styles["Decision"].paragraph_format.left_indent = Cm(1)
    styles["End Marker"].paragraph_format.space_before = Pt(24)


def _add_running_head(document: WordDocument, edition: Edition) -> None:
    """ "CDIP/32/2 page 2" at the top right of every page but the cover, with Word's PAGE
    field for the number."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, after = edition.running_head()
    head.add_run(before)
    _add_page_field(head)
    head.add_run(after)


def _add_page_field(paragraph: Paragraph) -> None:
    """Word's PAGE field: begin, instruction, separator, the number shown until Word
    updates it, end."""

    def field_char(kind: str) -> None:
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(mark)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run("2")
    field_char("end")


def _add_cover(document: WordDocument, edition: Edition) -> None:
    cover = edition.cover
    document.add_paragraph(cover.letter, style="Cover Letter")
    document.add_paragraph(cover.symbol, style="Cover Symbol")
    document.add_paragraph(cover.original_language, style="Cover Detail")
    document.add_paragraph(cover.document_date, style="Cover Detail")
    document.add_paragraph(cover.committee, style="Cover Committee")
    document.add_paragraph(cover.session, style="Cover Session")
    document.add_paragraph(cover.place_and_dates, style="Cover Session")
    document.add_paragraph(edition.title, style="Report Title")
    document.add_paragraph(cover.prepared_by, style="Prepared By")
    for notice in edition.notices:
        document.add_paragraph(style="Notice").add_run(notice).italic = True
    document.add_paragraph(cover.decision, style="Decision")


def _add_runs(paragraph: Paragraph, runs: list[Run], notes: WordFootnotes) -> None:
    """Text and footnote calls; two calls in a row are separated by a superscript comma
    ("1,2"), a call after text by nothing."""
    previous: Run | None = None
    for run in runs:
        if run.kind == "text":
            paragraph.add_run(run.text)
        else:
            if previous is not None and previous.kind == "note":
                paragraph.add_run(",").font.superscript = True
            notes.refer(paragraph, run.number)
        previous = run


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


def _annex_heading(document: WordDocument, edition: Edition, annex: str) -> None:
    """An annex is a section of its own, on a new page, that numbers its pages from 1 with
    its own running head: its name alone on its first page, "CDIP/32/2 Annex I, page 2"
    on the others."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = True
    for header in (section.header, section.first_page_header):
        header.is_linked_to_previous = False
        for paragraph in header.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        header.paragraphs[0].clear()
    first = section.first_page_header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    first.add_run(edition.annex_first_head(annex))
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, after = edition.running_head(annex)
    head.add_run(before)
    _add_page_field(head)
    head.add_run(after)
    _restart_page_numbers(section)
    document.add_heading(edition.labels[annex], level=1)


def _restart_page_numbers(section: Section) -> None:
    """`<w:pgNumType w:start="1"/>`, in its place among the section's properties."""
    properties = section._sectPr
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        later = [qn(f"w:{name}") for name in ("cols", "formProt", "vAlign", "noEndnote")]
        following = next((child for child in properties if child.tag in later), None)
        if following is None:
            properties.append(numbering)
        else:
            following.addprevious(numbering)
    numbering.set(qn("w:start"), "1")


def _add_annex_one(document: WordDocument, edition: Edition, notes: WordFootnotes) -> None:
    labels = edition.labels
    _annex_heading(document, edition, "annex_one")
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
            if result.corrected_from is not None:
                paragraph.add_run(f" {edition.corrected_note(result.corrected_from)}").italic = True
    if not edition.annex_notes:
        document.add_paragraph(labels["immediate_legend"])


def _add_annex_two(document: WordDocument, edition: Edition) -> None:
    labels = edition.labels
    _annex_heading(document, edition, "annex_two")
    document.add_heading(edition.label("annex_two_title", year=edition.year), level=2)
    for group in edition.annex_two:
        document.add_heading(group.heading, level=3)
        head = [labels["row_column"], labels["project_column"]]
        table = _table(document, head, ANNEX_TWO_WIDTHS, group.heading)
        for row in group.rows:
            number, title = table.add_row().cells
            number.paragraphs[0].add_run(f"{row.number}.")
            _add_localized(title.paragraphs[0], edition, row.title)
