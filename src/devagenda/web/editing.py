"""The pages that change the catalogue: a form per record type (web/forms.py declares
their fields), the status statements of a project, and the confirmation of a delete.

Each page lets the current actor through only when accounts.permissions allows
EDIT_RECORD (anonymous readers of a form are sent to the login page, others see a 403
page), and each write calls the same service of catalogue.editing as the API. A refused
edit is the form again, with every problem beside its field (422); an edit of a record
someone else saved first is the form again over the current record, with that person's
changes shown (409).

The steps every such page takes are public here for the other areas' pages
(web/match_forms.py, web/flexibilities.py): `open_form` and `submit_form` for a form,
`confirm_delete` and `submit_delete` for a delete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, authorize
from devagenda.activities import editing as activity_editing
from devagenda.activities import services as activities
from devagenda.activities.models import ActivityMode, ActivityType
from devagenda.activities.schemas import ActivityCreate, ActivityEdit, ActivityOut
from devagenda.api.params import StrictQuery
from devagenda.catalogue import editing
from devagenda.catalogue import services as catalogue
from devagenda.catalogue.models import DatePrecision, ProjectStatus, SessionFormat, StatementKind
from devagenda.catalogue.schemas import (
    DocumentCreate,
    DocumentEdit,
    DocumentOut,
    ProjectCreate,
    ProjectEdit,
    ProjectOut,
    RecommendationEdit,
    SessionCreate,
    SessionEdit,
    StatusStatementIn,
)
from devagenda.core.actor import current_actor
from devagenda.core.context import AppContext
from devagenda.core.errors import InvalidEdit, StaleVersion
from devagenda.core.models import TextStatus
from devagenda.web.csrf import CsrfChecked
from devagenda.web.forms import (
    MESSAGE,
    SOURCE,
    FormField,
    FormProblems,
    FormView,
    Input,
    RecordForm,
    as_line,
    enum_options,
    sector_options,
    status_of,
    text_of,
    view_of,
)
from devagenda.web.i18n import pick_text
from devagenda.web.rendering import Page
from devagenda.web.routes import (
    MAX_ID,
    REPORT_LANGUAGES,
    Db,
    PageOf,
    PageRoute,
    RecordId,
    web_state,
)

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)
DocumentKey = Annotated[str, Path(max_length=64, pattern=r"^[^\x00]+$")]
RecommendationNumber = Annotated[int, Path(ge=1, le=45)]


async def form_data(request: Request) -> dict[str, str]:
    """The posted form's text fields (the CSRF check has read the form already)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(form_data)]


# -- the forms, field by field -------------------------------------------------------------


def _title_fields(target: str, label: str, read: Callable[[Any], Any]) -> tuple[FormField, ...]:
    """The wording of a record in Chinese and English, each with its status."""
    fields: list[FormField] = []
    for language in ("zh", "en"):
        fields += [
            FormField(
                f"{target}_{language}",
                f"{label}_{language}",
                (target, language, "text"),
                lambda record, language=language: text_of(read(record), language),
                Input.TEXTAREA if target in ("texts", "descriptions") else Input.TEXT,
                together=f"{target}_{language}",
            ),
            FormField(
                f"{target}_{language}_status",
                "form_text_status",
                (target, language, "status"),
                lambda record, language=language: (
                    status_of(read(record), language) or TextStatus.OFFICIAL
                ),
                Input.SELECT,
                enum_options(TextStatus, "text_status"),
                blank_choice=False,
                together=f"{target}_{language}",
                default=TextStatus.OFFICIAL.value,
            ),
        ]
    return tuple(fields)


def _dated(name: str, label: str, precision: str) -> tuple[FormField, ...]:
    """A date and how precise it is, sent together (a date alone is to the day)."""
    return (
        FormField(name, label, (name,), lambda r: getattr(r, name), Input.DATE, together=name),
        FormField(
            precision,
            "form_precision",
            (precision,),
            lambda r: getattr(r, precision),
            Input.SELECT,
            enum_options(DatePrecision, "precision"),
            together=name,
        ),
    )


