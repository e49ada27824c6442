"""What an IATI export reports: how many records it wrote and which it held back, why."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

RecordKind = Literal["project", "activity"]


class IatiRecordNote(BaseModel):
    """A record the file leaves out, or writes with a caveat, and why."""

    kind: RecordKind
    id: int
    code: str | None
    identifier: str  # its iati-identifier, written or not
    reason: str


class IatiSummary(BaseModel):
    reporting_org: str
    projects: int  # written as parent (hierarchy 1) activities
    activities: int  # written as child or standalone activities
    held_back: list[IatiRecordNote]  # left out: IATI requires a fact no source states
    warnings: list[IatiRecordNote]  # written, with a caveat worth fixing in the data
