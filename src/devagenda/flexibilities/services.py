"""The rules of the flexibilities database: provisions, comparisons and member-state
updates.

Editors and administrators record, edit and delete provisions. A focal point changes
provisions only through a member-state update, never directly, even for their own
jurisdiction: the issue's channel for a member state is an update citing the official
communication, and that update is what the "Member State updates" field publishes with
the provision, so a change without one would reach readers with no communication to
rest on. A member-state update is submitted by a focal point for their own jurisdiction
only: the permission is the one activities use (`Action.EDIT_RECORD` for the record's
countries), and the role must be focal point, since the update speaks for the member
state. It is stored and published in the same transaction, and its amendments and
additions are written as change-logged edits of the provisions, so each provision's
history shows the update. An update never sets a provision's `code`: that is the
secretariat's key, which imports update by. An editor may attach an update to further
provisions of its jurisdiction.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import ColumnElement, extract, func, or_, select
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, allowed, authorize
from devagenda.core.actor import Actor, Role, current_actor
from devagenda.core.changelog import change_message
from devagenda.core.editing import Guard, Problems, check_source, edit_location
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied
from devagenda.core.imports import (
    ImportResult,
    ImportRow,
    RowRejected,
    cited_location,
    import_table,
    template,
)
from devagenda.core.listing import ColumnFacet, ListSource, Sort
from devagenda.core.pagination import Listing
from devagenda.flexibilities import importers
from devagenda.flexibilities.models import (
    FlexibilityCategory,
    IpLawField,
    MemberStateUpdate,
    Provision,
    ProvisionText,
    UpdateEffect,
    UpdateProvision,
)
from devagenda.flexibilities.schemas import (
    CategoryOut,
    ComparisonRow,
    FlexibilityFigures,
    ProvisionEdit,
    ProvisionFilter,
    ProvisionIn,
    ProvisionOut,
    UpdateIn,
    UpdateOut,
    UpdateRef,
)
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import Country


def _data_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("devagenda.flexibilities") / "data" / name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_code_lists(session: Session) -> dict[str, int]:
    """Insert or update the shipped fields and categories; running it twice changes nothing."""
    for row in _data_rows("fields.csv"):
        field = session.get(IpLawField, row["code"]) or IpLawField(code=row["code"])
        field.name_en, field.name_zh = row["name_en"], row["name_zh"]
        field.position = int(row["position"])
        session.add(field)
    session.flush()
    categories = _data_rows("categories.csv")
    for row in categories:
        category = session.get(FlexibilityCategory, row["code"]) or FlexibilityCategory(
            code=row["code"]
        )
        category.field_code = row["field"]
        category.name_en, category.name_zh = row["name_en"], row["name_zh"]
        category.position = int(row["position"])
        session.add(category)
    session.flush()
    return {"flexibility_categories": len(categories)}


def categories(session: Session, field: str | None = None) -> list[FlexibilityCategory]:
    query = select(FlexibilityCategory).order_by(
        FlexibilityCategory.field_code, FlexibilityCategory.position
    )
    if field is not None:
        query = query.where(FlexibilityCategory.field_code == field)
    return list(session.scalars(query))


def _check_provision(session: Session, data: ProvisionIn, problems: Problems, at: str) -> None:
    if session.get(Country, data.jurisdiction) is None:
        problems.add(f"{at}jurisdiction", f"unknown country code {data.jurisdiction!r}")
    if session.get(FlexibilityCategory, data.category) is None:
        problems.add(
            f"{at}category",
            f"unknown category {data.category!r}: see `devagenda flexibilities categories`",
        )


def _write_provision(provision: Provision, data: ProvisionIn) -> None:
    if data.code is not None:
        provision.code = data.code
    provision.jurisdiction_alpha3 = data.jurisdiction
    provision.category_code = data.category
    provision.law_title = data.law_title
    provision.law_number = data.law_number
    provision.law_date = data.law_date
    provision.articles = data.articles
    provision.link = data.link
    provision.in_force_date = data.in_force_date
    kept = {text.language: text for text in provision.texts}
    provision.texts = [
        _text(kept.get(language), language, wording) for language, wording in data.texts.items()
    ]


def _text(existing: ProvisionText | None, language: str, wording: str) -> ProvisionText:
    text = existing or ProvisionText(language=language)
    text.text = wording
    return text


def create_provision(session: Session, data: ProvisionIn) -> ProvisionOut:
    """A provision recorded by the secretariat (editors and administrators)."""
    check_secretariat("create_provision")
    problems = Problems()
    _check_provision(session, data, problems, "")
    problems.raise_any()
    provision = Provision()
    _write_provision(provision, data)
    session.add(provision)
    session.flush()
    return provision_out(session, provision)


def check_secretariat(action: str) -> Actor:
    """The current actor if they may write provisions directly: editors and
    administrators. A focal point is told the way open to them, a member-state update."""
    actor = current_actor()
    if actor.role is Role.FOCAL_POINT:
        raise PermissionDenied(
            f"refused: {actor.label} (focal point) changes provisions only through a "
            "member-state update citing the official communication: submit one "
            "(POST /api/flexibilities/updates, or the jurisdiction's page)",
            action=action,
            authenticated=True,
        )
    return authorize(Action.EDIT_RECORD)


def may_write_provisions(actor: Actor) -> bool:
    """Whether `actor` may edit and delete provisions and attach updates (for pages
    that offer those only to whom they are open)."""
    return actor.role is not Role.FOCAL_POINT and allowed(Action.EDIT_RECORD, actor=actor)


def edit_provision(
    session: Session, provision_id: int, data: ProvisionEdit, expected_version: int | None
) -> ProvisionOut:
    """Change the fields `data` sets, at the version the caller read; every bad field
    is reported at once, and the change names its source."""
    check_secretariat("edit_provision")
    provision = find_provision(session, provision_id)
    guard = _guard(session, provision, expected_version)
    guard.check()
    given = data.model_fields_set - {"source", "message"}
    problems = Problems()
    check_source(problems, data.source, needed=bool(given))
    _check_edit(session, provision, data, given, problems)
    problems.raise_any()
    with change_message(data.message), session.no_autoflush:
        location = edit_location(session, data.source) if given and data.source else None
        for name in given - {"jurisdiction", "category", "texts", "articles"}:
            setattr(provision, name, getattr(data, name))
        if "jurisdiction" in given and data.jurisdiction is not None:
            provision.jurisdiction_alpha3 = data.jurisdiction
        if "category" in given and data.category is not None:
            provision.category_code = data.category
        if "articles" in given:
            provision.articles = data.articles or ""
        if "texts" in given:
            _edit_texts(provision, data.texts or {})
        if location is not None:
            provision.source_location_id = location.id
        guard.flush()
    return get_provision(session, provision_id)


def _check_edit(
    session: Session, provision: Provision, data: ProvisionEdit, given: set[str], problems: Problems
) -> None:
    for name in ("jurisdiction", "category", "law_title"):
        if name in given and getattr(data, name) is None:
            problems.add(name, "a provision needs one: give it, it cannot be cleared")
    if data.jurisdiction is not None and data.jurisdiction != provision.jurisdiction_alpha3:
        attached = session.scalar(
            select(func.count())
            .select_from(UpdateProvision)
            .where(UpdateProvision.provision_id == provision.id)
        )
        if session.get(Country, data.jurisdiction) is None:
            problems.add("jurisdiction", f"unknown country code {data.jurisdiction!r}")
        elif attached:
            problems.add(
                "jurisdiction",
                f"member-state updates of {provision.jurisdiction_alpha3} are attached to "
                "this provision: it cannot move to another jurisdiction (record a new one)",
            )
    if data.category is not None and session.get(FlexibilityCategory, data.category) is None:
        problems.add(
            "category",
            f"unknown category {data.category!r}: see `devagenda flexibilities categories`",
        )
    if data.code is not None:
        holder = session.scalar(
            select(Provision.id).where(Provision.code == data.code, Provision.id != provision.id)
        )
        if holder is not None:
            problems.add("code", f"{data.code!r} is the code of provision {holder}: choose another")


def _edit_texts(provision: Provision, texts: dict[str, str | None]) -> None:
    """Set the languages `texts` names (None removes one); the others stay."""
    kept = {text.language: text for text in provision.texts}
    for language, wording in texts.items():
        if wording is None:
            kept.pop(language, None)
        else:
            kept[language] = _text(kept.get(language), language, wording)
    provision.texts = [kept[language] for language in sorted(kept)]


def delete_provision(
    session: Session, provision_id: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete a provision with its texts and its links to member-state updates, each
    logged, so that reverting the change brings all of them back."""
    check_secretariat("delete_provision")
    provision = find_provision(session, provision_id)
    guard = _guard(session, provision, expected_version)
    guard.check()
    with change_message(message):
        links = session.scalars(
            select(UpdateProvision).where(UpdateProvision.provision_id == provision_id)
        )
        for link in links:
            session.delete(link)
        session.delete(provision)
        guard.flush()


