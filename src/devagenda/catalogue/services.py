"""Business rules of the catalogue: finding projects by title, and their status history."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Date, case, exists, extract, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from devagenda.catalogue import lifecycle
from devagenda.catalogue.codes import recommendations_in_code
from devagenda.catalogue.importers import CATALOGUE_SPEC, OutputItem, read_project_titles
from devagenda.catalogue.models import (
    CdipSession,
    DatePrecision,
    Document,
    Project,
    ProjectBeneficiary,
    ProjectBudget,
    ProjectDocument,
    ProjectFactSource,
    ProjectOutput,
    ProjectProposer,
    ProjectRecommendation,
    ProjectStatus,
    ProjectStatusChange,
    ProjectTitle,
    Recommendation,
    RecommendationExpectedResult,
    SessionFormat,
    StatementKind,
)
from devagenda.catalogue.schemas import (
    ActorOut,
    ClusterOut,
    ClusterRef,
    DocumentFilter,
    DocumentOut,
    DocumentRef,
    ExpectedResultRef,
    OutputOut,
    ProjectFilter,
    ProjectOut,
    ProjectRef,
    ProjectSummary,
    Provenance,
    RecommendationDetail,
    RecommendationFilter,
    RecommendationOut,
    RecommendationRef,
    SectorRef,
    SessionOut,
    SessionRef,
    StatusChangeOut,
    StatusConflictOut,
    TextOut,
)
from devagenda.catalogue.titles import phase_of, title_key
from devagenda.core.errors import NotFoundError
from devagenda.core.imports import (
    ImportResult,
    ImportRow,
    RowRejected,
    cited_location,
    run_import,
    template,
)
from devagenda.core.listing import (
    ColumnFacet,
    ConditionFacet,
    LinkFacet,
    ListSource,
    Sort,
    parse_bool,
)
from devagenda.core.models import SourceLocation, TextStatus, TranslatedMixin, TranslationMixin
from devagenda.core.pagination import Listing, contains_text, text_in
from devagenda.core.provenance import dataset_source, normalize_symbol, row_location
from devagenda.reference.gazetteer import Gazetteer, NamedEntry
from devagenda.reference.models import Cluster, Country, Sector
from devagenda.reports.content import recommendation_mentions
from devagenda.reports.models import DocumentMention

# Two titles of one project may differ by a word or a punctuation mark between editions
# and between the narrative and the annex; below this score they are different projects.
SAME_PROJECT_SCORE = 90


class ProjectIndex:
    """The projects of a database, looked up by title and phase while loading a report."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_phase: dict[int, dict[str, Project]] = {}
        for project in session.scalars(select(Project)):
            self._index(project)

    def _index(self, project: Project) -> None:
        keys = self.by_phase.setdefault(project.phase, {})
        for text in project.texts:
            keys.setdefault(title_key(text.text), project)

    def find(self, title: str, phase: int) -> Project | None:
        keys = self.by_phase.get(phase, {})
        key = title_key(title)
        if key in keys:
            return keys[key]
        best = process.extractOne(key, list(keys), scorer=fuzz.ratio) if keys else None
        if best and best[1] >= SAME_PROJECT_SCORE:
            return keys[best[0]]
        return None

    def find_or_create(
        self, title: str, phase: int, language: str, source_location_id: int | None
    ) -> Project:
        project = self.find(title, phase)
        if project is None:
            project = Project(phase=phase, status=ProjectStatus.PROPOSED)
            project.set_text(language, title, TextStatus.OFFICIAL, source_location_id)
            self.session.add(project)
            self._index(project)
        return project


def link_predecessors(session: Session) -> None:
    """A phase-n project follows the phase-(n-1) project with the same title."""
    index = ProjectIndex(session)
    for project in session.scalars(select(Project).where(Project.phase > 1)):
        if project.predecessor_id is not None:
            continue
        for text in project.texts:
            earlier = index.find(text.text, project.phase - 1)
            if earlier is not None:
                project.predecessor = earlier
                break


def record_status(
    session: Session,
    project: Project,
    status: ProjectStatus,
    source_location_id: int | None,
    *,
    kind: StatementKind = StatementKind.EVENT,
    on_date: date | None = None,
    precision: DatePrecision | None = None,
    as_of_year: int | None = None,
) -> None:
    """Add a statement of the project's state (once per source location) and derive its
    current state again."""
    for change in project.status_history:
        if change.status is status and change.source_location_id == source_location_id:
            break
    else:
        project.status_history.append(
            ProjectStatusChange(
                status=status,
                kind=kind,
                on_date=on_date,
                date_precision=precision,
                as_of_year=as_of_year,
                source_location_id=source_location_id,
            )
        )
    refresh_status(project)


