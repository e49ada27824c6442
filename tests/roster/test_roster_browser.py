"""The roster in Debian's headless Chromium (the rules of tests/web/test_browser.py):
find a consultant by a fuzzy name, filter by IP field and beneficiary country, and
download exactly the filtered list."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from tests.roster.conftest import ADMIN, add_activity, varied_rows, write_csv
from tests.web.support import served, web_app
from tests.web.test_browser import Visit, browser  # noqa: F401 (fixture)

from devagenda.core.actor import acting_as
from devagenda.core.context import AppContext
from devagenda.roster.services import import_consultants


@pytest.fixture(scope="module")
def roster_url(database_factories, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(database_factories["sqlite"].initialized_url())
    add_activity(context)
    path = write_csv(tmp_path_factory.mktemp("roster") / "roster.csv", varied_rows())
    with acting_as(ADMIN), context.transaction() as session:
        import_consultants(session, [path])
    with served(web_app(context)) as url:
        yield url
    context.engine.dispose()


def test_find_filter_and_export_consultants(browser: Browser, roster_url: str) -> None:  # noqa: F811
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=roster_url
    )
    visit = Visit(context.new_page(), roster_url)
    page = visit.page
    page.goto("/consultants?lang=en")
    total = page.locator("#list-total")
    expect(total).to_contain_text("32")
    expect(page.locator("#facet-gender")).to_have_count(0)  # personal data: not public

    page.locator("#roster-name").fill("wang xiao ming")
    page.locator("#roster-name").press("Enter")
    page.wait_for_url(re.compile(r"name=wang"))
    expect(page.locator("tbody tr").first).to_contain_text("王小明")
    visit.screenshot("roster-01-fuzzy-name")

    page.goto("/consultants?lang=en")
    page.locator("#facet-ip_field + ul a", has_text="Patents").click()
    page.wait_for_url(re.compile(r"ip_field=patents"))
    page.locator("#facet-beneficiary_country + ul a", has_text="Kenya").click()
    page.wait_for_url(re.compile(r"beneficiary_country=KEN"))
    shown = page.locator("tbody th[scope=row] > a").all_inner_texts()
    assert shown
    expect(total).to_contain_text(str(len(shown)))
    visit.screenshot("roster-02-patents-for-kenya")

    with page.expect_download() as download:
        page.locator(".exports a", has_text="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [r["name_latin"] for r in rows] == shown, "the file is the list as shown"
    assert all("patents" in r["ip_fields"] and "KEN" in r["beneficiary_countries"] for r in rows)
    assert "gender" not in rows[0] and "email" not in rows[0]
    assert download.value.suggested_filename == "consultants.csv"
    visit.check_offline_and_clean()
    context.close()
