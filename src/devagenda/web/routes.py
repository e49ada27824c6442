"""The HTML pages. Each one reads through the services and renders a template; none
touches the ORM. Errors a reader can cause (an unknown record, a malformed filter) are
answered as pages in the reader's language, not as the API's JSON problems."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from pydantic import StringConstraints
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, allowed
from devagenda.activities import importers as activity_codes
from devagenda.activities import services as activities
from devagenda.activities.aggregates import country_activities, has_demo_data
from devagenda.activities.schemas import ActivitySummary
from devagenda.api.listing import ListFormat
from devagenda.api.params import StrictQuery, check_query_length
from devagenda.catalogue import services as catalogue
from devagenda.catalogue.schemas import DocumentOut
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied
from devagenda.reference import services as reference
from devagenda.reports import content
from devagenda.reports.ingest_runs import edition_history
from devagenda.reports.render import Format, Part, downloads
from devagenda.search import services as search_services
from devagenda.web import matrices
from devagenda.web.activity_figures import figures_page
from devagenda.web.csrf import SAFE_METHODS, CsrfChecked, CsrfRefused
from devagenda.web.dashboard import charts, dashboard
from devagenda.web.i18n import pick_text
from devagenda.web.list_specs import LISTS
from devagenda.web.lists import list_download, read_list
from devagenda.web.reader import reader_page
from devagenda.web.rendering import Page, WebState, error_page
from devagenda.web.search_view import search_view

PAGE_SIZE = 20
MAX_ID = 2_147_483_647  # the largest SQL INTEGER: beyond it nothing can match
# Report editions may come in any of the six UN languages; another code names nothing.
REPORT_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class PageRoute(APIRoute):
    """Answers the errors a reader can cause with a page: 404 for a record that does not
    exist (or a path that cannot name one), 422 for a malformed filter or cursor."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except NotFoundError as error:
                return error_page(request, 404, error)
            except RequestValidationError as error:
                in_path = any(item.get("loc", ("",))[0] == "path" for item in error.errors())
                return error_page(request, 404 if in_path else 422, error)
            except InputError as error:
                return error_page(request, 422, error)
            except CsrfRefused as error:
                return error_page(request, 403, error)
            except PermissionDenied as error:
                if not error.authenticated and request.method in SAFE_METHODS:
                    target = request.url.path + (
                        f"?{request.url.query}" if request.url.query else ""
                    )
                    return RedirectResponse(f"/login?{urlencode({'next': target})}", 303)
                return error_page(request, 403, error)

        return handle


# Pages that declare their query parameters; an undeclared one is refused (422). The list
# pages check theirs against their ListSpec instead.
# Every page router checks CSRF on unsafe methods (web/csrf.py; a test checks each route).
router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)
list_router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[CsrfChecked])


def web_state(request: Request) -> WebState:
    state = request.app.state.devagenda_web
    assert isinstance(state, WebState)
    return state


def database_session(request: Request) -> Iterator[Session]:
    """One read-only session per page, closed when the page is rendered."""
    with web_state(request).context.sessions() as session:
        yield session


Db = Annotated[Session, Depends(database_session)]
PageOf = Annotated[Page, Depends(Page)]
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
Cursor = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]


# -- overview and catalogue --------------------------------------------------------------


@router.get("/")
def home(page: PageOf, session: Db) -> Response:
    from devagenda.flexibilities.services import database_figures
    from devagenda.match.connections import connection_counts

    board = dashboard(session)
    return page.render(
        "home.html",
        board=board,
        charts=charts(board, page.t),
        flexibilities=database_figures(session),
        match=connection_counts(session),
    )


# -- list pages: /projects, /projects.csv, /projects.json, /projects.xlsx ...------------


def _add_list_pages(name: str) -> None:
    build = LISTS[name]

    def list_page(request: Request, page: PageOf, session: Db) -> Response:
        check_query_length(request)
        view = read_list(build(page, session), request.query_params.multi_items())
        return page.render(f"{name}.html", view=view, **view.spec.extras())

    def list_file(
        extension: Annotated[str, Path(max_length=8)],
        request: Request,
        page: PageOf,
        session: Db,
    ) -> Response:
        """The same list as a file; `.csv`, `.json` or `.xlsx` after the page's path."""
        if extension not in {f.value for f in ListFormat}:
            raise NotFoundError(f"no {name}.{extension[:8]}: use .csv, .json or .xlsx")
        check_query_length(request)
        params = request.query_params.multi_items()
        view = read_list(build(page, session), params, for_download=True)
        return list_download(view, ListFormat(extension))

    list_router.add_api_route(f"/{name}", list_page, methods=["GET"], name=f"{name}-list")
    list_router.add_api_route(
        f"/{name}.{{extension}}", list_file, methods=["GET"], name=f"{name}-file"
    )


