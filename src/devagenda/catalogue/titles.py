"""Project titles: what identifies a project whatever the wording, and the phase it names.

The same project is printed differently from one place to the next: the narrative adds
"关于…的项目", drops a bracketed acronym, writes 与 for 和; Annex II appends "——第二阶段".
The report reader, the loader and the catalogue all compare titles through these two
functions, so they agree on what "the same project" means.
"""

from __future__ import annotations

import functools
import re

from devagenda.core.numerals import numeral_to_int

PHASE_TEXT = re.compile(
    r"[—\-–]*\s*第[一二三四五六七八九十]阶段|[—\-–]?\s*\bphase\s+(?:[IVX]{1,4}|\d)\b", re.I
)
_PHASE_AT_END = re.compile(
    r"第([一二三四五六七八九十])阶段\s*$|phase\s+([IVX]{1,4}|\d)\s*\)?\s*$", re.IGNORECASE
)
_PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")
_PUNCTUATION = re.compile(r"[\s，,。、：:；;“”‘’\"'《》·—\-–!?！？/]")
_AFFIXES = re.compile(r"^(?:关于|on)|(?:的)?(?:发展议程)?(?:试点)?项目$|(?:pilot)?project$")


@functools.lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    """A title without phase, bracketed asides, punctuation, "关于" and "项目"."""
    text = _PUNCTUATION.sub("", _PARENTHETICAL.sub("", PHASE_TEXT.sub("", title))).lower()
    return _AFFIXES.sub("", text)


def phase_of(title: str) -> int | None:
    """2 for "…——第二阶段" or "… – Phase II"; None when the title names no phase."""
    found = _PHASE_AT_END.search(title)
    return None if found is None else numeral_to_int(found.group(1) or found.group(2))
