"""The activities area's rules: writing an activity (from an import or an edit), the
import of files and IP-TAD pages, and the list and detail the interfaces show.

Imports and edits state facts in the same shape (`ActivityValues`), checked against the
knowledge base by `check_values` and written by `write_values`, so that both obey the
same rules: known countries, languages, subject areas, recommendations, expected results
and projects; dates in order; women and men no more than the participants; and every
fact stored with where it is stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from devagenda.activities import importers
from devagenda.activities.models import (
    DEMO_PREFIX,
    Activity,
    ActivityBeneficiary,
    ActivityDescription,
    ActivityExpectedResult,
    ActivityFactSource,
    ActivityLanguage,
    ActivityPartner,
    ActivityProject,
    ActivityRecommendation,
    ActivitySubjectArea,
    ActivityTitle,
)
from devagenda.activities.schemas import ActivityFilter, ActivityOut, ActivitySummary, SourcedValue
from devagenda.catalogue.codes import CodeError, normalize_code
from devagenda.catalogue.models import Project, Recommendation
from devagenda.catalogue.services import locations_by_id, project_ref, provenance, texts_out
from devagenda.core.bulk import insert_returning_ids, insert_rows, refresh_statistics
from devagenda.core.changelog import ChangeAction, current_run, record_type_of
from devagenda.core.errors import NotFoundError
from devagenda.core.imports import (
    FilesRefused,
    ImportRefused,
    ImportResult,
    ImportRow,
    RowProblems,
    RowRejected,
    cited_location,
    count_rows,
    import_files,
    import_table,
    iter_table,
    read_table,
    template,
)
from devagenda.core.listing import (
    Bound,
    ColumnFacet,
    InMemory,
    LinkFacet,
    ListSource,
    Sort,
    parse_bool,
)
from devagenda.core.models import SourceLocation, TextStatus
from devagenda.core.pagination import Listing, contains_text
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import ActorGroup, Country, ExpectedResult, Sector
from devagenda.search.sync import note_written

# The single-valued facts: an activity's columns, each with its own source.
FACT_COLUMNS = (
    "code",
    "type",
    "mode",
    "organising_unit",
    "sector_code",
    "start_date",
    "end_date",
    "venue_city",
    "host_country_alpha3",
    "participants",
    "participants_women",
    "participants_men",
    "funding_source",
)
# The list-valued facts: replaced as a whole when stated.
LINK_FIELDS = (
    "beneficiaries",
    "subject_areas",
    "languages",
    "partners",
    "recommendations",
    "expected_results",
    "projects",
)


@dataclass
class ActivityValues:
    """What an import row or an edit states about an activity: only the facts it names.
    Beneficiaries are (country alpha-3, group code) pairs, one of them None."""

    columns: dict[str, Any] = field(default_factory=dict)
    titles: dict[str, tuple[str, TextStatus]] = field(default_factory=dict)
    descriptions: dict[str, tuple[str, TextStatus]] = field(default_factory=dict)
    links: dict[str, list[Any]] = field(default_factory=dict)


# -- the rules of a write ----------------------------------------------------------------------


@dataclass(frozen=True)
class KnownCodes:
    """The codes a write may name, read once for a whole import instead of per row."""

    activities: dict[str, tuple[int, bool]]  # stored activity code -> (id, demo)
    sectors: frozenset[str]
    countries: frozenset[str]
    recommendations: frozenset[int]
    expected_results: frozenset[str]
    projects: frozenset[int]

    @classmethod
    def read(cls, session: Session) -> KnownCodes:
        stored = session.execute(
            select(Activity.code, Activity.id, Activity.demo).where(Activity.code.is_not(None))
        )
        return cls(
            {code: (id_, demo) for code, id_, demo in stored},
            frozenset(session.scalars(select(Sector.code))),
            frozenset(session.scalars(select(Country.alpha3))),
            frozenset(session.scalars(select(Recommendation.number))),
            frozenset(session.scalars(select(ExpectedResult.code))),
            frozenset(session.scalars(select(Project.id))),
        )


def check_values(
    session: Session, activity: Activity, values: ActivityValues, known: KnownCodes | None = None
) -> dict[str, str]:
    """What is wrong with writing `values` to `activity`, by field (empty: nothing). The
    values are checked together with the facts the activity keeps; `known` spares the
    lookups of codes."""
    problems: dict[str, str] = {}
    columns = values.columns
    code = columns.get("code")
    if code is not None and code.upper().startswith(DEMO_PREFIX) and not activity.demo:
        problems["code"] = (
            f"codes starting {DEMO_PREFIX} are kept for demo data (devagenda demo generate):"
            " choose another code"
        )
    elif code is not None:
        if known is not None:
            other = known.activities.get(code, (None,))[0]
        else:
            other = session.scalar(select(Activity.id).where(Activity.code == code))
        if other is not None and other != activity.id:
            problems["code"] = f"activity {other} already has the code {code}"
    sector = columns.get("sector_code")
    if sector is not None and not (
        sector in known.sectors if known else session.get(Sector, sector) is not None
    ):
        known = ", ".join(session.scalars(select(Sector.code).order_by(Sector.code)))
        problems["sector"] = f"unknown sector code {sector!r} (known: {known})"
    host = columns.get("host_country_alpha3")
    if host is not None and not (
        host in known.countries if known else session.get(Country, host) is not None
    ):
        problems["host_country"] = f"unknown country code {host!r}"

    def after(name: str) -> Any:
        return columns[name] if name in columns else getattr(activity, name)

    start, end = after("start_date"), after("end_date")
    if start is not None and end is not None and end < start:
        problems["end_date"] = f"{end} is before the start date {start}"
    total, women, men = (
        after("participants"),
        after("participants_women"),
        after("participants_men"),
    )
    if None not in (total, women, men) and women + men > total:
        problems["participants"] = f"{women} women and {men} men are more than {total} participants"
    links = values.links
    for number in _missing(
        session,
        Recommendation.number,
        links.get("recommendations", []),
        known.recommendations if known else None,
    ):
        problems.setdefault("recommendations", f"no recommendation {number} is stored")
    for code_ in _missing(
        session,
        ExpectedResult.code,
        links.get("expected_results", []),
        known.expected_results if known else None,
    ):
        problems.setdefault("expected_results", f"no expected result {code_} is stored")
    for project in _missing(
        session, Project.id, links.get("projects", []), known.projects if known else None
    ):
        problems.setdefault("projects", f"no project {project} is stored")
    areas = importers.subject_areas()
    for area in links.get("subject_areas", []):
        if area not in areas:
            problems.setdefault("subject_areas", f"unknown IP subject area {area!r}")
    known_languages = importers.languages()
    for language in links.get("languages", []):
        if language not in known_languages:
            problems.setdefault("languages", f"unknown language code {language!r}")
    return problems


def _missing(
    session: Session, column: Any, wanted: Sequence[Any], known: frozenset[Any] | None = None
) -> list[Any]:
    if not wanted:
        return []
    if known is not None:
        return [value for value in wanted if value not in known]
    found = set(session.scalars(select(column).where(column.in_(wanted))))
    return [value for value in wanted if value not in found]


def write_values(
    session: Session, activity: Activity, values: ActivityValues, location: SourceLocation | None
) -> dict[str, int]:
    """Store checked `values` on `activity`, each fact with `location`; returns the facts
    written by kind. Link rows that stay keep their source."""
    written: dict[str, int] = {}
    stated = {fact.fact: fact for fact in activity.fact_sources}
    for name, value in values.columns.items():
        setattr(activity, name, value)
        written[name] = 1
        if location is None or value is None:
            if name in stated:
                activity.fact_sources.remove(stated[name])
            continue
        if name in stated:
            stated[name].source_location_id = location.id
        else:
            activity.fact_sources.append(
                ActivityFactSource(fact=name, source_location_id=location.id)
            )
    location_id = location.id if location else None
    for texts, wanted in (
        (activity.texts, values.titles),
        (activity.descriptions, values.descriptions),
    ):
        for language, (text, status) in sorted(wanted.items()):
            _set_text(texts, language, text, status, location_id, texts is activity.texts)
            written["titles" if texts is activity.texts else "descriptions"] = len(wanted)
    for name, wanted in values.links.items():
        _replace_links(activity, name, wanted, location_id)
        written[name] = len(wanted)
    return written


def _set_text(
    texts: list[Any],
    language: str,
    text: str,
    status: TextStatus,
    location_id: int | None,
    is_title: bool,
) -> None:
    for existing in texts:
        if existing.language == language:
            existing.text, existing.status = text, status
            existing.source_location_id = location_id
            return
    model = ActivityTitle if is_title else ActivityDescription
    texts.append(model(language=language, text=text, status=status, source_location_id=location_id))
    texts.sort(key=lambda translation: translation.language)


# Per link field: the relationship, the row's value, and how a new row is made.
_LINKS: dict[str, tuple[str, Any, Any]] = {
    "beneficiaries": (
        "beneficiaries",
        lambda link: (link.country_alpha3, link.group_code),
        lambda value, position: ActivityBeneficiary(
            country_alpha3=value[0], group_code=value[1], position=position
        ),
    ),
    "subject_areas": (
        "subject_areas",
        lambda link: link.area_code,
        lambda value, _position: ActivitySubjectArea(area_code=value),
    ),
    "languages": (
        "languages",
        lambda link: link.language,
        lambda value, _position: ActivityLanguage(language=value),
    ),
    "partners": (
        "partners",
        lambda link: link.name,
        lambda value, position: ActivityPartner(name=value, position=position),
    ),
    "recommendations": (
        "recommendation_links",
        lambda link: link.recommendation_number,
        lambda value, _position: ActivityRecommendation(recommendation_number=value),
    ),
    "expected_results": (
        "expected_result_links",
        lambda link: link.expected_result_code,
        lambda value, _position: ActivityExpectedResult(expected_result_code=value),
    ),
    "projects": (
        "project_links",
        lambda link: link.project_id,
        lambda value, _position: ActivityProject(project_id=value),
    ),
}


def _replace_links(
    activity: Activity, name: str, wanted: list[Any], location_id: int | None
) -> None:
    attribute, value_of, make = _LINKS[name]
    links = getattr(activity, attribute)
    kept = {value_of(link): link for link in links if value_of(link) in wanted}
    for link in [link for link in links if value_of(link) not in kept]:
        links.remove(link)
    for position, value in enumerate(wanted):
        link = kept.get(value)
        if link is None:
            link = make(value, position)
            link.source_location_id = location_id
            links.append(link)
        elif hasattr(link, "position") and link.position != position:
            link.position = position


# -- import ----------------------------------------------------------------------------------


class ActivitiesImportRefused(FilesRefused):
    """Some files have bad rows or pages; nothing of any file was stored."""


# Rows stored between two flushes of an import, after which the session lets go of them:
# a million-row file takes as much memory as a small one.
IMPORT_BATCH = 2000
# `started(file name, rows)` gives the function told of each row read (a progress bar).
Started = Callable[[str, int], Callable[[int], None]]


STATISTICS_AFTER_ROWS = 10_000  # an import this large refreshes the planner's statistics


def import_activities(
    session: Session,
    paths: Sequence[Path],
    *,
    started: Started | None = None,
    replace: bool = False,
) -> list[ImportResult]:
    """Load activity files of any format (CSV, XLSX, JSON, IP-TAD pages as HTML or text,
    told apart by content) in the caller's transaction: all of them, or nothing. Every
    file is checked even after a bad one, so that one run reports every problem; rows that
    change stored activities are refused unless `replace` (core.imports.replacing)."""
    from devagenda.reference.services import build_gazetteer

    resolver = _Resolver(session, build_gazetteer(session), KnownCodes.read(session))
    results = import_files(
        session,
        "activities_import",
        paths,
        lambda path: _import_file(session, path, resolver, started),
        ActivitiesImportRefused,
        replace=replace,
    )
    if sum(result.rows for result in results) >= STATISTICS_AFTER_ROWS:
        tables = [t.name for t in Activity.metadata.sorted_tables]
        refresh_statistics(session, [n for n in tables if n.startswith(("activity", "search"))])
    return results


def activities_template(kind: str) -> bytes:
    """An empty activities import file (csv or xlsx) with every column."""
    return template(importers.ACTIVITY_SPEC, kind)


def _import_file(
    session: Session, path: Path, resolver: _Resolver, started: Started | None
) -> ImportResult:
    result = _import_rows(session, path, resolver, started)
    resolver.new_activities.write(session)
    return result


def _import_rows(
    session: Session, path: Path, resolver: _Resolver, started: Started | None
) -> ImportResult:
    kind = importers.detect_format(path)
    store = lambda db, row: _store_row(db, row, resolver)  # noqa: E731
    if kind == "csv":
        advance = started(path.name, count_rows(path)) if started else None
        return import_table(
            session,
            importers.ACTIVITY_SPEC,
            str(path),
            iter_table(path, kind),
            store,
            batch=IMPORT_BATCH,
            advance=advance,
        )
    if kind == "xlsx":
        return import_table(
            session, importers.ACTIVITY_SPEC, str(path), read_table(path, kind), store
        )
    if kind == "json":
        table = importers.read_json_table(path)
        return import_table(session, importers.ACTIVITY_SPEC, str(path), table, store)
    page = importers.read_page(path, kind)
    try:
        return import_table(
            session, importers.PAGE_SPEC, str(path), importers.page_table([page]), store
        )
    except ImportRefused as refused:
        problems = [importers.page_problem(page, problem) for problem in refused.problems]
        raise ImportRefused(str(path), problems) from None


def _store_row(session: Session, row: ImportRow, resolver: _Resolver) -> dict[str, int]:
    """Check and store one row; what it writes is flushed with its batch (no autoflush
    before each query: rows of one file never depend on each other's writes, since a
    code appears once per file)."""
    with session.no_autoflush:
        return _store_row_unflushed(session, row, resolver)


def _store_row_unflushed(session: Session, row: ImportRow, resolver: _Resolver) -> dict[str, int]:
    code = row.get("code")
    stored = resolver.known.activities.get(code)
    activity = None if stored is None else session.get(Activity, stored[0])
    if activity is not None and activity.demo:
        raise RowRejected(
            "code", f"{code} is a demo activity: `devagenda demo remove` takes it out"
        )
    problems = RowProblems()
    values = _row_values(row, resolver, problems)
    new = activity is None
    if activity is None:
        activity = Activity(code=code)
    problems.raise_any(check_values(session, activity, values, resolver.known), _IMPORT_COLUMN_OF)
    location = resolver.location(row.source)
    if new:  # written with the batch's other new activities, by bulk inserts
        written = resolver.new_activities.add(session, values, location.id)
    else:
        written = write_values(session, activity, values, location)
    return {"activities": 1, **{k: v for k, v in written.items() if k != "code"}}


# Per link field: the part table and the columns of one of its rows.
_LINK_ROWS: dict[str, tuple[Any, Callable[[Any, int], dict[str, Any]]]] = {
    "beneficiaries": (
        ActivityBeneficiary,
        lambda value, position: {
            "country_alpha3": value[0],
            "group_code": value[1],
            "position": position,
        },
    ),
    "subject_areas": (ActivitySubjectArea, lambda value, _: {"area_code": value}),
    "languages": (ActivityLanguage, lambda value, _: {"language": value}),
    "partners": (ActivityPartner, lambda value, position: {"name": value, "position": position}),
    "recommendations": (
        ActivityRecommendation,
        lambda value, _: {"recommendation_number": value},
    ),
    "expected_results": (
        ActivityExpectedResult,
        lambda value, _: {"expected_result_code": value},
    ),
    "projects": (ActivityProject, lambda value, _: {"project_id": value}),
}


class _NewActivities:
    """The new activities of an import, written a batch at a time by bulk inserts (the
    ORM would take hours for a million rows): the same rows `write_values` makes, each
    fact with its source, counted into the import's change-log run."""

    def __init__(self) -> None:
        self.pending: list[tuple[ActivityValues, int]] = []

    def add(self, session: Session, values: ActivityValues, location_id: int) -> dict[str, int]:
        self.pending.append((values, location_id))
        if len(self.pending) >= IMPORT_BATCH:
            self.write(session)
        written = dict.fromkeys(values.columns, 1)
        if values.titles:
            written["titles"] = len(values.titles)
        if values.descriptions:
            written["descriptions"] = len(values.descriptions)
        written.update({name: len(wanted) for name, wanted in values.links.items()})
        return written

    def write(self, session: Session) -> None:
        if not self.pending:
            return
        connection = session.connection()
        ids = insert_returning_ids(
            connection,
            Activity.__table__,
            [
                {**dict.fromkeys(FACT_COLUMNS), **values.columns, "demo": False}
                for values, _ in self.pending
            ],
        )
        note_written(session, Activity, ids)
        parts: dict[Any, list[dict[str, Any]]] = {}
        for activity_id, (values, location_id) in zip(ids, self.pending, strict=True):
            sourced = {"activity_id": activity_id, "source_location_id": location_id}
            parts.setdefault(ActivityFactSource, []).extend(
                {**sourced, "fact": name}
                for name, value in values.columns.items()
                if value is not None
            )
            for model, texts in (
                (ActivityTitle, values.titles),
                (ActivityDescription, values.descriptions),
            ):
                parts.setdefault(model, []).extend(
                    {**sourced, "language": language, "text": text_, "status": status}
                    for language, (text_, status) in sorted(texts.items())
                )
            for name, wanted in values.links.items():
                model, columns = _LINK_ROWS[name]
                parts.setdefault(model, []).extend(
                    {**sourced, **columns(value, position)} for position, value in enumerate(wanted)
                )
        run = current_run(session)
        if run is not None:
            run.count(record_type_of(Activity), ChangeAction.CREATE, len(self.pending))
        for model, rows in parts.items():
            if rows:
                insert_rows(connection, model.__table__, rows)
                if run is not None:
                    run.count(record_type_of(model), ChangeAction.CREATE, len(rows))
        self.pending.clear()


