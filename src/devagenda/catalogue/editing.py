"""Editing the catalogue: projects and their status statements, CDIP sessions, documents
and the wordings of recommendations. The API, the web forms and the CLI call these.

Every service authorizes first (only editors and administrators edit the catalogue: its
records belong to no country), checks the version its caller read when one is given,
validates the whole edit and reports every bad field at once (`InvalidEdit`), and records
the edit's source beside each fact it states, as an ingest does. The change log records
who did it (core.changelog); a record's parts raise its version, so a stale form or
`If-Match` is refused with the record's current state (`StaleVersion`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, authorize
from devagenda.catalogue.codes import CodeError, normalize_code, recommendations_in_code
from devagenda.catalogue.models import (
    CdipSession,
    DatePrecision,
    Document,
    Project,
    ProjectBeneficiary,
    ProjectBudget,
    ProjectFactSource,
    ProjectOutput,
    ProjectProposer,
    ProjectRecommendation,
    ProjectStatus,
    ProjectStatusChange,
    Recommendation,
    StatementKind,
)
from devagenda.catalogue.schemas import (
    DocumentCreate,
    DocumentEdit,
    DocumentOut,
    OutputIn,
    ProjectCreate,
    ProjectEdit,
    ProjectOut,
    RecommendationDetail,
    RecommendationEdit,
    SessionCreate,
    SessionEdit,
    SessionOut,
    StatusStatementIn,
    TextIn,
)
from devagenda.catalogue.services import (
    get_cdip_session,
    get_document_by_id,
    get_project,
    get_recommendation,
    normalize_symbol,
    refresh_status,
)
from devagenda.core.changelog import change_message
from devagenda.core.editing import SYMBOL, Guard, Problems, check_source, edit_location
from devagenda.core.errors import InvalidEdit, NotFoundError
from devagenda.core.models import (
    SourceLocation,
    TranslatedMixin,
)
from devagenda.reference.models import ActorGroup, Country, Sector


def _project_guard(session: Session, project: Project, expected: int | None) -> Guard:
    key = project.id
    return Guard(session, project, expected, lambda: get_project(session, key), f"project {key}")


def _session_guard(session: Session, cdip: CdipSession, expected: int | None) -> Guard:
    key = cdip.number
    read = lambda: get_cdip_session(session, key)  # noqa: E731
    return Guard(session, cdip, expected, read, f"CDIP session {key}")


def _document_guard(session: Session, document: Document, expected: int | None) -> Guard:
    key = document.id
    read = lambda: get_document_by_id(session, key)  # noqa: E731
    return Guard(session, document, expected, read, f"document {document.symbol}")


def _recommendation_guard(
    session: Session, recommendation: Recommendation, expected: int | None
) -> Guard:
    key = recommendation.number
    read = lambda: get_recommendation(session, key)  # noqa: E731
    return Guard(session, recommendation, expected, read, f"recommendation {key}")


def _set_texts(
    record: TranslatedMixin, texts: dict[str, TextIn], location: SourceLocation | None
) -> None:
    for language, text in sorted(texts.items()):
        record.set_text(language, text.text, text.status, location.id if location else None)
    record.texts.sort(key=lambda translation: translation.language)  # as they are read


# -- projects --------------------------------------------------------------------------------

# The single-valued facts of a project, by edit field: the column each sets, and the
# name its source is recorded under (ProjectFactSource.fact, as the catalogue import's).
_PROJECT_FACTS = {
    "code": "code",
    "phase": "phase",
    "predecessor": "predecessor_id",
    "approved_session": "approved_session_number",
    "sector": "sector_code",
    "start_date": "start_date",
    "end_date": "end_date",
}
_PRECISION_OF = {"start_date": "start_precision", "end_date": "end_precision"}
_PART_FIELDS = (
    "titles",
    "recommendations",
    "proposers",
    "beneficiaries",
    "budget_chf",
    "outputs",
    "documents",
)


def create_project(session: Session, data: ProjectCreate) -> ProjectOut:
    """A new project, with the facts and titles `data` gives and their source."""
    authorize(Action.EDIT_RECORD)
    project = Project(phase=data.phase or 1, status=ProjectStatus.PROPOSED)
    with change_message(data.message):
        _apply_project(session, project, data, new=True)
        session.flush()
    return get_project(session, project.id)


def edit_project(
    session: Session, project_id: int, data: ProjectEdit, expected_version: int | None
) -> ProjectOut:
    """Change the facts `data` sets (a field left out stays; null clears it)."""
    authorize(Action.EDIT_RECORD)
    project = _project(session, project_id)
    guard = _project_guard(session, project, expected_version)
    guard.check()
    with change_message(data.message):
        _apply_project(session, project, data, new=False)
        guard.flush()
    return get_project(session, project_id)


def delete_project(
    session: Session, project_id: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete a project and its parts; a phase II that names it keeps its own record."""
    authorize(Action.EDIT_RECORD)
    project = _project(session, project_id)
    guard = _project_guard(session, project, expected_version)
    guard.check()
    with change_message(message):
        for successor in session.scalars(
            select(Project).where(Project.predecessor_id == project.id)
        ):
            successor.predecessor_id = None  # logged, rather than left to ON DELETE
        session.delete(project)
        guard.flush()