def _guard(session: Session, provision: Provision, expected: int | None) -> Guard:
    key = provision.id
    read = lambda: get_provision(session, key)  # noqa: E731
    return Guard(session, provision, expected, read, f"provision {key}")


def find_provision(session: Session, provision_id: int) -> Provision:
    provision = session.get(Provision, provision_id)
    if provision is None:
        raise NotFoundError(f"no provision {provision_id}: see `devagenda flexibilities list`")
    return provision


def provision_out(session: Session, provision: Provision) -> ProvisionOut:
    return _provisions_out(session, [provision])[0]


def _provisions_out(session: Session, provisions: Sequence[Provision]) -> list[ProvisionOut]:
    """Provisions with their member-state updates, read in one query for all of them."""
    ids = [provision.id for provision in provisions]
    updates: dict[int, list[UpdateRef]] = {pid: [] for pid in ids}
    rows = session.execute(
        select(UpdateProvision.provision_id, UpdateProvision.effect, MemberStateUpdate)
        .join(MemberStateUpdate, MemberStateUpdate.id == UpdateProvision.update_id)
        .where(UpdateProvision.provision_id.in_(ids))
        .order_by(MemberStateUpdate.received_at, MemberStateUpdate.id)
    )
    for provision_id, effect, update in rows:
        updates[provision_id].append(_update_ref(update, effect))
    return [
        ProvisionOut(
            id=p.id,
            code=p.code,
            jurisdiction=p.jurisdiction_alpha3,
            category=p.category_code,
            law_title=p.law_title,
            law_number=p.law_number,
            law_date=p.law_date,
            articles=p.articles,
            texts={text.language: text.text for text in p.texts},
            link=p.link,
            in_force_date=p.in_force_date,
            version=p.version,
            member_state_updates=updates[p.id],
        )
        for p in provisions
    ]