# The import column a problem of `check_values` is about, where the names differ.
_IMPORT_COLUMN_OF = {"subject_areas": "ip_subject_areas"}
_ROW_COLUMNS = {
    "code": "code",
    "type": "type",
    "mode": "mode",
    "organising_unit": "organising_unit",
    "sector": "sector_code",
    "start_date": "start_date",
    "end_date": "end_date",
    "venue_city": "venue_city",
    "participants": "participants",
    "participants_women": "participants_women",
    "participants_men": "participants_men",
    "funding_source": "funding_source",
}


def _row_values(row: ImportRow, resolver: _Resolver, problems: RowProblems) -> ActivityValues:
    values = ActivityValues()
    for column, attribute in _ROW_COLUMNS.items():
        if row.has(column):
            values.columns[attribute] = row.get(column)
    if row.has("host_country"):
        with problems.reading("host_country"):
            values.columns["host_country_alpha3"] = resolver.country(row.get("host_country"))
    for language in ("en", "zh"):
        if row.has(f"title_{language}"):
            values.titles[language] = (row.get(f"title_{language}"), TextStatus.OFFICIAL)
        if row.has(f"description_{language}"):
            text = row.get(f"description_{language}")
            values.descriptions[language] = (text, TextStatus.OFFICIAL)
    if row.has("beneficiaries"):
        with problems.reading("beneficiaries"):
            values.links["beneficiaries"] = resolver.actors(row.get("beneficiaries"))
    simple = {
        "ip_subject_areas": "subject_areas",
        "languages": "languages",
        "partners": "partners",
        "recommendations": "recommendations",
        "expected_results": "expected_results",
    }
    for column, name in simple.items():
        if row.has(column):
            values.links[name] = row.get(column)
    if row.has("projects"):
        with problems.reading("projects"):
            values.links["projects"] = [resolver.project(item) for item in row.get("projects")]
    return values


