"""What an export or a restore reports (printed by `--json`)."""

from __future__ import annotations

from pydantic import BaseModel


class TableRows(BaseModel):
    name: str
    rows: int


class ExportSummary(BaseModel):
    path: str
    database: str
    schema_revision: str
    devagenda_version: str
    sha256: str  # of the file written
    rows: int
    tables: list[TableRows]
    rebuilt_on_restore: list[str]  # caches left out, rebuilt by a restore


class RestoreSummary(BaseModel):
    path: str
    database: str
    schema_revision: str
    rows: int
    tables: list[TableRows]
    rebuilt: list[TableRows]  # caches rebuilt from the restored tables
    # What the database held of its own before, and where it was exported first; empty
    # and None when it held only what a new database holds.
    replaced: list[TableRows]
    replaced_copy: str | None
