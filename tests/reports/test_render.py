"""Generating the 2023 report and its annexes from the knowledge base, on SQLite and
PostgreSQL: the regenerated Chinese annexes carry the source's content, Word files have
real tables and footnotes, PDFs show Chinese, and the English edition says where it
falls back to Chinese."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree, html
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import DatabaseFactory

from devagenda.catalogue.importers import read_project_titles
from devagenda.catalogue.models import Project, ProjectStatus, ProjectStatusChange
from devagenda.core.context import AppContext
from devagenda.core.errors import DevagendaError, InputError, NotFoundError
from devagenda.reports import services
from devagenda.reports.ingest.document import ProjectGroup
from devagenda.reports.models import ReportFootnote
from devagenda.reports.render import Format, build_report
from devagenda.reports.render.downloads import edition_file
from devagenda.reports.schemas import TextParagraphOut
from devagenda.reports.services import annex_group
from devagenda.reports.symbols import set_report_symbol

# The 2023 report prints these expected results with a title that differs from the one
# every other row (and the Medium-Term Strategic Plan) uses. They are the source's own
# inconsistencies, reported by `devagenda lint`. The knowledge base keeps one title per
# code; the edition reproduces the printed wording, and only a corrected edition prints the
# usual title in these cells, marked.
SOURCE_VARIANT_TITLES = {
    (8, "4.4"): "更多创新者、创造者、中小企业、高校、研究机构和社群成功地运用知识。",
    (21, "2.1"): "发展兼顾各方利益的、有效的国际知识产权准则制定框架。",
    (25, "2.1"): "发展兼顾各方利益的、有效的国际知识产权准则制定框架。",
    (27, "4.1"): "将发展议程各项建议纳入产权组织工作的主流。",
}
FOOTNOTES_2023 = 189
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def loaded(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A copy of the 2023 report's database for this module."""
    with databases.report_copy() as context:
        yield context


@pytest.fixture
def db(loaded: AppContext) -> Iterator[Session]:
    """A session on the loaded database; what a test changes is rolled back."""
    with loaded.sessions() as session:
        yield session
        session.rollback()


# -- what the source file itself prints ---------------------------------------------------


def squeeze(text: str) -> str:
    return "".join(text.split())


