"""Facet counts of a list from in-memory integer columns, counted with NumPy.

Counting a facet with SQL is a GROUP BY over every row the other filters let through:
about a second per facet at a million rows, whatever the indexes. A `ListSource` that
declares `InMemory` instead keeps, in each process, the codes of its facets' values: one
integer per row for a `ColumnFacet`, one (row, value) pair per link for a `LinkFacet`
(also laid out as a few slots per row). A request turns each chosen facet value into a
mask over the rows and counts each facet over the rows the other masks let through, in
whichever way costs less for that selection: a popcount of each value's bitmap ANDed
with the selection's (a fixed cost, 16 KB per value per 100,000 rows, whatever the
selection's size), or a `bincount` of the codes gathered at the chosen rows (cheaper for
a few thousand rows). All 15 facets of a million activities: under 10 ms.

The columns are read per chunk of CHUNK_SIZE keys. Triggers give a chunk a new token in
`list_chunk` whenever a row of its range, or a link of such a row, is written (migration
0018 for activities), and chunk -1 a new one when reference data every chunk reads
changes. A request reads the tokens (one small query) and reloads only the chunks whose
token changed; since a token names one state of its chunk, several `devagenda serve`
processes sharing a database each see the others' writes on their next request. The
chunk-token bookkeeping is `devagenda.core.chunks`, shared with the search index.

Two more things are held per chunk when the list declares them (`InMemory.texts`,
`InMemory.sorts`): the text its `q` filter matches, folded as the engine's ILIKE folds it,
joined into one string per chunk and indexed by its trigrams, so that a substring is
found among the few keys holding all of its trigrams instead of by a scan of every
title; and the values of its sorts as integers, so that a sorted page is the top of the
selection by `argpartition` instead of a sort by the database, and a date range
(`listing.Bound`) a comparison of those integers.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import and_, select

from devagenda.core import chunks
from devagenda.core.chunks import Vocabulary

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from devagenda.core.listing import Bound, ListSource, Selection

CHUNK_SIZE = 16384  # keys per list_chunk row (migration 0018's triggers use it too)
WHOLE_LIST = -1  # the chunk whose token covers what every chunk reads
MATCHES_KEPT = 32  # the latest searches' keys kept per state of a list
NO_VALUE = np.iinfo(np.int64).max  # a sort value not stated (NULL): last in both directions
_EPOCH = np.datetime64("1970-01-01", "D")


GRAM = 3  # characters per gram of the text index
CONFIRM_SHARE = 0.25  # beyond this share of a chunk's keys as candidates, scan instead
SMALL_SELECTION = 32  # a selection of under 1/32 of the rows is sorted on its own


@dataclass(frozen=True)
class _Text:
    """A chunk's folded texts: each key's texts joined, each followed by the unit
    separator, then the next key's. `starts[i]` is where the texts of `keys[i]` begin;
    a last start marks the end.

    With them, an index of the trigrams (three characters, none a separator) the texts
    hold: `grams` sorted, and for `grams[g]` the places of the keys holding it,
    `gram_keys[gram_starts[g]:gram_starts[g + 1]]` ascending. A needle's candidates are
    the keys holding all of its trigrams; a needle of three characters is then matched
    exactly, a longer one confirmed by `find` in each candidate's texts."""

    keys: np.ndarray  # int64, ascending
    starts: array  # of int64, one more than keys
    joined: str
    grams: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    gram_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    gram_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint16))

    @classmethod
    def indexed(cls, keys: np.ndarray, starts: array, joined: str) -> _Text:
        points = _code_points(joined)
        ends = np.frombuffer(starts, np.int64)[1:]
        grams = _grams_of(points)
        # The place of the key whose texts hold each gram: grams never span a separator,
        # and every key's texts end with one.
        places = np.searchsorted(ends, np.arange(len(grams)), side="right")
        kept = (
            (points[: len(grams)] != _SEPARATOR_POINT)
            & (points[1 : len(grams) + 1] != _SEPARATOR_POINT)
            & (points[2 : len(grams) + 2] != _SEPARATOR_POINT)
        )
        grams, places = grams[kept], places[kept]
        order = np.argsort(grams, kind="stable")  # places stay ascending within a gram
        grams, places = grams[order], places[order]
        first = np.ones(len(grams), bool)
        first[1:] = (grams[1:] != grams[:-1]) | (places[1:] != places[:-1])
        grams, places = grams[first], places[first]
        new_gram = np.ones(len(grams), bool)
        new_gram[1:] = grams[1:] != grams[:-1]
        at = np.flatnonzero(new_gram)
        gram_starts = np.append(at, len(grams)).astype(np.int64)
        return cls(keys, starts, joined, grams[at], gram_starts, places.astype(np.uint16))

    def matching(self, needle: str) -> np.ndarray:
        """The keys with a text containing `needle` (folded, without separators),
        ascending."""
        candidates = self._candidates(needle)
        if candidates is None:
            return self._scanned(needle)
        if len(needle) == GRAM:  # its one trigram is the whole needle
            return self.keys[candidates]
        # One `find` per candidate within its own texts, mapped in C: no bytecode per key.
        starts = np.frombuffer(self.starts, np.int64)
        spans = starts[candidates].tolist(), starts[candidates + 1].tolist()
        at = map(self.joined.find, repeat(needle), *spans)
        return self.keys[candidates[np.fromiter(at, np.int64, len(candidates)) >= 0]]

    def _candidates(self, needle: str) -> np.ndarray | None:
        """The places of the keys holding every trigram of `needle`; None when the index
        cannot narrow it (a needle shorter than a trigram, too many candidates)."""
        if len(needle) < GRAM or len(self.grams) == 0:
            return None
        wanted = np.sort(_grams_of(_code_points(needle)))  # searchsorted needs them sorted
        at = np.searchsorted(self.grams, wanted)
        if np.any(at >= len(self.grams)) or np.any(
            self.grams[np.minimum(at, len(self.grams) - 1)] != wanted
        ):
            return np.zeros(0, np.int64)  # a trigram no text of the chunk holds
        lists = sorted(
            (self.gram_keys[self.gram_starts[g] : self.gram_starts[g + 1]] for g in at), key=len
        )
        found = lists[0]
        for more in lists[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, more, assume_unique=True)
        if len(needle) > GRAM and len(found) > CONFIRM_SHARE * len(self.keys):
            return None  # one scan of the chunk costs less than a find per candidate
        return found.astype(np.int64)

    def _scanned(self, needle: str) -> np.ndarray:
        """The keys by scanning the joined texts: one `find` per matching key, as a match
        skips the rest of its key's texts."""
        found: list[int] = []
        starts, joined = self.starts, self.joined
        at = joined.find(needle)
        while at >= 0:
            place = bisect.bisect_right(starts, at) - 1
            found.append(place)
            at = joined.find(needle, starts[place + 1])
        return self.keys[np.array(found, np.int64)]


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def _grams_of(points: np.ndarray) -> np.ndarray:
    """Each trigram of a text as one integer: three code points of 21 bits each."""
    if len(points) < GRAM:
        return np.zeros(0, np.uint64)
    wide = points.astype(np.uint64)
    return (wide[:-2] << np.uint64(42)) | (wide[1:-1] << np.uint64(21)) | wide[2:]