PROJECT_FIELDS = (
    *_title_fields("titles", "form_title", lambda p: p.titles),
    FormField("code", "catalogue_code", ("code",), lambda p: p.code, hint="form_code_hint"),
    FormField("phase", "phase", ("phase",), lambda p: p.phase, Input.NUMBER),
    FormField(
        "approved_session",
        "approved_at",
        ("approved_session",),
        lambda p: p.approved_session.number if p.approved_session else None,
        Input.NUMBER,
    ),
    FormField(
        "sector",
        "sector",
        ("sector",),
        lambda p: p.sector.code if p.sector else None,
        Input.SELECT,
        sector_options,
    ),
    *_dated("start_date", "form_start_date", "start_precision"),
    *_dated("end_date", "form_end_date", "end_precision"),
    FormField(
        "recommendations",
        "recommendations",
        ("recommendations",),
        lambda p: [r.number for r in p.recommendations],
        Input.LIST,
        hint="form_recommendations_hint",
    ),
    FormField(
        "proposers",
        "proposers",
        ("proposers",),
        lambda p: [a.key for a in p.proposers],
        Input.LIST,
        hint="form_actors_hint",
    ),
    FormField(
        "beneficiaries",
        "beneficiaries",
        ("beneficiaries",),
        lambda p: [a.key for a in p.beneficiaries],
        Input.LIST,
        hint="form_actors_hint",
    ),
    FormField(
        "budget_chf",
        "form_budget",
        ("budget_chf",),
        lambda p: p.budget_chf,
        hint="form_budget_hint",
    ),
    FormField(
        "documents",
        "documents",
        ("documents",),
        lambda p: [d.symbol for d in p.documents],
        Input.LIST,
        hint="form_documents_hint",
    ),
    FormField(
        "outputs",
        "form_outputs",
        ("outputs",),
        lambda p: [as_line(o.kind, o.title, o.language, o.url) for o in p.outputs],
        Input.LINES,
        hint="form_outputs_hint",
        parts=("kind", "title", "language", "url"),
    ),
    FormField(
        "predecessor",
        "form_predecessor",
        ("predecessor",),
        lambda p: p.predecessor.id if p.predecessor else None,
        Input.NUMBER,
        hint="form_predecessor_hint",
    ),
    SOURCE,
    MESSAGE,
)
PROJECT_FORM = RecordForm(ProjectEdit, PROJECT_FIELDS)
NEW_PROJECT_FORM = RecordForm(ProjectCreate, PROJECT_FIELDS)

STATUS_FORM = RecordForm(
    StatusStatementIn,
    (
        FormField(
            "status",
            "form_status",
            ("status",),
            input=Input.SELECT,
            options=enum_options(ProjectStatus, "status"),
        ),
        FormField(
            "kind",
            "form_statement_kind",
            ("kind",),
            input=Input.SELECT,
            options=enum_options(StatementKind, "statement_kind"),
            blank_choice=False,
            default=StatementKind.EVENT.value,
        ),
        FormField("date", "form_date", ("date",), input=Input.DATE),
        FormField(
            "precision",
            "form_precision",
            ("precision",),
            input=Input.SELECT,
            options=enum_options(DatePrecision, "precision"),
        ),
        FormField(
            "as_of_year",
            "form_as_of_year",
            ("as_of_year",),
            input=Input.NUMBER,
            hint="form_year_hint",
        ),
        SOURCE,
        MESSAGE,
    ),
)

SESSION_FIELDS = (
    FormField("start_date", "form_start_date", ("start_date",), lambda s: s.start_date, Input.DATE),
    FormField("end_date", "form_end_date", ("end_date",), lambda s: s.end_date, Input.DATE),
    FormField(
        "format",
        "format",
        ("format",),
        lambda s: s.format,
        Input.SELECT,
        enum_options(SessionFormat, "format"),
    ),
    SOURCE,
    MESSAGE,
)
SESSION_FORM = RecordForm(SessionEdit, SESSION_FIELDS)
NEW_SESSION_FORM = RecordForm(
    SessionCreate,
    (FormField("number", "form_session_number", ("number",), input=Input.NUMBER), *SESSION_FIELDS),
)


