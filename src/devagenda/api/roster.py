"""Routes of the roster of consultants (IP-ROC): the counted list, one consultant, the
public aggregates, the import template, and the writes.

What a response holds depends on who asks (devagenda.roster.services decides): personal
data (gender, nationalities, contact details) only for editors and administrators;
for others the public fields, and `/consultants/aggregates` with small cells suppressed.
Filtering by gender or nationality without that right is a 401 (no credentials) or 403.
Writes need it too, and check the version their `If-Match` names as every write does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Security, status
from fastapi.responses import Response

from devagenda.api.accounts import BEARER
from devagenda.api.dependencies import DatabaseSession, app_context
from devagenda.api.listing import ListQuery, SortQuery, faceted_response, list_responses
from devagenda.api.params import RecordId
from devagenda.api.problems import problem_responses
from devagenda.api.templates import TEMPLATE_ROUTE, TemplateKind, template_response
from devagenda.api.versions import ExpectedVersion, send_version
from devagenda.catalogue.schemas import Year
from devagenda.core.inputs import Line
from devagenda.core.listing import FacetedPage
from devagenda.roster import editing, services
from devagenda.roster.schemas import (
    ConsultantAggregates,
    ConsultantCreate,
    ConsultantEdit,
    ConsultantFilter,
    ConsultantOut,
    ConsultantPersonalOut,
    ConsultantPersonalSummary,
    ConsultantSummary,
)

router = APIRouter(tags=["consultants"])
WRITE = {"responses": problem_responses(400, 403, 404, 412, 422, 428)}
Message = Annotated[Line | None, Query(description="Why; shown in the change log.")]


@router.get(
    "/consultants",
    response_model=FacetedPage[ConsultantPersonalSummary]
    | FacetedPage[ConsultantSummary]
    | list[ConsultantPersonalSummary]
    | list[ConsultantSummary],
    responses={**list_responses(), **problem_responses(403)},
)
def list_consultants(
    filters: Annotated[ConsultantFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[ConsultantSummary] | Response:
    """Consultants matching every given filter, with their total and the counts of the
    facets `demo`, `language`, `ip_field`, `beneficiary_country` and `assignment_year`
    (and, for editors and administrators, `gender` and `nationality`), each over the rows
    the other filters let through (`none`: not stated). `name` matches names fuzzily
    across scripts and romanisations and, unless another sort is asked for, ranks by
    likeness (`match`). Sorts: `name`, `code`, `match`. Personal data (gender,
    nationalities, contact details) is in the rows only for editors and administrators."""
    personal = services.personal_data_allowed()
    if sort is None and filters.name and filters.name.strip():
        sort = "match"
    return faceted_response(
        lambda f: services.consultant_source(session, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        ConsultantPersonalSummary if personal else ConsultantSummary,
        "consultants",
    )


@router.get("/consultants/aggregates", responses=problem_responses(422))
def get_consultant_aggregates(
    session: DatabaseSession,
    year: Annotated[
        Year | None, Query(description="Only consultants with an assignment in this year.")
    ] = None,
    demo: Annotated[
        bool, Query(description="Count the demo data instead of the real data (never both).")
    ] = False,
) -> ConsultantAggregates:
    """Consultants by gender, by WIPO region of nationality and by IP field, for
    everyone, with small cells suppressed (the rule is in `rule`); and the consultants
    with assignments in each year, with the assignment records each figure rests on."""
    return services.consultant_aggregates(session, year, demo=demo)


@router.get(
    "/consultants/template.{kind}",
    **TEMPLATE_ROUTE,
)
def get_consultants_template(kind: TemplateKind) -> Response:
    """An empty file for `devagenda consultants import`: every column, and a `source`
    column (document symbol or URL) that every row must fill."""
    return template_response(services.consultants_template(kind), kind, "consultants")


@router.get(
    "/consultants/{consultant_id}",
    response_model=ConsultantPersonalOut | ConsultantOut,
    responses=problem_responses(404, 422),
)
def get_consultant(
    consultant_id: RecordId, session: DatabaseSession, response: Response
) -> ConsultantOut:
    """A consultant with their assignments and where each fact is stated; personal
    data only for editors and administrators."""
    found = services.get_consultant(session, consultant_id)
    send_version(response, found.version)
    return found


@router.post(
    "/consultants",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsultantPersonalOut,
    responses=problem_responses(400, 403, 422),
    dependencies=[Security(BEARER)],
)
def create_consultant(
    request: Request, data: ConsultantCreate, response: Response
) -> ConsultantOut:
    """A new consultant, with a name in Latin script and the source of its facts."""
    with app_context(request).transaction() as session:
        consultant = editing.create_consultant(session, data)
    response.headers["Location"] = f"/api/consultants/{consultant.id}"
    send_version(response, consultant.version)
    return consultant


@router.patch(
    "/consultants/{consultant_id}",
    response_model=ConsultantPersonalOut,
    **WRITE,
    dependencies=[Security(BEARER)],
)
def edit_consultant(
    request: Request,
    consultant_id: RecordId,
    data: ConsultantEdit,
    version: ExpectedVersion,
    response: Response,
) -> ConsultantOut:
    """Change the facts the body sets: a field left out stays, null clears it, a list
    replaces the stored one (`assignments` too: those that stay keep their source)."""
    with app_context(request).transaction() as session:
        consultant = editing.edit_consultant(session, consultant_id, data, version)
    send_version(response, consultant.version)
    return consultant


@router.delete(
    "/consultants/{consultant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **WRITE,
    dependencies=[Security(BEARER)],
)
def delete_consultant(
    request: Request, consultant_id: RecordId, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete a consultant with their assignments and links (all logged)."""
    with app_context(request).transaction() as session:
        editing.delete_consultant(session, consultant_id, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
