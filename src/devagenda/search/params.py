"""What a search asks for besides its words, checked and passed on the same way for the API
(`/api/search`'s query parameters) and the CLI (`devagenda search`'s options).

Bounds and patterns reject what cannot name anything before it reaches the database: a
NUL character, which PostgreSQL refuses, or a code longer than any the index holds.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

_CODE = r"^[A-Za-z0-9_.]{1,32}$"
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]


class SearchFilter(BaseModel):
    """Which records a search may return; every field narrows them."""

    kinds: list[Kind] | None = Field(None, description="Only these kinds: project, paragraph...")
    status: str | None = Field(None, pattern=_CODE, description="Project or country status.")
    cluster: str | None = Field(None, pattern=r"^[A-Za-z]$", description="Cluster letter.")
    sector: str | None = Field(None, pattern=_CODE, description="Sector code.")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="Names this country (alpha-3)."
    )
    year: int | None = Field(None, ge=1900, le=2999, description="Year.")
    language: str | None = Field(
        None, pattern=r"^[a-z]{2,3}$", description="Only entries in this language."
    )

    def as_options(self) -> dict[str, Any]:
        """These filters as the search service's keyword arguments (`search`,
        `search_with`), codes in the case the index keeps."""
        return {
            "kinds": self.kinds,
            "status": self.status,
            "cluster": self.cluster.upper() if self.cluster else None,
            "sector": self.sector.upper() if self.sector else None,
            "country": self.country,
            "year": self.year,
            "language": self.language,
        }