def refresh_status(project: Project) -> None:
    """Derive the project's stage and mainstreamed state from its statements (the rules
    are in `lifecycle`), and its start and end dates from the changes that date them."""
    history = project.status_history
    project.status = lifecycle.current_stage(history) or ProjectStatus.PROPOSED
    project.mainstreamed = lifecycle.is_mainstreamed(history)
    # Dates the statements do not give are left as they are: another source may give them.
    started = _dated(history, ProjectStatus.ONGOING)
    if started:
        first = min(started, key=lambda c: c.on_date or date.max)
        project.start_date, project.start_precision = first.on_date, first.date_precision
    completed = _dated(history, ProjectStatus.COMPLETED)
    if completed:
        last = max(completed, key=lambda c: c.on_date or date.min)
        project.end_date, project.end_precision = last.on_date, last.date_precision


def _dated(history: list[ProjectStatusChange], status: ProjectStatus) -> list[ProjectStatusChange]:
    """The changes to `status` the text dates: the starts or ends it states."""
    return [
        change
        for change in history
        if change.status is status
        and lifecycle.kind_of(change) is StatementKind.EVENT
        and change.on_date is not None
    ]


def apply_project_translations(session: Session) -> int:
    """Give projects the shipped English titles where no official English title exists."""
    source = dataset_source(session, "projects_en.csv", "English titles of DA projects")
    by_key = {(title_key(r.title_zh), phase_of(r.title_zh) or 1): r for r in read_project_titles()}
    updated = 0
    for project in session.scalars(select(Project)):
        texts = {t.language: t for t in project.texts}
        chinese = texts.get("zh")
        record = by_key.get((title_key(chinese.text), project.phase)) if chinese else None
        english = texts.get("en")
        if record is None or (english and english.status is TextStatus.OFFICIAL):
            continue
        if english is None or english.text != record.title_en:
            location = row_location(session, source, record.line).id
            project.set_text("en", record.title_en, record.title_en_status, location)
            updated += 1
    return updated


def get_or_create_session(session: Session, number: int) -> CdipSession:
    cdip = session.get(CdipSession, number)
    if cdip is None:
        cdip = CdipSession(number=number)
        session.add(cdip)
    return cdip


def get_or_create_document(session: Session, symbol: str) -> Document:
    """Documents are keyed by their symbol as WIPO writes it (see normalize_symbol)."""
    symbol = normalize_symbol(symbol)
    document = session.scalar(select(Document).where(Document.symbol == symbol))
    if document is None:
        match = re.match(r"CDIP/(\d+)/", symbol)
        number = int(match.group(1)) if match else None
        document = Document(symbol=symbol)
        if number is not None:
            document.session = get_or_create_session(session, number)
        session.add(document)
    return document


# -- reads for interfaces (API, web UI, CLI) -------------------------------------------


def locations_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, SourceLocation]:
    """The source locations of a batch of facts, fetched at once with their sources."""
    wanted = {location_id for location_id in ids if location_id is not None}
    if not wanted:
        return {}
    rows = session.scalars(
        select(SourceLocation)
        .options(joinedload(SourceLocation.source))
        .where(SourceLocation.id.in_(wanted))
    )
    return {row.id: row for row in rows}


def provenance(locations: dict[int, SourceLocation], location_id: int | None) -> Provenance | None:
    location = locations.get(location_id) if location_id is not None else None
    return Provenance.of(location) if location is not None else None


def texts_out(
    translations: Sequence[TranslationMixin], locations: dict[int, SourceLocation]
) -> list[TextOut]:
    return [
        TextOut(
            language=t.language,
            text=t.text,
            status=t.status,
            source=provenance(locations, t.source_location_id),
        )
        for t in translations
    ]


def _text(record: TranslatedMixin, language: str) -> str | None:
    """Exactly this language's wording: a list column must not silently show another."""
    return record.text_in(language, fallback=())


def project_ref(project: Project) -> ProjectRef:
    return ProjectRef(
        id=project.id,
        code=project.code,
        phase=project.phase,
        status=project.status,
        states=project.states,
        title_zh=_text(project, "zh"),
        title_en=_text(project, "en"),
    )


def _cluster_ref(cluster: Cluster) -> ClusterRef:
    return ClusterRef(
        letter=cluster.letter, title_zh=_text(cluster, "zh"), title_en=_text(cluster, "en")
    )


# -- recommendations and clusters


def recommendation_listing(
    session: Session, filters: RecommendationFilter | None = None
) -> Listing[RecommendationOut]:
    filters = filters or RecommendationFilter()
    query = select(Recommendation)
    if filters.cluster is not None:
        query = query.where(Recommendation.cluster_letter == filters.cluster)
    if filters.immediate is not None:
        query = query.where(Recommendation.immediate == filters.immediate)
    if filters.expected_result is not None:
        query = query.where(
            Recommendation.expected_result_links.any(
                RecommendationExpectedResult.expected_result_code == filters.expected_result
            )
        )
    return Listing(
        session,
        query,
        Recommendation.number,
        _recommendations_out,
        text_in(translated=Recommendation),
    )


