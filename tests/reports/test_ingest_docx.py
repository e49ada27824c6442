"""The reader on a Word file with real footnotes and tables, built from the text export.

Both formats go through the same parser, so the Word file must give the same document as
the text export, line numbers aside (a Word file has paragraphs, not export lines).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from tests.reports.docx_builder import ID_OFFSET, build_docx

from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import ReportDocument

REPORT = Path(__file__).parents[2] / "data/reports/dg-report-da-2023.zh.txt"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_reference_data()


@pytest.fixture(scope="module")
def word_file() -> bytes:
    return build_docx(REPORT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def from_docx(word_file: bytes, gazetteer: Gazetteer) -> ReportDocument:
    return read_report(word_file, source="report.docx", gazetteer=gazetteer)


@pytest.fixture(scope="module")
def from_text(gazetteer: Gazetteer) -> ReportDocument:
    return read_report(REPORT, gazetteer=gazetteer)


def test_the_fixture_is_a_word_file_with_footnotes_and_tables(word_file: bytes) -> None:
    package = zipfile.ZipFile(io.BytesIO(word_file))
    footnotes = package.read("word/footnotes.xml").decode()
    assert f'w:id="{1 + ID_OFFSET}"' in footnotes
    assert "footnotes+xml" in package.read("[Content_Types].xml").decode()
    assert "relationships/footnotes" in package.read("word/_rels/document.xml.rels").decode()
    body = package.read("word/document.xml").decode()
    assert body.count("<w:tbl>") == 45 + 3
    assert body.count("<w:footnoteReference") == 189


def test_same_paragraphs(from_docx: ReportDocument, from_text: ReportDocument) -> None:
    def shape(doc: ReportDocument) -> list[tuple]:
        return [
            (p.number, p.text, p.raw_text, p.chapter, p.section, p.footnotes, p.symbols)
            for p in doc.paragraphs
        ]

    assert shape(from_docx) == shape(from_text)
    assert [(h.title, h.level, h.number) for h in from_docx.headings] == [
        (h.title, h.level, h.number) for h in from_text.headings
    ]


def test_same_sub_items(from_docx: ReportDocument, from_text: ReportDocument) -> None:
    def shape(doc: ReportDocument) -> list[tuple]:
        return [
            (p.number, s.label, s.ordinal, s.style, s.text, s.raw_text, s.footnotes)
            for p in doc.paragraphs
            for s in p.sub_items
        ]

    assert shape(from_docx) == shape(from_text)


def test_same_footnotes(from_docx: ReportDocument, from_text: ReportDocument) -> None:
    def shape(doc: ReportDocument) -> list[tuple]:
        return [(f.number, f.text, f.paragraph, f.urls, f.symbols) for f in doc.footnotes]

    assert shape(from_docx) == shape(from_text)
    assert len(from_docx.footnotes) == 189
    assert from_docx.footnote(185).text.count("\n") == 1
    located = dict(from_docx.footnote_references)
    assert (located[188].annex, located[188].row) == ("I", 1)


def test_same_annexes(from_docx: ReportDocument, from_text: ReportDocument) -> None:
    def shape(doc: ReportDocument) -> tuple:
        recommendations = [
            (r.number, r.immediate, r.text, [(e.code, e.title) for e in r.expected_results])
            for r in doc.annex_recommendations
        ]
        groups = [(g.group, g.heading, g.stated_count) for g in doc.annex_groups]
        projects = [(p.group, p.row, p.title, p.phase) for p in doc.annex_projects]
        return recommendations, groups, projects

    assert shape(from_docx) == shape(from_text)
    assert len(from_docx.annex_projects) == 55


def test_same_approvals_events_and_mentions(
    from_docx: ReportDocument, from_text: ReportDocument
) -> None:
    def shape(doc: ReportDocument) -> tuple:
        approvals = [
            (a.title, a.proposers, a.session, a.recommendations, a.phase, a.annex_row)
            for a in doc.approvals
        ]
        events = [
            (e.kind, e.title, e.year, e.month, e.annex_group, e.annex_row, e.beneficiaries)
            for e in doc.project_events
        ]
        figures = [(f.text, f.value, f.counts, f.year) for f in doc.figures]
        countries = [(m.text, m.alpha3) for m in doc.country_mentions]
        return approvals, events, figures, countries

    assert shape(from_docx) == shape(from_text)
    assert len(from_docx.approvals) == 7
