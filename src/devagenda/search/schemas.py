"""What a search returns, as interfaces (API, web, CLI) receive it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SearchHit(BaseModel):
    kind: str  # "project", "paragraph"...
    key: str  # the record's key within its kind
    language: str
    title: str = Field(description="Plain text: escape it before putting it in HTML.")
    snippet: str = Field(
        description="HTML, safe to insert as is: escaped text around the matches, "
        "the matched words in <mark>…</mark>."
    )
    url: str  # path of the record's page in the web interface
    score: float  # higher is more relevant; 0 when there was no query


class FacetCount(BaseModel):
    value: str
    count: int  # matching records with this value


class SearchResults(BaseModel):
    query: str
    total: int  # matching records, across all pages
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]  # facet name -> values, most frequent first
    next_cursor: str | None = None  # pass back as `cursor` for the next page
