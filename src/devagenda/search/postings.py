"""In-memory id sets of the index's common tokens, so that a common word costs set
operations instead of a full-text scan.

At a million entries a word such as 知识产权 matches 150,000 of them: the full-text engine
takes longer to hand over those ids than everything else a search does. Each process
therefore keeps, for the tokens that many entries hold (about COMMON_MIN_ENTRIES or more),
the set of entries holding each one, and of those holding it in the title, as roaring
bitmaps (`pyroaring`). A long English stem is searched as a prefix (entrepreneur also finds
entrepreneurship), so such a token's prefix gets a set of its own (a key ending in "*").
Rarer tokens and other prefixes still go to the engine, which is cheap for them; a phrase
or a quoted Chinese string is tested, by the engine's own rule, only on the entries that
hold all its tokens; `evaluate` combines all of it with AND, OR and NOT.

The sets are read from the engine itself, not from our own reading of the tokens, so they
are exactly what a full-text match would return: per token from FTS5, or from each entry's
tsvector on PostgreSQL. They are kept per chunk of entry ids under the chunk tokens that
`devagenda.search.facets` watches, so a write by any process reloads only its chunks.
Which tokens are common is decided from a sample of entries when a process first reads
the index, and again whenever the index has doubled or halved since.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from pyroaring import BitMap

from devagenda.search.layout import CHUNK_SIZE
from devagenda.search.matching import (
    FTS5,
    All,
    Any_,
    Contains,
    InOrder,
    Node,
    Term,
    has_contains,
    latin_term,
)
from devagenda.search.segment import is_han

if TYPE_CHECKING:
    from devagenda.core.sqlreader import Reader

COMMON_MIN_ENTRIES = 2000  # below this the engine hands over a token's ids in a few ms
MAX_COMMON_TOKENS = 4096  # bounds memory whatever the vocabulary
SAMPLE_ENTRIES = 10_000  # entries read to estimate how many hold each token
TITLE_WEIGHT = 10.0  # as services.TITLE_WEIGHT: a title match counts ten body matches
MAX_ID = 2**32  # roaring bitmaps hold 32-bit ids
PREFIX = "*"  # ends the key of a prefix's set; no token holds it
_SEPARATOR = "\x1f"  # the ASCII unit separator: no token holds it
_RECORD = "\x1e"


@dataclass(frozen=True)
class ChunkPostings:
    """The sets of one chunk, read in the state its token names."""

    token: str
    entries: dict[str, BitMap]
    titles: dict[str, BitMap]


@dataclass(frozen=True)
class Postings:
    """The sets of the whole index, for one state of it."""

    entries: dict[str, BitMap] = field(default_factory=dict)
    titles: dict[str, BitMap] = field(default_factory=dict)
    total: int = 0  # entries in the index

    def holds(self, token: str) -> bool:
        return token in self.entries

    def nbytes(self) -> int:
        """Bytes the sets' containers take (what `bench/` reports as their memory)."""
        return sum(s.__sizeof__() for s in (*self.entries.values(), *self.titles.values()))


@dataclass
class PostingState:
    """What one process holds for one database: the common tokens and each chunk's sets."""

    common: frozenset[str] | None = None
    basis: int = 0  # entries in the index when `common` was chosen
    chunks: dict[int, ChunkPostings] = field(default_factory=dict)
    postings: Postings = field(default_factory=Postings)


def refresh(reader: Reader, state: PostingState, tokens: Mapping[int, str], total: int) -> None:
    """Bring `state` to the index state `tokens` names (chunk -> token), `total` entries:
    chunks whose token changed are read again, all of them when the common tokens are
    chosen anew."""
    if state.common is None or _grown(state.basis, total):
        state.common = choose_common(reader, total)
        state.basis = total
        state.chunks.clear()
    for number in [n for n in state.chunks if n not in tokens]:
        del state.chunks[number]
    stale = {
        n: token
        for n, token in tokens.items()
        if n not in state.chunks or state.chunks[n].token != token
    }
    if stale:
        state.chunks.update(read_chunks(reader, state.common, stale))
    state.postings = _combine(state.chunks.values(), state.common, total)