def recommendation_source(session: Session) -> ListSource[RecommendationOut]:
    """The recommendations for the database to filter, count and order: facets by
    cluster, immediate implementation, expected result and whether projects implement
    them."""
    implemented = exists().where(
        ProjectRecommendation.recommendation_number == Recommendation.number
    )
    expected = select(
        RecommendationExpectedResult.recommendation_number.label("owner"),
        RecommendationExpectedResult.expected_result_code.label("value"),
    )
    projects = (
        select(func.count())
        .where(ProjectRecommendation.recommendation_number == Recommendation.number)
        .scalar_subquery()
    )
    return ListSource(
        recommendation_listing(session),
        facets=(
            ColumnFacet("cluster", Recommendation.cluster_letter),
            ColumnFacet("immediate", Recommendation.immediate, parse_bool),
            LinkFacet("expected_result", Recommendation.number, expected, unique_pairs=True),
            ConditionFacet("implemented", {"true": implemented, "false": ~implemented}),
        ),
        sorts={
            "number": Sort(Recommendation.number, nullable=False),
            "cluster": Sort(Recommendation.cluster_letter, nullable=False),
            "projects": Sort(projects, nullable=False),
        },
    )


def get_recommendation(session: Session, number: int) -> RecommendationDetail:
    recommendation = session.get(Recommendation, number)
    if recommendation is None:
        raise NotFoundError(f"no recommendation {number}")
    summary = _recommendations_out(session, [recommendation])[0]
    from devagenda.catalogue.coverage import project_coverage  # it imports this module

    return RecommendationDetail(
        **summary.model_dump(),
        version=recommendation.version,
        mentions=recommendation_mentions(session, number),
        projects_covered=project_coverage(session).recommendations,
    )


def _recommendations_out(
    session: Session, recommendations: Sequence[Recommendation]
) -> list[RecommendationOut]:
    locations = locations_by_id(
        session, (t.source_location_id for r in recommendations for t in r.texts)
    )
    projects = _projects_by_recommendation(session, [r.number for r in recommendations])
    return [
        RecommendationOut(
            number=r.number,
            cluster=_cluster_ref(r.cluster),
            immediate=r.immediate,
            text_zh=_text(r, "zh"),
            text_en=_text(r, "en"),
            texts=texts_out(r.texts, locations),
            expected_results=[
                ExpectedResultRef(
                    code=link.expected_result_code,
                    title_zh=_text(link.expected_result, "zh"),
                    title_en=_text(link.expected_result, "en"),
                )
                for link in r.expected_result_links
            ],
            projects=projects.get(r.number, []),
        )
        for r in recommendations
    ]


def _projects_by_recommendation(
    session: Session, numbers: list[int]
) -> dict[int, list[ProjectRef]]:
    rows = session.execute(
        select(ProjectRecommendation.recommendation_number, Project)
        .join(Project, Project.id == ProjectRecommendation.project_id)
        .where(ProjectRecommendation.recommendation_number.in_(numbers))
        .order_by(Project.id)
    )
    by_number: dict[int, list[ProjectRef]] = {}
    for number, project in rows:
        by_number.setdefault(number, []).append(project_ref(project))
    return by_number


def cluster_listing(session: Session) -> Listing[ClusterOut]:
    return Listing(
        session, select(Cluster), Cluster.letter, _clusters_out, text_in(translated=Cluster)
    )


def get_cluster(session: Session, letter: str) -> ClusterOut:
    cluster = session.get(Cluster, letter.strip().upper())
    if cluster is None:
        raise NotFoundError(f"no cluster {letter!r}")
    return _clusters_out(session, [cluster])[0]


def _clusters_out(session: Session, clusters: Sequence[Cluster]) -> list[ClusterOut]:
    numbers: dict[str, list[int]] = {}
    rows = session.execute(
        select(Recommendation.cluster_letter, Recommendation.number)
        .where(Recommendation.cluster_letter.in_([c.letter for c in clusters]))
        .order_by(Recommendation.number)
    )
    for letter, number in rows:
        numbers.setdefault(letter, []).append(number)
    return [
        ClusterOut(
            **_cluster_ref(c).model_dump(),
            first_recommendation=c.first_recommendation,
            last_recommendation=c.last_recommendation,
            recommendations=numbers.get(c.letter, []),
        )
        for c in clusters
    ]


# -- CDIP sessions and documents


def cdip_session_listing(session: Session) -> Listing[SessionOut]:
    return Listing(session, select(CdipSession), CdipSession.number, _sessions_out, _session_text)


def cdip_session_source(session: Session) -> ListSource[SessionOut]:
    """The CDIP sessions for the database to filter, count and order: facets by year
    and format, either of which a source may leave unstated."""

    def counted(column: Any) -> ColumnElement[int]:
        return select(func.count()).where(column == CdipSession.number).scalar_subquery()

    return ListSource(
        cdip_session_listing(session),
        facets=(
            ColumnFacet("year", extract("year", CdipSession.start_date), int),
            ColumnFacet("format", CdipSession.format, SessionFormat),
        ),
        sorts={
            "number": Sort(CdipSession.number, nullable=False),
            "dates": Sort(CdipSession.start_date),
            "format": Sort(CdipSession.format),
            "projects": Sort(counted(Project.approved_session_number), nullable=False),
            "documents": Sort(counted(Document.session_number), nullable=False),
        },
    )


