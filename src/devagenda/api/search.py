"""The search route: full-text search with facets over every kind of record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import Response

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import ListFormat, download, every_page, list_responses
from devagenda.search import services
from devagenda.search.params import SearchFilter
from devagenda.search.schemas import SearchHit, SearchResults


@asynccontextmanager
async def _warm(app: FastAPI) -> AsyncIterator[None]:
    """Load jieba's dictionary and the index's facet columns when the app starts, once per
    process, so that no request waits for them (nor do forty first requests each load
    their own)."""
    await to_thread.run_sync(services.warm, app.state.context)
    yield


router = APIRouter(tags=["search"], lifespan=_warm)

# Words are free text, but a NUL character is refused by PostgreSQL: reject it here.
_TEXT = r"^[^\x00]*$"


# `format=json` downloads every hit as one JSON list, as the other lists do.
@router.get("/search", response_model=SearchResults | list[SearchHit], responses=list_responses())
def search(
    session: DatabaseSession,
    filters: Annotated[SearchFilter, Query()],
    q: Annotated[str, Query(max_length=200, pattern=_TEXT, description="Words to find.")] = "",
    lang: Annotated[
        str | None,
        Query(pattern=r"^[a-z]{2}$", description="Title hits in this language where they have it."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=services.MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    format: Annotated[
        ListFormat | None, Query(description="`json`, `csv` or `xlsx`: every hit as a file.")
    ] = None,
) -> SearchResults | Response:
    """Records matching `q` and every filter, best first, with facet counts; a blank `q`
    lists everything the filters let through. Each record is one hit and counts once.

    `q` understands `"phrases"`, `prefix*`, `OR`, `NOT word` and `-word`; names of
    countries, groups, recommendations and projects also find their names in the other
    language. What it cannot understand is explained in `notices`; when nothing is found,
    `suggestions` and `total_without_filters` say what would find something. `format`
    downloads every hit."""

    def page(at: str | None, size: int = limit) -> SearchResults:
        return services.search(
            session, q, **filters.as_options(), display_language=lang, limit=size, cursor=at
        )

    if format is not None:
        first = page(cursor, services.MAX_LIMIT)  # a bad query fails before the download
        hits = every_page(
            lambda at: (
                (first.hits, first.next_cursor)
                if at is None
                else _hits(page(at, services.MAX_LIMIT))
            )
        )
        return download(hits, SearchHit, "search", format)
    return page(cursor)


def _hits(results: SearchResults) -> tuple[list[SearchHit], str | None]:
    return results.hits, results.next_cursor
