"""The project's own error types, and the exit status each one means.

Every error a user can cause carries enough context (file, line, field) to be fixed
without reading the code; interfaces turn them into one-line messages and exit statuses
(documented in the README, "Using it"). Anything else that escapes is a bug.
"""

from __future__ import annotations

from typing import ClassVar


class ExitStatus:
    """Exit statuses of the command line, one meaning each."""

    OK = 0
    FINDINGS = 1  # the command worked and found problems (lint errors, unknown names)
    INPUT = 2  # bad input: a file, a flag or a value; the message says which
    NEEDS_CONFIRMATION = 3  # it would replace stored data: repeat with --replace
    DATABASE = 4  # the database cannot be reached, created or read
    BUSY = 5  # another process is writing to the database: try again when it has finished
    REFUSED = 6  # the actor may not do this (permissions), or must wait (login throttling)
    CONFLICT = 7  # the record changed since it was read: look at the change, then repeat
    BUG = 70  # an unexpected error (EX_SOFTWARE): a bug to report


class DevagendaError(Exception):
    """Base class for errors that are the user's or the data's, not a bug."""

    exit_status: ClassVar[int] = ExitStatus.INPUT
    kind: ClassVar[str] = "error"  # a stable name for JSON error output

    def to_dict(self) -> dict[str, object]:
        return {"error": self.kind, "message": str(self)}


class NotFoundError(DevagendaError):
    """A record asked for by key does not exist."""

    kind = "not_found"


class InputError(DevagendaError):
    """Bad input: names where it is (file, line, field) and what is wrong."""

    kind = "input"

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

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "path": self.path,
            "line": self.line,
            "field": self.field,
        }


class InvalidEdit(InputError):
    """An edit with one or more bad fields: every problem at once, field by field, so
    that a form can show each beside its field."""

    kind = "invalid_edit"

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        first = next(iter(self.problems))
        super().__init__(
            "; ".join(f"{field}: {reason}" for field, reason in self.problems.items()),
            field=first if len(self.problems) == 1 else None,
        )

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "problems": self.problems}


class ReportFormatError(InputError):
    """A report file that cannot be read as a Director General's report."""

    kind = "report_format"


class NotAReportError(ReportFormatError):
    """A readable text that lacks parts every Director General's report has."""

    kind = "not_a_report"

    def __init__(self, message: str, *, missing: list[str], path: str | None = None) -> None:
        self.missing = missing
        super().__init__(message, path=path)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "missing": self.missing}


class ContradictionError(InputError):
    """A flag (--year, --language) that disagrees with what the text says."""

    kind = "contradicts_text"


class ReplaceRefused(DevagendaError):
    """Loading would replace a stored edition with a different text, and that was not
    asked for."""

    exit_status = ExitStatus.NEEDS_CONFIRMATION
    kind = "needs_replace"

    def __init__(self, message: str, *, changes: dict[str, object]) -> None:
        self.changes = changes
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "changes": self.changes}


class DatabaseError(DevagendaError):
    """The database cannot be reached, created or used."""

    exit_status = ExitStatus.DATABASE
    kind = "database"


class BusyError(DatabaseError):
    """Another process holds the database for writing (SQLite lock, PostgreSQL conflict)."""

    exit_status = ExitStatus.BUSY
    kind = "busy"


class PermissionDenied(DevagendaError):
    """The current actor may not do what was asked (accounts.permissions decides).
    `authenticated` tells an interface whether logging in could help (API: 401 or 403)."""

    exit_status = ExitStatus.REFUSED
    kind = "permission_denied"

    def __init__(self, message: str, *, action: str, authenticated: bool) -> None:
        self.action = action
        self.authenticated = authenticated
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "action": self.action}


class TooManyAttempts(DevagendaError):
    """Too many failed logins for an account or from an address: wait and retry."""

    exit_status = ExitStatus.REFUSED
    kind = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "retry_after": self.retry_after}


class EditConflict(DevagendaError):
    """A write based on a state of a record that is no longer current: someone else
    changed it since. Carries the current state, so that the writer can see the other
    change and re-apply theirs; nothing was overwritten."""

    exit_status = ExitStatus.CONFLICT
    kind = "edit_conflict"

    def __init__(
        self,
        message: str,
        *,
        record_type: str,
        record_key: str,
        version: int | None,
        current: dict[str, object] | None,
    ) -> None:
        self.record_type = record_type
        self.record_key = record_key
        self.version = version
        self.current = current
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "record_type": self.record_type,
            "record_key": self.record_key,
            "version": self.version,
            "current": self.current,
        }


class StaleVersion(EditConflict):
    """A write that names the version it was based on (an API `If-Match`, a form's hidden
    field) when the record has moved on: `current` is the record as it is now, in the
    shape its GET returns. The API answers 412 Precondition Failed."""

    kind = "stale_version"
