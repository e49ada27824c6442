"""Routes of the catalogue: recommendations, clusters, CDIP sessions, documents, projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import (
    ListQuery,
    SortQuery,
    faceted_response,
    list_response,
    list_responses,
)
from devagenda.api.params import Code, RecordId, Symbol
from devagenda.api.problems import problem_responses
from devagenda.api.templates import TEMPLATE_ROUTE, TemplateKind, template_response
from devagenda.api.versions import send_version
from devagenda.catalogue import services
from devagenda.catalogue.coverage import KnowledgeCoverage, knowledge_coverage
from devagenda.catalogue.schemas import (
    ClusterOut,
    DocumentFilter,
    DocumentOut,
    ProjectFilter,
    ProjectOut,
    ProjectSummary,
    RecommendationDetail,
    RecommendationFilter,
    RecommendationOut,
    SessionOut,
)
from devagenda.core.listing import FacetedPage
from devagenda.core.pagination import Page

router = APIRouter(tags=["catalogue"])
DETAIL_RESPONSES = problem_responses(404, 422)


@router.get(
    "/recommendations",
    response_model=Page[RecommendationOut] | list[RecommendationOut],
    responses=list_responses(),
)
def list_recommendations(
    filters: Annotated[RecommendationFilter, Query()], params: ListQuery, session: DatabaseSession
) -> Page[RecommendationOut] | StreamingResponse:
    """The 45 Development Agenda recommendations, with their texts in each language."""
    listing = services.recommendation_listing(session, filters)
    return list_response(listing, params, RecommendationOut, "recommendations")


@router.get("/recommendations/{number}", responses=DETAIL_RESPONSES)
def get_recommendation(
    number: RecordId, session: DatabaseSession, response: Response
) -> RecommendationDetail:
    found = services.get_recommendation(session, number)
    send_version(response, found.version)
    return found


@router.get(
    "/clusters", response_model=Page[ClusterOut] | list[ClusterOut], responses=list_responses()
)
def list_clusters(
    params: ListQuery, session: DatabaseSession
) -> Page[ClusterOut] | StreamingResponse:
    """The six clusters (A-F) that group the recommendations."""
    return list_response(services.cluster_listing(session), params, ClusterOut, "clusters")


@router.get("/clusters/{letter}", responses=DETAIL_RESPONSES)
def get_cluster(letter: Code, session: DatabaseSession) -> ClusterOut:
    return services.get_cluster(session, letter)


@router.get(
    "/sessions", response_model=Page[SessionOut] | list[SessionOut], responses=list_responses()
)
def list_sessions(
    params: ListQuery, session: DatabaseSession
) -> Page[SessionOut] | StreamingResponse:
    """CDIP sessions, with their dates, documents and the projects they approved."""
    return list_response(services.cdip_session_listing(session), params, SessionOut, "sessions")


@router.get("/sessions/{number}", responses=DETAIL_RESPONSES)
def get_session(number: RecordId, session: DatabaseSession, response: Response) -> SessionOut:
    found = services.get_cdip_session(session, number)
    send_version(response, found.version)
    return found


@router.get(
    "/documents",
    response_model=Page[DocumentOut] | list[DocumentOut],
    responses=list_responses(),
)
def list_documents(
    filters: Annotated[DocumentFilter, Query()], params: ListQuery, session: DatabaseSession
) -> Page[DocumentOut] | StreamingResponse:
    """Documents (CDIP/31/4...) and where the reports cite them."""
    listing = services.document_listing(session, filters)
    return list_response(listing, params, DocumentOut, "documents")


@router.get("/documents/{symbol:path}", responses=DETAIL_RESPONSES)
def get_document(symbol: Symbol, session: DatabaseSession, response: Response) -> DocumentOut:
    """A document by its symbol, slashes included: /api/documents/CDIP/31/4."""
    found = services.get_document(session, symbol)
    send_version(response, found.version)
    return found


@router.get(
    "/projects",
    response_model=FacetedPage[ProjectSummary] | list[ProjectSummary],
    responses=list_responses(),
)
def list_projects(
    filters: Annotated[ProjectFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[ProjectSummary] | Response:
    """Development Agenda projects matching every given filter, with their total and
    the counts of the facets `status`, `cluster`, `recommendation`, `sector` and
    `session` (each over the rows the other filters let through; `none`: not stated).
    Sorts: `title`, `status`, `session`, `approval_date`."""
    return faceted_response(
        lambda f: services.project_source(session, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        ProjectSummary,
        "projects",
    )


@router.get("/projects/{project_id}", responses=DETAIL_RESPONSES)
def get_project(project_id: RecordId, session: DatabaseSession, response: Response) -> ProjectOut:
    """A project with its status history, actors and outputs, each fact with its source."""
    found = services.get_project(session, project_id)
    send_version(response, found.version)
    return found


# -- what the figures rest on, and the catalogue import template --------------------------


@router.get("/coverage")
def get_coverage(session: DatabaseSession) -> KnowledgeCoverage:
    """For each kind of fact, how many projects or recommendations the loaded sources
    state it for: a count over a fact stated for 7 of 55 projects rests on those 7."""
    return knowledge_coverage(session)


@router.get(
    "/catalogue/template.{kind}",
    **TEMPLATE_ROUTE,
)
def get_catalogue_template(kind: TemplateKind) -> Response:
    """An empty file for `devagenda catalogue import`: one column per project fact, and a
    `source` column (document symbol or URL) that every row must fill."""
    return template_response(services.catalogue_template(kind), kind, "catalogue")
