"""WIPO's catalogue codes for Development Agenda projects, and the recommendations they name.

A code joins the numbers of the recommendations a project implements, in ascending order:
`DA_1_10_12_40` implements recommendations 1, 10, 12 and 40. Most codes end with a serial
number that tells apart projects on the same recommendations (`DA_19_30_31_03`,
`DA_01_05_01`); it is recognised because it breaks the ascending order. Numbers may be
written with a leading zero.
"""

from __future__ import annotations

import re
from itertools import pairwise

_CODE = re.compile(r"DA(?:_\d{1,2})+")
FIRST, LAST = 1, 45


class CodeError(ValueError):
    """Not a catalogue code; the message says why."""


def normalize_code(text: str) -> str:
    """The code in WIPO's spelling (upper case, underscores), or CodeError."""
    code = re.sub(r"[\s-]+", "_", text.strip()).upper()
    if not _CODE.fullmatch(code):
        raise CodeError(f"{text!r} is not a DA catalogue code (e.g. DA_1_10_12_40)")
    recommendations_in_code(code)
    return code


def recommendations_in_code(code: str) -> list[int]:
    """The recommendation numbers a code names, without its serial number."""
    numbers = [int(part) for part in code.split("_")[1:]]
    if len(numbers) > 1 and numbers[-1] <= numbers[-2]:
        numbers = numbers[:-1]  # the serial number
    if any(not FIRST <= number <= LAST for number in numbers):
        raise CodeError(f"{code}: recommendations are numbered {FIRST}-{LAST}")
    if any(later <= earlier for earlier, later in pairwise(numbers)):
        raise CodeError(f"{code}: the recommendation numbers of a code ascend")
    return numbers
