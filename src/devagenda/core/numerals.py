"""Numbers as reports print them: Chinese numerals, Roman numerals, English ordinals.

Chapters are numbered "一、" or "IX.", sessions "第三十一届" or "thirty-first", list items
"(iv)", and figures "十一个" or "1,000多": every reader step that needs a value goes here.
"""

from __future__ import annotations

import re

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
CHINESE_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_MYRIADS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join([*CHINESE_DIGITS, *CHINESE_UNITS, *CHINESE_MYRIADS])

ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

ENGLISH_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
)
ENGLISH_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ENGLISH_ORDINAL_UNITS = (
    *("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
    *("ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
    *("sixteenth", "seventeenth", "eighteenth", "nineteenth"),
)

ENGLISH_NUMBER_WORDS = {word: value for value, word in enumerate(ENGLISH_UNITS)}
ENGLISH_NUMBER_WORDS |= {word: 20 + 10 * index for index, word in enumerate(ENGLISH_TENS)}
_ENGLISH_ORDINALS = {word: value for value, word in enumerate(ENGLISH_ORDINAL_UNITS)}
_ENGLISH_ORDINALS |= {
    word[:-1] + "ieth": 20 + 10 * index for index, word in enumerate(ENGLISH_TENS)
}
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")


def chinese_to_int(text: str) -> int | None:
    """The value of a Chinese numeral ("三十一" -> 31, "五百万" -> 5000000), or None."""
    if not text or any(char not in CHINESE_NUMERAL_CHARS for char in text):
        return None
    total = section = digit = 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            section += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
        else:
            total += (section + digit or 1) * CHINESE_MYRIADS[char]
            section = digit = 0
    return total + section + digit


def roman_to_int(text: str) -> int | None:
    """The value of a Roman numeral in either case ("iv" -> 4, "IX" -> 9), or None."""
    values = [ROMAN_VALUES.get(char) for char in text.lower()]
    if not values or None in values:
        return None
    total = 0
    for value, following in zip(values, [*values[1:], 0], strict=True):
        total += -value if value < following else value
    return total


def numeral_to_int(text: str) -> int | None:
    """A chapter or session numeral in any of the report's styles: "2", "二", "II"."""
    if text.isdigit():
        return int(text)
    return chinese_to_int(text) or roman_to_int(text)


def english_ordinal_to_int(text: str) -> int | None:
    """ "thirty-first" -> 31, "thirtieth" -> 30, "31st" -> 31; None for anything else."""
    word = text.lower().strip()
    digits = _DIGIT_ORDINAL.fullmatch(word)
    if digits:
        return int(digits.group(1))
    if word in _ENGLISH_ORDINALS:
        return _ENGLISH_ORDINALS[word]
    tens, _, unit = word.partition("-")
    if tens in ENGLISH_NUMBER_WORDS and unit in _ENGLISH_ORDINALS:
        return ENGLISH_NUMBER_WORDS[tens] + _ENGLISH_ORDINALS[unit]
    return None


def english_number_to_int(text: str) -> int | None:
    """ "seven" -> 7, "forty-five" -> 45; None for anything else."""
    word = text.lower()
    if word in ENGLISH_NUMBER_WORDS:
        return ENGLISH_NUMBER_WORDS[word]
    tens, _, unit = word.partition("-")
    if tens in ENGLISH_TENS and unit in ENGLISH_UNITS[1:10]:
        return ENGLISH_NUMBER_WORDS[tens] + ENGLISH_NUMBER_WORDS[unit]
    return None


def session_number(text: str) -> int | None:
    """A session numeral as printed: "三十一" (in 第三十一届), "31", "31st", "thirty-first"."""
    return english_ordinal_to_int(text) or numeral_to_int(text)