def source_lines(path: Path) -> list[str]:
    """The lines of the text export without footnote references and bodies."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [re.sub(r"\s*\[\d+:.*$", "", re.sub(r"\[footnoteRef:\d+\]", "", x)) for x in lines]


def source_annex_one(lines: list[str]) -> dict[int, tuple[bool, str, list[tuple[str, str]]]]:
    """Recommendation number -> (starred, text, [(code, title)]) as Annex I prints them."""
    start = next(i for i, line in enumerate(lines) if "预期成果的联系" in line and "45项" in line)
    rows: dict[int, tuple[bool, list[str], list[tuple[str, str]]]] = {}
    for line in (line.strip() for line in lines[start + 1 :]):
        if line.endswith("项目一览表"):
            break
        if found := re.fullmatch(r"建议(\d+)(\*?)", line):
            current = rows.setdefault(int(found[1]), (found[2] == "*", [], []))
        elif found := re.fullmatch(r"(\d\.\d) (.+)", line):
            current[2].append((found[1], found[2]))
        elif line and line != "与预期成果的联系":
            current[1].append(line)
    return {n: (star, squeeze("".join(text)), links) for n, (star, text, links) in rows.items()}


def source_annex_two(lines: list[str]) -> list[tuple[str, list[tuple[int, str]]]]:
    """(group heading, [(row, title)]) as Annex II prints them."""
    start = next(i for i, line in enumerate(lines) if line.strip().endswith("项目一览表"))
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for line in (line.strip() for line in lines[start + 1 :]):
        if re.search(r"（\d+个）$", line):
            groups.append((squeeze(line), []))
        elif found := re.fullmatch(r"(\d+)\.", line):
            number = int(found[1])
        elif line:
            groups[-1][1].append((number, squeeze(line)))
    return groups


# -- what the generated HTML shows --------------------------------------------------------


def build_html(
    session: Session, tmp_path: Path, language: str, part: str, **options: bool
) -> html.HtmlElement:
    path = build_report(
        session,
        year=2023,
        language=language,
        format="html",
        out=tmp_path / "r.html",
        part=part,
        **options,
    )
    return html.fromstring(path.read_bytes())


def generated_annex_one(page: html.HtmlElement) -> dict[int, tuple[bool, str, list]]:
    rows = {}
    for row in page.xpath('//table[@class="annex-one"]/tbody/tr'):
        found = re.fullmatch(r"建议(\d+)(\*?)", row.xpath("th")[0].text_content().strip())
        text, results = row.xpath("td")
        links = []
        for item in results.xpath(".//li"):
            code = item.xpath('span[@class="code"]')[0].text
            links.append((code, squeeze(item.text_content().removeprefix(code))))
        rows[int(found[1])] = (found[2] == "*", squeeze(text.text_content()), links)
    return rows


def generated_annex_two(page: html.HtmlElement) -> list[tuple[str, list[tuple[int, str]]]]:
    return [
        (
            squeeze(table.xpath("caption")[0].text_content()),
            [
                (
                    int(row.xpath("th")[0].text_content().rstrip(".")),
                    squeeze(row.xpath("td")[0].text_content()),
                )
                for row in table.xpath("tbody/tr")
            ],
        )
        for table in page.xpath('//table[@class="annex-two"]')
    ]


# -- (a) the Chinese annexes carry the source's content ----------------------------------


def test_annex_one_regenerates_as_printed_cell_by_cell(
    db: Session, report_2023_path: Path, tmp_path: Path
) -> None:
    source = source_annex_one(source_lines(report_2023_path))
    generated = generated_annex_one(build_html(db, tmp_path, "zh", "annexes"))
    assert sorted(generated) == sorted(source) == list(range(1, 46))
    for number, (starred, text, links) in source.items():
        assert generated[number] == (starred, text, [(c, squeeze(t)) for c, t in links])
    page = build_html(db, tmp_path, "zh", "annexes")
    assert not page.xpath('//li[@class="corrected"]')
    assert not [p for p in page.xpath('//p[@class="notice"]') if "校正" in p.text_content()]


def test_corrected_annex_one_marks_every_cell_it_corrects(
    db: Session, report_2023_path: Path, tmp_path: Path
) -> None:
    source = source_annex_one(source_lines(report_2023_path))
    printed = Counter(link for _, _, links in source.values() for link in links)
    usual = {code: title for (code, title), _ in reversed(printed.most_common())}
    variants = {
        (number, code): title
        for number, (_, _, links) in source.items()
        for code, title in links
        if title != usual[code]
    }
    assert variants == SOURCE_VARIANT_TITLES

    path = build_report(
        db, year=2023, language="zh", out=tmp_path / "c.html", part="annexes", corrected=True
    )
    page = html.fromstring(path.read_bytes())
    corrected = {}
    for cell in page.xpath('//li[@class="corrected"]'):
        number = int(re.fullmatch(r"建议(\d+)\*?", cell.xpath("../../../th")[0].text_content())[1])
        code = cell.xpath('span[@class="code"]')[0].text
        note = cell.xpath('span[@class="correction"]')[0].text_content()
        corrected[(number, code)] = note
        assert squeeze(usual[code]) in squeeze(cell.text_content().removesuffix(note))
    assert corrected == {
        key: f"（校正：报告此处印作“{title}”）" for key, title in SOURCE_VARIANT_TITLES.items()
    }
    notices = [p.text_content() for p in page.xpath('//p[@class="notice"]')]
    assert any("校正版" in notice and "4处" in notice for notice in notices)
    generated = generated_annex_one(page)
    for number, (_, _, links) in source.items():
        codes = [code for code, _ in generated[number][2]]
        assert codes == [code for code, _ in links]


def test_annex_two_matches_the_source(db: Session, report_2023_path: Path, tmp_path: Path) -> None:
    source = source_annex_two(source_lines(report_2023_path))
    generated = generated_annex_two(build_html(db, tmp_path, "zh", "annexes"))
    assert [len(rows) for _, rows in source] == [40, 8, 7]
    assert generated == source


def test_markdown_annexes_are_tables_and_footnotes_are_defined(db: Session, tmp_path: Path) -> None:
    path = build_report(db, year=2023, language="zh", format="md", out=tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    table_rows = [line for line in text.split("\n") if line.startswith("| ")]
    assert len(table_rows) == (1 + 1 + 45) + 3 * (1 + 1) + 55
    assert "| 建议1\\* | WIPO的技术援助应尤其面向发展" in text
    definitions = re.findall(r"^\[\^(\d+)\]: ", text, flags=re.MULTILINE)
    references = re.findall(r"\[\^(\d+)\](?!:)", text)
    assert (
        sorted(map(int, definitions))
        == sorted(map(int, references))
        == list(range(1, FOOTNOTES_2023 + 1))
    )


# -- (b) Word: real tables and real footnotes --------------------------------------------


def test_docx_has_annex_tables_and_word_footnotes(db: Session, tmp_path: Path) -> None:
    path = build_report(db, year=2023, language="zh", format="docx", out=tmp_path / "r.docx")
    document = docx.Document(str(path))
    assert [(len(t.rows), len(t.columns)) for t in document.tables] == [
        (46, 3),
        (41, 2),
        (9, 2),
        (8, 2),
    ]
    assert document.tables[0].rows[1].cells[0].text == "建议1*"
    assert document.tables[3].rows[7].cells[1].text == "版权与数字环境中的内容分发项目——第二阶段"

    footnotes = etree.fromstring(document.part.part_related_by(RELATIONSHIP_TYPE.FOOTNOTES).blob)
    notes = footnotes.findall(qn("w:footnote"))
    assert [(n.get(qn("w:type")), n.get(qn("w:id"))) for n in notes[:2]] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
    ]
    assert len(notes) - 2 == FOOTNOTES_2023
    first = db.scalar(select(ReportFootnote.text).where(ReportFootnote.number == 1))
    assert "".join(notes[2].itertext()) == f" {first}"

    references = list(document.element.body.iter(qn("w:footnoteReference")))
    assert [int(r.get(qn("w:id"))) for r in references] == list(range(1, FOOTNOTES_2023 + 1))
    styles = {
        r.getparent().find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) for r in references
    }
    assert styles == {"FootnoteReference"}
    assert document.styles["footnote reference"].style_id == "FootnoteReference"
    assert document.styles["footnote text"].style_id == "FootnoteText"
    assert document.settings.element.find(qn("w:footnotePr")) is not None
    with zipfile.ZipFile(path) as package:
        types = etree.fromstring(package.read("[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"] == CONTENT_TYPE.WML_FOOTNOTES


def test_docx_has_its_own_styles_a_running_head_and_the_secretariats_properties(
    db: Session, tmp_path: Path
) -> None:
    path = build_report(db, year=2023, language="zh", out=tmp_path / "r.docx")
    document = docx.Document(str(path))
    properties = document.core_properties
    assert properties.author == properties.last_modified_by == "产权组织秘书处"
    assert properties.subject == "CDIP/32/2"
    assert properties.title == "总干事关于2023年度发展议程落实情况的报告"
    assert "python-docx" not in f"{properties.author}{properties.comments}"
    assert properties.created.year >= 2026

    section = document.sections[0]
    assert section.different_first_page_header_footer  # the cover has no running head
    head = section.header.paragraphs[0]
    instructions = [t.text.strip() for t in head._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert head.text.startswith("CDIP/32/2 第") and head.text.endswith("页")

    styles = etree.tostring(document.styles.element).decode()
    assert "themeColor" not in styles and "asciiTheme" not in styles  # no blue theme look
    assert 'w:color w:val="365F91"' not in styles
    (defaults,) = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    assert defaults.get(qn("w:eastAsia")) == "SimSun" and defaults.get(qn("w:ascii")) == "SimSun"
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "SimHei"

    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:10] == [
        "C",
        "CDIP/32/2",
        "原文：未说明",
        "日期：未说明",
        "发展与知识产权委员会（CDIP）",
        "第三十二届会议",
        "2024年4月29日至5月3日，日内瓦",
        "总干事关于2023年度发展议程落实情况的报告",
        "秘书处编拟",
        "决定段落：未说明",
    ]
    assert [p.style.name for p in document.paragraphs[:2]] == ["Cover Letter", "Cover Symbol"]
    assert "[后接附件]" in texts and texts[-1] == "[文件完]"
    numbered = next(p for p in document.paragraphs if p.text.startswith("1.\t"))
    assert numbered.paragraph_format.first_line_indent < 0  # the number hangs


@pytest.mark.parametrize(
    ("language", "body", "annex_one", "annex_two"),
    [
        ("zh", "CDIP/32/2 第2页", "CDIP/32/2 附件一第2页", "CDIP/32/2 附件二第2页"),
        ("en", "CDIP/32/2 page 2", "CDIP/32/2 Annex I, page 2", "CDIP/32/2 Annex II, page 2"),
    ],
)
def test_docx_annexes_are_sections_numbering_their_own_pages(
    db: Session, tmp_path: Path, language: str, body: str, annex_one: str, annex_two: str
) -> None:
    path = build_report(
        db, year=2023, language=language, out=tmp_path / "r.docx", allow_fallback=True
    )
    sections = docx.Document(str(path)).sections
    assert len(sections) == 3
    heads = [
        (s.first_page_header.paragraphs[0].text, s.header.paragraphs[0].text) for s in sections
    ]
    # Word shows its PAGE field's value as last laid out; the stored value is 2.
    assert heads == [
        ("", body),
        (annex_one.split(",")[0].split("第")[0], annex_one),
        (annex_two.split(",")[0].split("第")[0], annex_two),
    ]
    for index, section in enumerate(sections):
        assert section.different_first_page_header_footer
        instructions = [t.text.strip() for t in section.header._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        numbering = section._sectPr.find(qn("w:pgNumType"))
        starts = None if numbering is None else numbering.get(qn("w:start"))
        assert starts == (None if index == 0 else "1")
        assert abs(section.page_width - Cm(21)) < Cm(0.01)  # A4, stored in twips
        assert abs(section.left_margin - Cm(2.5)) < Cm(0.01)
    annex_headings = [
        p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"
    ][-2:]
    assert annex_headings == (["附件一", "附件二"] if language == "zh" else ["Annex I", "Annex II"])


def test_english_docx_sets_a_sans_body_and_english_properties(db: Session, tmp_path: Path) -> None:
    path = build_report(db, year=2023, language="en", out=tmp_path / "r.docx", part="annexes")
    document = docx.Document(str(path))
    assert document.core_properties.author == "WIPO Secretariat"
    (defaults,) = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    assert defaults.get(qn("w:ascii")) == "Arial" and defaults.get(qn("w:eastAsia")) == "SimSun"
    head = document.sections[0].header.paragraphs[0].text
    assert head.startswith("CDIP/32/2 page ")
    assert [p.text for p in document.paragraphs[4:7]] == [
        "Committee on Development and Intellectual Property (CDIP)",
        "Thirty-Second Session",
        "Geneva, April 29 to May 3, 2024",
    ]


def test_a_download_follows_the_data_it_is_built_from(db: Session) -> None:
    """Rendered files are reused only for the same content: a new symbol is a new file."""
    before = edition_file(db, year=2023, language="zh", format=Format.MARKDOWN)
    again = edition_file(db, year=2023, language="zh", format=Format.MARKDOWN)
    assert again.content == before.content and before.filename == "CDIP-32-2-zh.md"
    set_report_symbol(db, 2023, "CDIP/32/2 REV.")
    after = edition_file(db, year=2023, language="zh", format=Format.MARKDOWN)
    assert after.content.startswith(b"CDIP/32/2 REV.<br>")
    assert after.filename == "CDIP-32-2REV.-zh.md"
    with pytest.raises(NotFoundError):
        edition_file(db, year=2023, language="fr", format=Format.MARKDOWN)
    with pytest.raises(InputError, match="--allow-fallback"):
        edition_file(db, year=2023, language="en", format=Format.MARKDOWN)


# -- (c) PDF: a WIPO document's cover and furniture, Chinese drawn with a CJK font --------


@pytest.fixture(scope="module")
def chinese_pdf(loaded: AppContext, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    with loaded.sessions() as session:
        return build_report(session, year=2023, language="zh", out=out)


def pdf_text(path: Path, *pages: int) -> str:
    window = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", *window, "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_pdf_first_page_shows_the_cover_block(chinese_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(chinese_pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    page = Image.open(png).convert("L")
    width, height = page.size
    # The symbol block prints at the top right, the language letter at the top left.
    top_right = page.crop((width // 2, 0, width, height // 8)).histogram()
    top_left = page.crop((0, 0, width // 4, height // 8)).histogram()
    assert sum(top_right[:128]) > 50 and sum(top_left[:128]) > 50
    first = squeeze(pdf_text(chinese_pdf, 1))
    assert first.startswith("CCDIP/32/2原文：未说明日期：未说明")
    for line in (
        "发展与知识产权委员会（CDIP）",
        "第三十二届会议",
        "2024年4月29日至5月3日，日内瓦",
        "总干事关于2023年度发展议程落实情况的报告",
        "秘书处编拟",
        "决定段落：未说明",
    ):
        assert line in first
    assert "第1页" not in first  # no running head on the cover
    fonts = subprocess.run(
        ["pdffonts", str(chinese_pdf)], check=True, capture_output=True, text=True
    )
    assert "Noto-Serif-CJK-SC" in fonts.stdout  # a Song body, not boxes
    properties = subprocess.run(
        ["pdfinfo", str(chinese_pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"^Subject:\s+CDIP/32/2$", properties, flags=re.MULTILINE)
    assert re.search(r"^Author:\s+产权组织秘书处$", properties, flags=re.MULTILINE)


def running_heads(pdf: Path) -> list[str]:
    """The first line of every printed page."""
    pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
    return [page.strip().split("\n")[0].strip() for page in pages]


def annex_heads(symbol: str, name: str, pages: int, page_label: str) -> list[str]:
    """What an annex of `pages` pages prints at their heads: its name alone on the first."""
    return [f"{symbol} {name}"] + [page_label.format(page=n) for n in range(2, pages + 1)]


def test_pdf_pages_carry_the_running_head_and_the_end_markers(chinese_pdf: Path) -> None:
    pages = pdf_text(chinese_pdf).split("\f")
    printed = [page for page in pages if page.strip()]
    heads = running_heads(chinese_pdf)
    annex_one, annex_two = heads.index("CDIP/32/2 附件一"), heads.index("CDIP/32/2 附件二")
    assert heads[1:annex_one] == [f"CDIP/32/2 第{n}页" for n in range(2, annex_one + 1)]
    # Each annex numbers its own pages, as UN documents do.
    assert heads[annex_one:annex_two] == annex_heads(
        "CDIP/32/2", "附件一", annex_two - annex_one, "CDIP/32/2 附件一第{page}页"
    )
    assert heads[annex_two:] == annex_heads(
        "CDIP/32/2", "附件二", len(heads) - annex_two, "CDIP/32/2 附件二第{page}页"
    )
    assert annex_two - annex_one > 5 and len(heads) - annex_two > 1
    markers = [
        (number, marker)
        for number, page in enumerate(printed, start=1)
        for marker in ("[后接附件]", "[文件完]")
        if marker in page
    ]
    assert [marker for _, marker in markers] == ["[后接附件]", "[文件完]"]
    assert markers[-1][0] == len(printed)
    annex_start = next(
        number
        for number, page in enumerate(printed, start=1)
        if squeeze(page).startswith("CDIP/32/2附件一附件一45项发展议程建议")
    )
    assert annex_start == annex_one + 1 == markers[0][0] + 1  # the annexes start a new page


def test_an_annex_page_shows_its_running_head(chinese_pdf: Path, tmp_path: Path) -> None:
    """The second page of Annex I, drawn: its head at the top right, in a CJK font."""
    heads = running_heads(chinese_pdf)
    page = heads.index("CDIP/32/2 附件一第2页") + 1
    window = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", "60", *window, "-png", str(chinese_pdf), str(tmp_path / "annex")],
        check=True,
    )
    (png,) = tmp_path.glob("annex*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    head = image.crop((width // 2, 0, width, height // 12)).histogram()
    left_of_head = image.crop((0, 0, width // 3, height // 12)).histogram()
    assert sum(head[:128]) > 30 and sum(left_of_head[:128]) == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / "annex-i-page-2-zh.png")


def test_no_footnote_call_follows_a_stray_comma(
    db: Session, chinese_pdf: Path, tmp_path: Path
) -> None:
    """A call right after text prints as the number alone; "1,2" only between two calls."""
    report = services.report_document(db, 2023, "zh")
    pdf = squeeze(pdf_text(chinese_pdf))
    calls_after_text, found = 0, 0
    texts = [block for block in report.blocks if isinstance(block, TextParagraphOut)]
    texts += [item for block in texts for item in block.sub_items]
    for block in texts:
        for before, run in itertools.pairwise(block.runs):
            if before.kind == "text" and run.kind == "note" and len(squeeze(before.text)) >= 4:
                tail = squeeze(before.text)[-4:]
                calls_after_text += 1
                assert f"{tail},{run.number}" not in pdf
                found += f"{tail}{run.number}" in pdf
    assert calls_after_text > 140
    assert found / calls_after_text > 0.9  # the rest break across a page or a footnote
    assert "（MTSP）2" in pdf and "新闻，5" in pdf

    page = build_html(db, tmp_path, "zh", "all")
    for call in page.xpath("//sup[contains(@class, 'note-ref')]"):
        previous = call.getprevious()
        right_after_a_call = (
            previous is not None
            and previous.tag == "sup"
            and not (previous.tail or "").strip()
            and call.getparent() is previous.getparent()
        )
        assert ("follows" in call.get("class").split()) == right_after_a_call


def test_english_annex_one_starts_on_its_own_page_with_its_first_row(
    db: Session, tmp_path: Path
) -> None:
    """The first Annex I row is taller than what its headings leave of the page; kept
    whole, it left that page empty but for the headings."""
    out = tmp_path / "en.pdf"
    build_report(db, year=2023, language="en", out=out, allow_fallback=True)
    pages = [squeeze(page) for page in pdf_text(out).split("\f")]
    (start,) = [page for page in pages if "AnnexILinksbetweenthe45" in page]
    # pdftotext -layout interleaves the columns line by line.
    assert "RecommendationWIPOtechnicalassistanceshallbe,2.1Developmentofa" in start
    assert "1*" in start
    assert start.startswith("CDIP/32/2AnnexIAnnexILinksbetween")
    heads = running_heads(out)
    annex_one, annex_two = heads.index("CDIP/32/2 Annex I"), heads.index("CDIP/32/2 Annex II")
    assert heads[annex_one + 1 : annex_two] == [
        f"CDIP/32/2 Annex I, page {n}" for n in range(2, annex_two - annex_one + 1)
    ]
    assert heads[annex_two + 1 :] == [
        f"CDIP/32/2 Annex II, page {n}" for n in range(2, len(heads) - annex_two + 1)
    ]


def test_pdf_is_refused_when_no_font_covers_chinese(db: Session, tmp_path: Path) -> None:
    """With fontconfig pointed at Latin fonts only, the PDF would print boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        "<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
    listed = subprocess.run(
        ["fc-list", ":lang=zh"], env=environment, capture_output=True, text=True, check=True
    )
    assert listed.stdout.strip() == ""  # the simulation holds: no CJK font visible
    out = tmp_path / "r.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FONTCONFIG_FILE", str(config))
        with pytest.raises(DevagendaError, match=r"'zh'.*install fonts-noto-cjk"):
            build_report(db, year=2023, language="zh", out=out, part="annexes")
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "format", "problem"),
    [
        ("r.docx", "pdf", "contradicts the file's extension '.docx'"),
        ("r.html", "md", "contradicts the file's extension '.html'"),
        ("r.txt", None, "cannot tell the format"),
    ],
)
def test_format_and_extension_must_agree(
    db: Session, tmp_path: Path, name: str, format: str | None, problem: str
) -> None:
    with pytest.raises(InputError, match=re.escape(problem)):
        build_report(db, year=2023, language="zh", out=tmp_path / name, format=format)
    assert not (tmp_path / name).exists()


