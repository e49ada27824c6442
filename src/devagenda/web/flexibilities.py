"""The flexibilities pages: the categories, a provision with its "Member State updates",
both comparison views with links to their exports, a member-state update, the form on
which a focal point submits an update for their own jurisdiction, and the editors'
pages: a provision's edit form (web/forms.py, as every record's), its deletion, and
the page that attaches an update to the provisions it changes. Every read and write
goes through devagenda.flexibilities.services, which decides who may do what."""

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
from devagenda.flexibilities.importers import UN_LANGUAGES
from devagenda.flexibilities.models import UpdateEffect
from devagenda.flexibilities.schemas import ProvisionEdit, ProvisionIn, ProvisionOut, UpdateIn
from devagenda.web.csrf import CsrfChecked
from devagenda.web.editing import (
    FormPage,
    Posted,
    confirm_delete,
    open_form,
    submit_delete,
    submit_form,
)
from devagenda.web.forms import MESSAGE, SOURCE, Choice, FormField, Input, RecordForm
from devagenda.web.i18n import Messages
from devagenda.web.rendering import Page
from devagenda.web.routes import Db, PageOf, PageRoute, RecordId, _history_page, web_state

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
# The texts of the edit form: the interface's two languages first, then the other UN ones.
TEXT_LANGUAGES = ("en", "zh", *(code for code in UN_LANGUAGES if code not in ("en", "zh")))


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
        may_write=services.may_write_provisions(page.viewer),
        **_names(page, session),
    )


@router.get("/flexibilities/provisions/{provision_id}/history")
def provision_history(provision_id: RecordId, page: PageOf, session: Db) -> Response:
    provision = services.get_provision(session, provision_id)
    return _history_page(
        page,
        session,
        "flexibility_provision",
        provision_id,
        title=provision.law_title,
        record_href=f"/flexibilities/provisions/{provision_id}",
        editable=services.may_write_provisions(page.viewer),
    )


# -- editing a provision (editors and administrators) ---------------------------------------


def _category_options(t: Messages, session: Db) -> list[Choice]:
    zh = t.language == "zh"
    return [(c.code, c.name_zh if zh else c.name_en) for c in services.category_list(session)]


def _text_field(language: str) -> FormField:
    return FormField(
        f"text_{language}",
        f"flex_text_{language}",
        ("texts", language),
        lambda p: p.texts.get(language),
        Input.TEXTAREA,
    )


PROVISION_FORM = RecordForm(
    ProvisionEdit,
    (
        FormField("law_title", "flex_field_law_title", ("law_title",), lambda p: p.law_title),
        FormField("law_number", "flex_law_number", ("law_number",), lambda p: p.law_number),
        FormField("law_date", "flex_law_date", ("law_date",), lambda p: p.law_date, Input.DATE),
        FormField("articles", "flex_articles", ("articles",), lambda p: p.articles),
        FormField(
            "category",
            "flex_category",
            ("category",),
            lambda p: p.category,
            Input.SELECT,
            _category_options,
            blank_choice=False,
        ),
        FormField(
            "jurisdiction", "flex_jurisdiction_code", ("jurisdiction",), lambda p: p.jurisdiction
        ),
        FormField("code", "flex_code", ("code",), lambda p: p.code, hint="flex_code_hint"),
        *(_text_field(language) for language in TEXT_LANGUAGES),
        FormField("link", "flex_link", ("link",), lambda p: p.link),
        FormField(
            "in_force_date",
            "flex_in_force",
            ("in_force_date",),
            lambda p: p.in_force_date,
            Input.DATE,
        ),
        SOURCE,
        MESSAGE,
    ),
)


def _provision_page(page: Page, provision: ProvisionOut) -> FormPage:
    href = f"/flexibilities/provisions/{provision.id}"
    return FormPage(
        page.t("form_edit_title", title=provision.law_title),
        f"{href}/edit",
        page.t("form_save"),
        (href, provision.law_title),
        record_href=href,
        delete_href=f"{href}/delete",
    )


@router.get("/flexibilities/provisions/{provision_id}/edit")
def edit_provision_form(provision_id: RecordId, page: PageOf, session: Db) -> Response:
    services.check_secretariat("edit_provision")
    provision = services.get_provision(session, provision_id)
    return open_form(page, session, _provision_page(page, provision), PROVISION_FORM, provision)


@router.post("/flexibilities/provisions/{provision_id}/edit")
def edit_provision(provision_id: RecordId, page: PageOf, posted: Posted) -> Response:
    services.check_secretariat("edit_provision")
    return submit_form(
        page,
        PROVISION_FORM,
        posted,
        write=lambda session, data, version: services.edit_provision(
            session, provision_id, data, version
        ),
        read=lambda session: services.get_provision(session, provision_id),
        where=lambda provision: _provision_page(page, provision),
        done=lambda provision: f"/flexibilities/provisions/{provision.id}",
    )


