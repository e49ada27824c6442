"""The matchmaking pages (WIPO Match, WIPO GREEN): what it is with the counts the report
quotes, one need or offer with its suggestions and their reasons in the page language.
The lists of needs and offers are shared list pages (web/list_specs.py). Every read goes
through devagenda.match, which decides, among other things, who sees a contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from devagenda.activities import importers as activity_codes
from devagenda.api.params import StrictQuery
from devagenda.core.listing import Selection
from devagenda.match import services
from devagenda.match.connections import (
    NOT_STATED,
    ConnectionCounts,
    connection_counts,
    connections_for,
)
from devagenda.match.models import Side
from devagenda.match.schemas import PostSummary
from devagenda.match.suggestions import Reasons, Suggestion, suggest
from devagenda.web.csrf import CsrfChecked
from devagenda.web.i18n import Messages, pick_text
from devagenda.web.routes import Db, PageOf, PageRoute

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)
PostKey = Annotated[str, Path(pattern=r"^[\w.:\-]{1,64}$")]
SUGGESTIONS = 10
COUNTRY_POSTS = 5  # the posts a country page lists of each side; the list links to all


@dataclass(frozen=True)
class CountRow:
    label: str
    matchmakings: int
    connections: int


@dataclass(frozen=True)
class ShownSuggestion:
    suggestion: Suggestion
    shared_fields: list[str]
    matching_terms: list[str]
    constraints: list[str]


def count_tables(counts: ConnectionCounts, t: Messages) -> list[tuple[str, list[CountRow]]]:
    """The counts by year, region and dataset, labelled in the page language."""

    def label(kind: str, group: str) -> str:
        if group == NOT_STATED:
            return t("not_stated_short")
        if kind == "region":
            return t.label("region", group)
        if kind == "dataset":
            return t(f"match_dataset_{group}")
        return group

    tables = []
    for kind in ("year", "region", "dataset"):
        groups: dict[str, dict[str, int]] = getattr(counts, f"by_{kind}")
        rows = [
            CountRow(label(kind, group), numbers["matchmakings"], numbers["connections"])
            for group, numbers in groups.items()
        ]
        tables.append((t(f"match_by_{kind}"), rows))
    return tables


@router.get("/match")
def match_home(page: PageOf, session: Db) -> Response:
    counts = connection_counts(session)
    return page.render(
        "match/home.html",
        counts=counts,
        tables=count_tables(counts, page.t),
        may_post=services.can_post(),
    )


def _code_names(codes: dict[str, Any], language: str) -> dict[str, str]:
    return {code: pick_text(language, c.name_zh, c.name_en) for code, c in codes.items()}


def reason_labels(
    reasons: Reasons, t: Messages, names: dict[str, str], fields: dict[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """A suggestion's reasons as readable labels in the page language: field names, the
    glossary term in the page's language, and each constraint in words. The service
    states constraints as "name: value, value" (match.suggestions.reasons)."""
    spoken = _code_names(activity_codes.languages(), t.language)
    shared = [fields.get(code, code) for code in reasons.shared_fields]
    terms = []
    for term in reasons.matching_terms:
        zh, _, en = term.partition(" / ")
        terms.append((zh if t.language == "zh" else en) or term)
    joiner = "、" if t.language == "zh" else ", "
    constraints = []
    for constraint in reasons.constraints:
        name, _, value = constraint.partition(": ")
        values = [v.strip() for v in value.split(",") if v.strip()]
        if value == NOT_STATED:
            key = {"kind of support": "support", "countries": "countries"}.get(name, "languages")
            constraints.append(t(f"match_constraint_{key}_open"))
        elif name == "kind of support":
            constraints.append(t("match_constraint_support", value=t.label("match_support", value)))
        elif name == "country":
            shown = joiner.join(names.get(v, v) for v in values)
            constraints.append(t("match_constraint_country", value=shown))
        elif name == "region":
            shown = joiner.join(t.label("region", v) for v in values)
            constraints.append(t("match_constraint_region", value=shown))
        elif name == "language":
            shown = joiner.join(spoken.get(v, v) for v in values)
            constraints.append(t("match_constraint_language", value=shown))
        else:  # a constraint this page does not know yet shows as the service says it
            constraints.append(constraint)
    return shared, terms, constraints


def shown_suggestions(session: Session, page: PageOf, key: str) -> list[ShownSuggestion]:
    names = page.actor_names(session)
    fields = _code_names(activity_codes.subject_areas(), page.language)
    return [
        ShownSuggestion(found, *reason_labels(found.reasons, page.t, names, fields))
        for found in suggest(session, key, limit=SUGGESTIONS)
    ]


def post_context(session: Session, page: PageOf, key: str) -> dict[str, Any]:
    """What the post's page shows: the post (its contact only if the service gives it),
    the names of its codes, and its suggestions."""
    post = services.get_post(session, key)
    language = page.language
    may_act = services.can_change(services.find_post(session, key))
    return {
        "post": post,
        "title": pick_text(language, post.title_zh, post.title_en)
        or page.t("match_untitled", key=post.key),
        "country_names": page.actor_names(session),
        "field_names": _code_names(activity_codes.subject_areas(), language),
        "language_names": _code_names(activity_codes.languages(), language),
        "suggestions": shown_suggestions(session, page, key),
        "may_act": may_act,
        "connected": connected_with(session, key) if may_act else {},
    }


def connected_with(session: Session, key: str) -> dict[str, str]:
    """The posts `key` is connected with (by key) and the connection's state, among the
    connections the actor may see: their suggestions show the state, not the button."""
    found = {}
    for connection in connections_for(session):
        if key in (connection.need.key, connection.offer.key):
            other = connection.offer if connection.need.key == key else connection.need
            found[other.key] = connection.state.value
    return found


@router.get("/match/posts/{key}")
def post_page(key: PostKey, page: PageOf, session: Db) -> Response:
    return page.render("match/post.html", **post_context(session, page, key))


@dataclass(frozen=True)
class CountryPosts:
    """The needs and offers naming a country: how many, and the first of each."""

    country: str
    needs: int
    offers: int
    first_needs: list[PostSummary]
    first_offers: list[PostSummary]


def country_posts(session: Session, alpha3: str) -> CountryPosts:
    """Counted with the lists' own country facet, so that the counts and the lists they
    link to agree."""
    selection = Selection(facets={"country": alpha3}, sort="key")
    found: dict[Side, tuple[int, list[PostSummary]]] = {}
    for side in Side:
        source = services.post_source(session, side)
        total = source.rows(selection).count()
        found[side] = total, source.page_at(selection, offset=0, limit=COUNTRY_POSTS)
    return CountryPosts(
        alpha3,
        found[Side.NEED][0],
        found[Side.OFFER][0],
        found[Side.NEED][1],
        found[Side.OFFER][1],
    )
