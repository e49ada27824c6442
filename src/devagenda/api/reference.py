"""Routes of the reference tables: expected results, sectors, countries and groups."""

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
from devagenda.api.params import Code, CountryCode
from devagenda.api.problems import problem_responses
from devagenda.core.listing import FacetedPage
from devagenda.core.pagination import Page
from devagenda.reference import services
from devagenda.reference.schemas import (
    CountryDetail,
    CountryFilter,
    CountryOut,
    ExpectedResultOut,
    GroupDetail,
    GroupOut,
    SectorOut,
)

router = APIRouter(tags=["reference"])
DETAIL_RESPONSES = problem_responses(404, 422)


@router.get(
    "/expected-results",
    response_model=Page[ExpectedResultOut] | list[ExpectedResultOut],
    responses=list_responses(),
)
def list_expected_results(
    params: ListQuery, session: DatabaseSession
) -> Page[ExpectedResultOut] | StreamingResponse:
    """Expected results of the Medium-Term Strategic Plan and the recommendations linked
    to them in Annex I."""
    listing = services.expected_result_listing(session)
    return list_response(listing, params, ExpectedResultOut, "expected-results")


@router.get("/expected-results/{code}", responses=DETAIL_RESPONSES)
def get_expected_result(code: Code, session: DatabaseSession) -> ExpectedResultOut:
    return services.get_expected_result(session, code)


@router.get(
    "/sectors", response_model=Page[SectorOut] | list[SectorOut], responses=list_responses()
)
def list_sectors(
    params: ListQuery, session: DatabaseSession
) -> Page[SectorOut] | StreamingResponse:
    """WIPO sectors, each a chapter of the report, with the projects reported under them."""
    return list_response(services.sector_listing(session), params, SectorOut, "sectors")


@router.get("/sectors/{code}", responses=DETAIL_RESPONSES)
def get_sector(code: Code, session: DatabaseSession) -> SectorOut:
    return services.get_sector(session, code)


@router.get(
    "/countries",
    response_model=FacetedPage[CountryOut] | list[CountryOut],
    responses=list_responses(),
)
def list_countries(
    filters: Annotated[CountryFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[CountryOut] | Response:
    """Countries with ISO codes, names, WIPO region and development status, with their
    total and the counts of the facets `region` and `status`. Sorts: `name` (English),
    `code`, `region`, `status`."""
    return faceted_response(
        lambda f: services.country_source(session, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        CountryOut,
        "countries",
    )


@router.get("/countries/{code}", responses=DETAIL_RESPONSES)
def get_country(code: CountryCode, session: DatabaseSession) -> CountryDetail:
    """A country by ISO alpha-2 or alpha-3 code, with the projects that benefit it, those
    it proposed, and every paragraph and footnote that names it (`mentions`)."""
    return services.get_country_detail(session, code)


@router.get("/groups", response_model=Page[GroupOut] | list[GroupOut], responses=list_responses())
def list_groups(params: ListQuery, session: DatabaseSession) -> Page[GroupOut] | StreamingResponse:
    """Groups of states (regional groups, organizations) that propose or benefit."""
    return list_response(services.group_listing(session), params, GroupOut, "groups")


@router.get("/groups/{code}", responses=DETAIL_RESPONSES)
def get_group(code: Code, session: DatabaseSession) -> GroupDetail:
    return services.get_group_detail(session, code)
