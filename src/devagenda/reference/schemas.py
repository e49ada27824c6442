"""What the reference area returns to interfaces (CLI, API, web)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from devagenda.catalogue.schemas import ProjectRef, ProjectSummary, TextOut
from devagenda.core.schemas import Coverage
from devagenda.reference.models import (
    ActorGroup,
    Country,
    DevelopmentStatus,
    NameKind,
    WipoRegion,
)
from devagenda.reports.content_schemas import MentionOut


class CountryOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    alpha2: str
    alpha3: str
    m49: str
    name_en: str
    name_zh: str
    aliases: dict[str, list[str]]
    wipo_region: WipoRegion
    development_status: DevelopmentStatus
    status_as_of: str
    un_member: bool
    wipo_member: bool

    @classmethod
    def of(cls, country: Country) -> CountryOut:
        aliases: dict[str, list[str]] = {}
        for name in country.names:
            if name.kind is NameKind.ALIAS:
                aliases.setdefault(name.language, []).append(name.name)
        return cls(
            alpha2=country.alpha2,
            alpha3=country.alpha3,
            m49=country.m49,
            name_en=country.name("en"),
            name_zh=country.name("zh"),
            aliases=aliases,
            wipo_region=country.wipo_region,
            development_status=country.development_status,
            status_as_of=country.status_as_of.isoformat(),
            un_member=country.un_member,
            wipo_member=country.wipo_member,
        )


class GroupOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    kind: str
    name_en: str
    name_zh: str
    members: list[str]

    @classmethod
    def of(cls, group: ActorGroup) -> GroupOut:
        return cls(
            code=group.code,
            kind=group.kind,
            name_en=group.name("en"),
            name_zh=group.name("zh"),
            members=[country.alpha3 for country in group.members],
        )


class Candidate(BaseModel):
    key: str
    kind: str  # "country" or the kind of group
    name_en: str
    name_zh: str
    score: float


class Resolution(BaseModel):
    """The answer to "which country or group is this name?"."""

    query: str
    country: CountryOut | None = None
    group: GroupOut | None = None
    candidates: list[Candidate] = []

    @property
    def resolved(self) -> bool:
        return self.country is not None or self.group is not None


class ExpectedResultOut(BaseModel):
    code: str
    strategic_pillar: int
    title_zh: str | None
    title_en: str | None
    titles: list[TextOut]
    recommendations: list[int]  # linked to it in Annex I
    # recommendations whose expected results the loaded sources state (Annex I)
    recommendations_covered: Coverage


class SectorOut(BaseModel):
    code: str
    name_zh: str | None
    name_en: str | None
    valid_from: date | None
    valid_to: date | None
    report_order: int | None  # its chapter in the report
    projects: list[ProjectRef]
    projects_covered: Coverage  # projects whose sector the loaded sources state


class CountryDetail(CountryOut):
    """A country with what the knowledge base says about it: a delegate's one-stop view."""

    groups: list[str]  # codes of the groups it belongs to
    projects_benefiting: list[ProjectSummary]
    projects_proposed: list[ProjectSummary]  # proposed by the country itself
    mentions: list[MentionOut]


class GroupDetail(GroupOut):
    projects_benefiting: list[ProjectSummary]
    projects_proposed: list[ProjectSummary]
    mentions: list[MentionOut]


class CountryFilter(BaseModel):
    region: WipoRegion | None = None
    status: DevelopmentStatus | None = None
