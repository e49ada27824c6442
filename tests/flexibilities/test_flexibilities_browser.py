"""A focal point submits a Member State update in Debian's headless Chromium: log in,
open their jurisdiction, fill the form, and see the update published on the provision,
then as an anonymous reader. SQLite only, like the other browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from tests.web.browsing import chromium, log_in, watched_page
from tests.web.editing_support import add_accounts
from tests.web.test_browser import ARTIFACTS

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.flexibilities.schemas import ProvisionIn
from devagenda.flexibilities.services import create_provision

playwright_api = pytest.importorskip("playwright.sync_api")
from tests.accounts.conftest import PASSWORD, serve  # noqa: E402, F401 (a fixture)


@pytest.fixture(scope="module")
def context(database_factories) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(database_factories["sqlite"].initialized_url())
    add_accounts(context)
    with acting_as(Actor(label="editor", role=Role.EDITOR)), context.transaction() as session:
        create_provision(
            session,
            ProvisionIn(
                jurisdiction="KEN",
                category="research-exception",
                law_title="Industrial Property Act",
                articles="s. 58(1)",
                texts={"en": "Acts done for research"},
            ),
        )
    yield context
    context.engine.dispose()


def test_a_focal_point_submits_an_update(
    context: AppContext,
    serve: Callable[[AppContext], str],  # noqa: F811
) -> None:
    base_url = serve(context)
    expect = playwright_api.expect
    problems: list[str] = []
    with chromium() as browser:
        page = watched_page(browser, base_url, problems)
        log_in(page, "focal@example.org", PASSWORD, "/flexibilities/jurisdictions/KEN")
        page.get_by_role("link", name="Submit a Member State update").click()
        page.wait_for_url(re.compile(r"/flexibilities/jurisdictions/KEN/update"))
        page.get_by_label("Reference of the official communication").fill("KE/WIPO/2024/17")
        page.get_by_label("Date of the communication").fill("2024-03-04")
        page.get_by_label("Summary of the update").fill("Section 58 amended by the 2024 Act")
        page.get_by_label("Provision it amends").select_option(index=1)
        page.get_by_label("Title of the law").fill("Industrial Property Act")
        page.get_by_label("Articles").fill("s. 58(1)")
        page.get_by_label("Verbatim text").fill("Acts done for experimental purposes")
        page.screenshot(path=str(ARTIFACTS / "flexibilities-update-form-en.png"), full_page=True)
        page.get_by_role("button", name="Submit and publish").click()
        page.wait_for_url(re.compile(r"/flexibilities/provisions/\d+"))
        updates = page.locator(".flex-updates")
        expect(updates).to_contain_text("KE/WIPO/2024/17")
        expect(page.locator(".provision-text")).to_contain_text("experimental purposes")
        page.screenshot(path=str(ARTIFACTS / "flexibilities-provision-en.png"), full_page=True)
        provision_url = page.url

        anonymous = browser.new_context(locale="zh-CN", base_url=base_url).new_page()
        anonymous.goto(provision_url.split("?")[0] + "?lang=zh")
        expect(anonymous.locator("#member-state-updates")).to_have_text("成员国更新")
        expect(anonymous.locator(".flex-updates")).to_contain_text("KE/WIPO/2024/17")
        anonymous.screenshot(path=str(ARTIFACTS / "flexibilities-provision-zh.png"))
        assert problems == []
