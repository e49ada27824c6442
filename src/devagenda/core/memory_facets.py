"""Facet counts of a list from in-memory integer columns, counted with NumPy.

Counting a facet with SQL is a GROUP BY over every row the other filters let through:
about a second per facet at a million rows, whatever the indexes. A `ListSource` that
declares `InMemory` instead keeps, in each process, the codes of its facets' values: one
integer per row for a `ColumnFacet`, one (row, value) pair per link for a `LinkFacet`.
A request then turns each chosen facet value into a mask over the rows and counts each
facet with `bincount` over the rows the other masks let through: milliseconds.

The columns are read per chunk of CHUNK_SIZE keys. Triggers give a chunk a new token in
`list_chunk` whenever a row of its range, or a link of such a row, is written (migration
0018 for activities), and chunk -1 a new one when reference data every chunk reads
changes. A request reads the tokens (one small query) and reloads only the chunks whose
token changed; since a token names one state of its chunk, several `devagenda serve`
processes sharing a database each see the others' writes on their next request. The
chunk-token bookkeeping is `devagenda.core.chunks`, shared with the search index.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import and_, select

from devagenda.core import chunks
from devagenda.core.chunks import Vocabulary

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from devagenda.core.listing import ListSource, Selection

CHUNK_SIZE = 16384  # keys per list_chunk row (migration 0018's triggers use it too)
WHOLE_LIST = -1  # the chunk whose token covers what every chunk reads


@dataclass(frozen=True)
class _Chunk:
    keys: np.ndarray  # int64, sorted
    columns: dict[str, np.ndarray]  # column facet -> int32 code per key
    links: dict[str, tuple[np.ndarray, np.ndarray]]  # link facet -> (key, code) pairs


@dataclass(frozen=True)
class Columns:
    """The facet columns of one state of a list: rows in key order."""

    keys: np.ndarray  # int64, sorted
    values: dict[str, list[str]]  # facet -> value (as `value_key` spells it) per code
    columns: dict[str, np.ndarray]  # column facet -> code per row
    link_rows: dict[str, np.ndarray]  # link facet -> row of each distinct (row, value) pair,
    link_codes: dict[str, np.ndarray]  # ... and its value's code, sorted by row
    link_start: dict[str, np.ndarray]  # link facet -> where each row's pairs start (+1: end)
    unfiltered: dict[str, dict[str, int]] = field(default_factory=dict)  # counts, once

    @property
    def size(self) -> int:
        return len(self.keys)

    def nbytes(self) -> int:
        arrays = [self.keys, *self.columns.values(), *self.link_rows.values()]
        arrays += [*self.link_codes.values(), *self.link_start.values()]
        return sum(array.nbytes for array in arrays)

    def linked(self, facet: str) -> np.ndarray:
        """Whether each row has a link of this facet."""
        starts = self.link_start[facet]
        return starts[1:] > starts[:-1]

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


class MemoryColumns:
    """What one process holds of each list in each database. Tests make several to play
    several processes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[tuple[str, str], _Held] = {}

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
            held = self._held.setdefault((reader.database, name), _Held())
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
            return held.columns


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
    rows = (
        select(key.label("k"), *(f.column.label(f"c{n}") for n, f in enumerate(column_facets)))
        .select_from(entity)
        .where(key >= low, key < high)
        .subquery()
    )
    texts = _joined(session, [rows.c.k, *(rows.c[f"c{n}"] for n in range(len(column_facets)))])
    keys = _integers(texts[0])
    coded = {
        facet.name: _codes(held, facet, text)
        for facet, text in zip(column_facets, texts[1:], strict=True)
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
        result[number] = _Chunk(keys[low_row:high_row], columns, links_of)
    return result


# Values travel as one string per column (a million rows cost the driver far more as rows
# than as a few strings), joined by the unit separator, with NULL as the record
# separator: no facet value holds either. Every aggregate of one statement reads the
# rows in the same order, so the columns stay aligned.
_SEPARATOR = "\x1f"
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
    link_rows, link_codes, link_start = {}, {}, {}
    for name in link_names:
        owners = joined([c.links[name][0] for c in ordered], np.int64)
        codes = joined([c.links[name][1] for c in ordered], np.int32)
        rows = np.searchsorted(keys, owners)
        known = rows < len(keys)
        known[known] = keys[rows[known]] == owners[known]  # links of rows written since
        distinct = np.unique(rows[known].astype(np.int64) << 32 | codes[known].astype(np.int64))
        link_rows[name] = (distinct >> 32).astype(np.int32)
        link_codes[name] = (distinct & 0xFFFFFFFF).astype(np.int32)
        link_start[name] = np.searchsorted(link_rows[name], np.arange(len(keys) + 1))
    values = {
        name: [value_key(v) for v in held.vocabularies.setdefault(name, Vocabulary()).values]
        for name in names
    }
    return Columns(keys, values, columns, link_rows, link_codes, link_start)


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


def count(
    columns: Columns,
    source: ListSource[Any],
    selection: Selection,
    within: np.ndarray | None,
) -> Counted:
    """The rows the selection lets through and each facet's counts over the rows the other
    facets let through. `within` holds the keys the filters that are not facets (the text
    filter, a date range) let through, resolved once by the caller (None: every row)."""
    if within is None:
        base = np.ones(columns.size, bool)
    else:
        base = np.zeros(columns.size, bool)
        places = np.searchsorted(columns.keys, within)
        inside = places < columns.size
        inside[inside] = columns.keys[places[inside]] == within[inside]
        base[places[inside]] = True
    chosen = selection.facets.items()
    masks = {name: _mask(columns, source.facet(name), value) for name, value in chosen}
    everything = base.copy()
    for mask in masks.values():
        everything &= mask
    if within is None and not masks:
        if not columns.unfiltered:  # the list as it first opens: counted once per state
            rows = np.arange(columns.size)
            columns.unfiltered.update(
                {f.name: _facet_counts(columns, f, rows) for f in source.facets}
            )
        facets = dict(columns.unfiltered)
        return Counted(columns, everything, columns.size, facets)
    rows_of_everything = np.flatnonzero(everything)
    facets = {}
    for facet in source.facets:
        if facet.name in masks:  # its own choice left out
            kept = base.copy()
            for other, mask in masks.items():
                if other != facet.name:
                    kept &= mask
            rows = np.flatnonzero(kept)
        else:
            rows = rows_of_everything
        facets[facet.name] = _facet_counts(columns, facet, rows)
    return Counted(columns, everything, len(rows_of_everything), facets)


def _facet_counts(columns: Columns, facet: Any, rows: np.ndarray) -> dict[str, int]:
    """A facet's counts over `rows` (positions, ascending): each row's value, or for a
    link facet each of its values, and as in SQL, "not stated" for the rows with none."""
    from devagenda.core.listing import NOT_STATED, LinkFacet

    values = columns.values[facet.name]
    if not isinstance(facet, LinkFacet):
        found = np.bincount(columns.columns[facet.name][rows], minlength=len(values))
        return {values[code]: int(found[code]) for code in np.flatnonzero(found)}
    starts = columns.link_start[facet.name]
    first, lengths = starts[rows], starts[rows + 1] - starts[rows]
    total = int(lengths.sum())
    shift = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    codes = columns.link_codes[facet.name][shift + np.arange(total)]
    found = np.bincount(codes, minlength=len(values))
    counts = {values[code]: int(found[code]) for code in np.flatnonzero(found)}
    if facet.not_stated:  # the rows less those with a link, in place of a "none" value
        unlinked = int(np.count_nonzero(lengths == 0))
        if unlinked:
            counts[NOT_STATED] = unlinked
    return counts


def _mask(columns: Columns, facet: Any, value: str) -> np.ndarray:
    """The rows one facet value chooses, as `facet.condition(value)` chooses them in SQL."""
    from devagenda.core.listing import NOT_STATED, LinkFacet, _parsed, value_key

    if isinstance(facet, LinkFacet):
        if value == NOT_STATED and facet.not_stated:
            return ~columns.linked(facet.name)
        code = columns.code(facet.name, value_key(_parsed(facet.name, facet.parse, value)))
        mask = np.zeros(columns.size, bool)
        if code is not None:
            mask[columns.link_rows[facet.name][columns.link_codes[facet.name] == code]] = True
        return mask
    wanted = value if value == NOT_STATED else value_key(_parsed(facet.name, facet.parse, value))
    code = columns.code(facet.name, wanted)
    if code is None:
        return np.zeros(columns.size, bool)
    return columns.columns[facet.name] == code


def within_keys(session: Session, keys: Any) -> np.ndarray:
    """The keys a `select(key)` returns, sorted, as an array."""
    found = session.scalars(keys).all()
    return np.sort(np.fromiter(found, np.int64, len(found)))
