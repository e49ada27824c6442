"""The matchmaking forms: post a need or an offer, express interest in a suggestion, and
the actor's connections (with the moves they may make) and notices. What the actor may
not do is hidden here, and the services (devagenda.match) refuse it anyway; every bad
field of a post is shown beside it, as on the other edit forms (web/forms.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, authorize
from devagenda.api.params import StrictQuery
from devagenda.core.errors import InvalidEdit
from devagenda.match import connections, notices, services
from devagenda.match.models import ConnectionState, GreenCategory, OwnerType, Side, Support
from devagenda.match.schemas import ConnectionOut, NoticeOut, PostCreate
from devagenda.web.csrf import CsrfChecked
from devagenda.web.editing import FormPage, Posted
from devagenda.web.forms import (
    FormField,
    FormProblems,
    FormView,
    Input,
    RecordForm,
    enum_options,
    view_of,
)
from devagenda.web.i18n import Messages, pick_text
from devagenda.web.match import PostKey
from devagenda.web.rendering import Page
from devagenda.web.routes import Db, PageOf, PageRoute, RecordId, web_state

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)


def _sides(t: Messages, _session: Session) -> list[tuple[str, str]]:
    return [(side.value, t(f"match_side_{side.value}")) for side in Side]


def _field(name: str, label: str, input: Input = Input.TEXT, **more: object) -> FormField:
    return FormField(name, label, (name,), input=input, **more)  # type: ignore[arg-type]


POST_FORM = RecordForm(
    model=PostCreate,
    fields=(
        _field("side", "match_side", Input.SELECT, options=_sides, blank_choice=False),
        _field("title_zh", "match_title_zh", hint="match_title_hint"),
        _field("title_en", "match_title_en"),
        _field("description_zh", "match_description_zh", Input.TEXTAREA),
        _field("description_en", "match_description_en", Input.TEXTAREA),
        _field("owner", "match_owner"),
        _field(
            "owner_type",
            "match_owner_type",
            Input.SELECT,
            options=enum_options(OwnerType, "match_owner"),
        ),
        _field("countries", "match_countries", Input.LIST, hint="match_countries_hint"),
        _field("ip_fields", "match_fields", Input.LIST, hint="match_fields_hint"),
        _field(
            "support", "match_support", Input.SELECT, options=enum_options(Support, "match_support")
        ),
        _field(
            "green_category",
            "match_green_category",
            Input.SELECT,
            options=enum_options(GreenCategory, "match_green"),
        ),
        _field("languages", "match_languages", Input.LIST, hint="match_languages_hint"),
        _field("valid_from", "match_valid_from_label", Input.DATE),
        _field("valid_until", "match_valid_until_label", Input.DATE),
        _field("contact", "match_contact", hint="match_contact_hint"),
    ),
)


def _post_page(page: Page) -> FormPage:
    t = page.t
    return FormPage(
        heading=t("match_new_heading"),
        action="/match/new",
        button=t("match_new_button"),
        back=("/match", t("match_title")),
    )


def _render(page: Page, view: FormView, status_code: int = 200) -> Response:
    response = page.render("edit.html", status_code=status_code, where=_post_page(page), view=view)
    response.headers["Cache-Control"] = "no-store"  # it carries this browser's form token
    return response


@router.get("/match/new")
def new_post_form(
    page: PageOf,
    session: Db,
    side: Annotated[Side, Query()] = Side.NEED,
) -> Response:
    """The form, for any account (anonymous readers are asked to log in)."""
    authorize(Action.POST_MATCH)
    values = {**POST_FORM.blank(), "side": side.value}
    view = view_of(POST_FORM, page.t, session, values, originals=None, version=None)
    return _render(page, view)


@router.post("/match/new")
def new_post(page: PageOf, posted: Posted) -> Response:
    """Write the post with the service (which owns it to the actor's account and
    announces its suggestions), or show the form again with each bad field marked."""
    context = web_state(page.request).context
    authorize(Action.POST_MATCH)
    submission = POST_FORM.submitted(posted)
    try:
        data = POST_FORM.edit(submission, page.t)
        assert isinstance(data, PostCreate)
        with context.transaction() as session:
            key = services.create_post(session, data).key
    except (FormProblems, InvalidEdit) as refused:
        problems = (
            refused.problems
            if isinstance(refused, FormProblems)
            else POST_FORM.problems_of(refused)
        )
        with context.sessions() as session:
            view = view_of(
                POST_FORM,
                page.t,
                session,
                submission.values,
                originals=None,
                version=None,
                problems=problems,
            )
            return _render(page, view, 422)
    return RedirectResponse(f"/match/posts/{key}", status_code=303)


@router.post("/match/posts/{key}/interest")
def express_interest(
    key: PostKey,
    page: PageOf,
    other: Annotated[str, Form(pattern=r"^[\w.:\-]{1,64}$")],
) -> Response:
    """The button on each suggestion: the service checks that the actor speaks for
    `key`'s side, and refuses a pair already connected."""
    context = web_state(page.request).context
    with context.transaction() as session:
        connections.express_interest(session, key, other)
    return RedirectResponse("/match/connections", status_code=303)


@dataclass(frozen=True)
class ConnectionRow:
    connection: ConnectionOut
    need_title: str
    offer_title: str
    moves: list[ConnectionState]  # empty when the actor may not move it, or it is finished


def _title(page: Page, zh: str | None, en: str | None, key: str) -> str:
    return pick_text(page.language, zh, en) or page.t("match_untitled", key=key)


def connection_rows(session: Session, page: Page) -> list[ConnectionRow]:
    rows = []
    for found in connections.connections_for(session):
        may_move = services.can_change(found.need) or services.can_change(found.offer)
        rows.append(
            ConnectionRow(
                connections.connection_out(found),
                _title(page, found.need.title_zh, found.need.title_en, found.need.key),
                _title(page, found.offer.title_zh, found.offer.title_en, found.offer.key),
                list(connections.NEXT_STATES[found.state]) if may_move else [],
            )
        )
    return rows


def notice_text(notice: NoticeOut, t: Messages) -> str:
    """A notice in the page language. The service words it in English for mail
    ("NEED-1 is interested in OFFER-1", "NEED-1 and OFFER-1: discussion"); the page
    says the same from its kind and keys."""
    need, offer = notice.need or "", notice.offer or ""
    if notice.kind.value == "suggestion":
        return t("match_notice_suggested", need=need, offer=offer)
    interest = notice.text.partition(" is interested in ")
    if interest[1]:
        return t("match_notice_interest", post=interest[0], other=interest[2])
    state = notice.text.rpartition(": ")[2]
    if state in {s.value for s in ConnectionState}:
        label = t.label("match_state", state)
        return t("match_notice_moved", need=need, offer=offer, state=label)
    return notice.text


@router.get("/match/connections")
def connections_page(page: PageOf, session: Db) -> Response:
    """The actor's connections and notices (anonymous readers are asked to log in)."""
    rows = connection_rows(session, page)
    found = [notices.notice_out(session, n) for n in notices.notices_for(session)]
    return page.render(
        "match/connections.html",
        rows=rows,
        notices=[(n, notice_text(n, page.t)) for n in found],
    )


@router.post("/match/connections/{connection_id}/move")
def move_connection(
    connection_id: RecordId,
    page: PageOf,
    state: Annotated[ConnectionState, Form()],
) -> Response:
    context = web_state(page.request).context
    with context.transaction() as session:
        connections.move(session, connection_id, state)
    return RedirectResponse("/match/connections", status_code=303)