class _Resolver:
    """Names in an import, looked up in the knowledge base, with suggestions."""

    def __init__(self, session: Session, gazetteer: Gazetteer, known: KnownCodes) -> None:
        self.session = session
        self.gazetteer = gazetteer
        self.known = known
        self.locations: dict[str, SourceLocation] = {}
        self.new_activities = _NewActivities()
        self.by_key = {entry.key: entry for entry in gazetteer.entries}
        self.resolved: dict[str, tuple[str | None, str | None]] = {}
        self.alpha2 = {a2: a3 for a2, a3 in session.execute(select(Country.alpha2, Country.alpha3))}

    def entry(self, name: str, column: str) -> tuple[str | None, str | None]:
        """(alpha-3, None) for a country, (None, code) for a group; each name resolved
        once per import, since the same few names fill most rows."""
        text = name.strip()
        found = self.resolved.get(text)
        if found is None:
            found = self.resolved[text] = self._entry(text, column)
        return found

    def _entry(self, text: str, column: str) -> tuple[str | None, str | None]:
        upper = text.upper()
        if len(upper) == 2 and upper in self.alpha2:
            return self.alpha2[upper], None
        entry = self.by_key.get(upper) or self.gazetteer.resolve(text)
        if entry is None:
            nearest = ", ".join(e.name_en for e, _ in self.gazetteer.candidates(text, limit=3))
            raise RowRejected(column, f"unknown country {text!r}; did you mean {nearest}?")
        if entry.kind == "country":
            return entry.key, None
        return None, entry.key

    def country(self, name: str) -> str:
        alpha3, _group = self.entry(name, "host_country")
        if alpha3 is None:
            raise RowRejected("host_country", f"{name!r} is a group, not a country")
        return alpha3

    def actors(self, text: str) -> list[tuple[str | None, str | None]]:
        whole = self.gazetteer.resolve(text)
        parts = [text] if whole else importers.names(text)
        if len(parts) == 1 and not whole and not re.search(r"[|;；\n]", text):
            parts = importers.items(text)
        return list(dict.fromkeys(self.entry(part, "beneficiaries") for part in parts))

    def location(self, reference: str) -> SourceLocation:
        """Where the facts of rows citing `reference` are stated, looked up once per import
        (the object outlives the batch that read it: only its id is used)."""
        found = self.locations.get(reference)
        if found is None:
            found = self.locations[reference] = cited_location(self.session, reference)
        return found

    def project(self, text: str) -> int:
        if text.isdigit():
            return int(text)
        try:
            code = normalize_code(text)
        except CodeError as error:
            raise RowRejected("projects", str(error)) from None
        found = self.session.scalar(select(Project.id).where(Project.code == code))
        if found is None:
            raise RowRejected("projects", f"no stored project has the code {code}")
        return found


