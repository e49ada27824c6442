"""How much the loaded sources state about the projects and recommendations.

A report states some facts for some projects only: the 2023 report gives recommendation
links for the 7 projects approved that year. A count that reads an empty list as "none"
turns missing data into a claim ("26 recommendations are implemented by no project").
Every figure built from a fact therefore carries the coverage it rests on: how many
records state the fact, of how many. Only a complete coverage makes a zero a "none".
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import Session

from devagenda.catalogue.models import (
    Project,
    ProjectBeneficiary,
    ProjectBudget,
    ProjectOutput,
    ProjectProposer,
    ProjectRecommendation,
    Recommendation,
    RecommendationExpectedResult,
)
from devagenda.catalogue.services import _approval_date_sql
from devagenda.core.schemas import Coverage


class ProjectCoverage(BaseModel):
    """For each kind of project fact, how many projects the loaded sources state it for."""

    projects: int
    recommendations: Coverage
    approved_session: Coverage
    approval_date: Coverage
    sector: Coverage
    dates: Coverage
    proposers: Coverage
    beneficiaries: Coverage
    budget: Coverage
    outputs: Coverage
    code: Coverage


class RecommendationCoverage(BaseModel):
    """How many recommendations the loaded Annex I links to expected results."""

    recommendations: int
    expected_results: Coverage


class KnowledgeCoverage(BaseModel):
    projects: ProjectCoverage
    recommendations: RecommendationCoverage


def project_coverage(session: Session) -> ProjectCoverage:
    """Counted in SQL, one query per fact: cheap at any catalogue size."""
    total = session.scalar(select(func.count()).select_from(Project)) or 0

    def linked(column: ColumnElement[int]) -> Coverage:
        known = session.scalar(select(func.count(distinct(column)))) or 0
        return Coverage(known=known, total=total)

    def stated(condition: ColumnElement[bool]) -> Coverage:
        known = session.scalar(select(func.count()).select_from(Project).where(condition)) or 0
        return Coverage(known=known, total=total)

    return ProjectCoverage(
        projects=total,
        recommendations=linked(ProjectRecommendation.project_id),
        approved_session=stated(Project.approved_session_number.is_not(None)),
        approval_date=stated(_approval_date_sql().is_not(None)),
        sector=stated(Project.sector_code.is_not(None)),
        dates=stated(Project.start_date.is_not(None) | Project.end_date.is_not(None)),
        proposers=linked(ProjectProposer.project_id),
        beneficiaries=linked(ProjectBeneficiary.project_id),
        budget=linked(ProjectBudget.project_id),
        outputs=linked(ProjectOutput.project_id),
        code=stated(Project.code.is_not(None)),
    )


def recommendation_coverage(session: Session) -> RecommendationCoverage:
    total = session.scalar(select(func.count()).select_from(Recommendation)) or 0
    known = (
        session.scalar(
            select(func.count(distinct(RecommendationExpectedResult.recommendation_number)))
        )
        or 0
    )
    return RecommendationCoverage(
        recommendations=total, expected_results=Coverage(known=known, total=total)
    )


def knowledge_coverage(session: Session) -> KnowledgeCoverage:
    return KnowledgeCoverage(
        projects=project_coverage(session), recommendations=recommendation_coverage(session)
    )
