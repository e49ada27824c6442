"""What the activities area reads and writes: list rows, the detail with the source of
each fact, the list's filters and the edits."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from devagenda.activities.models import ActivityMode, ActivityType
from devagenda.catalogue.schemas import (
    SOURCE_DESCRIPTION,
    ActorCode,
    EditBase,
    Language2,
    ProjectRef,
    RecommendationNumber,
    SectorCode,
    TextIn,
    TextOut,
    Year,
)
from devagenda.core.inputs import MAX_ID, Line
from devagenda.core.schemas import Provenance
from devagenda.reference.codes import DevelopmentStatus, WipoRegion

Alpha3 = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True, strip_whitespace=True)
]
ShortCode = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$", to_lower=True, strip_whitespace=True)
]
ExpectedResultCode = Annotated[str, StringConstraints(pattern=r"^\d\.\d{1,2}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$", to_lower=True)]
Name = Annotated[Line, StringConstraints(max_length=200)]
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
ProjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
# A facet filter's value for the activities that do not state the field.
NotStated = Literal["none"]


class ActivitySummary(BaseModel):
    """An activity as a list row (and a CSV line): its facts, codes for its links."""

    id: int
    code: str | None
    version: int
    title_en: str | None
    title_zh: str | None
    type: ActivityType | None
    mode: ActivityMode | None
    start_date: date | None
    end_date: date | None
    venue_city: str | None
    host_country: str | None  # alpha-3
    beneficiaries: list[str]  # alpha-3 codes and group codes
    subject_areas: list[str]
    languages: list[str]
    organising_unit: str | None
    sector: str | None
    participants: int | None  # None: not stated (never 0 for unknown)
    participants_women: int | None
    participants_men: int | None
    funding_source: str | None
    demo: bool  # made by `devagenda demo generate`: not a real activity
    recommendations: list[int]
    projects: list[int]


class SourcedValue(BaseModel):
    """A value of a list-valued fact and where it is stated."""

    value: str
    source: Provenance | None


class ConsultantRef(BaseModel):
    """A consultant assigned to an activity (roster assignments): who, not their
    personal data."""

    id: int
    name: str  # in Latin script


class ActivityOut(ActivitySummary):
    """An activity with its texts in every language and the source of every fact."""

    titles: list[TextOut]
    descriptions: list[TextOut]
    partners: list[str]
    expected_results: list[str]
    project_refs: list[ProjectRef]
    fact_sources: dict[str, Provenance]  # a single-valued fact's column -> its source
    link_sources: dict[str, list[SourcedValue]]  # beneficiaries, subject_areas...
    consultants: list[ConsultantRef] = []  # from the roster's assignments to it


class ActivityFilter(BaseModel):
    """Which activities to list; every field narrows the list. The fields that are facets
    take `none` for the activities that do not state them."""

    year: NotStated | Year | None = Field(None, description="Started in this year.")
    since: date | None = Field(None, description="Ended (or started) on or after this day.")
    until: date | None = Field(None, description="Started on or before this day.")
    country: NotStated | Alpha3 | None = Field(
        None, description="Held in or for this country (alpha-3)."
    )
    region: NotStated | WipoRegion | None = Field(
        None, description="Held in or for a country of this WIPO region."
    )
    country_group: NotStated | DevelopmentStatus | None = Field(
        None, description="Held in or for a country of this group: ldc, developing, transition."
    )
    sector: NotStated | SectorCode | None = Field(None, description="WIPO sector code, e.g. RND.")
    organising_unit: NotStated | Name | None = Field(
        None, description="The organising division, exactly."
    )
    type: NotStated | ActivityType | None = None
    mode: NotStated | ActivityMode | None = None
    subject_area: NotStated | ShortCode | None = Field(
        None, description="IP subject area code, e.g. patents."
    )
    language: NotStated | LanguageCode | None = Field(
        None, description="Held in this language (ISO 639-1)."
    )
    recommendation: NotStated | RecommendationNumber | None = Field(
        None, description="Implements this DA recommendation (1-45)."
    )
    expected_result: NotStated | ExpectedResultCode | None = None
    project: NotStated | ProjectId | None = Field(None, description="Part of this DA project (id).")
    funding_source: NotStated | Name | None = Field(
        None, description="Funded by this source, exactly."
    )
    demo: bool | None = Field(
        None, description="true: only demo data (`devagenda demo generate`); false: only real."
    )


class ActivityEdit(EditBase):
    """A change to an activity: a field left out stays, null clears it, a list replaces
    the stored one (items that stay keep their source)."""

    code: Annotated[Line, StringConstraints(max_length=64)] | None = None
    titles: dict[Language2, TextIn] | None = None
    descriptions: dict[Language2, TextIn] | None = None
    type: ActivityType | None = None
    mode: ActivityMode | None = None
    organising_unit: Name | None = None
    sector: SectorCode | None = None
    start_date: date | None = None
    end_date: date | None = None
    venue_city: Name | None = None
    host_country: Alpha3 | None = None
    beneficiaries: list[ActorCode] | None = Field(
        None, max_length=300, description="Countries (alpha-3) and groups (codes)."
    )
    subject_areas: list[ShortCode] | None = Field(None, max_length=50)
    languages: list[LanguageCode] | None = Field(None, max_length=50)
    participants: Count | None = None
    participants_women: Count | None = None
    participants_men: Count | None = None
    funding_source: Name | None = None
    partners: list[Annotated[Line, StringConstraints(max_length=300)]] | None = Field(
        None, max_length=100
    )
    recommendations: list[RecommendationNumber] | None = Field(None, max_length=45)
    expected_results: list[ExpectedResultCode] | None = Field(None, max_length=50)
    projects: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=100)


class ActivityCreate(ActivityEdit):
    """A new activity: at least one title, and the source that states its facts."""

    titles: dict[Language2, TextIn] = Field(min_length=1)  # type: ignore[assignment]
    source: Line = Field(description=SOURCE_DESCRIPTION)  # type: ignore[assignment]


class AggregateBy(enum.StrEnum):
    """What activities are counted by, per year; `group` is the country group of the
    reference data (LDC, developing, transition, developed)."""

    REGION = "region"
    GROUP = "group"
    TYPE = "type"
    MODE = "mode"
    SECTOR = "sector"


class AggregateCount(BaseModel):
    year: int | None  # None: the activity states no start date
    value: str  # `none`: the activity does not state the field
    count: int


class ActivityAggregate(BaseModel):
    """Activities per year and per value of a field. An activity held for countries of
    two regions counts once under each, so the counts of a year may add up to more than
    its activities; `activities` says how many the figures rest on."""

    by: AggregateBy
    year: int | None = Field(description="The year asked for; null: every year.")
    activities: int = Field(description="The activities counted (of that year, if given).")
    not_stated: int = Field(description="Of those, the activities that do not state the field.")
    year_not_stated: int = Field(description="Of those, the activities with no start date.")
    demo: bool = Field(description="True: demo data was counted (and only demo data).")
    counts: list[AggregateCount]


class ReportFigure(BaseModel):
    """The annual report's IP-TAD figure: the activities of a year for developing
    countries, LDCs and countries in transition (each activity once)."""

    year: int
    activities: int = Field(description="Activities for at least one such country.")
    by_group: dict[str, int] = Field(description="Activities per group (ldc, developing...).")
    rests_on: int = Field(description="The activities of that year stored in all.")
    no_country: int = Field(description="Of those, the activities that name no country.")
    demo: bool = Field(description="True: demo data was counted (and only demo data).")


class YearCount(BaseModel):
    year: int | None  # None: no start date stated
    count: int


class CountryActivities(BaseModel):
    """The activities held in or for a country (host or beneficiary), per year."""

    country: str  # alpha-3
    total: int
    by_year: list[YearCount]
