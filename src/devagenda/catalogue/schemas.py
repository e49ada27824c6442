"""What the catalogue returns to interfaces (API, web, CLI), and the filters it accepts.

Output models are built from ORM records by the services; they carry provenance
(`Provenance`) wherever the knowledge base knows where a fact is stated.
"""

from __future__ import annotations

from datetime import date
from datetime import date as CalendarDate  # for fields named `date`
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from devagenda.catalogue.models import (
    DatePrecision,
    OutputKind,
    ProjectStatus,
    SessionFormat,
    StatementKind,
)
from devagenda.core.inputs import MAX_ID, Line, LongText, Url
from devagenda.core.models import TextStatus
from devagenda.core.schemas import Coverage, Provenance
from devagenda.reference.models import WipoRegion
from devagenda.reports.content_schemas import MentionOut


class TextOut(BaseModel):
    """One language's wording, whether it is the organization's own, and where it is from."""

    language: str
    text: str
    status: TextStatus
    source: Provenance | None = None


class ClusterRef(BaseModel):
    letter: str
    title_zh: str | None
    title_en: str | None


class ClusterOut(ClusterRef):
    first_recommendation: int
    last_recommendation: int
    recommendations: list[int]


class ExpectedResultRef(BaseModel):
    code: str
    title_zh: str | None
    title_en: str | None


class SectorRef(BaseModel):
    code: str
    name_zh: str | None
    name_en: str | None


class SessionRef(BaseModel):
    number: int
    start_date: date | None
    end_date: date | None


class DocumentRef(BaseModel):
    symbol: str
    title_zh: str | None
    title_en: str | None
    url: str | None


class ProjectRef(BaseModel):
    """A project named from another record (a recommendation, a country, a session)."""

    id: int
    code: str | None
    phase: int
    status: ProjectStatus  # the stage of its life
    states: list[ProjectStatus]  # every state that holds: the stage, and mainstreamed
    title_zh: str | None
    title_en: str | None


class RecommendationRef(BaseModel):
    number: int
    cluster: str
    text_zh: str | None
    text_en: str | None
    source: Provenance | None = None  # where a project's link to it is stated


class RecommendationOut(BaseModel):
    number: int
    cluster: ClusterRef
    immediate: bool  # adopted in 2007 for immediate implementation (starred in the report)
    text_zh: str | None
    text_en: str | None
    texts: list[TextOut]
    expected_results: list[ExpectedResultRef]
    projects: list[ProjectRef]  # the projects approved to implement it


class RecommendationDetail(RecommendationOut):
    """A recommendation with the places the ingested reports cite it."""

    version: int
    mentions: list[MentionOut]
    # projects whose recommendations the loaded sources state: `projects` rests on them
    projects_covered: Coverage


class ActorOut(BaseModel):
    """A proposer or beneficiary: a country (ISO alpha-3) or a group of states."""

    kind: str  # "country" or "group"
    key: str  # alpha-3 for a country, the group code for a group
    name_zh: str
    name_en: str
    name_as_printed: str | None
    source: Provenance | None = None


class StatusChangeOut(BaseModel):
    """A statement of the project's state: a change (`date` when the text dates it), the
    state at the end of `as_of_year` (`year_end`), or a state the report on `as_of_year`
    gives without a date (`reported`)."""

    id: int
    status: ProjectStatus
    kind: StatementKind
    date: date | None
    precision: DatePrecision | None
    as_of_year: int | None
    source: Provenance | None


class StatusConflictOut(BaseModel):
    """A narrative statement that the year-end state of its year does not reflect; the
    project shows the narrative's state."""

    narrative: StatusChangeOut
    year_end: StatusChangeOut


class OutputOut(BaseModel):
    kind: OutputKind
    title: str
    language: str | None
    url: str | None
    source: Provenance | None


class ProjectSummary(BaseModel):
    """A project in a list: flat, so that it also reads well as a CSV row."""

    id: int
    code: str | None
    phase: int
    predecessor_id: int | None
    status: ProjectStatus
    states: list[ProjectStatus]
    title_zh: str | None
    title_en: str | None
    sector: str | None
    approved_session: int | None
    approval_date: date | None
    recommendations: list[int]
    proposers: list[str]
    beneficiaries: list[str]


