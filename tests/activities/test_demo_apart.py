"""Demo data is shown flagged and counted apart: every figure counts either the real
activities or the demo ones, never both, and the links of a figure list what it counts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.activities.conftest import SEMINAR, WEBINAR, write_csv

from devagenda.activities.aggregates import activity_aggregate, country_activities, report_figure
from devagenda.activities.schemas import AggregateBy
from devagenda.activities.services import import_activities
from devagenda.api.app import create_app
from devagenda.core.context import AppContext
from devagenda.demo.services import generate


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """Two real activities and 300 demo ones."""
    context = AppContext.for_url(databases.initialized_url())
    path = write_csv(tmp_path_factory.mktemp("real") / "real.csv", [SEMINAR, WEBINAR])
    with context.transaction() as session:
        import_activities(session, [path])
    with context.transaction() as session:
        generate(session, {"activities": 300}, seed=3)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context), base_url="http://127.0.0.1") as client:
        yield client


def _types(context: AppContext, demo: bool) -> dict[str, int]:
    """Activities per type, real or demo, by direct SQL."""
    flag = "demo" if demo else "NOT demo"
    with context.engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT coalesce(type, 'none'), count(*) FROM activity WHERE {flag} GROUP BY 1")
        )
        return {str(t): n for t, n in rows}


@pytest.mark.parametrize("demo", [False, True])
def test_an_aggregate_counts_real_or_demo_activities_never_both(
    context: AppContext, demo: bool
) -> None:
    with context.sessions() as session:
        found = activity_aggregate(session, AggregateBy.TYPE, demo=demo)
    totals: dict[str, int] = {}
    for count in found.counts:
        totals[count.value] = totals.get(count.value, 0) + count.count
    wanted = _types(context, demo)
    assert totals == wanted
    assert found.activities == sum(wanted.values()) and found.demo is demo


def test_the_report_figure_rests_on_real_activities_only(context: AppContext) -> None:
    with context.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT start_date, demo FROM activity WHERE start_date IS NOT NULL")
        ).all()
    years = [(str(start)[:4], bool(demo)) for start, demo in rows]
    year = next(y for y, demo in years if not demo)
    with context.sessions() as session:
        figure = report_figure(session, int(year))
        demo_figure = report_figure(session, int(year), demo=True)
    assert figure.rests_on == sum(1 for y, demo in years if y == year and not demo)
    assert demo_figure.rests_on == sum(1 for y, demo in years if y == year and demo)
    assert not figure.demo and demo_figure.demo


def test_the_api_takes_the_demo_switch(context: AppContext, api: TestClient) -> None:
    real = api.get("/api/activities/aggregates", params={"by": "type"}).json()
    demo = api.get("/api/activities/aggregates", params={"by": "type", "demo": "true"}).json()
    assert real["activities"] == sum(_types(context, False).values())
    assert demo["activities"] == sum(_types(context, True).values()) and demo["demo"] is True


def test_the_figures_page_links_the_data_it_counts(api: TestClient) -> None:
    real = api.get("/activities/figures", params={"lang": "en"}).text
    assert 'href="/activities/figures?demo=true"' in real
    assert "demo-banner" not in real
    links = re.findall(r'href="(/activities\?[^"]+)"', real)
    assert links and all("demo=false" in link for link in links)
    demo = api.get("/activities/figures", params={"demo": "true", "lang": "en"}).text
    assert "demo-banner" in demo
    demo_links = re.findall(r'href="(/activities\?[^"]+)"', demo)
    assert demo_links and all("demo=true" in link for link in demo_links)


def test_demo_rows_are_flagged_on_the_list_and_their_page(
    context: AppContext, api: TestClient
) -> None:
    with context.engine.connect() as connection:
        demo_id = connection.scalar(text("SELECT min(id) FROM activity WHERE demo"))
        real_id = connection.scalar(text("SELECT min(id) FROM activity WHERE NOT demo"))
    listed = api.get("/activities", params={"demo": "true", "lang": "en"}).text
    assert listed.count('class="badge demo-badge"') >= 1
    real_list = api.get("/activities", params={"demo": "false", "lang": "en"}).text
    assert 'class="badge demo-badge"' not in real_list
    assert "demo-banner" in api.get(f"/activities/{demo_id}", params={"lang": "en"}).text
    assert "demo-banner" not in api.get(f"/activities/{real_id}", params={"lang": "en"}).text


def test_a_country_counts_its_real_activities(context: AppContext, api: TestClient) -> None:
    with context.engine.connect() as connection:
        alpha3 = connection.scalar(
            text(
                "SELECT b.country_alpha3 FROM activity_beneficiary b JOIN activity a"
                " ON a.id = b.activity_id WHERE a.demo AND b.country_alpha3 IS NOT NULL"
                " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
            )
        )
        real = connection.scalar(
            text(
                "SELECT count(*) FROM activity a WHERE NOT a.demo AND (a.host_country_alpha3 = :c"
                " OR EXISTS (SELECT 1 FROM activity_beneficiary b WHERE b.activity_id = a.id"
                " AND b.country_alpha3 = :c))"
            ),
            {"c": alpha3},
        )
    with context.sessions() as session:
        assert country_activities(session, alpha3).total == real
    page = api.get(f"/countries/{alpha3}", params={"lang": "en"}).text
    assert f'href="/activities?country={alpha3}&amp;demo=false"' in page