@dataclass(frozen=True)
class _Chunk:
    keys: np.ndarray  # int64, sorted
    columns: dict[str, np.ndarray]  # column facet -> int32 code per key
    links: dict[str, tuple[np.ndarray, np.ndarray]]  # link facet -> (key, code) pairs
    sorts: dict[str, np.ndarray] = field(default_factory=dict)  # sort -> int64 per key
    text: _Text | None = None
    text_columns: dict[str, np.ndarray] = field(default_factory=dict)  # -> int32 code per key


# What one unit of each way of counting costs, roughly (ns): a popcount of a 64-bit word of
# a value's bitmap, and a chosen row's code gathered and counted (per slot).
BIT_COST = 1.5
GATHER_COST = 5.0
MAX_SLOTS = 4  # values per row held in slots; a row's further values are held as pairs
SLOTS_COVER = 0.99  # the fewest slots that hold this share of a facet's pairs


@dataclass(frozen=True)
class _Slots:
    """A link facet's distinct (row, value) pairs laid out for counting: `values[s, row]`
    is the code + 1 of the row's s-th value (0: none), for the first few values of each
    row; the rest (rows with more values than slots) as pairs, sorted by row. Counting a
    selection is then a gather of each slot at the chosen rows and one `bincount`, not a
    walk over the pairs of each row."""

    values: np.ndarray  # (slots, rows), uint16 or int32: code + 1, 0 for no value
    extra_rows: np.ndarray  # int32, ascending
    extra_codes: np.ndarray  # int32

    def arrays(self) -> list[np.ndarray]:
        return [self.values, self.extra_rows, self.extra_codes]

    @classmethod
    def of(cls, rows: np.ndarray, codes: np.ndarray, size: int, vocabulary: int) -> _Slots:
        """From distinct pairs sorted by (row, code) over `size` rows."""
        starts = np.searchsorted(rows, np.arange(size + 1))
        rank = np.arange(len(rows)) - starts[rows]
        per_rank = np.bincount(rank) if len(rank) else np.zeros(1, np.int64)
        covered = np.cumsum(per_rank) >= SLOTS_COVER * len(rank)
        slots = min(MAX_SLOTS, int(np.argmax(covered)) + 1)
        dtype = np.uint16 if vocabulary < np.iinfo(np.uint16).max else np.int32
        values = np.zeros((slots, size), dtype)
        inside = rank < slots
        values[rank[inside], rows[inside]] = codes[inside] + 1
        return cls(values, rows[~inside].astype(np.int32), codes[~inside].astype(np.int32))

    def counts(self, rows: np.ndarray, chosen: np.ndarray, vocabulary: int) -> np.ndarray:
        """Per code, the chosen rows holding it; at -1 (the last place), those holding
        none. `rows` are the positions of the rows `chosen` (bool per row) lets through."""
        found = np.bincount(self.values[:, rows].ravel(), minlength=vocabulary + 1)
        unlinked = len(rows) - int(np.count_nonzero(self.values[0, rows]))
        counts = np.zeros(vocabulary + 1, np.int64)
        counts[:vocabulary] = found[1:]
        if len(self.extra_rows):
            counts[:vocabulary] += np.bincount(
                self.extra_codes[chosen[self.extra_rows]], minlength=vocabulary
            )
        counts[vocabulary] = unlinked
        return counts


