"""Keeping the index in step with the records, inside the transaction that changes them.

Every flush of every session is watched: the records it added, changed or deleted
(directly, or through one of their parts such as a project's titles) are noted, and their
entries are rewritten before the transaction commits, and before `search` reads the index
in the same transaction. Noting per flush but rewriting once matters: loading a report
flushes hundreds of times and would otherwise re-index the same paragraphs again and again.
Rewriting reads each noted record afresh from the database (a record that no longer exists
loses its entries), so a note left by a rolled-back savepoint does no harm.

Statements that bypass the unit of work (`session.execute(delete(Model))`) are not seen:
a bulk insert names what it wrote with `note_written`, and anything else calls
`rebuild_index` after it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from devagenda.core.bulk import insert_returning_ids, insert_rows
from devagenda.search.layout import INDEX_FORMAT
from devagenda.search.models import SearchEntry, SearchEntryCountry, SearchIndexFormat, SearchName
from devagenda.search.registry import (
    EntryData,
    Indexer,
    identity,
    indexers,
    record_key,
    updating,
)
from devagenda.search.segment import line_tokens, name_key, words

MAX_NAME_KEY = 400
_LOAD_BATCH = 2_000  # records read per query when the index is updated
_PENDING = "devagenda.search.pending"
_ENTRY = SearchEntry.__table__
_ENTRY_COUNTRY = SearchEntryCountry.__table__
_NAME = SearchName.__table__
_FORMAT = SearchIndexFormat.__table__


@dataclass
class _Pending:
    """What flushes changed since the index was last updated: records, by kind and key
    (with their primary key), and links from changed parts to the records they belong to."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[tuple[str, type[Any]], set[Hashable]] = field(default_factory=dict)

    def note_record(self, indexer: Indexer, record: Any) -> None:
        self.records.setdefault(indexer.kind, {})[record_key(record)] = identity(record)

    def note_part(self, indexer: Indexer, part: Any) -> None:
        link = indexer.parts[type(part)].link(part)
        if link is not None:
            self.links.setdefault((indexer.kind, type(part)), set()).add(link)


def install() -> None:
    """Watch every session; calling it again changes nothing."""
    if not event.contains(Session, "after_flush", _note):
        event.listen(Session, "after_flush", _note)
        event.listen(Session, "before_commit", update_index)
        event.listen(Session, "after_rollback", _forget)


def uninstall() -> None:
    """Stop watching sessions, for measuring what keeping the index costs; the index goes
    stale until `rebuild_index`."""
    if event.contains(Session, "after_flush", _note):
        event.remove(Session, "after_flush", _note)
        event.remove(Session, "before_commit", update_index)
        event.remove(Session, "after_rollback", _forget)


def update_index(session: Session) -> None:
    """Flush, then rewrite the entries of every record changed since the last update."""
    session.flush()
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    by_kind = {indexer.kind: indexer for indexer in indexers()}
    for (kind, model), links in pending.links.items():
        indexer = by_kind[kind]
        for record in indexer.parts[model].owners(session, list(links)):
            pending.note_record(indexer, record)
    _delete(session, pending.records)
    with updating(session):
        for kind, keys in pending.records.items():
            for records in _load(session, by_kind[kind], keys.values()):
                _insert(session, [(by_kind[kind], record) for record in records])


def note_written(session: Session, model: type[Any], keys: Iterable[Any]) -> None:
    """Index these records of `model` (by primary key) at the next update, for writes
    that bypass the unit of work, such as an import's bulk inserts."""
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    for indexer in indexers():
        if indexer.model is model:
            noted = pending.records.setdefault(indexer.kind, {})
            noted.update((str(key), key) for key in keys)


def rebuild_index(session: Session) -> int:
    """Rewrite every entry from the records (after bulk statements, or to repair);
    returns the number of entries written."""
    session.flush()
    session.info.pop(_PENDING, None)
    connection = session.connection()
    connection.execute(delete(_NAME))
    connection.execute(delete(_ENTRY_COUNTRY))
    connection.execute(delete(_ENTRY))
    records = [
        (indexer, record)
        for indexer in indexers()
        for record in session.scalars(select(indexer.model).options(*indexer.options))
    ]
    with updating(session):
        written = _insert(session, records)
    connection.execute(delete(_FORMAT))
    connection.execute(insert(_FORMAT).values(id=1, format=INDEX_FORMAT))
    return written