def _grown(basis: int, total: int) -> bool:
    """Whether the index changed size enough for other tokens to have become common."""
    if total < COMMON_MIN_ENTRIES and basis < COMMON_MIN_ENTRIES:
        return False
    return total > 2 * basis or 2 * total < basis


def choose_common(reader: Reader, total: int) -> frozenset[str]:
    """The tokens that about COMMON_MIN_ENTRIES entries or more hold, estimated from
    every n-th entry (the most common first, at most MAX_COMMON_TOKENS)."""
    if total < COMMON_MIN_ENTRIES:
        return frozenset()
    ((highest,),) = reader.rows("SELECT max(id) FROM search_entry")
    if (highest or 0) >= MAX_ID:
        return frozenset()  # ids beyond what a roaring bitmap holds: the engine does it all
    step = max(1, total // SAMPLE_ENTRIES)
    held: Counter[str] = Counter()
    for (tokens,) in reader.rows("SELECT tokens FROM search_entry WHERE id % :step = 0", step=step):
        held.update(set(tokens.split()))
    wanted = math.ceil(COMMON_MIN_ENTRIES / step)
    common = [token for token, n in held.most_common(MAX_COMMON_TOKENS) if n >= wanted]
    stems = [latin_term(token) for token in common if not is_han(token)]
    return frozenset(common) | {key(term) for term in stems if term.prefix}


def key(term: Term) -> str:
    """The key of a term's set: the token, or the prefix followed by PREFIX."""
    return term.word + PREFIX if term.prefix else term.word


def read_chunks(
    reader: Reader, common: frozenset[str], tokens: Mapping[int, str]
) -> dict[int, ChunkPostings]:
    """The sets of the chunks in `tokens` (chunk -> its token), read in one pass."""
    numbers = sorted(tokens)
    entries: dict[int, dict[str, BitMap]] = {n: {} for n in numbers}
    titles: dict[int, dict[str, BitMap]] = {n: {} for n in numbers}
    if common:
        read = _read_sqlite if reader.dialect == "sqlite" else _read_postgresql
        read(reader, common, numbers, entries, titles)
    return {n: ChunkPostings(tokens[n], entries[n], titles[n]) for n in numbers}


def _read_sqlite(
    reader: Reader,
    common: frozenset[str],
    numbers: list[int],
    entries: dict[int, dict[str, BitMap]],
    titles: dict[int, dict[str, BitMap]],
) -> None:
    """One FTS5 match per token (and per token in titles) over the chunks' range of ids:
    FTS5 seeks to a rowid range, and the ids come back as one string."""
    low, high = numbers[0] * CHUNK_SIZE, (numbers[-1] + 1) * CHUNK_SIZE
    statement = (
        "SELECT group_concat(rowid) FROM search_fts "
        "WHERE search_fts MATCH :q AND rowid >= :low AND rowid < :high"
    )
    for token in sorted(common):
        quoted = FTS5.prefix(token[:-1]) if token.endswith(PREFIX) else FTS5.quote(token)
        for target, query in ((entries, quoted), (titles, f"title_tokens : {quoted}")):
            ((found,),) = reader.rows(statement, q=query, low=low, high=high)
            ids = np.array(found.split(","), np.uint32) if found else np.zeros(0, np.uint32)
            _split(ids, token, target)


def _read_postgresql(
    reader: Reader,
    common: frozenset[str],
    numbers: list[int],
    entries: dict[int, dict[str, BitMap]],
    titles: dict[int, dict[str, BitMap]],
) -> None:
    """Each entry's lexemes as its tsvector holds them (all, and those of weight A, the
    title's), a chunk at a time as one string: one pass over the chunk instead of a GIN
    scan of the whole index per token."""
    statement = (
        "SELECT string_agg(id::text || chr(31) || array_to_string(tsvector_to_array("
        "search_vector), chr(31)), chr(30)), string_agg(id::text || chr(31) || "
        "array_to_string(tsvector_to_array(ts_filter(search_vector, '{a}')), chr(31)), chr(30)) "
        "FROM search_entry WHERE id >= :low AND id < :high"
    )
    exact = frozenset(token for token in common if not token.endswith(PREFIX))
    prefixes = frozenset(token[:-1] for token in common if token.endswith(PREFIX))
    for number in numbers:
        low, high = number * CHUNK_SIZE, (number + 1) * CHUNK_SIZE
        ((every, in_title),) = reader.rows(statement, low=low, high=high)
        for joined, target in ((every, entries), (in_title, titles)):
            rows = [row.split(_SEPARATOR) for row in joined.split(_RECORD)] if joined else []
            lexemes: set[str] = set().union(*(row[1:] for row in rows))
            extended = _starting(lexemes, prefixes)
            held: dict[str, list[int]] = {}
            for entry, *words in rows:
                for token in exact.intersection(words):
                    held.setdefault(token, []).append(int(entry))
                for lexeme in extended.keys() & set(words):
                    for prefix in extended[lexeme]:
                        held.setdefault(prefix, []).append(int(entry))
            target[number] = {token: BitMap(ids) for token, ids in held.items()}


def _starting(lexemes: Iterable[str], prefixes: frozenset[str]) -> dict[str, list[str]]:
    """For each lexeme that starts with some of `prefixes`: the keys of their sets."""
    found: dict[str, list[str]] = {}
    for lexeme in lexemes:
        keys = [lexeme[:n] + PREFIX for n in range(1, len(lexeme) + 1) if lexeme[:n] in prefixes]
        if keys:
            found[lexeme] = keys
    return found


def _split(ids: np.ndarray, token: str, target: dict[int, dict[str, BitMap]]) -> None:
    """File sorted ids under their chunks (those being read; others are left alone)."""
    chunk_of = ids >> 16 if CHUNK_SIZE == 65536 else ids // CHUNK_SIZE
    bounds = np.searchsorted(chunk_of, list(target), side="left")
    ends = np.searchsorted(chunk_of, list(target), side="right")
    for number, start, end in zip(target, bounds, ends, strict=True):
        if end > start:
            target[number][token] = BitMap(ids[start:end])


def _combine(chunks: Iterable[ChunkPostings], common: frozenset[str], total: int) -> Postings:
    held = list(chunks)

    def union(token: str, part: Callable[[ChunkPostings], dict[str, BitMap]]) -> BitMap:
        return BitMap.union(BitMap(), *(part(c)[token] for c in held if token in part(c)))

    return Postings(
        entries={token: union(token, lambda c: c.entries) for token in common},
        titles={token: union(token, lambda c: c.titles) for token in common},
        total=total,
    )


# -- evaluating a query --------------------------------------------------------------------

EngineIds = Callable[[Node, bool], np.ndarray]
"""The engine's sorted entry ids for a node (in titles only, when the flag is set)."""
Verify = Callable[[Contains | InOrder, np.ndarray], np.ndarray]
"""Those of the given sorted entry ids that match the node: whose text holds the string
(Contains), or the tokens next to each other (InOrder)."""


def uses_postings(node: Node, postings: Postings) -> bool:
    """Whether a token of `node` that the sets hold would be matched from them."""
    if isinstance(node, Term):
        return any(map(postings.holds, (key(node), *node.parts)))
    if isinstance(node, InOrder):
        return all(map(postings.holds, node.tokens))
    if isinstance(node, All):
        plain = [child for child in node.children if not has_contains(child)]
        return any(uses_postings(child, postings) for child in plain)
    if isinstance(node, Any_) and not has_contains(node):
        return any(uses_postings(child, postings) for child in node.children)
    return False


@dataclass
class Evaluation:
    """A node's matching entries, and what scoring them needs: per leaf of the tree, the
    entries holding it, those holding it in the title, and its weight."""

    engine: EngineIds
    verify: Verify
    postings: Postings
    leaves: list[tuple[BitMap, BitMap, float]] = field(default_factory=list)
    scored: bool = True

    def node(self, node: Node) -> BitMap:
        if isinstance(node, Term) and node.prefix:
            return self._token(key(node)) if self.postings.holds(key(node)) else self._leaf(node)
        if isinstance(node, Term):
            own = self._token(node.word)
            if not node.parts:
                return own
            return own | BitMap.intersection(*(self._token(p) for p in node.parts))
        if isinstance(node, InOrder) and self._held(node):
            return self._in_order(node, BitMap())
        if isinstance(node, All) and uses_postings(node, self.postings):
            return self._all(node)
        if isinstance(node, Any_) and uses_postings(node, self.postings):
            return self._any(node)
        return self._leaf(node)

    def _any(self, node: Any_) -> BitMap:
        """Phrases last, each tested only on entries no other alternative matched (a
        country's "Republic of Peru" adds nothing to "Peru" and needs no test at all)."""
        phrases = [c for c in node.children if isinstance(c, InOrder) and self._held(c)]
        found = BitMap.union(BitMap(), *(self.node(c) for c in node.children if c not in phrases))
        for phrase in phrases:
            found |= self._in_order(phrase, found)
        return found

    def _held(self, node: InOrder) -> bool:
        return uses_postings(node, self.postings)

    def _in_order(self, node: InOrder, known: BitMap) -> BitMap:
        """A phrase of common tokens: the entries holding them all (but those `known`
        to match already), then the phrase tested on those only. In the title when all
        its tokens are (for the score)."""
        entries = [self.postings.entries[token] for token in node.tokens]
        titles = [self.postings.titles[token] for token in node.tokens]
        candidates = BitMap.intersection(*entries) - known
        found = BitMap(self.verify(node, _array(candidates))) if candidates else BitMap()
        return self._note(found, found & BitMap.intersection(*titles))

    def _all(self, node: All) -> BitMap:
        """The words from memory first; then the engine, or a substring test, narrows
        them down (a quoted Chinese phrase is tested on these candidates only)."""
        plain = [child for child in node.children if not has_contains(child)]
        found = BitMap.intersection(*(self.node(child) for child in plain))
        for child in node.children:
            if not has_contains(child):
                continue
            if isinstance(child, Contains):
                found = BitMap(self.verify(child, _array(found)))
            else:
                found &= self._leaf(child)
        return found

    def _token(self, token: str) -> BitMap:
        if token in self.postings.entries:
            found = self.postings.entries[token]
            return self._note(found, self.postings.titles[token])
        return self._leaf(Term(token))

    def _leaf(self, node: Node) -> BitMap:
        found = BitMap(self.engine(node, False))
        titled = BitMap(self.engine(node, True)) if self.scored else BitMap()
        return self._note(found, titled)

    def _note(self, found: BitMap, titled: BitMap) -> BitMap:
        if self.scored:
            weight = math.log(1 + self.postings.total / max(1, len(found)))
            self.leaves.append((found, titled, weight))
        return found

    def scores(self, ids: np.ndarray, matched: BitMap) -> np.ndarray:
        """A cheap relevance per matching entry (ids sorted): the sum of the weights of
        the leaves it holds, a leaf in the title counting TITLE_WEIGHT times; rarer
        leaves weigh more (idf). No term frequencies: those are in the engine only."""
        if not len(ids):
            return np.zeros(0)
        dense = np.zeros(int(ids[-1]) + 1)  # by entry id: no search for each id's place
        for found, titled, weight in self.leaves:
            for part, factor in ((found, 1.0), (titled, TITLE_WEIGHT - 1.0)):
                dense[np.frombuffer((part & matched).to_array(), np.uint32)] += factor * weight
        return dense[ids]


def _array(ids: BitMap) -> np.ndarray:
    return np.frombuffer(ids.to_array(), np.uint32)


def evaluate(
    node: Node, postings: Postings, engine: EngineIds, verify: Verify, *, scored: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Sorted ids of the entries matching `node` (with their scores when `scored`)."""
    evaluation = Evaluation(engine, verify, postings, scored=scored)
    matched = evaluation.node(node)
    ids = np.frombuffer(matched.to_array(), np.uint32).astype(np.int64)
    return ids, evaluation.scores(ids, matched) if scored else None