@dataclass(frozen=True)
class Columns:
    """The facet columns of one state of a list: rows in key order."""

    keys: np.ndarray  # int64, sorted
    values: dict[str, list[str]]  # facet -> value (as `value_key` spells it) per code
    columns: dict[str, np.ndarray]  # column facet -> code per row
    link_rows: dict[str, np.ndarray]  # link facet -> row of each distinct (row, value) pair,
    link_codes: dict[str, np.ndarray]  # ... and its value's code, sorted by row
    link_slots: dict[str, _Slots]  # link facet -> its pairs as a few values per row
    sorts: dict[str, np.ndarray] = field(default_factory=dict)  # sort -> int64 value per row
    sort_kinds: dict[str, str] = field(default_factory=dict)  # sort -> "date" or "int"
    texts: tuple[_Text, ...] = ()  # the folded texts, chunk by chunk in key order
    folding: str = "ascii"  # how the engine's ILIKE folds case: "ascii" or "unicode"
    text_columns: dict[str, np.ndarray] = field(default_factory=dict)  # code per row
    text_values: dict[str, list[Any]] = field(default_factory=dict)  # value per code
    unfiltered: dict[str, dict[str, int]] = field(default_factory=dict)  # counts, once
    matched: dict[str, np.ndarray] = field(default_factory=dict)  # q -> keys, the latest
    bitmaps: dict[str, np.ndarray] = field(default_factory=dict)  # facet -> bits per value
    row_of_key: list[np.ndarray] = field(default_factory=list)  # the key -> row table, once
    orders: dict[tuple[str, bool], np.ndarray] = field(default_factory=dict)  # rows, sorted

    @property
    def size(self) -> int:
        return len(self.keys)

    def nbytes(self) -> int:
        arrays = [self.keys, *self.columns.values(), *self.link_rows.values()]
        arrays += [*self.link_codes.values(), *self.sorts.values()]
        arrays += [a for slots in self.link_slots.values() for a in slots.arrays()]
        texts = sum(
            len(t.joined) + t.keys.nbytes + 8 * len(t.starts) + t.grams.nbytes
            + t.gram_starts.nbytes + t.gram_keys.nbytes
            for t in self.texts
        )  # fmt: skip
        return sum(array.nbytes for array in arrays) + texts

    def text_keys(self, q: str) -> np.ndarray | None:
        """The keys whose text contains `q` as the list's SQL text filter finds them
        (ILIKE: case folded as the engine folds it, `%` and `_` literal), sorted; None when
        the texts are not held or `q` holds a character the joined texts use."""
        if not (self.texts or self.text_columns) or _SEPARATOR in q or _NULL in q:
            return None
        if q in self.matched:  # the next pages of the same search
            return self.matched[q]
        needle = fold(q, self.folding)
        found = np.concatenate([np.zeros(0, np.int64), *(t.matching(needle) for t in self.texts)])
        for name, codes in self.text_columns.items():
            values = self.text_values[name]
            hits = [
                c for c, v in enumerate(values) if v is not None and needle in fold(v, self.folding)
            ]
            if hits:
                found = distinct(found, self.keys[np.isin(codes, hits)])
        if len(self.matched) >= MATCHES_KEPT:
            self.matched.clear()
        self.matched[q] = found
        return found

    def places(self, keys: np.ndarray) -> np.ndarray:
        """The rows of those of `keys` the columns hold. Keys are mostly dense (ids), so
        a table from key to row, built once per state, makes it one gather; sparse keys
        are looked up by binary search."""
        if len(self.keys) and self.keys[-1] < 4 * len(self.keys) + CHUNK_SIZE:
            if not self.row_of_key:
                table = np.full(int(self.keys[-1]) + 1, -1, np.int32)
                table[self.keys] = np.arange(len(self.keys), dtype=np.int32)
                self.row_of_key[:] = [table]
            table = self.row_of_key[0]
            inside = keys[(keys >= 0) & (keys < len(table))]
            found = table[inside]
            return found[found >= 0]
        places = np.searchsorted(self.keys, keys)
        inside = places < self.size
        inside[inside] = self.keys[places[inside]] == keys[inside]
        return places[inside]

    @property
    def words(self) -> int:
        """The 64-bit words a bitmap of the rows takes."""
        return (self.size + 63) // 64

    def packed(self, chosen: np.ndarray) -> np.ndarray:
        """The rows `chosen` (bool per row) lets through as a bitmap."""
        bits = np.packbits(chosen, bitorder="little")
        return np.pad(bits, (0, self.words * 8 - len(bits))).view(np.uint64)

    def bitmap(self, facet: Any) -> np.ndarray:
        """One bitmap of the rows per code of a facet (for a link facet, with one more at
        the end: the rows with any link), built on first use in this state. Counting a
        value over any selection is then an AND and a popcount of 16 KB per 100,000
        rows, whatever the selection's size."""
        from devagenda.core.listing import LinkFacet

        found = self.bitmaps.get(facet.name)
        if found is not None:
            return found
        vocabulary = len(self.values[facet.name])
        if isinstance(facet, LinkFacet):
            rows, codes = self.link_rows[facet.name], self.link_codes[facet.name]
            extra = [self.linked(facet.name)]
        else:
            rows, codes = np.arange(self.size), self.columns[facet.name]
            extra = []
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(vocabulary + 1))
        found = np.zeros((vocabulary + len(extra), self.words), np.uint64)
        chosen = np.zeros(self.size, bool)
        for code in range(vocabulary):
            inside = rows[order[bounds[code] : bounds[code + 1]]]
            if len(inside):
                chosen[:] = False
                chosen[inside] = True
                found[code] = self.packed(chosen)
        for place, rows_with in enumerate(extra):
            found[vocabulary + place] = self.packed(rows_with)
        return self.bitmaps.setdefault(facet.name, found)

    def ranks(self, sort: str, descending: bool) -> np.ndarray:
        """Each row's place-giving value for a held sort: ascending in the order SQL gives
        (the value, negated when descending; NO_VALUE, last both ways, for NULL)."""
        values = self.sorts[sort]
        return np.where(values == NO_VALUE, NO_VALUE, -values) if descending else values

    def order(self, sort: str, descending: bool) -> np.ndarray:
        """The rows in the order of a held sort, ties by key, built on first use in this
        state: a sorted page of a large selection is then its first chosen rows in this
        order. Rank and row are packed into one distinct integer where they fit, as an
        unstable sort of those is several times faster than a stable sort of the ranks."""
        found = self.orders.get((sort, descending))
        if found is not None:
            return found
        ranks = self.ranks(sort, descending)
        stated = ranks != NO_VALUE
        size = self.size
        if stated.any():
            low, high = int(ranks[stated].min()), int(ranks[stated].max())
        else:
            low = high = 0
        if (high - low + 2) * max(size, 1) < 2**62:
            dense = np.where(stated, ranks - low, high - low + 1)
            order = np.argsort(dense * size + np.arange(size), kind="quicksort")
        else:
            order = np.argsort(ranks, kind="stable")  # rows are in key order already
        return self.orders.setdefault((sort, descending), order.astype(np.int32))

    def linked(self, facet: str) -> np.ndarray:
        """Whether each row has a link of this facet."""
        return self.link_slots[facet].values[0] != 0

    def code(self, facet: str, value: str) -> int | None:
        try:
            return self.values[facet].index(value)
        except ValueError:
            return None