# -- lists and detail ---------------------------------------------------------------------------


def activity_listing(session: Session) -> Listing[ActivitySummary]:
    query = select(Activity).options(
        selectinload(Activity.beneficiaries),
        selectinload(Activity.subject_areas),
        selectinload(Activity.languages),
        selectinload(Activity.recommendation_links),
        selectinload(Activity.project_links),
    )
    return Listing(session, query, Activity.id, _summaries, _text_filter, _summaries_by_keys)


def _text_filter(q: str) -> ColumnElement[bool]:
    return or_(
        contains_text(q, Activity.code, Activity.venue_city, Activity.organising_unit),
        Activity.texts.any(contains_text(q, ActivityTitle.text)),
        Activity.descriptions.any(contains_text(q, ActivityDescription.text)),
    )


def _bounds(filters: ActivityFilter | None) -> tuple[Bound, ...]:
    """The filters that are not facets: the date range an activity overlaps (it ends, or
    if no end is stated starts, on or after `since`, and starts on or before `until`)."""
    bounds = []
    if filters is not None and filters.since is not None:
        bounds.append(Bound(("end_date", "start_date"), filters.since))
    if filters is not None and filters.until is not None:
        bounds.append(Bound(("start_date",), filters.until, at_least=False))
    return tuple(bounds)


