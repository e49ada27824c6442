"""Loading a read report into the knowledge base, with provenance, in one transaction.

Re-ingesting the same file changes nothing (its checksum is stored); a corrected text of
the same edition replaces what the earlier text contributed, when asked to, and the
earlier text is kept (`versions`); a later year's report adds to the projects' status
histories instead of creating new projects. Every ingest is recorded.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypedDict, Unpack

from pydantic import BaseModel
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.lifecycle import EVENT_STATUS, GROUP_STATUS
from devagenda.catalogue.models import (
    DatePrecision,
    Document,
    Project,
    ProjectBeneficiary,
    ProjectProposer,
    ProjectRecommendation,
    ProjectStatus,
    ProjectStatusChange,
    Recommendation,
    RecommendationExpectedResult,
    SessionFormat,
    StatementKind,
)
from devagenda.core.changelog import logged_run
from devagenda.core.errors import InputError, ReplaceRefused
from devagenda.core.models import Source, SourceKind, SourceLocation, TextStatus
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import ExpectedResult, Sector
from devagenda.reference.services import build_gazetteer
from devagenda.reports import versions
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.completeness import missing_parts, require_report
from devagenda.reports.ingest.decoding import decode_report
from devagenda.reports.ingest.document import (
    AnnexProject,
    Approval,
    Location,
    ProjectEvent,
    ProjectGroup,
    ReportDocument,
)
from devagenda.reports.ingest.document import (
    CountryMention as CountryMentionRead,
)
from devagenda.reports.ingest.docx import is_docx
from devagenda.reports.ingest.projects import proposer_names
from devagenda.reports.ingest.sessions import SessionDates, find_session_dates
from devagenda.reports.lint import Finding, lint_document
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
from devagenda.reports.versions import EditionChanges, Outcome

Progress = Callable[[str], None]


class IngestOptions(TypedDict, total=False):
    """What the user asks of an ingest (`devagenda ingest`'s flags, see `load_report`)."""

    language: str | None
    year: int | None
    partial: bool
    replace: bool
    progress: Progress | None


class IngestSummary(BaseModel):
    source: str  # e.g. "dg-report/2023/zh"
    outcome: Outcome  # loaded, replaced, restored or unchanged
    version: int  # the edition's version now current
    partial: bool  # loaded as a partial report (a draft)
    database: str | None = None  # where it was stored (the caller says)
    counts: dict[str, int]  # rows stored from this report
    report: dict[str, Any]  # what the report holds (see versions.report_counts)
    findings: dict[str, int]  # the checker's findings by severity (`devagenda lint`)
    changes: EditionChanges | None = None  # what a replacement changed


def report_key(year: int, language: str) -> str:
    return f"dg-report/{year}/{language}"


def ingest_report(
    session: Session, path: Path | str, **options: Unpack[IngestOptions]
) -> IngestSummary:
    """Read the report at `path` and store it; the caller's transaction makes it atomic."""
    return load_report(session, read_report_file(Path(path)), str(path), **options)


def read_report_file(path: Path) -> bytes:
    """The bytes of the report file at `path`, or an error that names it."""
    if path.is_dir():
        raise InputError("is a folder, not a report file", path=str(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read the report: {error.strerror}", path=str(path)) from None


def load_report(
    session: Session,
    data: bytes,
    name: str,
    *,
    language: str | None = None,
    year: int | None = None,
    partial: bool = False,
    replace: bool = False,
    restoring: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Store the report in `data` (read from the file `name`) and record the ingest.

    A text that is not a whole report is refused (a draft loads with `partial`); a
    different text for a loaded edition raises `ReplaceRefused`, saying what would change,
    unless `replace`; the text it replaces stays as an earlier version.
    """
    started = versions.now()
    step = progress or (lambda _message: None)
    step("reading")
    gazetteer = build_gazetteer(session)
    document = read_report(data, language=language, year=year, source=name, gazetteer=gazetteer)
    require_report(document, partial=partial)
    assert document.year is not None  # require_report refuses a report without one
    key = report_key(document.year, document.language.value)
    checksum = content_checksum(data, name)
    report = versions.report_counts(document)
    # The whole load is one change-log entry, keyed by the ingest run it records.
    with logged_run(
        session, "ingest_run", "", file=Path(name).name, edition=key, checksum=checksum
    ) as logged:
        existing = session.scalar(select(Source).filter_by(kind=SourceKind.REPORT, key=key))
        changes = None
        if existing is not None and existing.checksum == checksum:
            outcome = Outcome.UNCHANGED
            source = existing
        else:
            if existing is not None:
                changes = _changes(session, existing, document, gazetteer)
                if not replace:
                    raise ReplaceRefused(
                        f"{key} is already loaded with a different text "
                        f"(version {changes.current_version}); this one would change: "
                        f"{changes.describe()}. Repeat with --replace to load it (the current "
                        "text is kept as an earlier version)",
                        changes=changes.model_dump(mode="json"),
                    )
                step("removing the current text (kept as an earlier version)")
                remove_report(session, existing)
            outcome = (
                Outcome.RESTORED if restoring else Outcome.REPLACED if existing else Outcome.LOADED
            )
            source = _store(session, document, checksum, Path(name).name, gazetteer, step)
        version = versions.version_with(session, key, checksum) or versions.add_version(
            session,
            key,
            checksum=checksum,
            file_name=Path(name).name,
            content=data,
            language=document.language.value,
            year=document.year,
            partial=partial and bool(missing_parts(document)),
        )
        counts = stored_counts(session, source)
        run = versions.record_run(
            session,
            started_at=started,
            file_name=Path(name).name,
            requested={"language": language, "year": year, "partial": partial, "replace": replace},
            outcome=outcome,
            checksum=hashlib.sha256(data).hexdigest(),
            size=len(data),
            edition=key,
            version=version.number,
            counts={"stored": counts, "report": report},
            changes=changes,
        )
        logged.record_key = str(run.id)
        logged.details.update(outcome=outcome.value, version=version.number, stored=counts)
    return IngestSummary(
        source=key,
        outcome=outcome,
        version=version.number,
        partial=version.partial,
        counts=counts,
        report=report,
        findings=versions.findings_by_severity(session, source),
        changes=changes,
    )


def _changes(
    session: Session, existing: Source, document: ReportDocument, gazetteer: Gazetteer
) -> EditionChanges:
    """What loading `document` in place of the stored edition changes, text against text
    (the stored text is read again when it is at hand)."""
    current = versions.current_version(session, existing)
    if current.content is not None:
        stored = read_report(
            current.content,
            language=current.language,
            year=current.year,
            source=current.file_name,
            gazetteer=gazetteer,
        )
        before = versions.document_state(stored)
    else:
        before = versions.stored_state(session, existing)
    return versions.compare(existing.key, current.number, before, versions.document_state(document))


def _store(
    session: Session,
    document: ReportDocument,
    checksum: str,
    file_name: str,
    gazetteer: Gazetteer,
    step: Progress,
) -> Source:
    assert document.year is not None
    source = Source(
        kind=SourceKind.REPORT,
        key=report_key(document.year, document.language.value),
        title=document.title
        or f"Director General's report on the Development Agenda, {document.year}",
        language=document.language.value,
        year=document.year,
        uri=file_name,
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
    return source


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
    # Statuses follow from what is left of each history: read afresh, in one query.
    projects = session.scalars(
        select(Project)
        .options(selectinload(Project.status_history))
        .execution_options(populate_existing=True)
    )
    for project in projects:
        if project.status_history:
            catalogue.refresh_status(project)


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


def _stored_fields(where: Location) -> tuple[object, ...]:
    """What a `SourceLocation` row keeps of a place."""
    return (where.line, where.paragraph, where.sub_item, where.footnote, where.annex, where.row)


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
        self._documents: dict[str, int] = {}
        self.findings = lint_document(document, gazetteer=gazetteer).findings
        self.projects = catalogue.ProjectIndex(session)
        self.annex_projects: dict[tuple[ProjectGroup, int], Project] = {}
        self.sessions: dict[int, SessionDates] = {
            s.number: s for s in find_session_dates(document.paragraphs)
        }

    def location(self, where: Location) -> int:
        """The id of a place in this report; places the document names were stored at once
        by `preload_locations`, others are stored here one by one."""
        if where not in self._locations:
            row = self._location_row(where)
            self.session.add(row)
            self.session.flush()
            self._locations[where] = row.id
        return self._locations[where]

    def preload_locations(self, findings: Sequence[Finding]) -> None:
        """Store every place the document's own contents point to in one batch, so that
        rows citing them are written in batches too instead of one flush each."""
        doc = self.document
        places: list[Location] = [
            Location(line=p.line, paragraph=p.number) for p in doc.paragraphs if p.urls or p.symbols
        ]
        places += [
            Location(line=f.line, paragraph=f.paragraph, footnote=f.number)
            for f in doc.footnotes
            if f.urls or f.symbols
        ]
        places += [m.location for m in doc.country_mentions]
        places += [m.location for m in doc.group_mentions]
        places += [m.location for m in doc.recommendation_mentions]
        places += [f.location for f in doc.figures]
        places += [f.location for f in findings]
        places += [
            Location(line=r.line, annex="I", row=r.number) for r in doc.annex_recommendations
        ]
        places += [Location(line=r.line, annex="II", row=r.row) for r in doc.annex_projects]
        wanted = [where for where in dict.fromkeys(places) if where not in self._locations]
        # Places that differ only in what is not stored (a finding's heading) share a row.
        new = list({_stored_fields(where): where for where in wanted}.values())
        if not new:
            return
        # One executemany, then one query for the ids (SQLite would write the rows one by
        # one to return them); each place is stored once per report, so its fields find it.
        self.session.execute(
            insert(SourceLocation).execution_options(render_nulls=True),
            [self._location_values(where) for where in new],
        )
        stored = self.session.execute(
            select(SourceLocation).where(SourceLocation.source_id == self.source.id)
        ).scalars()
        by_place = {
            (row.line, row.paragraph, row.sub_item, row.footnote, row.annex, row.row): row.id
            for row in stored
        }
        self._locations.update((where, by_place[_stored_fields(where)]) for where in wanted)

    def _location_row(self, where: Location) -> SourceLocation:
        return SourceLocation(**self._location_values(where))

    def _location_values(self, where: Location) -> dict[str, Any]:
        return {
            "source_id": self.source.id,
            "line": where.line,
            "paragraph": where.paragraph,
            "sub_item": where.sub_item,
            "footnote": where.footnote,
            "annex": where.annex,
            "row": where.row,
        }

    def documents(self) -> dict[str, int]:
        """Ids of the documents the report cites, by symbol as printed: the known ones read
        in one query, the others created (each flushed, so that two documents of one new
        session share it)."""
        cited = dict.fromkeys(
            symbol
            for owner in (*self.document.paragraphs, *self.document.footnotes)
            for symbol in owner.symbols
        )
        normalized = {symbol: catalogue.normalize_symbol(symbol) for symbol in cited}
        known = {
            document.symbol: document
            for document in self.session.scalars(
                select(Document).where(Document.symbol.in_(set(normalized.values())))
            )
        }
        for symbol in sorted(set(normalized.values()) - set(known)):
            known[symbol] = catalogue.get_or_create_document(self.session, symbol)
            self.session.flush()
        return {symbol: known[normal].id for symbol, normal in normalized.items()}

    # -- the document itself ---------------------------------------------------------

    def load_structure(self) -> None:
        """The report's own rows, added without flushing between them so that they are
        written table by table in batches."""
        doc, source_id = self.document, self.source.id
        self.preload_locations(self.findings)
        self._documents = self.documents()
        with self.session.no_autoflush:
            self._add_structure(doc, source_id)
        self.session.flush()

    def _add_structure(self, doc: ReportDocument, source_id: int) -> None:
        rows: dict[type, list[dict[str, Any]]] = {
            ReportHeading: [
                {
                    "source_id": source_id,
                    "position": position,
                    "level": heading.level,
                    "numeral": heading.numeral,
                    "number": heading.number,
                    "title": heading.title,
                    "line": heading.line,
                }
                for position, heading in enumerate(doc.headings)
            ],
            ReportLink: [],
            DocumentMention: [],
        }
        # Paragraphs and footnotes go through the unit of work: the search index watches it.
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
            self._links(rows, where, paragraph.urls, paragraph.symbols)
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
            self._links(rows, where, footnote.urls, footnote.symbols)
        rows[CountryMention] = [self._country_mention(mention) for mention in doc.country_mentions]
        rows[CountryMention] += [
            {
                "source_location_id": self.location(named.location),
                "text": named.text,
                "country_alpha3": None,
                "group_code": self.gazetteer.entry(named.code).key,
            }
            for named in doc.group_mentions
        ]
        rows[RecommendationMention] = [
            {
                "source_location_id": self.location(cited.location),
                "recommendation_number": cited.number,
                "text": cited.text,
            }
            for cited in doc.recommendation_mentions
        ]
        # Figures go through the unit of work: a part points at its total's row, which the
        # unit of work inserts first.
        figures: dict[int, ReportFigure] = {}
        for figure in doc.figures:
            row = ReportFigure(
                source_location_id=self.location(figure.location),
                value=figure.value,
                text=figure.text,
                unit=figure.unit,
                counts=figure.counts,
                year=figure.year,
                qualifier=figure.qualifier,
                cumulative=figure.cumulative,
                breakdown=figure.breakdown,
            )
            if figure.part_of is not None:
                row.part_of = figures.get(id(figure.part_of))
            figures[id(figure)] = row
            self.session.add(row)
        for number, dates in self.sessions.items():
            cdip = catalogue.get_or_create_session(self.session, number)
            cdip.start_date, cdip.end_date = dates.start, dates.end
            if dates.hybrid:
                cdip.format = SessionFormat.HYBRID
        self._insert_all(rows)

    def _insert_all(self, rows: dict[type, list[dict[str, Any]]]) -> None:
        """One executemany per table for rows nothing reads back in this transaction. The
        paragraphs and footnotes whose index entries name countries are new in the same
        transaction, so their entries are written from the stored mentions at commit."""
        for model, values in rows.items():
            if values:
                # NULLs written as such, so that rows are not split into batches by which
                # of their columns are empty.
                self.session.execute(insert(model).execution_options(render_nulls=True), values)

    def _country_mention(self, mention: CountryMentionRead) -> dict[str, Any]:
        entry = self.gazetteer.resolve(mention.text)
        if entry is None or entry.key != mention.alpha3:
            entry = self.gazetteer.entry(mention.alpha3)
        is_country = entry.kind == "country"
        return {
            "source_location_id": self.location(mention.location),
            "text": mention.text,
            "country_alpha3": entry.key if is_country else None,
            "group_code": None if is_country else entry.key,
        }

    def _links(
        self,
        rows: dict[type, list[dict[str, Any]]],
        where: Location,
        urls: list[str],
        symbols: list[str],
    ) -> None:
        if not urls and not symbols:
            return
        location_id = self.location(where)
        rows[ReportLink] += [
            {"source_location_id": location_id, "url": url} for url in dict.fromkeys(urls)
        ]
        rows[DocumentMention] += [
            {
                "document_id": self._documents[symbol],
                "source_location_id": location_id,
                "text": symbol,
            }
            for symbol in dict.fromkeys(symbols)
        ]

    def load_findings(self) -> None:
        """Store what the checker finds, placed as the reader will show it."""
        doc = self.document
        annex_groups = {row.line: row.group.value for row in doc.annex_projects}
        heading_positions = {heading.line: i for i, heading in enumerate(doc.headings)}
        rows = [
            {
                "source_location_id": self.location(finding.location),
                "severity": finding.severity.value,
                "code": finding.code,
                "message": finding.message,
                "message_key": finding.text.key,
                "message_params": finding.text.to_json()["params"],
                "heading": finding.location.heading,
                "heading_position": heading_positions.get(finding.location.line)
                if finding.location.heading
                else None,
                "annex_group": annex_groups.get(finding.location.line)
                if finding.location.annex == "II"
                else None,
            }
            for finding in self.findings
        ]
        self._insert_all({ReportFinding: rows})

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
            # An Annex II group is the project's state at the end of the report's year, not
            # something that happened on 31 December.
            catalogue.record_status(
                self.session,
                project,
                GROUP_STATUS[row.group],
                where,
                kind=StatementKind.YEAR_END,
                as_of_year=self.year,
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
        if dates and dates.end:
            catalogue.record_status(
                self.session,
                project,
                ProjectStatus.APPROVED,
                where,
                on_date=dates.end,
                precision=DatePrecision.DAY,
            )
        else:  # the session is named, its dates are not: approved, as of the report's year
            catalogue.record_status(
                self.session,
                project,
                ProjectStatus.APPROVED,
                where,
                kind=StatementKind.REPORTED,
                as_of_year=self.year,
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
        status = EVENT_STATUS[event.kind]
        held = self.sessions.get(event.session) if event.session is not None else None
        if held is not None and held.end is not None:  # "at the thirty-first session"
            catalogue.record_status(
                self.session, project, status, where, on_date=held.end, precision=DatePrecision.DAY
            )
        elif event.year is None:  # no date in the text: a state as of the report's year
            catalogue.record_status(
                self.session,
                project,
                status,
                where,
                kind=StatementKind.REPORTED,
                as_of_year=self.year,
            )
        else:
            on_date, precision = _period_end(event.year, event.month)
            catalogue.record_status(
                self.session, project, status, where, on_date=on_date, precision=precision
            )
        if event.chapter is not None:
            sector = self.session.scalar(select(Sector).where(Sector.report_order == event.chapter))
            if sector is not None:
                project.sector = sector
        if event.proposed_by and not project.proposers:
            self._event_proposers(project, event.proposed_by, where)
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

    def _event_proposers(self, project: Project, printed: str, where: int) -> None:
        """Proposers an entry names ("突尼斯提议的…项目"), when the approvals paragraph of
        the project's year is not loaded; a name the gazetteer does not know is left out."""
        english = self.language == "en"
        for position, name in enumerate(proposer_names(printed, self._resolves, english=english)):
            entry = self.gazetteer.resolve(name)
            if entry is None:
                continue
            is_country = entry.kind == "country"
            project.proposers.append(
                ProjectProposer(
                    position=position,
                    name_as_printed=name,
                    source_location_id=where,
                    country_alpha3=entry.key if is_country else None,
                    group_code=None if is_country else entry.key,
                )
            )

    def _resolves(self, name: str) -> bool:
        return self.gazetteer.resolve(name) is not None
