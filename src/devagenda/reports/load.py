"""Loading a read report into the knowledge base, with provenance, in one transaction.

Re-ingesting the same file changes nothing (its checksum is stored); a corrected edition
of the same report replaces what the earlier edition contributed; a later year's report
adds to the projects' status histories instead of creating new projects.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.models import (
    DatePrecision,
    Project,
    ProjectBeneficiary,
    ProjectProposer,
    ProjectRecommendation,
    ProjectStatus,
    ProjectStatusChange,
    Recommendation,
    RecommendationExpectedResult,
    SessionFormat,
)
from devagenda.core.errors import InputError, ReportFormatError
from devagenda.core.models import Source, SourceKind, SourceLocation, TextStatus
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import ExpectedResult, Sector
from devagenda.reference.services import build_gazetteer
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.decoding import decode_report
from devagenda.reports.ingest.document import (
    AnnexProject,
    Approval,
    EventKind,
    Location,
    ProjectEvent,
    ProjectGroup,
    ReportDocument,
)
from devagenda.reports.ingest.docx import is_docx
from devagenda.reports.ingest.sessions import SessionDates, find_session_dates
from devagenda.reports.lint import lint_document
from devagenda.reports.models import (
    AnnexOneCell,
    CountryMention,
    DocumentMention,
    RecommendationMention,
    ReportFigure,
    ReportFinding,
    ReportFootnote,
    ReportHeading,
    ReportLink,
    ReportParagraph,
    ReportSubItem,
)

GROUP_STATUS = {
    ProjectGroup.COMPLETED_EVALUATED: ProjectStatus.EVALUATED,
    ProjectGroup.ONGOING: ProjectStatus.ONGOING,
    ProjectGroup.APPROVED: ProjectStatus.APPROVED,
}
EVENT_STATUS = {
    EventKind.APPROVED: ProjectStatus.APPROVED,
    EventKind.ONGOING: ProjectStatus.ONGOING,
    EventKind.COMPLETED: ProjectStatus.COMPLETED,
    EventKind.EVALUATED: ProjectStatus.EVALUATED,
    EventKind.MAINSTREAMED: ProjectStatus.MAINSTREAMED,
}

Progress = Callable[[str], None]


class IngestSummary(BaseModel):
    source: str  # e.g. "dg-report/2023/zh"
    outcome: str  # "loaded", "replaced" (a different edition was there) or "unchanged"
    counts: dict[str, int]


def report_key(year: int, language: str) -> str:
    return f"dg-report/{year}/{language}"


def ingest_report(
    session: Session,
    path: Path | str,
    *,
    language: str | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read the report at `path` and store it; the caller's transaction makes it atomic."""
    step = progress or (lambda _message: None)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the report: {error.strerror}", path=str(path)) from error
    step("reading")
    gazetteer = build_gazetteer(session)
    document = read_report(
        data, language=language, year=year, source=str(path), gazetteer=gazetteer
    )
    if document.year is None:
        raise ReportFormatError(
            "cannot tell which year the report covers: pass --year", path=str(path)
        )
    key = report_key(document.year, document.language.value)
    checksum = content_checksum(data, str(path))
    existing = session.scalar(select(Source).filter_by(kind=SourceKind.REPORT, key=key))
    if existing is not None and existing.checksum == checksum:
        return IngestSummary(
            source=key, outcome="unchanged", counts=stored_counts(session, existing)
        )
    outcome = "loaded"
    if existing is not None:
        step("removing the earlier edition")
        remove_report(session, existing)
        outcome = "replaced"
    source = Source(
        kind=SourceKind.REPORT,
        key=key,
        title=document.title
        or f"Director General's report on the Development Agenda, {document.year}",
        language=document.language.value,
        year=document.year,
        uri=path.name,
        checksum=checksum,
    )
    session.add(source)
    session.flush()
    loader = _Loader(session, source, document, gazetteer)
    step("storing paragraphs and footnotes")
    loader.load_structure()
    step("checking")
    loader.load_findings()
    step("linking recommendations and expected results")
    loader.load_annex_one()
    step("updating projects")
    loader.load_projects()
    catalogue.link_predecessors(session)
    catalogue.apply_project_translations(session)
    session.flush()
    return IngestSummary(source=key, outcome=outcome, counts=stored_counts(session, source))


def content_checksum(data: bytes, name: str) -> str:
    """What identifies an edition: the text of a text export whatever its encoding and line
    ends (the same report saved as GB18030 is the same edition), the bytes of a Word file."""
    if is_docx(data):
        return hashlib.sha256(data).hexdigest()
    return hashlib.sha256(decode_report(data, name).encode("utf-8")).hexdigest()


