"""Word segmentation shared by indexing and querying, so that both cut text the same way.

Nothing separates Chinese words, so runs of Han characters go through jieba's search mode
(each word plus the shorter dictionary words inside it: 旅游业 gives 旅游, 游业, 旅游业).
Other letters and digits form words of their own, folded to lower case without accents
("Côte" gives "cote"). Punctuation and spaces only separate words. The database never
segments anything itself: it receives these tokens joined by spaces.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import jieba

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>[^\W_{_HAN}]+)")
_WORD = re.compile(r"[^\W_]+")


class Span(NamedTuple):
    """A token and the characters of the original text it was read from (a tuple: a
    report has tens of thousands of them)."""

    token: str
    start: int
    end: int

    def contains(self, other: Span) -> bool:
        return (
            self.start <= other.start
            and other.end <= self.end
            and (self.start, self.end) != (other.start, other.end)
        )


@dataclass(frozen=True)
class Term:
    """One word of a query. A text matches it when it has the word itself or, failing that,
    every shorter word jieba finds inside it: a query word the dictionary keeps whole
    (发展中国家) still finds a text where the context made jieba cut it otherwise."""

    word: str
    parts: tuple[str, ...] = ()


@cache
def _segmenter() -> jieba.Tokenizer:
    """jieba's dictionary takes about a second to load: once per process, on first use.

    A private tokenizer, so that words another module adds to jieba's global dictionary
    cannot make documents and queries segment differently.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    return segmenter


@lru_cache(maxsize=65536)
def _fold(word: str) -> tuple[str, ...]:
    """Lower case, no accents, compatibility forms unified (ＡＢＣ, ½); may split a word.
    The final NFC puts back what NFKD took apart without being an accent (Hangul)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_WORD.findall(unicodedata.normalize("NFC", bare)))


def _han_spans(run: str, offset: int) -> list[Span]:
    return [
        Span(word, offset + start, offset + end)
        for word, start, end in _segmenter().tokenize(run, mode="search")
    ]


@lru_cache(maxsize=2048)
def token_spans(text: str) -> tuple[Span, ...]:
    """Every token of `text` with its place; cached because snippets segment the same
    popular hits again and again."""
    spans: list[Span] = []
    for match in _RUN.finditer(text):
        if match.group("han"):
            spans.extend(_han_spans(match.group(), match.start()))
        else:
            spans.extend(Span(token, match.start(), match.end()) for token in _fold(match.group()))
    return tuple(spans)


def tokenize(text: str) -> list[str]:
    """The tokens the index stores for `text`, in reading order."""
    return [span.token for span in token_spans(text)]


def query_terms(query: str) -> list[Term]:
    """The words of a query, each with the shorter words jieba's search mode finds in it."""
    spans = token_spans(query)
    terms: list[Term] = []
    for span in spans:
        if any(other.contains(span) for other in spans):
            continue
        parts = tuple(dict.fromkeys(p.token for p in spans if span.contains(p)))
        terms.append(Term(span.token, parts))
    return list(dict.fromkeys(terms))
