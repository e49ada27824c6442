"""Report symbols and the cover they open: shipped with their source, settable by the user,
and "not stated" wherever nothing states a value."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from devagenda.core.errors import InputError
from devagenda.reports.render.cover import chinese_number, cover_lines, english_ordinal
from devagenda.reports.render.labels import labels_for
from devagenda.reports.symbols import report_cover, set_report_symbol, shipped_symbols


def test_the_2023_report_is_cdip_32_2_with_its_sources() -> None:
    record = shipped_symbols()[2023]
    assert record.symbol == "CDIP/32/2"
    assert (record.session_start, record.session_end) == (date(2024, 4, 29), date(2024, 5, 3))
    assert "infojustice.org/archives/45714" in record.source
    assert record.original_language is None and record.document_date is None  # unsourced


def test_the_cover_of_2023_in_both_languages(session: Session) -> None:
    cover = report_cover(session, 2023)
    assert (cover.symbol, cover.session, cover.symbol_origin) == ("CDIP/32/2", 32, "reference data")
    english = cover_lines(cover, labels_for("en"), "en")
    assert english.session == "Thirty-Second Session"
    assert english.place_and_dates == "Geneva, April 29 to May 3, 2024"
    assert english.original_language == "ORIGINAL: not stated"
    assert english.decision == "Decision paragraph: not stated"
    chinese = cover_lines(cover, labels_for("zh"), "zh")
    assert chinese.session == "第三十二届会议"
    assert chinese.place_and_dates == "2024年4月29日至5月3日，日内瓦"
    assert chinese.document_date == "日期：未说明"


def test_a_symbol_the_user_sets_wins_and_claims_nothing_else(session: Session) -> None:
    assert set_report_symbol(session, 2023, " cdip/33/2 ") == "CDIP/33/2"
    cover = report_cover(session, 2023)
    assert (cover.symbol, cover.session, cover.symbol_origin) == (
        "CDIP/33/2",
        33,
        "set by ingest --symbol",
    )
    # The shipped place and dates belong to CDIP/32/2, not to the document the user named.
    lines = cover_lines(cover, labels_for("en"), "en")
    assert lines.place_and_dates == "not stated, not stated"
    assert set_report_symbol(session, 2023, "CDIP/32/2") == "CDIP/32/2"
    assert report_cover(session, 2023).place == {"en": "Geneva", "zh": "日内瓦"}


def test_a_year_nobody_states_is_not_stated(session: Session) -> None:
    cover = report_cover(session, 2019)
    assert cover.symbol is None and cover.session is None
    lines = cover_lines(cover, labels_for("zh"), "zh")
    assert (lines.symbol, lines.session) == ("文件编号未说明", "未说明")


@pytest.mark.parametrize("symbol", ["", "32/2", "WO/GA/55/1", "CDIP/32/2; DROP TABLE"])
def test_a_symbol_that_is_not_a_cdip_symbol_is_refused(session: Session, symbol: str) -> None:
    with pytest.raises(InputError, match="not a CDIP document symbol"):
        set_report_symbol(session, 2023, symbol)


@pytest.mark.parametrize(
    ("number", "english", "chinese"),
    [
        (1, "First", "一"),
        (10, "Tenth", "十"),
        (12, "Twelfth", "十二"),
        (20, "Twentieth", "二十"),
        (21, "Twenty-First", "二十一"),
        (32, "Thirty-Second", "三十二"),
        (45, "Forty-Fifth", "四十五"),
    ],
)
def test_session_ordinals(number: int, english: str, chinese: str) -> None:
    assert english_ordinal(number) == english
    assert chinese_number(number) == chinese
