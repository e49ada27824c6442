"""The roster's rules: writing a consultant (from an import or an edit), the import of
files, the list and detail with the privacy rule, fuzzy names, and the public counts.

**Privacy.** Gender, nationalities and contact details are personal data. Only actors
allowed `READ_PERSONAL` (editors and administrators) see them per person: for everyone
else the list rows, the detail, the downloads, the facets and the text filter leave them
out, and filtering by gender or nationality is refused. The public sees them only as the
counts of `consultant_aggregates`, with small cells suppressed. The choice is made here,
from the current actor, so that the API, the web pages and the command line obey it alike.

Imports and edits state facts in the same shape (`ConsultantValues`), checked by
`check_values` and written by `write_values`: known countries, languages, IP fields and
activities, and every fact stored with where it is stated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from devagenda.accounts.permissions import Action, allowed, refusal
from devagenda.activities.importers import languages as known_languages
from devagenda.activities.importers import subject_areas
from devagenda.activities.models import DEMO_PREFIX, Activity
from devagenda.activities.schemas import ConsultantRef, SourcedValue
from devagenda.catalogue.services import locations_by_id, provenance
from devagenda.core.actor import Role, current_actor
from devagenda.core.errors import NotFoundError, PermissionDenied
from devagenda.core.imports import (
    FilesRefused,
    ImportResult,
    ImportRow,
    RowProblems,
    RowRejected,
    cited_location,
    import_files,
    import_table,
    read_table,
    template,
)
from devagenda.core.listing import (
    ColumnFacet,
    InMemory,
    LinkFacet,
    ListSource,
    RewrittenTexts,
    Selection,
    Sort,
    parse_bool,
    value_key,
)
from devagenda.core.models import SourceLocation
from devagenda.core.pagination import Listing, contains_text
from devagenda.reference.codes import WipoRegion
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import Country
from devagenda.roster import importers, names
from devagenda.roster.models import (
    Assignment,
    AssignmentCountry,
    Consultant,
    ConsultantFactSource,
    ConsultantField,
    ConsultantLanguage,
    ConsultantNameToken,
    ConsultantNationality,
    Gender,
)
from devagenda.roster.schemas import (
    AssignmentFigures,
    AssignmentOut,
    Cell,
    ConsultantAggregates,
    ConsultantFilter,
    ConsultantOut,
    ConsultantPersonalOut,
    ConsultantPersonalSummary,
    ConsultantSummary,
    YearFigure,
)

# The single-valued facts that are personal data, and the filters that read it.
PERSONAL_COLUMNS = ("gender", "email", "phone", "address")
PERSONAL_FILTERS = ("gender", "nationality")
# A name search ranks at most this many candidates the database found, and lists at
# most this many matches: a name that matches more is not a name but a letter.
NAME_CANDIDATES = 2_000
NAME_MATCHES = 1_000
# Cells of the public counts under this many consultants are not published.
THRESHOLD = 5
SUPPRESSION_RULE = (
    f"A count under {THRESHOLD} is not published (count null, suppressed true). When a "
    "breakdown would have exactly one such cell, its smallest other cell is suppressed "
    "too, so that the published total (the consultants the counts rest on) minus the "
    "published cells never gives a suppressed count. IP fields are published per "
    "consultant and are not suppressed."
)


def personal_data_allowed() -> bool:
    """Whether the current actor may see consultants' personal data."""
    return allowed(Action.READ_PERSONAL)


@dataclass(frozen=True)
class AssignmentValue:
    year: int | None
    countries: tuple[str, ...]
    activity_id: int | None
    task: str | None


@dataclass
class ConsultantValues:
    """What an import row or an edit states about a consultant: only the facts it names."""

    columns: dict[str, Any] = field(default_factory=dict)
    links: dict[str, list[Any]] = field(default_factory=dict)


# -- the rules of a write ----------------------------------------------------------------------