@dataclass
class _Held:
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    chunks: dict[int, tuple[str, _Chunk]] = field(default_factory=dict)
    tokens: tuple[tuple[int, str], ...] | None = None
    columns: Columns | None = None
    folding: str = "ascii"


class MemoryColumns:
    """What one process holds of each list in each database: one state per variant of a
    list (`InMemory.variant`: the facets and texts of one kind of reader), each read
    under the list's chunk tokens. Tests make several to play several processes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[tuple[str, str, str], _Held] = {}

    def columns(self, session: Session, source: ListSource[Any]) -> Columns:
        """The list's facet columns as `session` sees them now."""
        from devagenda.core.sqlreader import SessionReader

        assert source.memory is not None
        name = source.memory.name
        reader = SessionReader(session)
        tokens = tuple(
            sorted(
                (int(chunk), str(token))
                for chunk, token in reader.rows(
                    "SELECT chunk, token FROM list_chunk WHERE list_name = :name", name=name
                )
            )
        )
        with self._lock:
            state = (reader.database, name, source.memory.variant)
            held = self._held.setdefault(state, _Held())
            held.folding = _folding(session)
            if held.columns is not None and held.tokens == tokens:
                return held.columns
            wanted = dict(tokens)
            if wanted.get(WHOLE_LIST) != dict(held.tokens or ()).get(WHOLE_LIST):
                held.chunks.clear()  # reference data changed: every chunk read it
            gone, stale = chunks.changed(
                {number: token for number, (token, _) in held.chunks.items()}, wanted
            )
            for number in gone:
                del held.chunks[number]
            if stale:
                read = _read_chunks(session, source, held, stale)
                for number in stale:
                    held.chunks[number] = (wanted[number], read[number])
            held.columns = _combine(source, held)
            held.tokens = tokens
            _order_in_background(held.columns)
            return held.columns


def _order_in_background(columns: Columns) -> None:
    """Sort the rows by each held sort, both ways, in a thread of their own: building an
    order takes 20-30 ms at a million rows, which the first sorted page of a new state
    would otherwise pay. A page asked for before its order is ready builds it itself."""

    def build() -> None:
        for sort in columns.sorts:
            for descending in (False, True):
                columns.order(sort, descending)

    if columns.sorts and columns.size:
        threading.Thread(target=build, name="held-sort-orders", daemon=True).start()


PROCESS = MemoryColumns()