def add_status(
    session: Session, project_id: int, data: StatusStatementIn, expected_version: int | None
) -> ProjectOut:
    """Add a statement of the project's state with its date and source; the project's
    current stage and dates follow from its statements again."""
    authorize(Action.EDIT_RECORD)
    project = _project(session, project_id)
    guard = _project_guard(session, project, expected_version)
    guard.check()
    problems = Problems()
    check_source(problems, data.source, needed=True)
    if data.kind is StatementKind.EVENT:
        if data.date is not None and data.date > date.today():
            problems.add("date", "a change cannot be dated in the future")
        if data.date is None and data.precision is not None:
            problems.add("precision", "give the date whose precision this is")
    else:
        if data.as_of_year is None:
            problems.add("as_of_year", f"a {data.kind.value} statement needs the year it is about")
        if data.date is not None:
            problems.add("date", f"a {data.kind.value} statement has a year, not a date")
    problems.raise_any()
    location = edit_location(session, data.source)
    if any(
        change.status is data.status and change.source_location_id == location.id
        for change in project.status_history
    ):
        raise InvalidEdit(
            {"status": f"{location.describe()} already states {data.status.value} for this project"}
        )
    with change_message(data.message):
        project.status_history.append(
            ProjectStatusChange(
                status=data.status,
                kind=data.kind,
                on_date=data.date,
                date_precision=(data.precision or DatePrecision.DAY) if data.date else None,
                as_of_year=data.as_of_year,
                source_location_id=location.id,
            )
        )
        refresh_status(project)
        guard.flush()
    return get_project(session, project_id)


def remove_status(
    session: Session,
    project_id: int,
    statement_id: int,
    expected_version: int | None,
    message: str | None = None,
) -> ProjectOut:
    """Remove one statement of the project's state (a wrong one); the stage follows."""
    authorize(Action.EDIT_RECORD)
    project = _project(session, project_id)
    guard = _project_guard(session, project, expected_version)
    guard.check()
    statement = next((c for c in project.status_history if c.id == statement_id), None)
    if statement is None:
        raise NotFoundError(f"project {project_id} has no status statement {statement_id}")
    with change_message(message):
        project.status_history.remove(statement)
        refresh_status(project)
        guard.flush()
    return get_project(session, project_id)


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"no project {project_id}")
    return project


def _apply_project(session: Session, project: Project, data: ProjectEdit, *, new: bool) -> None:
    """Validate the whole edit, then write it, without flushing between: the project's
    version rises once per edit."""
    with session.no_autoflush:
        _write_project(session, project, data, new=new)


