"""What the reference area returns to interfaces (CLI, API, web).

A country, a group and a name's resolution are declared with the rules that resolve names
(`devagenda.reference.resolution`), which the command line uses without SQLAlchemy.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from devagenda.catalogue.schemas import ProjectRef, ProjectSummary, TextOut
from devagenda.core.schemas import Coverage
from devagenda.reference.codes import DevelopmentStatus, WipoRegion
from devagenda.reference.resolution import CountryOut, GroupOut
from devagenda.reports.content_schemas import MentionOut


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
