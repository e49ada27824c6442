"""Routes of the flexibilities database: categories, provisions (counted list and one
provision with its member-state updates), the two comparison views with their exports,
and the writes: provisions by editors (created, and changed or deleted at the version
their `ETag` names, as every editable record), updates by the jurisdiction's focal
point, an update attached to a provision by editors (devagenda.flexibilities.services
decides)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Security, status
from fastapi.responses import Response

from devagenda.api.accounts import BEARER
from devagenda.api.dependencies import DatabaseSession, app_context
from devagenda.api.editing import DELETE, WRITE, Message
from devagenda.api.listing import ListQuery, SortQuery, faceted_response, list_responses
from devagenda.api.params import RecordId
from devagenda.api.problems import problem_responses
from devagenda.api.versions import ExpectedVersion, send_version
from devagenda.catalogue.schemas import Year
from devagenda.core.listing import FacetedPage
from devagenda.flexibilities import services
from devagenda.flexibilities.exporters import MEDIA_TYPES
from devagenda.flexibilities.schemas import (
    AttachIn,
    CategoryOut,
    ComparisonRow,
    ProvisionEdit,
    ProvisionFilter,
    ProvisionIn,
    ProvisionOut,
    UpdateCount,
    UpdateIn,
    UpdateOut,
)

router = APIRouter(tags=["flexibilities"])
Format = Annotated[
    Literal["json", "csv", "xlsx", "pdf"], Query(description="json, or a file: csv, xlsx, pdf.")
]
Lang = Annotated[Literal["zh", "en"], Query(description="Language of an exported file.")]
EXPORT_RESPONSES = {
    200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
    **problem_responses(404, 422),
}


@router.get("/flexibilities/categories")
def list_categories(session: DatabaseSession) -> list[CategoryOut]:
    """The flexibility categories per field of IP law, in English and Chinese."""
    return services.category_list(session)


@router.get(
    "/flexibilities/provisions",
    response_model=FacetedPage[ProvisionOut] | list[ProvisionOut],
    responses=list_responses(),
)
def list_provisions(
    filters: Annotated[ProvisionFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[ProvisionOut] | Response:
    """Provisions with their member-state updates, their total and the counts of the
    facets `jurisdiction` and `category`. Sorts: `jurisdiction`, `category`, `in_force`."""
    return faceted_response(
        lambda f: services.provision_source(session, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        ProvisionOut,
        "provisions",
    )


@router.get("/flexibilities/provisions/{provision_id}", responses=problem_responses(404, 422))
def get_provision(
    provision_id: RecordId, session: DatabaseSession, response: Response
) -> ProvisionOut:
    """One provision, its texts per language and its "Member State updates"; its `ETag`
    is the version a PATCH or DELETE must name."""
    provision = services.get_provision(session, provision_id)
    send_version(response, provision.version)
    return provision


def _file(data: bytes, kind: str, name: str) -> Response:
    return Response(
        data,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


@router.get(
    "/flexibilities/compare/category/{category}",
    response_model=list[ComparisonRow],
    responses=EXPORT_RESPONSES,
)
def compare_category(
    category: str,
    session: DatabaseSession,
    jurisdictions: Annotated[str, Query(description="ISO alpha-3 codes, comma-separated.")],
    format: Format = "json",
    lang: Lang = "en",
) -> list[ComparisonRow] | Response:
    """One category across the chosen jurisdictions, side by side; a jurisdiction with
    no recorded provision has no provisions (not stated)."""
    codes = [code.strip() for code in jurisdictions.split(",") if code.strip()]
    if format == "json":
        return services.compare_category(session, category, codes)
    data = services.export_comparison(session, format, lang, category=category, jurisdictions=codes)
    return _file(data, format, f"flexibility-{category}")


@router.get(
    "/flexibilities/compare/jurisdiction/{jurisdiction}",
    response_model=list[ComparisonRow],
    responses=EXPORT_RESPONSES,
)
def compare_jurisdiction(
    jurisdiction: str, session: DatabaseSession, format: Format = "json", lang: Lang = "en"
) -> list[ComparisonRow] | Response:
    """One jurisdiction across every category; not stated where none is recorded."""
    if format == "json":
        return services.compare_jurisdiction(session, jurisdiction)
    data = services.export_comparison(session, format, lang, jurisdiction=jurisdiction)
    return _file(data, format, f"flexibilities-{jurisdiction.upper()}")


@router.get("/flexibilities/updates/count", responses=problem_responses(422))
def count_updates(session: DatabaseSession, year: Annotated[Year, Query()]) -> UpdateCount:
    """How many member-state updates the database received in `year`."""
    return UpdateCount(year=year, updates=services.updates_received(session, year))


@router.get("/flexibilities/updates/{update_id}", responses=problem_responses(404, 422))
def get_update(update_id: RecordId, session: DatabaseSession) -> UpdateOut:
    return services.get_update(session, update_id)


@router.post(
    "/flexibilities/provisions",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 403, 422),
    dependencies=[Security(BEARER)],
)
def create_provision(request: Request, data: ProvisionIn, response: Response) -> ProvisionOut:
    """A provision recorded by the secretariat (editors and administrators)."""
    with app_context(request).transaction() as session:
        provision = services.create_provision(session, data)
    response.headers["Location"] = f"/api/flexibilities/provisions/{provision.id}"
    send_version(response, provision.version)
    return provision


@router.patch("/flexibilities/provisions/{provision_id}", dependencies=[Security(BEARER)], **WRITE)
def edit_provision(
    request: Request,
    provision_id: RecordId,
    data: ProvisionEdit,
    version: ExpectedVersion,
    response: Response,
) -> ProvisionOut:
    """Change the fields the body sets (editors and administrators; a focal point goes
    through a member-state update): a field left out stays, null clears it."""
    with app_context(request).transaction() as session:
        provision = services.edit_provision(session, provision_id, data, version)
    send_version(response, provision.version)
    return provision


@router.delete(
    "/flexibilities/provisions/{provision_id}", dependencies=[Security(BEARER)], **DELETE
)
def delete_provision(
    request: Request, provision_id: RecordId, version: ExpectedVersion, message: Message = None
) -> Response:
    """Delete a provision with its texts and update links (all logged, so a revert of
    the change brings it back)."""
    with app_context(request).transaction() as session:
        services.delete_provision(session, provision_id, version, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/flexibilities/updates",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 403, 422),
    dependencies=[Security(BEARER)],
)
def submit_update(request: Request, data: UpdateIn, response: Response) -> UpdateOut:
    """A member-state update, by a focal point of its jurisdiction only, citing the
    official communication; published at once on the provisions it amends or adds."""
    with app_context(request).transaction() as session:
        update = services.submit_update(session, data)
    response.headers["Location"] = f"/api/flexibilities/updates/{update.id}"
    return update


@router.post(
    "/flexibilities/updates/{update_id}/provisions",
    responses=problem_responses(400, 403, 404, 422),
    dependencies=[Security(BEARER)],
)
def attach_update(request: Request, update_id: RecordId, data: AttachIn) -> UpdateOut:
    """Attach an update to a provision of its jurisdiction that it changes (editors)."""
    with app_context(request).transaction() as session:
        return services.attach_update(session, update_id, data.provision_id, data.effect)
