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
from devagenda.core.changelog import change_message
from devagenda.core.context import AppContext
from devagenda.core.errors import InvalidEdit
from devagenda.core.inputs import Line
from devagenda.match import connections, notices, services
from devagenda.match.models import ConnectionState, GreenCategory, OwnerType, Side, Support
from devagenda.match.schemas import ConnectionOut, PostCreate, PostEdit, PostOut
from devagenda.web.csrf import CsrfChecked
from devagenda.web.editing import (
    Check,
    FormPage,
    Posted,
    confirm_delete,
    open_form,
    submit_delete,
    submit_form,
)
from devagenda.web.forms import (
    MESSAGE,
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
    """A field named as the post's column, read from the post (PostOut) to fill a form."""

    def read(post: object) -> object:
        return getattr(post, name)

    return FormField(name, label, (name,), read=read, input=input, **more)  # type: ignore[arg-type]


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


class PostEditForm(PostEdit):
    """What the edit form sends: the change, and why it is made for the change log."""

    message: Line | None = None


# The edit form: the post's fields but its side (a need stays a need), and the message.
EDIT_FORM = RecordForm(
    model=PostEditForm,
    fields=(*(f for f in POST_FORM.fields if f.name != "side"), MESSAGE),
)


def _may_change(key: str, what: str) -> Check:
    """The check before a form is read: the post's owner account, an editor or an
    administrator (anonymous readers are asked to log in, others get a 403 page)."""

    def check(context: AppContext) -> None:
        with context.sessions() as session:
            services.authorize_side(services.find_post(session, key), what)

    return check


def _post_title(page: Page, post: PostOut) -> str:
    return _title(page, post.title_zh, post.title_en, post.key)


def _edit_page(page: Page, post: PostOut) -> FormPage:
    href = f"/match/posts/{post.key}"
    return FormPage(
        heading=page.t("match_edit_heading", title=_post_title(page, post)),
        action=f"{href}/edit",
        button=page.t("form_save"),
        back=(href, _post_title(page, post)),
        delete_href=f"{href}/delete",
    )


def _delete_page(page: Page, post: PostOut) -> FormPage:
    href = f"/match/posts/{post.key}"
    title = _post_title(page, post)
    return FormPage(
        page.t("form_delete_title", title=title),
        f"{href}/delete",
        page.t("form_delete"),
        (href, title),
    )


@router.get("/match/posts/{key}/edit")
def edit_post_form(key: PostKey, page: PageOf, session: Db) -> Response:
    """The post's form, filled at the version it is read at."""
    services.authorize_side(services.find_post(session, key), "change")
    post = services.post_as_edited(session, key)
    return open_form(page, session, _edit_page(page, post), EDIT_FORM, post)


def _update(session: Session, key: str, data: PostEditForm, version: int | None) -> object:
    with change_message(data.message):
        return services.update_post(session, key, data, version)


@router.post("/match/posts/{key}/edit")
def edit_post(key: PostKey, page: PageOf, posted: Posted) -> Response:
    """Write the changed fields with update_post at the version the form was read at: a
    newer version shows the form again over the current post (409)."""
    return submit_form(
        page,
        EDIT_FORM,
        posted,
        write=lambda session, data, version: _update(session, key, data, version),
        read=lambda session: services.post_as_edited(session, key),
        where=lambda post: _edit_page(page, post),
        done=lambda _post: f"/match/posts/{key}",
        check=_may_change(key, "change"),
    )


@router.get("/match/posts/{key}/delete")
def delete_post_form(key: PostKey, page: PageOf, session: Db) -> Response:
    services.authorize_side(services.find_post(session, key), "delete")
    post = services.get_post(session, key)
    return confirm_delete(page, session, _delete_page(page, post), post.version)


def _delete_post(session: Session, key: str, version: int | None, message: str | None) -> None:
    with change_message(message):
        services.delete_post(session, key, version)


@router.post("/match/posts/{key}/delete")
def delete_post(key: PostKey, page: PageOf, posted: Posted) -> Response:
    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: _delete_post(session, key, version, message),
        read=lambda session: services.get_post(session, key),
        where=lambda post: _delete_page(page, post),
        done=lambda _session: "/match",
        check=_may_change(key, "delete"),
    )


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


@router.get("/match/connections")
def connections_page(page: PageOf, session: Db) -> Response:
    """The actor's connections and notices (anonymous readers are asked to log in)."""
    rows = connection_rows(session, page)
    found = [notices.notice_out(session, n) for n in notices.notices_for(session)]
    return page.render(
        "match/connections.html",
        rows=rows,
        notices=[(n, n.texts[page.t.language]) for n in found],
        unread=sum(1 for n in found if n.read_on is None),
    )


@router.post("/match/notices/{notice_id}/read")
def mark_notice_read(notice_id: RecordId, page: PageOf) -> Response:
    """The button on each unread notice: the service marks only the actor's own."""
    context = web_state(page.request).context
    with context.transaction() as session:
        notices.mark_read(session, notice_id)
    return RedirectResponse(f"/match/connections#notice-{notice_id}", status_code=303)


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