def _write_project(session: Session, project: Project, data: ProjectEdit, *, new: bool) -> None:
    given = data.model_fields_set - {"source", "message"}
    problems = Problems()
    check_source(problems, data.source, needed=bool(given))
    values = _project_values(session, project, data, given, problems)
    recommendations = _recommendations(data, project, given, values, problems)
    actors = {
        field: _actors(session, getattr(data, field), field, problems)
        for field in ("proposers", "beneficiaries")
        if field in given
    }
    documents = _documents(session, data.documents, problems) if "documents" in given else None
    problems.raise_any()
    location = edit_location(session, data.source) if given and data.source else None
    if new:
        session.add(project)  # flushed once, with its parts: created at version 1
    for field, value in values.items():
        setattr(project, field, value)
    if "titles" in given and data.titles:
        _set_texts(project, data.titles, location)
    _record_fact_sources(project, given, values, location)
    if recommendations is not None:
        _replace_recommendations(project, recommendations, location)
    for field, wanted in actors.items():
        link_class = ProjectProposer if field == "proposers" else ProjectBeneficiary
        _replace_actors(getattr(project, field), link_class, wanted, location)
    if "budget_chf" in given:
        _set_budget(project, data.budget_chf, location)
    if "outputs" in given:
        _replace_outputs(project, data.outputs or [], location)
    if documents is not None:
        project.document_links = [
            link for link in project.document_links if link.document in documents
        ]
        for document in documents:
            if document not in project.documents:
                project.documents.append(document)


def _project_values(
    session: Session, project: Project, data: ProjectEdit, given: set[str], problems: Problems
) -> dict[str, Any]:
    """The columns the edit sets, checked: a code in WIPO's spelling that no other project
    has, a predecessor of an earlier phase, a known session and sector, dates in order."""
    values: dict[str, Any] = {}
    if "code" in given and data.code is not None:
        try:
            code = normalize_code(data.code)
        except CodeError as error:
            problems.add("code", str(error))
        else:
            other = session.scalar(select(Project.id).where(Project.code == code))
            if other is not None and other != project.id:
                problems.add("code", f"project {other} already has the code {code}")
            values["code"] = code
    elif "code" in given:
        values["code"] = None
    if "phase" in given:
        if data.phase is None:
            problems.add("phase", "a project always has a phase: 1 for a first one")
        else:
            values["phase"] = data.phase
    if "predecessor" in given:
        values["predecessor_id"] = data.predecessor
        if data.predecessor is not None:
            earlier = session.get(Project, data.predecessor)
            phase = values.get("phase", project.phase) or 1
            if earlier is None:
                problems.add("predecessor", f"no project {data.predecessor}")
            elif earlier.id == project.id:
                problems.add("predecessor", "a project cannot follow itself")
            elif earlier.phase >= phase:
                problems.add(
                    "predecessor",
                    f"project {earlier.id} is phase {earlier.phase}, not before phase {phase}",
                )
    if "approved_session" in given:
        values["approved_session_number"] = data.approved_session
        if data.approved_session is not None and not session.get(
            CdipSession, data.approved_session
        ):
            problems.add(
                "approved_session",
                f"no CDIP session {data.approved_session} is stored: add the session first",
            )
    if "sector" in given:
        values["sector_code"] = data.sector
        if data.sector is not None and session.get(Sector, data.sector) is None:
            known = ", ".join(session.scalars(select(Sector.code).order_by(Sector.code)))
            problems.add("sector", f"unknown sector code {data.sector!r} (known: {known})")
    for field, precision in _PRECISION_OF.items():
        if field in given:
            values[field] = getattr(data, field)
            chosen = getattr(data, precision) if precision in given else None
            values[precision] = (chosen or DatePrecision.DAY) if values[field] else None
        elif precision in given:
            if getattr(project, field) is None and getattr(data, precision) is not None:
                problems.add(
                    precision, f"give the {field.replace('_', ' ')} it is the precision of"
                )
            values[precision] = getattr(data, precision)
    start = values.get("start_date", project.start_date)
    end = values.get("end_date", project.end_date)
    if start and end and end < start:
        problems.add("end_date", f"{end} is before the start date {start}")
    return values