def _session_text(q: str) -> ColumnElement[bool]:
    """A session matches by the symbols of its documents (CDIP/31/4)."""
    symbols = select(Document.session_number).where(contains_text(q, Document.symbol))
    return CdipSession.number.in_(symbols)


def get_cdip_session(session: Session, number: int) -> SessionOut:
    cdip = session.get(CdipSession, number)
    if cdip is None:
        raise NotFoundError(f"no CDIP session {number}")
    return _sessions_out(session, [cdip])[0]


def _sessions_out(session: Session, cdips: Sequence[CdipSession]) -> list[SessionOut]:
    numbers = [c.number for c in cdips]
    symbols: dict[int, list[str]] = {}
    for number, symbol in session.execute(
        select(Document.session_number, Document.symbol)
        .where(Document.session_number.in_(numbers))
        .order_by(Document.symbol)
    ):
        symbols.setdefault(number, []).append(symbol)
    approved: dict[int, list[ProjectRef]] = {}
    for project in session.scalars(
        select(Project).where(Project.approved_session_number.in_(numbers)).order_by(Project.id)
    ):
        approved.setdefault(project.approved_session_number, []).append(project_ref(project))
    locations = locations_by_id(session, (c.source_location_id for c in cdips))
    return [
        SessionOut(
            number=c.number,
            version=c.version,
            start_date=c.start_date,
            end_date=c.end_date,
            format=c.format,
            documents=symbols.get(c.number, []),
            projects_approved=approved.get(c.number, []),
            source=provenance(locations, c.source_location_id),
        )
        for c in cdips
    ]


def document_listing(
    session: Session, filters: DocumentFilter | None = None
) -> Listing[DocumentOut]:
    filters = filters or DocumentFilter()
    query = select(Document)
    if filters.session is not None:
        query = query.where(Document.session_number == filters.session)
    return Listing(
        session, query, Document.id, _documents_out, text_in(Document.symbol, translated=Document)
    )


def get_document(session: Session, symbol: str) -> DocumentOut:
    """By symbol as people type it: any case, any spacing ("cdip/30/8  rev.")."""
    normalized = normalize_symbol(symbol)
    document = session.scalar(select(Document).where(Document.symbol == normalized))
    if document is None:
        raise NotFoundError(f"no document {symbol!r}")
    return _documents_out(session, [document])[0]


