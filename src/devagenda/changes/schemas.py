"""What the change log shows: entries, their field-by-field diff, and the list filters."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from devagenda.core.changelog import ChangeAction
from devagenda.core.schemas import UtcDateTime

MAX_ID = 2_147_483_647
Label = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
RecordType = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_8601(value: object) -> object:
    """Only ISO 8601 text: pydantic would also read a number as seconds since 1970 (or,
    for a date, as days), which no one means by `since=-82668419897`."""
    if isinstance(value, int | float) or (isinstance(value, str) and not _ISO_DAY.match(value)):
        raise ValueError("must be an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T12:00")
    return value


Moment = Annotated[date | datetime, BeforeValidator(_iso_8601)]


class FieldChange(BaseModel):
    """One field of a record, before and after a change (None: no value, or no record)."""

    field: str
    old: Any = None
    new: Any = None
    # How a value reads where a number would say nothing: a source location's citation.
    old_text: str | None = None
    new_text: str | None = None


class ChangeOut(BaseModel):
    """One entry: who changed which record, when, how, and its state before and after."""

    id: int
    changed_at: UtcDateTime
    # An account's e-mail address, "operator:NAME" on the command line: personal data,
    # shown to editors and above; others read "editor #12" (role and account number).
    actor: str
    role: str
    user_id: int | None
    request_id: str | None
    action: ChangeAction
    record_type: str  # the table: project, project_recommendation, ingest_run...
    record_key: str  # its primary key; "12/zh" for a composite one
    parent_type: str | None  # the record this row is part of (a project, for its links)
    parent_key: str | None
    version: int | None  # the record's version after the change (before it, for a delete)
    changed_fields: list[str]  # for a run: the tables it wrote
    message: str | None
    reverts_id: int | None  # the entry this one undid
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangeDetail(ChangeOut):
    diff: list[FieldChange]  # the changed fields, old -> new
    reverted_by: list[int]  # entries that undid this one


class ChangeFilter(BaseModel):
    """Which entries to list; every field narrows the list."""

    user: int | None = Field(None, ge=1, le=MAX_ID, description="Made by this account (its id).")
    actor: Label | None = Field(
        None,
        description="Made by this actor, as the log names it (an e-mail, operator:NAME); "
        "editors and above only.",
    )
    record_type: RecordType | None = Field(
        None, description="Of this kind of record (its table): project, cdip_session..."
    )
    record: Label | None = Field(
        None, description="Of the record with this key (with `record_type`: of that kind)."
    )
    since: Moment | None = Field(
        None,
        description="Made at or after this date or time (ISO 8601; a time without a zone is UTC).",
    )
    until: Moment | None = Field(
        None, description="Made at or before this date (the whole day) or time (ISO 8601)."
    )
    action: ChangeAction | None = Field(None, description="create, update, delete or run.")
    request: Label | None = Field(None, description="Made during this request or CLI run.")