def test_without_format_the_extension_decides(db: Session, tmp_path: Path) -> None:
    markdown = build_report(db, year=2023, language="zh", out=tmp_path / "r.md", part="annexes")
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("CDIP/32/2<br>") and "\n# 总干事关于2023年度" in text  # Markdown
    word = build_report(db, year=2023, language="zh", out=tmp_path / "r.docx", part="annexes")
    assert zipfile.is_zipfile(word)
    kept = build_report(
        db, year=2023, language="zh", out=tmp_path / "r.txt", format="md", part="annexes"
    )
    assert kept.read_text(encoding="utf-8") == markdown.read_text(encoding="utf-8")


# -- (d) the English edition --------------------------------------------------------------


def english_rows(page: html.HtmlElement) -> dict[tuple[str, int], str]:
    return {
        (table.get("id").removeprefix("annex-ii-"), index): row.xpath("td")[0].text_content()
        for table in page.xpath('//table[@class="annex-two"]')
        for index, row in enumerate(table.xpath("tbody/tr"), start=1)
    }


def test_english_edition_uses_english_titles(db: Session, tmp_path: Path) -> None:
    page = build_html(db, tmp_path, "en", "annexes")
    assert page.get("lang") == "en"
    rows = english_rows(page)
    assert rows == {(r.group, r.row): r.title_en for r in read_project_titles()}
    notices = [p.text_content() for p in page.xpath('//p[@class="notice"]')]
    assert notices == [
        "Unofficial translations by the devagenda project, not official WIPO texts: "
        "recommendation texts (45); expected result titles (15); project titles (55)."
    ]
    first = page.xpath('//table[@class="annex-one"]/tbody/tr')[0]
    assert first.xpath("th")[0].text_content() == "Recommendation 1*"