class ProjectOut(BaseModel):
    """Everything known about one project, with where each fact is stated. `version`
    counts its changes, its parts' included: the API sends it as the ETag."""

    id: int
    version: int
    code: str | None
    phase: int
    predecessor: ProjectRef | None
    successors: list[ProjectRef]
    status: ProjectStatus
    states: list[ProjectStatus]
    title_zh: str | None
    title_en: str | None
    titles: list[TextOut]
    status_history: list[StatusChangeOut]  # in the order of the years they are about
    status_conflicts: list[StatusConflictOut]
    approval_date: date | None
    approved_session: SessionRef | None
    sector: SectorRef | None
    start_date: date | None
    start_precision: DatePrecision | None
    end_date: date | None
    end_precision: DatePrecision | None
    proposers: list[ActorOut]
    beneficiaries: list[ActorOut]
    recommendations: list[RecommendationRef]
    outputs: list[OutputOut]
    documents: list[DocumentRef]
    budget_chf: Decimal | None = None
    # where single facts an import stated come from: code, approved_session, sector,
    # start_date, end_date, budget_chf
    fact_sources: dict[str, Provenance] = {}


class SessionOut(BaseModel):
    number: int
    version: int
    start_date: date | None
    end_date: date | None
    format: SessionFormat | None
    documents: list[str]  # symbols of the session's documents
    projects_approved: list[ProjectRef]
    source: Provenance | None


class DocumentOut(BaseModel):
    id: int
    version: int
    symbol: str
    session: int | None
    url: str | None
    language: str | None
    title_zh: str | None
    title_en: str | None
    titles: list[TextOut]
    projects: list[ProjectRef]
    cited_in: list[Provenance]  # the report paragraphs and footnotes that cite it


# -- filters -------------------------------------------------------------------------

ClusterLetter = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]$", to_upper=True, strip_whitespace=True)
]
ExpectedResultCode = Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.\d{1,2}$")]
SectorCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,16}$", to_upper=True, strip_whitespace=True)
]
ActorCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_]{2,32}$", to_upper=True, strip_whitespace=True)
]
MAX_SESSION = 10_000  # CDIP meets twice a year; bounds keep numbers in an SQL INTEGER
RecommendationNumber = Annotated[int, Field(ge=1, le=45)]
Year = Annotated[int, Field(ge=1900, le=2999)]


class RecommendationFilter(BaseModel):
    """Which recommendations to list; every field narrows the list."""

    cluster: ClusterLetter | None = Field(None, description="Cluster letter, A to F.")
    immediate: bool | None = Field(None, description="Adopted for immediate implementation.")
    expected_result: ExpectedResultCode | None = Field(
        None, description="Linked to this MTSP expected result in Annex I, e.g. 4.1."
    )


class ProjectFilter(BaseModel):
    """Which projects to list; every field narrows the list.

    Codes are normalized to upper case; a well-formed code that matches nothing gives an
    empty list, a malformed one is rejected.
    """

    status: ProjectStatus | None = Field(
        None,
        description="Holds this state now: a stage of its life, or `mainstreamed`, which a "
        "completed and evaluated project may also be.",
    )
    recommendation: RecommendationNumber | None = Field(
        None, description="Implements this recommendation (1-45)."
    )
    cluster: ClusterLetter | None = Field(
        None, description="Implements a recommendation of this cluster (A-F)."
    )
    expected_result: ExpectedResultCode | None = Field(
        None,
        description="Implements a recommendation that Annex I links to this expected result.",
    )
    sector: SectorCode | None = Field(None, description="Reported under this sector code.")
    proposer: ActorCode | None = Field(
        None, description="Proposed by this country (alpha-3) or group (code)."
    )
    beneficiary: ActorCode | None = Field(
        None, description="Benefits this country (alpha-3) or group (code)."
    )
    region: WipoRegion | None = Field(
        None, description="A beneficiary or proposing country is in this WIPO region."
    )
    session: int | None = Field(
        None, ge=1, le=MAX_SESSION, description="Approved at this CDIP session."
    )
    year: Year | None = Field(None, description="Approved in this year.")


class DocumentFilter(BaseModel):
    session: int | None = Field(
        None, ge=1, le=MAX_SESSION, description="Documents of this CDIP session."
    )


