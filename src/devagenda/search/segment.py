"""Word segmentation shared by indexing and querying, so that both cut text the same way.

Nothing separates Chinese words, so runs of Han characters go through jieba's search mode
(each word plus the shorter dictionary words inside it: 旅游业 gives 旅游, 游业, 旅游业).
Other letters and digits form words of their own, folded to lower case without accents
("Côte" gives "cote") and reduced to their English stem (Snowball's Porter2, so that
"entrepreneurs" and "entrepreneur" are one word). Punctuation and spaces only separate
words, and web addresses are no words at all (a link to ".../women-and-ip" is not about
women). The database never segments anything itself: it receives these tokens joined by
spaces, so SQLite and PostgreSQL find exactly the same records.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

import platformdirs
import Stemmer

if TYPE_CHECKING:
    import jieba

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{_HAN}]")
_RUN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>[^\W_{_HAN}]+)")
_WORD = re.compile(r"[^\W_]+")
# A web address or e-mail address, in the ASCII characters addresses are made of (Chinese
# text runs straight on after an address, with no space between).
_ADDRESS = re.compile(
    r"(?:(?<![A-Za-z0-9])(?:https?|ftp)://|(?<![A-Za-z0-9.])www\.)"
    r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
    r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
# English plurals Porter2 leaves apart from their singular.
_IRREGULAR = {"women": "woman", "men": "man", "children": "child"}

_stemmer = Stemmer.Stemmer("english")
_segmenter_lock = threading.Lock()
_segmenter_instance: jieba.Tokenizer | None = None
_lookups = False  # see prefer_lookups


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


def cache_folder() -> Path:
    """Where jieba keeps its prepared dictionary: the user's own cache folder, not the
    shared /tmp, where another user could plant a file that jieba would load."""
    return Path(platformdirs.user_cache_dir("devagenda", appauthor=False)) / "jieba"


def segmenter() -> jieba.Tokenizer:
    """jieba's dictionary takes about a second and 100 MB to load: once per process, under
    a lock, so that concurrent first searches wait for one load instead of each making its
    own. `devagenda.api` loads it when the app starts, off any request's path.

    A private tokenizer, so that words another module adds to jieba's global dictionary
    cannot make documents and queries segment differently.
    """
    global _segmenter_instance
    if _segmenter_instance is not None:
        return _segmenter_instance
    with _segmenter_lock:
        if _segmenter_instance is None:
            folder = cache_folder()
            folder.mkdir(parents=True, exist_ok=True)
            make = _lookup_segmenter if _lookups else _loaded_segmenter
            _segmenter_instance = make(folder)
    return _segmenter_instance


def prefer_lookups() -> None:
    """For a process that segments a few short texts (a command-line search): look words
    up one by one in an on-disk copy of jieba's dictionary (`devagenda.search.dictionary`)
    rather than load the whole of it. The words are the same either way. The copy is read
    through one sqlite3 connection: for single-threaded processes only."""
    global _lookups
    _lookups = True


def _loaded_segmenter(folder: Path) -> jieba.Tokenizer:
    loaded = _import_jieba().Tokenizer()
    loaded.tmp_dir = str(folder)
    loaded.initialize()
    return loaded


def _lookup_segmenter(folder: Path) -> jieba.Tokenizer:
    """A tokenizer over the copy of the dictionary; when there is none yet, the loaded
    dictionary, copied for the next process (if the cache folder can hold the copy)."""
    from devagenda.search import dictionary

    _import_jieba()
    try:
        quick = dictionary.lookup_tokenizer(folder)
    except (OSError, sqlite3.Error):
        quick = None  # unreadable: made again below
    if quick is not None:
        return quick
    loaded = _loaded_segmenter(folder)
    # If the copy cannot be written, this process has the whole dictionary all the same,
    # and the next one tries again.
    with contextlib.suppress(OSError, sqlite3.Error):
        dictionary.write_copy(folder, loaded)
    return loaded


def _import_jieba() -> ModuleType:
    """jieba, quietly. It imports pkg_resources (a tenth of a second, and deprecated)
    only to open its own data files, and opens them directly without it: it is kept
    from importing it, and nothing else in the process is affected."""
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def is_han(text: str) -> bool:
    return bool(HAN.search(text))


def bare(word: str) -> list[str]:
    """Lower case, no accents, compatibility forms unified (ＡＢＣ, ½); may split a word.
    The final NFC puts back what NFKD took apart without being an accent (Hangul)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word).casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(unicodedata.normalize("NFC", letters))


