"""The HTML pages. Each one reads through the services and renders a template; none
touches the ORM. Errors a reader can cause (an unknown record, a malformed filter) are
answered as pages in the reader's language, not as the API's JSON problems."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, StringConstraints, ValidationError
from sqlalchemy.orm import Session

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.models import ProjectStatus
from devagenda.catalogue.schemas import ProjectFilter
from devagenda.core.errors import InputError, NotFoundError
from devagenda.reference import services as reference
from devagenda.reference.models import DevelopmentStatus, WipoRegion
from devagenda.reference.schemas import CountryFilter, CountryOut, GroupOut
from devagenda.reports import content
from devagenda.reports.ingest_runs import edition_history
from devagenda.reports.render import Format, Part, downloads
from devagenda.search import services as search_services
from devagenda.web import matrices
from devagenda.web.dashboard import charts, cluster_coverage, dashboard
from devagenda.web.reader import reader_page
from devagenda.web.rendering import Page, WebState
from devagenda.web.search_view import search_view

PAGE_SIZE = 20
MAX_ID = 2_147_483_647  # the largest SQL INTEGER: beyond it nothing can match

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Filter = TypeVar("Filter", bound=BaseModel)


class PageRoute(APIRoute):
    """Answers the errors a reader can cause with a page: 404 for a record that does not
    exist (or a path that cannot name one), 422 for a malformed filter or cursor."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except NotFoundError as error:
                return _error_page(request, 404, str(error))
            except RequestValidationError as error:
                in_path = any(item.get("loc", ("",))[0] == "path" for item in error.errors())
                return _error_page(request, 404 if in_path else 422, _describe(error))
            except InputError as error:
                return _error_page(request, 422, str(error))

        return handle


def _describe(error: RequestValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', ())[1:])}: {item.get('msg', '')}"
        for item in error.errors()
    )


def _error_page(request: Request, status: int, detail: str) -> Response:
    page = Page(request)
    return page.render("error.html", status_code=status, status=status, detail=detail)


router = APIRouter(route_class=PageRoute, include_in_schema=False)


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


def _validated(model: type[Filter], request: Request) -> Filter:
    """A filter model from the query string; empty values (a form's "any") are absent."""
    fields = model.model_fields
    values = {k: v for k, v in request.query_params.items() if k in fields and v.strip()}
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors()
        )
        raise InputError(problems, field="query") from None


# -- overview and catalogue --------------------------------------------------------------


@router.get("/")
def home(page: PageOf, session: Db) -> Response:
    board = dashboard(session)
    return page.render("home.html", board=board, charts=charts(board, page.t))


@router.get("/recommendations")
def recommendations(page: PageOf, session: Db) -> Response:
    return page.render("recommendations.html", clusters=cluster_coverage(session))


@router.get("/recommendations/{number}")
def recommendation(
    number: Annotated[int, Path(ge=1, le=45)], page: PageOf, session: Db
) -> Response:
    return page.render(
        "recommendation.html", recommendation=catalogue.get_recommendation(session, number)
    )


@router.get("/projects")
def projects(request: Request, page: PageOf, session: Db, cursor: Cursor = None) -> Response:
    filters = _validated(ProjectFilter, request)
    listing = catalogue.project_listing(session, filters)
    return page.render(
        "projects.html",
        filters=filters,
        results=listing.page(limit=PAGE_SIZE, cursor=cursor),
        statuses=list(ProjectStatus),
        clusters=list(catalogue.cluster_listing(session).all()),
        sectors={s.code: s for s in reference.sector_listing(session).all()},
        sessions=list(catalogue.cdip_session_listing(session).all()),
        filtered=any(value is not None for value in filters.model_dump().values()),
    )


@router.get("/projects/{project_id}")
def project(project_id: RecordId, page: PageOf, session: Db) -> Response:
    return page.render("project.html", project=catalogue.get_project(session, project_id))


@router.get("/countries")
def countries(request: Request, page: PageOf, session: Db) -> Response:
    filters = _validated(CountryFilter, request)
    return page.render(
        "countries.html",
        filters=filters,
        countries=list(reference.country_listing(session, filters).all()),
        regions=list(WipoRegion),
        statuses=list(DevelopmentStatus),
    )


@router.get("/countries/{code}")
def country(
    code: Annotated[str, Path(pattern=r"^[A-Za-z]{2,3}$")], page: PageOf, session: Db
) -> Response:
    record = reference.get_country_detail(session, code)
    return page.render("actor.html", record=record, **_actor_names(session, page))


@router.get("/groups/{code}")
def group(
    code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{2,32}$")], page: PageOf, session: Db
) -> Response:
    record = reference.get_group_detail(session, code)
    return page.render("actor.html", record=record, **_actor_names(session, page))


def _actor_names(session: Session, page: Page) -> dict[str, dict[str, str]]:
    """Names of groups and countries, for the codes a country or group page lists."""

    def name(actor: CountryOut | GroupOut) -> str:
        return actor.name_zh if page.language == "zh" else actor.name_en

    return {
        "group_names": {g.code: name(g) for g in reference.group_listing(session).all()},
        "country_names": {c.alpha3: name(c) for c in reference.list_countries(session)},
    }


@router.get("/sessions")
def sessions(page: PageOf, session: Db) -> Response:
    return page.render(
        "sessions.html", sessions=list(catalogue.cdip_session_listing(session).all())
    )


@router.get("/sessions/{number}")
def cdip_session(number: RecordId, page: PageOf, session: Db) -> Response:
    return page.render("session.html", cdip=catalogue.get_cdip_session(session, number))


@router.get("/documents/{key:path}")
def document(
    key: Annotated[str, Path(max_length=64, pattern=r"^[^\x00]+$")], page: PageOf, session: Db
) -> Response:
    """By id (search results link so) or by symbol (pages link so: CDIP/31/4)."""
    if key.isdigit() and int(key) <= MAX_ID:
        found = catalogue.get_document_by_id(session, int(key))
    else:
        found = catalogue.get_document(session, key)
    return page.render("document.html", document=found)


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
