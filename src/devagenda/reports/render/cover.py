"""The cover block every CDIP document opens with, worded for one edition's language.

What is not known prints as "not stated": a cover that guesses a date or a symbol would be
taken for the organization's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devagenda.reports.symbols import Cover

CHINESE_DIGITS = "零一二三四五六七八九"
ENGLISH_UNITS = (
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
ENGLISH_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty")
ENGLISH_TENS += ("ninety",)
IRREGULAR_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class CoverLines:
    """The cover's printed lines, in the order the cover prints them."""

    letter: str  # the language letter WIPO prints top left ("C", "E")
    symbol: str
    original_language: str
    document_date: str
    committee: str
    session: str
    place_and_dates: str
    prepared_by: str
    decision: str


def chinese_number(number: int) -> str:
    """1-99 as Chinese numerals (三十二), as session names write them."""
    tens, units = divmod(number, 10)
    if not 0 < number < 100:
        return str(number)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[units] if units else "")


def english_ordinal(number: int) -> str:
    """1-99 as a capitalized English ordinal ("Thirty-Second"), as session names write it."""
    if not 0 < number < 100:
        return f"{number}th"
    tens, units = divmod(number, 10)
    if number < 20:
        words = [ENGLISH_UNITS[number]]
    else:
        words = [ENGLISH_TENS[tens]] + ([ENGLISH_UNITS[units]] if units else [])
    last = words[-1]
    if last in IRREGULAR_ORDINALS:
        words[-1] = IRREGULAR_ORDINALS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return "-".join(word.capitalize() for word in words)


def format_date(labels: dict[str, str], day: date) -> str:
    return labels["date"].format(
        year=day.year, month=day.month, day=day.day, month_name=MONTHS[day.month - 1]
    )


def format_dates(labels: dict[str, str], start: date, end: date) -> str:
    """A session's dates as documents print them ("April 29 to May 3, 2024")."""
    if start == end:
        return format_date(labels, start)
    key = "date_range_same_year" if start.year == end.year else "date_range"
    return labels[key].format(
        year=start.year,
        month=start.month,
        day=start.day,
        month_name=MONTHS[start.month - 1],
        end_year=end.year,
        end_month=end.month,
        end_day=end.day,
        end_month_name=MONTHS[end.month - 1],
    )


def cover_lines(cover: Cover, labels: dict[str, str], language: str) -> CoverLines:
    not_stated = labels["not_stated"]
    original = not_stated
    if cover.original_language is not None:
        original = labels[f"language_{cover.original_language}"]
        original = original.upper() if language == "en" else original
    session = not_stated
    if cover.session is not None:
        ordinal = chinese_number(cover.session) if language == "zh" else None
        session = labels["session"].format(ordinal=ordinal or english_ordinal(cover.session))
    dates = not_stated
    if cover.session_start and cover.session_end:
        dates = format_dates(labels, cover.session_start, cover.session_end)
    place = cover.place.get(language, not_stated)
    decision = cover.decision.get(language, not_stated)
    return CoverLines(
        letter=labels["cover_letter"],
        symbol=cover.symbol or labels["symbol_not_stated"],
        original_language=labels["original_language"].format(language=original),
        document_date=labels["document_date"].format(
            date=format_date(labels, cover.document_date) if cover.document_date else not_stated
        ),
        committee=labels["committee"],
        session=session,
        place_and_dates=labels["place_and_dates"].format(place=place, dates=dates),
        prepared_by=labels["prepared_by"],
        decision=labels["decision"].format(text=decision),
    )