def _pairs(model: Any, value: Any) -> Any:
    return select(model.activity_id.label("owner"), value.label("value"))


def activity_source(
    session: Session, filters: ActivityFilter | None = None
) -> ListSource[ActivitySummary]:
    """The activities list for the database to filter, count and order. A country is the
    host or a beneficiary; its region and group (LDC, developing...) follow from it."""
    countries = union(
        select(Activity.id.label("owner"), Activity.host_country_alpha3.label("value")).where(
            Activity.host_country_alpha3.is_not(None)
        ),
        select(
            ActivityBeneficiary.activity_id.label("owner"),
            ActivityBeneficiary.country_alpha3.label("value"),
        ).where(ActivityBeneficiary.country_alpha3.is_not(None)),
    ).subquery()

    def by_country(attribute: Any) -> Any:
        return select(countries.c.owner, attribute.label("value")).join(
            Country, Country.alpha3 == countries.c.value
        )

    year = cast(extract("year", Activity.start_date), Integer)
    return ListSource(
        activity_listing(session),
        facets=(
            ColumnFacet("year", year, int),
            ColumnFacet("type", Activity.type),
            ColumnFacet("mode", Activity.mode),
            ColumnFacet("sector", Activity.sector_code),
            ColumnFacet("organising_unit", Activity.organising_unit),
            ColumnFacet("funding_source", Activity.funding_source),
            ColumnFacet("demo", Activity.demo, parse_bool),
            LinkFacet(
                "country",
                Activity.id,
                select(countries.c.owner, countries.c.value),
                not_stated=True,
                unique_pairs=True,
            ),
            LinkFacet("region", Activity.id, by_country(Country.wipo_region), not_stated=True),
            LinkFacet(
                "country_group",
                Activity.id,
                by_country(Country.development_status),
                not_stated=True,
            ),
            LinkFacet(
                "subject_area",
                Activity.id,
                _pairs(ActivitySubjectArea, ActivitySubjectArea.area_code),
                not_stated=True,
                unique_pairs=True,
            ),
            LinkFacet(
                "language",
                Activity.id,
                _pairs(ActivityLanguage, ActivityLanguage.language),
                not_stated=True,
                unique_pairs=True,
            ),
            LinkFacet(
                "recommendation",
                Activity.id,
                _pairs(ActivityRecommendation, ActivityRecommendation.recommendation_number),
                int,
                not_stated=True,
                unique_pairs=True,
            ),
            LinkFacet(
                "expected_result",
                Activity.id,
                _pairs(ActivityExpectedResult, ActivityExpectedResult.expected_result_code),
                not_stated=True,
                unique_pairs=True,
            ),
            LinkFacet(
                "project",
                Activity.id,
                _pairs(ActivityProject, ActivityProject.project_id),
                int,
                not_stated=True,
                unique_pairs=True,
            ),
        ),
        sorts={
            "start_date": Sort(Activity.start_date),
            "end_date": Sort(Activity.end_date),
            "participants": Sort(Activity.participants),
            "code": Sort(Activity.code),
            "title": Sort(func.coalesce(_title_sql("en"), _title_sql("zh"))),
        },
        memory=InMemory(
            "activity",
            texts=_texts(),
            text_columns=(Activity.venue_city, Activity.organising_unit),
            sorts=("start_date", "end_date", "participants"),
        ),
        bounds=_bounds(filters),
    )


