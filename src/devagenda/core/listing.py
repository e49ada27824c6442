"""Lists counted by the database: the total, facet counts, one page and a streamed export
of a filtered, sorted list, whatever the size of the table (after Datasette's facets
and filters, which are GROUP BY counts too).

A service describes a list once as a `ListSource`: its `Listing` (which rows, their
unique key, how they become output models, what `q` matches), the facets the rows can be
filtered and counted by, and the orders they can be sorted in. An interface asks for a
`Selection` (a text filter, one value per facet, a sort) and reads what it needs:

- `total`: how many rows the selection lets through;
- `facet_counts`: for each facet, how many rows have each value among those that the
  *other* facets let through, so that a count is what choosing that value would give;
- `page_at` (an offset, for numbered pages) and `page_after` (a keyset cursor);
- `all`: every row, streamed in batches, for downloads.

Three kinds of facet cover the shapes a record has: `ColumnFacet` (a column or an
expression of the listed table; NULL counts as `NOT_STATED`), `LinkFacet` (values in a
link table, such as the countries an activity benefits) and `ConditionFacet` (named
conditions, for a value that is a rule rather than a column, such as a project's states).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session

from devagenda.core.cursors import MAX_KEY, decode_position, encode_position
from devagenda.core.errors import InputError
from devagenda.core.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    STREAM_BATCH,
    Listing,
    Page,
)

if TYPE_CHECKING:
    from devagenda.core.memory_facets import Counted

T = TypeVar("T")

# The facet value of a row whose field no source states: unknown is not none, and its
# count shows how many rows a figure leaves out.
NOT_STATED = "none"
# Orders that only Python can give (names in pinyin order) read one narrow column of
# every matching row; beyond this many rows they are refused rather than slow.
PYTHON_ORDER_LIMIT = 20_000
MAX_OFFSET = 5_000_000
_TRUE_FALSE = {"true": True, "false": False}


def value_key(value: Any) -> str:
    """A facet value as the query string spells it."""
    if value is None:
        return NOT_STATED
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def parse_bool(text: str) -> bool:
    """`true`/`false`, the way `value_key` writes a boolean."""
    try:
        return _TRUE_FALSE[text.casefold()]
    except KeyError:
        raise ValueError(text) from None


@dataclass(frozen=True)
class Rows:
    """The rows some filters let through, as the parts a count query is made of."""

    session: Session
    entity: Any  # the listed model
    key: Any  # its unique key column
    where: tuple[ColumnElement[bool], ...]

    def count(self) -> int:
        query = select(func.count()).select_from(self.entity).where(*self.where)
        return self.session.scalar(query) or 0

    def keys(self) -> Select[Any]:
        return select(self.key).where(*self.where)


class FacetField(Protocol):
    """What a facet does in the database: the condition one of its values sets, and its
    values' counts over some rows."""

    name: str

    def condition(self, value: str) -> ColumnElement[bool]: ...

    def counts(self, rows: Rows) -> dict[str, int]: ...


def _parsed(name: str, parse: Callable[[str], Any], value: str) -> Any:
    try:
        return parse(value)
    except ValueError:
        raise InputError(f"{value[:40]!r} is not a value of this facet", field=name) from None


@dataclass(frozen=True)
class ColumnFacet:
    """A column (or expression) of the listed table; rows where it is NULL are counted,
    and chosen, as not stated."""

    name: str
    column: ColumnElement[Any]
    parse: Callable[[str], Any] = str  # the query's text as a value of the column

    def condition(self, value: str) -> ColumnElement[bool]:
        if value == NOT_STATED:
            return self.column.is_(None)
        return self.column == _parsed(self.name, self.parse, value)

    def counts(self, rows: Rows) -> dict[str, int]:
        values = (
            select(self.column.label("value"))
            .select_from(rows.entity)
            .where(*rows.where)
            .subquery()
        )
        query = select(values.c.value, func.count()).group_by(values.c.value)
        return {value_key(value): n for value, n in rows.session.execute(query)}