for _name in LISTS:
    _add_list_pages(_name)


# -- technical-assistance activities ---------------------------------------------------------


@router.get("/activities/figures")
def activity_figures(
    page: PageOf,
    session: Db,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    demo: bool = False,
) -> Response:
    """Before the activity route, whose path would take "figures" for an id."""
    figures = figures_page(session, page.t, year, demo=demo)
    return page.render("activity_figures.html", figures=figures)


@router.get("/activities/{activity_id}")
def activity(activity_id: RecordId, page: PageOf, session: Db) -> Response:
    record = activities.get_activity(session, activity_id)
    return page.render(
        "activity.html",
        activity=record,
        may_edit_activity=_may_edit_activity(session, page, activity_id),
        sector=reference.get_sector(session, record.sector) if record.sector else None,
        areas=activity_codes.subject_areas(),
        spoken=activity_codes.languages(),
        **_actor_names(session, page),
    )


@router.get("/activities/{activity_id}/history")
def activity_history(activity_id: RecordId, page: PageOf, session: Db) -> Response:
    record = activities.get_activity(session, activity_id)
    return _history_page(
        page,
        session,
        "activity",
        activity_id,
        title=activity_title(page, record),
        record_href=f"/activities/{activity_id}",
        editable=_may_edit_activity(session, page, activity_id),
    )


def _may_edit_activity(session: Session, page: Page, activity_id: int) -> bool:
    countries = activities.activity_countries(session, activity_id)
    return allowed(Action.EDIT_RECORD, countries=countries, actor=page.viewer)


def activity_title(page: Page, record: ActivitySummary) -> str:
    return pick_text(page.language, record.title_zh, record.title_en) or page.t(
        "activity_n", id=record.id
    )


@router.get("/consultants/{consultant_id}")
def consultant(consultant_id: RecordId, page: PageOf, session: Db) -> Response:
    """A consultant of the roster; personal data only for editors and administrators
    (the service leaves it out for everyone else)."""
    from devagenda.activities.importers import languages, subject_areas
    from devagenda.roster import services as roster
    from devagenda.roster.schemas import ConsultantPersonalOut

    found = roster.get_consultant(session, consultant_id)
    fields, spoken = subject_areas(), languages()
    pick = (lambda c: c.name_zh) if page.language == "zh" else (lambda c: c.name_en)
    return page.render(
        "consultant.html",
        consultant=found,
        personal=isinstance(found, ConsultantPersonalOut),
        field_names=[pick(fields[f]) if f in fields else f for f in found.ip_fields],
        language_names=[pick(spoken[x]) if x in spoken else x for x in found.languages],
        country_names=page.actor_names(session),
    )


@router.get("/recommendations/{number}")
def recommendation(
    number: Annotated[int, Path(ge=1, le=45)], page: PageOf, session: Db
) -> Response:
    return page.render(
        "recommendation.html", recommendation=catalogue.get_recommendation(session, number)
    )


@router.get("/projects/{project_id}")
def project(project_id: RecordId, page: PageOf, session: Db) -> Response:
    return page.render("project.html", project=catalogue.get_project(session, project_id))


@router.get("/countries/{name}")
def country(
    name: Annotated[str, Path(max_length=100, pattern=r"^[^\x00/]+$")],
    page: PageOf,
    session: Db,
) -> Response:
    """By ISO code (UGA, UG), or by a name in either language (Uganda, 乌干达), which the
    resolver turns into a redirect to the code's page."""
    if re.fullmatch(r"[A-Za-z]{2,3}", name):
        record = reference.get_country_detail(session, name)
        if record.alpha3 != name:
            return RedirectResponse(_with_language(page, f"/countries/{record.alpha3}"), 301)
        from devagenda.flexibilities.services import country_flexibilities
        from devagenda.roster.services import country_consultants
        from devagenda.web.match import country_posts

        # With demo data stored, the links name the real data the counts are of.
        real_only = "&demo=false" if has_demo_data(session) else ""
        return page.render(
            "actor.html",
            record=record,
            activities=country_activities(session, record.alpha3),
            consultants=country_consultants(session, record.alpha3),
            flexibilities=country_flexibilities(session, record.alpha3),
            match_posts=country_posts(session, record.alpha3),
            real_only=real_only,
            **_actor_names(session, page),
        )
    resolved = reference.resolve_names(session, [name], limit=1)[0]
    if resolved.country is not None:
        target = f"/countries/{resolved.country.alpha3}"
    elif resolved.group is not None:
        target = f"/groups/{resolved.group.code}"
    else:
        raise NotFoundError(f"no country named {name[:100]!r}")
    return RedirectResponse(_with_language(page, target), 307)


