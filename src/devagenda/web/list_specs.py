"""The list pages of the UI, each described once as a `ListSpec` (devagenda.web.lists):
projects, recommendations, countries, CDIP sessions and technical-assistance activities.
A new list (the roster...) is one more function here and one line in `LISTS`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, allowed
from devagenda.activities import importers as activity_codes
from devagenda.activities import services as activities
from devagenda.activities.models import ActivityMode
from devagenda.activities.schemas import ActivityFilter, ActivitySummary
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
    # Sector names only label the sector facet: a download does not read them.
    sectors = functools.cache(lambda: {s.code: s for s in reference.sector_listing(session).all()})
    names = functools.cache(lambda: page.actor_names(session))  # only for filter labels

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
        source=lambda filters: catalogue.project_source(session, filters, language),  # type: ignore[arg-type]
        filter_model=ProjectFilter,
        filter_labels=filter_label,
        columns=(
            Column(
                "title", t("project"), "project_title", functools.partial(name_sort_key, language)
            ),
            Column("status", t("status"), "project_status"),
            Column("session", t("session"), "project_session"),
            Column("approval_date", t("approval_date"), "project_date"),
            Column("recommendations", t("recommendations"), "project_recommendations"),
        ),
        facets=(
            Facet(
                "status",
                t("status"),
                lambda v: t.label("status", v),
                _enum_order(list(ProjectStatus)),
            ),
            Facet(
                "cluster",
                t("cluster"),
                lambda v: f"{v}: {_cluster_title(clusters, v, language)}",
                lambda pair: pair[0],
            ),
            Facet(
                "recommendation",
                t("recommendation"),
                lambda v: t("recommendation_n", number=v),
                _numeric_order,
            ),
            Facet(
                "sector",
                t("sector"),
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
        source=lambda _filters: catalogue.recommendation_source(session),
        filter_model=RecommendationFilter,
        columns=(
            Column("number", t("recommendation"), "recommendation_number"),
            Column("cluster", t("cluster"), "recommendation_cluster"),
            Column("text", t("text"), "recommendation_text"),
            Column(
                "projects",
                t("projects_count") if links.complete else t("projects_known_column"),
                "recommendation_projects",
                numeric=True,
            ),
        ),
        facets=(
            Facet(
                "cluster",
                t("cluster"),
                lambda v: f"{v}: {_cluster_title(clusters, v, language)}",
                lambda pair: pair[0],
            ),
            Facet(
                "immediate",
                t("immediate"),
                lambda v: yes_no.get(v, v),
                lambda pair: pair[0] != "true",
            ),
            Facet(
                "expected_result",
                t("expected_results"),
                lambda v: t("expected_result_n", code=v),
                lambda pair: tuple(int(x) for x in pair[0].split(".") if x.isdigit()),
            ),
            Facet(
                "implemented",
                t("implemented_by_projects"),
                lambda v: yes_no.get(v, v),
                lambda pair: pair[0] != "true",
            ),
        ),
        default_sort="number",
    )


def countries_spec(page: Page, session: Session) -> ListSpec:
    t, language = page.t, page.language
    return ListSpec(
        path="/countries",
        title=t("countries_title"),
        item=CountryOut,
        source=lambda _filters: reference.country_source(session, None, language),
        filter_model=CountryFilter,
        columns=(
            Column(
                "name", t("country"), "country_name", functools.partial(name_sort_key, language)
            ),
            Column("code", t("code"), "country_code"),
            Column("region", t("region"), "country_region", lambda v: t.label("region", v)),
            Column("status", t("development_status"), "country_status"),
        ),
        facets=(
            Facet(
                "region",
                t("region"),
                lambda v: t.label("region", v),
                _enum_order(list(WipoRegion)),
            ),
            Facet(
                "status",
                t("development_status"),
                lambda v: t.label("status", v),
                _enum_order(list(DevelopmentStatus)),
            ),
        ),
        default_sort="name",
    )


def sessions_spec(page: Page, session: Session) -> ListSpec:
    t = page.t

    def stated(label: Callable[[str], str]) -> Callable[[str], str]:
        return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

    return ListSpec(
        path="/sessions",
        title=t("sessions_title"),
        item=SessionOut,
        source=lambda _filters: catalogue.cdip_session_source(session),
        columns=(
            Column("number", t("session"), "session_number"),
            Column("dates", t("dates"), "session_dates"),
            Column("format", t("format"), "session_format"),
            Column("projects", t("projects_approved"), "session_projects", numeric=True),
            Column("documents", t("documents"), "session_documents", numeric=True),
        ),
        facets=(
            Facet("year", t("year"), stated(str), _stated_last(lambda pair: pair[0])),
            Facet(
                "format",
                t("format"),
                stated(lambda v: t.label("format", v)),
                _stated_last(lambda pair: (-pair[1], pair[0])),
            ),
        ),
        default_sort="-number",
    )


def activities_spec(page: Page, session: Session) -> ListSpec:
    """Every facet of the activities list, each value in the page language and "not
    stated" last, with its count; names are read for the page only, never for a
    download."""
    t, language = page.t, page.language
    sectors = functools.cache(lambda: {s.code: s for s in reference.sector_listing(session).all()})
    names = functools.cache(lambda: page.actor_names(session))
    groups = functools.cache(lambda: {g.code for g in reference.group_listing(session).all()})
    projects = functools.cache(
        lambda: {
            str(p.id): pick_text(language, p.title_zh, p.title_en)
            for p in catalogue.project_listing(session).all()
        }
    )
    areas = activity_codes.subject_areas()
    spoken = activity_codes.languages()

    def stated(label: Callable[[str], str]) -> Callable[[str], str]:
        return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

    def code_name(codes: dict[str, Any]) -> Callable[[str], str]:
        return lambda v: (
            pick_text(language, codes[v].name_zh, codes[v].name_en) if v in codes else v
        )

    def sector_name(code: str) -> str:
        found = sectors().get(code)
        return pick_text(language, found.name_zh, found.name_en) if found else code

    by_count = _stated_last(lambda pair: (-pair[1], pair[0]))

    def facet(name: str, label: Callable[[str], str], order: Any = by_count) -> Facet:
        return Facet(name, t(f"activity_facet_{name}"), stated(label), order)

    def filter_label(name: str, value: str) -> str:
        if name == "demo":
            return t.label("demo", value)
        return f"{t(f'activity_filter_{name}')}: {value}"

    return ListSpec(
        path="/activities",
        title=t("activities_title"),
        item=ActivitySummary,
        source=lambda filters: activities.activity_source(session, filters),  # type: ignore[arg-type]
        filter_model=ActivityFilter,
        filter_labels=filter_label,
        columns=(
            Column("title", t("activity"), "activity_title"),
            Column("start_date", t("dates"), "activity_dates"),
            Column("type", t("activity_facet_type"), "activity_type"),
            Column("mode", t("activity_facet_mode"), "activity_mode"),
            Column("countries", t("activity_countries"), "activity_countries"),
            Column(
                "participants", t("activity_participants"), "activity_participants", numeric=True
            ),
        ),
        facets=(
            facet(
                "year", str, _stated_last(lambda pair: (-int(pair[0]) if pair[0].isdigit() else 0,))
            ),
            facet("country", lambda v: names().get(v, v)),
            facet(
                "region",
                lambda v: t.label("region", v),
                _stated_last(_enum_order(list(WipoRegion))),
            ),
            facet(
                "country_group",
                lambda v: t.label("status", v),
                _stated_last(_enum_order(list(DevelopmentStatus))),
            ),
            facet("type", lambda v: t.label("activity_type", v)),
            facet(
                "mode",
                lambda v: t.label("activity_mode", v),
                _stated_last(_enum_order(list(ActivityMode))),
            ),
            facet("subject_area", code_name(areas)),
            facet("sector", sector_name),
            facet("organising_unit", str),
            facet("language", code_name(spoken)),
            facet("funding_source", str),
            facet(
                "recommendation",
                lambda v: t("recommendation_n", number=v),
                _stated_last(_numeric_order),
            ),
            facet("expected_result", lambda v: t("expected_result_n", code=v)),
            facet("project", lambda v: projects().get(v) or t("project_n", id=v)),
            Facet("demo", t("demo"), lambda v: t.label("demo", v), by_count),
        ),
        default_sort="-start_date",
        file_name="activities",
        extras=lambda: {
            "actor_names": names(),
            "group_codes": groups(),
            # a focal point may create activities for their own countries
            "may_create": allowed(
                Action.EDIT_RECORD, countries=page.viewer.countries, actor=page.viewer
            ),
        },
    )


def consultants_spec(page: Page, session: Session) -> ListSpec:
    """The roster: personal columns and facets (gender, nationality) only for those who
    may read personal data; the service decides what the rows and downloads hold."""
    from devagenda.activities.importers import languages, subject_areas
    from devagenda.roster import services as roster
    from devagenda.roster.schemas import (
        ConsultantFilter,
        ConsultantPersonalSummary,
        ConsultantSummary,
    )

    t, language = page.t, page.language
    names = functools.cache(lambda: page.actor_names(session))
    personal = roster.personal_data_allowed()

    def stated(label: Callable[[str], str]) -> Callable[[str], str]:
        return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

    def coded(codes: dict[str, Any]) -> Callable[[str], str]:
        return stated(
            lambda v: pick_text(language, codes[v].name_zh, codes[v].name_en) if v in codes else v
        )

    country = stated(lambda v: names().get(v, v))
    by_count = _stated_last(lambda pair: (-pair[1], pair[0]))
    facets = [
        Facet("ip_field", t("roster_fields"), coded(subject_areas()), by_count),
        Facet("language", t("roster_languages"), coded(languages()), by_count),
        Facet("beneficiary_country", t("roster_countries"), country, by_count),
        Facet(
            "assignment_year",
            t("roster_years"),
            stated(str),
            _stated_last(lambda pair: (-int(pair[0]) if pair[0].isdigit() else 0, pair[0])),
        ),
        Facet("demo", t("demo"), lambda v: t.label("demo", v), by_count),
    ]
    columns = [
        Column("name", t("roster_name"), "consultant_name"),
        Column("code", t("code"), "consultant_code"),
        Column("ip_fields", t("roster_fields"), "consultant_fields"),
        Column("languages", t("roster_languages"), "consultant_languages"),
        Column("assignment_years", t("roster_years"), "consultant_years"),
    ]
    if personal:
        facets += [
            Facet("gender", t("roster_gender"), stated(lambda v: t.label("roster_gender", v))),
            Facet("nationality", t("roster_nationality"), country, by_count),
        ]
        columns += [
            Column("gender", t("roster_gender"), "consultant_gender"),
            Column("nationalities", t("roster_nationality"), "consultant_nationalities"),
        ]

    return ListSpec(
        path="/consultants",
        title=t("roster_title"),
        item=ConsultantPersonalSummary if personal else ConsultantSummary,
        source=lambda filters: roster.consultant_source(session, filters),  # type: ignore[arg-type]
        filter_model=ConsultantFilter,
        filter_labels=lambda name, value: (
            f"{t('roster_name')}: {value}" if name == "name" else value
        ),
        columns=tuple(columns),
        facets=tuple(facets),
        # A name ranks by likeness unless the reader sorts by a column.
        default_sort="match" if page.request.query_params.get("name", "").strip() else "",
        note=t("roster_personal_note"),
    )


def match_posts_spec(side: str) -> Callable[[Page, Session], ListSpec]:
    """The needs (or the offers) of matchmaking, with every facet of the service's list;
    "not stated" last in each."""
    from devagenda.match import services as match
    from devagenda.match.models import GreenCategory, OwnerType, Side, Support
    from devagenda.match.schemas import PostFilter, PostSummary

    def build(page: Page, session: Session) -> ListSpec:
        t, language = page.t, page.language
        names = functools.cache(lambda: page.actor_names(session))
        areas, spoken = activity_codes.subject_areas(), activity_codes.languages()

        def stated(label: Callable[[str], str]) -> Callable[[str], str]:
            return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

        def coded(codes: dict[str, Any]) -> Callable[[str], str]:
            return stated(
                lambda v: (
                    pick_text(language, codes[v].name_zh, codes[v].name_en) if v in codes else v
                )
            )

        by_count = _stated_last(lambda pair: (-pair[1], pair[0]))
        return ListSpec(
            path=f"/match/{side}s",
            title=t(f"match_{side}s_title"),
            item=PostSummary,
            source=lambda filters: match.post_source(session, Side(side), filters),  # type: ignore[arg-type]
            filter_model=PostFilter,
            columns=(
                Column("title", t("match_post"), "match_post_title"),
                Column("key", t("match_key"), "match_post_key"),
                Column("owner", t("match_owner"), "match_post_owner"),
                Column("countries", t("match_countries"), "match_post_countries"),
                Column("support", t("match_support"), "match_post_support"),
                Column("valid_until", t("match_valid_until"), "match_post_valid_until"),
            ),
            facets=(
                Facet(
                    "support",
                    t("match_support"),
                    stated(lambda v: t.label("match_support", v)),
                    _stated_last(_enum_order(list(Support))),
                ),
                Facet(
                    "green_category",
                    t("match_green_category"),
                    stated(lambda v: t.label("match_green", v)),
                    _stated_last(_enum_order(list(GreenCategory))),
                ),
                Facet(
                    "owner_type",
                    t("match_owner_type"),
                    stated(lambda v: t.label("match_owner", v)),
                    _stated_last(_enum_order(list(OwnerType))),
                ),
                Facet(
                    "country", t("match_countries"), stated(lambda v: names().get(v, v)), by_count
                ),
                Facet("ip_field", t("match_fields"), coded(areas), by_count),
                Facet("language", t("match_languages"), coded(spoken), by_count),
            ),
            default_sort="key",
            file_name=f"match-{side}s",
            extras=lambda: {"actor_names": names()},
        )

    return build


LISTS: dict[str, Callable[[Page, Session], ListSpec]] = {
    "consultants": consultants_spec,
    "projects": projects_spec,
    "recommendations": recommendations_spec,
    "countries": countries_spec,
    "sessions": sessions_spec,
    "activities": activities_spec,
    "match/needs": match_posts_spec("need"),
    "match/offers": match_posts_spec("offer"),
}


def _names(record: Any) -> tuple[str | None, str | None]:
    return record.name_zh, record.name_en


def _cluster_title(clusters: dict[str, Any], letter: str, language: str) -> str:
    cluster = clusters.get(letter)
    return pick_text(language, cluster.title_zh, cluster.title_en) if cluster else letter
