"""Recommendations cited by number in the narrative and footnotes."""

from __future__ import annotations

from pathlib import Path

from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import Location
from devagenda.reports.ingest.mentions import find_recommendations

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"
HERE = Location(line=1, paragraph=1)


def numbers(text: str, *, english: bool = False) -> list[int]:
    return [m.number for m in find_recommendations(text, HERE, english=english)]


def test_chinese_lists_and_ranges() -> None:
    assert numbers("旨在落实发展议程建议4、10、11和45。") == [4, 10, 11, 45]
    assert numbers("落实发展议程建议19、30和31") == [19, 30, 31]
    assert numbers("建议1至3以及建议45") == [1, 2, 3, 45]


def test_not_recommendations() -> None:
    assert numbers("委员会建议2023年举办会议") == []
    assert numbers("建议46和建议0") == []
    assert numbers("建议8.3段") == []


def test_english_citations() -> None:
    text = "implementing DA Recommendations 1, 10, 12 and 40, and Recommendation 45."
    assert numbers(text, english=True) == [1, 10, 12, 40, 45]


def test_the_2023_report() -> None:
    document = read_report(REPORT)
    cited = {
        (m.number, m.location.paragraph, m.location.sub_item)
        for m in document.recommendation_mentions
    }
    assert (10, 19, "iii)") in cited
    assert (45, 19, "i)") in cited
    # Annex I rows are the recommendations themselves, not citations of them.
    assert all(m.location.annex is None for m in document.recommendation_mentions)
    assert len(document.recommendation_mentions) == 46
