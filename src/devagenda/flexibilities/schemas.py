"""What the flexibilities services take and give (Pydantic), for the API, web and CLI."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from devagenda.catalogue.schemas import EditBase, Language2
from devagenda.core.inputs import Url
from devagenda.flexibilities.models import UpdateEffect

ProvisionCode = Annotated[str, StringConstraints(pattern=r"^\S{1,64}$")]
Alpha3 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)]
CategoryCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]


class ProvisionIn(BaseModel):
    """A provision as an editor or a member-state update states it."""

    code: str | None = None
    jurisdiction: str = Field(description="ISO 3166-1 alpha-3 code")
    category: str = Field(description="a code of flexibilities/data/categories.csv")
    law_title: str = Field(min_length=1)
    law_number: str | None = None
    law_date: date | None = None
    articles: str = ""
    texts: dict[str, str] = Field(default_factory=dict, description="language -> verbatim text")
    link: str | None = None
    in_force_date: date | None = None


class ProvisionEdit(EditBase):
    """A change to a provision by the secretariat: a field left out stays, null clears
    it; `texts` changes the languages it names (null removes that language's text)."""

    code: ProvisionCode | None = Field(None, description="The key imports update by.")
    jurisdiction: Alpha3 | None = Field(
        None, description="ISO alpha-3; only while no member-state update is attached."
    )
    category: CategoryCode | None = None
    law_title: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    law_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    law_date: date | None = None
    articles: Annotated[str, StringConstraints(max_length=200)] | None = None
    texts: dict[Language2, Annotated[str, StringConstraints(min_length=1)] | None] | None = Field(
        None, description="Verbatim texts by language; a language left out stays."
    )
    link: Url | None = None
    in_force_date: date | None = None


class UpdateRef(BaseModel):
    """A member-state update as the provisions it concerns show it."""

    id: int
    jurisdiction: str
    communication_reference: str
    communication_date: date
    summary: str
    submitted_by: str
    received_at: datetime
    effect: UpdateEffect | None = None  # how it touches the provision shown, where one is


class ProvisionOut(BaseModel):
    id: int
    code: str | None
    jurisdiction: str
    category: str
    law_title: str
    law_number: str | None
    law_date: date | None
    articles: str
    texts: dict[str, str]
    link: str | None
    in_force_date: date | None
    version: int
    member_state_updates: list[UpdateRef]


class UpdateIn(BaseModel):
    """A focal point's update: the communication it rests on, and the provisions it
    amends (by id, with their new wording) or adds."""

    jurisdiction: str
    communication_reference: str = Field(min_length=1)
    communication_date: date
    summary: str = Field(min_length=1)
    amends: dict[int, ProvisionIn] = Field(default_factory=dict)
    adds: list[ProvisionIn] = Field(default_factory=list)


class UpdateOut(UpdateRef):
    provisions: dict[int, UpdateEffect]


class ComparisonRow(BaseModel):
    """One cell of a comparison: a jurisdiction × category and what is recorded for it.
    No provisions means not stated: the database does not know, not that there is none."""

    jurisdiction: str
    category: str
    provisions: list[ProvisionOut]

    @property
    def stated(self) -> bool:
        return bool(self.provisions)


class ProvisionFilter(BaseModel):
    jurisdiction: str | None = Field(default=None, description="ISO alpha-3 code")
    category: str | None = Field(default=None, description="a category code")


class CategoryOut(BaseModel):
    code: str
    field: str
    name_en: str
    name_zh: str


class AttachIn(BaseModel):
    provision_id: int
    effect: UpdateEffect = UpdateEffect.AMENDS


class UpdateCount(BaseModel):
    """How many member-state updates were received in a year."""

    year: int
    updates: int


class FlexibilityFigures(BaseModel):
    provisions: int
    jurisdictions: int
    updates_by_year: dict[int, int]
