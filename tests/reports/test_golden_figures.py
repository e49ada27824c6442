"""The figure reader against figures read by hand from the 2023 report (golden_figures)."""

from __future__ import annotations

import pytest
from tests.reports.golden_figures import GOLDEN, GoldenFigure

from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import Figure, ReportDocument

REPORT = "data/reports/dg-report-da-2023.zh.txt"
REQUIRED_SHARE = 0.95


@pytest.fixture(scope="module")
def doc() -> ReportDocument:
    return read_report(REPORT, gazetteer=Gazetteer.from_reference_data())


def as_golden(figure: Figure) -> GoldenFigure:
    return GoldenFigure(
        figure.location.line,
        figure.location.footnote,
        figure.text,
        figure.value,
        figure.unit,
        figure.counts,
        figure.year,
        figure.qualifier,
        figure.cumulative,
        figure.breakdown,
        figure.part_of.text if figure.part_of is not None else None,
    )


def pair(
    doc: ReportDocument,
) -> tuple[list[tuple[GoldenFigure, GoldenFigure | None]], list[GoldenFigure]]:
    """Each golden figure with the figure read at the same place with the same value
    (preferring the same printed text), each read figure used once; and the read figures
    left over."""
    read = [as_golden(f) for f in doc.figures]
    used: set[int] = set()
    pairs = []
    for golden in GOLDEN:
        same_place = [
            i
            for i, f in enumerate(read)
            if i not in used and (f.line, f.footnote, f.value) == (*golden[:2], golden.value)
        ]
        same_text = [i for i in same_place if read[i].text == golden.text]
        chosen = (same_text or same_place or [None])[0]
        if chosen is not None:
            used.add(chosen)
        pairs.append((golden, None if chosen is None else read[chosen]))
    return pairs, [f for i, f in enumerate(read) if i not in used]


def test_the_golden_set_is_large_and_varied() -> None:
    places = {(g.line, g.footnote) for g in GOLDEN}
    assert len(GOLDEN) >= 60
    assert len(places) >= 15
    assert len(set(GOLDEN)) == len(GOLDEN) - sum(GOLDEN.count(g) - 1 for g in set(GOLDEN))


def test_every_golden_figure_is_found(doc: ReportDocument) -> None:
    missing = [golden for golden, got in pair(doc)[0] if got is None]
    assert missing == []


def test_nothing_is_read_at_the_golden_places_that_is_not_there(doc: ReportDocument) -> None:
    """The golden set lists every figure of its paragraphs and footnotes, so anything
    else the reader finds there is not a figure."""
    places = {(g.line, g.footnote) for g in GOLDEN}
    _, left_over = pair(doc)
    assert [f for f in left_over if (f.line, f.footnote) in places] == []


def test_at_least_95_percent_of_golden_figures_fully_right(doc: ReportDocument) -> None:
    pairs, _ = pair(doc)
    wrong = [(golden, got) for golden, got in pairs if got != golden]
    share = 1 - len(wrong) / len(pairs)
    print(f"golden figures fully right: {len(pairs) - len(wrong)}/{len(pairs)} = {share:.1%}")
    for golden, got in wrong:
        print("expected", golden, "\n     got", got)
    assert share >= REQUIRED_SHARE, wrong


def test_breakdowns_add_up_to_their_totals(doc: ReportDocument) -> None:
    parts: dict[int, list[Figure]] = {}
    for figure in doc.figures:
        if figure.part_of is not None:
            parts.setdefault(id(figure.part_of), []).append(figure)
    totals = {id(f): f for f in doc.figures}
    assert len(parts) >= 6
    for key, found in parts.items():
        assert sum(f.value for f in found) == totals[key].value, totals[key].text
