"""The activities figures page: the annual report's IP-TAD figure, and charts of the
activities by region, country group, type, mode and sector (activities.aggregates).

Each chart says how many activities it rests on and draws those that do not state the
field as a bar of its own; the numbers are also given year by year as tables whose
cells link to the list they count. Demo data is counted apart from the real data, on a
page of its own (`?demo=true`), and the links then say which of the two they list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from devagenda.activities.aggregates import (
    FACET_OF,
    activity_aggregate,
    activity_years,
    has_demo_data,
    report_figure,
)
from devagenda.activities.schemas import ActivityAggregate, AggregateBy, ReportFigure
from devagenda.core.listing import NOT_STATED
from devagenda.reference import services as reference
from devagenda.web.charts import Bar, bar_chart
from devagenda.web.dashboard import Chart
from devagenda.web.i18n import Messages, pick_text

# How a value of each grouping reads: the prefix of its labels in the catalog.
_LABELS = {
    AggregateBy.REGION: "region",
    AggregateBy.GROUP: "status",
    AggregateBy.TYPE: "activity_type",
    AggregateBy.MODE: "activity_mode",
}


@dataclass(frozen=True)
class YearTable:
    """One grouping year by year: a row per start year, a column per value."""

    title: str
    columns: list[tuple[str, str]]  # value, label
    rows: list[tuple[str, list[tuple[int, str]]]]  # year label, (count, link) per column


@dataclass(frozen=True)
class ReportLine:
    label: str
    count: int
    href: str


@dataclass(frozen=True)
class FiguresPage:
    years: list[int]  # the start years of the stored activities, latest first
    year: int | None  # the year the charts show; None: every year
    report: ReportFigure | None  # the annual report's figure, for that year or the latest
    report_lines: list[ReportLine]
    per_year: Chart
    charts: list[Chart]
    tables: list[YearTable]
    demo: bool  # the figures count the demo data (and only it)
    has_demo: bool  # demo data is stored: the page offers both


def figures_page(
    session: Session, t: Messages, year: int | None, *, demo: bool = False
) -> FiguresPage:
    has_demo = demo or has_demo_data(session)
    # With demo data stored, every link names which of the two its count is of.
    scope = {"demo": "true" if demo else "false"} if has_demo else {}
    years = activity_years(session, demo=demo)
    report_year = year if year is not None else (years[0] if years else None)
    report = report_figure(session, report_year, demo=demo) if report_year is not None else None
    label_of = _labels(session, t)
    charts, tables = [], []
    every_year: dict[AggregateBy, ActivityAggregate] = {}
    for by in AggregateBy:
        every_year[by] = activity_aggregate(session, by, demo=demo)
        shown = every_year[by] if year is None else activity_aggregate(session, by, year, demo=demo)
        charts.append(_chart(t, by, shown, label_of[by], year, scope))
        tables.append(_table(t, by, every_year[by], label_of[by], scope))
    return FiguresPage(
        years=years,
        year=year,
        report=report,
        report_lines=_report_lines(t, report, scope),
        per_year=_per_year(t, every_year[AggregateBy.TYPE], scope),
        charts=charts,
        tables=tables,
        demo=demo,
        has_demo=has_demo,
    )


def _labels(session: Session, t: Messages) -> dict[AggregateBy, Callable[[str], str]]:
    sectors = {s.code: s for s in reference.sector_listing(session).all()}

    def sector(code: str) -> str:
        found = sectors.get(code)
        return pick_text(t.language, found.name_zh, found.name_en) if found else code

    def stated(label: Callable[[str], str]) -> Callable[[str], str]:
        return lambda v: t("not_stated_short") if v == NOT_STATED else label(v)

    labels = {
        by: stated(lambda v, prefix=prefix: t.label(prefix, v)) for by, prefix in _LABELS.items()
    }
    labels[AggregateBy.SECTOR] = stated(sector)
    return labels


def _href(by: AggregateBy, value: str, year: int | str | None, scope: dict[str, str]) -> str:
    query = {FACET_OF[by]: value}
    if year is not None:
        query["year"] = str(year)
    return "/activities?" + urlencode({**query, **scope})


def _totals(aggregate: ActivityAggregate, year: int | None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for count in aggregate.counts:
        if year is None or count.year == year:
            totals[count.value] = totals.get(count.value, 0) + count.count
    return totals


def _chart(
    t: Messages,
    by: AggregateBy,
    aggregate: ActivityAggregate,
    label: Callable[[str], str],
    year: int | None,
    scope: dict[str, str],
) -> Chart:
    totals = sorted(
        _totals(aggregate, year).items(), key=lambda item: (item[0] == NOT_STATED, -item[1])
    )
    rows = [(label(value), count, _href(by, value, year, scope)) for value, count in totals]
    title = t(f"figures_by_{by.value}")
    basis = t("figures_basis", total=aggregate.activities, unknown=aggregate.not_stated)
    items = ", ".join(f"{text} {count}" for text, count, _ in rows)
    svg = bar_chart(
        f"chart-{by.value}",
        title,
        t("chart_summary", title=title, items=items) + " " + basis,
        [
            Bar(text, count, unknown=value == NOT_STATED)
            for (value, _), (text, count, _) in zip(totals, rows, strict=True)
        ],
    )
    return Chart(f"chart-{by.value}", title, svg, rows, basis)


def _per_year(t: Messages, aggregate: ActivityAggregate, scope: dict[str, str]) -> Chart:
    """Activities per start year: a grouping with one value per activity (its type)
    adds up, year by year, to the activities of the year."""
    per_year: dict[int | None, int] = {}
    for count in aggregate.counts:
        per_year[count.year] = per_year.get(count.year, 0) + count.count
    ordered = sorted(per_year.items(), key=lambda item: (item[0] is None, -(item[0] or 0)))
    rows = [
        (
            str(year) if year is not None else t("not_stated_short"),
            count,
            "/activities?" + urlencode({"year": year if year is not None else NOT_STATED, **scope}),
        )
        for year, count in ordered
    ]
    title = t("figures_per_year_chart")
    basis = t(
        "figures_per_year_basis", total=aggregate.activities, unknown=aggregate.year_not_stated
    )
    items = ", ".join(f"{text} {count}" for text, count, _ in rows)
    svg = bar_chart(
        "chart-year",
        title,
        t("chart_summary", title=title, items=items) + " " + basis,
        [
            Bar(text, count, unknown=year is None)
            for (year, _), (text, count, _) in zip(ordered, rows, strict=True)
        ],
    )
    return Chart("chart-year", title, svg, rows, basis)


def _table(
    t: Messages,
    by: AggregateBy,
    aggregate: ActivityAggregate,
    label: Callable[[str], str],
    scope: dict[str, str],
) -> YearTable:
    values = sorted({c.value for c in aggregate.counts}, key=lambda v: (v == NOT_STATED, label(v)))
    years = sorted({c.year for c in aggregate.counts}, key=lambda y: (y is None, -(y or 0)))
    found = {(c.year, c.value): c.count for c in aggregate.counts}
    rows = [
        (
            str(year) if year is not None else t("not_stated_short"),
            [
                (
                    found.get((year, value), 0),
                    _href(by, value, NOT_STATED if year is None else year, scope),
                )
                for value in values
            ],
        )
        for year in years
    ]
    return YearTable(t(f"figures_by_{by.value}"), [(v, label(v)) for v in values], rows)


def _report_lines(
    t: Messages, report: ReportFigure | None, scope: dict[str, str]
) -> list[ReportLine]:
    if report is None:
        return []
    return [
        ReportLine(
            t.label("status", group),
            count,
            "/activities?" + urlencode({"year": report.year, "country_group": group, **scope}),
        )
        for group, count in report.by_group.items()
    ]
