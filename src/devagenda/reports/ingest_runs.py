"""Ingesting a file as one recorded unit of work, restoring a version, and listing
editions, versions and ingests: the services the CLI, the API and the web UI call.

A successful ingest is recorded in its own transaction; a refused one is rolled back
whole and then recorded in a transaction of its own, so the record says why it was
refused and nothing else changed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Unpack

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from devagenda.core.context import AppContext
from devagenda.core.dberrors import database_error
from devagenda.core.errors import (
    BusyError,
    DatabaseError,
    DevagendaError,
    InputError,
    NotFoundError,
    ReplaceRefused,
)
from devagenda.core.schemas import UtcDateTime
from devagenda.reports import versions
from devagenda.reports.load import (
    IngestOptions,
    IngestSummary,
    Progress,
    load_report,
    read_report_file,
)
from devagenda.reports.models import IngestRun
from devagenda.reports.versions import Outcome


class VersionOut(BaseModel):
    number: int
    current: bool
    file_name: str
    checksum: str
    size: int | None
    partial: bool
    loaded_at: UtcDateTime
    restorable: bool  # its text is kept (editions loaded before versions were kept: not)


class EditionOut(BaseModel):
    edition: str  # "dg-report/2023/zh"
    year: int
    language: str
    partial: bool
    current_version: int | None
    versions: list[VersionOut]


class IngestRunOut(BaseModel):
    id: int
    started_at: UtcDateTime
    finished_at: UtcDateTime
    file_name: str
    checksum: str | None
    size: int | None
    requested: dict[str, Any]
    edition: str | None
    version: int | None
    outcome: str
    message: str | None
    counts: dict[str, Any] | None
    changes: dict[str, Any] | None


def run_ingest(
    context: AppContext, path: Path | str, **options: Unpack[IngestOptions]
) -> IngestSummary:
    """Ingest the file at `path` in one transaction; a refusal is recorded, then raised."""
    path = Path(path)
    started = versions.now()
    requested = {
        "language": options.get("language"),
        "year": options.get("year"),
        "partial": options.get("partial", False),
        "replace": options.get("replace", False),
    }
    data: bytes | None = None
    try:
        data = read_report_file(path)
        with context.transaction() as session:
            return load_report(session, data, str(path), **options)
    except DevagendaError as error:
        # A database that cannot be reached cannot record anything; a busy one may.
        if not isinstance(error, DatabaseError) or isinstance(error, BusyError):
            _record_refusal(context, error, path, data, requested, started)
        raise
    except SQLAlchemyError as error:
        translated = database_error(error, context.settings.database_url)
        if translated is None:
            raise
        if isinstance(translated, BusyError):
            _record_refusal(context, translated, path, data, requested, started)
        raise translated from error


def restore_version(
    context: AppContext, edition: str, number: int, *, progress: Progress | None = None
) -> IngestSummary:
    """Make an earlier version of an edition current again. The version it replaces is
    kept, so a restore is undone by restoring that one."""
    key = edition_key(edition)
    with context.transaction() as session:
        version = session.scalar(
            select(versions.ReportVersion).filter_by(edition=key, number=number)
        )
        if version is None:
            known = [v.number for v in versions.versions_of(session, key)]
            raise NotFoundError(
                f"{key} has no version {number}"
                + (f" (versions: {', '.join(map(str, known))})" if known else " (not loaded)")
                + ": see `devagenda reports list`"
            )
        if version.content is None:
            raise InputError(
                f"version {number} of {key} was loaded before texts were kept: ingest its "
                "file again with --replace instead"
            )
        return load_report(
            session,
            version.content,
            version.file_name,
            language=version.language,
            year=version.year,
            partial=version.partial,
            replace=True,
            restoring=True,
            progress=progress,
        )


def edition_key(edition: str) -> str:
    """ "dg-report/2023/zh" as given, or "2023/zh" for short."""
    parts = edition.strip("/").split("/")
    if len(parts) == 2 and parts[0].isdigit():
        return f"dg-report/{parts[0]}/{parts[1]}"
    if len(parts) == 3 and parts[0] == "dg-report" and parts[1].isdigit():
        return "/".join(parts)
    raise InputError(
        f"not an edition: {edition!r} (write it as dg-report/2023/zh or 2023/zh)",
        field="edition",
    )


def list_editions(session: Session) -> list[EditionOut]:
    """Every stored edition with its versions, newest edition last."""
    sources = versions.report_sources(session)
    current = {s.key: s.checksum for s in sources}
    partial = versions.partial_editions(session, sources)
    keys = sorted(
        set(current) | set(session.scalars(select(versions.ReportVersion.edition).distinct()).all())
    )
    editions = []
    for key in keys:
        rows = versions.versions_of(session, key)
        _, year, language = key.split("/")
        now_at = next((v.number for v in rows if v.checksum == current.get(key)), None)
        editions.append(
            EditionOut(
                edition=key,
                year=int(year),
                language=language,
                partial=any(s.id in partial for s in sources if s.key == key),
                current_version=now_at,
                versions=[
                    VersionOut(
                        number=v.number,
                        current=v.number == now_at,
                        file_name=v.file_name,
                        checksum=v.checksum,
                        size=v.size,
                        partial=v.partial,
                        loaded_at=v.loaded_at,
                        restorable=v.content is not None,
                    )
                    for v in rows
                ],
            )
        )
    return editions


def ingest_runs(
    session: Session, edition: str | None = None, limit: int = 100
) -> list[IngestRunOut]:
    """The latest ingests first; of one edition when `edition` is given."""
    query = select(IngestRun).order_by(IngestRun.id.desc()).limit(limit)
    if edition is not None:
        query = query.where(IngestRun.edition == edition_key(edition))
    return [
        IngestRunOut.model_validate(run, from_attributes=True) for run in session.scalars(query)
    ]


def _record_refusal(
    context: AppContext,
    error: DevagendaError,
    path: Path,
    data: bytes | None,
    requested: dict[str, Any],
    started: datetime,
) -> None:
    """Record why an ingest was refused; a database that fails now is not worth a second
    error on top of the first."""
    changes = None
    if isinstance(error, ReplaceRefused):
        changes = versions.EditionChanges.model_validate(error.changes)
    try:
        with context.transaction() as session:
            versions.record_run(
                session,
                started_at=started,
                file_name=path.name,
                requested=requested,
                outcome=Outcome.NEEDS_REPLACE if changes else Outcome.REFUSED,
                checksum=hashlib.sha256(data).hexdigest() if data is not None else None,
                size=len(data) if data is not None else None,
                edition=changes.edition if changes else None,
                version=changes.current_version if changes else None,
                message=str(error),
                changes=changes,
            )
    except Exception:  # the original error is the one to report
        return


class EditionHistory(BaseModel):
    """An edition's versions and ingests, as its page and the API show them."""

    edition: str
    partial: bool
    current_version: int | None
    versions: list[VersionOut]
    ingests: list[IngestRunOut]


def edition_history(session: Session, year: int, language: str) -> EditionHistory:
    key = f"dg-report/{year}/{language}"
    found = next((e for e in list_editions(session) if e.edition == key), None)
    if found is None:
        raise NotFoundError(f"no {language} report for {year} has been ingested")
    return EditionHistory(
        edition=key,
        partial=found.partial,
        current_version=found.current_version,
        versions=found.versions,
        ingests=ingest_runs(session, key),
    )
