"""Reading the CSV data files devagenda ships or imports, with errors that name file and line.

Data files are curated by hand, so every value is checked on the way in: a typo in a code,
a flag or a list must fail loudly with the file, line and column to fix.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol, TypeVar

from devagenda.core.errors import InputError

LIST_SEPARATOR = "|"
_BOOLEANS = {"true": True, "false": False}

Choice = TypeVar("Choice", bound=StrEnum)


@dataclass(frozen=True)
class CsvRow:
    path: str
    line: int  # the file line where the row ends (a quoted value may span lines)
    values: dict[str, str]

    def error(self, column: str, problem: str) -> InputError:
        return InputError(problem, path=self.path, line=self.line, field=column)

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            raise self.error(column, "value is empty")
        return value

    def integer(self, column: str) -> int:
        value = self.text(column)
        try:
            return int(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a whole number") from None

    def boolean(self, column: str) -> bool:
        value = self.text(column)
        if value not in _BOOLEANS:
            raise self.error(column, f"expected 'true' or 'false', got {value!r}")
        return _BOOLEANS[value]

    def optional_date(self, column: str) -> date | None:
        value = self.text(column, required=False)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def choice(self, column: str, enum: type[Choice]) -> Choice:
        value = self.text(column)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.error(
                column, f"unknown value {value!r} (expected one of: {allowed})"
            ) from None

    def one_of(self, column: str, allowed: Collection[str]) -> str:
        value = self.text(column)
        if value not in allowed:
            expected = ", ".join(sorted(allowed))
            raise self.error(column, f"unknown value {value!r} (expected one of: {expected})")
        return value

    def listing(self, column: str) -> tuple[str, ...]:
        """A `|`-separated list; an empty item is a typo, not an empty list."""
        parts = [part.strip() for part in self.text(column, required=False).split(LIST_SEPARATOR)]
        if len(parts) > 1 and not all(parts):
            raise self.error(column, f"empty item in {LIST_SEPARATOR!r}-separated list")
        return tuple(part for part in parts if part)


def read_csv(source: Path | Traversable | str, columns: Sequence[str]) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV file whose header holds exactly `columns` (in any order)."""
    source = Path(source) if isinstance(source, str) else source
    path = str(source)
    try:
        with source.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            for column in columns:
                if column not in header:
                    raise InputError("missing column", path=path, line=1, field=column)
            for column in header:
                if column not in columns:
                    raise InputError("unexpected column", path=path, line=1, field=column)
            for values in reader:
                if None in values:
                    found = len(header) + len(values[None])  # type: ignore[arg-type]
                    raise InputError(
                        f"{found} values for {len(header)} columns", path=path, line=reader.line_num
                    )
                yield CsvRow(path, reader.line_num, values)
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text ({error.reason} at byte {error.start})", path=path
        ) from None
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", path=path) from None


class _HasLine(Protocol):
    line: int


Record = TypeVar("Record", bound=_HasLine)


def require_unique(
    path: Path | Traversable | str,
    records: Sequence[Record],
    field: str,
    key: Callable[[Record], Hashable],
) -> None:
    """Duplicate keys in a data file are an error that names both lines."""
    first_line: dict[Hashable, int] = {}
    for record in records:
        value = key(record)
        if value in first_line:
            raise InputError(
                f"{value!r} is already used on line {first_line[value]}",
                path=str(path),
                line=record.line,
                field=field,
            )
        first_line[value] = record.line