def _recommendations(
    data: ProjectEdit,
    project: Project,
    given: set[str],
    values: dict[str, Any],
    problems: Problems,
) -> list[int] | None:
    """The recommendations the project implements after the edit; a code names them too,
    and the two must agree."""
    wanted = None
    if "recommendations" in given:
        wanted = sorted(set(data.recommendations or []))
        if len(wanted) != len(data.recommendations or []):
            problems.add("recommendations", "a recommendation is listed twice")
    code = values.get("code")
    if code:
        named = recommendations_in_code(code)
        have = (
            wanted
            if wanted is not None
            else sorted(link.recommendation_number for link in project.recommendation_links)
        )
        if have and named != have:
            field = "recommendations" if wanted is not None else "code"
            problems.add(
                field,
                f"the code {code} names recommendations {', '.join(map(str, named))}, the "
                f"project {', '.join(map(str, have))}: make them agree in the same edit",
            )
        if wanted is None and not have:
            wanted = named
    return wanted


def _actors(
    session: Session, codes: Sequence[str] | None, field: str, problems: Problems
) -> list[tuple[str | None, str | None]]:
    """(country, group) pairs for the codes: an ISO alpha-3 code or a group's code."""
    found: list[tuple[str | None, str | None]] = []
    for position, code in enumerate(codes or []):
        if session.get(Country, code) is not None:
            pair: tuple[str | None, str | None] = (code, None)
        elif session.get(ActorGroup, code) is not None:
            pair = (None, code)
        else:
            problems.add(
                f"{field}[{position}]",
                f"{code!r} is neither a country's ISO alpha-3 code nor a group's code",
            )
            continue
        if pair in found:
            problems.add(f"{field}[{position}]", f"{code} is listed twice")
        found.append(pair)
    return found


def _documents(
    session: Session, symbols: Sequence[str] | None, problems: Problems
) -> list[Document]:
    documents = []
    for position, symbol in enumerate(symbols or []):
        normalized = normalize_symbol(symbol)
        document = session.scalar(select(Document).where(Document.symbol == normalized))
        if document is None:
            problems.add(
                f"documents[{position}]", f"no document {normalized} is stored: add it first"
            )
        elif document not in documents:
            documents.append(document)
    return documents


def _record_fact_sources(
    project: Project,
    given: set[str],
    values: dict[str, Any],
    location: SourceLocation | None,
) -> None:
    """Each single fact the edit set is now stated by the edit's source; a cleared one by
    no source."""
    stated = {fact.fact: fact for fact in project.fact_sources}
    for field, column in _PROJECT_FACTS.items():
        if field not in given:
            continue
        existing = stated.get(field)
        if values.get(column) is None:
            if existing is not None:
                project.fact_sources.remove(existing)
        elif existing is not None:
            existing.source_location_id = location.id if location else None
        elif location is not None:
            project.fact_sources.append(
                ProjectFactSource(fact=field, source_location_id=location.id)
            )


def _replace_recommendations(
    project: Project, wanted: list[int], location: SourceLocation | None
) -> None:
    kept = [link for link in project.recommendation_links if link.recommendation_number in wanted]
    have = {link.recommendation_number for link in kept}
    for number in wanted:
        if number not in have:
            kept.append(
                ProjectRecommendation(
                    recommendation_number=number,
                    source_location_id=location.id if location else None,
                )
            )
    project.recommendation_links = kept


def _replace_actors(
    links: list[Any],
    link_class: type[ProjectProposer] | type[ProjectBeneficiary],
    wanted: list[tuple[str | None, str | None]],
    location: SourceLocation | None,
) -> None:
    """The links become `wanted`, in its order; links that stay keep their source."""
    by_pair = {(link.country_alpha3, link.group_code): link for link in links}
    result = []
    for position, (country, group) in enumerate(wanted):
        link = by_pair.get((country, group))
        if link is None:
            link = link_class(
                country_alpha3=country,
                group_code=group,
                source_location_id=location.id if location else None,
            )
        if link.position != position:
            link.position = position
        result.append(link)
    links[:] = result


