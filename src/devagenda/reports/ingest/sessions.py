"""CDIP sessions and their dates, as the narrative states them.

The report says, e.g., "CDIP以混合形式召开了两届会议，2023年4月24日至28日召开的第三十届会议，
以及2023年11月27日至12月1日召开的第三十一届会议" or, in English, "the thirtieth session,
held in a hybrid format from April 24 to 28, 2023". Only sentences about the CDIP count:
the report also dates sessions of other bodies (the IGC, the General Assemblies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from devagenda.core.numerals import session_number
from devagenda.reports.ingest.document import Paragraph

_SENTENCE = re.compile(r"[^。！？.!?]+(?:[。！？!?]|\.(?=\s|$))?")
_CDIP = re.compile(r"CDIP|发展与知识产权委员会|Committee on Development and Intellectual", re.I)
_HYBRID = re.compile(r"混合形式|hybrid", re.I)

_CHINESE = re.compile(
    r"(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日至"
    r"(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
    r"(?:召开|举行)的第(?P<number>[〇一二三四五六七八九十百]+)届会议"
)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(?:" + "|".join(_MONTHS) + r")"
_ENGLISH = re.compile(
    r"(?P<number>[\w-]+) session[^.;]*?from (?P<m1>" + _MONTH + r") (?P<d1>\d{1,2})"
    r"(?:, (?P<y1>\d{4}))? to (?:(?P<m2>" + _MONTH + r") )?(?P<d2>\d{1,2}), (?P<y2>\d{4})",
    re.I,
)


@dataclass(frozen=True)
class SessionDates:
    number: int
    start: date
    end: date
    hybrid: bool
    paragraph: int


def find_session_dates(paragraphs: Iterable[Paragraph]) -> list[SessionDates]:
    """Every CDIP session whose dates the narrative states, first statement wins."""
    found: dict[int, SessionDates] = {}
    for paragraph in paragraphs:
        for sentence in _SENTENCE.findall(paragraph.text):
            if not _CDIP.search(sentence):
                continue
            hybrid = bool(_HYBRID.search(sentence))
            for dates in _chinese_dates(sentence) + _english_dates(sentence):
                number, start, end = dates
                found.setdefault(number, SessionDates(number, start, end, hybrid, paragraph.number))
    return sorted(found.values(), key=lambda s: s.number)


def _chinese_dates(sentence: str) -> list[tuple[int, date, date]]:
    results = []
    for match in _CHINESE.finditer(sentence):
        number = session_number(match["number"])
        year, month = int(match["y1"]), int(match["m1"])
        end_year = int(match["y2"] or year)
        end_month = int(match["m2"] or month)
        if number is not None:
            results.append(
                _checked(
                    number, (year, month, int(match["d1"])), (end_year, end_month, int(match["d2"]))
                )
            )
    return [r for r in results if r is not None]


def _english_dates(sentence: str) -> list[tuple[int, date, date]]:
    results = []
    for match in _ENGLISH.finditer(sentence):
        number = session_number(match["number"])
        end_year = int(match["y2"])
        start_month = _MONTHS.index(match["m1"].lower()) + 1
        end_month = _MONTHS.index(match["m2"].lower()) + 1 if match["m2"] else start_month
        start_year = int(match["y1"] or end_year)
        if number is not None:
            results.append(
                _checked(
                    number,
                    (start_year, start_month, int(match["d1"])),
                    (end_year, end_month, int(match["d2"])),
                )
            )
    return [r for r in results if r is not None]


def _checked(
    number: int, start: tuple[int, int, int], end: tuple[int, int, int]
) -> tuple[int, date, date] | None:
    """Dates as printed may be impossible (a typo): such a statement is not used."""
    try:
        return number, date(*start), date(*end)
    except ValueError:
        return None