def check_values(
    session: Session, consultant: Consultant, values: ConsultantValues
) -> dict[str, str]:
    """What is wrong with writing `values` to `consultant`, by field (empty: nothing)."""
    problems: dict[str, str] = {}
    columns, links = values.columns, values.links
    code = columns.get("code")
    if code is not None and code.upper().startswith(DEMO_PREFIX) and not consultant.demo:
        problems["code"] = (
            f"codes starting {DEMO_PREFIX} are kept for demo data (devagenda demo generate):"
            " choose another code"
        )
    elif code is not None:
        other = session.scalar(select(Consultant.id).where(Consultant.code == code))
        if other is not None and other != consultant.id:
            problems["code"] = f"consultant {other} already has the code {code}"
    name = columns.get("name_latin", consultant.name_latin)
    if not name:
        problems["name_latin"] = "give the consultant's name in Latin script"
    for country in _missing_countries(session, links.get("nationalities", [])):
        problems.setdefault("nationalities", f"no country {country!r}")
    for language in links.get("languages", []):
        if language not in known_languages():
            problems.setdefault("languages", f"unknown language code {language!r}")
    for code_ in links.get("ip_fields", []):
        if code_ not in subject_areas():
            known = ", ".join(subject_areas())
            problems.setdefault("ip_fields", f"unknown IP field {code_!r} (known: {known})")
    assignments: list[AssignmentValue] = links.get("assignments", [])
    countries = [c for a in assignments for c in a.countries]
    for country in _missing_countries(session, countries):
        problems.setdefault("assignments", f"no country {country!r}")
    activities = {a.activity_id for a in assignments} - {None}
    if activities:
        found = set(session.scalars(select(Activity.id).where(Activity.id.in_(activities))))
        for missing in sorted(activities - found):  # type: ignore[type-var]
            problems.setdefault("assignments", f"no activity {missing} is stored")
    return problems