def _language_options(t: Any, session: Session) -> list[tuple[str, str]]:
    return [(code, t.label("language", code)) for code in REPORT_LANGUAGES]


DOCUMENT_FIELDS = (
    *_title_fields("titles", "form_title", lambda d: d.titles),
    FormField("session", "session", ("session",), lambda d: d.session, Input.NUMBER),
    FormField("url", "form_url", ("url",), lambda d: d.url),
    FormField(
        "language",
        "form_document_language",
        ("language",),
        lambda d: d.language,
        Input.SELECT,
        _language_options,
    ),
    SOURCE,
    MESSAGE,
)
DOCUMENT_FORM = RecordForm(DocumentEdit, DOCUMENT_FIELDS)
NEW_DOCUMENT_FORM = RecordForm(
    DocumentCreate,
    (FormField("symbol", "form_symbol", ("symbol",), hint="form_symbol_hint"), *DOCUMENT_FIELDS),
)

RECOMMENDATION_FORM = RecordForm(
    RecommendationEdit, (*_title_fields("texts", "form_text", lambda r: r.texts), SOURCE, MESSAGE)
)


def _listed(name: str, label: str, input: Input = Input.LIST, hint: str | None = None) -> FormField:
    return FormField(name, label, (name,), lambda a: getattr(a, name), input, hint=hint)


def _fact(name: str, label: str, input: Input = Input.TEXT, **more: Any) -> FormField:
    return FormField(name, label, (name,), lambda a: getattr(a, name), input, **more)


ACTIVITY_FIELDS = (
    *_title_fields("titles", "form_title", lambda a: a.titles),
    _fact("code", "activity_code"),
    _fact(
        "type",
        "form_activity_type",
        Input.SELECT,
        options=enum_options(ActivityType, "activity_type"),
    ),
    _fact(
        "mode",
        "form_activity_mode",
        Input.SELECT,
        options=enum_options(ActivityMode, "activity_mode"),
    ),
    _listed("subject_areas", "form_subject_areas", hint="form_subject_areas_hint"),
    _fact("start_date", "form_start_date", Input.DATE),
    _fact("end_date", "form_end_date", Input.DATE),
    _fact("venue_city", "form_venue_city"),
    _fact("host_country", "form_host_country", hint="form_host_country_hint"),
    _listed("beneficiaries", "beneficiaries", hint="form_actors_hint"),
    _listed("languages", "form_languages", hint="form_languages_hint"),
    _fact("participants", "form_participants", Input.NUMBER),
    _fact("participants_women", "form_participants_women", Input.NUMBER),
    _fact("participants_men", "form_participants_men", Input.NUMBER),
    _fact("organising_unit", "form_organising_unit"),
    _fact("sector", "sector", Input.SELECT, options=sector_options),
    _fact("funding_source", "form_funding_source"),
    _listed("partners", "form_partners", Input.LINE_EACH, hint="form_partners_hint"),
    _listed("recommendations", "recommendations", hint="form_recommendations_hint"),
    _listed("expected_results", "form_expected_results", hint="form_expected_results_hint"),
    _listed("projects", "form_projects", hint="form_projects_hint"),
    *_title_fields("descriptions", "form_description", lambda a: a.descriptions),
    SOURCE,
    MESSAGE,
)
ACTIVITY_FORM = RecordForm(ActivityEdit, ACTIVITY_FIELDS)
NEW_ACTIVITY_FORM = RecordForm(ActivityCreate, ACTIVITY_FIELDS)