# -- edits: what the API and the web forms send to change a record -----------------------
#
# A field left out is left as it is; a field sent as null is cleared (the services read
# `model_fields_set`). A list replaces the stored list: items that stay keep their
# source, new items take the edit's. Every edit that states a fact names its `source`.

Language2 = Annotated[
    str, StringConstraints(pattern=r"^(ar|en|es|fr|ru|zh)$", strip_whitespace=True)
]
SOURCE_DESCRIPTION = (
    "Where the new or changed facts are stated: a document symbol (CDIP/31/4), a URL, or "
    "`editor` for the editor's own knowledge. Required whenever a fact changes."
)
MESSAGE_DESCRIPTION = "Why the change is made; shown in the change log."


class TextIn(BaseModel):
    """One language's wording, official or a translation made for devagenda."""

    model_config = ConfigDict(extra="forbid")

    text: LongText
    status: TextStatus = TextStatus.OFFICIAL


class OutputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: OutputKind
    title: Line
    language: Language2 | None = None
    url: Url | None = None


class EditBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Line | None = Field(None, description=SOURCE_DESCRIPTION)
    message: Line | None = Field(None, description=MESSAGE_DESCRIPTION)


class ProjectEdit(EditBase):
    """A change to a project's facts. Its statuses are changed one statement at a time
    (`StatusStatementIn`), since each has its own date and source."""

    code: Line | None = Field(None, description="WIPO's catalogue code, e.g. DA_1_10_12_40.")
    phase: int | None = Field(None, ge=1, le=20)
    predecessor: int | None = Field(None, ge=1, le=MAX_ID, description="Id of phase I.")
    titles: dict[Language2, TextIn] | None = Field(
        None, description="Titles by language; a language left out keeps its title."
    )
    approved_session: int | None = Field(None, ge=1, le=MAX_SESSION)
    sector: SectorCode | None = None
    start_date: date | None = None
    start_precision: DatePrecision | None = None
    end_date: date | None = None
    end_precision: DatePrecision | None = None
    recommendations: list[RecommendationNumber] | None = Field(None, max_length=45)
    proposers: list[ActorCode] | None = Field(
        None, max_length=300, description="Countries (alpha-3) and groups (codes)."
    )
    beneficiaries: list[ActorCode] | None = Field(None, max_length=300)
    budget_chf: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    outputs: list[OutputIn] | None = Field(None, max_length=200)
    documents: list[Annotated[Line, StringConstraints(max_length=64)]] | None = Field(
        None, max_length=200, description="Symbols of the project's documents."
    )


class ProjectCreate(ProjectEdit):
    """A new project: at least one title, and the source that states it."""

    titles: dict[Language2, TextIn] = Field(min_length=1)  # type: ignore[assignment]
    source: Line = Field(description=SOURCE_DESCRIPTION)  # type: ignore[assignment]


class StatusStatementIn(EditBase):
    """A statement of a project's state: a change on a date (`event`), the state at the
    end of `as_of_year` (`year_end`), or a state a report on `as_of_year` gives without a
    date (`reported`)."""

    status: ProjectStatus
    kind: StatementKind = StatementKind.EVENT
    date: CalendarDate | None = None
    precision: DatePrecision | None = Field(
        None, description="How precise the date is; by default, to the day."
    )
    as_of_year: Year | None = None
    source: Line = Field(description=SOURCE_DESCRIPTION)  # type: ignore[assignment]


class SessionEdit(EditBase):
    start_date: date | None = None
    end_date: date | None = None
    format: SessionFormat | None = None


class SessionCreate(SessionEdit):
    number: int = Field(ge=1, le=MAX_SESSION)


class DocumentEdit(EditBase):
    session: int | None = Field(None, ge=1, le=MAX_SESSION)
    url: Url | None = None
    language: Language2 | None = None
    titles: dict[Language2, TextIn] | None = None


class DocumentCreate(DocumentEdit):
    symbol: Annotated[Line, StringConstraints(max_length=64)]


class RecommendationEdit(EditBase):
    """New wordings of a recommendation: the official texts or translations of them."""

    texts: dict[Language2, TextIn] = Field(min_length=1)