def test_english_edition_marks_chinese_fallbacks(db: Session, tmp_path: Path) -> None:
    project = db.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    project.texts = [t for t in project.texts if t.language != "en"]
    db.flush()
    page = build_html(db, tmp_path, "en", "all", allow_fallback=True)
    notices = [p.text_content() for p in page.xpath('//p[@class="notice"]')]
    assert notices[0] == (
        "The database holds no English edition of this report; the text below is the Chinese "
        "edition."
    )
    assert notices[1].startswith("Texts without an English version in the database (1)")
    (marked,) = page.xpath('//table[@class="annex-two"]//td[span[@class="fallback"]]')
    assert marked.xpath("span[@lang]")[0].get("lang") == "zh"
    assert marked.xpath("span[@lang]")[0].text_content() == project.text_in("zh")
    assert "(Chinese: no English text in the database)" in marked.text_content()
    assert page.xpath('//section[@class="report"]')[0].get("lang") == "zh"


@pytest.mark.parametrize("part", ["all", "report"])
def test_english_edition_of_a_chinese_only_report_is_refused(
    db: Session, tmp_path: Path, part: str
) -> None:
    out = tmp_path / "r.html"
    with pytest.raises(
        InputError, match=r"no English edition of the 2023 report.*--allow-fallback"
    ):
        build_report(db, year=2023, language="en", out=out, part=part)
    assert not out.exists()


