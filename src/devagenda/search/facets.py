"""Facet counts and record order over the whole index, in memory, with NumPy.

Counting facets with SQL means a GROUP BY per facet over every matching entry (and a join
for countries): about a second at a million entries. Instead each process keeps the index's
facet values as integer columns (one row per entry, one per record, one per country link)
and counts a search's matching entries with `bincount`, a few milliseconds at that size.

The columns are read per chunk of CHUNK_SIZE entry ids. Triggers give a chunk a new token
whenever one of its entries is written (see migration 0011), so a search reads the tokens
(one small query), reloads only the chunks whose token changed, and otherwise works on
what it holds. A token names exactly one state of its chunk, so a state seen inside an
uncommitted transaction is never mistaken for a committed one. The columns are read with
plain SQL through a `devagenda.core.sqlreader.Reader`, so that the command line's search
reads them without SQLAlchemy. The id sets of common tokens
(`devagenda.search.postings`) are kept under the same tokens.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from devagenda.core import chunks
from devagenda.core.chunks import Vocabulary
from devagenda.search import postings
from devagenda.search.layout import CHUNK_SIZE

if TYPE_CHECKING:
    from devagenda.core.sqlreader import Reader

RECORD_FACETS = ("kind", "status", "cluster", "sector", "year")
FACETS = ("kind", "status", "cluster", "sector", "country", "year", "language")
_CODED = (*RECORD_FACETS, "language", "country")


@dataclass(frozen=True)
class _Chunk:
    token: str
    ids: np.ndarray  # int64, sorted
    records: np.ndarray  # int64 record numbers, per entry
    codes: dict[str, np.ndarray]  # facet -> int32 code per entry
    link_entries: np.ndarray  # int64 entry id per country link
    link_countries: np.ndarray  # int32 country code per link


@dataclass(frozen=True)
class Snapshot:
    """The facet columns of one state of the index."""

    vocabulary: dict[str, list[str | None]]
    ids: np.ndarray  # entry ids, sorted
    record_of: np.ndarray  # per entry: its record's position (0..records-1)
    language_of: np.ndarray  # per entry: language code
    record_numbers: np.ndarray  # per record: its number in the database
    record_codes: dict[str, np.ndarray]  # facet -> per record code
    browse_rank: np.ndarray  # per record: place in the blank search's order
    browse_order: np.ndarray  # records in that order
    link_records: np.ndarray  # per (record, country) pair: record position
    link_countries: np.ndarray  # ... and country code
    link_start: np.ndarray  # per record: where its pairs start (and, at +1, end)
    position_of: np.ndarray | None  # per entry id: its position in `ids`, -1 for none
    common: postings.Postings = field(default_factory=postings.Postings)

    @property
    def record_count(self) -> int:
        return len(self.record_numbers)

    def nbytes(self) -> tuple[int, int]:
        """Memory of the facet columns and of the id sets of common tokens, in bytes."""
        arrays = [value for value in vars(self).values() if isinstance(value, np.ndarray)]
        arrays.extend(self.record_codes.values())
        return sum(a.nbytes for a in arrays), self.common.nbytes()

    def code(self, facet: str, value: str) -> int | None:
        try:
            return self.vocabulary[facet].index(value)
        except ValueError:
            return None


@dataclass
class _DatabaseColumns:
    vocabularies: dict[str, Vocabulary] = field(
        default_factory=lambda: {name: Vocabulary() for name in _CODED}
    )
    chunks: dict[int, _Chunk] = field(default_factory=dict)
    snapshot: Snapshot | None = None
    tokens: tuple[tuple[int, str], ...] = ()
    common: postings.PostingState = field(default_factory=postings.PostingState)


_lock = threading.Lock()
_databases: dict[str, _DatabaseColumns] = {}


def snapshot(reader: Reader, *, sets: bool = True) -> Snapshot:
    """The facet columns of the index as `reader` sees it now, with the id sets of common
    tokens unless `sets` is false (a one-off process would spend longer reading them
    than searching without them)."""
    tokens = tuple(sorted(tuple(row) for row in reader.rows(_TOKENS)))
    with _lock:
        columns = _databases.setdefault(reader.database, _DatabaseColumns())
        held_sets = columns.common.common is not None or not sets
        if columns.snapshot is not None and columns.tokens == tokens and held_sets:
            return columns.snapshot
        wanted = dict(tokens)
        gone, stale = chunks.changed(
            {number: chunk.token for number, chunk in columns.chunks.items()}, wanted
        )
        for number in gone:
            del columns.chunks[number]
        for number in stale:
            columns.chunks[number] = _read_chunk(reader, columns, number, wanted[number])
        combined = _combine(columns)
        if sets:
            postings.refresh(reader, columns.common, wanted, len(combined.ids))
            combined = replace(combined, common=columns.common.postings)
        columns.snapshot = combined
        columns.tokens = tokens
        return columns.snapshot


_TOKENS = "SELECT chunk, token FROM search_chunk"
_SEPARATOR = "\x1f"  # the ASCII unit separator: no facet value holds it
_ENTRY_CODED = (*RECORD_FACETS, "language")


def _read_chunk(reader: Reader, columns: _DatabaseColumns, number: int, token: str) -> _Chunk:
    """One chunk's columns, each fetched as one joined string (a chunk's 65,536 rows cost
    the driver far more as rows than as eight strings). All aggregates of one statement
    read the rows in the same order, so the columns stay aligned."""
    bounds = {"low": number * CHUNK_SIZE, "high": (number + 1) * CHUNK_SIZE, "sep": _SEPARATOR}
    names = ("id", "record", *_ENTRY_CODED)
    (texts,) = reader.rows(
        f"SELECT {', '.join(_joined(reader, name) for name in names)} FROM"
        f" (SELECT {', '.join(names)} FROM search_entry"
        " WHERE id >= :low AND id < :high) AS chunk_rows",
        **bounds,
    )
    if texts[0] is None:
        empty = np.zeros(0, np.int64)
        codes = {name: np.zeros(0, np.int32) for name in _ENTRY_CODED}
        return _Chunk(token, empty, empty, codes, empty, np.zeros(0, np.int32))
    ids = np.array(texts[0].split(_SEPARATOR), dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    codes = {
        name: _coded(columns.vocabularies[name], text)[order]
        for name, text in zip(_ENTRY_CODED, texts[2:], strict=True)
    }
    ((entries, countries),) = reader.rows(
        f"SELECT {_joined(reader, 'entry_id')}, {_joined(reader, 'alpha3')} FROM"
        " (SELECT entry_id, alpha3 FROM search_entry_country"
        " WHERE entry_id >= :low AND entry_id < :high) AS chunk_links",
        **bounds,
    )
    return _Chunk(
        token=token,
        ids=ids[order],
        records=np.array(texts[1].split(_SEPARATOR), dtype=np.int64)[order],
        codes=codes,
        link_entries=np.array(entries.split(_SEPARATOR), dtype=np.int64)
        if entries
        else np.zeros(0, np.int64),
        link_countries=_coded(columns.vocabularies["country"], countries),
    )


SPARSE_SHARE = 16  # a search matching fewer than 1/16 of the records counts them apart
DENSE_SLACK = 1 << 20  # ids may run this far past 4 per entry and still get a dense map


def _joined(reader: Reader, column: str) -> str:
    """One string of a column's values (empty for NULL), separated by :sep."""
    text = f"coalesce(CAST({column} AS VARCHAR), '')"
    if reader.dialect == "sqlite":
        return f"group_concat({text}, :sep)"
    return f"string_agg({text}, :sep)"