def remove_report(session: Session, source: Source) -> None:
    """Delete a report and every fact whose provenance is in it (projects stay)."""
    locations = select(SourceLocation.id).where(SourceLocation.source_id == source.id)
    for model in (
        ProjectStatusChange,
        ProjectProposer,
        ProjectBeneficiary,
        ProjectRecommendation,
        RecommendationExpectedResult,
    ):
        session.execute(delete(model).where(model.source_location_id.in_(locations)))
    session.delete(source)
    session.flush()
    for project in session.scalars(select(Project)):
        session.refresh(project)
        if project.status_history:
            project.status = catalogue.current_status(project.status_history)


def stored_counts(session: Session, source: Source) -> dict[str, int]:
    def count(model: type, column) -> int:  # type: ignore[no-untyped-def]
        return (
            session.scalar(select(func.count()).select_from(model).where(column == source.id)) or 0
        )

    located = select(SourceLocation.id).where(SourceLocation.source_id == source.id)

    def count_located(model: type) -> int:
        return (
            session.scalar(
                select(func.count()).select_from(model).where(model.source_location_id.in_(located))
            )
            or 0
        )

    projects = (
        session.scalar(
            select(func.count(func.distinct(ProjectStatusChange.project_id))).where(
                ProjectStatusChange.source_location_id.in_(located)
            )
        )
        or 0
    )
    return {
        "headings": count(ReportHeading, ReportHeading.source_id),
        "chapters": session.scalar(
            select(func.count())
            .select_from(ReportHeading)
            .where(ReportHeading.source_id == source.id, ReportHeading.number.is_not(None))
        )
        or 0,
        "paragraphs": count(ReportParagraph, ReportParagraph.source_id),
        "footnotes": count(ReportFootnote, ReportFootnote.source_id),
        "links": count_located(ReportLink),
        "document_mentions": count_located(DocumentMention),
        "country_mentions": count_located(CountryMention),
        "recommendation_mentions": count_located(RecommendationMention),
        "figures": count_located(ReportFigure),
        "findings": count_located(ReportFinding),
        "recommendation_links": count_located(RecommendationExpectedResult),
        "projects": projects,
        "status_changes": count_located(ProjectStatusChange),
        "proposers": count_located(ProjectProposer),
    }


def _period_end(year: int, month: int | None) -> tuple[date, DatePrecision]:
    """Events dated by year or month are placed at the end of that period."""
    if month is None:
        return date(year, 12, 31), DatePrecision.YEAR
    return date(year, month, calendar.monthrange(year, month)[1]), DatePrecision.MONTH


