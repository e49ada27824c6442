"""Reading the CSV data files devagenda ships or imports, with errors that name file and line."""

from __future__ import annotations

import csv
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from devagenda.core.errors import InputError


@dataclass(frozen=True)
class CsvRow:
    path: str
    line: int  # line of the file where the row starts
    values: dict[str, str]

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            raise self.error(column, "is empty")
        return value

    def integer(self, column: str) -> int:
        value = self.text(column)
        try:
            return int(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a whole number") from None

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value not in {"true", "false"}:
            raise self.error(column, f"{value!r} is not true or false")
        return value == "true"

    def optional_date(self, column: str) -> date | None:
        value = self.text(column, required=False)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def choice(self, column: str, allowed: set[str]) -> str:
        value = self.text(column)
        if value not in allowed:
            raise self.error(column, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    def listing(self, column: str, separator: str = "|") -> tuple[str, ...]:
        return tuple(
            part.strip()
            for part in self.text(column, required=False).split(separator)
            if part.strip()
        )

    def error(self, column: str, problem: str) -> InputError:
        return InputError(problem, path=self.path, line=self.line, field=column)


def read_csv(path: Path | str, columns: tuple[str, ...]) -> Iterator[CsvRow]:
    """Rows of a UTF-8 CSV file whose header must hold `columns` (in any order)."""
    name = str(path)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InputError(f"cannot open: {error.strerror}", path=name) from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except UnicodeDecodeError as error:
            raise InputError("not UTF-8 text", path=name, line=1) from error
        missing = [column for column in columns if column not in header]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", path=name, line=1)
        line = reader.line_num
        try:
            for values in reader:
                if None in values or any(v is None for v in values.values()):
                    raise InputError("wrong number of fields", path=name, line=line + 1)
                yield CsvRow(name, line + 1, values)
                line = reader.line_num
        except UnicodeDecodeError as error:
            raise InputError("not UTF-8 text", path=name, line=line + 1) from error
        except csv.Error as error:
            raise InputError(f"malformed CSV: {error}", path=name, line=reader.line_num) from error


class _HasLine(Protocol):
    line: int


Record = TypeVar("Record", bound=_HasLine)


def require_unique(
    path: Path | str, records: Sequence[Record], field: str, key: Callable[[Record], Hashable]
) -> None:
    """Duplicate keys in a data file are an error that names both lines."""
    first_line: dict[Hashable, int] = {}
    for record in records:
        value = key(record)
        if value in first_line:
            raise InputError(
                f"duplicate {field} {value!r} (first at line {first_line[value]})",
                path=str(path),
                line=record.line,
                field=field,
            )
        first_line[value] = record.line
