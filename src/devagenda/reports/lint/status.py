"""Status: what the narrative says of a project agrees with the Annex II group it is in.

Annex II sorts projects into completed and evaluated, still ongoing at the end of the
year, and approved in the year. A project described under "正在实施的发展议程项目" should
be ongoing or newly approved there; one under "已纳入主流的发展议程项目", completed; and
every project the approvals paragraph lists should be in the approved group. A change the
narrative dates in the report's year beyond the project's group ("项目于2023年12月实施
完成" for a project listed as ongoing) is a conflict the knowledge base resolves the
narrative's way (`devagenda.catalogue.lifecycle`), and shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from devagenda.catalogue.lifecycle import EVENT_STATUS, GROUP_STATUS, overtakes
from devagenda.reports.ingest.document import (
    AnnexProject,
    Location,
    ProjectEvent,
    ProjectGroup,
    ReportDocument,
)
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.projects import (
    MAINSTREAMED_SECTION,
    ONGOING_SECTION,
    Mention,
    matching_rows,
    narrative_mentions,
)
from devagenda.reports.lint.text import quote
from devagenda.reports.messages import Message, message

_EXPECTED_GROUPS = {
    ONGOING_SECTION: (ProjectGroup.ONGOING, ProjectGroup.APPROVED),
    MAINSTREAMED_SECTION: (ProjectGroup.COMPLETED_EVALUATED,),
}


def _group_heading(doc: ReportDocument, group: ProjectGroup) -> str:
    heading = next((g.heading for g in doc.annex_groups if g.group == group), str(group))
    return quote(heading)


def _rows_text(rows: list[AnnexProject]) -> list[Message]:
    return [
        message(
            "status.annex_row",
            group=message(f"group.{row.group}"),
            row=row.row,
            title=quote(row.title, 50),
        )
        for row in rows
    ]


def _section_mismatch(mention: Mention, rows: list[AnnexProject]) -> Flag | None:
    if any(row.group in _EXPECTED_GROUPS[mention.section] for row in rows):
        return None
    return Flag(
        mention.location,
        message(
            "status.section",
            title=quote(mention.title),
            section=quote(mention.section),
            rows=_rows_text(rows),
        ),
    )


def _beyond_year_end(doc: ReportDocument, event: ProjectEvent) -> Flag | None:
    """A change dated in the report's year that the project's Annex II group, its state
    at the end of that year, does not reflect."""
    if event.year != doc.year or event.annex_group is None or event.annex_row is None:
        return None
    if not overtakes(EVENT_STATUS[event.kind], GROUP_STATUS[event.annex_group]):
        return None
    # Annex II has no group for "completed, evaluation pending", so listing a project that
    # ended in the last month as ongoing may be deliberate: a warning, not an error.
    kind = message(f"event.{event.kind}")
    return Flag(
        replace(event.location, heading=None),  # found in the item, not at its heading
        message(
            "status.beyond_year_end",
            evidence=quote(event.evidence)
            if event.evidence
            else message("event.quoted", event=kind),
            title=quote(event.title),
            group=_group_heading(doc, event.annex_group),
            row=event.annex_row,
            year=doc.year,
            event=kind,
        ),
        Severity.WARNING,
    )


@check("DA-STA-001", Severity.ERROR)
def narrative_status(context: LintContext) -> Iterator[Flag]:
    """A project's status in the narrative matches its Annex II group.

    Phases of a project share a name, so a project is in the right group if any of its
    phases is. A change the narrative dates in the year beyond the project's group (said
    to have completed while Annex II still lists it as ongoing) is reported as a warning.
    """
    doc = context.doc
    mismatched: set[Location] = set()
    for mention in narrative_mentions(doc):
        rows = matching_rows(mention.title, doc.annex_projects)
        flag = _section_mismatch(mention, rows) if rows else None
        if flag is not None:
            mismatched.add(mention.location)
            yield flag
    for event in doc.project_events:
        flag = _beyond_year_end(doc, event)
        if flag is not None and flag.location not in mismatched:
            yield flag


@check("DA-STA-002", Severity.ERROR)
def approvals_in_annex(context: LintContext) -> Iterator[Flag]:
    """Every project the narrative lists as approved in the year is in Annex II's approved
    group."""
    doc = context.doc
    approved = [row for row in doc.annex_projects if row.group == ProjectGroup.APPROVED]
    if not doc.annex_projects:
        return
    for approval in doc.approvals:
        if not matching_rows(approval.title, approved):
            yield Flag(
                approval.location,
                message(
                    "status.approval_missing",
                    title=quote(approval.title),
                    session=approval.session,
                    group=_group_heading(doc, ProjectGroup.APPROVED),
                ),
            )


CHECKS = [narrative_status, approvals_in_annex]