class _Loader:
    """One report's loading; holds the location cache and the project index."""

    def __init__(
        self, session: Session, source: Source, document: ReportDocument, gazetteer: Gazetteer
    ) -> None:
        self.session = session
        self.source = source
        self.document = document
        self.gazetteer = gazetteer
        self.language = document.language.value
        self.year = document.year or 0
        self._locations: dict[Location, int] = {}
        self.projects = catalogue.ProjectIndex(session)
        self.annex_projects: dict[tuple[ProjectGroup, int], Project] = {}
        self.sessions: dict[int, SessionDates] = {
            s.number: s for s in find_session_dates(document.paragraphs)
        }

    def location(self, where: Location) -> int:
        if where not in self._locations:
            row = SourceLocation(
                source_id=self.source.id,
                line=where.line,
                paragraph=where.paragraph,
                sub_item=where.sub_item,
                footnote=where.footnote,
                annex=where.annex,
                row=where.row,
            )
            self.session.add(row)
            self.session.flush()
            self._locations[where] = row.id
        return self._locations[where]

    # -- the document itself ---------------------------------------------------------

    def load_structure(self) -> None:
        doc, source_id = self.document, self.source.id
        for position, heading in enumerate(doc.headings):
            self.session.add(
                ReportHeading(
                    source_id=source_id,
                    position=position,
                    level=heading.level,
                    numeral=heading.numeral,
                    number=heading.number,
                    title=heading.title,
                    line=heading.line,
                )
            )
        for paragraph in doc.paragraphs:
            row = ReportParagraph(
                source_id=source_id,
                number=paragraph.number,
                chapter=paragraph.chapter,
                section=paragraph.section,
                text=paragraph.raw_text,
                line=paragraph.line,
            )
            row.sub_items = [
                ReportSubItem(
                    position=i,
                    label=s.label,
                    ordinal=s.ordinal,
                    style=s.style,
                    text=s.raw_text,
                    line=s.line,
                )
                for i, s in enumerate(paragraph.sub_items)
            ]
            self.session.add(row)
            where = Location(line=paragraph.line, paragraph=paragraph.number)
            self._links(where, paragraph.urls, paragraph.symbols)
        for footnote in doc.footnotes:
            self.session.add(
                ReportFootnote(
                    source_id=source_id,
                    number=footnote.number,
                    paragraph_number=footnote.paragraph,
                    text=footnote.text,
                    line=footnote.line,
                )
            )
            where = Location(
                line=footnote.line, paragraph=footnote.paragraph, footnote=footnote.number
            )
            self._links(where, footnote.urls, footnote.symbols)
        for mention in doc.country_mentions:
            entry = self.gazetteer.resolve(mention.text)
            if entry is None or entry.key != mention.alpha3:
                entry = self.gazetteer.entry(mention.alpha3)
            is_country = entry.kind == "country"
            self.session.add(
                CountryMention(
                    source_location_id=self.location(mention.location),
                    text=mention.text,
                    country_alpha3=entry.key if is_country else None,
                    group_code=None if is_country else entry.key,
                )
            )
        for cited in doc.recommendation_mentions:
            self.session.add(
                RecommendationMention(
                    source_location_id=self.location(cited.location),
                    recommendation_number=cited.number,
                    text=cited.text,
                )
            )
        for figure in doc.figures:
            self.session.add(
                ReportFigure(
                    source_location_id=self.location(figure.location),
                    value=figure.value,
                    text=figure.text,
                    unit=figure.unit,
                    counts=figure.counts,
                    year=figure.year,
                    qualifier=figure.qualifier,
                )
            )
        for number, dates in self.sessions.items():
            cdip = catalogue.get_or_create_session(self.session, number)
            cdip.start_date, cdip.end_date = dates.start, dates.end
            if dates.hybrid:
                cdip.format = SessionFormat.HYBRID
        self.session.flush()

    def _links(self, where: Location, urls: list[str], symbols: list[str]) -> None:
        if not urls and not symbols:
            return
        location_id = self.location(where)
        for url in dict.fromkeys(urls):
            self.session.add(ReportLink(source_location_id=location_id, url=url))
        for symbol in dict.fromkeys(symbols):
            document = catalogue.get_or_create_document(self.session, symbol)
            self.session.flush()
            self.session.add(
                DocumentMention(
                    document_id=document.id, source_location_id=location_id, text=symbol
                )
            )

    def load_findings(self) -> None:
        """Store what the checker finds, placed as the reader will show it."""
        doc = self.document
        annex_groups = {row.line: row.group.value for row in doc.annex_projects}
        heading_positions = {heading.line: i for i, heading in enumerate(doc.headings)}
        for finding in lint_document(doc, gazetteer=self.gazetteer).findings:
            where = finding.location
            self.session.add(
                ReportFinding(
                    source_location_id=self.location(where),
                    severity=finding.severity.value,
                    code=finding.code,
                    message=finding.message,
                    heading=where.heading,
                    heading_position=heading_positions.get(where.line) if where.heading else None,
                    annex_group=annex_groups.get(where.line) if where.annex == "II" else None,
                )
            )

    # -- Annex I ---------------------------------------------------------------------

    def load_annex_one(self) -> None:
        """Link recommendations to expected results, and keep every cell's wording as
        printed, so that the annex regenerates as the report prints it."""
        for row in self.document.annex_recommendations:
            recommendation = self.session.get(Recommendation, row.number)
            if recommendation is None:
                raise InputError(
                    f"Annex I names recommendation {row.number}, which is not in the "
                    "catalogue (run `devagenda init`)",
                    path=self.document.source,
                    line=row.line,
                )
            where = self.location(Location(line=row.line, annex="I", row=row.number))
            recommendation.set_text(self.language, row.text, TextStatus.OFFICIAL, where)
            linked = {
                link.expected_result_code: link for link in recommendation.expected_result_links
            }
            for position, result in enumerate(row.expected_results, start=1):
                self._expected_result_title(result.code, result.title, where)
                self.session.add(
                    AnnexOneCell(
                        source_location_id=where,
                        recommendation_number=row.number,
                        position=position,
                        expected_result_code=result.code,
                        printed_title=result.title,
                    )
                )
                if result.code in linked:
                    linked[result.code].source_location_id = where
                else:
                    link = RecommendationExpectedResult(
                        expected_result_code=result.code, source_location_id=where
                    )
                    recommendation.expected_result_links.append(link)
                    linked[result.code] = link
        self.session.flush()

    def _expected_result_title(self, code: str, title: str, where: int) -> None:
        """The report's wording of an expected result replaces our translation; where the
        report prints two wordings of one code, the first stands (the checker flags it)."""
        result = self.session.get(ExpectedResult, code)
        if result is None:
            result = ExpectedResult(code=code, strategic_pillar=int(code.split(".")[0]))
            self.session.add(result)
        official = any(
            t.language == self.language and t.status is TextStatus.OFFICIAL for t in result.texts
        )
        if not official:
            result.set_text(self.language, title, TextStatus.OFFICIAL, where)
        self.session.flush()

    # -- projects --------------------------------------------------------------------

    def load_projects(self) -> None:
        for row in self.document.annex_projects:
            where = self.location(Location(line=row.line, annex="II", row=row.row))
            project = self._same_row_in_another_edition(row) or self.projects.find_or_create(
                row.title, row.phase or 1, self.language, where
            )
            # Annex II prints the project's official title in the report's language.
            project.set_text(self.language, row.title, TextStatus.OFFICIAL, where)
            self.annex_projects[(row.group, row.row)] = project
            # Annex II states each project's status as of 31 December of the report's year.
            catalogue.record_status(
                self.session,
                project,
                GROUP_STATUS[row.group],
                date(self.year, 12, 31),
                DatePrecision.DAY,
                where,
            )
        for approval in self.document.approvals:
            self._load_approval(approval)
        for event in self.document.project_events:
            self._load_event(event)
        self.session.flush()

    def _same_row_in_another_edition(self, row: AnnexProject) -> Project | None:
        """The project in the same row of the same year's Annex II in another language:
        editions of one report list the same projects in the same order, whatever their
        titles say."""
        project_id = self.session.scalar(
            select(ProjectStatusChange.project_id)
            .join(SourceLocation, SourceLocation.id == ProjectStatusChange.source_location_id)
            .join(Source, Source.id == SourceLocation.source_id)
            .where(
                Source.kind == SourceKind.REPORT,
                Source.year == self.year,
                Source.language != self.language,
                SourceLocation.annex == "II",
                SourceLocation.row == row.row,
                ProjectStatusChange.status == GROUP_STATUS[row.group],
            )
        )
        return self.session.get(Project, project_id) if project_id is not None else None

    def _project_for(
        self, title: str, phase: int | None, group: ProjectGroup | None, row: int | None
    ) -> Project | None:
        if group is not None and row is not None and (group, row) in self.annex_projects:
            return self.annex_projects[(group, row)]
        return self.projects.find(title, phase or 1)

    def _load_approval(self, approval: Approval) -> None:
        where = self.location(approval.location)
        project = self._project_for(
            approval.title, approval.phase, ProjectGroup.APPROVED, approval.annex_row
        )
        if project is None:
            project = self.projects.find_or_create(
                approval.title, approval.phase or 1, self.language, where
            )
        project.approved_session = catalogue.get_or_create_session(self.session, approval.session)
        dates = self.sessions.get(approval.session)
        on_date, precision = (
            (dates.end, DatePrecision.DAY) if dates and dates.end else _period_end(self.year, None)
        )
        catalogue.record_status(
            self.session, project, ProjectStatus.APPROVED, on_date, precision, where
        )
        project.proposers = [
            self._proposer(name, position, where, approval.location)
            for position, name in enumerate(approval.proposers)
        ]
        project.recommendation_links = [
            ProjectRecommendation(recommendation_number=number, source_location_id=where)
            for number in dict.fromkeys(approval.recommendations)
        ]

    def _proposer(
        self, name: str, position: int, where: int, location: Location
    ) -> ProjectProposer:
        entry = self.gazetteer.resolve(name)
        if entry is None:
            raise InputError(
                f"paragraph {location.paragraph}: proposer {name!r} is not a known country or "
                "group",
                path=self.document.source,
                line=location.line,
            )
        is_country = entry.kind == "country"
        return ProjectProposer(
            position=position,
            name_as_printed=name,
            source_location_id=where,
            country_alpha3=entry.key if is_country else None,
            group_code=None if is_country else entry.key,
        )

    def _load_event(self, event: ProjectEvent) -> None:
        project = self._project_for(event.title, None, event.annex_group, event.annex_row)
        if project is None:
            return  # a project the annex does not list: reported by the checker, not stored
        where = self.location(event.location)
        on_date, precision = _period_end(event.year or self.year, event.month)
        catalogue.record_status(
            self.session, project, EVENT_STATUS[event.kind], on_date, precision, where
        )
        if event.chapter is not None:
            sector = self.session.scalar(select(Sector).where(Sector.report_order == event.chapter))
            if sector is not None:
                project.sector = sector
        known = {b.country_alpha3 for b in project.beneficiaries}
        for alpha3 in event.beneficiaries:
            if alpha3 not in known:
                project.beneficiaries.append(
                    ProjectBeneficiary(
                        country_alpha3=alpha3,
                        position=len(project.beneficiaries),
                        source_location_id=where,
                    )
                )
                known.add(alpha3)