@lru_cache(maxsize=65536)
def fold(word: str) -> tuple[str, ...]:
    """`bare`, then stemmed: what the index stores for a word in Latin or other script."""
    return tuple(stem(w) for w in bare(word))


def stem(word: str) -> str:
    """The English stem of a folded word; digits and other scripts pass through."""
    return _IRREGULAR.get(word) or _stemmer.stemWord(word)


def without_addresses(text: str) -> str:
    """`text` with web and e-mail addresses blanked out, character for character, so that
    the places of the other words stay where they were."""
    return _ADDRESS.sub(lambda match: " " * len(match.group()), text)


def _han_spans(run: str, offset: int) -> list[Span]:
    return [Span(word, offset + start, offset + end) for word, start, end in _han_words(run)]


# Short runs and lines are cut once per process: they are what repeats from one entry to
# the next (country names, 研讨会, a city, a unit), and so the caches stay small.
_CACHED_LENGTH = 200


def _han_words(run: str) -> tuple[tuple[str, int, int], ...]:
    """jieba's search-mode words of one Han run with their places in it (jieba cuts a
    run the same way wherever it stands)."""
    if len(run) > _CACHED_LENGTH:
        return tuple(segmenter().tokenize(run, mode="search"))
    return _short_han_words(run)


@lru_cache(maxsize=16384)
def _short_han_words(run: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(segmenter().tokenize(run, mode="search"))


def _han_whole_words(run: str) -> tuple[str, ...]:
    """jieba's words of one Han run, without the shorter words inside them."""
    if len(run) > _CACHED_LENGTH:
        return tuple(word for word, _start, _end in segmenter().tokenize(run))
    return _short_han_whole_words(run)


@lru_cache(maxsize=16384)
def _short_han_whole_words(run: str) -> tuple[str, ...]:
    return tuple(word for word, _start, _end in segmenter().tokenize(run))


@lru_cache(maxsize=2048)
def token_spans(text: str) -> tuple[Span, ...]:
    """Every token of `text` with its place; cached because snippets segment the same
    popular hits again and again."""
    return _spans(text)


def line_tokens(line: str) -> tuple[str, ...]:
    """The tokens of one line of an entry's text. No token spans two lines (neither a
    word nor an address holds a line break), so the tokens of a text are those of its
    lines, one after the other; a short line is cut once (apart from the snippets' cache)."""
    if len(line) > _CACHED_LENGTH:
        return tuple(span.token for span in _spans(line))
    return _short_line_tokens(line)


@lru_cache(maxsize=16384)
def _short_line_tokens(line: str) -> tuple[str, ...]:
    return tuple(span.token for span in _spans(line))


def _spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    for match in _RUN.finditer(without_addresses(text)):
        if match.group("han"):
            spans.extend(_han_spans(match.group(), match.start()))
        else:
            spans.extend(Span(token, match.start(), match.end()) for token in fold(match.group()))
    return tuple(spans)


def tokenize(text: str) -> list[str]:
    """The tokens the index stores for `text`, in reading order."""
    return [span.token for span in token_spans(text)]


def words(text: str) -> list[str]:
    """`text` cut into whole words without the shorter words inside them: Han runs as
    jieba cuts them, other words folded and stemmed. Names are compared in these."""
    pieces: list[str] = []
    for match in _RUN.finditer(without_addresses(text)):
        if match.group("han"):
            pieces.extend(_han_whole_words(match.group()))
        else:
            pieces.extend(fold(match.group()))
    return pieces


def name_key(pieces: list[str]) -> str:
    """One spelling of a name's words, for exact comparison: Han words run together as
    Chinese is written (so that how jieba happened to cut a name does not matter), other
    words apart."""
    key = ""
    for piece in pieces:
        if key and not (is_han(piece) and is_han(key[-1])):
            key += " "
        key += piece
    return key


def runs(text: str) -> list[str]:
    """The Han runs and other words of `text`, as written."""
    return [match.group() for match in _RUN.finditer(without_addresses(text))]


def plain_words(text: str) -> list[str]:
    """Like `words`, but folded without stemming and Han runs whole (for prefixes, which
    the user wrote as the beginning of a word, not of a stem)."""
    pieces: list[str] = []
    for run in runs(text):
        pieces.extend([run] if is_han(run) else bare(run))
    return pieces


def word_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of `text` not in Han script, addresses left out."""
    return [
        (match.start(), match.end(), match.group())
        for match in _RUN.finditer(without_addresses(text))
        if match.group("word")
    ]