def _update_ref(update: MemberStateUpdate, effect: UpdateEffect | None) -> UpdateRef:
    return UpdateRef(
        id=update.id,
        jurisdiction=update.jurisdiction_alpha3,
        communication_reference=update.communication_reference,
        communication_date=update.communication_date,
        summary=update.summary,
        submitted_by=update.submitted_by,
        received_at=update.received_at,
        effect=effect,
    )


def get_provision(session: Session, provision_id: int) -> ProvisionOut:
    return provision_out(session, find_provision(session, provision_id))


def _provisions(session: Session, *clauses: object) -> list[Provision]:
    return list(
        session.scalars(
            select(Provision)
            .where(*clauses)  # type: ignore[arg-type]
            .order_by(Provision.jurisdiction_alpha3, Provision.category_code, Provision.articles)
        )
    )


def compare_category(
    session: Session, category: str, jurisdictions: Iterable[str]
) -> list[ComparisonRow]:
    """One category across the chosen jurisdictions, side by side, in the order asked;
    a jurisdiction with no recorded provision has an empty row (not stated)."""
    if session.get(FlexibilityCategory, category) is None:
        raise NotFoundError(f"no category {category!r}: see `devagenda flexibilities categories`")
    chosen = list(dict.fromkeys(code.upper() for code in jurisdictions))
    _require_countries(session, chosen)
    found = _provisions_out(
        session,
        _provisions(
            session,
            Provision.category_code == category,
            Provision.jurisdiction_alpha3.in_(chosen),
        ),
    )
    return [
        ComparisonRow(
            jurisdiction=code,
            category=category,
            provisions=[p for p in found if p.jurisdiction == code],
        )
        for code in chosen
    ]


