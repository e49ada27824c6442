"""The data of a report edition, read from the knowledge base: Annex I, Annex II and the
stored report text.

Renderers, the API and the web UI all call these, so the rules for which project goes in
which Annex II group, and in which order, live here only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from devagenda.catalogue.lifecycle import (
    GROUP_STATUS,
    current_stage,
    kind_of,
    stage_rank,
    statement_year,
)
from devagenda.catalogue.models import (
    Project,
    ProjectStatus,
    ProjectStatusChange,
    Recommendation,
    StatementKind,
)
from devagenda.core.errors import NotFoundError
from devagenda.core.models import Source, SourceKind, SourceLocation, TranslationMixin
from devagenda.reports.ingest.document import ProjectGroup
from devagenda.reports.models import (
    FOOTNOTE_MARKER,
    ReportFootnote,
    ReportHeading,
    ReportParagraph,
    ReportSubItem,
    without_footnote_markers,
)
from devagenda.reports.render.labels import labels_for
from devagenda.reports.schemas import (
    AnnexExpectedResult,
    AnnexOneRow,
    AnnexTwoGroup,
    AnnexTwoRow,
    Block,
    HeadingOut,
    LocalizedText,
    NoteRun,
    ReportTextOut,
    Run,
    TextFootnoteOut,
    TextParagraphOut,
    TextRun,
    TextSubItemOut,
)

# Texts missing in the language asked for are taken from the Chinese edition first: the
# reports we ingest are Chinese, so that is where the official wording is.
FALLBACK_LANGUAGE = "zh"


def localized(texts: Sequence[TranslationMixin], language: str, what: str) -> LocalizedText:
    """The wording in `language`, else in Chinese, else in any language there is."""
    by_language = {t.language: t for t in texts}
    for candidate in (language, FALLBACK_LANGUAGE, *sorted(by_language)):
        if candidate in by_language:
            chosen = by_language[candidate]
            return LocalizedText(
                text=chosen.text,
                language=chosen.language,
                status=chosen.status,
                fallback=chosen.language != language,
            )
    raise NotFoundError(f"{what} has no text in any language")


# -- Annex I -----------------------------------------------------------------------------


def annex_one(session: Session, language: str) -> list[AnnexOneRow]:
    """Every recommendation with the expected results it is linked to.

    Expected results carry their canonical title: where a report prints a variant title in
    some row, the knowledge base keeps one title per code and `devagenda lint` reports the
    variant.
    """
    recommendations = session.scalars(select(Recommendation).order_by(Recommendation.number))
    return [
        AnnexOneRow(
            number=recommendation.number,
            immediate=recommendation.immediate,
            text=localized(
                recommendation.texts, language, f"recommendation {recommendation.number}"
            ),
            expected_results=[
                AnnexExpectedResult(
                    code=link.expected_result_code,
                    title=localized(
                        link.expected_result.texts,
                        language,
                        f"expected result {link.expected_result_code}",
                    ),
                )
                for link in recommendation.expected_result_links
            ],
        )
        for recommendation in recommendations
    ]


# -- Annex II ----------------------------------------------------------------------------


def annex_two(session: Session, year: int, language: str) -> list[AnnexTwoGroup]:
    """The projects by their status on 31 December of `year`, in the three groups of Annex II.

    Rows follow the order that year's report printed them in, when it did; projects it did
    not print follow, by approval date, then by id.
    """
    labels = labels_for(language)
    day = date(year, 12, 31)
    printed = printed_rows(session, year, language)
    members: dict[ProjectGroup, list[Project]] = {group: [] for group in ProjectGroup}
    projects = session.scalars(select(Project).options(selectinload(Project.status_history)))
    for project in projects:
        group = annex_group(project.status_history, day)
        if group is not None:
            members[group].append(project)
    groups = []
    for group, chosen in members.items():
        chosen.sort(key=lambda p: _row_order(p, printed.get(p.id)))
        rows = [
            AnnexTwoRow(
                number=number,
                project_id=project.id,
                title=localized(project.texts, language, f"project {project.id}"),
            )
            for number, project in enumerate(chosen, start=1)
        ]
        heading = labels[f"group_{group.value}"].format(year=year, count=len(rows))
        groups.append(AnnexTwoGroup(group=group, heading=heading, count=len(rows), rows=rows))
    return groups


def annex_group(history: Sequence[ProjectStatusChange], day: date) -> ProjectGroup | None:
    """The Annex II group of a project on `day` (a 31 December), from what its history
    states by then.

    A year-end state stated for that year (the year's own Annex II) is the group, as
    printed. Otherwise: evaluated and mainstreamed projects are "completed and evaluated";
    a project whose stage is "approved", with the approval in `day`'s year, is "approved
    in the year"; every other approved project is still in its cycle (started, or
    completed and awaiting evaluation), which the report calls "ongoing". Proposals are
    not listed.
    """
    for change in history:
        if kind_of(change) is StatementKind.YEAR_END and change.as_of_year == day.year:
            return next(g for g, status in GROUP_STATUS.items() if status is change.status)
    known = [change for change in history if _stated_by(change, day)]
    stage = current_stage(known)
    if stage is None or stage is ProjectStatus.PROPOSED:
        return None
    if stage_rank(stage) >= stage_rank(ProjectStatus.EVALUATED):
        return ProjectGroup.COMPLETED_EVALUATED
    if stage is ProjectStatus.APPROVED and _approved_in(known, day.year):
        return ProjectGroup.APPROVED
    return ProjectGroup.ONGOING


def _stated_by(change: ProjectStatusChange, day: date) -> bool:
    if change.on_date is not None:
        return change.on_date <= day
    year = statement_year(change)
    return year is None or year <= day.year


def _approved_in(history: Sequence[ProjectStatusChange], year: int) -> bool:
    return any(
        change.status is ProjectStatus.APPROVED and statement_year(change) == year
        for change in history
    )


def printed_rows(session: Session, year: int, language: str) -> dict[int, int]:
    """Project id -> its row in Annex II of `year`'s report (the edition in `language`
    first, when several editions are stored)."""
    statements = session.execute(
        select(ProjectStatusChange.project_id, SourceLocation.row, Source.language)
        .join(SourceLocation, SourceLocation.id == ProjectStatusChange.source_location_id)
        .join(Source, Source.id == SourceLocation.source_id)
        .where(
            Source.kind == SourceKind.REPORT,
            Source.year == year,
            SourceLocation.annex == "II",
            SourceLocation.row.is_not(None),
        )
    ).all()
    rows: dict[int, int] = {}
    for statement in sorted(statements, key=lambda s: s.language != language):
        rows.setdefault(statement.project_id, statement.row)
    return rows


def _row_order(project: Project, printed_row: int | None) -> tuple[bool, int, date, int]:
    approvals = [
        change.on_date
        for change in project.status_history
        if change.status is ProjectStatus.APPROVED and change.on_date is not None
    ]
    approved = min(approvals, default=date.max)
    return (printed_row is None, printed_row or 0, approved, project.id)


# -- the report text ---------------------------------------------------------------------


def report_document(session: Session, year: int, language: str) -> ReportTextOut:
    """The stored report of `year` in `language` (else the Chinese, else any edition)."""
    source = report_source(session, year, language)
    headings = session.scalars(select(ReportHeading).where(ReportHeading.source_id == source.id))
    paragraphs = session.scalars(
        select(ReportParagraph)
        .where(ReportParagraph.source_id == source.id)
        .options(selectinload(ReportParagraph.sub_items))
    )
    placed: list[tuple[int, Block]] = [(h.line, _heading_out(h)) for h in headings]
    placed += [(p.line, _paragraph_out(p)) for p in paragraphs]
    footnotes = session.scalars(
        select(ReportFootnote)
        .where(ReportFootnote.source_id == source.id)
        .order_by(ReportFootnote.number)
    )
    return ReportTextOut(
        source=source.key,
        year=year,
        language=source.language or FALLBACK_LANGUAGE,
        fallback=source.language != language,
        title=source.title,
        blocks=[block for _, block in sorted(placed, key=lambda pair: pair[0])],
        footnotes=[TextFootnoteOut(number=f.number, text=f.text) for f in footnotes],
    )


def report_source(session: Session, year: int, language: str) -> Source:
    editions = session.scalars(
        select(Source).where(Source.kind == SourceKind.REPORT, Source.year == year)
    ).all()
    if not editions:
        raise NotFoundError(
            f"no report for {year} in the database: ingest it first (devagenda ingest PATH)"
        )
    preference = (language, FALLBACK_LANGUAGE)
    return min(
        editions,
        key=lambda s: (
            preference.index(s.language) if s.language in preference else len(preference),
            s.language or "",
        ),
    )


def runs_of(text: str) -> list[Run]:
    """Stored text with "[footnoteRef:N]" markers, as text runs and note references."""
    runs: list[Run] = []
    position = 0
    for marker in FOOTNOTE_MARKER.finditer(text):
        if marker.start() > position:
            runs.append(TextRun(text=text[position : marker.start()]))
        runs.append(NoteRun(number=int(marker.group(1))))
        position = marker.end()
    if position < len(text):
        runs.append(TextRun(text=text[position:]))
    return runs


def _heading_out(heading: ReportHeading) -> HeadingOut:
    return HeadingOut(level=heading.level, numeral=heading.numeral, title=heading.title)


def _paragraph_out(paragraph: ReportParagraph) -> TextParagraphOut:
    return TextParagraphOut(
        number=paragraph.number,
        runs=runs_of(paragraph.text),
        sub_items=[
            TextSubItemOut(label=item.label, runs=runs_of(item.text))
            for item in paragraph.sub_items
            if not _inside_text(item, paragraph)
        ],
    )


def _inside_text(item: ReportSubItem, paragraph: ReportParagraph) -> bool:
    """The reader also lists the items it finds inside a paragraph's running text
    ("包括：i) …；ii) …"); those are printed with the paragraph, not again on their own."""
    return without_footnote_markers(item.text) in without_footnote_markers(paragraph.text)
