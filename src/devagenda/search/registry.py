"""How each area tells search what to index.

An area's `search.py` registers one `Indexer` per kind of record: the model (with a
one-column primary key), how to turn a record into entries (one per language), and which
other models hold parts of the record's text or facets (a project's titles and
beneficiaries), so that a change to a part re-indexes the whole record.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

# Every module that registers indexers; importing them fills the registry.
AREA_MODULES = (
    "devagenda.reference.search",
    "devagenda.catalogue.search",
    "devagenda.reports.search",
    "devagenda.activities.search",
    "devagenda.roster.search",
    "devagenda.flexibilities.search",
    "devagenda.match.search",
)

# Text in no particular language, such as a document symbol.
NO_LANGUAGE = "und"


@dataclass(frozen=True)
class EntryData:
    """What one record says in one language, ready to be segmented and stored."""

    language: str
    title: str
    body: str
    url: str
    status: str | None = None
    cluster: str | None = None
    sector: str | None = None
    year: int | None = None
    countries: tuple[str, ...] = ()  # alpha-3 codes the record is about or mentions
    source_id: int | None = None  # the report it was read from, if any
    # The names by which the record is known in this language (a country's official name
    # and aliases, a project's title): a query naming it finds the other languages' names.
    names: tuple[str, ...] = ()
    # False for a title that only says where the record sits (a report paragraph under its
    # heading): searched, it would make every paragraph of a chapter match the heading.
    title_searched: bool = True


Build = Callable[[Session, Any], list[EntryData]]


@dataclass(frozen=True)
class Part:
    """A model that holds part of a record's text or facets (a project's titles).

    `link` reads, from one part's own columns, what leads to its records (a deleted part
    has nothing else); `owners` finds the records of many links at once, so that a report's
    hundreds of country mentions cost one query.
    """

    link: Callable[[Any], Hashable | None]
    owners: Callable[[Session, list[Any]], Iterable[Any]]


def identity(record: Any) -> Any:
    """The value of an indexed record's one-column primary key."""
    (value,) = inspect(record).mapper.primary_key_from_instance(record)
    return value


def record_key(record: Any) -> str:
    """The key of a record's entries: its primary key as text, which never changes, so
    that a deleted record's entries can still be found."""
    return str(identity(record))


@dataclass(frozen=True)
class Indexer:
    kind: str  # "project", "paragraph"...: the `kind` facet
    model: type[Any]
    build: Build
    parts: Mapping[type[Any], Part] = field(default_factory=dict)
    # Loader options for reading many records to index at once (selectinload of what
    # `build` reads), so that re-indexing does not lazy-load record by record.
    options: Sequence[ORMOption] = ()


_indexers: dict[str, Indexer] = {}
_MEMO = "devagenda.search.memo"
A = TypeVar("A", bound=Hashable)
T = TypeVar("T")


def register(indexer: Indexer) -> None:
    """Add an indexer, replacing any earlier one for the same kind."""
    _indexers[indexer.kind] = indexer


def indexers() -> list[Indexer]:
    """Every registered indexer, after importing the areas that register them."""
    for module in AREA_MODULES:
        import_module(module)
    return list(_indexers.values())


def part_of(model: type[Any], link: Callable[[Any], Hashable | None]) -> Part:
    """A part whose `link` is its record's primary key."""

    def owners(session: Session, keys: list[Any]) -> Iterable[Any]:
        (key_column,) = inspect(model).primary_key
        return session.scalars(select(model).where(key_column.in_(keys)))

    return Part(link, owners)


def per_update(session: Session, read: Callable[[Session, A], T], argument: A) -> T:
    """`read(session, argument)`, once per index update: what many entries share (a
    report's headings and country mentions) is then read once, not once per entry."""
    memo: dict[tuple[object, A], Any] | None = session.info.get(_MEMO)
    if memo is None:
        return read(session, argument)
    if (read, argument) not in memo:
        memo[(read, argument)] = read(session, argument)
    return memo[(read, argument)]


@contextmanager
def updating(session: Session) -> Iterator[None]:
    """The span of one index update, for `per_update`."""
    session.info[_MEMO] = {}
    try:
        yield
    finally:
        session.info.pop(_MEMO, None)