def get_document_by_id(session: Session, document_id: int) -> DocumentOut:
    """By id, which links made before a symbol was known (search results) carry."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"no document {document_id}")
    return _documents_out(session, [document])[0]


def _documents_out(session: Session, documents: Sequence[Document]) -> list[DocumentOut]:
    ids = [d.id for d in documents]
    projects: dict[int, list[ProjectRef]] = {}
    for document_id, project in session.execute(
        select(ProjectDocument.document_id, Project)
        .join(Project, Project.id == ProjectDocument.project_id)
        .where(ProjectDocument.document_id.in_(ids))
        .order_by(Project.id)
    ):
        projects.setdefault(document_id, []).append(project_ref(project))
    mentions = session.execute(
        select(DocumentMention.document_id, DocumentMention.source_location_id)
        .where(DocumentMention.document_id.in_(ids))
        .order_by(DocumentMention.id)
    ).all()
    locations = locations_by_id(
        session,
        [location_id for _, location_id in mentions]
        + [t.source_location_id for d in documents for t in d.texts],
    )
    cited: dict[int, list[Provenance]] = {}
    for document_id, location_id in mentions:
        cited.setdefault(document_id, []).append(Provenance.of(locations[location_id]))
    return [
        DocumentOut(
            id=d.id,
            version=d.version,
            symbol=d.symbol,
            session=d.session_number,
            url=d.url,
            language=d.language,
            title_zh=_text(d, "zh"),
            title_en=_text(d, "en"),
            titles=texts_out(d.texts, locations),
            projects=projects.get(d.id, []),
            cited_in=cited.get(d.id, []),
        )
        for d in documents
    ]


# -- projects

_SUMMARY_LOADS = (
    selectinload(Project.recommendation_links),
    selectinload(Project.proposers),
    selectinload(Project.beneficiaries),
    selectinload(Project.status_history),
    selectinload(Project.approved_session),
)


def approval_date(project: Project) -> date | None:
    """When the project was approved: its earliest dated "approved" step (the annex only
    states the status at the year's end, the narrative the session), else the end of the
    session that approved it. `_approval_date_sql` is the same rule in SQL."""
    dates = [
        change.on_date
        for change in project.status_history
        if change.status is ProjectStatus.APPROVED and change.on_date is not None
    ]
    if dates:
        return min(dates)
    return project.approved_session.end_date if project.approved_session else None


def _approval_date_sql() -> ColumnElement[date]:
    first_approved = (
        select(func.min(ProjectStatusChange.on_date))
        .where(
            ProjectStatusChange.project_id == Project.id,
            ProjectStatusChange.status == ProjectStatus.APPROVED,
        )
        .scalar_subquery()
    )
    session_end = (
        select(CdipSession.end_date)
        .where(CdipSession.number == Project.approved_session_number)
        .scalar_subquery()
    )
    return func.coalesce(first_approved, session_end, type_=Date)


def project_listing(
    session: Session, filters: ProjectFilter | None = None
) -> Listing[ProjectSummary]:
    """Projects matching every given filter, in id order.

    `region` matches a project when one of its beneficiary countries or one of its
    proposing countries is in that WIPO region; groups are not expanded to their members,
    whose regions differ.
    """
    query = select(Project).options(*_SUMMARY_LOADS)
    for clause in _project_clauses(filters or ProjectFilter()):
        query = query.where(clause)
    return Listing(
        session, query, Project.id, _project_summaries, text_in(Project.code, translated=Project)
    )


def project_source(
    session: Session, filters: ProjectFilter | None = None, language: str = "en"
) -> ListSource[ProjectSummary]:
    """The projects list for the database to filter, count and order: facets by state,
    cluster, recommendation, sector and approving session; titles in `language` first."""
    recommendations = select(
        ProjectRecommendation.project_id.label("owner"),
        ProjectRecommendation.recommendation_number.label("value"),
    )
    clusters = select(
        ProjectRecommendation.project_id.label("owner"),
        Recommendation.cluster_letter.label("value"),
    ).join(Recommendation, Recommendation.number == ProjectRecommendation.recommendation_number)
    stage_rank = case(
        {status: rank for rank, status in enumerate(ProjectStatus)}, value=Project.status
    )
    other = "zh" if language == "en" else "en"
    return ListSource(
        project_listing(session, filters),
        facets=(
            ConditionFacet("status", {s.value: holds_state(s) for s in ProjectStatus}),
            LinkFacet("cluster", Project.id, clusters),
            LinkFacet("recommendation", Project.id, recommendations, int, unique_pairs=True),
            ColumnFacet("sector", Project.sector_code),
            ColumnFacet("session", Project.approved_session_number, int),
        ),
        sorts={
            "title": Sort(func.coalesce(_title_sql(language), _title_sql(other))),
            "status": Sort(stage_rank, nullable=False),
            "session": Sort(Project.approved_session_number),
            "approval_date": Sort(_approval_date_sql()),
        },
    )


def _title_sql(language: str) -> ColumnElement[str]:
    return (
        select(ProjectTitle.text)
        .where(ProjectTitle.project_id == Project.id, ProjectTitle.language == language)
        .scalar_subquery()
    )


def holds_state(status: ProjectStatus) -> ColumnElement[bool]:
    """Projects in that state now: at that stage, or mainstreamed whatever their stage."""
    if status is ProjectStatus.MAINSTREAMED:
        return Project.mainstreamed.is_(True)
    return Project.status == status


def state_counts(session: Session) -> dict[ProjectStatus, int]:
    """How many projects hold each state now; a mainstreamed project counts under its
    stage and under "mainstreamed", so the counts add up to more than the projects."""
    stages = dict(
        session.execute(select(Project.status, func.count()).group_by(Project.status)).all()
    )
    mainstreamed = session.scalar(
        select(func.count()).select_from(Project).where(Project.mainstreamed.is_(True))
    )
    counts = {status: stages.get(status, 0) for status in ProjectStatus}
    counts[ProjectStatus.MAINSTREAMED] = mainstreamed or 0
    return counts


def _project_clauses(filters: ProjectFilter) -> Iterator[ColumnElement[bool]]:
    if filters.status is not None:
        yield holds_state(filters.status)
    if filters.recommendation is not None:
        yield Project.recommendation_links.any(
            ProjectRecommendation.recommendation_number == filters.recommendation
        )
    if filters.cluster is not None:
        in_cluster = select(Recommendation.number).where(
            Recommendation.cluster_letter == filters.cluster
        )
        yield Project.recommendation_links.any(
            ProjectRecommendation.recommendation_number.in_(in_cluster)
        )
    if filters.expected_result is not None:
        linked = select(RecommendationExpectedResult.recommendation_number).where(
            RecommendationExpectedResult.expected_result_code == filters.expected_result
        )
        yield Project.recommendation_links.any(
            ProjectRecommendation.recommendation_number.in_(linked)
        )
    if filters.sector is not None:
        yield Project.sector_code == filters.sector
    if filters.proposer is not None:
        yield Project.proposers.any(
            or_(
                ProjectProposer.country_alpha3 == filters.proposer,
                ProjectProposer.group_code == filters.proposer,
            )
        )
    if filters.beneficiary is not None:
        yield Project.beneficiaries.any(
            or_(
                ProjectBeneficiary.country_alpha3 == filters.beneficiary,
                ProjectBeneficiary.group_code == filters.beneficiary,
            )
        )
    if filters.region is not None:
        in_region = Country.wipo_region == filters.region
        yield or_(
            Project.beneficiaries.any(ProjectBeneficiary.country.has(in_region)),
            Project.proposers.any(ProjectProposer.country.has(in_region)),
        )
    if filters.session is not None:
        yield Project.approved_session_number == filters.session
    if filters.year is not None:
        yield _approval_date_sql().between(date(filters.year, 1, 1), date(filters.year, 12, 31))


def _actor_key(link: ProjectProposer | ProjectBeneficiary) -> str:
    return link.country_alpha3 or link.group_code or ""


def _project_summaries(session: Session, projects: Sequence[Project]) -> list[ProjectSummary]:
    return [
        ProjectSummary(
            id=p.id,
            code=p.code,
            phase=p.phase,
            predecessor_id=p.predecessor_id,
            status=p.status,
            states=p.states,
            title_zh=_text(p, "zh"),
            title_en=_text(p, "en"),
            sector=p.sector_code,
            approved_session=p.approved_session_number,
            approval_date=approval_date(p),
            recommendations=[link.recommendation_number for link in p.recommendation_links],
            proposers=[_actor_key(link) for link in p.proposers],
            beneficiaries=[_actor_key(link) for link in p.beneficiaries],
        )
        for p in projects
    ]


def get_project(session: Session, project_id: int) -> ProjectOut:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"no project {project_id}")
    successors = session.scalars(
        select(Project).where(Project.predecessor_id == project.id).order_by(Project.id)
    )
    locations = locations_by_id(session, _project_location_ids(project))
    linked_at = {
        link.recommendation_number: link.source_location_id for link in project.recommendation_links
    }
    sector = project.sector
    cdip = project.approved_session
    return ProjectOut(
        id=project.id,
        version=project.version,
        code=project.code,
        phase=project.phase,
        predecessor=project_ref(project.predecessor) if project.predecessor else None,
        successors=[project_ref(s) for s in successors],
        status=project.status,
        states=project.states,
        title_zh=_text(project, "zh"),
        title_en=_text(project, "en"),
        titles=texts_out(project.texts, locations),
        status_history=[
            _statement_out(c, locations) for c in lifecycle.chronological(project.status_history)
        ],
        status_conflicts=[
            StatusConflictOut(
                narrative=_statement_out(conflict.narrative, locations),
                year_end=_statement_out(conflict.year_end, locations),
            )
            for conflict in lifecycle.year_end_conflicts(project.status_history)
        ],
        approval_date=approval_date(project),
        approved_session=SessionRef(
            number=cdip.number, start_date=cdip.start_date, end_date=cdip.end_date
        )
        if cdip
        else None,
        sector=SectorRef(code=sector.code, name_zh=_text(sector, "zh"), name_en=_text(sector, "en"))
        if sector
        else None,
        start_date=project.start_date,
        start_precision=project.start_precision,
        end_date=project.end_date,
        end_precision=project.end_precision,
        proposers=[_actor_out(link, locations) for link in project.proposers],
        beneficiaries=[_actor_out(link, locations) for link in project.beneficiaries],
        recommendations=[
            RecommendationRef(
                number=r.number,
                cluster=r.cluster_letter,
                text_zh=_text(r, "zh"),
                text_en=_text(r, "en"),
                source=provenance(locations, linked_at.get(r.number)),
            )
            for r in project.recommendations
        ],
        outputs=[
            OutputOut(
                kind=o.kind,
                title=o.title,
                language=o.language,
                url=o.url,
                source=provenance(locations, o.source_location_id),
            )
            for o in project.outputs
        ],
        documents=[
            DocumentRef(
                symbol=d.symbol, title_zh=_text(d, "zh"), title_en=_text(d, "en"), url=d.url
            )
            for d in sorted(project.documents, key=lambda d: d.symbol)
        ],
        **_imported_facts(session, project.id),
    )


def _statement_out(
    change: ProjectStatusChange, locations: dict[int, SourceLocation]
) -> StatusChangeOut:
    return StatusChangeOut(
        id=change.id,
        status=change.status,
        kind=lifecycle.kind_of(change),
        date=change.on_date,
        precision=change.date_precision,
        as_of_year=change.as_of_year,
        source=provenance(locations, change.source_location_id),
    )


def _imported_facts(session: Session, project_id: int) -> dict[str, object]:
    """The budget, and where the single facts an import stated come from."""
    budget = session.get(ProjectBudget, project_id)
    sources = {fact.fact: fact.source_location_id for fact in _fact_sources(session, project_id)}
    if budget is not None and budget.source_location_id is not None:
        sources["budget_chf"] = budget.source_location_id
    locations = locations_by_id(session, sources.values())
    return {
        "budget_chf": budget.amount_chf if budget is not None else None,
        "fact_sources": {
            fact: Provenance.of(locations[location_id])
            for fact, location_id in sources.items()
            if location_id in locations
        },
    }


def _project_location_ids(project: Project) -> Iterator[int | None]:
    for records in (
        project.texts,
        project.status_history,
        project.proposers,
        project.beneficiaries,
        project.outputs,
        project.recommendation_links,
    ):
        for record in records:
            yield record.source_location_id


def _actor_out(
    link: ProjectProposer | ProjectBeneficiary, locations: dict[int, SourceLocation]
) -> ActorOut:
    actor = link.country or link.group
    assert actor is not None  # the one_actor check constraint guarantees one of them
    return ActorOut(
        kind="country" if link.country is not None else "group",
        key=_actor_key(link),
        name_zh=actor.name("zh"),
        name_en=actor.name("en"),
        name_as_printed=link.name_as_printed,
        source=provenance(locations, link.source_location_id),
    )


# -- catalogue import: project facts from WIPO's catalogue and CDIP documents ----------------
#
# An import states facts on the authority of the document its source column names. It adds
# to what the reports state and never silently overrides it: a single fact (sector,
# session, dates, budget, code) that another source states differently rejects the row.
# Importing a corrected file again replaces what the same source stated before.

_SINGLE_FACTS = ("code", "approved_session", "sector", "start_date", "end_date")


def import_catalogue(session: Session, path: Path, *, replace: bool = False) -> ImportResult:
    """Load the project facts of a catalogue file (CSV or XLSX) in one transaction; rows
    that change stored facts are refused unless `replace` (core.imports.replacing)."""
    from devagenda.reference.services import build_gazetteer  # it imports this module

    gazetteer = build_gazetteer(session)
    index = ProjectIndex(session)
    return run_import(
        session,
        CATALOGUE_SPEC,
        path,
        lambda db, row: _store_catalogue_row(db, row, index, gazetteer),
        replace=replace,
    )


def catalogue_template(kind: str) -> bytes:
    """An empty catalogue import file (csv or xlsx) with the columns it takes."""
    return template(CATALOGUE_SPEC, kind)


def _store_catalogue_row(
    session: Session, row: ImportRow, index: ProjectIndex, gazetteer: Gazetteer
) -> dict[str, int]:
    project = _project_of_row(session, row, index)
    location = cited_location(session, row.source)
    wanted = _recommendations_of_row(row)
    proposers = _actors_of_row(row, "proposers", gazetteer)
    beneficiaries = _actors_of_row(row, "beneficiaries", gazetteer)
    singles = _single_facts_of_row(session, row)
    stated = {fact.fact: fact for fact in _fact_sources(session, project.id)}
    for fact, value in singles.items():
        _check_single_fact(session, project, fact, value, stated.get(fact), location)
    budget = session.get(ProjectBudget, project.id)
    if row.has("budget_chf") and budget is not None and budget.amount_chf != row.get("budget_chf"):
        _check_same_source(
            session,
            "budget_chf",
            budget.amount_chf,
            row.get("budget_chf"),
            budget.source_location_id,
            location,
        )
    # Every check has passed: store.
    written = {"projects": 1}
    for fact, value in singles.items():
        _set_single_fact(session, project, fact, value)
        if fact in stated:
            stated[fact].source_location_id = location.id
        else:
            session.add(
                ProjectFactSource(project_id=project.id, fact=fact, source_location_id=location.id)
            )
        written[fact] = 1
    if wanted is not None:
        written["recommendation_links"] = _replace_recommendations(project, wanted, location)
    if proposers is not None:
        written["proposers"] = _replace_actors(
            project.proposers, ProjectProposer, proposers, location
        )
    if beneficiaries is not None:
        written["beneficiaries"] = _replace_actors(
            project.beneficiaries, ProjectBeneficiary, beneficiaries, location
        )
    if row.has("budget_chf"):
        if budget is None:
            budget = ProjectBudget(project_id=project.id)
            session.add(budget)
        budget.amount_chf = row.get("budget_chf")
        budget.source_location_id = location.id
        written["budget_chf"] = 1
    if row.has("outputs"):
        written["outputs"] = _replace_outputs(project, row.get("outputs"), location)
    if _is_symbol(row.source):
        document = get_or_create_document(session, row.source)
        if document not in project.documents:
            project.documents.append(document)
    session.flush()
    return written


_FACT_ATTRIBUTES = {
    "code": "code",
    "approved_session": "approved_session_number",
    "sector": "sector_code",
    "start_date": "start_date",
    "end_date": "end_date",
}


def _set_single_fact(session: Session, project: Project, fact: str, value: object) -> None:
    """Through the relationship where there is one, so that a loaded project shows it."""
    if fact == "approved_session":
        project.approved_session = get_or_create_session(session, int(value))  # type: ignore[call-overload]
    elif fact == "sector":
        project.sector = session.get(Sector, value)
    else:
        setattr(project, _FACT_ATTRIBUTES[fact], value)


_KEY_NAMES = {"code": "catalogue code", "title_zh": "Chinese title", "title_en": "English title"}


def _is_symbol(reference: str) -> bool:
    return not reference.lower().startswith(("http://", "https://"))


def _project_of_row(session: Session, row: ImportRow, index: ProjectIndex) -> Project:
    """The stored project a row is about: by its code, else by its title and phase."""
    code = row.get("code")
    by_code = session.scalar(select(Project).where(Project.code == code)) if code else None
    phase = row.get("phase")
    by_title = None
    for column in ("title_zh", "title_en"):
        title = row.get(column)
        if title and by_title is None:
            by_title = index.find(title, phase or phase_of(title) or 1)
    if by_code is not None and by_title is not None and by_code.id != by_title.id:
        raise RowRejected(
            "code", f"{code} is project {by_code.id}, but the title names project {by_title.id}"
        )
    project = by_code or by_title
    if project is None:
        column = row.key_column
        raise RowRejected(
            column,
            f"no stored project has this {_KEY_NAMES[column]}; "
            "ingest the report that lists it first, or correct the value",
        )
    if code and project.code and project.code != code:
        raise RowRejected("code", f"project {project.id} already has the code {project.code}")
    return project


def _recommendations_of_row(row: ImportRow) -> list[int] | None:
    """The recommendations a row states, by its code and its recommendations column; the
    two must agree."""
    from_code = recommendations_in_code(row.get("code")) if row.has("code") else None
    listed = row.get("recommendations")
    if from_code is not None and listed is not None and sorted(from_code) != listed:
        raise RowRejected(
            "recommendations",
            f"the code {row.get('code')} names {_numbers(from_code)}, "
            f"the column {_numbers(listed)}",
        )
    return listed if listed is not None else from_code


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(map(str, numbers))


def _actors_of_row(row: ImportRow, column: str, gazetteer: Gazetteer) -> list[NamedEntry] | None:
    if not row.has(column):
        return None
    entries = []
    for name in row.get(column):
        entry = gazetteer.resolve(name)
        if entry is None and name.upper() in {e.key for e in gazetteer.entries}:
            entry = gazetteer.entry(name.upper())
        if entry is None:
            suggestions = ", ".join(e.name_en for e, _ in gazetteer.candidates(name, limit=3))
            raise RowRejected(column, f"unknown country or group {name!r} (nearest: {suggestions})")
        if entry not in entries:
            entries.append(entry)
    return entries


def _single_facts_of_row(session: Session, row: ImportRow) -> dict[str, object]:
    facts: dict[str, object] = {fact: row.get(fact) for fact in _SINGLE_FACTS if row.has(fact)}
    if "sector" in facts and session.get(Sector, facts["sector"]) is None:
        raise RowRejected("sector", f"unknown sector code {facts['sector']!r}")
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        raise RowRejected("end_date", f"{end} is before the start date {start}")
    return facts


def _fact_sources(session: Session, project_id: int) -> Sequence[ProjectFactSource]:
    return session.scalars(
        select(ProjectFactSource).where(ProjectFactSource.project_id == project_id)
    ).all()


def _check_single_fact(
    session: Session,
    project: Project,
    fact: str,
    value: object,
    stated: ProjectFactSource | None,
    location: SourceLocation,
) -> None:
    current = getattr(project, _FACT_ATTRIBUTES[fact])
    if current is None or current == value:
        return
    stated_at = stated.source_location_id if stated else None
    _check_same_source(session, fact, current, value, stated_at, location)


def _check_same_source(
    session: Session,
    column: str,
    current: object,
    value: object,
    stated_at: int | None,
    location: SourceLocation,
) -> None:
    """A different value may only replace one that the same source stated."""
    where = "the ingested reports state"
    if stated_at is not None:
        earlier = session.get(SourceLocation, stated_at)
        if earlier is not None and earlier.source_id == location.source_id:
            return
        where = f"{earlier.describe()} states" if earlier is not None else "another source states"
    raise RowRejected(
        column, f"{where} {current}, the file {value}; correct the file or that source"
    )


def _replace_recommendations(project: Project, wanted: list[int], location: SourceLocation) -> int:
    """The links this source states become `wanted`; links other sources state stay.
    (`cited_location` gives a source one location, so its id identifies the source.)"""
    kept = []
    for link in project.recommendation_links:
        if link.recommendation_number in wanted or link.source_location_id != location.id:
            kept.append(link)
            if link.source_location_id is None:
                link.source_location_id = location.id
    have = {link.recommendation_number for link in kept}
    for number in wanted:
        if number not in have:
            kept.append(
                ProjectRecommendation(recommendation_number=number, source_location_id=location.id)
            )
    project.recommendation_links = kept
    return len(wanted)


def _replace_actors(
    links: list[ProjectProposer] | list[ProjectBeneficiary],
    link_class: type[ProjectProposer] | type[ProjectBeneficiary],
    wanted: list[NamedEntry],
    location: SourceLocation,
) -> int:
    keys = [entry.key for entry in wanted]
    for link in list(links):
        if _actor_key(link) not in keys and link.source_location_id == location.id:
            links.remove(link)  # type: ignore[arg-type]
    have = {_actor_key(link) for link in links}
    position = max((link.position for link in links), default=-1) + 1
    for entry in wanted:
        if entry.key in have:
            continue
        country = entry.key if entry.kind == "country" else None
        links.append(
            link_class(  # type: ignore[arg-type]
                position=position,
                country_alpha3=country,
                group_code=None if country else entry.key,
                source_location_id=location.id,
            )
        )
        position += 1
    return len(wanted)


def _replace_outputs(project: Project, wanted: list[OutputItem], location: SourceLocation) -> int:
    project.outputs = [o for o in project.outputs if o.source_location_id != location.id]
    for item in wanted:
        project.outputs.append(
            ProjectOutput(
                kind=item.kind, title=item.title, url=item.url, source_location_id=location.id
            )
        )
    return len(wanted)
