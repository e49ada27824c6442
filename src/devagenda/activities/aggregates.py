"""Activities counted per year and per region, country group, type, mode or sector; the
activities of one country; and the figure the annual report quotes, the activities of a
year for developing countries, LDCs and countries in transition.

Every grouping is one of the list's facets (`services.activity_source`): a region or a
group follows from an activity's countries exactly as the list filters by it, so a bar
and the list it links to always agree. Activities that do not state the grouped field
are counted as not stated, never dropped, and each figure says how many activities it
rests on. Demo data never mixes with real data: every figure counts either the real
activities (the default) or the demo ones (`demo=True`), never both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from devagenda.activities.models import Activity
from devagenda.activities.schemas import (
    ActivityAggregate,
    AggregateBy,
    AggregateCount,
    CountryActivities,
    ReportFigure,
    YearCount,
)
from devagenda.activities.services import activity_source
from devagenda.core.listing import NOT_STATED, ColumnFacet, LinkFacet, Selection, value_key
from devagenda.reference.codes import DevelopmentStatus

# The list facet each grouping counts by.
FACET_OF = {
    AggregateBy.REGION: "region",
    AggregateBy.GROUP: "country_group",
    AggregateBy.TYPE: "type",
    AggregateBy.MODE: "mode",
    AggregateBy.SECTOR: "sector",
}
# The groups the annual report counts IP-TAD activities for.
REPORTED_GROUPS = (
    DevelopmentStatus.DEVELOPING,
    DevelopmentStatus.LDC,
    DevelopmentStatus.TRANSITION,
)


def _year_column(session: Session) -> ColumnElement[Any]:
    facet = activity_source(session).facet("year")
    assert isinstance(facet, ColumnFacet)
    return facet.column


def _pairs(session: Session, name: str) -> Any:
    facet = activity_source(session).facet(name)
    assert isinstance(facet, LinkFacet)
    return facet.pairs.subquery()


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Activity).where(*where)) or 0


def _kind(demo: bool) -> ColumnElement[bool]:
    return Activity.demo.is_(demo)


def activity_aggregate(
    session: Session, by: AggregateBy, year: int | None = None, *, demo: bool = False
) -> ActivityAggregate:
    """Activities per start year and per value of `by` (of one year when given)."""
    year_sql = _year_column(session)
    scope = [_kind(demo)] if year is None else [_kind(demo), year_sql == year]
    facet = activity_source(session).facet(FACET_OF[by])
    found: dict[tuple[int | None, str], int] = {}
    if isinstance(facet, ColumnFacet):
        values = (
            select(year_sql.label("year"), facet.column.label("value")).where(*scope).subquery()
        )
        rows = session.execute(
            select(values.c.year, values.c.value, func.count()).group_by(
                values.c.year, values.c.value
            )
        )
        found = {(y, value_key(v)): n for y, v, n in rows}
    else:
        assert isinstance(facet, LinkFacet)
        pairs = facet.pairs.subquery()
        linked = (
            select(year_sql.label("year"), pairs.c.value, pairs.c.owner)
            .select_from(Activity)
            .join(pairs, pairs.c.owner == Activity.id)
            .where(*scope)
            .subquery()
        )
        rows = session.execute(
            select(linked.c.year, linked.c.value, func.count(linked.c.owner.distinct())).group_by(
                linked.c.year, linked.c.value
            )
        )
        found = {(y, value_key(v)): n for y, v, n in rows}
        unlinked = (
            select(year_sql.label("year"))
            .where(*scope, ~exists().where(pairs.c.owner == Activity.id))
            .subquery()
        )
        for y, n in session.execute(
            select(unlinked.c.year, func.count()).group_by(unlinked.c.year)
        ):
            found[(y, NOT_STATED)] = n
    counts = [
        AggregateCount(year=y, value=v, count=n)
        for (y, v), n in sorted(
            found.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0, _value_rank(item))
        )
    ]
    return ActivityAggregate(
        by=by,
        year=year,
        activities=_count(session, *scope),
        not_stated=sum(c.count for c in counts if c.value == NOT_STATED),
        year_not_stated=0
        if year is not None
        else _count(session, _kind(demo), Activity.start_date.is_(None)),
        demo=demo,
        counts=counts,
    )


def _value_rank(item: tuple[tuple[int | None, str], int]) -> tuple[bool, str]:
    return item[0][1] == NOT_STATED, item[0][1]


def activity_years(session: Session, *, demo: bool = False) -> list[int]:
    """The start years of the stored activities (real or demo), latest first."""
    year_sql = _year_column(session)
    years = session.scalars(
        select(year_sql.label("year")).where(_kind(demo), year_sql.is_not(None)).distinct()
    )
    return sorted((int(y) for y in years), reverse=True)


def has_demo_data(session: Session) -> bool:
    return session.scalar(select(exists().where(_kind(True)))) or False


def report_figure(session: Session, year: int, *, demo: bool = False) -> ReportFigure:
    """The activities of `year` for developing countries, LDCs and countries in
    transition, as the annual report counts them, and what the count rests on."""
    year_sql = _year_column(session)
    groups = _pairs(session, "country_group")
    reported = [status.value for status in REPORTED_GROUPS]
    of_year = (
        select(groups.c.owner, groups.c.value)
        .join(Activity, Activity.id == groups.c.owner)
        .where(_kind(demo), year_sql == year, groups.c.value.in_(reported))
        .subquery()
    )
    activities = session.scalar(select(func.count(of_year.c.owner.distinct()))) or 0
    by_group = dict.fromkeys(reported, 0)
    for value, n in session.execute(
        select(of_year.c.value, func.count(of_year.c.owner.distinct())).group_by(of_year.c.value)
    ):
        by_group[value_key(value)] = n
    countries = _pairs(session, "country")
    return ReportFigure(
        year=year,
        activities=activities,
        by_group=by_group,
        rests_on=_count(session, _kind(demo), year_sql == year),
        no_country=_count(
            session,
            _kind(demo),
            year_sql == year,
            ~exists().where(countries.c.owner == Activity.id),
        ),
        demo=demo,
    )


def country_activities(session: Session, alpha3: str, *, demo: bool = False) -> CountryActivities:
    """The activities held in or for a country, per start year (latest first, not
    stated last): the list's country filter and its year facet."""
    source = activity_source(session)
    rows = source.rows(Selection(facets={"country": alpha3, "demo": value_key(demo)}))
    counts = source.facet("year").counts(rows)
    by_year = [
        YearCount(year=None if value == NOT_STATED else int(value), count=n)
        for value, n in sorted(counts.items(), key=_latest_first)
    ]
    return CountryActivities(country=alpha3, total=sum(c.count for c in by_year), by_year=by_year)


def _latest_first(item: tuple[str, int]) -> tuple[bool, int]:
    return item[0] == NOT_STATED, 0 if item[0] == NOT_STATED else -int(item[0])
