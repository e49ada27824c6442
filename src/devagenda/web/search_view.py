"""The search page's facets and pages as links: every filter lives in the URL, so a
result list can be bookmarked and shared, and works without script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from devagenda.reference import services as reference
from devagenda.search.schemas import SearchResults
from devagenda.search.services import FACETS
from devagenda.web.i18n import pick_text
from devagenda.web.rendering import Page
from devagenda.web.search_texts import SYNTAX_EXAMPLES, SearchTexts

FACETS_SHOWN = 8  # values shown before "more"; the rest fold away


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    href: str  # adds the filter, or removes it when selected


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    values: list[FacetValue]

    @property
    def shown(self) -> list[FacetValue]:
        return self.values[:FACETS_SHOWN]

    @property
    def folded(self) -> list[FacetValue]:
        return self.values[FACETS_SHOWN:]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_href: str


@dataclass(frozen=True)
class Suggestion:
    label: str
    href: str


@dataclass(frozen=True)
class SearchView:
    results: SearchResults
    facets: list[Facet]
    active: list[ActiveFilter]
    next_href: str | None
    first_href: str | None  # shown on later pages
    texts: SearchTexts
    notices: list[str]  # in the page's language
    suggestions: list[Suggestion]
    clear_filters_href: str | None
    syntax: list[tuple[str, str]]  # example, what it finds


def search_view(session: Session, page: Page, results: SearchResults) -> SearchView:
    texts = SearchTexts(page.language)
    label = _labeller(session, page, texts)
    params = page.request.query_params
    selected = {name: params.getlist(name) for name in FACETS}
    facets = [
        Facet(
            name=name,
            title=page.t(f"facet_{name}"),
            values=[
                _value(page, name, item.value, label(name, item.value), item.count, selected)
                for item in results.facets.get(name, [])
            ],
        )
        for name in FACETS
    ]
    active = [
        ActiveFilter(
            f"{page.t(f'facet_{name}')}: {label(name, value)}",
            _toggle(page, name, value, selected),
        )
        for name in FACETS
        for value in selected[name]
    ]
    return SearchView(
        results=results,
        facets=[facet for facet in facets if facet.values],
        active=active,
        next_href=page.url_with(cursor=results.next_cursor) if results.next_cursor else None,
        first_href=page.url_with(cursor=None) if params.get("cursor") else None,
        texts=texts,
        notices=[
            " ".join(
                part for part in (texts.get(f"notice_{n.code}") or n.message, n.subject) if part
            )
            for n in results.notices
        ],
        suggestions=[
            Suggestion(
                texts("suggest_item", query=s.query, count=s.total),
                page.url_with(q=s.query, cursor=None),
            )
            for s in results.suggestions
        ],
        clear_filters_href=page.url_with(**{name: None for name in FACETS}, cursor=None)
        if active
        else None,
        syntax=[(example, texts(key)) for example, key in SYNTAX_EXAMPLES],
    )


def _value(
    page: Page, name: str, value: str, label: str, count: int, selected: dict[str, list[str]]
) -> FacetValue:
    return FacetValue(
        value=value,
        label=label,
        count=count,
        selected=value in selected[name],
        href=_toggle(page, name, value, selected),
    )


def _toggle(page: Page, name: str, value: str, selected: dict[str, list[str]]) -> str:
    """The URL with this filter added or, if present, removed; back to the first page.
    Several kinds may be chosen at once; the other facets take one value."""
    current = selected[name]
    if value in current:
        remaining = [v for v in current if v != value]
        return page.url_with(**{name: remaining or None, "cursor": None})
    chosen = [*current, value] if name == "kind" else [value]
    return page.url_with(**{name: chosen, "cursor": None})


def _labeller(session: Session, page: Page, texts: SearchTexts) -> Callable[[str, str], str]:
    """Readable names for facet values, never the raw code (sector and country names come
    from the reference services, once per page)."""
    t = page.t
    sectors = {
        s.code: pick_text(t.language, s.name_zh, s.name_en)
        for s in reference.sector_listing(session).all()
    }
    countries = {
        c.alpha3: c.name_zh if t.language == "zh" else c.name_en
        for c in reference.list_countries(session)
    }

    def label(name: str, value: str) -> str:
        if name in ("kind", "status", "language"):
            return texts.get(f"{name}_{value}") or t.label(name, value)
        if name == "cluster":
            return t("cluster_n", letter=value)
        if name == "sector":
            return sectors.get(value, value)
        if name == "country":
            return countries.get(value, value)
        return value

    return label
