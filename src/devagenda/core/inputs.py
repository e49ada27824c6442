"""Text that people type into forms and API bodies, checked before it reaches a database.

Both backends store any Unicode string except what PostgreSQL refuses (NUL) and what
cannot be encoded at all (a lone surrogate from a malformed JSON escape): such input is
rejected with the field's name instead of failing deep in the driver. Control characters
other than tab and line breaks are rejected too: they have no place in a title or a
note, and they are how spoofed text hides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

MAX_ID = 2_147_483_647  # the largest SQL INTEGER: bigger ids name nothing
# C0 and C1 controls (U+009B starts a terminal escape as ESC [ does), except tab and the
# line breaks LF, CR and NEL.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile(r"[\n\r\x85\u2028\u2029]")


def _clean(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate (malformed Unicode)") from None
    found = _FORBIDDEN.search(value)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}")
    return unicodedata.normalize("NFC", value)


def _single_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError("must be on one line")
    return value


# A one-line value (a title, a symbol, a code) and a longer text (a recommendation, a note).
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(_clean),
    AfterValidator(_single_line),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    AfterValidator(_clean),
]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https?://[^\s]+$"),
    AfterValidator(_clean),
]