def _delete_provision_page(page: Page, provision: ProvisionOut) -> FormPage:
    href = f"/flexibilities/provisions/{provision.id}"
    return FormPage(
        page.t("form_delete_title", title=provision.law_title),
        f"{href}/delete",
        page.t("form_delete"),
        (href, provision.law_title),
        record_href=href,
    )


@router.get("/flexibilities/provisions/{provision_id}/delete")
def delete_provision_form(provision_id: RecordId, page: PageOf, session: Db) -> Response:
    services.check_secretariat("delete_provision")
    provision = services.get_provision(session, provision_id)
    return confirm_delete(page, session, _delete_provision_page(page, provision), provision.version)


@router.post("/flexibilities/provisions/{provision_id}/delete")
def delete_provision(provision_id: RecordId, page: PageOf, posted: Posted) -> Response:
    services.check_secretariat("delete_provision")

    def jurisdiction_page(session: Db) -> str:
        """Where to go after: the page of the provision's jurisdiction."""
        code = services.get_provision(session, provision_id).jurisdiction
        return f"/flexibilities/jurisdictions/{code}"

    return submit_delete(
        page,
        posted,
        write=lambda session, version, message: services.delete_provision(
            session, provision_id, version, message
        ),
        read=lambda session: services.get_provision(session, provision_id),
        where=lambda provision: _delete_provision_page(page, provision),
        done=jurisdiction_page,
    )


# -- member-state updates, and attaching one to the provisions it changes -------------------


@router.get("/flexibilities/updates/{update_id}")
def update_page(update_id: RecordId, page: PageOf, session: Db) -> Response:
    update = services.get_update(session, update_id)
    provisions = {
        p.id: p for p in services.list_provisions(session, jurisdiction=update.jurisdiction)
    }
    return page.render(
        "flexibility_update_page.html",
        update=update,
        provisions=provisions,
        may_write=services.may_write_provisions(page.viewer),
        **_names(page, session),
    )


def _attach_page(
    page: Page,
    session: Db,
    update_id: int,
    posted: dict[str, list[str]],
    problems: dict[str, str],
    status: int = 200,
) -> Response:
    update = services.get_update(session, update_id)
    choices = [
        p
        for p in services.list_provisions(session, jurisdiction=update.jurisdiction)
        if p.id not in update.provisions
    ]
    response = page.render(
        "flexibility_attach.html",
        status_code=status,
        update=update,
        choices=choices,
        effects=list(UpdateEffect),
        posted=posted,
        problems=problems,
        **_names(page, session),
    )
    response.headers["Cache-Control"] = "no-store"  # it carries this browser's form token
    return response


@router.get("/flexibilities/updates/{update_id}/attach")
def attach_form(update_id: RecordId, page: PageOf, session: Db) -> Response:
    services.check_secretariat("attach_member_state_update")
    return _attach_page(page, session, update_id, {}, {})


async def _posted_lists(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


@router.post("/flexibilities/updates/{update_id}/attach")
def attach(
    update_id: RecordId,
    request: Request,
    page: PageOf,
    posted: Annotated[dict[str, list[str]], Depends(_posted_lists)],
) -> Response:
    """Attach the update to each chosen provision, all in one transaction or none."""
    services.check_secretariat("attach_member_state_update")
    context = web_state(request).context
    chosen = posted.get("provision", [])
    effect_text = (posted.get("effect") or [UpdateEffect.AMENDS.value])[0]
    problems: dict[str, str] = {}
    if not chosen:
        problems["provision"] = page.t("flex_attach_choose")
    elif not all(value.isdigit() and len(value) <= 10 for value in chosen):
        problems["provision"] = "choose provisions of the list"
    if effect_text not in {effect.value for effect in UpdateEffect}:
        problems["effect"] = "choose amends or adds"
    try:
        if problems:
            raise InvalidEdit(problems)
        with context.transaction() as session:
            for value in chosen:
                services.attach_update(session, update_id, int(value), UpdateEffect(effect_text))
    except InvalidEdit as refused:
        with context.sessions() as session:
            return _attach_page(page, session, update_id, posted, refused.problems, 422)
    return RedirectResponse(f"/flexibilities/updates/{update_id}?lang={page.language}", 303)


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
    # An amendment restates the provision: what the form does not ask (the dates, the
    # texts in other languages) is kept as stored, not cleared.
    stored = services.get_provision(session, int(target)) if target else None
    if stored is not None:
        category = stored.category
    try:
        provision = ProvisionIn(
            jurisdiction=jurisdiction,
            category=category,
            law_title=posted["law_title"].strip(),
            law_number=posted.get("law_number", "").strip() or None,
            law_date=stored.law_date if stored else None,
            articles=posted.get("articles", "").strip(),
            texts={
                **(stored.texts if stored else {}),
                posted.get("language", "en"): posted["text"].strip(),
            },
            link=posted.get("link", "").strip() or None,
            in_force_date=stored.in_force_date if stored else None,
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