# -- what every form page does ---------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    """Where a form is and what it is about: its heading, the URL it posts to and the
    button that sends it, the record's page (none for a new record) and its other
    editing pages."""

    heading: str
    action: str
    button: str
    back: tuple[str, str]  # (href, text) of the page the form belongs to
    record_href: str | None = None
    delete_href: str | None = None
    statuses_href: str | None = None


Extra = Callable[[Session], dict[str, Any]]  # more values a page's template needs
# The countries of the record a form writes, for a focal point's grant (the services
# check them again on the write itself).
Countries = Callable[[Session], Iterable[str]]


# Who may send a form, checked before it is read; by default an editor's grant (for the
# record's countries). Pages whose service decides otherwise (a matchmaking post: its
# owner account) pass their own.
Check = Callable[[AppContext], None]


def _authorize(context: AppContext, countries: Countries | None) -> None:
    if countries is None:
        authorize(Action.EDIT_RECORD)
        return
    with context.sessions() as session:
        authorize(Action.EDIT_RECORD, countries=countries(session))


def _no_extra(session: Session) -> dict[str, Any]:
    return {}


def _render(
    page: Page,
    template: str,
    where: FormPage,
    view: FormView,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    response = page.render(
        template, status_code=status_code, where=where, view=view, **(extra or {})
    )
    response.headers["Cache-Control"] = "no-store"  # it carries this browser's form token
    return response


def open_form(
    page: Page,
    session: Session,
    where: FormPage,
    form: RecordForm,
    record: Any | None,
    *,
    fill: bool = True,
    template: str = "edit.html",
    extra: Extra = _no_extra,
) -> Response:
    """A form filled with the record as stored at its version, or a blank one (for a
    new record, or one that adds to `record`)."""
    if record is None or not fill:
        values, originals = form.blank(), None
    else:
        values = originals = form.filled(record)
    version = getattr(record, "version", None)
    view = view_of(form, page.t, session, values, originals=originals, version=version)
    return _render(page, template, where, view, extra=extra(session))


def submit_form(
    page: Page,
    form: RecordForm,
    posted: dict[str, str],
    *,
    write: Callable[[Session, Any, int | None], Any],
    read: Callable[[Session], Any],
    where: Callable[[Any], FormPage],
    done: Callable[[Any], str],
    template: str = "edit.html",
    extra: Extra = _no_extra,
    countries: Countries | None = None,
    check: Check | None = None,
) -> Response:
    """Validate the form into its edit model, write it with the service and go to the
    record's page; or show the form again with what went wrong."""
    context = web_state(page.request).context
    if check is None:
        _authorize(context, countries)
    else:
        check(context)
    submission = form.submitted(posted)
    try:
        edit = form.edit(submission, page.t)
        with context.transaction() as session:
            target = done(write(session, edit, submission.version))
    except (FormProblems, InvalidEdit) as refused:
        problems = (
            refused.problems if isinstance(refused, FormProblems) else form.problems_of(refused)
        )
        with context.sessions() as session:
            view = view_of(
                form,
                page.t,
                session,
                submission.values,
                originals=submission.originals,
                version=submission.version,
                problems=problems,
            )
            return _render(page, template, where(read(session)), view, 422, extra(session))
    except StaleVersion as stale:
        with context.sessions() as session:
            current = read(session)
            values, conflicts = form.after_conflict(submission, current)
            originals = form.filled(current) if submission.originals is not None else None
            view = view_of(
                form,
                page.t,
                session,
                values,
                originals=originals,
                version=stale.version,
                conflicts=conflicts,
                stale=True,
            )
            return _render(page, template, where(current), view, 409, extra(session))
    return RedirectResponse(target, status_code=303)


# -- projects ------------------------------------------------------------------------------


def _project_title(page: Page, project: ProjectOut) -> str:
    return pick_text(page.language, project.title_zh, project.title_en) or page.t(
        "project_n", id=project.id
    )


def _project_page(page: Page, project: ProjectOut | None) -> FormPage:
    t = page.t
    if project is None:
        return FormPage(
            t("form_new_project"),
            "/projects/new",
            t("form_create"),
            ("/projects", t("projects_title")),
        )
    href = f"/projects/{project.id}"
    title = _project_title(page, project)
    return FormPage(
        t("form_edit_title", title=title),
        f"{href}/edit",
        t("form_save"),
        (href, title),
        record_href=href,
        delete_href=f"{href}/delete",
        statuses_href=f"{href}/statuses",
    )


