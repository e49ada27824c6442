"""The list pages of the UI, each described once as a `ListSpec` (devagenda.web.lists):
projects, recommendations, countries and CDIP sessions. A new list (activities, the
roster...) is one more function here and one line in `LISTS`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.coverage import project_coverage
from devagenda.catalogue.models import ProjectStatus
from devagenda.catalogue.schemas import (
    ProjectFilter,
    ProjectSummary,
    RecommendationFilter,
    RecommendationOut,
    SessionOut,
)
from devagenda.reference import services as reference
from devagenda.reference.models import DevelopmentStatus, WipoRegion
from devagenda.reference.schemas import CountryFilter, CountryOut
from devagenda.web.i18n import name_sort_key, pick_text
from devagenda.web.lists import NOT_STATED, Column, Facet, ListSpec
from devagenda.web.rendering import Page


def _or_not_stated(value: Any) -> list[Any]:
    return [NOT_STATED if value is None else value]


def _stated_last(order: Callable[[tuple[str, int]], Any]) -> Callable[[tuple[str, int]], Any]:
    return lambda pair: (pair[0] == NOT_STATED, order(pair))


def _enum_order(members: list[Any]) -> Callable[[tuple[str, int]], Any]:
    """Facet values in the enumeration's own order (the life of a project), not by count."""
    rank = {m.value: i for i, m in enumerate(members)}
    return lambda pair: (rank.get(pair[0], len(rank)), pair[0])


def _numeric_order(pair: tuple[str, int]) -> Any:
    return (int(pair[0]) if pair[0].isdigit() else 0, pair[0])


def projects_spec(page: Page, session: Session) -> ListSpec:
    t, language = page.t, page.language
    clusters = {c.letter: c for c in catalogue.cluster_listing(session).all()}
    cluster_of = {n: c.letter for c in clusters.values() for n in c.recommendations}
    # Sector names only label the sector facet: a download does not read them.
    sectors = functools.cache(lambda: {s.code: s for s in reference.sector_listing(session).all()})
    names = functools.cache(lambda: page.actor_names(session))  # only for filter labels
    status_rank = {status: i for i, status in enumerate(ProjectStatus)}

    def title(p: ProjectSummary) -> str:
        return pick_text(language, p.title_zh, p.title_en)

    def filter_label(name: str, value: str) -> str:
        labels = {
            "proposer": t("proposers"),
            "beneficiary": t("beneficiaries"),
            "region": t("region"),
            "expected_result": t("expected_result"),
            "year": t("approved_in"),
        }
        shown = t.label("region", value) if name == "region" else names().get(value, value)
        return f"{labels.get(name, name)}: {shown}"

    return ListSpec(
        path="/projects",
        title=t("projects_title"),
        item=ProjectSummary,
        listing=lambda filters: catalogue.project_listing(session, filters),  # type: ignore[arg-type]
        filter_model=ProjectFilter,
        filter_labels=filter_label,
        columns=(
            Column(
                "title", t("project"), "project_title", lambda p: name_sort_key(language, title(p))
            ),
            Column("status", t("status"), "project_status", lambda p: status_rank[p.status]),
            Column("session", t("session"), "project_session", lambda p: p.approved_session),
            Column("approval_date", t("approval_date"), "project_date", lambda p: p.approval_date),
            Column("recommendations", t("recommendations"), "project_recommendations"),
        ),
        facets=(
            Facet(
                "status",
                t("status"),
                lambda p: p.states,
                lambda v: t.label("status", v),
                _enum_order(list(ProjectStatus)),
            ),
            Facet(
                "cluster",
                t("cluster"),
                lambda p: {cluster_of[n] for n in p.recommendations if n in cluster_of},
                lambda v: f"{v}: {_cluster_title(clusters, v, language)}",
                lambda pair: pair[0],
            ),
            Facet(
                "recommendation",
                t("recommendation"),
                lambda p: p.recommendations,
                lambda v: t("recommendation_n", number=v),
                _numeric_order,
            ),
            Facet(
                "sector",
                t("sector"),
                lambda p: _or_not_stated(p.sector),
                lambda v: (
                    t("not_stated_short")
                    if v == NOT_STATED
                    else pick_text(language, *(_names(sectors()[v]) if v in sectors() else (v, v)))
                ),
                _stated_last(lambda pair: (-pair[1], pair[0])),
            ),
            Facet(
                "session",
                t("session"),
                lambda p: _or_not_stated(p.approved_session),
                lambda v: t("not_stated_short") if v == NOT_STATED else t("session_n", number=v),
                _stated_last(lambda pair: (-int(pair[0]) if pair[0].isdigit() else 0, pair[0])),
            ),
        ),
        default_sort="",
    )