def compare_jurisdiction(
    session: Session, jurisdiction: str, field: str | None = None
) -> list[ComparisonRow]:
    """One jurisdiction across every category (of one field, if given), in the order of
    the categories; a category with no recorded provision has an empty row (not stated)."""
    code = jurisdiction.upper()
    _require_countries(session, [code])
    found = _provisions_out(session, _provisions(session, Provision.jurisdiction_alpha3 == code))
    return [
        ComparisonRow(
            jurisdiction=code,
            category=category.code,
            provisions=[p for p in found if p.category == category.code],
        )
        for category in categories(session, field)
    ]


def _require_countries(session: Session, codes: Sequence[str]) -> None:
    known = set(session.scalars(select(Country.alpha3).where(Country.alpha3.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise NotFoundError(f"unknown country code(s) {', '.join(unknown)}: use ISO alpha-3")


def check_submitter(jurisdiction: str) -> Actor:
    """The current actor if they may submit updates for `jurisdiction`: a focal point
    whose countries include it (the activities' rule); anyone else is refused."""
    actor = current_actor()
    if actor.role is not Role.FOCAL_POINT:
        raise PermissionDenied(
            f"refused: only a focal point of {jurisdiction} may submit its member-state "
            f"updates; {actor.label} is {actor.role.value}",
            action="submit_member_state_update",
            authenticated=actor.role is not Role.ANONYMOUS,
        )
    return authorize(Action.EDIT_RECORD, countries=[jurisdiction])


def submit_update(session: Session, data: UpdateIn) -> UpdateOut:
    """Store and publish a focal point's update for their own jurisdiction, applying the
    amendments and additions it states to the provisions."""
    jurisdiction = data.jurisdiction.upper()
    actor = check_submitter(jurisdiction)
    problems = Problems()
    amended = {}
    for provision_id, wording in data.amends.items():
        provision = session.get(Provision, provision_id)
        if provision is None or provision.jurisdiction_alpha3 != jurisdiction:
            problems.add(f"amends.{provision_id}", f"no provision {provision_id} of {jurisdiction}")
            continue
        amended[provision_id] = provision
        _check_provision(session, wording, problems, f"amends.{provision_id}.")
        if wording.code is not None and wording.code != provision.code:
            problems.add(
                f"amends.{provision_id}.code",
                f"an update cannot change a provision's code ({provision.code or 'none'}, "
                "the secretariat's import key): leave code out",
            )
        if wording.jurisdiction.upper() != jurisdiction:
            problems.add(f"amends.{provision_id}.jurisdiction", f"must be {jurisdiction}")
    for index, addition in enumerate(data.adds):
        _check_provision(session, addition, problems, f"adds.{index}.")
        if addition.code is not None:
            problems.add(
                f"adds.{index}.code",
                "a provision an update adds gets its code from the secretariat: leave code out",
            )
        if addition.jurisdiction.upper() != jurisdiction:
            problems.add(f"adds.{index}.jurisdiction", f"must be {jurisdiction}")
    if not data.amends and not data.adds:
        problems.add("amends", "an update amends a provision or adds one: give at least one")
    problems.raise_any()
    message = f"member-state update {data.communication_reference}"
    with change_message(message):
        update = MemberStateUpdate(
            jurisdiction_alpha3=jurisdiction,
            communication_reference=data.communication_reference,
            communication_date=data.communication_date,
            summary=data.summary,
            submitted_by=actor.label,
            received_at=datetime.now(UTC),
        )
        session.add(update)
        for provision_id, wording in data.amends.items():
            _write_provision(amended[provision_id], wording)
        added = []
        for addition in data.adds:
            provision = Provision()
            _write_provision(provision, addition)
            session.add(provision)
            added.append(provision)
        session.flush()
        update.links = [
            UpdateProvision(provision_id=pid, effect=UpdateEffect.AMENDS) for pid in amended
        ] + [UpdateProvision(provision_id=p.id, effect=UpdateEffect.ADDS) for p in added]
        session.flush()
    return update_out(update)


def update_out(update: MemberStateUpdate) -> UpdateOut:
    return UpdateOut(
        **_update_ref(update, None).model_dump(exclude={"effect"}),
        provisions={link.provision_id: link.effect for link in update.links},
    )


def attach_update(
    session: Session, update_id: int, provision_id: int, effect: UpdateEffect
) -> UpdateOut:
    """An editor attaches an update to a provision of its jurisdiction that it changes."""
    check_secretariat("attach_member_state_update")
    update = session.get(MemberStateUpdate, update_id)
    if update is None:
        raise NotFoundError(f"no member-state update {update_id}")
    provision = find_provision(session, provision_id)
    if provision.jurisdiction_alpha3 != update.jurisdiction_alpha3:
        problems = Problems()
        problems.add(
            "provision",
            f"provision {provision_id} is of {provision.jurisdiction_alpha3}, "
            f"the update of {update.jurisdiction_alpha3}",
        )
        problems.raise_any()
    if all(link.provision_id != provision_id for link in update.links):
        update.links.append(UpdateProvision(provision_id=provision_id, effect=effect))
        session.flush()
    return update_out(update)


def updates_received(session: Session, year: int) -> int:
    """How many member-state updates the database received in `year` (the report's count)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(MemberStateUpdate)
            .where(extract("year", MemberStateUpdate.received_at) == year)
        )
        or 0
    )


def import_provisions(session: Session, path: Path, *, replace: bool = False) -> ImportResult:
    """Load a provisions file (CSV, XLSX or JSON) in the caller's transaction, all or nothing.
    A row that would change a stored provision is refused unless `replace` is given
    (core.imports.replacing): the refusal names each row and what it would replace."""
    from devagenda.reference.services import build_gazetteer

    labels = _category_labels(session)
    gazetteer = build_gazetteer(session)

    def store(db: Session, row: ImportRow) -> dict[str, int]:
        data = _row_provision(row, _row_country(gazetteer, row.get("jurisdiction")))
        provision = db.scalar(select(Provision).where(Provision.code == data.code))
        if provision is None:
            provision = Provision()
            db.add(provision)
        _write_provision(provision, data)
        provision.source_location_id = cited_location(db, row.source).id
        return {"provisions": 1}

    spec = importers.provision_spec(labels)
    table = importers.read_provisions(path)
    return import_table(session, spec, str(path), table, store, replace=replace)


def provisions_template(kind: str) -> bytes:
    """An empty provisions import file (csv or xlsx) with every column."""
    return template(importers.provision_spec({}), kind)


def _category_labels(session: Session) -> dict[str, str]:
    labels = {}
    for category in categories(session):
        for label in (category.code, category.name_en, category.name_zh):
            labels[" ".join(label.split()).casefold()] = category.code
    return labels


def _row_country(gazetteer: Gazetteer, text: str) -> str:
    entry = gazetteer.resolve(text)
    if entry is None and len(text) == 3:
        entry = next((e for e in gazetteer.entries if e.key == text.upper()), None)
    if entry is not None and entry.kind == "country":
        return entry.key
    if entry is not None:
        raise RowRejected("jurisdiction", f"{text!r} is a group of states: name one country")
    nearest = ", ".join(e.name_en for e, _ in gazetteer.candidates(text, limit=3))
    raise RowRejected("jurisdiction", f"unknown country {text!r}; did you mean {nearest}?")


def _row_provision(row: ImportRow, jurisdiction: str) -> ProvisionIn:
    return ProvisionIn(
        code=row.get("code"),
        jurisdiction=jurisdiction,
        category=row.get("category"),
        law_title=row.get("law_title"),
        law_number=row.get("law_number"),
        law_date=row.get("law_date"),
        articles=row.get("articles", ""),
        texts={
            language: row.get(column)
            for column, language in importers.TEXT_COLUMNS.items()
            if row.has(column)
        },
        link=row.get("link"),
        in_force_date=row.get("in_force_date"),
    )


def list_provisions(
    session: Session, *, jurisdiction: str | None = None, category: str | None = None
) -> list[ProvisionOut]:
    clauses = []
    if jurisdiction is not None:
        clauses.append(Provision.jurisdiction_alpha3 == jurisdiction.upper())
    if category is not None:
        clauses.append(Provision.category_code == category)
    return _provisions_out(session, _provisions(session, *clauses))


def export_comparison(
    session: Session,
    kind: str,
    language: str,
    *,
    category: str | None = None,
    jurisdictions: Sequence[str] = (),
    jurisdiction: str | None = None,
) -> bytes:
    """A comparison as a CSV, XLSX or PDF file: one category across `jurisdictions`, or
    one `jurisdiction` across all categories."""
    from devagenda.flexibilities.exporters import comparison_table, export_bytes

    if category is not None and jurisdiction is None:
        rows = compare_category(session, category, jurisdictions)
        by = "category"
    elif jurisdiction is not None and category is None:
        rows = compare_jurisdiction(session, jurisdiction)
        by = "jurisdiction"
    else:
        raise InputError(
            "give a category with jurisdictions, or one jurisdiction alone", field="category"
        )
    return export_bytes(comparison_table(session, rows, language, by=by), kind)


def category_list(session: Session, field: str | None = None) -> list[CategoryOut]:
    return [
        CategoryOut(code=c.code, field=c.field_code, name_en=c.name_en, name_zh=c.name_zh)
        for c in categories(session, field)
    ]


def provision_listing(
    session: Session, filters: ProvisionFilter | None = None
) -> Listing[ProvisionOut]:
    filters = filters or ProvisionFilter()
    query = select(Provision)
    if filters.jurisdiction is not None:
        query = query.where(Provision.jurisdiction_alpha3 == filters.jurisdiction.upper())
    if filters.category is not None:
        query = query.where(Provision.category_code == filters.category)
    return Listing(session, query, Provision.id, _provisions_out, _provision_text)


def _provision_text(q: str) -> ColumnElement[bool]:
    """What `q` matches: the law's title and number, the articles, and the texts."""
    pattern = f"%{q.replace('%', '').replace('_', '')}%"
    in_texts = (
        select(ProvisionText.provision_id)
        .where(ProvisionText.text.ilike(pattern))
        .scalar_subquery()
    )
    return or_(
        Provision.law_title.ilike(pattern),
        Provision.law_number.ilike(pattern),
        Provision.articles.ilike(pattern),
        Provision.id.in_(in_texts),
    )


def provision_source(
    session: Session, filters: ProvisionFilter | None = None
) -> ListSource[ProvisionOut]:
    """The provisions for the database to filter, count and order, with the facets
    `jurisdiction` and `category`. Sorts: `jurisdiction`, `category`, `in_force`."""
    return ListSource(
        provision_listing(session, filters),
        facets=(
            ColumnFacet("jurisdiction", Provision.jurisdiction_alpha3),
            ColumnFacet("category", Provision.category_code),
        ),
        sorts={
            "jurisdiction": Sort(Provision.jurisdiction_alpha3, nullable=False),
            "category": Sort(Provision.category_code, nullable=False),
            "in_force": Sort(Provision.in_force_date),
        },
    )


def get_update(session: Session, update_id: int) -> UpdateOut:
    update = session.get(MemberStateUpdate, update_id)
    if update is None:
        raise NotFoundError(f"no member-state update {update_id}")
    return update_out(update)


def jurisdiction_updates(session: Session, jurisdiction: str) -> list[UpdateOut]:
    """The member-state updates of a jurisdiction, newest first, for its country page."""
    found = session.scalars(
        select(MemberStateUpdate)
        .where(MemberStateUpdate.jurisdiction_alpha3 == jurisdiction.upper())
        .order_by(MemberStateUpdate.received_at.desc(), MemberStateUpdate.id.desc())
    )
    return [update_out(update) for update in found]


def country_flexibilities(session: Session, jurisdiction: str) -> tuple[int, int]:
    """How many provisions and Member State updates the database holds for a country."""
    code = jurisdiction.upper()
    provisions = session.scalar(
        select(func.count()).select_from(Provision).where(Provision.jurisdiction_alpha3 == code)
    )
    updates = session.scalar(
        select(func.count())
        .select_from(MemberStateUpdate)
        .where(MemberStateUpdate.jurisdiction_alpha3 == code)
    )
    return provisions or 0, updates or 0


def database_figures(session: Session) -> FlexibilityFigures:
    """The dashboard's figures: provisions, the jurisdictions they cover, and the Member
    State updates received per year (a year with none is not listed: its count is 0)."""
    provisions, jurisdictions = session.execute(
        select(func.count(), func.count(func.distinct(Provision.jurisdiction_alpha3))).select_from(
            Provision
        )
    ).one()
    year = extract("year", MemberStateUpdate.received_at)
    by_year = session.execute(select(year, func.count()).group_by(year).order_by(year)).all()
    return FlexibilityFigures(
        provisions=provisions,
        jurisdictions=jurisdictions,
        updates_by_year={int(y): n for y, n in by_year},
    )