@dataclass(frozen=True)
class LinkFacet:
    """Values held in a link table (`pairs` selects `owner`, the listed row's key, and
    `value`). A row may have several values, and is counted once under each; with
    `not_stated`, rows with no link at all are counted, and chosen, as not stated."""

    name: str
    key: Any  # the listed table's key column, which `owner` refers to
    pairs: Select[Any]
    parse: Callable[[str], Any] = str
    not_stated: bool = False
    unique_pairs: bool = False  # no (owner, value) twice: a plain count suffices

    def condition(self, value: str) -> ColumnElement[bool]:
        pairs = self.pairs.subquery()
        if value == NOT_STATED and self.not_stated:
            return ~exists().where(pairs.c.owner == self.key)
        wanted = _parsed(self.name, self.parse, value)
        return self.key.in_(select(pairs.c.owner).where(pairs.c.value == wanted))

    def counts(self, rows: Rows) -> dict[str, int]:
        pairs = self.pairs.subquery()
        counted = func.count() if self.unique_pairs else func.count(pairs.c.owner.distinct())
        query = select(pairs.c.value, counted).group_by(pairs.c.value)
        if rows.where:  # every row passes otherwise: no need to ask which
            query = query.where(pairs.c.owner.in_(rows.keys()))
        counts = {value_key(value): n for value, n in rows.session.execute(query)}
        if self.not_stated:  # the rows less those with a link: no anti-join over them all
            linked = select(func.count(pairs.c.owner.distinct()))
            if rows.where:
                linked = linked.where(pairs.c.owner.in_(rows.keys()))
            unlinked = rows.count() - (rows.session.scalar(linked) or 0)
            if unlinked:
                counts[NOT_STATED] = unlinked
        return counts


@dataclass(frozen=True)
class ConditionFacet:
    """Named conditions, each a value of the facet: for values that are rules, such as a
    project that holds the state "mainstreamed" besides its stage. A row may meet
    several. A well-formed value that names no condition lets no row through."""

    name: str
    conditions: Mapping[str, ColumnElement[bool]]

    def condition(self, value: str) -> ColumnElement[bool]:
        found = self.conditions.get(value)
        return false() if found is None else found

    def counts(self, rows: Rows) -> dict[str, int]:
        names = list(self.conditions)
        sums = [func.sum(case((self.conditions[n], 1), else_=0)) for n in names]
        query = select(*sums).select_from(rows.entity).where(*rows.where)
        found = rows.session.execute(query).one()
        return {n: int(count) for n, count in zip(names, found, strict=True) if count}


@dataclass(frozen=True)
class Sort:
    """An order of the list: by `expression`, not stated (NULL) last in both directions,
    ties in key order. With `python_key` the order is Python's over the expression's
    values (names in pinyin, labels in the page language), for lists of at most
    PYTHON_ORDER_LIMIT matching rows. With `ranked` (and no expression) the order is
    the service's own ranking of those keys, such as likeness to a name: the value is a
    key's place in it; a page in memory is read off it, and SQL gets a CASE only when it
    orders by it (one of a thousand keys costs tens of milliseconds to build and run)."""

    expression: ColumnElement[Any] | None = None
    python_key: Callable[[Any], Any] | None = None
    nullable: bool = True  # False when the expression is never NULL (lets indexes serve)
    ranked: tuple[Any, ...] | None = None  # keys, best first

    def sql(self, key: Any) -> ColumnElement[Any]:
        """The expression SQL orders by: given, or each ranked key's place."""
        if self.ranked is None:
            assert self.expression is not None, "a sort needs an expression or a ranking"
            return self.expression
        places = {k: place for place, k in enumerate(self.ranked)}
        return case(places, value=key) if places else key  # no keys: no rows either


@dataclass(frozen=True)
class Selection:
    """What an interface asks of a list: the text filter, one value per facet (as
    `value_key` spells it; NOT_STATED for the rows that do not state it) and the sort
    (`name` or `-name`; blank: key order)."""

    q: str | None = None
    facets: Mapping[str, str] = field(default_factory=dict)
    sort: str = ""


@dataclass(frozen=True)
class Order:
    name: str
    descending: bool
    sort: Sort | None  # None: key order

    @property
    def spelled(self) -> str:
        """As `sort` spells it: a cursor names the order it belongs to."""
        return ("-" if self.descending else "") + self.name


