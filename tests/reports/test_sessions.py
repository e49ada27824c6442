"""CDIP session dates read from the narrative."""

from __future__ import annotations

from datetime import date

from devagenda.reports.ingest.document import Paragraph
from devagenda.reports.ingest.sessions import SessionDates, find_session_dates

PARAGRAPH_19 = (
    "在本报告所涉期间，CDIP以混合形式召开了两届会议，2023年4月24日至28日召开的第三十届会议，"
    "以及2023年11月27日至12月1日召开的第三十一届会议。成员国表达对CDIP工作的承诺。"
)


def paragraph(number: int, text: str) -> Paragraph:
    return Paragraph(number=number, text=text, line=number)


def test_chinese_sessions_with_dates_and_format() -> None:
    assert find_session_dates([paragraph(19, PARAGRAPH_19)]) == [
        SessionDates(30, date(2023, 4, 24), date(2023, 4, 28), True, 19),
        SessionDates(31, date(2023, 11, 27), date(2023, 12, 1), True, 19),
    ]


def test_sessions_of_other_bodies_are_ignored() -> None:
    igc = "IGC举行了两届会议，即2023年2月27日至3月3日举行的第四十六届会议。"
    assert find_session_dates([paragraph(57, igc)]) == []


def test_english_sessions() -> None:
    text = (
        "The CDIP held its thirtieth session, in a hybrid format, from April 24 to 28, 2023, "
        "and its thirty-first session from November 27 to December 1, 2023."
    )
    sessions = find_session_dates([paragraph(19, text)])
    assert [(s.number, s.start, s.end) for s in sessions] == [
        (30, date(2023, 4, 24), date(2023, 4, 28)),
        (31, date(2023, 11, 27), date(2023, 12, 1)),
    ]


def test_an_impossible_date_is_not_used() -> None:
    text = "CDIP于2023年2月30日至31日召开的第三十届会议。"
    assert find_session_dates([paragraph(1, text)]) == []