def _read_chunks(
    session: Session, source: ListSource[Any], held: _Held, numbers: Sequence[int]
) -> dict[int, _Chunk]:
    """The chunks `numbers`, read by one query per facet kind over the span they cover
    (after a start, that is every chunk at once), then split by chunk."""
    from devagenda.core.listing import ColumnFacet, LinkFacet

    low, high = min(numbers) * CHUNK_SIZE, (max(numbers) + 1) * CHUNK_SIZE
    key = source.listing.key
    entity = source.listing.query.column_descriptions[0]["entity"]
    column_facets = [f for f in source.facets if isinstance(f, ColumnFacet)]
    sorts = _held_sorts(source)
    text_columns = _text_columns(source)
    rows = (
        select(
            key.label("k"),
            *(f.column.label(f"c{n}") for n, f in enumerate(column_facets)),
            *(expression.label(f"s{n}") for n, (_, expression, _) in enumerate(sorts)),
            *(f.column.label(f"t{n}") for n, f in enumerate(text_columns)),
        )
        .select_from(entity)
        .where(key >= low, key < high)
        .subquery()
    )
    texts = _joined(
        session,
        [
            rows.c.k,
            *(rows.c[f"c{n}"] for n in range(len(column_facets))),
            *(rows.c[f"s{n}"] for n in range(len(sorts))),
            *(rows.c[f"t{n}"] for n in range(len(text_columns))),
        ],
    )
    keys = _integers(texts[0])
    coded = {
        facet.name: _codes(held, facet, text)
        for facet, text in zip(column_facets, texts[1 : 1 + len(column_facets)], strict=True)
    }
    after_facets = 1 + len(column_facets)
    sorted_by = {
        name: _sort_values(kind, text)
        for (name, _, kind), text in zip(
            sorts, texts[after_facets : after_facets + len(sorts)], strict=True
        )
    }
    coded_texts = {
        facet.name: _codes(held, facet, text)
        for facet, text in zip(text_columns, texts[after_facets + len(sorts) :], strict=True)
    }
    pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for facet in source.facets:
        if isinstance(facet, LinkFacet):
            links = facet.pairs.subquery()
            inside = (
                select(links.c.owner, links.c.value)
                .where(and_(links.c.owner >= low, links.c.owner < high))
                .subquery()
            )
            owners, values = _joined(session, [inside.c.owner, inside.c.value])
            pairs[facet.name] = (_integers(owners), _codes(held, facet, values))
    order = np.argsort(keys, kind="stable")  # no engine promises the rows' order
    keys = keys[order]
    coded = {name: codes[order] for name, codes in coded.items()}
    sorted_by = {name: values[order] for name, values in sorted_by.items()}
    coded_texts = {name: codes[order] for name, codes in coded_texts.items()}
    wanted = np.array(numbers, np.int64)
    row_bounds = np.searchsorted(keys, np.stack([wanted, wanted + 1]) * CHUNK_SIZE)
    link_parts = {}
    for name, (owners, codes) in pairs.items():
        by_owner = np.argsort(owners, kind="stable")
        owners, codes = owners[by_owner], codes[by_owner]
        bounds = np.searchsorted(owners, np.stack([wanted, wanted + 1]) * CHUNK_SIZE)
        link_parts[name] = (owners, codes, bounds)
    result = {}
    for place, number in enumerate(numbers):
        low_row, high_row = row_bounds[:, place]
        links_of = {}
        for name, (owners, codes, bounds) in link_parts.items():
            low_link, high_link = bounds[:, place]
            links_of[name] = (owners[low_link:high_link], codes[low_link:high_link])
        columns = {name: codes[low_row:high_row] for name, codes in coded.items()}
        values = {name: found[low_row:high_row] for name, found in sorted_by.items()}
        texts_of = {name: codes[low_row:high_row] for name, codes in coded_texts.items()}
        result[number] = _Chunk(
            keys[low_row:high_row], columns, links_of, values, text_columns=texts_of
        )
    if source.memory is not None and source.memory.texts is not None:
        folding = _folding(session)
        for number, text in _read_texts(session, source, numbers, folding).items():
            if number in result:
                result[number] = replace(result[number], text=text)
    return result


def _held_sorts(source: ListSource[Any]) -> list[tuple[str, Any, str]]:
    """The sorts held in memory: (name, expression, "date" or "int")."""
    from sqlalchemy import Date

    names = () if source.memory is None else source.memory.sorts
    found = []
    for name in names:
        expression = source.sorts[name].sql(None)
        found.append((name, expression, "date" if isinstance(expression.type, Date) else "int"))
    return found


def _text_columns(source: ListSource[Any]) -> list[Any]:
    """The listed table's text columns `q` matches, held coded (each distinct value once):
    a city or a unit repeats over many rows, so its values are matched, not its rows."""
    from devagenda.core.listing import ColumnFacet

    if source.memory is None:
        return []
    return [ColumnFacet(f"text:{n}", column) for n, column in enumerate(source.memory.text_columns)]


def _sort_values(kind: str, text: str) -> np.ndarray:
    """A joined sort column as int64 (a date as days since 1970), NO_VALUE for NULL."""
    if not text:
        return np.zeros(0, np.int64)
    parts = text.split(_SEPARATOR)
    stated = np.array([part != _NULL for part in parts])
    values = np.full(len(parts), NO_VALUE, np.int64)
    known = [part for part in parts if part != _NULL]
    if kind == "date":
        days = (np.array([p[:10] for p in known], "datetime64[D]") - _EPOCH).astype(np.int64)
        values[stated] = days
    else:
        values[stated] = np.array(known, np.int64)
    return values


def sort_value_of(kind: str, value: Any) -> int:
    """A sort value (a date, a number, None) as the int64 the columns hold."""
    if value is None:
        return int(NO_VALUE)
    if kind == "date":
        return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))
    return int(value)


def python_sort_value(kind: str, value: int) -> Any:
    """The value a held sort integer stands for (None for NO_VALUE)."""
    if value == NO_VALUE:
        return None
    if kind == "date":
        return (_EPOCH + np.timedelta64(value, "D")).astype(object)
    return int(value)


def _folding(session: Session) -> str:
    """SQLite's LOWER (behind ILIKE) folds ASCII letters only; PostgreSQL's folds every
    letter by its ctype (C.UTF-8 and the usual locales: Unicode's simple mapping)."""
    return "ascii" if session.get_bind().dialect.name == "sqlite" else "unicode"


_ASCII_LOWER_BYTES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def fold(text: str, folding: str) -> str:
    """`text` with its case folded as the engine's LOWER folds it: letter by letter, so
    neither the dotted capital I (two letters in Python's full mapping) nor a final
    sigma (context-dependent in Python) folds otherwise than in the database."""
    if folding == "ascii":
        if text.isascii():
            return text.lower()
        # UTF-8 encodes every other character in bytes above 0x7F: a byte table is exact.
        return (
            text.encode("utf-8", "surrogatepass")
            .translate(_ASCII_LOWER_BYTES)
            .decode("utf-8", "surrogatepass")
        )
    return text.replace("\u0130", "i").replace("\u03a3", "\u03c3").lower()


