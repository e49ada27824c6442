"""The query language: words, "phrases", prefix*, OR, NOT and -word.

A query is read into clauses that must all match (`required`) and clauses that must not
(`excluded`); a clause matches when any of its items does (items joined by OR). What the
reader cannot make sense of is not silently dropped: it becomes a `Notice` saying what was
done instead, which every interface shows.

    women entrepreneurs      both words (in any form: woman, entrepreneurship)
    "technical assistance"   the words in this order; 「美食旅游」 or "美食旅游" exactly
    wom*                     words starting with wom
    women OR men             either word
    -women, NOT women        records without the word
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devagenda.search.segment import fold, is_han

MAX_QUERY_CHARS = 200  # longer queries are cut: they only cost time
MIN_PREFIX_CHARS = 2
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}
_ITEM = re.compile(r"\S+")


@dataclass(frozen=True)
class Notice:
    """Something about the query the reader should know. `code` names it for interfaces
    that translate; `text` says it in English; `subject` is the part of the query meant."""

    code: str
    text: str
    subject: str = ""


@dataclass(frozen=True)
class Words:
    """Text the user typed as words (one or more tokens once segmented)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str  # without the star


Item = Words | Phrase | Prefix


@dataclass(frozen=True)
class Clause:
    items: tuple[Item, ...]  # any of them


@dataclass(frozen=True)
class ParsedQuery:
    required: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    notices: tuple[Notice, ...] = field(default=())

    @property
    def blank(self) -> bool:
        return not self.required and not self.excluded


@dataclass
class _Reader:
    notices: list[Notice] = field(default_factory=list)

    def note(self, code: str, text: str, subject: str = "") -> None:
        notice = Notice(code, text, subject)
        if notice not in self.notices:
            self.notices.append(notice)


def parse(query: str) -> ParsedQuery:
    """Read a query; never fails, but says in notices what it could not understand."""
    reader = _Reader()
    if len(query) > MAX_QUERY_CHARS:
        reader.note("truncated", f"Only the first {MAX_QUERY_CHARS} characters were searched.", "")
        query = query[:MAX_QUERY_CHARS]
    tokens = _lex(query, reader)
    required: list[Clause] = []
    excluded: list[Clause] = []
    negate = False
    pending_or = False
    for token in tokens:
        if token == ("op", "OR"):
            if pending_or or not (required or excluded) or negate:
                reader.note("dangling_or", "OR needs a word on each side; it was ignored.", "OR")
            pending_or = True
            continue
        if token == ("op", "NOT"):
            if negate:
                reader.note("double_not", "NOT NOT was read as one NOT.", "NOT")
            negate = True
            continue
        if token == ("op", "AND"):
            continue
        item = _item(token, reader)
        if item is None:
            continue
        if pending_or and not negate and required:
            required[-1] = Clause((*required[-1].items, item))
        elif pending_or and negate and excluded:
            excluded[-1] = Clause((*excluded[-1].items, item))
        elif negate:
            excluded.append(Clause((item,)))
        else:
            required.append(Clause((item,)))
        negate = pending_or = False
    if pending_or and (required or excluded):
        reader.note("dangling_or", "OR needs a word on each side; it was ignored.", "OR")
    if negate:
        reader.note("dangling_not", "NOT or - needs a word after it; it was ignored.", "NOT")
    return ParsedQuery(tuple(required), tuple(excluded), tuple(reader.notices))


Token = tuple[str, str]  # ("op", "OR") | ("phrase", text) | ("word", text) | ("not", "")


def _lex(query: str, reader: _Reader) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(query):
        char = query[position]
        if char.isspace():
            position += 1
            continue
        if char == "-" and position + 1 < len(query) and not query[position + 1].isspace():
            tokens.append(("op", "NOT"))
            position += 1
            continue
        if char in _QUOTES:
            close = query.find(_QUOTES[char], position + 1)
            if close == -1:
                rest = query[position + 1 :]
                reader.note(
                    "unclosed_quote",
                    "A quotation mark was not closed: the words after it were searched one by one.",
                    char + rest,
                )
                tokens.extend(("word", w) for w in _ITEM.findall(rest))
                break
            tokens.append(("phrase", query[position + 1 : close]))
            position = close + 1
            continue
        match = _ITEM.match(query, position)
        assert match is not None  # not a space, so at least one character
        text = match.group()
        # A quotation mark inside the word starts a phrase there.
        inner = next((i for i, c in enumerate(text) if c in _QUOTES), None)
        if inner:
            text = text[:inner]
        position = match.start() + len(text)
        if text in ("OR", "|", "AND", "NOT", "&"):
            tokens.append(("op", {"|": "OR", "&": "AND"}.get(text, text)))
        else:
            tokens.append(("word", text))
    return tokens


def _item(token: Token, reader: _Reader) -> Item | None:
    kind, text = token
    if kind == "phrase":
        if not _has_words(text):
            reader.note("empty_phrase", "A pair of quotation marks held no words.", f'"{text}"')
            return None
        return Phrase(text)
    if "(" in text or ")" in text:
        reader.note(
            "brackets",
            "Brackets do not group words here; they were ignored. "
            "Write alternatives as: women OR men.",
            text,
        )
    if text.endswith("*"):
        stem = text.rstrip("*")
        if "*" in stem:
            reader.note("star_inside", "A * only works at the end of a word.", text)
        core = stem.replace("*", "")
        if len(core) < MIN_PREFIX_CHARS or not _has_words(core):
            reader.note(
                "short_prefix",
                f"A word ending in * needs at least {MIN_PREFIX_CHARS} letters before it; "
                "it was ignored.",
                text,
            )
            return None
        return Prefix(core)
    if "*" in text:
        reader.note("star_inside", "A * only works at the end of a word.", text)
        text = text.replace("*", " ")
    if not _has_words(text):
        if text.strip("()"):
            reader.note("no_words", "This part holds no letters or digits; it was ignored.", text)
        return None
    return Words(text)


def _has_words(text: str) -> bool:
    return any(fold(part) for part in text.split()) or is_han(text)