@router.get("/projects/new")
def new_project_form(page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    return open_form(page, session, _project_page(page, None), NEW_PROJECT_FORM, None)


@router.post("/projects/new")
def new_project(page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        NEW_PROJECT_FORM,
        posted,
        write=lambda session, data, version: editing.create_project(session, data),
        read=lambda session: None,
        where=lambda record: _project_page(page, None),
        done=lambda project: f"/projects/{project.id}",
    )


@router.get("/projects/{project_id}/edit")
def edit_project_form(project_id: RecordId, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    project = catalogue.get_project(session, project_id)
    return open_form(page, session, _project_page(page, project), PROJECT_FORM, project)


@router.post("/projects/{project_id}/edit")
def edit_project(project_id: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        PROJECT_FORM,
        posted,
        write=lambda session, data, version: editing.edit_project(
            session, project_id, data, version
        ),
        read=lambda session: catalogue.get_project(session, project_id),
        where=lambda project: _project_page(page, project),
        done=lambda project: f"/projects/{project.id}",
    )


def _statuses_page(page: Page, project: ProjectOut) -> FormPage:
    href = f"/projects/{project.id}"
    title = _project_title(page, project)
    return FormPage(
        page.t("form_statuses_title", title=title),
        f"{href}/statuses",
        page.t("form_add_status"),
        (href, title),
        record_href=href,
        delete_href=f"{href}/delete",
        statuses_href=f"{href}/statuses",
    )


def _statements(project_id: int) -> Extra:
    """The statuses page lists the project's statements as they are now."""
    return lambda session: {"project": catalogue.get_project(session, project_id)}


@router.get("/projects/{project_id}/statuses")
def statuses_form(project_id: RecordId, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    project = catalogue.get_project(session, project_id)
    return open_form(
        page,
        session,
        _statuses_page(page, project),
        STATUS_FORM,
        project,
        fill=False,
        template="statuses.html",
        extra=_statements(project_id),
    )


@router.post("/projects/{project_id}/statuses")
def add_status(project_id: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        STATUS_FORM,
        posted,
        write=lambda session, data, version: editing.add_status(session, project_id, data, version),
        read=lambda session: catalogue.get_project(session, project_id),
        where=lambda project: _statuses_page(page, project),
        done=lambda project: f"/projects/{project.id}",
        template="statuses.html",
        extra=_statements(project_id),
    )


@router.post("/projects/{project_id}/statuses/{statement_id}/remove")
def remove_status(
    project_id: RecordId, statement_id: RecordId, page: PageOf, posted: Posted
) -> Response:
    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: editing.remove_status(
            session, project_id, statement_id, version, message
        ),
        read=lambda session: catalogue.get_project(session, project_id),
        where=lambda project: _statuses_page(page, project),
        template="statuses.html",
        extra=_statements(project_id),
        done=lambda session: f"/projects/{project_id}/statuses",
    )


@router.get("/projects/{project_id}/delete")
def delete_project_form(project_id: RecordId, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    project = catalogue.get_project(session, project_id)
    return confirm_delete(page, session, _delete_project_page(page, project), project.version)


@router.post("/projects/{project_id}/delete")
def delete_project(project_id: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: editing.delete_project(
            session, project_id, version, message
        ),
        read=lambda session: catalogue.get_project(session, project_id),
        where=lambda project: _delete_project_page(page, project),
        done=lambda session: "/projects",
    )


def _delete_project_page(page: Page, project: ProjectOut) -> FormPage:
    href = f"/projects/{project.id}"
    title = _project_title(page, project)
    return FormPage(
        page.t("form_delete_title", title=title),
        f"{href}/delete",
        page.t("form_delete"),
        (href, title),
        record_href=href,
    )


# -- deleting ------------------------------------------------------------------------------

DELETE_FORM = RecordForm(BaseModel, (MESSAGE,))


def confirm_delete(
    page: Page,
    session: Session,
    where: FormPage,
    version: int,
    status_code: int = 200,
    **state: Any,
) -> Response:
    """The confirmation step of a delete: what goes, a message for the log, a button."""
    view = view_of(
        DELETE_FORM, page.t, session, DELETE_FORM.blank(), originals=None, version=version, **state
    )
    return _render(page, "confirm_delete.html", where, view, status_code)


def submit_delete(
    page: Page,
    posted: dict[str, str],
    *,
    write: Callable[[Session, int | None, str | None], Any],
    read: Callable[[Session], Any],
    where: Callable[[Any], FormPage],
    done: Callable[[Session], str],
    template: str = "confirm_delete.html",
    extra: Extra = _no_extra,
    countries: Countries | None = None,
    check: Check | None = None,
) -> Response:
    """Delete (or remove a part) at the version the page was read at; a refusal or a
    newer version shows the page again with what stopped it."""
    context = web_state(page.request).context
    if check is None:
        _authorize(context, countries)
    else:
        check(context)
    submission = DELETE_FORM.submitted(posted)
    message = submission.values["message"].strip() or None
    try:
        with context.transaction() as session:
            target = done(session)
            write(session, submission.version, message)
    except (InvalidEdit, StaleVersion) as refused:
        stale = isinstance(refused, StaleVersion)
        with context.sessions() as session:
            current = read(session)
            form = STATUS_FORM if template == "statuses.html" else DELETE_FORM
            values = form.blank() if stale or form is STATUS_FORM else submission.values
            problems = {} if isinstance(refused, StaleVersion) else refused.problems
            view = view_of(
                form,
                page.t,
                session,
                values,
                originals=None,
                version=current.version,
                problems=problems,
                stale=stale,
            )
            return _render(
                page, template, where(current), view, 409 if stale else 422, extra(session)
            )
    return RedirectResponse(target, status_code=303)


# -- CDIP sessions -------------------------------------------------------------------------


def _session_page(page: Page, number: int | None) -> FormPage:
    t = page.t
    if number is None:
        return FormPage(
            t("form_new_session"),
            "/sessions/new",
            t("form_create"),
            ("/sessions", t("sessions_title")),
        )
    href = f"/sessions/{number}"
    title = t("session_n", number=number)
    return FormPage(
        t("form_edit_title", title=title),
        f"{href}/edit",
        t("form_save"),
        (href, title),
        record_href=href,
        delete_href=f"{href}/delete",
    )


@router.get("/sessions/new")
def new_session_form(page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    return open_form(page, session, _session_page(page, None), NEW_SESSION_FORM, None)


@router.post("/sessions/new")
def new_session(page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        NEW_SESSION_FORM,
        posted,
        write=lambda session, data, version: editing.create_cdip_session(session, data),
        read=lambda session: None,
        where=lambda record: _session_page(page, None),
        done=lambda cdip: f"/sessions/{cdip.number}",
    )


@router.get("/sessions/{number}/edit")
def edit_session_form(number: RecordId, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    cdip = catalogue.get_cdip_session(session, number)
    return open_form(page, session, _session_page(page, number), SESSION_FORM, cdip)


@router.post("/sessions/{number}/edit")
def edit_session(number: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        SESSION_FORM,
        posted,
        write=lambda session, data, version: editing.edit_cdip_session(
            session, number, data, version
        ),
        read=lambda session: catalogue.get_cdip_session(session, number),
        where=lambda cdip: _session_page(page, number),
        done=lambda cdip: f"/sessions/{cdip.number}",
    )


def _delete_session_page(page: Page, number: int) -> FormPage:
    href = f"/sessions/{number}"
    title = page.t("session_n", number=number)
    return FormPage(
        page.t("form_delete_title", title=title),
        f"{href}/delete",
        page.t("form_delete"),
        (href, title),
        record_href=href,
    )


@router.get("/sessions/{number}/delete")
def delete_session_form(number: RecordId, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    cdip = catalogue.get_cdip_session(session, number)
    return confirm_delete(page, session, _delete_session_page(page, number), cdip.version)


@router.post("/sessions/{number}/delete")
def delete_session(number: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: editing.delete_cdip_session(
            session, number, version, message
        ),
        read=lambda session: catalogue.get_cdip_session(session, number),
        where=lambda cdip: _delete_session_page(page, number),
        done=lambda session: "/sessions",
    )


# -- documents: by id (the record tabs link so) or by symbol, slashes and all ----------------


def _document_href(document: DocumentOut) -> str:
    return "/documents/" + quote(document.symbol, safe="/")


def _document_id(session: Session, key: str) -> int:
    if key.isdigit() and int(key) <= MAX_ID:
        return catalogue.get_document_by_id(session, int(key)).id
    return editing.document_id_of(session, key)


def _document_page(page: Page, document: DocumentOut | None) -> FormPage:
    t = page.t
    if document is None:
        return FormPage(
            t("form_new_document"),
            "/documents/new",
            t("form_create"),
            ("/sessions", t("sessions_title")),
        )
    href = _document_href(document)
    return FormPage(
        t("form_edit_title", title=document.symbol),
        f"/documents/{document.id}/edit",
        t("form_save"),
        (href, document.symbol),
        record_href=f"/documents/{document.id}",
        delete_href=f"/documents/{document.id}/delete",
    )


@router.get("/documents/new")
def new_document_form(page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    """Before the document routes, whose paths would take "new" for a symbol."""
    return open_form(page, session, _document_page(page, None), NEW_DOCUMENT_FORM, None)


@router.post("/documents/new")
def new_document(page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        NEW_DOCUMENT_FORM,
        posted,
        write=lambda session, data, version: editing.create_document(session, data),
        read=lambda session: None,
        where=lambda record: _document_page(page, None),
        done=_document_href,
    )


@router.get("/documents/{key:path}/edit")
def edit_document_form(key: DocumentKey, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    document = catalogue.get_document_by_id(session, _document_id(session, key))
    return open_form(page, session, _document_page(page, document), DOCUMENT_FORM, document)


@router.post("/documents/{key:path}/edit")
def edit_document(key: DocumentKey, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        DOCUMENT_FORM,
        posted,
        write=lambda session, data, version: editing.edit_document(
            session, _document_id(session, key), data, version
        ),
        read=lambda session: catalogue.get_document_by_id(session, _document_id(session, key)),
        where=lambda document: _document_page(page, document),
        done=_document_href,
    )


def _delete_document_page(page: Page, document: DocumentOut) -> FormPage:
    return FormPage(
        page.t("form_delete_title", title=document.symbol),
        f"/documents/{document.id}/delete",
        page.t("form_delete"),
        (_document_href(document), document.symbol),
        record_href=f"/documents/{document.id}",
    )


@router.get("/documents/{key:path}/delete")
def delete_document_form(key: DocumentKey, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    document = catalogue.get_document_by_id(session, _document_id(session, key))
    return confirm_delete(page, session, _delete_document_page(page, document), document.version)


@router.post("/documents/{key:path}/delete")
def delete_document(key: DocumentKey, page: PageOf, posted: Posted) -> Response:
    def session_page(session: Session) -> str:
        """Where to go after: the page of the document's session."""
        number = catalogue.get_document_by_id(session, _document_id(session, key)).session
        return f"/sessions/{number}" if number else "/sessions"

    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: editing.delete_document(
            session, _document_id(session, key), version, message
        ),
        read=lambda session: catalogue.get_document_by_id(session, _document_id(session, key)),
        where=lambda document: _delete_document_page(page, document),
        done=session_page,
    )


# -- recommendations -----------------------------------------------------------------------


def _recommendation_page(page: Page, number: int) -> FormPage:
    href = f"/recommendations/{number}"
    title = page.t("recommendation_n", number=number)
    return FormPage(
        page.t("form_edit_title", title=title),
        f"{href}/edit",
        page.t("form_save"),
        (href, title),
        record_href=href,
    )


@router.get("/recommendations/{number}/edit")
def edit_recommendation_form(number: RecommendationNumber, page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD)
    recommendation = catalogue.get_recommendation(session, number)
    return open_form(
        page, session, _recommendation_page(page, number), RECOMMENDATION_FORM, recommendation
    )


@router.post("/recommendations/{number}/edit")
def edit_recommendation(number: RecommendationNumber, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        RECOMMENDATION_FORM,
        posted,
        write=lambda session, data, version: editing.edit_recommendation(
            session, number, data, version
        ),
        read=lambda session: catalogue.get_recommendation(session, number),
        where=lambda recommendation: _recommendation_page(page, number),
        done=lambda recommendation: f"/recommendations/{number}",
    )


# -- technical-assistance activities: editors, and focal points for their own countries -----


def _activity_title(page: Page, activity: ActivityOut) -> str:
    return pick_text(page.language, activity.title_zh, activity.title_en) or page.t(
        "activity_n", id=activity.id
    )


def _activity_page(page: Page, activity: ActivityOut | None) -> FormPage:
    t = page.t
    if activity is None:
        return FormPage(
            t("form_new_activity"),
            "/activities/new",
            t("form_create"),
            ("/activities", t("activities_title")),
        )
    href = f"/activities/{activity.id}"
    title = _activity_title(page, activity)
    return FormPage(
        t("form_edit_title", title=title),
        f"{href}/edit",
        t("form_save"),
        (href, title),
        record_href=href,
        delete_href=f"{href}/delete",
    )


def _own_countries(session: Session) -> set[str]:
    """A new activity is the viewer's to create if it can name some country of theirs;
    which countries it names is checked when it is written."""
    return set(current_actor().countries)


def _countries_of(activity_id: int) -> Countries:
    return lambda session: activities.activity_countries(session, activity_id)


@router.get("/activities/new")
def new_activity_form(page: PageOf, session: Db) -> Response:
    authorize(Action.EDIT_RECORD, countries=_own_countries(session))
    return open_form(page, session, _activity_page(page, None), NEW_ACTIVITY_FORM, None)


@router.post("/activities/new")
def new_activity(page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        NEW_ACTIVITY_FORM,
        posted,
        write=lambda session, data, version: activity_editing.create_activity(session, data),
        read=lambda session: None,
        where=lambda record: _activity_page(page, None),
        done=lambda activity: f"/activities/{activity.id}",
        countries=_own_countries,
    )


@router.get("/activities/{activity_id}/edit")
def edit_activity_form(activity_id: RecordId, page: PageOf, session: Db) -> Response:
    activity = activities.get_activity(session, activity_id)
    authorize(Action.EDIT_RECORD, countries=_countries_of(activity_id)(session))
    return open_form(page, session, _activity_page(page, activity), ACTIVITY_FORM, activity)


@router.post("/activities/{activity_id}/edit")
def edit_activity(activity_id: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_form(
        page,
        ACTIVITY_FORM,
        posted,
        write=lambda session, data, version: activity_editing.edit_activity(
            session, activity_id, data, version
        ),
        read=lambda session: activities.get_activity(session, activity_id),
        where=lambda activity: _activity_page(page, activity),
        done=lambda activity: f"/activities/{activity.id}",
        countries=_countries_of(activity_id),
    )


def _delete_activity_page(page: Page, activity: ActivityOut) -> FormPage:
    href = f"/activities/{activity.id}"
    title = _activity_title(page, activity)
    return FormPage(
        page.t("form_delete_title", title=title),
        f"{href}/delete",
        page.t("form_delete"),
        (href, title),
        record_href=href,
    )


@router.get("/activities/{activity_id}/delete")
def delete_activity_form(activity_id: RecordId, page: PageOf, session: Db) -> Response:
    activity = activities.get_activity(session, activity_id)
    authorize(Action.EDIT_RECORD, countries=_countries_of(activity_id)(session))
    return confirm_delete(page, session, _delete_activity_page(page, activity), activity.version)


@router.post("/activities/{activity_id}/delete")
def delete_activity(activity_id: RecordId, page: PageOf, posted: Posted) -> Response:
    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: activity_editing.delete_activity(
            session, activity_id, version, message
        ),
        read=lambda session: activities.get_activity(session, activity_id),
        where=lambda activity: _delete_activity_page(page, activity),
        done=lambda session: "/activities",
        countries=_countries_of(activity_id),
    )
