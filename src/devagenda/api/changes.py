"""Routes of the change log: the entries, one entry, and the history of a record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import ListQuery, list_response, list_responses
from devagenda.api.params import RecordId, Symbol
from devagenda.api.problems import problem_responses
from devagenda.catalogue import services as catalogue
from devagenda.changes import services
from devagenda.changes.schemas import ChangeDetail, ChangeFilter, ChangeOut
from devagenda.core.pagination import Page

# Included before the catalogue's router: its /documents/{symbol:path} would take
# "/history" for the end of a symbol.
router = APIRouter(tags=["changes"])
HISTORY = {
    "response_model": Page[ChangeOut] | list[ChangeOut],
    "responses": {**list_responses(), **problem_responses(404, 422)},
}


@router.get(
    "/changes", response_model=Page[ChangeOut] | list[ChangeOut], responses=list_responses()
)
def list_changes(
    filters: Annotated[ChangeFilter, Query()], params: ListQuery, session: DatabaseSession
) -> Page[ChangeOut] | StreamingResponse:
    """Every create, update and delete of a record, and every ingest or import run, oldest
    first: who, when, which request, the record, its state before and after."""
    listing = services.change_listing(session, filters)
    return list_response(listing, params, ChangeOut, "changes")


@router.get("/changes/{change_id}", responses=problem_responses(404, 422))
def get_change(change_id: RecordId, session: DatabaseSession) -> ChangeDetail:
    """One entry, with its field-by-field diff and the entries that reverted it."""
    return services.get_change(session, change_id)


@router.get("/projects/{project_id}/history", **HISTORY)
def project_history(
    project_id: RecordId, params: ListQuery, session: DatabaseSession
) -> Page[ChangeOut] | StreamingResponse:
    """The entries of a project and of its parts (titles, statuses, links...)."""
    listing = services.record_history(session, "project", project_id)
    return list_response(listing, params, ChangeOut, f"project-{project_id}-history")


@router.get("/sessions/{number}/history", **HISTORY)
def session_history(
    number: RecordId, params: ListQuery, session: DatabaseSession
) -> Page[ChangeOut] | StreamingResponse:
    """The entries of a CDIP session."""
    listing = services.record_history(session, "cdip_session", number)
    return list_response(listing, params, ChangeOut, f"session-{number}-history")


@router.get("/recommendations/{number}/history", **HISTORY)
def recommendation_history(
    number: RecordId, params: ListQuery, session: DatabaseSession
) -> Page[ChangeOut] | StreamingResponse:
    """The entries of a recommendation and of its texts and expected-result links."""
    listing = services.record_history(session, "recommendation", number)
    return list_response(listing, params, ChangeOut, f"recommendation-{number}-history")


@router.get("/documents/{symbol:path}/history", **HISTORY)
def document_history(
    symbol: Symbol, params: ListQuery, session: DatabaseSession
) -> Page[ChangeOut] | StreamingResponse:
    """The entries of a document (by symbol, slashes included) and of its titles."""
    document = catalogue.get_document(session, symbol)
    listing = services.record_history(session, "document", document.id)
    return list_response(listing, params, ChangeOut, f"document-{document.id}-history")
