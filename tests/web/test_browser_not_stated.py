"""In Debian's headless Chromium: the dashboard and a project page say "not stated" rather
than "none", and the traceability matrix keeps its heads in view while it scrolls.
Screenshots go to tests/artifacts/ (fixtures and helpers from test_browser.py)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from tests.web.test_browser import Visit, base_url, browser  # noqa: F401 - fixtures

from devagenda.catalogue import services as catalogue
from devagenda.core.context import AppContext

PATENT_TOOLS = "开发专利信息查询工具"


def test_dashboard_and_project_page_say_not_stated(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    sqlite_with_report: AppContext,
) -> None:
    with sqlite_with_report.sessions() as session:
        tools = next(
            p.id for p in catalogue.project_listing(session).all() if p.title_zh == PATENT_TOOLS
        )
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page

    page.goto("/")
    gaps = page.locator("section[aria-labelledby=gaps-heading]")
    expect(gaps.locator("h2")).to_have_text(
        "Recommendations with no project known to implement them"
    )
    expect(gaps).to_contain_text("known for only 7 of 55 projects")
    expect(page.locator(".basis")).to_have_count(3)
    gaps.scroll_into_view_if_needed()
    visit.screenshot("unknown-01-dashboard-en", full_page=True)

    page.goto(f"/projects/{tools}")
    recommendations = page.locator("section[aria-labelledby=recommendations-heading]")
    expect(recommendations.locator(".not-stated")).to_have_text("Not stated in the loaded sources.")
    expect(page.locator("main")).not_to_contain_text("None recorded")
    visit.screenshot("unknown-02-project-en", full_page=True)

    page.goto("/?lang=zh")
    expect(page.locator("section[aria-labelledby=gaps-heading] h2")).to_have_text(
        "尚未见到落实项目的建议"
    )
    visit.screenshot("unknown-03-dashboard-zh", full_page=True)
    visit.check_offline_and_clean()
    context.close()


def test_the_matrix_keeps_its_heads_in_view(browser: Browser, base_url: str) -> None:  # noqa: F811
    context = browser.new_context(
        viewport={"width": 600, "height": 800}, locale="en-GB", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/matrices/recommendations-expected-results?lang=en")
    scroller = page.locator(".matrix-scroll")
    head = page.locator(".matrix thead th.matrix-col").first
    row_head = page.locator(".matrix tbody th").first
    box = scroller.bounding_box()
    assert box is not None
    scroller.evaluate("element => { element.scrollTop = 600; element.scrollLeft = 400; }")
    head_box, row_box = head.bounding_box(), row_head.bounding_box()
    assert head_box is not None and row_box is not None
    assert abs(head_box["y"] - box["y"]) < 2, "the column heads stay at the top"
    assert abs(row_box["x"] - box["x"]) < 2, "the recommendation column stays at the left"
    scroller.evaluate("element => { element.scrollTop = 0; element.scrollLeft = 0; }")
    expect(page.locator(".matrix tfoot th")).to_have_text("Total")
    visit.screenshot("unknown-04-matrix-er")
    page.goto("/matrices/recommendations-projects?lang=zh")
    expect(page.locator(".matrix-col-unknown")).to_contain_text("未说明（48）")
    visit.screenshot("unknown-05-matrix-projects-zh")
    visit.check_offline_and_clean()
    context.close()