def _with_language(page: Page, path: str) -> str:
    asked = page.request.query_params.get("lang")
    return f"{path}?lang={asked}" if asked else path


@router.get("/groups/{code}")
def group(
    code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{2,32}$")], page: PageOf, session: Db
) -> Response:
    record = reference.get_group_detail(session, code)
    return page.render("actor.html", record=record, activities=None, **_actor_names(session, page))


def _actor_names(session: Session, page: Page) -> dict[str, dict[str, str]]:
    """Names of groups and countries, for the codes a country or group page lists."""
    names = page.actor_names(session)
    groups = {g.code for g in reference.group_listing(session).all()}
    return {
        "group_names": {code: name for code, name in names.items() if code in groups},
        "country_names": {code: name for code, name in names.items() if code not in groups},
    }


@router.get("/sessions/{number}")
def cdip_session(number: RecordId, page: PageOf, session: Db) -> Response:
    return page.render("session.html", cdip=catalogue.get_cdip_session(session, number))


@router.get("/documents/{key:path}/history")
def document_history(
    key: Annotated[str, Path(max_length=64, pattern=r"^[^\x00]+$")], page: PageOf, session: Db
) -> Response:
    """Before the document route, whose path would take "/history" for part of a symbol."""
    found = _document(session, key)
    return _history_page(
        page,
        session,
        "document",
        found.id,
        title=found.symbol,
        record_href=f"/documents/{found.id}",
    )


@router.get("/documents/{key:path}")
def document(
    key: Annotated[str, Path(max_length=64, pattern=r"^[^\x00]+$")], page: PageOf, session: Db
) -> Response:
    """By id (search results link so) or by symbol (pages link so: CDIP/31/4)."""
    return page.render("document.html", document=_document(session, key))


def _document(session: Session, key: str) -> DocumentOut:
    if key.isdigit() and int(key) <= MAX_ID:
        return catalogue.get_document_by_id(session, int(key))
    return catalogue.get_document(session, key)


@router.get("/expected-results/{code}")
def expected_result(
    code: Annotated[str, Path(pattern=r"^\d{1,2}\.\d{1,2}$")], page: PageOf, session: Db
) -> Response:
    return page.render("expected_result.html", result=reference.get_expected_result(session, code))


@router.get("/sectors/{code}")
def sector(
    code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,16}$")], page: PageOf, session: Db
) -> Response:
    return page.render("sector.html", sector=reference.get_sector(session, code))


# -- matrices ----------------------------------------------------------------------------

_MATRIX_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/matrices")
def matrix_index(page: PageOf, session: Db) -> Response:
    return page.render("matrices.html", summaries=matrices.summaries(session, page.language))


@router.get("/matrices/{file}")
def matrix(file: Annotated[str, Path(max_length=64)], page: PageOf, session: Db) -> Response:
    """The page, or with `.csv` / `.xlsx` the same matrix as a download."""
    name, _, extension = file.partition(".")
    if name not in matrices.NAMES or extension not in ("", *_MATRIX_TYPES):
        raise NotFoundError(f"no matrix {file!r}")
    built = matrices.build(session, name, page.language)
    if not extension:
        return page.render("matrix.html", matrix=built, names=matrices.NAMES)
    header = [page.t("recommendation"), page.t("cluster"), page.t("immediate"), page.t("text")]
    write = matrices.to_csv if extension == "csv" else matrices.to_xlsx
    return Response(
        write(built, header),
        media_type=_MATRIX_TYPES[extension],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{page.language}.{extension}"'
        },
    )


# -- reports and search ------------------------------------------------------------------


@router.get("/reports")
def reports(page: PageOf, session: Db) -> Response:
    return page.render("reports.html", reports=list(content.report_listing(session).all()))