def _set_budget(project: Project, amount: Any, location: SourceLocation | None) -> None:
    budget = project.budget
    if amount is None:
        if budget is not None:
            project.budget = None
        return
    if budget is None:
        project.budget = ProjectBudget(
            amount_chf=amount, source_location_id=location.id if location else None
        )
    elif budget.amount_chf != amount:
        budget.amount_chf = amount
        budget.source_location_id = location.id if location else None


def _replace_outputs(
    project: Project, wanted: list[OutputIn], location: SourceLocation | None
) -> None:
    """Outputs that stay as they were keep their source; new or changed ones take the
    edit's."""
    remaining = list(project.outputs)
    result = []
    for item in wanted:
        same = next(
            (
                o
                for o in remaining
                if (o.kind, o.title, o.language, o.url)
                == (item.kind, item.title, item.language, item.url)
            ),
            None,
        )
        if same is not None:
            remaining.remove(same)
            result.append(same)
        else:
            result.append(
                ProjectOutput(
                    kind=item.kind,
                    title=item.title,
                    language=item.language,
                    url=item.url,
                    source_location_id=location.id if location else None,
                )
            )
    project.outputs = result


# -- CDIP sessions ---------------------------------------------------------------------------


def create_cdip_session(session: Session, data: SessionCreate) -> SessionOut:
    authorize(Action.EDIT_RECORD)
    if session.get(CdipSession, data.number) is not None:
        raise InvalidEdit({"number": f"CDIP session {data.number} is already stored"})
    cdip = CdipSession(number=data.number)
    with change_message(data.message):
        _apply_session(session, cdip, data)
        session.add(cdip)
        session.flush()
    return get_cdip_session(session, cdip.number)


def edit_cdip_session(
    session: Session, number: int, data: SessionEdit, expected_version: int | None
) -> SessionOut:
    authorize(Action.EDIT_RECORD)
    cdip = _cdip(session, number)
    guard = _session_guard(session, cdip, expected_version)
    guard.check()
    with change_message(data.message):
        _apply_session(session, cdip, data)
        guard.flush()
    return get_cdip_session(session, number)


