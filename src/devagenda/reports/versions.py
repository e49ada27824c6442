"""The texts an edition has had, what a replacement changes, and the record of ingests.

An edition ("dg-report/2023/zh") has one current text and any number of earlier ones. A
different text for a loaded edition replaces it only when asked; the replaced text stays
as an earlier version, so `restore` can bring it back (itself a recorded replacement).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devagenda.core.models import Source, SourceKind, SourceLocation
from devagenda.reports.ingest.document import ProjectGroup, ReportDocument
from devagenda.reports.lint.findings import Severity
from devagenda.reports.models import (
    IngestRun,
    ReportFinding,
    ReportFootnote,
    ReportParagraph,
    ReportVersion,
)

# What a message lists of added or removed paragraphs, footnotes and projects; the JSON
# carries them all.
SHOWN_IN_A_MESSAGE = 5


class Outcome(StrEnum):
    LOADED = "loaded"  # a new edition
    REPLACED = "replaced"  # a different text for a loaded edition, as asked
    RESTORED = "restored"  # an earlier version brought back
    UNCHANGED = "unchanged"  # the text already loaded
    NEEDS_REPLACE = "needs_replace"  # a different text, not loaded: --replace not given
    REFUSED = "refused"  # not read or not a report: the message says why


class EditionState(BaseModel):
    """What one text of an edition holds, in terms two texts can be compared by."""

    counts: dict[str, int]
    headings: dict[int, str] = {}  # position -> numeral and title
    paragraphs: dict[int, str]  # number -> text
    footnotes: dict[int, str]
    projects: list[str] | None  # Annex II rows as "group: title"; None when not known


class EditionChanges(BaseModel):
    """What replacing an edition's text would change (or changed)."""

    edition: str
    current_version: int
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    paragraphs_added: list[int]
    paragraphs_removed: list[int]
    paragraphs_changed: list[int]
    headings_changed: list[str] = []  # as the new text prints them
    footnotes_added: list[int]
    footnotes_removed: list[int]
    footnotes_changed: list[int]
    projects_added: list[str] | None  # None: the stored text is not at hand to compare
    projects_removed: list[str] | None

    def describe(self) -> str:
        """One line: the counts that change, then what is added and removed."""
        counted = [
            f"{name.replace('_', ' ')} {self.counts_before.get(name, 0)} → {after}"
            for name, after in self.counts_after.items()
            # Group counts ("projects_by_group.ongoing") show in the projects listed.
            if self.counts_before.get(name, 0) != after and "." not in name
        ]
        listed = [
            _listed("paragraph", "added", self.paragraphs_added),
            _listed("paragraph", "removed", self.paragraphs_removed),
            _listed("paragraph", "changed", self.paragraphs_changed),
            _listed("heading", "changed", self.headings_changed),
            _listed("footnote", "added", self.footnotes_added),
            _listed("footnote", "removed", self.footnotes_removed),
            _listed("footnote", "changed", self.footnotes_changed),
            _listed("project", "added", self.projects_added or []),
            _listed("project", "removed", self.projects_removed or []),
        ]
        parts = [", ".join(counted)] if counted else []
        parts += [part for part in listed if part]
        return "; ".join(parts) or "the texts differ outside paragraphs, headings and footnotes"


def _listed(noun: str, verb: str, items: list[Any]) -> str:
    """ "2 paragraphs added (3, 4)", "1 heading changed (…)"."""
    if not items:
        return ""
    shown = ", ".join(str(item) for item in items[:SHOWN_IN_A_MESSAGE])
    more = f" and {len(items) - SHOWN_IN_A_MESSAGE} more" if len(items) > SHOWN_IN_A_MESSAGE else ""
    plural = "" if len(items) == 1 else "s"
    return f"{len(items)} {noun}{plural} {verb} ({shown}{more})"


def report_counts(doc: ReportDocument) -> dict[str, Any]:
    """Everything the report holds, whether or not it becomes rows: what the --json summary
    and a replacement's "before and after" count."""
    groups = Counter(row.group.value for row in doc.annex_projects)
    return {
        "headings": len(doc.headings),
        "chapters": len(doc.chapters),
        "paragraphs": len(doc.paragraphs),
        "sub_items": sum(len(p.sub_items) for p in doc.paragraphs),
        "footnotes": len(doc.footnotes),
        "recommendations": len(doc.annex_recommendations),
        "immediate_recommendations": sum(r.immediate for r in doc.annex_recommendations),
        "expected_results": len(
            {link.code for row in doc.annex_recommendations for link in row.expected_results}
        ),
        "recommendation_links": sum(len(r.expected_results) for r in doc.annex_recommendations),
        "projects": len(doc.annex_projects),
        "projects_by_group": {group.value: groups.get(group.value, 0) for group in ProjectGroup},
        "approvals": len(doc.approvals),
        "project_events": len(doc.project_events),
        "figures": len(doc.figures),
        "country_mentions": len(doc.country_mentions),
        "group_mentions": len(doc.group_mentions),
        "recommendation_mentions": len(doc.recommendation_mentions),
    }


def document_state(doc: ReportDocument) -> EditionState:
    return EditionState(
        counts=_flat(report_counts(doc)),
        headings={
            position: f"{heading.numeral or ''} {heading.title}".strip()
            for position, heading in enumerate(doc.headings)
        },
        paragraphs={p.number: p.raw_text for p in doc.paragraphs},
        footnotes={f.number: f.text for f in doc.footnotes},
        projects=[f"{row.group.value}: {row.title}" for row in doc.annex_projects],
    )