def recommendations_spec(page: Page, session: Session) -> ListSpec:
    t, language = page.t, page.language
    clusters = {c.letter: c for c in catalogue.cluster_listing(session).all()}
    yes_no = {"true": t("yes"), "false": t("no")}
    links = project_coverage(session).recommendations
    return ListSpec(
        path="/recommendations",
        note="" if links.complete else t("basis_links", known=links.known, total=links.total),
        title=t("recommendations_title"),
        item=RecommendationOut,
        listing=lambda _filters: catalogue.recommendation_listing(session),
        filter_model=RecommendationFilter,
        columns=(
            Column("number", t("recommendation"), "recommendation_number", lambda r: r.number),
            Column("cluster", t("cluster"), "recommendation_cluster", lambda r: r.cluster.letter),
            Column("text", t("text"), "recommendation_text"),
            Column(
                "projects",
                t("projects_count") if links.complete else t("projects_known_column"),
                "recommendation_projects",
                lambda r: len(r.projects),
                numeric=True,
            ),
        ),
        facets=(
            Facet(
                "cluster",
                t("cluster"),
                lambda r: [r.cluster.letter],
                lambda v: f"{v}: {_cluster_title(clusters, v, language)}",
                lambda pair: pair[0],
            ),
            Facet(
                "immediate",
                t("immediate"),
                lambda r: ["true" if r.immediate else "false"],
                lambda v: yes_no.get(v, v),
                lambda pair: pair[0] != "true",
            ),
            Facet(
                "expected_result",
                t("expected_results"),
                lambda r: [e.code for e in r.expected_results],
                lambda v: t("expected_result_n", code=v),
                lambda pair: tuple(int(x) for x in pair[0].split(".") if x.isdigit()),
            ),
            Facet(
                "implemented",
                t("implemented_by_projects"),
                lambda r: ["true" if r.projects else "false"],
                lambda v: yes_no.get(v, v),
                lambda pair: pair[0] != "true",
            ),
        ),
        default_sort="number",
    )


def countries_spec(page: Page, session: Session) -> ListSpec:
    t, language = page.t, page.language

    def name(c: CountryOut) -> str:
        return c.name_zh if language == "zh" else c.name_en

    return ListSpec(
        path="/countries",
        title=t("countries_title"),
        item=CountryOut,
        listing=lambda _filters: reference.country_listing(session),
        filter_model=CountryFilter,
        columns=(
            Column(
                "name", t("country"), "country_name", lambda c: name_sort_key(language, name(c))
            ),
            Column("code", t("code"), "country_code", lambda c: c.alpha3),
            Column(
                "region", t("region"), "country_region", lambda c: t.label("region", c.wipo_region)
            ),
            Column(
                "status",
                t("development_status"),
                "country_status",
                lambda c: list(DevelopmentStatus).index(c.development_status),
            ),
        ),
        facets=(
            Facet(
                "region",
                t("region"),
                lambda c: [c.wipo_region],
                lambda v: t.label("region", v),
                _enum_order(list(WipoRegion)),
            ),
            Facet(
                "status",
                t("development_status"),
                lambda c: [c.development_status],
                lambda v: t.label("status", v),
                _enum_order(list(DevelopmentStatus)),
            ),
        ),
        default_sort="name",
    )


def sessions_spec(page: Page, session: Session) -> ListSpec:
    t = page.t

    def year(s: SessionOut) -> list[Any]:
        return _or_not_stated(s.start_date.year if s.start_date else None)

    def stated(label: Callable[[str], str]) -> Callable[[str], str]:
        return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

    return ListSpec(
        path="/sessions",
        title=t("sessions_title"),
        item=SessionOut,
        listing=lambda _filters: catalogue.cdip_session_listing(session),
        columns=(
            Column("number", t("session"), "session_number", lambda s: s.number),
            Column("dates", t("dates"), "session_dates", _start),
            Column("format", t("format"), "session_format", lambda s: _value(s.format)),
            Column(
                "projects",
                t("projects_approved"),
                "session_projects",
                lambda s: len(s.projects_approved),
                numeric=True,
            ),
            Column(
                "documents",
                t("documents"),
                "session_documents",
                lambda s: len(s.documents),
                numeric=True,
            ),
        ),
        facets=(
            Facet("year", t("year"), year, stated(str), _stated_last(lambda pair: pair[0])),
            Facet(
                "format",
                t("format"),
                lambda s: _or_not_stated(s.format),
                stated(lambda v: t.label("format", v)),
                _stated_last(lambda pair: (-pair[1], pair[0])),
            ),
        ),
        default_sort="-number",
    )


LISTS: dict[str, Callable[[Page, Session], ListSpec]] = {
    "projects": projects_spec,
    "recommendations": recommendations_spec,
    "countries": countries_spec,
    "sessions": sessions_spec,
}


def _start(s: SessionOut) -> date | None:
    return s.start_date


def _value(member: Any) -> str | None:
    return None if member is None else str(member.value)


def _names(record: Any) -> tuple[str | None, str | None]:
    return record.name_zh, record.name_en


def _cluster_title(clusters: dict[str, Any], letter: str, language: str) -> str:
    cluster = clusters.get(letter)
    return pick_text(language, cluster.title_zh, cluster.title_en) if cluster else letter