def _texts() -> Any:
    """The texts `_text_filter` matches that are the activity's own (its code, titles and
    descriptions), as (activity, text) pairs; the city and the unit are held coded."""
    return union_all(
        select(Activity.id.label("owner"), Activity.code.label("value")),
        select(ActivityTitle.activity_id, ActivityTitle.text),
        select(ActivityDescription.activity_id, ActivityDescription.text),
    )


def _title_sql(language: str) -> ColumnElement[str]:
    return (
        select(ActivityTitle.text)
        .where(ActivityTitle.activity_id == Activity.id, ActivityTitle.language == language)
        .scalar_subquery()
    )


def _summary_fields(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "code": activity.code,
        "version": activity.version,
        "title_en": activity.text_in("en", fallback=()),
        "title_zh": activity.text_in("zh", fallback=()),
        "type": activity.type,
        "mode": activity.mode,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "venue_city": activity.venue_city,
        "host_country": activity.host_country_alpha3,
        "beneficiaries": [_actor_key(link) for link in activity.beneficiaries],
        "subject_areas": [link.area_code for link in activity.subject_areas],
        "languages": [link.language for link in activity.languages],
        "organising_unit": activity.organising_unit,
        "sector": activity.sector_code,
        "participants": activity.participants,
        "participants_women": activity.participants_women,
        "participants_men": activity.participants_men,
        "funding_source": activity.funding_source,
        "demo": activity.demo,
        "recommendations": [link.recommendation_number for link in activity.recommendation_links],
        "projects": [link.project_id for link in activity.project_links],
    }


