"""What the roster reads and writes. Each output comes in two forms: the public one,
without personal data, and the personal one (gender, nationalities, contact details)
for those allowed to read personal data; the service chooses, never the interface."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from devagenda.activities.schemas import Alpha3, LanguageCode, NotStated, ShortCode, SourcedValue
from devagenda.catalogue.schemas import SOURCE_DESCRIPTION, EditBase, Year
from devagenda.core.inputs import MAX_ID, Line
from devagenda.core.schemas import Provenance
from devagenda.roster.models import Gender

Name = Annotated[Line, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$", max_length=320)
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()./\-]{5,40}$")]
Task = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]


class AssignmentOut(BaseModel):
    """An assignment: its year (None: not stated), countries, activity and task."""

    id: int
    year: int | None
    countries: list[str]  # alpha-3
    activity_id: int | None
    activity_code: str | None
    activity_title: str | None
    task: str | None
    source: Provenance | None


class ConsultantSummary(BaseModel):
    """A consultant as the public sees a list row (and a CSV line): no personal data."""

    id: int
    code: str | None
    version: int
    demo: bool  # generated demonstration data, not a real person
    name_latin: str
    name_own: str | None
    languages: list[str]
    ip_fields: list[str]
    assignment_years: list[int]
    beneficiary_countries: list[str]  # of the assignments, alpha-3


class PersonalFacts(BaseModel):
    """The personal data of a consultant, for editors and administrators only."""

    gender: Gender | None  # None: not stated
    nationalities: list[str]
    email: str | None
    phone: str | None
    address: str | None


class ConsultantPersonalSummary(PersonalFacts, ConsultantSummary):
    """A list row with the personal data."""


class ConsultantOut(ConsultantSummary):
    """A consultant with their assignments and the source of every fact shown."""

    assignments: list[AssignmentOut]
    fact_sources: dict[str, Provenance]
    link_sources: dict[str, list[SourcedValue]]  # languages, ip_fields (nationalities)


class ConsultantPersonalOut(PersonalFacts, ConsultantOut):
    """The detail with the personal data."""


class ConsultantFilter(BaseModel):
    """Which consultants to list; every field narrows the list. The facets take `none`
    for the consultants that do not state them. `gender` and `nationality` are personal
    data: filtering by them needs the right to read it (editors and administrators)."""

    gender: NotStated | Gender | None = Field(None, description="Personal data: editors only.")
    nationality: NotStated | Alpha3 | None = Field(
        None, description="A nationality (alpha-3); personal data: editors only."
    )
    language: NotStated | LanguageCode | None = Field(
        None, description="Works in this language (ISO 639-1)."
    )
    ip_field: NotStated | ShortCode | None = Field(
        None, description="IP field of expertise (subject area code, e.g. patents)."
    )
    beneficiary_country: NotStated | Alpha3 | None = Field(
        None, description="Had an assignment for this country (alpha-3)."
    )
    assignment_year: NotStated | Year | None = Field(
        None, description="Had an assignment in this year."
    )
    demo: bool | None = Field(None, description="Demonstration data (true) or real (false).")
    name: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] | None = Field(
        None,
        description="Fuzzy name match across scripts and romanisations (Wang Xiaoming, "
        "王小明, wang xiao ming); ranked by likeness unless another sort is asked for.",
    )


class AssignmentIn(BaseModel):
    year: Year | None = None
    countries: list[Alpha3] = Field(default_factory=list, max_length=200)
    activity: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="The activity's id."
    )
    task: Task | None = None


class ConsultantEdit(EditBase):
    """A change to a consultant: a field left out stays, null clears it, a list
    replaces the stored one (items that stay keep their source)."""

    code: Annotated[Line, StringConstraints(max_length=64)] | None = None
    name_latin: Name | None = None
    name_own: Name | None = None
    gender: Gender | None = None
    nationalities: list[Alpha3] | None = Field(None, max_length=10)
    languages: list[LanguageCode] | None = Field(None, max_length=50)
    ip_fields: list[ShortCode] | None = Field(None, max_length=50)
    email: Email | None = None
    phone: Phone | None = None
    address: Annotated[Line, StringConstraints(max_length=1000)] | None = None
    assignments: list[AssignmentIn] | None = Field(None, max_length=500)


class ConsultantCreate(ConsultantEdit):
    """A new consultant: a name in Latin script, and the source that states the facts."""

    name_latin: Name  # type: ignore[assignment]
    source: Line = Field(description=SOURCE_DESCRIPTION)  # type: ignore[assignment]


class Cell(BaseModel):
    """One count of an aggregate. A count under the threshold is not published:
    `count` is None and `suppressed` true ("fewer than 5")."""

    value: str
    count: int | None
    suppressed: bool = False


class YearFigure(BaseModel):
    """Consultants with at least one assignment in `year`, and the assignment records
    the figure rests on."""

    year: int
    consultants: int
    assignments: int


class AssignmentFigures(BaseModel):
    """ "Consultants with assignments in a year", per year, with what it leaves out."""

    years: list[YearFigure]
    assignments: int  # every assignment record
    assignments_year_not_stated: int  # records no year can be counted for


class ConsultantAggregates(BaseModel):
    """Counts the public may see, with small cells suppressed (rule: `rule`)."""

    year: int | None  # only consultants with an assignment in this year; None: all
    consultants: int  # how many consultants the counts rest on
    threshold: int
    rule: str
    by_gender: list[Cell]
    by_region: list[Cell]  # WIPO region of nationality; a person with two counts in both
    by_ip_field: list[Cell]
    with_assignments: AssignmentFigures
    demo: bool = Field(description="True: demo data was counted (and only demo data).")
