"""Names across scripts and romanisations, for fuzzy name search.

Every consultant keeps a romanised key of both their names (`name_key`) and its words
with their first letters (`ConsultantNameToken`), written with the names. A search
romanises the query the same way, lets the database pick the consultants sharing a
word's first letters with it (an indexed lookup, whatever the size of the roster), and
ranks only those with rapidfuzz. So `Wang Xiaoming`, `wang xiao ming`, `Wáng Xiǎomíng`
and `王小明` all meet at "wang xiao ming", and `Garsia Lopez` finds `García López`.

Chinese characters are romanised with pypinyin (without tones); Latin letters lose their
diacritics. Other scripts are compared as written, folded to lower case.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

PREFIX = 3  # letters of a word that the database matches exactly
MIN_SCORE = 75  # rapidfuzz score (0-100) a name must reach to match
KEY_SEPARATOR = "|"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)


@cache
def _pinyin() -> object:
    from pypinyin import lazy_pinyin  # loads its dictionary: only when a name needs it

    return lazy_pinyin


def romanised(text: str) -> str:
    """`text` in folded Latin letters, words separated by one space: Chinese characters
    as pinyin syllables (王小明: "wang xiao ming"), other letters without diacritics."""
    if _HAN.search(text):
        lazy_pinyin = _pinyin()
        text = " ".join(lazy_pinyin(text))  # type: ignore[operator]
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def variants(*names: str | None) -> list[str]:
    """The distinct romanisations of a person's names (Latin script, own script)."""
    return list(dict.fromkeys(r for name in names if name and (r := romanised(name))))


def name_key(name_latin: str, name_own: str | None) -> str:
    return KEY_SEPARATOR.join(variants(name_latin, name_own))


def tokens(keys: Iterable[str]) -> set[str]:
    """The words of romanised names, with each pair of neighbours and the whole name
    written together, so that "xiao ming" and "xiaoming" share a word."""
    found: set[str] = set()
    for key in keys:
        words = key.split()
        found.update(words)
        found.update(a + b for a, b in itertools.pairwise(words))
        if words:
            found.add("".join(words))
    return {token[:200] for token in found if token}


def _words(variant: str) -> list[str]:
    """The tokens of one romanised name, as `tokens` makes them (repeats do no harm)."""
    words = variant.split()
    return [*words, *(a + b for a, b in itertools.pairwise(words)), "".join(words)]


def prefixes(keys: Iterable[str]) -> set[str]:
    return {token[:PREFIX] for token in tokens(keys)}


def score(query: str, key: str) -> float:
    """How well a romanised query matches a stored key (0-100); see `scores`."""
    return scores(query, [key])[0]


def scores(query: str, keys: Sequence[str]) -> list[float]:
    """How well a romanised query matches each stored key (0-100): the best of a key's
    variants, compared whole (spaces ignored, for joined and split pinyin) and word by
    word (any order: family name first or last; a query of one name finds everyone with
    it). Computed by rapidfuzz over all the keys at once, in C, not key by key."""
    import numpy as np
    from rapidfuzz import fuzz, process

    words = query.split()
    if not words or not keys:
        return [0.0] * len(keys)
    variants = [(n, v) for n, key in enumerate(keys) for v in key.split(KEY_SEPARATOR)]
    owners = np.array([n for n, _ in variants])
    whole = process.cdist(
        ["".join(words)], [v.replace(" ", "") for _, v in variants], scorer=fuzz.ratio
    )[0]
    stored = [(i, t) for i, (_, v) in enumerate(variants) for t in _words(v)]
    token_variant = np.array([i for i, _ in stored])
    per_word = np.zeros(len(variants))
    matrix = process.cdist(words, [t for _, t in stored], scorer=fuzz.ratio)
    for row in matrix:
        best = np.zeros(len(variants))
        np.maximum.at(best, token_variant, row)
        per_word += best
    per_variant = np.maximum(whole, per_word / len(words))
    best_of_key = np.zeros(len(keys))
    np.maximum.at(best_of_key, owners, per_variant)
    return [float(x) for x in best_of_key]
