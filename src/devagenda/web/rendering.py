"""How a page is answered: its language, the Jinja2 templates and the helpers they share.

Templates autoescape everything; the few helpers that return markup (`loc`, `source`,
`actor`) build it with `markupsafe`, which escapes every value they insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, allowed
from devagenda.api.problems import invalid_params
from devagenda.catalogue.models import DatePrecision
from devagenda.catalogue.schemas import ActorOut
from devagenda.core.actor import current_actor
from devagenda.core.context import AppContext
from devagenda.core.errors import NotFoundError
from devagenda.core.models import SourceKind
from devagenda.core.schemas import Provenance
from devagenda.reference import services as reference
from devagenda.reports.content_schemas import MentionOut
from devagenda.web.csrf import Csrf
from devagenda.web.i18n import (
    COOKIE,
    HTML_LANG,
    LANGUAGE_NAMES,
    LANGUAGES,
    Messages,
    choose_language,
    describe_error,
    localized,
)
from devagenda.web.linking import actor_href

COOKIE_MAX_AGE = 365 * 24 * 3600

TEMPLATES = Environment(
    loader=PackageLoader("devagenda.web", "templates"),
    autoescape=select_autoescape(["html"], default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class WebState:
    """What `mount` gives the pages: the database."""

    context: AppContext


NAVIGATION = (
    ("/", "nav_home"),
    ("/recommendations", "nav_recommendations"),
    ("/projects", "nav_projects"),
    ("/activities", "nav_activities"),
    ("/countries", "nav_countries"),
    ("/sessions", "nav_sessions"),
    ("/consultants", "nav_consultants"),
    ("/flexibilities", "nav_flexibilities"),
    ("/match", "nav_match"),
    ("/matrices", "nav_matrices"),
    ("/reports", "nav_reports"),
    ("/search", "nav_search"),
)


def highlight(text: str, term: str) -> Markup:
    """`text` escaped, with each occurrence of `term` marked."""
    if not term:
        return Markup.escape(text)
    return (
        Markup("<mark>{}</mark>")
        .format(term)
        .join(Markup.escape(part) for part in text.split(term))
    )


def reader_anchor(provenance: Provenance, project_id: int | None = None) -> str:
    """The fragment of the report reader that shows where a fact is stated. Annex II rows
    are numbered within their group, which a provenance does not name, so the reader
    anchors them by project."""
    if provenance.footnote is not None:
        return f"fn{provenance.footnote}"
    if provenance.paragraph is not None:
        return f"p{provenance.paragraph}"
    if provenance.annex == "I" and provenance.row is not None:
        return f"annex-i-{provenance.row}"
    if provenance.annex == "II" and project_id is not None:
        return f"annex-ii-project-{project_id}"
    return f"annex-{provenance.annex.lower()}" if provenance.annex else "main"


@dataclass(frozen=True)
class MentionPlace:
    mention: MentionOut  # the first mention at that place
    count: int  # how many times the place names the record


def by_place(mentions: list[MentionOut]) -> list[MentionPlace]:
    """Mentions grouped by where they are (report, paragraph, sub-item, footnote), in the
    order of their first mention: a paragraph naming Uganda three times is one entry."""
    groups: dict[tuple[object, ...], list[MentionOut]] = {}
    for m in mentions:
        place = (m.report, m.paragraph, m.sub_item, m.footnote)
        groups.setdefault(place, []).append(m)
    return [MentionPlace(found[0], len(found)) for found in groups.values()]


class Page:
    """One request's page: the language it is in, and how to answer with a template."""

    def __init__(self, request: Request) -> None:
        self.request = request
        asked = request.query_params.get("lang")
        self.language, self.remember = choose_language(
            asked, request.cookies.get(COOKIE), request.headers.get("accept-language")
        )
        self.t = Messages(self.language)
        self.csrf = Csrf(request)
        self.viewer = current_actor()
        if asked is not None and asked not in LANGUAGES:
            # The page does not exist in that language; the error page itself is shown
            # in the language the reader would otherwise get.
            raise NotFoundError(f"no interface language {asked[:16]!r}")

    def url_with(self, **changes: str | list[str] | None) -> str:
        """This page's path and query with some parameters replaced (None removes one),
        so that links keep the filters the reader chose. The language is left out unless
        changed: the cookie keeps it, and a shared link should open in the reader's own."""
        query: dict[str, list[str]] = {}
        for key, value in self.request.query_params.multi_items():
            if key != "lang":
                query.setdefault(key, []).append(value)
        for key, change in changes.items():
            if change is None:
                query.pop(key, None)
            else:
                query[key] = change if isinstance(change, list) else [change]
        encoded = urlencode([(k, v) for k, values in query.items() for v in values])
        return self.request.url.path + (f"?{encoded}" if encoded else "")

    def language_links(self) -> list[tuple[str, str, str, bool]]:
        """(code, name, href, current) for the language switch; it keeps path and query."""
        return [
            (code, LANGUAGE_NAMES[code], self.url_with(lang=code), code == self.language)
            for code in LANGUAGES
        ]

    def render(self, template: str, *, status_code: int = 200, **values: Any) -> HTMLResponse:
        html = TEMPLATES.get_template(template).render(
            page=self,
            t=self.t,
            lang=self.language,
            html_lang=HTML_LANG[self.language],
            navigation=NAVIGATION,
            path=self.request.url.path,
            loc=self.loc,
            source=self.source,
            actor=self.actor,
            date=self.date,
            highlight=highlight,
            by_place=by_place,
            csrf_field=self.csrf.field,
            viewer=self.viewer,
            may_edit=allowed(Action.EDIT_RECORD, actor=self.viewer),
            **values,
        )
        response = HTMLResponse(html, status_code=status_code)
        response.headers["Vary"] = "Accept-Language, Cookie"
        self.csrf.set_cookie(response)
        if self.viewer.user_id is not None:
            # A page that shows who is logged in is that person's only.
            response.headers["Cache-Control"] = "private, no-store"
        if self.remember:
            response.set_cookie(
                COOKIE, self.language, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax"
            )
        return response

    def actor_names(self, session: Session) -> dict[str, str]:
        """The names of every group and country, by code, in the page language."""
        names = {
            g.code: g.name_zh if self.language == "zh" else g.name_en
            for g in reference.group_listing(session).all()
        }
        names.update(
            (c.alpha3, c.name_zh if self.language == "zh" else c.name_en)
            for c in reference.list_countries(session)
        )
        return names

    # -- helpers for templates

    def loc(self, zh: str | None, en: str | None) -> Markup:
        return localized(self.language, {"zh": zh, "en": en})

    def date(self, day: date | None, precision: DatePrecision | None = DatePrecision.DAY) -> str:
        return self.t.date(day, precision)

    def actor(self, actor: ActorOut) -> Markup:
        """A proposer or beneficiary, linked to its page, with the name as the report
        printed it when that differs."""
        name = actor.name_zh if self.language == "zh" else actor.name_en
        link = Markup('<a href="{}">{}</a>').format(actor_href(actor.kind, actor.key), name)
        printed = actor.name_as_printed
        if printed and printed not in (actor.name_zh, actor.name_en):
            note = self.t("printed_as", name=printed)
            link += Markup(' <span class="aside">({})</span>').format(note)
        return link

    def source(self, provenance: Provenance | None, project_id: int | None = None) -> Markup:
        """Where a fact is stated, linked to the report reader when it is a report."""
        if provenance is None:
            return Markup('<span class="source source-missing">{}</span>').format(
                self.t("source_not_recorded")
            )
        hidden = Markup('<span class="visually-hidden">{}: </span>').format(self.t("source"))
        if provenance.source_kind is SourceKind.DATASET and not provenance.source.startswith(
            "devagenda/"
        ):
            return self._cited(provenance, hidden)
        if provenance.source_kind is not SourceKind.REPORT:
            name = PurePosixPath(provenance.source).name
            text = " ".join([self.t("source_dataset", name=name), *self._citation(provenance)])
            return Markup('<span class="source">{}{}</span>').format(hidden, text)
        text = " ".join(
            [self.t("source_report", year=provenance.year), *self._citation(provenance)]
        )
        anchor = reader_anchor(provenance, project_id)
        href = f"/reports/{provenance.year}/{provenance.language}#{anchor}"
        return Markup('<span class="source">{}<a href="{}">{}</a></span>').format(
            hidden, href, text
        )

    def _cited(self, provenance: Provenance, hidden: Markup) -> Markup:
        """A document an import cites (core/imports.py): its symbol, linked to its page,
        or its URL, linked to it."""
        reference = provenance.source
        if reference.lower().startswith(("http://", "https://")):
            link = Markup('<a class="external" href="{}" rel="noopener noreferrer">{}</a>')
            shown = reference.split("://", 1)[1]
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            return Markup('<span class="source">{}{}</span>').format(
                hidden, link.format(reference, shown)
            )
        href = "/documents/" + quote(reference, safe="/")
        return Markup('<span class="source">{}<a href="{}">{}</a></span>').format(
            hidden, href, reference
        )

    def _citation(self, provenance: Provenance) -> list[str]:
        parts = []
        if provenance.paragraph is not None:
            parts.append(self.t("cite_paragraph", number=provenance.paragraph))
        if provenance.sub_item:
            parts.append(provenance.sub_item)
        if provenance.footnote is not None:
            parts.append(self.t("cite_footnote", number=provenance.footnote))
        if provenance.annex:
            parts.append(self.t("cite_annex", annex=provenance.annex))
        if provenance.row is not None:
            parts.append(self.t("cite_row", row=provenance.row))
        if provenance.line is not None and provenance.paragraph is None and not provenance.annex:
            parts.append(self.t("cite_line", line=provenance.line))
        return parts


def error_page(request: Request, status: int, error: Exception | None) -> HTMLResponse:
    """The site's own page for an error, in the reader's language; a bug (no `error`)
    says only that something went wrong."""
    # Links on the error page keep none of the query: what was wrong is not repeated.
    page = Page(_without_query(request))
    return page.render(
        "error.html",
        status_code=status,
        status=status,
        messages=describe_error(error, page.t, status),
        technical=_technical(error),
    )


def _technical(error: Exception | None) -> str:
    """The error in English for whoever reports it: for a bad parameter, what the API's
    problem says of it, not FastAPI's text of it, which names the route's source file."""
    if error is None:
        return ""
    if isinstance(error, RequestValidationError):
        return "; ".join(f"{p.name}: {p.reason}" for p in invalid_params(error))
    return str(error)


def _without_query(request: Request) -> Request:
    """The request with no query but a valid `lang`, so the page keeps the language."""
    scope = dict(request.scope)
    asked = request.query_params.get("lang")
    scope["query_string"] = urlencode({"lang": asked}).encode() if asked in LANGUAGES else b""
    return Request(scope)
