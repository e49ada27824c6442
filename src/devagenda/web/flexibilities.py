"""The flexibilities pages: the categories, a provision with its "Member State updates",
both comparison views with links to their exports, and the form on which a focal point
submits an update for their own jurisdiction. Every read and write goes through
devagenda.flexibilities.services, which decides who may do what."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from devagenda.api.params import StrictQuery
from devagenda.core.actor import Role
from devagenda.core.errors import InvalidEdit
from devagenda.flexibilities import services
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn
from devagenda.web.csrf import CsrfChecked
from devagenda.web.routes import Db, PageOf, PageRoute, RecordId, web_state

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)
CategoryCode = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]+$")]
Alpha3 = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
FIELD_NAMES = frozenset(
    {
        "communication_reference",
        "communication_date",
        "summary",
        "provision",
        "category",
        "law_title",
        "law_number",
        "articles",
        "language",
        "text",
        "link",
    }
)
Codes = Annotated[str, Query(max_length=400, pattern=r"^[A-Za-z, ]*$")]


def _names(page: PageOf, session: Db) -> dict[str, object]:
    from devagenda.reference import services as reference

    countries = {c.alpha3: c for c in reference.list_countries(session)}
    categories = {c.code: c for c in services.category_list(session)}
    zh = page.language == "zh"
    return {
        "country_name": lambda code: (
            (countries[code].name_zh if zh else countries[code].name_en)
            if code in countries
            else code
        ),
        "category_name": lambda code: (
            (categories[code].name_zh if zh else categories[code].name_en)
            if code in categories
            else code
        ),
    }


@router.get("/flexibilities")
def flexibilities_home(page: PageOf, session: Db) -> Response:
    return page.render(
        "flexibilities.html", categories=services.category_list(session), **_names(page, session)
    )


@router.get("/flexibilities/jurisdiction")
def jurisdiction_choice(
    page: PageOf, code: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")]
) -> Response:
    """The home page's form: to the jurisdiction's page, without any script."""
    target = f"/flexibilities/jurisdictions/{code.upper()}?lang={page.language}"
    return RedirectResponse(target, 303)


@router.get("/flexibilities/categories/{category}")
def category_page(
    category: CategoryCode, page: PageOf, session: Db, jurisdictions: Codes = ""
) -> Response:
    codes = [code.strip().upper() for code in jurisdictions.split(",") if code.strip()]
    rows = services.compare_category(session, category, codes) if codes else []
    return page.render(
        "flexibility_category.html",
        category=category,
        jurisdictions=",".join(codes),
        rows=rows,
        **_names(page, session),
    )


@router.get("/flexibilities/jurisdictions/{jurisdiction}")
def jurisdiction_page(jurisdiction: Alpha3, page: PageOf, session: Db) -> Response:
    code = jurisdiction.upper()
    return page.render(
        "flexibility_jurisdiction.html",
        jurisdiction=code,
        rows=services.compare_jurisdiction(session, code),
        updates=services.jurisdiction_updates(session, code),
        may_submit=page.viewer.role is Role.FOCAL_POINT and code in page.viewer.countries,
        **_names(page, session),
    )


@router.get("/flexibilities/provisions/{provision_id}")
def provision_page(provision_id: RecordId, page: PageOf, session: Db) -> Response:
    return page.render(
        "flexibility_provision.html",
        provision=services.get_provision(session, provision_id),
        **_names(page, session),
    )


def _form(
    page: PageOf,
    session: Db,
    jurisdiction: str,
    posted: dict[str, str],
    problems: dict[str, str],
    status: int = 200,
) -> Response:
    return page.render(
        "flexibility_update.html",
        status_code=status,
        jurisdiction=jurisdiction,
        provisions=services.list_provisions(session, jurisdiction=jurisdiction),
        categories=services.category_list(session),
        posted=posted,
        problems=problems,
        field_names=FIELD_NAMES,
        **_names(page, session),
    )


@router.get("/flexibilities/jurisdictions/{jurisdiction}/update")
def update_form(jurisdiction: Alpha3, page: PageOf, session: Db) -> Response:
    """The form, for the jurisdiction's focal point (the service refuses anyone else
    when they submit; others are told so here already)."""
    code = jurisdiction.upper()
    services.check_submitter(code)
    return _form(page, session, code, {}, {})


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.post("/flexibilities/jurisdictions/{jurisdiction}/update")
def submit_update(
    jurisdiction: Alpha3,
    request: Request,
    page: PageOf,
    posted: Annotated[dict[str, str], Depends(_posted)],
) -> Response:
    code = jurisdiction.upper()
    context = web_state(request).context
    try:
        with context.transaction() as session:
            update = services.submit_update(session, _update_of(session, code, posted))
    except InvalidEdit as refused:
        with context.sessions() as session:
            return _form(page, session, code, posted, refused.problems, 422)
    first = next(iter(update.provisions))
    return RedirectResponse(f"/flexibilities/provisions/{first}?lang={page.language}", 303)


def _update_of(session: Db, jurisdiction: str, posted: dict[str, str]) -> UpdateIn:
    """The form's fields as an update: it amends the chosen provision, or, with none
    chosen, adds one in the chosen category."""
    problems: dict[str, str] = {}
    communication_date: date | None = None
    try:
        communication_date = date.fromisoformat(posted.get("communication_date", ""))
    except ValueError:
        problems["communication_date"] = "a date (YYYY-MM-DD)"
    for name in ("communication_reference", "summary", "law_title", "text"):
        if not posted.get(name, "").strip():
            problems[name] = "value is empty"
    target = posted.get("provision", "")
    if target and not target.isdigit():
        problems["provision"] = "choose a provision of the list"
    if not target and not posted.get("category"):
        problems["provision"] = "choose the provision it amends, or the category of a new one"
    if problems:
        raise InvalidEdit(problems)
    category = posted.get("category", "")
    if target:
        category = services.get_provision(session, int(target)).category
    try:
        provision = ProvisionIn(
            jurisdiction=jurisdiction,
            category=category,
            law_title=posted["law_title"].strip(),
            law_number=posted.get("law_number", "").strip() or None,
            articles=posted.get("articles", "").strip(),
            texts={posted.get("language", "en"): posted["text"].strip()},
            link=posted.get("link", "").strip() or None,
        )
        return UpdateIn(
            jurisdiction=jurisdiction,
            communication_reference=posted["communication_reference"].strip(),
            communication_date=communication_date,
            summary=posted["summary"].strip(),
            amends={int(target): provision} if target else {},
            adds=[] if target else [provision],
        )
    except (ValidationError, ValueError) as error:
        raise InvalidEdit({"provision": str(error).splitlines()[0]}) from None
