"""Status: what the narrative says of a project agrees with the Annex II group it is in.

Annex II sorts projects into completed and evaluated, still ongoing at the end of the
year, and approved in the year. A project described under "正在实施的发展议程项目" should
be ongoing or newly approved there; one under "已纳入主流的发展议程项目", completed; and
every project the approvals paragraph lists should be in the approved group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from devagenda.reports.ingest.document import AnnexProject, ProjectGroup, ReportDocument
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.projects import (
    MAINSTREAMED_SECTION,
    ONGOING_SECTION,
    Mention,
    matching_rows,
    narrative_mentions,
)
from devagenda.reports.lint.text import quote

_EXPECTED_GROUPS = {
    ONGOING_SECTION: (ProjectGroup.ONGOING, ProjectGroup.APPROVED),
    MAINSTREAMED_SECTION: (ProjectGroup.COMPLETED_EVALUATED,),
}
# "项目于2023年12月实施完成": the narrative says the project itself has ended.
_COMPLETED = re.compile(r"项目(?:已)?于(?P<year>\d{4})年(?:(?P<month>\d{1,2})月)?(?:实施)?完成")


def _group_heading(doc: ReportDocument, group: ProjectGroup) -> str:
    heading = next((g.heading for g in doc.annex_groups if g.group == group), str(group))
    return quote(heading)


def _rows_text(rows: list[AnnexProject]) -> str:
    return "; ".join(f"{row.group} row {row.row} {quote(row.title, 50)}" for row in rows)


def _section_mismatch(mention: Mention, rows: list[AnnexProject]) -> Flag | None:
    if any(row.group in _EXPECTED_GROUPS[mention.section] for row in rows):
        return None
    return Flag(
        mention.location,
        f"{quote(mention.title)} is described under {quote(mention.section)} but Annex II "
        f"lists it as {_rows_text(rows)}.",
    )


def _completed_but_ongoing(
    doc: ReportDocument, mention: Mention, rows: list[AnnexProject]
) -> Flag | None:
    found = _COMPLETED.search(mention.unit.text)
    ongoing = [row for row in rows if row.group == ProjectGroup.ONGOING]
    if found is None or not ongoing or any(row.group != ProjectGroup.ONGOING for row in rows):
        return None
    # Annex II has no group for "completed, evaluation pending", so listing a project that
    # ended in the last month as ongoing may be deliberate: a warning, not an error.
    return Flag(
        mention.location,
        f"The narrative says {quote(found.group(0))} for {quote(mention.title)}, but Annex II "
        f"lists it under {_group_heading(doc, ProjectGroup.ONGOING)} (row {ongoing[0].row}).",
        Severity.WARNING,
    )


@check("DA-STA-001", Severity.ERROR)
def narrative_status(context: LintContext) -> Iterator[Flag]:
    """A project's status in the narrative matches its Annex II group.

    Phases of a project share a name, so a project is in the right group if any of its
    phases is. A project said to have completed while Annex II still lists it as ongoing
    is reported as a warning.
    """
    doc = context.doc
    for mention in narrative_mentions(doc):
        rows = matching_rows(mention.title, doc.annex_projects)
        if not rows:
            continue
        flag = _section_mismatch(mention, rows) or _completed_but_ongoing(doc, mention, rows)
        if flag is not None:
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
                f"{quote(approval.title)} is listed as approved by CDIP {approval.session} but "
                f"is not in {_group_heading(doc, ProjectGroup.APPROVED)} of Annex II.",
            )


CHECKS = [narrative_status, approvals_in_annex]
