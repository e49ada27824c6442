"""The list pages, the 404 page and every kind of page on a 390 px phone, in Debian's
headless Chromium (the set-up, fixtures and rules of tests/web/test_browser.py). The
screenshots go to tests/artifacts/ and were looked at."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, expect
from tests.web.test_browser import Visit, base_url, browser  # noqa: F401 (fixtures)

PHONE = {"width": 390, "height": 844}

# One URL of every kind of page, the long addresses of the report included.
PAGE_KINDS = {
    "dashboard": "/",
    "recommendations": "/recommendations",
    "recommendation": "/recommendations/10",
    "projects": "/projects",
    "projects-filtered": "/projects?status=approved&sort=-approval_date",
    "project": "/projects/50",
    "countries": "/countries",
    "country": "/countries/UGA",
    "group": "/groups/AFRICAN_GROUP",
    "sessions": "/sessions",
    "session": "/sessions/31",
    "document": "/documents/CDIP/31/4",
    "expected-result": "/expected-results/4.1",
    "sector": "/sectors/RND",
    "matrix-results": "/matrices/recommendations-expected-results",
    "matrix-projects": "/matrices/recommendations-projects",
    "reports": "/reports",
    "reader": "/reports/2023/zh",
    "reader-long-url": "/reports/2023/zh#fn171",
    "search": "/search?q=women",
    "not-found": "/nonexistent",
    "bad-request": "/projects?status=bogus",
}


def test_list_facets_sorting_and_exports(browser: Browser, base_url: str) -> None:  # noqa: F811
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/projects")
    total = page.locator("#list-total")
    expect(total).to_contain_text("共55条")

    page.locator("#facet-status + ul a", has_text="实施中").click()
    page.wait_for_url(re.compile(r"status=ongoing"))
    expect(total).to_contain_text("共7条")
    expect(page.locator(".active-filters a")).to_contain_text("状态: 实施中")
    expect(page.locator("table.list-table tbody tr")).to_have_count(7)

    page.locator("thead a.sort", has_text="项目").click()
    page.wait_for_url(re.compile(r"sort=title"))
    expect(page.locator("thead th[aria-sort=ascending]")).to_contain_text("项目")
    shown = page.locator("tbody th[scope=row] > a").all_inner_texts()
    page.locator("thead a.sort", has_text="项目").click()
    page.wait_for_url(re.compile(r"sort=-title"))
    assert page.locator("tbody th[scope=row] > a").all_inner_texts() == shown[::-1]
    visit.screenshot("lists-01-projects-ongoing-by-title")

    with page.expect_download() as download:
        page.locator(".exports a", has_text="CSV").click()
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["title_zh"] for r in rows] == shown[::-1], "the file is the list as shown"
    assert {r["status"] for r in rows} == {"ongoing"} and len(rows) == 7
    assert download.value.suggested_filename == "projects.csv"

    page.locator(".active-filters a").click()  # removing the filter keeps the order
    page.wait_for_url(re.compile(r"/projects\?sort=-title$"))
    expect(total).to_contain_text("共55条")
    page.locator(".pagination a[rel=next]").click()
    expect(total).to_contain_text("显示第51至55条")
    expect(page.locator(".pagination a[rel=prev]")).to_be_visible()
    visit.screenshot("lists-02-projects-page-2")

    page.goto("/countries?q=乌干达")
    expect(page.locator("tbody th[scope=row]")).to_have_text(["乌干达"])
    page.goto("/countries/Uganda")
    expect(page).to_have_url(re.compile(r"/countries/UGA$"))
    expect(page.locator("h1")).to_contain_text("乌干达")
    visit.check_offline_and_clean()
    context.close()


def test_the_404_page(browser: Browser, base_url: str) -> None:  # noqa: F811
    for locale, heading in (("zh-CN", "未找到"), ("en-GB", "Not found")):
        context = browser.new_context(locale=locale, base_url=base_url)
        page = context.new_page()
        response = page.goto("/nonexistent")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("nav.site-nav")).to_be_visible()
        page.screenshot(path=str(_artifact(f"lists-03-not-found-{locale}")))
        context.close()


@pytest.mark.parametrize("name", list(PAGE_KINDS))
def test_no_sideways_scrolling_at_390_px(browser: Browser, base_url: str, name: str) -> None:  # noqa: F811
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", base_url=base_url, is_mobile=True, has_touch=True
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto(PAGE_KINDS[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways ({width} px)"
    tables = page.evaluate(
        """() => [...document.querySelectorAll('table')]
            .filter(t => { const box = t.parentElement.getBoundingClientRect();
                           return box.right > document.documentElement.clientWidth + 1; })
            .length"""
    )
    assert tables == 0, "every table stays inside its box"
    visit.screenshot(f"phone-{name}")
    if name == "reader-long-url":
        assert "women-inventors" in page.locator("#fn171").inner_text()
    context.close()


def _artifact(name: str):  # type: ignore[no-untyped-def]
    from tests.web.test_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