def stored_state(session: Session, source: Source) -> EditionState:
    """The state of a stored edition whose text is not at hand (loaded before versions were
    kept): its paragraphs and footnotes as stored."""
    paragraphs = dict(
        session.execute(
            select(ReportParagraph.number, ReportParagraph.text).where(
                ReportParagraph.source_id == source.id
            )
        ).all()
    )
    footnotes = dict(
        session.execute(
            select(ReportFootnote.number, ReportFootnote.text).where(
                ReportFootnote.source_id == source.id
            )
        ).all()
    )
    return EditionState(
        counts={"paragraphs": len(paragraphs), "footnotes": len(footnotes)},
        paragraphs=paragraphs,
        footnotes=footnotes,
        projects=None,
    )


def _flat(counts: dict[str, Any]) -> dict[str, int]:
    """Nested counts ("projects_by_group") as "projects_by_group.ongoing"."""
    flat: dict[str, int] = {}
    for name, value in counts.items():
        if isinstance(value, dict):
            flat.update({f"{name}.{key}": count for key, count in value.items()})
        else:
            flat[name] = value
    return flat


def compare(
    edition: str, current_version: int, before: EditionState, after: EditionState
) -> EditionChanges:
    def keyed(old: dict[int, str], new: dict[int, str]) -> tuple[list[int], ...]:
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        changed = sorted(n for n in set(old) & set(new) if old[n] != new[n])
        return added, removed, changed

    paragraphs = keyed(before.paragraphs, after.paragraphs)
    headings = keyed(before.headings, after.headings) if before.headings else ([], [], [])
    footnotes = keyed(before.footnotes, after.footnotes)
    known = before.projects is not None and after.projects is not None
    return EditionChanges(
        edition=edition,
        current_version=current_version,
        counts_before=before.counts,
        counts_after={name: after.counts[name] for name in after.counts},
        paragraphs_added=paragraphs[0],
        paragraphs_removed=paragraphs[1],
        paragraphs_changed=paragraphs[2],
        headings_changed=[
            after.headings[position]
            for group in headings
            for position in group
            if position in after.headings
        ],
        footnotes_added=footnotes[0],
        footnotes_removed=footnotes[1],
        footnotes_changed=footnotes[2],
        projects_added=[p for p in after.projects or [] if p not in (before.projects or [])]
        if known
        else None,
        projects_removed=[p for p in before.projects or [] if p not in (after.projects or [])]
        if known
        else None,
    )


# -- versions ----------------------------------------------------------------------------


def versions_of(session: Session, edition: str) -> list[ReportVersion]:
    return list(
        session.scalars(
            select(ReportVersion).where(ReportVersion.edition == edition).order_by("number")
        )
    )


def version_with(session: Session, edition: str, checksum: str) -> ReportVersion | None:
    return session.scalar(select(ReportVersion).filter_by(edition=edition, checksum=checksum))


def current_version(session: Session, source: Source) -> ReportVersion:
    """The version a stored edition is at; an edition loaded before versions were kept gets
    its version row now, without its text (which is not at hand)."""
    found = version_with(session, source.key, source.checksum or "")
    if found is not None:
        return found
    return add_version(
        session,
        source.key,
        checksum=source.checksum or "",
        file_name=source.uri or source.key,
        content=None,
        language=source.language or "",
        year=source.year or 0,
        partial=False,
    )


def add_version(
    session: Session,
    edition: str,
    *,
    checksum: str,
    file_name: str,
    content: bytes | None,
    language: str,
    year: int,
    partial: bool,
) -> ReportVersion:
    last = session.scalar(
        select(func.max(ReportVersion.number)).where(ReportVersion.edition == edition)
    )
    version = ReportVersion(
        edition=edition,
        number=(last or 0) + 1,
        file_name=file_name,
        checksum=checksum,
        size=len(content) if content is not None else None,
        content=content,
        language=language,
        year=year,
        partial=partial,
    )
    session.add(version)
    session.flush()
    return version


def partial_editions(session: Session, sources: list[Source]) -> set[int]:
    """Ids of the sources whose current text was loaded as a partial report."""
    checksums = {(s.key, s.checksum) for s in sources}
    if not checksums:
        return set()
    partial = session.execute(
        select(ReportVersion.edition, ReportVersion.checksum).where(
            ReportVersion.edition.in_([key for key, _ in checksums]),
            ReportVersion.partial.is_(True),
        )
    ).all()
    marked = {(edition, checksum) for edition, checksum in partial}
    return {s.id for s in sources if (s.key, s.checksum) in marked}


def report_sources(session: Session) -> list[Source]:
    return list(
        session.scalars(select(Source).where(Source.kind == SourceKind.REPORT).order_by(Source.key))
    )


# -- the record of ingests ---------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


def record_run(
    session: Session,
    *,
    started_at: datetime,
    file_name: str,
    requested: dict[str, Any],
    outcome: Outcome,
    checksum: str | None = None,
    size: int | None = None,
    edition: str | None = None,
    version: int | None = None,
    message: str | None = None,
    counts: dict[str, Any] | None = None,
    changes: EditionChanges | None = None,
) -> IngestRun:
    run = IngestRun(
        started_at=started_at,
        finished_at=now(),
        file_name=file_name,
        checksum=checksum,
        size=size,
        requested=requested,
        edition=edition,
        version=version,
        outcome=outcome.value,
        message=message,
        counts=counts,
        changes=changes.model_dump(mode="json") if changes else None,
    )
    session.add(run)
    session.flush()
    return run


def findings_by_severity(session: Session, source: Source) -> dict[str, int]:
    rows = session.execute(
        select(ReportFinding.severity, func.count())
        .join(SourceLocation, SourceLocation.id == ReportFinding.source_location_id)
        .where(SourceLocation.source_id == source.id)
        .group_by(ReportFinding.severity)
    ).all()
    counted = dict(rows)
    return {severity.value: counted.get(severity.value, 0) for severity in Severity}
