"""The search route: full-text search with facets over every kind of record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import StringConstraints

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.problems import problem_responses
from devagenda.search import services
from devagenda.search.schemas import SearchResults

router = APIRouter(tags=["search"])

# Words are free text, but a NUL character is refused by PostgreSQL: reject it here.
_TEXT = r"^[^\x00]*$"
_WORD = r"^[A-Za-z0-9_.]{1,32}$"
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]


@router.get("/search", responses=problem_responses(422))
def search(
    session: DatabaseSession,
    q: Annotated[str, Query(max_length=200, pattern=_TEXT, description="Words to find.")] = "",
    kinds: Annotated[
        list[Kind] | None, Query(description="Only these kinds: project, paragraph...")
    ] = None,
    status: Annotated[str | None, Query(pattern=_WORD, description="Project status.")] = None,
    cluster: Annotated[str | None, Query(pattern=r"^[A-Za-z]$")] = None,
    sector: Annotated[str | None, Query(pattern=_WORD, description="Sector code.")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="Names this country (alpha-3).")
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None,
    limit: Annotated[int, Query(ge=1, le=services.MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> SearchResults:
    """Records matching every word of `q` and every filter, best first, with facet counts;
    a blank `q` lists everything the filters let through."""
    return services.search(
        session,
        q,
        kinds=kinds,
        status=status,
        cluster=cluster.upper() if cluster else None,
        sector=sector.upper() if sector else None,
        country=country,
        year=year,
        language=language,
        limit=limit,
        cursor=cursor,
    )
