"""The project's own error types.

Every error a user can cause carries enough context (file, line, field) to be fixed
without reading the code; interfaces turn them into messages and exit codes.
"""

from __future__ import annotations


class DevagendaError(Exception):
    """Base class for errors that are the user's or the data's, not a bug."""


class NotFoundError(DevagendaError):
    """A record asked for by key does not exist."""


class InputError(DevagendaError):
    """Bad input: names where it is (file, line, field) and what is wrong."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [part for part in (self.path, f"line {self.line}" if self.line else None) if part]
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ReportFormatError(InputError):
    """A report file that cannot be read as a Director General's report."""
