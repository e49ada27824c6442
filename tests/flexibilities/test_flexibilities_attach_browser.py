"""An editor attaches a Member State update to the provisions it changes, in Debian's
headless Chromium: log in, open the update from the provision it added, choose another
provision of the jurisdiction, and see the update on it, in English and in Chinese.
SQLite only, like the other browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from tests.web.browsing import chromium, log_in, watched_page
from tests.web.editing_support import add_accounts
from tests.web.test_browser import ARTIFACTS

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn
from devagenda.flexibilities.services import create_provision, submit_update

playwright_api = pytest.importorskip("playwright.sync_api")
from tests.accounts.conftest import PASSWORD, serve  # noqa: E402, F401 (a fixture)

KENYA_FOCAL = Actor(label="focal@example.org", role=Role.FOCAL_POINT, countries=frozenset({"KEN"}))


@pytest.fixture(scope="module")
def context(database_factories) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """Kenya's research exception, and an update of Kenya that added its Bolar one."""
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
    with acting_as(KENYA_FOCAL), context.transaction() as session:
        submit_update(
            session,
            UpdateIn(
                jurisdiction="KEN",
                communication_reference="KE/WIPO/2024/21",
                communication_date=date(2024, 5, 2),
                summary="The 2024 Act adds a regulatory review exception and amends s. 58",
                adds=[
                    ProvisionIn(
                        jurisdiction="KEN",
                        category="regulatory-review",
                        law_title="Industrial Property (Amendment) Act 2024",
                        articles="s. 58A",
                    )
                ],
            ),
        )
    yield context
    context.engine.dispose()


def test_an_editor_attaches_an_update(
    context: AppContext,
    serve: Callable[[AppContext], str],  # noqa: F811
) -> None:
    base_url = serve(context)
    expect = playwright_api.expect
    problems: list[str] = []
    with chromium() as browser:
        page = watched_page(browser, base_url, problems, expected=["status of 422"])
        log_in(page, "editor@example.org", PASSWORD, "/flexibilities/jurisdictions/KEN")
        page.get_by_role("link", name="KE/WIPO/2024/21").click()
        page.wait_for_url(re.compile(r"/flexibilities/updates/\d+$"))
        expect(page.locator(".flex-update-provisions")).to_contain_text("s. 58A")
        page.get_by_role("link", name="Attach this update to the provisions it changes").click()
        page.wait_for_url(re.compile(r"/flexibilities/updates/\d+/attach"))
        page.get_by_role("button", name="Attach").click()  # nothing chosen yet
        expect(page.locator("#problem-provision")).to_have_text("choose at least one provision")
        page.get_by_label(re.compile(r"Industrial Property Act s\. 58\(1\)")).check()
        page.get_by_label("What the update does to them").select_option("amends")
        page.screenshot(path=str(ARTIFACTS / "flexibilities-attach-en.png"), full_page=True)
        page.get_by_role("button", name="Attach").click()
        page.wait_for_url(re.compile(r"/flexibilities/updates/\d+(\?|$)"))
        provisions = page.locator(".flex-update-provisions li")
        expect(provisions).to_have_count(2)
        expect(provisions.filter(has_text="s. 58(1)")).to_contain_text("amends")
        page.get_by_role("link", name=re.compile(r"s\. 58\(1\)")).click()
        page.wait_for_url(re.compile(r"/flexibilities/provisions/\d+"))
        expect(page.locator(".flex-updates")).to_contain_text("KE/WIPO/2024/21")
        provision_url = page.url

        anonymous = browser.new_context(locale="zh-CN", base_url=base_url).new_page()
        anonymous.goto(provision_url.split("?")[0] + "?lang=zh")
        expect(anonymous.locator(".flex-updates")).to_contain_text("KE/WIPO/2024/21")
        expect(anonymous.locator(".flex-updates")).to_contain_text("修改")
        expect(anonymous.locator(".tab-edit")).to_have_count(0)
        anonymous.screenshot(path=str(ARTIFACTS / "flexibilities-attached-zh.png"))
        assert problems == []