def record_number(kind: str, key: str) -> int:
    """The number all entries of one record share: 63 bits of a hash of kind and key (two
    records share one with odds of about one in 10^7 at a billion records)."""
    digest = blake2b(f"{kind}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _note(session: Session, _flush: UOWTransaction) -> None:
    """Note what the flush wrote. Only now are both the new primary keys and the lists of
    new, changed and deleted objects available; no query runs here, as loading a report
    flushes hundreds of times."""
    roots: dict[type[Any], Indexer] = {}
    parts: dict[type[Any], list[Indexer]] = {}
    for indexer in indexers():
        roots[indexer.model] = indexer
        for model in indexer.parts:
            parts.setdefault(model, []).append(indexer)
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    for instance in (*session.new, *session.dirty, *session.deleted):
        model = type(instance)
        if model not in roots and model not in parts:
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue
        if model in roots:
            pending.note_record(roots[model], instance)
        for indexer in parts.get(model, []):
            pending.note_part(indexer, instance)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _load(session: Session, indexer: Indexer, identities: Iterable[Any]) -> Iterator[list[Any]]:
    """The records that still exist, read from the database a batch at a time (an
    object may outlive its row in the session when the database deleted the row by
    cascade). A batch is let go of once indexed: the session holds clean objects weakly,
    so that indexing a million imported records takes the memory of one batch."""
    (key_column,) = inspect(indexer.model).primary_key
    wanted = list(identities)
    for start in range(0, len(wanted), _LOAD_BATCH):
        query = select(indexer.model).where(key_column.in_(wanted[start : start + _LOAD_BATCH]))
        yield list(session.scalars(query.options(*indexer.options)))


def _delete(session: Session, keys: Mapping[str, set[str]]) -> None:
    connection = session.connection()
    for kind, kind_keys in keys.items():
        ordered = sorted(kind_keys)
        for start in range(0, len(ordered), _LOAD_BATCH):  # within the engines' bound limits
            chosen = ordered[start : start + _LOAD_BATCH]
            connection.execute(
                delete(_ENTRY).where(_ENTRY.c.kind == kind, _ENTRY.c.key.in_(chosen))
            )


def _insert(session: Session, records: Iterable[tuple[Indexer, Any]]) -> int:
    """Insert the entries of `records`, in one statement per table, within `updating`."""
    rows: list[dict[str, Any]] = []
    countries: list[tuple[str, ...]] = []
    names: list[tuple[str, ...]] = []
    for indexer, record in records:
        key = record_key(record)
        for data in indexer.build(session, record):
            rows.append(_row(indexer.kind, key, data))
            countries.append(tuple(dict.fromkeys(data.countries)))
            names.append(_name_keys(data.names))
    if not rows:
        return 0
    connection = session.connection()
    ids = insert_returning_ids(connection, _ENTRY, rows)
    links = [
        {"entry_id": entry_id, "alpha3": alpha3}
        for entry_id, codes in zip(ids, countries, strict=True)
        for alpha3 in codes
    ]
    insert_rows(connection, _ENTRY_COUNTRY, links)
    name_rows = [
        {"entry_id": entry_id, "name_key": key}
        for entry_id, keys in zip(ids, names, strict=True)
        for key in keys
    ]
    insert_rows(connection, _NAME, name_rows)
    return len(rows)


def _name_keys(names: Iterable[str]) -> tuple[str, ...]:
    keys = (name_key(words(name)) for name in names)
    return tuple(dict.fromkeys(key for key in keys if key and len(key) <= MAX_NAME_KEY))


def _tokens(text: str) -> str:
    """The tokens of `text` joined by spaces, read line by line (see `line_tokens`)."""
    return " ".join(token for line in text.split("\n") for token in line_tokens(line))


def _row(kind: str, key: str, data: EntryData) -> dict[str, Any]:
    title = data.title if data.title_searched else ""
    return {
        "kind": kind,
        "key": key,
        "record": record_number(kind, key),
        "language": data.language,
        "title": data.title,
        "body": data.body,
        "title_tokens": _tokens(title),
        "tokens": _tokens(f"{title}\n{data.body}"),
        "url": data.url,
        "status": data.status,
        "cluster": data.cluster,
        "sector": data.sector,
        "year": data.year,
        "source_id": data.source_id,
    }
