"""The activities pages in Debian's headless Chromium (the set-up and rules of
tests/web/test_browser.py): filter by facets, by text and by dates, with the totals shown
checked against the tables read with plain SQL; open a country's activities from its
page; download the filtered list and find in the file exactly its rows; the Chinese
page and the figures; no sideways scrolling on a phone. Screenshots go to
tests/artifacts/ and were looked at."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import text
from tests.activities.conftest import SEMINAR, WEBINAR, varied_rows, write_csv
from tests.web.support import served, web_app
from tests.web.test_browser import Visit, browser  # noqa: F401 (fixtures)

from devagenda.activities.services import import_activities
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def activities_db(database_factories, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with database_factories["sqlite"].initialized_copy() as context:
        rows = [*varied_rows(60), SEMINAR, WEBINAR]
        path = write_csv(tmp_path_factory.mktemp("browser") / "activities.csv", rows)
        with acting_as(ADMIN), context.transaction() as session:
            import_activities(session, [path])
        yield context


@pytest.fixture(scope="module")
def site(activities_db: AppContext) -> Iterator[str]:
    with served(web_app(activities_db)) as url:
        yield url


def _ids(context: AppContext, sql: str, **params: Any) -> set[int]:
    with context.engine.connect() as connection:
        return {row[0] for row in connection.execute(text(sql), params)}


COUNTRIES = (
    "SELECT id AS activity_id, host_country_alpha3 AS country FROM activity"
    " WHERE host_country_alpha3 IS NOT NULL"
    " UNION SELECT activity_id, country_alpha3 FROM activity_beneficiary"
    " WHERE country_alpha3 IS NOT NULL"
)


def _of_country(context: AppContext, alpha3: str) -> set[int]:
    return _ids(context, f"SELECT activity_id FROM ({COUNTRIES}) c WHERE country = :c", c=alpha3)


def _titled(context: AppContext, word: str) -> set[int]:
    """What the list's text filter matches: titles, descriptions, code, venue, unit."""
    like = f"%{word.lower()}%"
    return _ids(
        context,
        "SELECT a.id FROM activity a WHERE lower(coalesce(a.code, '')) LIKE :w"
        " OR lower(coalesce(a.venue_city, '')) LIKE :w"
        " OR lower(coalesce(a.organising_unit, '')) LIKE :w"
        " OR a.id IN (SELECT activity_id FROM activity_title WHERE lower(text) LIKE :w)"
        " OR a.id IN (SELECT activity_id FROM activity_description WHERE lower(text) LIKE :w)",
        w=like,
    )


def _total(page: Any) -> int:
    shown = page.locator("#list-total").inner_text()
    found = re.match(r"(\d+) in all", shown) or re.match(r"共(\d+)条", shown)
    assert found, shown
    return int(found.group(1))