def _driver_rows(session: Session, query: Any) -> list[Any]:
    """The rows of a select of integers and texts, fetched by the driver's own cursor:
    millions of rows cost several seconds more through SQLAlchemy's result rows."""
    compiled = query.compile(dialect=session.get_bind().dialect)
    if compiled.positional:
        params: Any = tuple(compiled.params[name] for name in compiled.positiontup or ())
    else:
        params = compiled.params
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _read_texts(
    session: Session, source: ListSource[Any], numbers: Sequence[int], folding: str
) -> dict[int, _Text]:
    """The folded texts of the chunks `numbers`, read one chunk at a time (so that no more
    than one chunk's texts is ever held as rows), as plain rows in the engine's order,
    then ordered by key and folded once per chunk."""
    assert source.memory is not None and source.memory.texts is not None
    texts = source.memory.texts.subquery()
    found = {}
    for number in numbers:
        low, high = number * CHUNK_SIZE, (number + 1) * CHUNK_SIZE
        query = select(texts.c.owner, texts.c.value).where(
            texts.c.owner >= low, texts.c.owner < high, texts.c.value.is_not(None)
        )
        rows = _driver_rows(session, query)
        if not rows:
            continue
        keys = np.fromiter((row[0] for row in rows), np.int64, len(rows))
        order = np.argsort(keys, kind="stable")
        pieces = [rows[i][1].replace(_SEPARATOR, _NULL) for i in order]
        del rows
        lengths = np.fromiter((len(piece) + 1 for piece in pieces), np.int64, len(pieces))
        ends = np.cumsum(lengths)
        keys = keys[order]
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        starts = array("q", (ends - lengths)[first].tolist())
        starts.append(int(ends[-1]))
        joined = fold(_SEPARATOR.join(pieces) + _SEPARATOR, folding)
        if len(joined) != ends[-1]:  # a letter whose case folds to two: fold one by one
            joined = "".join(fold(piece, folding) + _SEPARATOR for piece in pieces)
        found[number] = _Text.indexed(keys[first], starts, joined)
    return found


# Values travel as one string per column (a million rows cost the driver far more as rows
# than as a few strings), joined by the unit separator, with NULL as the record
# separator: no facet value holds either. Every aggregate of one statement reads the
# rows in the same order, so the columns stay aligned.
_SEPARATOR = "\x1f"
_SEPARATOR_POINT = 0x1F
_NULL = "\x1e"
_BOOLEAN_TEXT = {"1": "true", "0": "false", "true": "true", "false": "false"}


def _joined(session: Session, columns: Sequence[Any]) -> list[str]:
    from sqlalchemy import String, cast, func

    aggregate = (
        func.group_concat if session.get_bind().dialect.name == "sqlite" else func.string_agg
    )
    texts = [
        aggregate(func.coalesce(cast(column, String), _NULL), _SEPARATOR) for column in columns
    ]
    found = session.execute(select(*texts)).one()
    return [text or "" for text in found]


def _integers(text: str) -> np.ndarray:
    if not text:
        return np.zeros(0, np.int64)
    return np.array(text.split(_SEPARATOR), dtype=np.int64)


def _codes(held: _Held, facet: Any, text: str) -> np.ndarray:
    """The codes of a joined column, each distinct value spelled as `value_key` does (a
    boolean as true/false) and looked up once."""
    from sqlalchemy import Boolean

    vocabulary = held.vocabularies.setdefault(facet.name, Vocabulary())
    if not text:
        return np.zeros(0, np.int32)
    column = getattr(facet, "column", None)
    boolean = column is not None and isinstance(column.type, Boolean)
    known: dict[str, int] = {}

    def code(value: str) -> int:
        spelled = None if value == _NULL else _BOOLEAN_TEXT.get(value, value) if boolean else value
        found = known[value] = vocabulary.code(spelled)
        return found

    parts = text.split(_SEPARATOR)
    return np.fromiter((known[v] if v in known else code(v) for v in parts), np.int32, len(parts))


def _combine(source: ListSource[Any], held: _Held) -> Columns:
    """The held chunks as one set of columns; an empty list (no chunk yet) has every
    facet's column, empty."""
    from devagenda.core.listing import ColumnFacet, LinkFacet, value_key

    ordered = [held.chunks[number][1] for number in sorted(held.chunks) if number >= 0]

    def joined(arrays: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype)

    keys = joined([c.keys for c in ordered], np.int64)
    names = [f.name for f in source.facets]
    column_names = [f.name for f in source.facets if isinstance(f, ColumnFacet)]
    link_names = [f.name for f in source.facets if isinstance(f, LinkFacet)]
    columns = {n: joined([c.columns[n] for c in ordered], np.int32) for n in column_names}
    link_rows, link_codes, link_slots = {}, {}, {}
    for name in link_names:
        owners = joined([c.links[name][0] for c in ordered], np.int64)
        codes = joined([c.links[name][1] for c in ordered], np.int32)
        rows = np.searchsorted(keys, owners)
        known = rows < len(keys)
        known[known] = keys[rows[known]] == owners[known]  # links of rows written since
        pairs = np.sort(rows[known].astype(np.int64) << 32 | codes[known].astype(np.int64))
        distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        link_rows[name] = (distinct >> 32).astype(np.int32)
        link_codes[name] = (distinct & 0xFFFFFFFF).astype(np.int32)
    values = {
        name: [value_key(v) for v in held.vocabularies.setdefault(name, Vocabulary()).values]
        for name in names
    }
    for name in link_names:
        link_slots[name] = _Slots.of(
            link_rows[name], link_codes[name], len(keys), len(values[name])
        )
    kinds = {name: kind for name, _, kind in _held_sorts(source)}
    sorts = {name: joined([c.sorts[name] for c in ordered], np.int64) for name in kinds}
    texts: tuple[_Text, ...] = ()
    if source.memory is not None and source.memory.texts is not None:
        texts = tuple(c.text for c in ordered if c.text is not None)
    text_names = [f.name for f in _text_columns(source)]
    text_columns = {n: joined([c.text_columns[n] for c in ordered], np.int32) for n in text_names}
    text_values = {n: held.vocabularies.setdefault(n, Vocabulary()).values for n in text_names}
    return Columns(
        keys,
        values,
        columns,
        link_rows,
        link_codes,
        link_slots,
        sorts,
        kinds,
        texts,
        held.folding,
        text_columns,
        text_values,
    )


