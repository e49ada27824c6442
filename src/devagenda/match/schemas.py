"""What matchmaking reads and writes. A post's contact details are personal data: the
detail carries them only for those allowed to read them (match.services decides)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from devagenda.activities.schemas import Alpha3, LanguageCode, NotStated, ShortCode
from devagenda.match.models import GreenCategory, OwnerType, Side, Support


class PostFilter(BaseModel):
    """Which needs or offers to list; every field narrows the list, and the facets take
    `none` for the posts that do not state them."""

    support: NotStated | Support | None = Field(None, description="The kind of support.")
    green_category: NotStated | GreenCategory | None = Field(
        None, description="WIPO GREEN's technology category (none: a WIPO Match post)."
    )
    owner_type: NotStated | OwnerType | None = Field(None, description="Who posted it.")
    country: NotStated | Alpha3 | None = Field(None, description="For this country (alpha-3).")
    ip_field: NotStated | ShortCode | None = Field(None, description="IP field code.")
    language: NotStated | LanguageCode | None = Field(None, description="ISO 639-1 code.")


class PostSummary(BaseModel):
    """A need or an offer as a list row (and a CSV line); None is not stated."""

    key: str
    side: Side
    version: int
    title_zh: str | None
    title_en: str | None
    owner: str
    owner_type: OwnerType | None
    support: Support | None
    green_category: GreenCategory | None
    countries: list[str]  # alpha-3
    ip_fields: list[str]
    languages: list[str]
    valid_from: date | None
    valid_until: date | None


class PostOut(PostSummary):
    """A post with its descriptions; `contact` only for those who may read it, else
    absent from the answer (see `contact_shown`)."""

    description_zh: str | None
    description_en: str | None
    contact_shown: bool  # whether this reader may see the contact details
    contact: str | None = None


class ReasonsOut(BaseModel):
    shared_fields: list[str]
    matching_terms: list[str]  # "中文 / English" pairs of the glossary
    constraints: list[str]  # each hard constraint and how it was met


class SuggestionOut(BaseModel):
    key: str
    side: Side
    title_zh: str | None
    title_en: str | None
    score: float  # cosine similarity of the two posts' texts, -1..1
    reasons: ReasonsOut