def test_filter_search_and_export_the_activities(
    browser: Browser,  # noqa: F811
    site: str,
    activities_db: AppContext,
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=site)
    visit = Visit(context.new_page(), site)
    page = visit.page
    page.goto("/activities?lang=en")
    everything = _ids(activities_db, "SELECT id FROM activity")
    assert _total(page) == len(everything) == 62

    kenya = _of_country(activities_db, "KEN")
    country_facet = page.locator("#facet-country + ul")
    expect(country_facet.locator("a", has_text="Kenya").locator("xpath=..")).to_contain_text(
        str(len(kenya))
    )
    country_facet.locator("a", has_text="Kenya").click()
    page.wait_for_url(re.compile(r"country=KEN"))
    assert _total(page) == len(kenya)

    workshops = _ids(activities_db, "SELECT id FROM activity WHERE type = 'workshop'") & kenya
    page.locator("#facet-type + ul a", has_text="Workshop").click()
    page.wait_for_url(re.compile(r"type=workshop"))
    assert _total(page) == len(workshops) > 0
    expect(page.locator(".active-filters a")).to_have_count(2)

    page.locator("#list-q").fill("trademarks")
    page.locator("#list-q").press("Enter")
    page.wait_for_url(re.compile(r"q=trademarks"))
    wanted = workshops & _titled(activities_db, "trademarks")
    assert _total(page) == len(wanted) > 0
    visit.screenshot("activities-01-kenya-workshops-on-trademarks")

    with page.expect_download() as download:
        page.locator(".exports a", has_text="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert {int(r["id"]) for r in rows} == wanted and len(rows) == len(wanted)
    assert download.value.suggested_filename == "activities.csv"

    page.goto("/activities?lang=en")
    page.locator("#range-since").fill("2022-03-11")
    page.locator("#range-until").fill("2022-12-31")
    page.locator(".date-range button").click()
    page.wait_for_url(re.compile(r"since=2022-03-11&until=2022-12-31"))
    overlapping = _ids(
        activities_db,
        "SELECT id FROM activity WHERE coalesce(end_date, start_date) >= '2022-03-11'"
        " AND start_date <= '2022-12-31'",
    )
    assert _total(page) == len(overlapping) > 0
    expect(page.locator(".active-filters")).to_contain_text("Ending on or after: 2022-03-11")

    not_stated = _ids(activities_db, "SELECT id FROM activity WHERE sector_code IS NULL")
    page.goto("/activities?lang=en")
    page.locator("#facet-sector + ul a", has_text="not stated").click()
    page.wait_for_url(re.compile(r"sector=none"))
    assert _total(page) == len(not_stated) > 0
    visit.check_offline_and_clean()
    context.close()


def test_a_countrys_activities_from_its_page(
    browser: Browser,  # noqa: F811
    site: str,
    activities_db: AppContext,
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=site)
    visit = Visit(context.new_page(), site)
    page = visit.page
    page.goto("/countries/UGA?lang=en")
    uganda = _of_country(activities_db, "UGA")
    expect(page.locator("#country-activities-total")).to_contain_text(f"{len(uganda)} activities")
    visit.screenshot("activities-02-uganda-page")
    page.locator("#country-activities-link").click()
    page.wait_for_url(re.compile(r"/activities\?country=UGA$"))
    assert _total(page) == len(uganda)
    first = page.locator("tbody th[scope=row] a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#beneficiaries-heading + ul")).to_contain_text("Uganda")
    visit.screenshot("activities-03-detail")
    visit.check_offline_and_clean()
    context.close()


def test_the_chinese_pages_and_the_figures(
    browser: Browser,  # noqa: F811
    site: str,
    activities_db: AppContext,
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=site)
    visit = Visit(context.new_page(), site)
    page = visit.page
    page.goto("/activities")
    expect(page.locator("h1")).to_have_text("技术援助活动（IP-TAD）")
    seminars = _ids(activities_db, "SELECT id FROM activity WHERE type = 'seminar'")
    page.locator("#facet-type + ul a", has_text="研讨会").first.click()
    page.wait_for_url(re.compile(r"type=seminar"))
    assert _total(page) == len(seminars)
    expect(page.locator(".active-filters a")).to_contain_text("活动类型: 研讨会")
    visit.screenshot("activities-04-zh-seminars")

    page.goto("/activities/figures?year=2023")
    in_2023 = _ids(activities_db, "SELECT id FROM activity WHERE start_date LIKE '2023-%'")
    reported = _ids(
        activities_db,
        f"SELECT activity_id FROM ({COUNTRIES}) c JOIN country ON country.alpha3 = c.country"
        " WHERE country.development_status IN ('ldc', 'developing', 'transition')",
    )
    expect(page.locator("#report-sentence")).to_have_text(
        f"数据库记录了产权组织在2023年开展的{len(in_2023 & reported)}项技术援助活动，"
        "参与者来自发展中国家、最不发达国家和转型期国家。"
    )
    expect(page.locator("svg#chart-region")).to_be_visible()
    visit.screenshot("activities-05-zh-figures", full_page=True)
    visit.check_offline_and_clean()
    context.close()


@pytest.mark.parametrize(
    "path", ["/activities", "/activities/1", "/activities/figures", "/countries/KEN"]
)
def test_no_sideways_scrolling_at_390_px(
    browser: Browser,  # noqa: F811
    site: str,
    path: str,
) -> None:
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", base_url=site, is_mobile=True, has_touch=True
    )
    visit = Visit(context.new_page(), site)
    visit.page.goto(path)
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways ({width} px)"
    visit.screenshot("phone-activities" + path.replace("/", "-"))
    context.close()