def _actor_key(link: ActivityBeneficiary) -> str:
    return link.country_alpha3 or link.group_code or ""


def _summaries(session: Session, activities: Sequence[Activity]) -> list[ActivitySummary]:
    return [ActivitySummary(**_summary_fields(activity)) for activity in activities]


_SUMMARY_COLUMNS = (
    "id", "code", "version", "type", "mode", "start_date", "end_date", "venue_city",
    "host_country_alpha3", "organising_unit", "sector_code", "participants",
    "participants_women", "participants_men", "funding_source", "demo",
)  # fmt: skip


_LINKED_CODES: tuple[tuple[str, Any, Any, Callable[[str], Any]], ...] = (
    ("subject_area", ActivitySubjectArea, ActivitySubjectArea.area_code, str),
    ("language", ActivityLanguage, ActivityLanguage.language, str),
    ("recommendation", ActivityRecommendation, ActivityRecommendation.recommendation_number, int),
    ("project", ActivityProject, ActivityProject.project_id, int),
)


def _summaries_by_keys(session: Session, keys: Sequence[int]) -> list[ActivitySummary]:
    """The summaries `_summaries` makes, read as plain rows by four small queries (the
    four code links in one): a page of a million-row list costs a few milliseconds, where
    loading the entities with their eager loads costs tens."""

    def grouped(query: Any) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = {}
        for owner, *values in session.execute(query):
            found.setdefault(owner, []).append(values[0] if len(values) == 1 else values)
        return found

    rows = session.execute(
        select(*(getattr(Activity, name) for name in _SUMMARY_COLUMNS)).where(Activity.id.in_(keys))
    ).all()
    titles = grouped(
        select(ActivityTitle.activity_id, ActivityTitle.language, ActivityTitle.text).where(
            ActivityTitle.activity_id.in_(keys), ActivityTitle.language.in_(("en", "zh"))
        )
    )
    beneficiaries = grouped(
        select(
            ActivityBeneficiary.activity_id,
            ActivityBeneficiary.country_alpha3,
            ActivityBeneficiary.group_code,
        )
        .where(ActivityBeneficiary.activity_id.in_(keys))
        .order_by(ActivityBeneficiary.activity_id, ActivityBeneficiary.position)
    )

    linked: dict[str, dict[int, list[Any]]] = {kind: {} for kind, _, _, _ in _LINKED_CODES}
    parts = [
        select(literal(kind).label("kind"), model.activity_id, cast(column, String)).where(
            model.activity_id.in_(keys)
        )
        for kind, model, column, _ in _LINKED_CODES
    ]
    for kind, owner, value in session.execute(union_all(*parts)):
        linked[kind].setdefault(owner, []).append(value)
    for kind, _, _, convert in _LINKED_CODES:  # each in its column's order, as SQL sorts it
        for values in linked[kind].values():
            values[:] = sorted(map(convert, values))
    areas, languages = linked["subject_area"], linked["language"]
    recommendations, projects = linked["recommendation"], linked["project"]
    by_id = {}
    for row in rows:
        fields = dict(zip(_SUMMARY_COLUMNS, row, strict=True))
        key = fields["id"]
        texts = dict(titles.get(key, ()))
        by_id[key] = ActivitySummary(
            **{name: fields[name] for name in _SUMMARY_COLUMNS[:8]},
            title_en=texts.get("en"),
            title_zh=texts.get("zh"),
            host_country=fields["host_country_alpha3"],
            beneficiaries=[c or g or "" for c, g in beneficiaries.get(key, ())],
            subject_areas=areas.get(key, []),
            languages=languages.get(key, []),
            organising_unit=fields["organising_unit"],
            sector=fields["sector_code"],
            **{name: fields[name] for name in _SUMMARY_COLUMNS[11:]},
            recommendations=recommendations.get(key, []),
            projects=projects.get(key, []),
        )
    return [by_id[key] for key in keys if key in by_id]