def test_stored_text_is_escaped(db: Session, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> | *[link](javascript:alert(1))*'
    project = db.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    project.set_text("zh", hostile)
    db.flush()
    page = build_html(db, tmp_path, "zh", "annexes")
    assert not page.xpath("//script")
    (cell,) = page.xpath('//table[@class="annex-two"]//td[contains(., "alert")]')
    assert cell.text_content() == hostile
    path = build_report(db, year=2023, language="zh", format="md", out=tmp_path / "r.md")
    markdown = path.read_text(encoding="utf-8")
    assert r'| \<script\>alert("x")\</script\> \| \*\[link\](javascript:alert(1))\* |' in markdown


# -- Annex II groups from status histories ------------------------------------------------

END_2023 = date(2023, 12, 31)


def history(*steps: tuple[ProjectStatus, date]) -> list[ProjectStatusChange]:
    return [ProjectStatusChange(status=status, on_date=day) for status, day in steps]


@pytest.mark.parametrize(
    ("steps", "group"),
    [
        (
            [(ProjectStatus.APPROVED, date(2019, 5, 1)), (ProjectStatus.EVALUATED, END_2023)],
            ProjectGroup.COMPLETED_EVALUATED,
        ),
        ([(ProjectStatus.MAINSTREAMED, date(2021, 6, 30))], ProjectGroup.COMPLETED_EVALUATED),
        ([(ProjectStatus.APPROVED, date(2023, 4, 28))], ProjectGroup.APPROVED),
        ([(ProjectStatus.APPROVED, date(2022, 11, 30))], ProjectGroup.ONGOING),
        (
            [
                (ProjectStatus.APPROVED, date(2022, 4, 1)),
                (ProjectStatus.COMPLETED, date(2023, 7, 31)),
            ],
            ProjectGroup.ONGOING,
        ),
        (
            [
                (ProjectStatus.APPROVED, date(2023, 4, 28)),
                (ProjectStatus.ONGOING, date(2023, 9, 30)),
            ],
            ProjectGroup.ONGOING,
        ),
        (
            [(ProjectStatus.ONGOING, END_2023), (ProjectStatus.EVALUATED, date(2024, 5, 31))],
            ProjectGroup.ONGOING,
        ),
        ([(ProjectStatus.APPROVED, date(2024, 4, 30))], None),
        ([(ProjectStatus.PROPOSED, date(2023, 4, 28))], None),
    ],
)
def test_annex_group_is_the_status_on_31_december(
    steps: list[tuple[ProjectStatus, date]], group: ProjectGroup | None
) -> None:
    assert annex_group(history(*steps), END_2023) is group
