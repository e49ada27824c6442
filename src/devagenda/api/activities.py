"""Routes of the technical-assistance activities (IP-TAD): the counted list, one
activity with the source of each fact, the import template, and the writes.

Writes run in their own transaction and call one service of activities.editing, which
authorizes them (editors and administrators; focal points for the activities of their
own countries), validates them (422 naming every bad field) and checks the version
their `If-Match` names (412 with the current state; 428 without one).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Security, status
from fastapi.responses import Response

from devagenda.activities import aggregates, editing, services
from devagenda.activities.schemas import (
    ActivityAggregate,
    ActivityCreate,
    ActivityEdit,
    ActivityFilter,
    ActivityOut,
    ActivitySummary,
    AggregateBy,
    ReportFigure,
)
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

router = APIRouter(tags=["activities"])
WRITE = {"responses": problem_responses(400, 403, 404, 412, 422, 428)}
Message = Annotated[Line | None, Query(description="Why; shown in the change log.")]


@router.get(
    "/activities",
    response_model=FacetedPage[ActivitySummary] | list[ActivitySummary],
    responses=list_responses(),
)
def list_activities(
    filters: Annotated[ActivityFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[ActivitySummary] | Response:
    """Activities matching every given filter, with their total and the counts of the
    facets `year`, `type`, `mode`, `sector`, `organising_unit`, `funding_source`, `demo`,
    `country` (host or beneficiary), `region`, `country_group`, `subject_area`,
    `language`, `recommendation`, `expected_result` and `project` (each over the rows the
    other filters let through; `none`: not stated). `since` and `until` keep the
    activities that overlap those days. Sorts: `start_date`, `end_date`, `participants`,
    `code`, `title`."""
    return faceted_response(
        lambda f: services.activity_source(session, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        ActivitySummary,
        "activities",
    )


@router.get(
    "/activities/template.{kind}",
    **TEMPLATE_ROUTE,
)
def get_activities_template(kind: TemplateKind) -> Response:
    """An empty file for `devagenda activities import`: every column, and a `source`
    column (document symbol or URL) that every row must fill."""
    return template_response(services.activities_template(kind), kind, "activities")


@router.get("/activities/aggregates", responses=problem_responses(422))
def get_activities_aggregate(
    by: Annotated[AggregateBy, Query(description="What to count the activities by.")],
    session: DatabaseSession,
    year: Annotated[Year | None, Query(description="Only the activities of this year.")] = None,
    demo: Annotated[
        bool, Query(description="Count the demo data instead of the real data (never both).")
    ] = False,
) -> ActivityAggregate:
    """Activities per start year and per region, country group, type, mode or sector,
    with how many activities the counts rest on. `none` counts the activities that do
    not state the field (for region and group: that name no country); an activity of
    several regions counts once under each."""
    return aggregates.activity_aggregate(session, by, year, demo=demo)


@router.get("/activities/report-figure", responses=problem_responses(422))
def get_activities_report_figure(
    year: Annotated[Year, Query(description="The year of the annual report.")],
    session: DatabaseSession,
    demo: Annotated[
        bool, Query(description="Count the demo data instead of the real data (never both).")
    ] = False,
) -> ReportFigure:
    """The figure the annual report quotes: the activities of a year for developing
    countries, LDCs and countries in transition, and the activities it rests on."""
    return aggregates.report_figure(session, year, demo=demo)


@router.get("/activities/{activity_id}", responses=problem_responses(404, 422))
def get_activity(
    activity_id: RecordId, session: DatabaseSession, response: Response
) -> ActivityOut:
    """An activity with its texts in every language and where each fact is stated."""
    found = services.get_activity(session, activity_id)
    send_version(response, found.version)
    return found


@router.post(
    "/activities",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 403, 422),
    dependencies=[Security(BEARER)],
)
def create_activity(request: Request, data: ActivityCreate, response: Response) -> ActivityOut:
    """A new activity, with at least one title and the source that states its facts."""
    with app_context(request).transaction() as session:
        activity = editing.create_activity(session, data)
    response.headers["Location"] = f"/api/activities/{activity.id}"
    send_version(response, activity.version)
    return activity


@router.patch("/activities/{activity_id}", **WRITE, dependencies=[Security(BEARER)])
def edit_activity(
    request: Request,
    activity_id: RecordId,
    data: ActivityEdit,
    version: ExpectedVersion,
    response: Response,
) -> ActivityOut:
    """Change the facts the body sets: a field left out stays, null clears it, a list
    replaces the stored one (items that stay keep their source)."""
    with app_context(request).transaction() as session:
        activity = editing.edit_activity(session, activity_id, data, version)
    send_version(response, activity.version)
    return activity


@router.delete(
    "/activities/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **WRITE,
    dependencies=[Security(BEARER)],
)
def delete_activity(
    request: Request, activity_id: RecordId, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete an activity with its texts and links (all logged)."""
    with app_context(request).transaction() as session:
        editing.delete_activity(session, activity_id, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
