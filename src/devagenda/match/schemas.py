"""What matchmaking reads and writes. A post's contact details are personal data: the
detail carries them only for those allowed to read them (match.services decides)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from devagenda.activities.schemas import Alpha3, LanguageCode, NotStated, ShortCode
from devagenda.match.models import (
    ConnectionState,
    GreenCategory,
    MailStatus,
    NoticeKind,
    OwnerType,
    Side,
    Support,
)


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
    """A need or an offer as a list row (and a CSV line); None is not stated. `contact`
    only for those who may read it (`contact_shown`): the two sides and editors."""

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
    contact_shown: bool  # whether this reader may see the contact details
    contact: str | None = None
    own: bool = False  # whether the reader's account owns the post


class PostOut(PostSummary):
    """A post with its descriptions."""

    description_zh: str | None
    description_en: str | None


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


# -- writing ----------------------------------------------------------------------------------

_Text = Annotated[str, StringConstraints(max_length=10_000)]
_Word = Annotated[str, StringConstraints(max_length=100)]
_Codes = Annotated[list[_Word], Field(max_length=300)]


class PostEdit(BaseModel):
    """A change to a need or an offer: a field left out stays, null clears it, a list
    replaces the stored one. The values are read as the import reads its cells (the same
    aliases, limits and country codes), and every bad field is reported at once."""

    model_config = ConfigDict(extra="forbid")

    title_zh: _Text | None = None
    title_en: _Text | None = None
    description_zh: _Text | None = None
    description_en: _Text | None = None
    owner: _Text | None = Field(None, description="The organisation or person posting it.")
    owner_type: _Word | None = Field(None, description=", ".join(t.value for t in OwnerType))
    countries: _Codes | None = Field(None, description="ISO alpha-2 codes, e.g. KE.")
    ip_fields: _Codes | None = Field(None, description="IP fields (IP subject areas).")
    support: _Word | None = Field(None, description=", ".join(s.value for s in Support))
    green_category: _Word | None = Field(
        None, description="WIPO GREEN's category: " + ", ".join(g.value for g in GreenCategory)
    )
    languages: _Codes | None = Field(None, description="Languages, by name or ISO 639-1 code.")
    valid_from: date | None = None
    valid_until: date | None = None
    contact: _Text | None = Field(
        None, description="How to reach the owner; seen by the two sides and editors."
    )


class PostCreate(PostEdit):
    """A new need or offer: its side, an owner and a title in Chinese or English; `key`
    is given as NEED-n or OFFER-n when left out."""

    key: _Word | None = Field(None, description="The post's key; NEED-n / OFFER-n if left out.")
    side: _Word = Field(description="need or offer.")


class InterestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other: Annotated[str, StringConstraints(pattern=r"^[\w.:/\-]{1,64}$")] = Field(
        description="The key of the post of the other side."
    )


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: ConnectionState = Field(description="discussion, agreement, closed or dropped.")
    on: date | None = Field(None, description="The day (today if left out).")


class ConnectionOut(BaseModel):
    """A connection and the day it entered each state (null: not reached)."""

    id: int
    need: str  # the need's key
    offer: str
    interested_side: Side
    state: ConnectionState
    version: int
    contacted_on: date
    discussion_on: date | None
    agreement_on: date | None
    closed_on: date | None
    dropped_on: date | None


class NoticeOut(BaseModel):
    id: int
    kind: NoticeKind
    post: str  # the key of the post it is about
    need: str | None
    offer: str | None
    connection_id: int | None
    # The state a connection notice reports ("contacted": interest expressed) and the
    # side that expressed the interest; both null for a suggestion.
    state: ConnectionState | None
    interested_side: Side | None
    text: str  # in English, as queued mail says it
    texts: dict[str, str]  # in each interface language ("zh", "en")
    created_on: date
    read_on: date | None


class MailSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool
    sender: Annotated[str, StringConstraints(max_length=320)] = Field(
        description="The address mail is sent from."
    )


class MailSettingsOut(BaseModel):
    """None stored means mail is disabled (and there is no sender)."""

    enabled: bool
    sender: str | None


class OutgoingMailOut(BaseModel):
    id: int
    notice_id: int
    sender: str
    recipient: str
    subject: str
    body: str
    status: MailStatus


class CountRow(BaseModel):
    matchmakings: int
    connections: int


class CountsOut(BaseModel):
    """Matchmakings (pairs where one side expressed interest) and connections (pairs
    that went on to a discussion or further), per year of contact, WIPO region of the
    need (`not stated`) and dataset (wipo_green, wipo_match); and the posts counted."""

    matchmakings: int
    connections: int
    by_year: dict[str, CountRow]
    by_region: dict[str, CountRow]
    by_dataset: dict[str, CountRow]
    needs: int
    offers: int
