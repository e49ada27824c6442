"""Routes of the matchmaking database (WIPO Match, WIPO GREEN): the counted lists of
needs and of offers, one post, and its suggestions with their reasons.

A post's contact details are in its detail only for those allowed to read them
(devagenda.match.services decides); everyone else gets `contact_shown: false`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import ListQuery, SortQuery, faceted_response, list_responses
from devagenda.api.problems import problem_responses
from devagenda.core.listing import FacetedPage
from devagenda.match import services
from devagenda.match.models import Side
from devagenda.match.schemas import PostFilter, PostOut, PostSummary, SuggestionOut
from devagenda.match.suggestions import suggest

router = APIRouter(tags=["match"])
PostKey = Annotated[str, Path(pattern=r"^[\w.:/\-]{1,64}$", description="The post's key.")]


def _listed(
    side: Side, filters: PostFilter, params: ListQuery, session: DatabaseSession, sort: str | None
) -> FacetedPage[PostSummary] | Response:
    return faceted_response(
        lambda f: services.post_source(session, side, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        PostSummary,
        f"match-{side.value}s",
    )


@router.get(
    "/match/needs",
    response_model=FacetedPage[PostSummary] | list[PostSummary],
    responses=list_responses(),
)
def list_needs(
    filters: Annotated[PostFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[PostSummary] | Response:
    """Needs matching every given filter, with their total and the counts of the facets
    `support`, `green_category`, `owner_type`, `country`, `ip_field` and `language`
    (`none`: not stated). Sorts: `key`, `valid_until`."""
    return _listed(Side.NEED, filters, params, session, sort)


@router.get(
    "/match/offers",
    response_model=FacetedPage[PostSummary] | list[PostSummary],
    responses=list_responses(),
)
def list_offers(
    filters: Annotated[PostFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[PostSummary] | Response:
    """Offers matching every given filter, with the same facets and sorts as needs."""
    return _listed(Side.OFFER, filters, params, session, sort)


@router.get("/match/posts/{key}", responses=problem_responses(404, 422))
def get_post(key: PostKey, session: DatabaseSession) -> PostOut:
    """A need or an offer; its contact details only for editors and administrators."""
    return services.get_post(session, key)


@router.get("/match/posts/{key}/suggestions", responses=problem_responses(404, 422))
def get_suggestions(
    key: PostKey,
    session: DatabaseSession,
    limit: Annotated[int, Query(ge=1, le=100, description="How many, best first.")] = 10,
) -> list[SuggestionOut]:
    """The best posts of the other side, best first, each with its reasons: shared IP
    fields, matching terms across Chinese and English, and the constraints it met."""
    return [SuggestionOut(**asdict(found)) for found in suggest(session, key, limit=limit)]