def delete_cdip_session(
    session: Session, number: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete a session that no document or project refers to."""
    authorize(Action.EDIT_RECORD)
    cdip = _cdip(session, number)
    guard = _session_guard(session, cdip, expected_version)
    guard.check()
    documents = session.scalar(
        select(func.count()).select_from(Document).where(Document.session_number == number)
    )
    projects = session.scalar(
        select(func.count()).select_from(Project).where(Project.approved_session_number == number)
    )
    if documents or projects:
        raise InvalidEdit(
            {
                "number": f"{documents} documents and {projects} projects refer to CDIP session "
                f"{number}: change them first"
            }
        )
    with change_message(message):
        session.delete(cdip)
        guard.flush()


def _cdip(session: Session, number: int) -> CdipSession:
    cdip = session.get(CdipSession, number)
    if cdip is None:
        raise NotFoundError(f"no CDIP session {number}")
    return cdip


def _apply_session(session: Session, cdip: CdipSession, data: SessionEdit) -> None:
    given = data.model_fields_set - {"source", "message"}
    problems = Problems()
    check_source(problems, data.source, needed=bool(given))
    start = data.start_date if "start_date" in given else cdip.start_date
    end = data.end_date if "end_date" in given else cdip.end_date
    if start and end and end < start:
        problems.add("end_date", f"{end} is before the start date {start}")
    problems.raise_any()
    # The location first: finding it may flush, and a flush between the fields would
    # raise the version twice.
    if given and data.source is not None:
        cdip.source_location_id = edit_location(session, data.source).id
    for field in ("start_date", "end_date", "format"):
        if field in given:
            setattr(cdip, field, getattr(data, field))


# -- documents -------------------------------------------------------------------------------


def create_document(session: Session, data: DocumentCreate) -> DocumentOut:
    authorize(Action.EDIT_RECORD)
    symbol = normalize_symbol(data.symbol)
    problems = Problems()
    if not SYMBOL.match(symbol):
        problems.add("symbol", f"{symbol!r} is not a document symbol like CDIP/31/4")
    elif session.scalar(select(Document.id).where(Document.symbol == symbol)) is not None:
        problems.add("symbol", f"document {symbol} is already stored")
    problems.raise_any()
    document = Document(symbol=symbol)
    if "session" not in data.model_fields_set:
        match = re.match(r"CDIP/(\d+)/", symbol)
        if match and session.get(CdipSession, int(match.group(1))) is not None:
            document.session_number = int(match.group(1))
    with change_message(data.message):
        _apply_document(session, document, data)
        session.add(document)
        session.flush()
    return get_document_by_id(session, document.id)


def edit_document(
    session: Session, document_id: int, data: DocumentEdit, expected_version: int | None
) -> DocumentOut:
    authorize(Action.EDIT_RECORD)
    document = _document(session, document_id)
    guard = _document_guard(session, document, expected_version)
    guard.check()
    with change_message(data.message):
        _apply_document(session, document, data)
        guard.flush()
    return get_document_by_id(session, document_id)


def delete_document(
    session: Session, document_id: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete a document and its links to projects (the report's citations of it stay
    text)."""
    authorize(Action.EDIT_RECORD)
    document = _document(session, document_id)
    guard = _document_guard(session, document, expected_version)
    guard.check()
    from devagenda.reports.models import DocumentMention

    cited = session.scalar(
        select(func.count())
        .select_from(DocumentMention)
        .where(DocumentMention.document_id == document_id)
    )
    if cited:
        raise InvalidEdit(
            {
                "symbol": f"the ingested reports cite {document.symbol} {cited} times: it "
                "stays while they do"
            }
        )
    with change_message(message):
        session.delete(document)
        guard.flush()


def document_id_of(session: Session, symbol: str) -> int:
    """The id of the document a symbol names, as people type it."""
    normalized = normalize_symbol(symbol)
    document_id = session.scalar(select(Document.id).where(Document.symbol == normalized))
    if document_id is None:
        raise NotFoundError(f"no document {symbol!r}")
    return document_id


def _document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"no document {document_id}")
    return document


def _apply_document(session: Session, document: Document, data: DocumentEdit) -> None:
    given = data.model_fields_set - {"source", "message"}
    problems = Problems()
    check_source(problems, data.source, needed="titles" in given)
    if (
        "session" in given
        and data.session is not None
        and session.get(CdipSession, data.session) is None
    ):
        problems.add("session", f"no CDIP session {data.session} is stored: add it first")
    problems.raise_any()
    # The location first: finding it may flush, and a flush between the fields would
    # raise the version twice.
    location = edit_location(session, data.source) if data.titles and data.source else None
    if "session" in given:
        document.session_number = data.session
    for field in ("url", "language"):
        if field in given:
            setattr(document, field, getattr(data, field))
    if data.titles:
        _set_texts(document, data.titles, location)


# -- recommendations -------------------------------------------------------------------------


def edit_recommendation(
    session: Session, number: int, data: RecommendationEdit, expected_version: int | None
) -> RecommendationDetail:
    """New wordings of a recommendation in the languages `data` gives."""
    authorize(Action.EDIT_RECORD)
    recommendation = session.get(Recommendation, number)
    if recommendation is None:
        raise NotFoundError(f"no recommendation {number}")
    guard = _recommendation_guard(session, recommendation, expected_version)
    guard.check()
    problems = Problems()
    check_source(problems, data.source, needed=True)
    problems.raise_any()
    location = edit_location(session, data.source or "")
    with change_message(data.message):
        _set_texts(recommendation, data.texts, location)
        guard.flush()
    return get_recommendation(session, number)