def _missing_countries(session: Session, codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    found = set(session.scalars(select(Country.alpha3).where(Country.alpha3.in_(codes))))
    return [code for code in codes if code not in found]


def write_values(
    session: Session,
    consultant: Consultant,
    values: ConsultantValues,
    location: SourceLocation | None,
) -> dict[str, int]:
    """Store checked `values` on `consultant`, each fact with `location`; returns the
    facts written by kind. Link rows that stay keep their source."""
    session.info.pop(_MATCHES, None)  # names may change: earlier matches are stale
    written: dict[str, int] = {}
    stated = {fact.fact: fact for fact in consultant.fact_sources}
    for name, value in values.columns.items():
        setattr(consultant, name, value)
        written[name] = 1
        if location is None or value is None:
            if name in stated:
                consultant.fact_sources.remove(stated[name])
            continue
        if name in stated:
            stated[name].source_location_id = location.id
        else:
            consultant.fact_sources.append(
                ConsultantFactSource(fact=name, source_location_id=location.id)
            )
    location_id = location.id if location else None
    for name, wanted in values.links.items():
        _replace_links(consultant, name, wanted, location_id)
        written[name] = len(wanted)
    if {"name_latin", "name_own"} & set(values.columns) or not consultant.name_key:
        _index_names(consultant)
    return written


def _index_names(consultant: Consultant) -> None:
    """Keep the romanised key and the name tokens in step with the names."""
    consultant.name_key = names.name_key(consultant.name_latin, consultant.name_own)
    wanted = names.tokens(consultant.name_key.split(names.KEY_SEPARATOR))
    kept = [t for t in consultant.name_tokens if t.token in wanted]
    have = {t.token for t in kept}
    consultant.name_tokens[:] = kept + [
        ConsultantNameToken(token=token, prefix=token[: names.PREFIX])
        for token in sorted(wanted - have)
    ]


_LINKS: dict[str, tuple[str, Any, Any]] = {
    "nationalities": (
        "nationalities",
        lambda link: link.country_alpha3,
        lambda value, position: ConsultantNationality(country_alpha3=value, position=position),
    ),
    "languages": (
        "languages",
        lambda link: link.language,
        lambda value, _position: ConsultantLanguage(language=value),
    ),
    "ip_fields": (
        "fields",
        lambda link: link.field_code,
        lambda value, _position: ConsultantField(field_code=value),
    ),
    "assignments": (
        "assignments",
        lambda link: AssignmentValue(
            link.year,
            tuple(c.country_alpha3 for c in link.countries),
            link.activity_id,
            link.task,
        ),
        lambda value, position: Assignment(
            year=value.year,
            activity_id=value.activity_id,
            task=value.task,
            position=position,
            countries=[
                AssignmentCountry(country_alpha3=c, position=n)
                for n, c in enumerate(dict.fromkeys(value.countries))
            ],
        ),
    ),
}


def _replace_links(
    consultant: Consultant, name: str, wanted: list[Any], location_id: int | None
) -> None:
    """The links become `wanted`: those that stay are kept with their source (an
    assignment stays only if all of it is the same), the others replaced."""
    attribute, value_of, make = _LINKS[name]
    links = getattr(consultant, attribute)
    kept = {value_of(link): link for link in links if value_of(link) in wanted}
    for link in [link for link in links if value_of(link) not in kept]:
        links.remove(link)
    for position, value in enumerate(dict.fromkeys(wanted)):
        link = kept.get(value)
        if link is None:
            link = make(value, position)
            link.source_location_id = location_id
            links.append(link)
        elif hasattr(link, "position") and link.position != position:
            link.position = position


# -- import ----------------------------------------------------------------------------------


class ConsultantsImportRefused(FilesRefused):
    """Some files have bad rows; nothing of any file was stored."""


def import_consultants(
    session: Session, paths: Sequence[Path], *, replace: bool = False
) -> list[ImportResult]:
    """Load consultant files (CSV, XLSX or JSON, told apart by content) in the caller's
    transaction: all of them, or nothing. Every file is checked even after a bad one, so
    that one run reports every problem; rows that change stored consultants are refused
    unless `replace` (core.imports.replacing)."""
    from devagenda.reference.services import build_gazetteer

    resolver = _Resolver(session, build_gazetteer(session))
    return import_files(
        session,
        "consultants_import",
        paths,
        lambda path: _import_file(session, path, resolver),
        ConsultantsImportRefused,
        replace=replace,
    )


def consultants_template(kind: str) -> bytes:
    """An empty consultants import file (csv or xlsx) with every column."""
    return template(importers.CONSULTANT_SPEC, kind)


def _import_file(session: Session, path: Path, resolver: _Resolver) -> ImportResult:
    kind = importers.detect_format(path)
    table = importers.read_json_table(path) if kind == "json" else read_table(path, kind)
    store = lambda db, row: _store_row(db, row, resolver)  # noqa: E731
    return import_table(session, importers.CONSULTANT_SPEC, str(path), table, store)


def _store_row(session: Session, row: ImportRow, resolver: _Resolver) -> dict[str, int]:
    code = row.get("code")
    consultant = session.scalar(select(Consultant).where(Consultant.code == code))
    if consultant is not None and consultant.demo:
        raise RowRejected(
            "code", f"{code} is a demo consultant: `devagenda demo remove` takes it out"
        )
    new = consultant is None
    if new and code is not None and code.upper().startswith(DEMO_PREFIX):
        raise RowRejected(
            "code",
            f"codes starting {DEMO_PREFIX} are kept for demo data (devagenda demo generate):"
            " choose another code",
        )
    if consultant is None:
        if not row.has("name_latin"):
            raise RowRejected("name_latin", "a new consultant needs a name in Latin script")
        consultant = Consultant(code=code)
    problems = RowProblems()
    values = _row_values(row, resolver, problems)
    problems.raise_any(check_values(session, consultant, values))  # fields named as columns
    location = cited_location(session, row.source)
    if new:
        session.add(consultant)
    written = write_values(session, consultant, values, location)
    session.flush()
    return {"consultants": 1, **{k: v for k, v in written.items() if k != "code"}}


_ROW_COLUMNS = ("name_latin", "name_own", "gender", "email", "phone", "address")


def _row_values(row: ImportRow, resolver: _Resolver, problems: RowProblems) -> ConsultantValues:
    values = ConsultantValues()
    for column in _ROW_COLUMNS:
        if row.has(column):
            values.columns[column] = row.get(column)
    if row.has("nationalities"):
        with problems.reading("nationalities"):
            values.links["nationalities"] = resolver.countries(
                row.get("nationalities"), "nationalities"
            )
    if row.has("languages"):
        values.links["languages"] = row.get("languages")
    if row.has("ip_fields"):
        values.links["ip_fields"] = row.get("ip_fields")
    if row.has("assignments"):
        with problems.reading("assignments"):
            values.links["assignments"] = [
                AssignmentValue(
                    cells.year,
                    tuple(resolver.country(c, "assignments") for c in cells.countries),
                    resolver.activity(cells.activity) if cells.activity else None,
                    cells.task,
                )
                for cells in row.get("assignments")
            ]
    return values


class _Resolver:
    """Country names and activity codes in an import, looked up with suggestions."""

    def __init__(self, session: Session, gazetteer: Gazetteer) -> None:
        self.session = session
        self.gazetteer = gazetteer
        self.alpha2 = {a2: a3 for a2, a3 in session.execute(select(Country.alpha2, Country.alpha3))}
        self.keys = {entry.key: entry for entry in gazetteer.entries}

    def country(self, name: str, column: str) -> str:
        text = name.strip()
        upper = text.upper()
        if len(upper) == 2 and upper in self.alpha2:
            return self.alpha2[upper]
        # A name before a code: "China" is a country, and also the code of WIPO's group.
        found = [e for e in (self.gazetteer.resolve(text), self.keys.get(upper)) if e]
        for entry in found:
            if entry.kind == "country":
                return entry.key
        if found:
            raise RowRejected(column, f"{text!r} is a group of states: name its countries")
        nearest = [e.name_en for e, _ in self.gazetteer.candidates(text, limit=5)]
        hint = ", ".join(nearest[:3])
        raise RowRejected(column, f"unknown country {text!r}; did you mean {hint}?")

    def countries(self, text: str, column: str) -> list[str]:
        whole = self.gazetteer.resolve(text)
        parts = [text] if whole else importers.names(text)
        return list(dict.fromkeys(self.country(part, column) for part in parts))

    def activity(self, text: str) -> int:
        found = self.session.scalar(select(Activity.id).where(Activity.code == text))
        if found is None and text.isdigit():
            found = self.session.scalar(select(Activity.id).where(Activity.id == int(text)))
        if found is None:
            raise RowRejected("assignments", f"no stored activity has the code or id {text!r}")
        return found


# -- fuzzy names ----------------------------------------------------------------------------


_MATCHES = "devagenda.roster.name_matches"


def name_matches(session: Session, query: str) -> list[tuple[int, float]]:
    """Consultants whose names match `query` across scripts and romanisations, best
    first, with their score: the database finds those sharing a word's first letters
    with the query (indexed), rapidfuzz ranks only them. Remembered for the session
    (one request or command), which asks for it to filter, to count and to rank."""
    memo: dict[str, list[tuple[int, float]]] = session.info.setdefault(_MATCHES, {})
    if query not in memo:
        memo[query] = _name_matches(session, query)
    return memo[query]


def _name_matches(session: Session, query: str) -> list[tuple[int, float]]:
    romanised = names.romanised(query)
    if not romanised:
        return []
    wanted = names.prefixes([romanised])
    shared = func.count(ConsultantNameToken.prefix.distinct()).label("shared")
    candidates = (
        select(ConsultantNameToken.consultant_id.label("id"), shared)
        .where(ConsultantNameToken.prefix.in_(wanted))
        .group_by(ConsultantNameToken.consultant_id)
        .order_by(shared.desc(), ConsultantNameToken.consultant_id)
        .limit(NAME_CANDIDATES)
        .subquery()
    )
    rows = session.execute(
        select(Consultant.id, Consultant.name_key).join(
            candidates, candidates.c.id == Consultant.id
        )
    )
    found = rows.all()
    scored = zip(
        [id_ for id_, _ in found], names.scores(romanised, [k for _, k in found]), strict=True
    )
    ranked = sorted((p for p in scored if p[1] >= names.MIN_SCORE), key=lambda p: (-p[1], p[0]))
    return ranked[:NAME_MATCHES]


# -- lists and detail -------------------------------------------------------------------------


def check_filters(filters: ConsultantFilter | None) -> None:
    """Filtering by gender or nationality is reading personal data: refused (401 or 403,
    one line) to those who may not, whatever interface they use."""
    if filters is None:
        return
    chosen = [name for name in PERSONAL_FILTERS if getattr(filters, name) is not None]
    reason = refusal(Action.READ_PERSONAL) if chosen else None
    if reason is not None:
        raise PermissionDenied(
            f"refused: filtering consultants by {' and '.join(chosen)} reads personal "
            f"data; {reason}",
            action=Action.READ_PERSONAL.value,
            authenticated=current_actor().role is not Role.ANONYMOUS,
        )


def consultant_listing(
    session: Session, filters: ConsultantFilter | None = None
) -> Listing[ConsultantSummary]:
    """The consultants `filters` select, as the current actor may see them."""
    check_filters(filters)
    personal = personal_data_allowed()
    query = select(Consultant).options(
        selectinload(Consultant.languages),
        selectinload(Consultant.fields),
        selectinload(Consultant.assignments),
        *((selectinload(Consultant.nationalities),) if personal else ()),
    )
    if filters is not None:
        query = query.where(*_clauses(filters))
    convert = _personal_summaries if personal else _summaries
    text = _personal_text if personal else _public_text
    return Listing(session, query, Consultant.id, convert, text)  # type: ignore[arg-type]


def _public_text(q: str) -> ColumnElement[bool]:
    """What `q` matches for everyone: the names, the code and the tasks."""
    return or_(
        contains_text(q, Consultant.code, Consultant.name_latin, Consultant.name_own),
        contains_text(_name_key_query(q), Consultant.name_key),
        Consultant.assignments.any(contains_text(q, Assignment.task)),
    )


def _name_key_query(q: str) -> str:
    """What `q` looks for in the romanised name key: `q` romanised as the key is."""
    return names.romanised(q) or q


_CONTACT = (Consultant.email, Consultant.phone, Consultant.address)


def _personal_text(q: str) -> ColumnElement[bool]:
    """For those who may read personal data, the contact details too."""
    return or_(_public_text(q), contains_text(q, *_CONTACT))


def _clauses(filters: ConsultantFilter) -> list[ColumnElement[bool]]:
    """The facets' values when the caller lists without counting facets (the command
    line): a list interface applies those as facets, and passes them here cleared. The
    name, matched in Python, is the source's `among`."""
    clauses: list[ColumnElement[bool]] = []
    for name, facet in _facets(personal=True).items():
        value = getattr(filters, name)
        if value is not None:
            clauses.append(facet.condition(value_key(value)))
    return clauses


def _pairs(model: Any, value: Any) -> Any:
    return select(model.consultant_id.label("owner"), value.label("value"))


def _facets(*, personal: bool) -> dict[str, Any]:
    """The list's facets by name; gender and nationality only for personal readers."""
    public: list[Any] = [
        ColumnFacet("demo", Consultant.demo, parse_bool),
        LinkFacet(
            "language",
            Consultant.id,
            _pairs(ConsultantLanguage, ConsultantLanguage.language),
            not_stated=True,
            unique_pairs=True,
        ),
        LinkFacet(
            "ip_field",
            Consultant.id,
            _pairs(ConsultantField, ConsultantField.field_code),
            not_stated=True,
            unique_pairs=True,
        ),
        LinkFacet(
            "beneficiary_country",
            Consultant.id,
            select(
                Assignment.consultant_id.label("owner"),
                AssignmentCountry.country_alpha3.label("value"),
            ).join(AssignmentCountry, AssignmentCountry.assignment_id == Assignment.id),
            not_stated=True,
        ),
        LinkFacet(
            "assignment_year",
            Consultant.id,
            _pairs(Assignment, Assignment.year).where(Assignment.year.is_not(None)),
            int,
            not_stated=True,
        ),
    ]
    private: list[Any] = [
        ColumnFacet("gender", Consultant.gender, Gender),
        LinkFacet(
            "nationality",
            Consultant.id,
            _pairs(ConsultantNationality, ConsultantNationality.country_alpha3),
            not_stated=True,
            unique_pairs=True,
        ),
    ]
    return {facet.name: facet for facet in (*public, *(private if personal else ()))}


def consultant_source(
    session: Session, filters: ConsultantFilter | None = None
) -> ListSource[ConsultantSummary]:
    """The consultants list for the database to filter, count and order, with the
    facets the current actor may see. With a `name`, the `match` sort ranks by likeness."""
    listing = consultant_listing(session, filters)
    sorts = {
        "name": Sort(Consultant.name_latin, nullable=False),
        "code": Sort(Consultant.code),
    }
    among = None
    if filters is not None and filters.name and filters.name.strip():
        among = tuple(id_ for id_, _ in name_matches(session, filters.name))
        sorts["match"] = Sort(nullable=False, ranked=among)
    personal = personal_data_allowed()
    facets = tuple(_facets(personal=personal).values())
    memory = _in_memory(personal)
    return ListSource(listing, facets=facets, sorts=sorts, memory=memory, among=among)


def _in_memory(personal: bool) -> InMemory:
    """The list's facets and `q` texts held in memory, one state per kind of reader: the
    public one never holds (so never matches) gender, nationalities or contact details.
    The texts are those `_public_text` (and `_personal_text`) match; the name key, which
    `q` matches romanised, is held apart and shared by both."""
    texts = [
        select(Consultant.id.label("owner"), Consultant.code.label("value")),
        select(Consultant.id, Consultant.name_latin),
        select(Consultant.id, Consultant.name_own),
        select(Assignment.consultant_id, Assignment.task),
    ]
    if personal:
        texts += [select(Consultant.id, column) for column in _CONTACT]
    name_keys = RewrittenTexts(
        "name_key",
        select(Consultant.id.label("owner"), Consultant.name_key.label("value")),
        _name_key_query,
    )
    return InMemory(
        "consultant",
        texts=union_all(*texts),
        variant="personal" if personal else "public",
        rewritten=(name_keys,),
    )


def _summary_fields(consultant: Consultant) -> dict[str, Any]:
    countries = [c.country_alpha3 for a in consultant.assignments for c in a.countries]
    return {
        "id": consultant.id,
        "code": consultant.code,
        "version": consultant.version,
        "demo": consultant.demo,
        "name_latin": consultant.name_latin,
        "name_own": consultant.name_own,
        "languages": [link.language for link in consultant.languages],
        "ip_fields": [link.field_code for link in consultant.fields],
        "assignment_years": sorted({a.year for a in consultant.assignments if a.year}),
        "beneficiary_countries": sorted(set(countries)),
    }


def _personal_fields(consultant: Consultant) -> dict[str, Any]:
    return {
        "gender": consultant.gender,
        "nationalities": [link.country_alpha3 for link in consultant.nationalities],
        "email": consultant.email,
        "phone": consultant.phone,
        "address": consultant.address,
    }


def _summaries(_session: Session, consultants: Sequence[Consultant]) -> list[ConsultantSummary]:
    return [ConsultantSummary(**_summary_fields(c)) for c in consultants]


def _personal_summaries(
    _session: Session, consultants: Sequence[Consultant]
) -> list[ConsultantPersonalSummary]:
    return [
        ConsultantPersonalSummary(**_summary_fields(c), **_personal_fields(c)) for c in consultants
    ]


def find_consultant(session: Session, consultant_id: int) -> Consultant:
    consultant = session.get(Consultant, consultant_id)
    if consultant is None:
        raise NotFoundError(f"no consultant {consultant_id}")
    return consultant


def get_consultant(session: Session, consultant_id: int) -> ConsultantOut:
    """A consultant with their assignments and where each fact is stated; with the
    personal data only for those who may read it."""
    consultant = find_consultant(session, consultant_id)
    personal = personal_data_allowed()
    link_rows = {
        "languages": [(x.language, x.source_location_id) for x in consultant.languages],
        "ip_fields": [(x.field_code, x.source_location_id) for x in consultant.fields],
    }
    if personal:
        link_rows["nationalities"] = [
            (x.country_alpha3, x.source_location_id) for x in consultant.nationalities
        ]
    facts = [f for f in consultant.fact_sources if personal or f.fact not in PERSONAL_COLUMNS]
    location_ids: list[int | None] = [f.source_location_id for f in facts]
    location_ids += [at for rows in link_rows.values() for _, at in rows]
    location_ids += [a.source_location_id for a in consultant.assignments]
    locations = locations_by_id(session, location_ids)
    activities = _activities(session, {a.activity_id for a in consultant.assignments})
    fields: dict[str, Any] = {
        **_summary_fields(consultant),
        "assignments": [_assignment_out(a, activities, locations) for a in consultant.assignments],
        "fact_sources": {
            f.fact: found
            for f in sorted(facts, key=lambda f: f.fact)
            if (found := provenance(locations, f.source_location_id)) is not None
        },
        "link_sources": {
            name: [SourcedValue(value=v, source=provenance(locations, at)) for v, at in rows]
            for name, rows in link_rows.items()
            if rows
        },
    }
    if personal:
        return ConsultantPersonalOut(**fields, **_personal_fields(consultant))
    return ConsultantOut(**fields)


def _activities(session: Session, ids: set[int | None]) -> dict[int, Activity]:
    wanted = ids - {None}
    if not wanted:
        return {}
    found = session.scalars(select(Activity).where(Activity.id.in_(wanted)))
    return {activity.id: activity for activity in found}


def _assignment_out(
    assignment: Assignment, activities: dict[int, Activity], locations: dict[int, Any]
) -> AssignmentOut:
    activity = activities.get(assignment.activity_id) if assignment.activity_id else None
    return AssignmentOut(
        id=assignment.id,
        year=assignment.year,
        countries=[c.country_alpha3 for c in assignment.countries],
        activity_id=assignment.activity_id,
        activity_code=activity.code if activity else None,
        activity_title=activity.text_in("en", fallback=("zh",)) if activity else None,
        task=assignment.task,
        source=provenance(locations, assignment.source_location_id),
    )


def country_consultants(session: Session, alpha3: str, *, demo: bool = False) -> int:
    """How many consultants (real, or demo ones) have had an assignment for a country:
    the list's own filter, so the count and the list it links to agree."""
    selection = Selection(facets={"beneficiary_country": alpha3, "demo": value_key(demo)})
    return consultant_source(session).rows(selection).count()


def activity_consultants(session: Session, activity_id: int) -> list[ConsultantRef]:
    """The consultants assigned to an activity (by their assignments), by name."""
    rows = session.execute(
        select(Consultant.id, Consultant.name_latin)
        .join(Assignment, Assignment.consultant_id == Consultant.id)
        .where(Assignment.activity_id == activity_id)
        .distinct()
        .order_by(Consultant.name_latin, Consultant.id)
    )
    return [ConsultantRef(id=id_, name=name) for id_, name in rows]


# -- public counts -----------------------------------------------------------------------------


def consultant_aggregates(
    session: Session, year: int | None = None, *, demo: bool = False
) -> ConsultantAggregates:
    """Consultants by gender, by WIPO region of nationality and by IP field (of those
    with an assignment in `year`, if given), for everyone: the personal breakdowns are
    suppressed by `SUPPRESSION_RULE`, so that no count singles out a few people. They
    count the real consultants, or with `demo` the demo ones: never both together."""
    chosen = select(Consultant.id).where(Consultant.demo.is_(demo))
    if year is not None:
        chosen = chosen.where(
            Consultant.id.in_(select(Assignment.consultant_id).where(Assignment.year == year))
        )
    ids = chosen
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    genders = dict(
        session.execute(
            select(Consultant.gender, func.count())
            .where(Consultant.id.in_(ids))
            .group_by(Consultant.gender)
        ).all()
    )
    by_gender = {g.value: genders.get(g, 0) for g in Gender}
    by_gender["none"] = genders.get(None, 0)
    by_region = _linked_counts(
        session,
        select(ConsultantNationality.consultant_id, Country.wipo_region)
        .join(Country, Country.alpha3 == ConsultantNationality.country_alpha3)
        .where(ConsultantNationality.consultant_id.in_(ids)),
        [r.value for r in WipoRegion],
        total,
    )
    by_field = _linked_counts(
        session,
        select(ConsultantField.consultant_id, ConsultantField.field_code).where(
            ConsultantField.consultant_id.in_(ids)
        ),
        list(subject_areas()),
        total,
    )
    return ConsultantAggregates(
        year=year,
        consultants=total,
        threshold=THRESHOLD,
        rule=SUPPRESSION_RULE,
        by_gender=suppress(by_gender),
        by_region=suppress(by_region),
        by_ip_field=[Cell(value=k, count=n) for k, n in by_field.items()],
        with_assignments=assignment_figures(session, year, demo=demo),
        demo=demo,
    )


def _linked_counts(
    session: Session, pairs: Any, categories: list[str], total: int
) -> dict[str, int]:
    """Distinct consultants per value of a link, every category shown, and `none` for
    those with no link (so that a figure says how many it leaves out)."""
    rows = pairs.subquery()
    owner, value = rows.c
    counted = dict(
        session.execute(select(value, func.count(owner.distinct())).group_by(value)).all()
    )
    linked = session.scalar(select(func.count(owner.distinct()))) or 0
    counts = {c: counted.get(c, 0) for c in categories}
    counts.update({str(k): n for k, n in counted.items() if str(k) not in counts})
    counts["none"] = total - linked
    return counts


def suppress(counts: dict[str, int]) -> list[Cell]:
    """The cells of one breakdown under `SUPPRESSION_RULE`."""
    small = {value for value, n in counts.items() if n < THRESHOLD}
    if len(small) == 1 and len(counts) > 1:
        others = sorted((n, value) for value, n in counts.items() if value not in small)
        small.add(others[0][1])
    return [
        Cell(value=value, count=None if value in small else n, suppressed=value in small)
        for value, n in counts.items()
    ]


def assignment_figures(
    session: Session, year: int | None = None, *, demo: bool = False
) -> AssignmentFigures:
    """The report's "consultants with assignments in a year", computed from the
    assignments (of real consultants, or with `demo` of demo ones), with how many
    assignment records each figure rests on and how many state no year (and so count in
    no year)."""
    of_kind = Assignment.consultant_id.in_(select(Consultant.id).where(Consultant.demo.is_(demo)))
    query = (
        select(
            Assignment.year,
            func.count(Assignment.consultant_id.distinct()),
            func.count(),
        )
        .where(of_kind, Assignment.year.is_not(None))
        .group_by(Assignment.year)
        .order_by(Assignment.year)
    )
    if year is not None:
        query = query.where(Assignment.year == year)
    years = [YearFigure(year=y, consultants=c, assignments=n) for y, c, n in session.execute(query)]
    every = session.scalar(select(func.count()).select_from(Assignment).where(of_kind)) or 0
    undated = (
        session.scalar(
            select(func.count()).where(of_kind, Assignment.year.is_(None)).select_from(Assignment)
        )
        or 0
    )
    return AssignmentFigures(years=years, assignments=every, assignments_year_not_stated=undated)