# -- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """What the columns say about a selection."""

    columns: Columns
    rows: np.ndarray  # bool per row: what every filter lets through
    total: int
    facets: dict[str, dict[str, int]]

    def page_keys(self, *, after: int | None, limit: int) -> list[int]:
        """The first `limit` keys (in key order) of the chosen rows after the key `after`."""
        keys = self.columns.keys
        start = 0 if after is None else int(np.searchsorted(keys, after, side="right"))
        picked = np.flatnonzero(self.rows[start:])[:limit] + start
        return [int(k) for k in keys[picked]]

    def chosen_places(self, ranked: Sequence[int]) -> np.ndarray:
        """The places in `ranked` (keys) of the keys the selection lets through, in order."""
        keys = np.array(ranked, np.int64)
        rows = np.searchsorted(self.columns.keys, keys)
        held = rows < self.columns.size
        held[held] = self.columns.keys[rows[held]] == keys[held]
        held[held] = self.rows[rows[held]]
        return np.flatnonzero(held)

    def sorted_keys(
        self, sort: str, *, descending: bool, after: tuple[int, int] | None, limit: int
    ) -> list[tuple[int, int]]:
        """The first `limit` (sort value, key) pairs of the chosen rows in the order of a
        held sort, after the position `after` (held value, key): as SQL orders them, NULL
        last in both directions and ties by key. A large selection is walked in the held
        order, block by block; a small one is ranked by `argpartition` over its rows."""
        if self.total * SMALL_SELECTION < self.columns.size:
            return self._ranked_keys(sort, descending=descending, after=after, limit=limit)
        columns = self.columns
        order = columns.order(sort, descending)
        held, keys = columns.sorts[sort], columns.keys
        start = 0
        if after is not None:

            def place(row: int) -> tuple[int, int]:
                return _rank(int(held[row]), descending), int(keys[row])

            start = bisect.bisect_right(order, (_rank(after[0], descending), after[1]), key=place)
        picked: list[np.ndarray] = []
        wanted = limit
        block = max(1024, 2 * limit * columns.size // max(self.total, 1))
        while wanted > 0 and start < len(order):
            rows = order[start : start + block]
            chosen = rows[self.rows[rows]][:wanted]
            picked.append(chosen)
            wanted -= len(chosen)
            start += block
            block *= 2
        rows = np.concatenate([np.zeros(0, np.int32), *picked])
        values = held[rows]
        return [(int(v), int(k)) for v, k in zip(values, keys[rows], strict=True)]

    def _ranked_keys(
        self, sort: str, *, descending: bool, after: tuple[int, int] | None, limit: int
    ) -> list[tuple[int, int]]:
        rows = np.flatnonzero(self.rows)
        values = self.columns.sorts[sort][rows]
        ranks = self.columns.ranks(sort, descending)[rows]
        keys = self.columns.keys[rows]
        if after is not None:
            rank, last_key = _rank(after[0], descending), after[1]
            beyond = (ranks > rank) | ((ranks == rank) & (keys > last_key))
            ranks, keys, values = ranks[beyond], keys[beyond], values[beyond]
        if len(ranks) > limit > 0:
            bound = ranks[np.argpartition(ranks, limit - 1)[limit - 1]]
            inside = ranks <= bound  # every tie of the last rank may come before it by key
            ranks, keys, values = ranks[inside], keys[inside], values[inside]
        order = np.lexsort((keys, ranks))[:limit]  # keys ascending within a rank
        return [(int(values[i]), int(keys[i])) for i in order]


def _rank(value: int, descending: bool) -> int:
    """A held sort value's place-giving rank, as `Columns.ranks` gives it."""
    return value if value == NO_VALUE or not descending else -value


def count(
    columns: Columns,
    source: ListSource[Any],
    selection: Selection,
    within: np.ndarray | None,
    bounds: Sequence[Bound] = (),
) -> Counted:
    """The rows the selection lets through and each facet's counts over the rows the other
    facets let through. `within` holds the keys the filters that are neither facets nor
    `bounds` (the text filter) let through, resolved once by the caller (None: every
    row); `bounds` are applied from the held sorts."""
    if within is None:
        base = np.ones(columns.size, bool)
    else:
        base = np.zeros(columns.size, bool)
        base[columns.places(within)] = True
    for bound in bounds:
        base &= _bound_mask(columns, bound)
    chosen = selection.facets.items()
    masks = {name: _mask(columns, source.facet(name), value) for name, value in chosen}
    everything = base.copy()
    for mask in masks.values():
        everything &= mask
    everywhere = within is None and not bounds
    if everywhere and len(masks) <= 1 and not columns.unfiltered:
        # The list as it first opens, and a facet's counts beside its only choice:
        # counted over every row once per state.
        every = np.ones(columns.size, bool)
        rows = np.arange(columns.size)
        packed = Packed(columns)
        columns.unfiltered.update(
            {f.name: _facet_counts(columns, f, rows, every, packed) for f in source.facets}
        )
    if everywhere and not masks:
        return Counted(columns, everything, columns.size, dict(columns.unfiltered))
    rows_of_everything = np.flatnonzero(everything)
    packed = Packed(columns)
    facets = {}
    for facet in source.facets:
        if facet.name in masks and everywhere and len(masks) == 1:
            facets[facet.name] = columns.unfiltered[facet.name]
            continue
        if facet.name in masks:  # its own choice left out
            kept = base.copy()
            for other, mask in masks.items():
                if other != facet.name:
                    kept &= mask
            rows = np.flatnonzero(kept)
            facets[facet.name] = _facet_counts(columns, facet, rows, kept, packed)
        else:
            rows = rows_of_everything
            facets[facet.name] = _facet_counts(columns, facet, rows, everything, packed)
    return Counted(columns, everything, len(rows_of_everything), facets)


def _bound_mask(columns: Columns, bound: Bound) -> np.ndarray:
    """The rows a bound lets through, as `bound.condition` chooses them in SQL: the first
    stated of its held sorts compared with its value; a row stating none is out."""
    stated = columns.sorts[bound.sorts[0]]
    for name in bound.sorts[1:]:
        stated = np.where(stated == NO_VALUE, columns.sorts[name], stated)
    value = sort_value_of(columns.sort_kinds[bound.sorts[0]], bound.value)
    if bound.at_least:
        return (stated >= value) & (stated != NO_VALUE)
    return stated <= value  # NO_VALUE is above every value


def _facet_counts(
    columns: Columns, facet: Any, rows: np.ndarray, chosen: np.ndarray, packed: Packed
) -> dict[str, int]:
    """A facet's counts over the rows `chosen` (bool per row) lets through, whose positions
    are `rows`: each row's value, or for a link facet each of its values, and as in SQL,
    "not stated" for the rows with none. Counted by whichever costs less here: gathering
    the chosen rows' codes (a few rows), or one popcount per value (many rows)."""
    from devagenda.core.listing import NOT_STATED, LinkFacet

    values = columns.values[facet.name]
    link = isinstance(facet, LinkFacet)
    width = columns.link_slots[facet.name].values.shape[0] if link else 1
    if len(values) * columns.words * BIT_COST < len(rows) * width * GATHER_COST:
        bits = columns.bitmap(facet)
        found = np.bitwise_count(bits & packed.bits(chosen)).sum(axis=1, dtype=np.int64)
        if link:  # the last bitmap holds the rows with a link
            found[-1] = len(rows) - found[-1]
    elif link:
        found = columns.link_slots[facet.name].counts(rows, chosen, len(values))
    else:
        found = np.bincount(columns.columns[facet.name][rows], minlength=len(values))
    if not link:
        return {values[code]: int(found[code]) for code in np.flatnonzero(found)}
    counts = {values[code]: int(found[code]) for code in np.flatnonzero(found[:-1])}
    if facet.not_stated and found[-1]:  # the rows with no link, in place of a "none" value
        counts[NOT_STATED] = int(found[-1])
    return counts


class Packed:
    """The selections of one request as bitmaps, each packed once however many facets
    count over it."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._packed: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def bits(self, chosen: np.ndarray) -> np.ndarray:
        found = self._packed.get(id(chosen))
        if found is None or found[0] is not chosen:
            found = self._packed[id(chosen)] = (chosen, self._columns.packed(chosen))
        return found[1]


def _mask(columns: Columns, facet: Any, value: str) -> np.ndarray:
    """The rows one facet value chooses, as `facet.condition(value)` chooses them in SQL."""
    from devagenda.core.listing import NOT_STATED, LinkFacet, _parsed, value_key

    if isinstance(facet, LinkFacet):
        if value == NOT_STATED and facet.not_stated:
            return ~columns.linked(facet.name)
        code = columns.code(facet.name, value_key(_parsed(facet.name, facet.parse, value)))
        if code is None:
            return np.zeros(columns.size, bool)
        bits = columns.bitmap(facet)[code].view(np.uint8)
        return np.unpackbits(bits, count=columns.size, bitorder="little").view(bool)
    wanted = value if value == NOT_STATED else value_key(_parsed(facet.name, facet.parse, value))
    code = columns.code(facet.name, wanted)
    if code is None:
        return np.zeros(columns.size, bool)
    return columns.columns[facet.name] == code


def distinct(*arrays: np.ndarray) -> np.ndarray:
    """The distinct values of the arrays, sorted: `np.unique` and `np.union1d` without
    their first call's import of `numpy.ma` (12 ms, paid by a process's first search)."""
    values = np.sort(np.concatenate([np.zeros(0, np.int64), *arrays]))
    kept = np.ones(len(values), bool)
    kept[1:] = values[1:] != values[:-1]
    return values[kept]


def both(keys: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The sorted keys in both arrays of distinct keys."""
    return np.intersect1d(keys, others, assume_unique=True)


def within_keys(session: Session, keys: Any) -> np.ndarray:
    """The keys a `select(key)` returns, sorted, as an array."""
    found = session.scalars(keys).all()
    return np.sort(np.fromiter(found, np.int64, len(found)))
