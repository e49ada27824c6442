"""Each column's values as one JSON value, the same whatever the database holds them in.

SQLite and PostgreSQL return the same data differently: a naive `datetime` against a
`timestamptz` in the session's zone, a NUMERIC as a float-backed or an exact Decimal, JSON
as its stored text or already parsed. A backup must not depend on that, so every value is
written in one normal form:

| column type | in the file |
|---|---|
| integer, boolean, float | a JSON number or `true`/`false` (floats as Python's shortest repr) |
| numeric | a string with the column's scale: `"12.50"` |
| string, text, enum | the string the database stores (an enum's stored value) |
| date, time | ISO 8601 |
| datetime | ISO 8601 with microseconds, in UTC (`+00:00`) for a column with a zone |
| binary | base64 |
| JSON | the document as text, keys sorted, compact; `null` is SQL NULL, `"null"` JSON null |

NULL is `null` for every type, distinct from an empty string.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
    Uuid,
    bindparam,
    cast,
    collate,
    type_coerce,
)

Convert = Callable[[Any], Any]


class UnsupportedColumn(TypeError):
    """A column type no rule here covers: a developer adds one before the table ships."""


@dataclass(frozen=True)
class ColumnValues:
    """How one column is read for a backup, written to the file and restored."""

    column: Column[Any]
    selected: ColumnElement[Any]  # what the export SELECTs
    encode: Convert  # the selected value (never None) -> the file's JSON value
    decode: Convert  # the file's JSON value (never None) -> the insert parameter
    raw_text: bool = False  # bound as text and cast on PostgreSQL (JSON)

    def to_file(self, value: Any) -> Any:
        return None if value is None else self.encode(value)

    def from_file(self, value: Any) -> Any:
        return None if value is None else self.decode(value)

    def bound(self, dialect: str) -> ColumnElement[Any]:
        """The insert's parameter for this column."""
        if not self.raw_text:
            return bindparam(self.column.key, type_=self.column.type)
        parameter = bindparam(self.column.key, type_=Text())
        return cast(parameter, self.column.type) if dialect == "postgresql" else parameter


def column_values(column: Column[Any]) -> ColumnValues:
    """The rule for `column`, by its type (subclasses first: Enum is a String, Float a
    Numeric)."""
    kind = column.type
    if isinstance(kind, Enum):
        # The stored string, not the member: what a member stands for is the model's.
        raw = type_coerce(column, String())
        return ColumnValues(column, raw, str, _text(str))
    if isinstance(kind, JSON):
        return ColumnValues(column, cast(column, Text()), _json_text, _text(_json_text), True)
    if isinstance(kind, Boolean):
        return ColumnValues(column, column, bool, _checked(bool, bool))
    if isinstance(kind, Integer):
        return ColumnValues(column, column, int, _checked(int, int))
    if isinstance(kind, Float):
        return ColumnValues(column, column, float, _checked((int, float), float))
    if isinstance(kind, Numeric):
        return ColumnValues(column, column, _decimal_text(kind.scale), _text(Decimal))
    if isinstance(kind, DateTime):
        encode = _datetime_text(kind.timezone)
        return ColumnValues(column, column, encode, _text(datetime.fromisoformat))
    if isinstance(kind, Date):
        return ColumnValues(column, column, date.isoformat, _text(date.fromisoformat))
    if isinstance(kind, Time):
        return ColumnValues(column, column, _time_text, _text(time.fromisoformat))
    if isinstance(kind, LargeBinary):
        return ColumnValues(column, column, _base64, _text(_unbase64))
    if isinstance(kind, Uuid):
        return ColumnValues(column, column, str, _text(UUID if kind.as_uuid else str))
    if isinstance(kind, String):
        return ColumnValues(column, column, str, _text(str))
    raise UnsupportedColumn(
        f"backup: no rule for column {column.table.name}.{column.name} of type "
        f"{type(kind).__name__}; add one to devagenda.backup.values"
    )


def table_values(table: Table) -> list[ColumnValues]:
    return [column_values(column) for column in table.columns]


def row_order(table: Table, dialect: str) -> list[ColumnElement[Any]]:
    """The primary key (every column for a table without one), strings compared byte by
    byte, which SQLite's BINARY and PostgreSQL's "C" collations both do for UTF-8."""
    columns = list(table.primary_key.columns) or [
        column for column in table.columns if not isinstance(column.type, JSON | LargeBinary)
    ]
    binary = "C" if dialect == "postgresql" else "BINARY"
    return [
        collate(column, binary) if isinstance(column.type, String) else column for column in columns
    ]


def _checked(kind: type | tuple[type, ...], convert: Convert) -> Convert:
    """`convert`, for JSON values of `kind` only (a boolean is not taken for a number)."""

    def decode(value: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and convert is not bool):
            raise TypeError(f"a JSON {type(value).__name__}")
        return convert(value)

    return decode


def _text(convert: Convert) -> Convert:
    return _checked(str, convert)


def _json_text(text: str) -> str:
    """One spelling of a JSON document, whichever engine stored it."""
    document = json.loads(text)
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decimal_text(scale: int | None) -> Convert:
    step = Decimal(1).scaleb(-scale) if scale is not None else None

    def encode(value: Any) -> str:
        number = Decimal(str(value))
        return format(number.quantize(step) if step is not None else number.normalize(), "f")

    return encode


def _datetime_text(with_zone: bool) -> Convert:
    def encode(value: datetime) -> str:
        if with_zone:
            # SQLite keeps no zone: devagenda stores UTC there, as PostgreSQL returns it.
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")

    return encode


def _time_text(value: time) -> str:
    return value.isoformat(timespec="microseconds")


def _base64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def _unbase64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
