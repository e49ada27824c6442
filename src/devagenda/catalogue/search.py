"""What the catalogue puts in the search index: recommendations, projects and documents."""

from __future__ import annotations

from sqlalchemy.orm import Session, selectinload

from devagenda.catalogue.models import (
    Document,
    DocumentTitle,
    Project,
    ProjectBeneficiary,
    ProjectProposer,
    ProjectStatus,
    ProjectStatusChange,
    ProjectTitle,
    Recommendation,
    RecommendationText,
)
from devagenda.search.registry import NO_LANGUAGE, EntryData, Indexer, part_of, register

RECOMMENDATION_TITLE = {"zh": "建议{number}", "en": "Recommendation {number}"}
# How reports name a recommendation, for cross-language queries ("第12项建议").
RECOMMENDATION_NAMES = {
    "zh": ("建议{number}", "第{number}项建议", "发展议程建议{number}"),
    "en": ("Recommendation {number}", "DA Recommendation {number}"),
}


def recommendation_entries(_session: Session, recommendation: Recommendation) -> list[EntryData]:
    """One entry per language; the status facet marks the 19 for immediate implementation."""
    return [
        EntryData(
            language=text.language,
            title=RECOMMENDATION_TITLE.get(text.language, RECOMMENDATION_TITLE["en"]).format(
                number=recommendation.number
            ),
            body=text.text,
            url=f"/recommendations/{recommendation.number}",
            status="immediate" if recommendation.immediate else None,
            cluster=recommendation.cluster_letter,
            names=tuple(
                name.format(number=recommendation.number)
                for name in RECOMMENDATION_NAMES.get(text.language, ())
            ),
        )
        for text in recommendation.texts
    ]


def project_entries(_session: Session, project: Project) -> list[EntryData]:
    """One entry per language of the title; the body names the code and the countries or
    groups that proposed it and benefit from it, in that language."""
    countries = tuple(b.country_alpha3 for b in project.beneficiaries if b.country_alpha3)
    return [
        EntryData(
            language=title.language,
            title=title.text,
            body=_project_body(project, title.language),
            url=f"/projects/{project.id}",
            status=project.status.value,
            sector=project.sector_code,
            year=approval_year(project),
            countries=countries,
            names=(title.text,),
        )
        for title in project.texts
    ]


def _project_body(project: Project, language: str) -> str:
    actors = [_actor_name(link, language) for link in (*project.proposers, *project.beneficiaries)]
    return "\n".join(dict.fromkeys(part for part in (project.code, *actors) if part))


def _actor_name(link: ProjectProposer | ProjectBeneficiary, language: str) -> str:
    if link.country is not None:
        return link.country.name(language)
    if link.group is not None:
        return link.group.name(language)
    return link.name_as_printed or ""


def approval_year(project: Project) -> int | None:
    """The year the CDIP approved the project: from its status history, else its session."""
    for change in project.status_history:
        if change.status is ProjectStatus.APPROVED and change.on_date is not None:
            return change.on_date.year
    session = project.approved_session
    if session is not None and session.start_date is not None:
        return session.start_date.year
    return None


def document_entries(_session: Session, document: Document) -> list[EntryData]:
    """One entry per language of the title; a document known only by its symbol still gets
    one, in no language, so that the symbol can be found."""
    cdip = document.session
    year = cdip.start_date.year if cdip and cdip.start_date else None
    titles = [(t.language, f"{document.symbol} {t.text}") for t in document.texts]
    return [
        EntryData(
            language=language, title=title, body="", url=f"/documents/{document.id}", year=year
        )
        for language, title in titles or [(NO_LANGUAGE, document.symbol)]
    ]


register(
    Indexer(
        kind="recommendation",
        model=Recommendation,
        build=recommendation_entries,
        parts={RecommendationText: part_of(Recommendation, lambda t: t.recommendation_number)},
    )
)
register(
    Indexer(
        kind="project",
        model=Project,
        build=project_entries,
        parts={
            ProjectTitle: part_of(Project, lambda t: t.project_id),
            ProjectProposer: part_of(Project, lambda p: p.project_id),
            ProjectBeneficiary: part_of(Project, lambda b: b.project_id),
            ProjectStatusChange: part_of(Project, lambda c: c.project_id),
        },
        options=(
            selectinload(Project.proposers),
            selectinload(Project.beneficiaries),
            selectinload(Project.status_history),
            selectinload(Project.approved_session),
        ),
    )
)
register(
    Indexer(
        kind="document",
        model=Document,
        build=document_entries,
        parts={DocumentTitle: part_of(Document, lambda t: t.document_id)},
    )
)