def _coded(vocabulary: Vocabulary, text: str | None) -> np.ndarray:
    """The codes of a joined column: each distinct value looked up once."""
    if not text:
        return np.zeros(0, np.int32)
    values, inverse = np.unique(np.array(text.split(_SEPARATOR)), return_inverse=True)
    codes = np.array([vocabulary.code(value or None) for value in values.tolist()], np.int32)
    return codes[inverse.reshape(-1)]


def _combine(columns: _DatabaseColumns) -> Snapshot:
    chunks = [columns.chunks[number] for number in sorted(columns.chunks)]

    def joined(arrays: Sequence[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype)

    ids = joined([c.ids for c in chunks], np.int64)
    numbers, record_of = np.unique(
        joined([c.records for c in chunks], np.int64), return_inverse=True
    )
    record_of = record_of.astype(np.int32)
    # Each record's first entry gives its record-level values (every language agrees).
    first = np.full(len(numbers), len(ids), np.int64)
    np.minimum.at(first, record_of, np.arange(len(ids)))
    record_codes = {
        name: joined([c.codes[name] for c in chunks], np.int32)[first] for name in RECORD_FACETS
    }
    kinds = columns.vocabularies["kind"].values
    kind_order = np.argsort(np.argsort([kind or "" for kind in kinds])).astype(np.int64)
    browse_order = np.lexsort((first, kind_order[record_codes["kind"]])).astype(np.int32)
    browse_rank = np.empty(len(numbers), np.int32)
    browse_rank[browse_order] = np.arange(len(numbers), dtype=np.int32)
    link_entries = joined([c.link_entries for c in chunks], np.int64)
    link_countries = joined([c.link_countries for c in chunks], np.int32)
    place = np.searchsorted(ids, link_entries)
    known = place < len(ids)
    known[known] = ids[place[known]] == link_entries[known]
    # The distinct pairs, sorted. (Without return_index, np.unique imports numpy.ma: a
    # twentieth of a second of a command-line search.)
    pairs, _ = np.unique(
        record_of[place[known]].astype(np.int64) << 32 | link_countries[known].astype(np.int64),
        return_index=True,
    )
    position_of = None
    if len(ids) and ids[-1] < 4 * len(ids) + DENSE_SLACK:
        position_of = np.full(int(ids[-1]) + 1, -1, np.int32)
        position_of[ids] = np.arange(len(ids), dtype=np.int32)
    return Snapshot(
        vocabulary={name: list(v.values) for name, v in columns.vocabularies.items()},
        ids=ids,
        record_of=record_of,
        language_of=joined([c.codes["language"] for c in chunks], np.int32),
        record_numbers=numbers,
        record_codes=record_codes,
        browse_rank=browse_rank,
        browse_order=browse_order,
        link_records=(pairs >> 32).astype(np.int32),
        link_countries=(pairs & 0xFFFFFFFF).astype(np.int32),
        link_start=np.searchsorted(pairs >> 32, np.arange(len(numbers) + 1)),
        position_of=position_of,
    )


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    status: str | None = None
    cluster: str | None = None
    sector: str | None = None
    country: str | None = None
    year: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class Counted:
    """What the columns say about one search: the matching records and their facets."""

    total: int
    facets: dict[str, list[tuple[str, int]]]  # most frequent first
    page: list[int]  # record numbers of the page (and one more, if there is a next page)
    matched_ids: np.ndarray  # matching entry ids (after filters)
    matched_scores: np.ndarray
    matched_records: np.ndarray  # record number of each


def count(
    columns: Snapshot,
    ids: np.ndarray | None,
    scores: np.ndarray | None,
    filters: Filters,
    *,
    offset: int,
    limit: int,
) -> Counted:
    """Filter the matching entries (`ids`, all entries when None), count facets over the
    matching records, and pick a page of records: best score first, then browse order."""
    if ids is None:
        positions = np.arange(len(columns.ids))
        scores = np.zeros(len(positions))
    else:
        positions = _positions(columns, ids)
        inside = positions >= 0
        positions, scores = positions[inside], scores[inside] if scores is not None else None
    assert scores is not None
    allowed = _allowed_records(columns, filters)
    records = columns.record_of[positions]
    keep = allowed[records] if allowed is not None else np.ones(len(records), bool)
    if filters.language is not None:
        keep &= columns.language_of[positions] == (columns.code("language", filters.language) or -1)
    positions, records, scores = positions[keep], records[keep], scores[keep]
    if ids is not None and len(records) * SPARSE_SHARE < columns.record_count:
        # Few matches: work on them alone, not on arrays as long as the whole index.
        matched, best = _best_per_record(records, scores)
        starts, ends = columns.link_start[matched], columns.link_start[matched + 1]
        lengths = ends - starts
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        countries = columns.link_countries[shift + np.arange(int(lengths.sum()))]
    else:
        seen = np.zeros(columns.record_count, bool)
        seen[records] = True
        matched = np.flatnonzero(seen)
        countries = columns.link_countries[seen[columns.link_records]]
        if ids is not None:
            every = np.full(columns.record_count, -np.inf)
            np.maximum.at(every, records, scores)
            best = every[matched]
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in RECORD_FACETS:
        facets[name] = _ranked(columns, name, columns.record_codes[name][matched])
    facets["language"] = _ranked(columns, "language", columns.language_of[positions])
    facets["country"] = _ranked(columns, "country", countries)
    if ids is None:
        order = columns.browse_order[seen[columns.browse_order]]
    else:
        order = _first(matched, best, columns.browse_rank[matched], offset + limit + 1)
    page = order[offset : offset + limit + 1]
    return Counted(
        total=len(matched),
        facets={name: facets[name] for name in FACETS},
        page=[int(n) for n in columns.record_numbers[page]],
        matched_ids=columns.ids[positions],
        matched_scores=scores,
        matched_records=columns.record_numbers[records],
    )


def _best_per_record(records: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct records (sorted) and the best score of each."""
    if not len(records):
        return records, scores
    order = np.argsort(records, kind="stable")
    records, scores = records[order], scores[order]
    starts = np.flatnonzero(np.r_[True, records[1:] != records[:-1]])
    return records[starts], np.maximum.reduceat(scores, starts)


def _first(records: np.ndarray, scores: np.ndarray, ranks: np.ndarray, k: int) -> np.ndarray:
    """The first `k` records by score (highest first), then browse rank. Only those that
    can be among them are sorted: a page of a huge match needs no order of the rest."""
    if len(records) > 4 * k:
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]  # k-th highest
        above = np.flatnonzero(scores > threshold)
        tied = np.flatnonzero(scores == threshold)
        room = k - len(above)  # at least 1: fewer than k scores exceed the k-th highest
        if len(tied) > room:
            tied = tied[np.argpartition(ranks[tied], room - 1)[:room]]
        pick = np.concatenate([above, tied])
        records, scores, ranks = records[pick], scores[pick], ranks[pick]
    return records[np.lexsort((ranks, -scores))]


def _positions(columns: Snapshot, ids: np.ndarray) -> np.ndarray:
    """Where each entry id is in the columns; -1 for ids they do not hold (written since)."""
    if columns.position_of is not None:
        found = np.full(len(ids), -1, np.int64)
        known = (ids >= 0) & (ids < len(columns.position_of))
        found[known] = columns.position_of[ids[known]]
        return found
    positions = np.searchsorted(columns.ids, ids)
    inside = positions < len(columns.ids)
    inside[inside] = columns.ids[positions[inside]] == ids[inside]
    return np.where(inside, positions, -1)


def _allowed_records(columns: Snapshot, filters: Filters) -> np.ndarray | None:
    """Which records the record-level filters let through (None: all of them)."""
    allowed: np.ndarray | None = None

    def narrow(mask: np.ndarray) -> None:
        nonlocal allowed
        allowed = mask if allowed is None else allowed & mask

    for name, value in (
        ("status", filters.status),
        ("cluster", filters.cluster),
        ("sector", filters.sector),
        ("year", filters.year),
    ):
        if value is not None:
            code = columns.code(name, str(value))
            narrow(columns.record_codes[name] == (-1 if code is None else code))
    if filters.kinds:
        codes = [columns.code("kind", kind) for kind in filters.kinds]
        narrow(np.isin(columns.record_codes["kind"], [c for c in codes if c is not None]))
    if filters.country is not None:
        code = columns.code("country", filters.country)
        mask = np.zeros(columns.record_count, bool)
        if code is not None:
            mask[columns.link_records[columns.link_countries == code]] = True
        narrow(mask)
    return allowed


def _ranked(columns: Snapshot, facet: str, codes: np.ndarray) -> list[tuple[str, int]]:
    values = columns.vocabulary[facet]
    counts = np.bincount(codes, minlength=len(values))
    found = [(values[code], int(n)) for code, n in enumerate(counts) if n and values[code]]
    return sorted(found, key=lambda item: (-item[1], item[0]))  # type: ignore[arg-type,return-value]
