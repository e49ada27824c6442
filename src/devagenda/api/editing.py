"""Routes that change the catalogue: projects and their status statements, CDIP sessions,
documents and the wordings of recommendations.

Each write runs in its own transaction and calls one service of catalogue.editing, which
authorizes it (editors and administrators), validates it (422 naming every bad field)
and checks the version its `If-Match` names (412 with the current state; 428 without
one). The answer carries the record's new `ETag`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Security, status
from fastapi.responses import Response

from devagenda.api.accounts import BEARER
from devagenda.api.dependencies import app_context
from devagenda.api.params import RecordId, Symbol
from devagenda.api.problems import problem_responses
from devagenda.api.versions import ExpectedVersion, send_version
from devagenda.catalogue import editing
from devagenda.catalogue.schemas import (
    DocumentCreate,
    DocumentEdit,
    DocumentOut,
    ProjectCreate,
    ProjectEdit,
    ProjectOut,
    RecommendationDetail,
    RecommendationEdit,
    SessionCreate,
    SessionEdit,
    SessionOut,
    StatusStatementIn,
)
from devagenda.core.inputs import Line

router = APIRouter(tags=["editing"], dependencies=[Security(BEARER)])
CREATE = {"status_code": status.HTTP_201_CREATED, "responses": problem_responses(400, 403, 422)}
WRITE = {"responses": problem_responses(400, 403, 404, 412, 422, 428)}
DELETE = {"status_code": status.HTTP_204_NO_CONTENT, **WRITE}
Message = Annotated[Line | None, Query(description="Why; shown in the change log.")]


def _created(response: Response, location: str, version: int) -> None:
    response.headers["Location"] = location
    send_version(response, version)


# -- projects ---------------------------------------------------------------------------------


@router.post("/projects", **CREATE)
def create_project(request: Request, data: ProjectCreate, response: Response) -> ProjectOut:
    """A new project, with at least one title and the source that states it."""
    with app_context(request).transaction() as session:
        project = editing.create_project(session, data)
    _created(response, f"/api/projects/{project.id}", project.version)
    return project


@router.patch("/projects/{project_id}", **WRITE)
def edit_project(
    request: Request,
    project_id: RecordId,
    data: ProjectEdit,
    version: ExpectedVersion,
    response: Response,
) -> ProjectOut:
    """Change the facts the body sets: a field left out stays, null clears it, a list
    replaces the stored one (items that stay keep their source)."""
    with app_context(request).transaction() as session:
        project = editing.edit_project(session, project_id, data, version)
    send_version(response, project.version)
    return project


@router.delete("/projects/{project_id}", **DELETE)
def delete_project(
    request: Request, project_id: RecordId, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete a project with its titles, links, statements and outputs (all logged)."""
    with app_context(request).transaction() as session:
        editing.delete_project(session, project_id, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/projects/{project_id}/statuses", **{**WRITE, "status_code": 201})
def add_status(
    request: Request,
    project_id: RecordId,
    data: StatusStatementIn,
    version: ExpectedVersion,
    response: Response,
) -> ProjectOut:
    """Add a statement of the project's state, with its date and source; the project's
    stage and dates follow from its statements."""
    with app_context(request).transaction() as session:
        project = editing.add_status(session, project_id, data, version)
    send_version(response, project.version)
    return project


@router.delete("/projects/{project_id}/statuses/{statement_id}", **WRITE)
def remove_status(
    request: Request,
    project_id: RecordId,
    statement_id: RecordId,
    version: ExpectedVersion,
    response: Response,
    message: Message = None,
) -> ProjectOut:
    """Remove a wrong statement of the project's state; its stage follows."""
    with app_context(request).transaction() as session:
        project = editing.remove_status(session, project_id, statement_id, version, message)
    send_version(response, project.version)
    return project


# -- CDIP sessions ----------------------------------------------------------------------------


@router.post("/sessions", **CREATE)
def create_session(request: Request, data: SessionCreate, response: Response) -> SessionOut:
    with app_context(request).transaction() as session:
        cdip = editing.create_cdip_session(session, data)
    _created(response, f"/api/sessions/{cdip.number}", cdip.version)
    return cdip


@router.patch("/sessions/{number}", **WRITE)
def edit_session(
    request: Request,
    number: RecordId,
    data: SessionEdit,
    version: ExpectedVersion,
    response: Response,
) -> SessionOut:
    with app_context(request).transaction() as session:
        cdip = editing.edit_cdip_session(session, number, data, version)
    send_version(response, cdip.version)
    return cdip


@router.delete("/sessions/{number}", **DELETE)
def delete_session(
    request: Request, number: RecordId, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete a session that no document or project refers to."""
    with app_context(request).transaction() as session:
        editing.delete_cdip_session(session, number, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- documents --------------------------------------------------------------------------------


@router.post("/documents", **CREATE)
def create_document(request: Request, data: DocumentCreate, response: Response) -> DocumentOut:
    with app_context(request).transaction() as session:
        document = editing.create_document(session, data)
    _created(response, f"/api/documents/{document.symbol}", document.version)
    return document


@router.patch("/documents/{symbol:path}", **WRITE)
def edit_document(
    request: Request,
    symbol: Symbol,
    data: DocumentEdit,
    version: ExpectedVersion,
    response: Response,
) -> DocumentOut:
    """Change a document's session, link, language or titles (by symbol, slashes
    included)."""
    with app_context(request).transaction() as session:
        document_id = editing.document_id_of(session, symbol)
        document = editing.edit_document(session, document_id, data, version)
    send_version(response, document.version)
    return document


@router.delete("/documents/{symbol:path}", **DELETE)
def delete_document(
    request: Request, symbol: Symbol, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete a document that no ingested report cites, with its links to projects."""
    with app_context(request).transaction() as session:
        document_id = editing.document_id_of(session, symbol)
        editing.delete_document(session, document_id, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- recommendations --------------------------------------------------------------------------


@router.patch("/recommendations/{number}", **WRITE)
def edit_recommendation(
    request: Request,
    number: RecordId,
    data: RecommendationEdit,
    version: ExpectedVersion,
    response: Response,
) -> RecommendationDetail:
    """New wordings of the recommendation, official or translations, by language."""
    with app_context(request).transaction() as session:
        recommendation = editing.edit_recommendation(session, number, data, version)
    send_version(response, recommendation.version)
    return recommendation
