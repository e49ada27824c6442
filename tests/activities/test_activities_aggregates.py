"""Activities per year by region, country group, type, mode and sector; the annual
report's IP-TAD figure; the country page's counts; the figures page; and the activities
in the global search. Every count is checked against the tables read with plain SQL,
the activities that do not state a field included."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.activities.conftest import SEMINAR, WEBINAR, varied_rows, write_csv
from tests.activities.test_activities_api import NONE, stored

from devagenda.activities.aggregates import activity_aggregate, country_activities, report_figure
from devagenda.activities.editing import delete_activity, edit_activity
from devagenda.activities.schemas import ActivityEdit, AggregateBy
from devagenda.activities.services import import_activities
from devagenda.api import create_app
from devagenda.catalogue.schemas import TextIn
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.search.services import search

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
# The facet of `stored` each grouping counts by.
STORED = {"region": "region", "group": "country_group", "type": "type", "mode": "mode"}
STORED["sector"] = "sector"
REPORTED = ("developing", "ldc", "transition")


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:
        path = write_csv(
            tmp_path_factory.mktemp("aggregates") / "rows.csv", [*varied_rows(), SEMINAR, WEBINAR]
        )
        with acting_as(ADMIN), context.transaction() as session:
            import_activities(session, [path])
        yield context


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context)) as client:
        yield client


def expected(context: AppContext, by: str, year: int | None = None) -> Counter[tuple[str, str]]:
    """(year, value) -> activities, from the tables: an activity counts once under each
    of its values, and under `none` when it states none."""
    counts: Counter[tuple[str, str]] = Counter()
    for values in stored(context).values():
        (started,) = values["year"]
        if year is None or started == str(year):
            counts.update((started, value) for value in values[STORED[by]])
    return counts


@pytest.mark.parametrize("by", list(AggregateBy), ids=lambda by: by.value)
@pytest.mark.parametrize("year", [None, 2022])
def test_each_grouping_counts_as_the_tables_do(
    context: AppContext, by: AggregateBy, year: int | None
) -> None:
    with context.sessions() as session:
        found = activity_aggregate(session, by, year)
    counted = Counter({(str(c.year) if c.year else NONE, c.value): c.count for c in found.counts})
    assert counted == expected(context, by.value, year)
    rows = stored(context).values()
    in_scope = [v for v in rows if year is None or v["year"] == {str(year)}]
    assert found.activities == len(in_scope)
    assert found.not_stated == sum(1 for v in in_scope if v[STORED[by.value]] == {NONE})
    assert found.not_stated > 0 or year is not None, "the sample leaves every field unstated"
    assert found.year_not_stated == (
        0 if year is not None else sum(1 for v in rows if v["year"] == {NONE})
    )


def test_activities_that_name_no_country_are_a_bar_of_their_own(context: AppContext) -> None:
    rows = stored(context)
    nowhere = sum(1 for v in rows.values() if v["country"] == {NONE})
    assert nowhere > 0, "the sample holds activities that name no country"
    with context.sessions() as session:
        found = activity_aggregate(session, AggregateBy.REGION)
    assert found.not_stated == nowhere
    assert sum(c.count for c in found.counts if c.value == NONE) == nowhere


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_the_report_figure_counts_each_activity_once(context: AppContext, year: int) -> None:
    rows = [v for v in stored(context).values() if v["year"] == {str(year)}]
    with context.sessions() as session:
        figure = report_figure(session, year)
    assert figure.activities == sum(1 for v in rows if v["country_group"] & set(REPORTED))
    assert figure.by_group == {g: sum(1 for v in rows if g in v["country_group"]) for g in REPORTED}
    assert figure.rests_on == len(rows)
    assert figure.no_country == sum(1 for v in rows if v["country"] == {NONE})


def test_the_api_answers_with_the_same_figures(api: TestClient, context: AppContext) -> None:
    body = api.get("/api/activities/aggregates", params={"by": "mode", "year": 2023}).json()
    assert body["by"] == "mode" and body["year"] == 2023
    counted = Counter({(str(c["year"]), c["value"]): c["count"] for c in body["counts"]})
    assert counted == expected(context, "mode", 2023)
    figure = api.get("/api/activities/report-figure", params={"year": 2023}).json()
    with context.sessions() as session:
        assert figure == report_figure(session, 2023).model_dump()
    refused = api.get("/api/activities/aggregates", params={"by": "colour"})
    assert refused.status_code == 422 and "by" in refused.text


def test_a_country_counts_its_activities_per_year(context: AppContext) -> None:
    uganda = [v for v in stored(context).values() if "UGA" in v["country"]]
    with context.sessions() as session:
        found = country_activities(session, "UGA")
    assert found.total == len(uganda)
    per_year = {str(c.year) if c.year else NONE: c.count for c in found.by_year}
    assert per_year == dict(Counter(next(iter(v["year"])) for v in uganda))
    assert [c.year for c in found.by_year][-1] is None, "not stated comes last"


def test_the_figures_page_quotes_the_report_figure(api: TestClient, context: AppContext) -> None:
    with context.sessions() as session:
        figure = report_figure(session, 2022)
    page = api.get("/activities/figures", params={"year": 2022, "lang": "en"}).text
    assert (
        f"The database records {figure.activities} technical assistance activities "
        "undertaken by WIPO in 2022 with participants from developing countries, LDCs and "
        "countries in transition."
    ) in page
    assert f"Counted from the {figure.rests_on} activities of 2022 stored" in page
    for by in ("region", "group", "type", "mode", "sector", "year"):
        assert f'<svg class="chart" id="chart-{by}"' in page, by
    with context.sessions() as session:
        figure = report_figure(session, 2023)
    chinese = api.get("/activities/figures", params={"year": 2023, "lang": "zh"}).text
    assert f"数据库记录了产权组织在2023年开展的{figure.activities}项技术援助活动" in chinese
    # the bar of the activities that state no type, with its count
    unstated = sum(
        1 for v in stored(context).values() if v["year"] == {"2023"} and v["type"] == {NONE}
    )
    chart = chinese.split('id="chart-type"', 1)[1].split("</svg>", 1)[0]
    assert unstated and re.search(
        rf'<text class="chart-label"[^>]*>未说明</text><rect class="chart-bar chart-bar-unknown"'
        rf'[^>]*/><text class="chart-value"[^>]*>{unstated}</text>',
        chart,
    )


def _hits(context: AppContext, query: str) -> list[str]:
    with context.sessions() as session:
        return [hit.url for hit in search(session, query, kinds=["activity"]).hits]


def test_activities_join_the_global_search(context: AppContext, api: TestClient) -> None:
    seminar = next(i for i, v in stored(context).items() if v["country"] == {"LKA", "MDV"})
    assert _hits(context, "Colombo") == [f"/activities/{seminar}"]
    assert _hits(context, "专利信息") == [f"/activities/{seminar}"]
    facets = api.get("/api/search", params={"q": "Colombo"}).json()["facets"]
    assert {f["value"] for f in facets["kind"]} == {"activity"}
    assert {f["value"] for f in facets["year"]} == {"2023"}
    assert {f["value"] for f in facets["sector"]} == {"RND"}
    with acting_as(ADMIN), context.transaction() as session:
        edit_activity(
            session,
            seminar,
            ActivityEdit(
                titles={"en": TextIn(text="Regional forum on design law")}, source="editor"
            ),
            None,
        )
    assert _hits(context, "design law") == [f"/activities/{seminar}"]
    page = api.get("/search", params={"q": "design law", "lang": "en"}).text
    assert f'href="/activities/{seminar}"' in page
    with acting_as(ADMIN), context.transaction() as session:
        delete_activity(session, seminar, None)
    assert _hits(context, "design law") == []