def get_activity(session: Session, activity_id: int) -> ActivityOut:
    """An activity with its texts and the source of every fact."""
    activity = find_activity(session, activity_id)
    link_rows = {
        "beneficiaries": [(_actor_key(x), x.source_location_id) for x in activity.beneficiaries],
        "subject_areas": [(x.area_code, x.source_location_id) for x in activity.subject_areas],
        "languages": [(x.language, x.source_location_id) for x in activity.languages],
        "partners": [(x.name, x.source_location_id) for x in activity.partners],
        "recommendations": [
            (str(x.recommendation_number), x.source_location_id)
            for x in activity.recommendation_links
        ],
        "expected_results": [
            (x.expected_result_code, x.source_location_id) for x in activity.expected_result_links
        ],
        "projects": [(str(x.project_id), x.source_location_id) for x in activity.project_links],
    }
    location_ids: list[int | None] = [f.source_location_id for f in activity.fact_sources]
    location_ids += [t.source_location_id for t in (*activity.texts, *activity.descriptions)]
    location_ids += [at for rows in link_rows.values() for _, at in rows]
    locations = locations_by_id(session, location_ids)
    projects = session.scalars(
        select(Project)
        .where(Project.id.in_([x.project_id for x in activity.project_links]))
        .order_by(Project.id)
    )
    from devagenda.roster.services import activity_consultants  # the roster builds on this

    return ActivityOut(
        **_summary_fields(activity),
        consultants=activity_consultants(session, activity.id),
        titles=texts_out(activity.texts, locations),
        descriptions=texts_out(activity.descriptions, locations),
        partners=[x.name for x in activity.partners],
        expected_results=[x.expected_result_code for x in activity.expected_result_links],
        project_refs=[project_ref(p) for p in projects],
        fact_sources={
            f.fact: found
            for f in sorted(activity.fact_sources, key=lambda f: f.fact)
            if (found := provenance(locations, f.source_location_id)) is not None
        },
        link_sources={
            name: [SourcedValue(value=v, source=provenance(locations, at)) for v, at in rows]
            for name, rows in link_rows.items()
            if rows
        },
    )


def find_activity(session: Session, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFoundError(f"no activity {activity_id}")
    return activity


def stated_countries(
    session: Session, host: str | None, actors: Iterable[tuple[str | None, str | None]]
) -> set[str]:
    """The countries an activity with this host and these beneficiaries names, the members
    of a beneficiary group included (as `Activity.countries` counts them)."""
    found = {host} if host else set()
    for alpha3, group_code in actors:
        if alpha3:
            found.add(alpha3)
        elif group_code and (group := session.get(ActorGroup, group_code)) is not None:
            found.update(member.alpha3 for member in group.members)
    return found


def activity_countries(session: Session, activity_id: int) -> set[str]:
    """The countries an activity names (host, beneficiaries, members of a beneficiary
    group): whose record it is, for the focal points' grant."""
    return find_activity(session, activity_id).countries()