@router.get("/reports/{year}/{language}")
def report(
    request: Request,
    year: Annotated[int, Path(ge=1900, le=2999)],
    language: Annotated[str, Path(pattern=r"^[a-z]{2}$")],
    page: PageOf,
    session: Db,
) -> Response:
    if language not in REPORT_LANGUAGES:
        raise NotFoundError(f"no language {language!r}")
    reader = reader_page(session, year, language, page.t("footnote"))
    editions = downloads.available_editions(session, year)
    history = edition_history(session, year, reader.report.language)
    return page.render(
        "report.html", reader=reader, wanted=language, editions=editions, history=history
    )


@router.get("/reports/{year}/{language}/edition.{extension}")
def edition_download(
    year: Annotated[int, Path(ge=1900, le=2999)],
    language: Annotated[str, Path(pattern=r"^[a-z]{2}$")],
    extension: Annotated[str, Path(pattern=r"^(pdf|docx|md)$")],
    session: Db,
    part: Annotated[Part, Query()] = Part.ALL,
    corrected: Annotated[bool, Query()] = False,
) -> Response:
    """An edition of the report as a file (the same one `devagenda report build` writes)."""
    edition = downloads.edition_file(
        session,
        year=year,
        language=language,
        format=Format(extension),
        part=part,
        corrected=corrected,
    )
    disposition = f'attachment; filename="{edition.filename}"'
    return Response(
        edition.content, media_type=edition.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/search")
def search(
    page: PageOf,
    session: Db,
    q: Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$")] = "",
    kind: Annotated[list[Kind] | None, Query()] = None,
    status: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.]{1,32}$")] = None,
    cluster: Annotated[str | None, Query(pattern=r"^[A-Za-z]$")] = None,
    sector: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.]{1,32}$")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$")] = None,
    cursor: Cursor = None,
) -> Response:
    results = search_services.search(
        session,
        q,
        kinds=kind,
        status=status,
        cluster=cluster.upper() if cluster else None,
        sector=sector.upper() if sector else None,
        country=country.upper() if country else None,
        year=year,
        language=language,
        display_language=page.language,
        limit=PAGE_SIZE,
        cursor=cursor,
    )
    return page.render("search.html", q=q, view=search_view(session, page, results))


# -- history tabs: a record's change log, newest first ---------------------------------------

HISTORY_ENTRIES = 100


@router.get("/projects/{project_id}/history")
def project_history(project_id: RecordId, page: PageOf, session: Db) -> Response:
    record = catalogue.get_project(session, project_id)
    return _history_page(
        page,
        session,
        "project",
        project_id,
        title=page.loc(record.title_zh, record.title_en),
        record_href=f"/projects/{project_id}",
    )


@router.get("/sessions/{number}/history")
def cdip_session_history(number: RecordId, page: PageOf, session: Db) -> Response:
    catalogue.get_cdip_session(session, number)
    title = page.t("session_n", number=number)
    return _history_page(
        page, session, "cdip_session", number, title=title, record_href=f"/sessions/{number}"
    )


@router.get("/recommendations/{number}/history")
def recommendation_history(
    number: Annotated[int, Path(ge=1, le=45)], page: PageOf, session: Db
) -> Response:
    catalogue.get_recommendation(session, number)
    title = page.t("recommendation_n", number=number)
    return _history_page(
        page,
        session,
        "recommendation",
        number,
        title=title,
        record_href=f"/recommendations/{number}",
    )


def _history_page(
    page: Page,
    session: Session,
    record_type: str,
    key: int,
    *,
    title: str,
    record_href: str,
    editable: bool | None = None,
) -> Response:
    """`editable` says whether the viewer may edit this record, where that depends on the
    record (a focal point's countries) rather than on the role alone."""
    from devagenda.changes.services import may_revert, recent_history

    return page.render(
        "history.html",
        title=title,
        record_href=record_href,
        record_editable=editable,
        entries=recent_history(session, record_type, str(key), limit=HISTORY_ENTRIES),
        shown_at_most=HISTORY_ENTRIES,
        may_revert=may_revert(),
    )


@router.post("/changes/{change_id}/revert")
def revert_change(request: Request, change_id: RecordId) -> Response:
    """The History tab's revert button (editors only; the CSRF check is the router's):
    back to the page of the record, or to the change itself when it has none."""
    from devagenda.changes.services import history_href, revert

    with web_state(request).context.transaction() as session:
        written = revert(session, change_id)
    target = next((href for href in map(history_href, written) if href), None)
    return RedirectResponse(target or f"/api/changes/{change_id}", status_code=303)
