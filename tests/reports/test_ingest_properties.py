"""Robustness of the reader: on a damaged report it either reads what it can or raises
`ReportFormatError` with a line number, never another exception.

Damage is the real report's: truncated anywhere (even inside a character), lines deleted,
noise inserted (random text, stray markers, tabs, labels, numbers), encodings changed.
Most properties run on an excerpt of the report that keeps its every kind of line, so that
each example reads fast.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.reports.docx_builder import build_docx

from devagenda.core.errors import ReportFormatError
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import PDF_SIGNATURE, read_report
from devagenda.reports.ingest.document import ReportDocument

REPORT = Path(__file__).parents[2] / "data/reports/dg-report-da-2023.zh.txt"
TEXT = REPORT.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
# Introduction, chapter 1 with the approvals, a run-on footnote, the conclusion, the start
# of Annex I and pieces of every Annex II group (1-based line ranges, inclusive).
EXCERPT_RANGES = ((1, 66), (226, 272), (586, 600), (709, 720), (735, 756))
EXCERPT = [line for first, last in EXCERPT_RANGES for line in LINES[first - 1 : last]]
WORD_FILE = build_docx("\n".join(EXCERPT))
GAZETTEER = Gazetteer.from_reference_data()
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

NOISE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "[footnoteRef:999]",
            "[3: ",
            "]",
            "\t",
            "\t\t",
            "\t建议7*",
            "\t与预期成果的联系",
            "\t4.1 ",
            "\t已完成且已经审评的发展议程项目（3个）",
            "\t1.",
            "12. ",
            "999. ",
            "(iv) ",
            "iii）",
            "2、 ",
            "IX. ",
            "导\u3000言",
            "[后接附件]",
            "Annex II",
            "第三十届",
            "1,000多名",
            "\x0b",
            "\u3000",
        ]
    ),
    st.integers().map(str),
)
ENCODINGS = st.sampled_from(
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("gb18030", errors="replace"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ]
)


def read_or_reject(data: bytes) -> ReportDocument | None:
    """The document, or None when the reader refused the input as it should."""
    try:
        document = read_report(data, gazetteer=GAZETTEER)
    except ReportFormatError as error:
        # A refusal points at the line it stopped at; a PDF is refused as a whole file.
        if data.startswith(PDF_SIGNATURE):
            assert error.line is None and "PDF" in str(error)
        else:
            assert error.line is not None and error.line >= 1
        return None
    assert document.paragraphs
    assert all(item.ordinal >= 1 for p in document.paragraphs for item in p.sub_items)
    assert all(location.line >= 1 for _, location in document.footnote_references)
    return document


@FAST
@given(st.integers(min_value=0, max_value=len(TEXT)))
def test_truncated_text(cut: int) -> None:
    read_or_reject(TEXT[:cut].encode("utf-8"))


@FAST
@given(st.integers(min_value=0, max_value=len(TEXT.encode("utf-8"))))
def test_truncated_bytes_even_inside_a_character(cut: int) -> None:
    read_or_reject(TEXT.encode("utf-8")[:cut])


WHOLE_EXCERPT = read_report("\n".join(EXCERPT).encode("utf-8"), gazetteer=GAZETTEER)


@FAST
@given(st.integers(min_value=1, max_value=len(EXCERPT)))
def test_truncated_at_a_line_keeps_the_paragraphs_before_it(kept: int) -> None:
    document = read_or_reject("\n".join(EXCERPT[:kept]).encode("utf-8"))
    if document is not None:
        before = [(p.number, p.text) for p in WHOLE_EXCERPT.paragraphs if p.line < kept]
        assert [(p.number, p.text) for p in document.paragraphs][: len(before)] == before


@FAST
@given(st.sets(st.integers(min_value=0, max_value=len(EXCERPT) - 1), max_size=40))
def test_deleted_lines(deleted: set[int]) -> None:
    kept = [line for index, line in enumerate(EXCERPT) if index not in deleted]
    read_or_reject("\n".join(kept).encode("utf-8"))


@FAST
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(EXCERPT) - 1),
            st.floats(min_value=0, max_value=1),
            NOISE,
        ),
        max_size=12,
    ),
    ENCODINGS,
)
def test_inserted_noise_in_any_encoding(insertions: list[tuple[int, float, str]], encode) -> None:
    lines = list(EXCERPT)
    for index, where, noise in insertions:
        line = lines[index]
        cut = int(where * len(line))
        lines[index] = line[:cut] + noise + line[cut:]
    read_or_reject(encode("\n".join(lines)))


@FAST
@given(st.lists(NOISE, max_size=20))
def test_noise_lines_alone(lines: list[str]) -> None:
    read_or_reject("\n".join(lines).encode("utf-8"))


@FAST
@given(st.binary(max_size=300))
@example(b"%PDF-1.7\n")
def test_random_bytes(data: bytes) -> None:
    read_or_reject(data)


@FAST
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(WORD_FILE) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=4,
    ),
    st.integers(min_value=0, max_value=len(WORD_FILE)),
)
def test_damaged_word_file(changes: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(WORD_FILE)
    for position, value in changes:
        data[position] = value
    read_or_reject(bytes(data))
    read_or_reject(WORD_FILE[:cut])
