"""Keyset (cursor) pagination and batched streaming over SQLAlchemy queries (the cursors
themselves: `devagenda.core.cursors`).

Offsets get slower and skip or repeat rows when data changes between pages; a keyset
cursor ("the rows after key K") does neither. Lists are ordered by one unique key column
(the primary key), and the cursor is that key of the page's last row, wrapped so that
clients treat it as opaque.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy import inspect as inspect_mapper
from sqlalchemy.orm import QueryableAttribute, Session

from devagenda.core.cursors import decode_cursor, encode_cursor
from devagenda.core.errors import InputError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
STREAM_BATCH = 500
MAX_TEXT_FILTER = 200

T = TypeVar("T")

# Turns one batch of ORM rows into output models; a batch at a time, so that related
# records can be fetched for the whole batch at once.
Convert = Callable[[Session, Sequence[Any]], list[T]]
Key = QueryableAttribute[Any]
# The rows whose text matches the words of a `q` filter, as the service defines "text".
TextFilter = Callable[[str], ColumnElement[bool]]


class Page(BaseModel, Generic[T]):
    """One page of a list: its items, the cursor of the next page (None on the last one),
    and how many rows match in all."""

    items: list[T]
    next_cursor: str | None
    total: int


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A list as a service defines it once (which rows, in which order, as what), for an
    interface to read a page at a time or in full."""

    session: Session
    query: Select[Any]  # one entity per row, with its filters and eager loads
    key: Key  # unique column that orders the rows and keys the cursor
    convert: Convert[T]
    text: TextFilter | None = None  # what `q` matches; a list without one refuses `q`
    # The output models of the rows with these keys, in the keys' order, read without
    # loading entities: what a page chosen in memory (core.memory_facets) is read by.
    by_keys: Convert[T] | None = None

    def matching(self, q: str | None) -> Listing[T]:
        """This list narrowed to the rows whose text contains `q` (blank: all of them)."""
        if q is None or not q.strip():
            return self
        if self.text is None:
            raise InputError("this list has no text filter", field="q")
        if len(q) > MAX_TEXT_FILTER or "\x00" in q:
            raise InputError(f"at most {MAX_TEXT_FILTER} characters, no NUL", field="q")
        return replace(self, query=self.query.where(self.text(q.strip())))

    def page(self, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> Page[T]:
        return paginate(
            self.session, self.query, self.key, self.convert, limit=limit, cursor=cursor
        )

    def all(self, *, batch_size: int = STREAM_BATCH) -> Iterator[T]:
        return stream(self.session, self.query, self.key, self.convert, batch_size=batch_size)


def contains_text(q: str, *columns: Any) -> ColumnElement[bool]:
    """Any of `columns` contains `q`, ignoring case; `%` and `_` in `q` are literal."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))


def text_in(*columns: Any, translated: type | None = None) -> TextFilter:
    """A `q` filter over `columns` and, with `translated`, the wordings of that
    `TranslatedMixin` model's `texts` in every language."""

    def matches(q: str) -> ColumnElement[bool]:
        clauses = [contains_text(q, *columns)] if columns else []
        if translated is not None:
            texts = inspect_mapper(translated).relationships["texts"]
            clauses.append(translated.texts.any(contains_text(q, texts.mapper.class_.text)))
        return or_(*clauses)

    return matches


def paginate(
    session: Session,
    query: Select[Any],
    key: Key,
    convert: Convert[T],
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[T]:
    """The page of `query` (one entity per row) that follows `cursor`, ordered by `key`."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page_query = query.order_by(key).limit(limit + 1)
    if cursor is not None:
        page_query = page_query.where(key > _cursor_key(cursor, key))
    rows = session.scalars(page_query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(_key_of(rows[-1], key)) if more else None
    return Page(items=convert(session, rows), next_cursor=next_cursor, total=total or 0)


def stream(
    session: Session,
    query: Select[Any],
    key: Key,
    convert: Convert[T],
    *,
    batch_size: int = STREAM_BATCH,
) -> Iterator[T]:
    """Every row of `query`, converted, fetched `batch_size` at a time.

    Each batch is its own keyset query, so memory stays bounded, eager loading works per
    batch, and no server-side cursor stays open while a slow client reads the response.
    """
    after: Any = None
    while True:
        batch_query = query.order_by(key).limit(batch_size)
        if after is not None:
            batch_query = batch_query.where(key > after)
        rows = session.scalars(batch_query).all()
        if not rows:
            return
        yield from convert(session, rows)
        if len(rows) < batch_size:
            return
        after = _key_of(rows[-1], key)


def _cursor_key(cursor: str, key: Key) -> int | str:
    """The cursor's key, checked against the list's key column: a cursor of another list
    must be a 422, not a database type error."""
    value = decode_cursor(cursor)
    if not isinstance(value, key.type.python_type) or "\x00" in str(value):
        raise InputError("not a cursor of this list", field="cursor")
    return value


def _key_of(row: Any, key: Key) -> Any:
    return getattr(row, key.key)