class FacetCount(BaseModel):
    value: str
    count: int  # rows with this value among those the other filters let through


class FacetedPage(Page[T], Generic[T]):
    """A page of a list with its facets' counts."""

    facets: dict[str, list[FacetCount]]


@dataclass(frozen=True)
class Bound:
    """A range filter over sorts of the list: the rows whose first stated value of
    `sorts` (as SQL's COALESCE takes it) is at least `value`, or with `at_least=False` at
    most `value`; a row that states none of them is out. Held sorts let the columns in
    memory apply it, as they apply a facet."""

    sorts: tuple[str, ...]
    value: Any
    at_least: bool = True

    def condition(self, sorts: Mapping[str, Sort]) -> ColumnElement[bool]:
        expressions = [sorts[name].sql(None) for name in self.sorts]
        stated = expressions[0] if len(expressions) == 1 else func.coalesce(*expressions)
        return stated >= self.value if self.at_least else stated <= self.value


@dataclass(frozen=True)
class RewrittenTexts:
    """Texts (a select of owner, value pairs) that `q` matches once rewritten, such as a
    romanised name key matched by the romanised query: held as a state of their own
    (`variant`), without facets, and matched with `rewrite(q)`."""

    variant: str
    texts: Any
    rewrite: Callable[[str], str]


@dataclass(frozen=True)
class InMemory:
    """How a list's facets are counted in memory (`devagenda.core.memory_facets`): `name`
    is its `list_chunk.list_name`, which the triggers of its tables write. `texts`, a
    select of (owner, value) pairs, is every text the list's `q` filter matches (as
    `contains_text` does), held to match `q` without the database, with `text_columns`,
    columns of the listed table whose values repeat (held coded, matched value by value);
    `rewritten`, texts that `q` matches only once rewritten; `sorts` names the sorts over
    a date or integer column of the listed table, held to order pages. `variant` tells
    apart lists of one table whose facets or texts differ (what the public may see and
    what personal readers may): each is held as a state of its own, under the same
    chunk tokens, so that one never holds what another may not show."""

    name: str
    texts: Any = None
    text_columns: tuple[Any, ...] = ()
    sorts: tuple[str, ...] = ()
    variant: str = ""
    rewritten: tuple[RewrittenTexts, ...] = ()


