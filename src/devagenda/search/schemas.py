"""What a search returns, as interfaces (API, web, CLI) receive it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SearchHit(BaseModel):
    """One record (not one entry per language: a record is listed and counted once)."""

    kind: str  # "project", "paragraph"...
    key: str  # the record's key within its kind
    language: str  # of the title
    title: str = Field(
        description="Plain text, in the language asked for where the record has one: "
        "escape it before putting it in HTML."
    )
    snippet: str = Field(
        description="HTML, safe to insert as is: escaped text around the matches, "
        "the matched words in <mark>…</mark>."
    )
    snippet_language: str
    url: str  # path of the record's page in the web interface
    score: float  # higher is more relevant; 0 when there was no query


class FacetCount(BaseModel):
    value: str
    count: int  # matching records with this value


class SearchNotice(BaseModel):
    """Something about the query the user should know (what could not be understood and
    what was done instead); `code` is stable, for interfaces that translate."""

    code: str
    message: str
    subject: str = ""


class SearchSuggestion(BaseModel):
    """Another query that finds something, offered when this one found nothing."""

    query: str
    total: int


class SearchResults(BaseModel):
    query: str
    total: int  # matching records, across all pages
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]  # facet name -> values, most frequent first
    next_cursor: str | None = None  # pass back as `cursor` for the next page
    notices: list[SearchNotice] = []
    names: list[str] = Field(
        default=[],
        description="Names of records recognized in the query and searched in every "
        "language (as normalized words).",
    )
    suggestions: list[SearchSuggestion] = []
    total_without_filters: int | None = Field(
        default=None,
        description="When filters were given and nothing matched: how many records the "
        "query finds without them.",
    )