@dataclass(frozen=True)
class ListSource(Generic[T]):
    """A list as its service describes it for the database to filter, count and order."""

    listing: Listing[T]
    facets: Sequence[FacetField] = ()
    sorts: Mapping[str, Sort] = field(default_factory=dict)
    # Count the facets from columns each process holds in memory (core.memory_facets);
    # the counts are the same as the database's, in milliseconds at a million rows.
    memory: InMemory | None = None
    # Range filters of the service's own (an activity's dates), applied in every read.
    bounds: tuple[Bound, ...] = ()
    # The only keys the list may hold, when the service chose them itself (names matched
    # fuzzily in Python); None: any key.
    among: tuple[Any, ...] | None = None

    def facet(self, name: str) -> FacetField:
        for facet in self.facets:
            if facet.name == name:
                return facet
        raise InputError(f"this list has no facet {name[:40]!r}", field=name[:40])

    def ordered_by(self, python_keys: Mapping[str, Callable[[Any], Any]]) -> ListSource[T]:
        """These sorts in Python's order over their values (an interface's language)."""
        sorts = dict(self.sorts)
        for name, python_key in python_keys.items():
            sorts[name] = replace(sorts[name], python_key=python_key)
        return replace(self, sorts=sorts)

    def order(self, sort: str) -> Order:
        """The order `sort` names; an unknown one is an error that lists the others."""
        name = sort.removeprefix("-")
        if not name:
            return Order("", False, None)
        found = self.sorts.get(name)
        if found is None:
            sortable = ", ".join(self.sorts)
            raise InputError(
                f"cannot sort by {name[:40]!r}: sort by one of {sortable}", field="sort"
            )
        return Order(name, sort.startswith("-"), found)

    # -- counts -------------------------------------------------------------------------

    def rows(self, selection: Selection, *, skip: str = "") -> Rows:
        """The rows the selection lets through, the facet `skip` left out."""
        query = self.listing.matching(selection.q).query
        where = () if query.whereclause is None else (query.whereclause,)
        chosen = tuple(
            self.facet(name).condition(value)
            for name, value in selection.facets.items()
            if name != skip
        )
        entity = query.column_descriptions[0]["entity"]
        bounds = (*(bound.condition(self.sorts) for bound in self.bounds), *self._among())
        return Rows(self.listing.session, entity, self.listing.key, (*where, *bounds, *chosen))

    def _among(self) -> tuple[ColumnElement[bool], ...]:
        if self.among is None:
            return ()
        return (self.listing.key.in_(self.among) if self.among else false(),)

    def total(self, selection: Selection) -> int:
        return self.rows(selection).count()

    def facet_counts(self, selection: Selection) -> dict[str, dict[str, int]]:
        """Each facet's counts over the rows that the other facets' choices let through."""
        return {f.name: f.counts(self.rows(selection, skip=f.name)) for f in self.facets}

    def counted(self, selection: Selection) -> tuple[int, dict[str, dict[str, int]]]:
        """The total and the facets' counts. A column facet holds one value per row (not
        stated included), so its counts already give the total: one query fewer."""
        if self._in_memory():
            found = self.counted_in_memory(selection)
            return found.total, found.facets
        counts = self.facet_counts(selection)
        for facet in self.facets:
            if isinstance(facet, ColumnFacet):
                found = counts[facet.name]
                chosen = selection.facets.get(facet.name)
                if chosen is None:
                    return sum(found.values()), counts
                if chosen == NOT_STATED or chosen in found:
                    return found.get(chosen, 0), counts
        return self.total(selection), counts

    def _in_memory(self) -> bool:
        return self.memory is not None and all(
            isinstance(f, ColumnFacet | LinkFacet) for f in self.facets
        )

    def _held_bounds(self) -> bool:
        """Whether the columns in memory hold every sort the bounds read."""
        held = () if self.memory is None else self.memory.sorts
        return all(name in held for bound in self.bounds for name in bound.sorts)

    def counted_in_memory(self, selection: Selection) -> Counted:
        """The rows, total and facet counts from the process's in-memory columns. The
        filters that are not facets (the text filter, the service's own) are resolved
        into keys by one query."""
        import numpy as np

        from devagenda.core import memory_facets

        session = self.listing.session
        columns = memory_facets.PROCESS.columns(session, self)
        # The rewritten texts are read with the rest, not by the first search.
        rewritten = [memory_facets.PROCESS.columns(session, s) for s in self._rewritten()]
        query = self.listing.matching(selection.q).query
        text_keys = None
        if query is not self.listing.query and selection.q is not None:
            text_keys = self._held_text_keys(columns, rewritten, selection.q.strip())
            if text_keys is not None:
                query = self.listing.query  # the text filter is matched in memory
        within = text_keys
        if self.among is not None:
            among = memory_facets.distinct(np.array(self.among, np.int64))
            within = among if within is None else memory_facets.both(within, among)
        held_bounds = self._held_bounds()
        clauses = [] if query.whereclause is None else [query.whereclause]
        if not held_bounds:
            clauses += [bound.condition(self.sorts) for bound in self.bounds]
        if clauses:
            keys = select(self.listing.key).where(*clauses)
            found = memory_facets.within_keys(session, keys)
            within = found if within is None else memory_facets.both(found, within)
        for name in selection.facets:
            self.facet(name)
        bounds = self.bounds if held_bounds else ()
        return memory_facets.count(columns, self, selection, within, bounds)

    def _rewritten(self) -> list[ListSource[T]]:
        """A list of no facets per rewritten text of this one, held as a state apart."""
        assert self.memory is not None
        return [
            replace(
                self,
                facets=(),
                sorts={},
                bounds=(),
                among=None,
                memory=InMemory(self.memory.name, texts=texts.texts, variant=texts.variant),
            )
            for texts in self.memory.rewritten
        ]

    def _held_text_keys(self, columns: Any, rewritten: Sequence[Any], q: str) -> Any:
        """The keys whose held texts contain `q`, or the rewritten texts (`rewritten`:
        their columns) `q` rewritten, sorted; None when some cannot be matched in memory."""
        from devagenda.core import memory_facets

        assert self.memory is not None
        found = columns.text_keys(q)
        for texts, held in zip(self.memory.rewritten, rewritten, strict=True):
            more = None if found is None else held.text_keys(texts.rewrite(q))
            found = None if more is None else memory_facets.distinct(found, more)
        return found

    # -- rows ---------------------------------------------------------------------------

    def page_at(self, selection: Selection, *, offset: int, limit: int = DEFAULT_LIMIT) -> list[T]:
        """The `limit` rows from `offset` on, in the selection's order (numbered pages)."""
        if not 0 <= offset <= MAX_OFFSET:
            raise InputError(f"an offset from 0 to {MAX_OFFSET}", field="page")
        order = self.order(selection.sort)
        if order.sort is not None and order.sort.python_key is not None:
            keys = self._python_ordered_keys(selection, order)[offset : offset + limit]
            return self._by_keys(keys)
        query = self._ordered(selection, order).offset(offset).limit(limit)
        return self.listing.convert(self.listing.session, self._entities(query))

    def page_after(
        self, selection: Selection, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> FacetedPage[T]:
        """The page that follows `cursor` (a keyset cursor: the sort value and key of the
        previous page's last row), with the total and the facets' counts."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InputError(f"must be between 1 and {MAX_LIMIT}", field="limit")
        order = self.order(selection.sort)
        position = None if cursor is None else _read_position(cursor, order, self.listing.key)
        if order.sort is None and self._in_memory():
            # Key order from the columns: the chosen rows' first keys, then their rows.
            found = self.counted_in_memory(selection)
            after = None if position is None else position[-1]
            keys = found.page_keys(after=after, limit=limit + 1)
            more = len(keys) > limit
            items = self._by_keys(keys[:limit])
            last = {"sort": "", "after": [keys[limit - 1]]} if more else None
            next_cursor = None if last is None else encode_position(last)
            return self._faceted(items, next_cursor, found.total, found.facets)
        if self._sorted_in_memory(order):
            return self._held_sorted_page(selection, order, position, limit)
        if order.sort is not None and order.sort.ranked is not None and self._in_memory():
            return self._ranked_page(selection, order, position, limit)
        if order.sort is not None and order.sort.python_key is not None:
            keys = self._python_ordered_keys(selection, order)
            start = 0 if position is None else position[0]
            items = self._by_keys(keys[start : start + limit])
            more = start + limit < len(keys)
            next_cursor = encode_position({"sort": order.spelled, "at": start + limit})
        else:
            query = self._ordered(selection, order, after=position).limit(limit + 1)
            rows = self.listing.session.execute(query).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = self.listing.convert(self.listing.session, [row[0] for row in rows])
            next_cursor = _position_of(rows[-1], order) if rows else ""
        total, facets = self.counted(selection)
        return self._faceted(items, next_cursor if more else None, total, facets)

    def _sorted_in_memory(self, order: Order) -> bool:
        return (
            order.sort is not None
            and order.sort.python_key is None
            and self.memory is not None
            and order.name in self.memory.sorts
            and self._in_memory()
        )

    def _held_sorted_page(
        self, selection: Selection, order: Order, position: tuple[Any, ...] | None, limit: int
    ) -> FacetedPage[T]:
        """A sorted page from the held sort values: the top of the chosen rows, then
        those rows; its cursor is the one SQL's order would give."""
        from devagenda.core import memory_facets

        found = self.counted_in_memory(selection)
        kind = found.columns.sort_kinds[order.name]
        after = None
        if position is not None:
            after = (memory_facets.sort_value_of(kind, position[0]), int(position[1]))
        pairs = found.sorted_keys(
            order.name, descending=order.descending, after=after, limit=limit + 1
        )
        more = len(pairs) > limit
        pairs = pairs[:limit]
        items = self._by_keys([key for _, key in pairs])
        next_cursor = None
        if more:
            value = memory_facets.python_sort_value(kind, pairs[-1][0])
            spelled = {"sort": order.spelled, "after": [_json_value(value), pairs[-1][1]]}
            next_cursor = encode_position(spelled)
        return self._faceted(items, next_cursor, found.total, found.facets)

    def _ranked_page(
        self, selection: Selection, order: Order, position: tuple[Any, ...] | None, limit: int
    ) -> FacetedPage[T]:
        """A page in the service's ranking: the ranked keys the selection lets through,
        after the cursor's place; its cursor is the one SQL's CASE order would give."""
        assert order.sort is not None and order.sort.ranked is not None
        found = self.counted_in_memory(selection)
        places = found.chosen_places(order.sort.ranked)
        if order.descending:
            places = places[::-1]
        if position is not None:
            last = int(position[0])
            places = places[places < last] if order.descending else places[places > last]
        places = places[: limit + 1]
        more = len(places) > limit
        keys = [order.sort.ranked[place] for place in places[:limit].tolist()]
        items = self._by_keys(keys)
        next_cursor = None
        if more:
            last_place = int(places[limit - 1])
            spelled = {"sort": order.spelled, "after": [last_place, keys[-1]]}
            next_cursor = encode_position(spelled)
        return self._faceted(items, next_cursor, found.total, found.facets)

    @staticmethod
    def _faceted(
        items: list[T], next_cursor: str | None, total: int, facets: dict[str, dict[str, int]]
    ) -> FacetedPage[T]:
        return FacetedPage(
            items=items,
            next_cursor=next_cursor,
            total=total,
            facets={
                name: [
                    FacetCount(value=v, count=n)
                    for v, n in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
                ]
                for name, counts in facets.items()
            },
        )

    def all(self, selection: Selection, *, batch_size: int = STREAM_BATCH) -> Iterator[T]:
        """Every row of the selection in its order, a keyset batch at a time: memory stays
        bounded and no database cursor stays open while a slow client reads."""
        order = self.order(selection.sort)
        session = self.listing.session
        if order.sort is not None and order.sort.python_key is not None:
            keys = self._python_ordered_keys(selection, order)
            for start in range(0, len(keys), batch_size):
                yield from self._by_keys(keys[start : start + batch_size])
            return
        position: tuple[Any, ...] | None = None
        while True:
            query = self._ordered(selection, order, after=position).limit(batch_size)
            rows = session.execute(query).all()
            if not rows:
                return
            yield from self.listing.convert(session, [row[0] for row in rows])
            if len(rows) < batch_size:
                return
            position = tuple(rows[-1][1:])

    # -- how the rows are read ---------------------------------------------------------

    def _ordered(
        self, selection: Selection, order: Order, *, after: tuple[Any, ...] | None = None
    ) -> Select[Any]:
        """The selection's rows as (entity, sort value, key), in order, after a position."""
        key = self.listing.key
        query = self.listing.matching(selection.q).query
        for bound in self.bounds:
            query = query.where(bound.condition(self.sorts))
        query = query.where(*self._among())
        for name, value in selection.facets.items():
            query = query.where(self.facet(name).condition(value))
        if order.sort is None:
            query = query.add_columns(key)
            if after is not None:
                query = query.where(key > after[-1])
            return query.order_by(key)
        expression = order.sort.sql(key)
        query = query.add_columns(expression, key)
        if after is not None:
            query = query.where(_after(expression, key, order, after))
        direction = expression.desc() if order.descending else expression.asc()
        if order.sort.nullable:
            direction = direction.nulls_last()
        return query.order_by(direction, key)

    def _entities(self, query: Select[Any]) -> list[Any]:
        return [row[0] for row in self.listing.session.execute(query)]

    def _python_ordered_keys(self, selection: Selection, order: Order) -> list[Any]:
        assert order.sort is not None and order.sort.python_key is not None
        rows = self.rows(selection)
        total = rows.count()
        if total > PYTHON_ORDER_LIMIT:
            others = ", ".join(n for n, s in self.sorts.items() if s.python_key is None)
            raise InputError(
                f"cannot sort {total} rows by {order.name!r}: narrow the list to "
                f"{PYTHON_ORDER_LIMIT} rows or sort by one of {others or 'none'}",
                field="sort",
            )
        query = select(self.listing.key, order.sort.sql(self.listing.key)).where(*rows.where)
        pairs = self.listing.session.execute(query.order_by(self.listing.key)).all()
        python_key = order.sort.python_key
        known = [(k, v) for k, v in pairs if v is not None]
        known.sort(key=lambda pair: python_key(pair[1]), reverse=order.descending)
        return [k for k, _ in known] + [k for k, v in pairs if v is None]

    def _by_keys(self, keys: Sequence[Any]) -> list[T]:
        if not keys:
            return []
        if self.listing.by_keys is not None:
            return self.listing.by_keys(self.listing.session, keys)
        key = self.listing.key
        entities = self.listing.session.scalars(self.listing.query.where(key.in_(keys))).all()
        by_key = {getattr(e, key.key): e for e in entities}
        ordered = [by_key[k] for k in keys if k in by_key]
        return self.listing.convert(self.listing.session, ordered)


def facet_selection(
    filters: BaseModel | None, facets: Sequence[FacetField]
) -> tuple[BaseModel | None, dict[str, str]]:
    """Split a service filter into the values its list's facets apply (so that their
    counts can leave each one out) and the filter the service applies itself."""
    if filters is None:
        return None, {}
    names = {f.name for f in facets}
    chosen = {
        name: value_key(value) for name, value in filters if name in names and value is not None
    }
    return filters.model_copy(update=dict.fromkeys(chosen)), chosen


# -- keyset positions -----------------------------------------------------------------


def _after(
    expression: ColumnElement[Any], key: Any, order: Order, after: tuple[Any, ...]
) -> ColumnElement[bool]:
    """The rows after (value, key) in the order: NULLs come last whatever the direction."""
    value, last_key = after
    if value is None:
        return and_(expression.is_(None), key > last_key)
    beyond = expression < value if order.descending else expression > value
    clauses = [beyond, and_(expression == value, key > last_key)]
    if order.sort is not None and order.sort.nullable:
        clauses.append(expression.is_(None))
    return or_(*clauses)


def _position_of(row: Any, order: Order) -> str:
    values = [_json_value(v) for v in row[1:]]
    return encode_position({"sort": order.spelled, "after": values})


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value_key(value) if isinstance(value, enum.Enum) else value


def _read_position(cursor: str, order: Order, key: Any) -> tuple[Any, ...]:
    """The position a cursor of this list in this order holds; any other is a 422."""
    position = decode_position(cursor)
    if position.get("sort") != order.spelled:
        raise InputError("not a cursor of this list in this order", field="cursor")
    if order.sort is not None and order.sort.python_key is not None:
        at = position.get("at")
        if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= MAX_OFFSET:
            raise InputError("not a cursor of this list", field="cursor")
        return (at,)
    values = position.get("after")
    if order.sort is None:
        columns = [key]
    else:  # a ranked sort's value is a place, an integer like the key
        columns = [key if order.sort.ranked is not None else order.sort.sql(key), key]
    if not isinstance(values, list) or len(values) != len(columns):
        raise InputError("not a cursor of this list", field="cursor")
    restored = tuple(_restored(v, c) for v, c in zip(values, columns, strict=True))
    if restored[-1] is None:
        raise InputError("not a cursor of this list", field="cursor")
    return restored


def _restored(value: Any, column: ColumnElement[Any]) -> Any:
    """A cursor's JSON value as a value of `column`'s type, or a 422."""
    if value is None:
        return None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = type(value)
    try:
        if python_type is date and isinstance(value, str):
            return date.fromisoformat(value)
        if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
            return python_type(value)
    except ValueError:
        pass
    else:
        if python_type is int and isinstance(value, int) and not isinstance(value, bool):
            if -MAX_KEY <= value <= MAX_KEY:
                return value
        elif (
            python_type in (str, float)
            and isinstance(value, python_type)
            and "\x00" not in str(value)
        ):
            return value
    raise InputError("not a cursor of this list", field="cursor")
