"""An editor's whole cycle in Debian's headless Chromium: log in through the login page,
open a project, edit its statuses (a statement with its source), see it on the project
page and in the History tab under the editor's name, revert it, see the project as it
was, log out, and see the Edit tab gone. No page may log a script error or break the
Content-Security-Policy. Screenshots go to tests/artifacts/. SQLite only, like the other
browser tests; without Chromium the test is skipped, except under CI=true."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from tests.web.editing_support import add_accounts, make_records, project_of
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

from devagenda.core.context import AppContext

playwright_api = pytest.importorskip("playwright.sync_api")
from tests.accounts.conftest import PASSWORD, serve  # noqa: E402, F401 (a fixture)

# Reports every Content-Security-Policy violation of a page to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def context(database_factories) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(database_factories["sqlite"].initialized_url())
    add_accounts(context)
    yield context
    context.engine.dispose()


def test_edit_see_history_revert_and_log_out(
    context: AppContext,
    serve: Callable[[AppContext], str],  # noqa: F811
) -> None:
    records = make_records(context, 1)
    project_id = records["project"]
    base_url = serve(context)
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            session = browser.new_context(
                viewport={"width": 1200, "height": 900}, locale="en-GB", base_url=base_url
            )
            problems: list[str] = []
            session.expose_binding("reportViolation", lambda source, text: problems.append(text))
            session.add_init_script(REPORT_VIOLATIONS)
            page = session.new_page()
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)

            page.goto(f"/projects/{project_id}?lang=en")
            expect(page.locator(".tabs")).not_to_contain_text("Edit")
            page.get_by_role("link", name="Log in").click()
            page.get_by_label("E-mail address").fill("editor@example.org")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
            expect(page.locator(".timeline")).not_to_contain_text("Completed")

            page.locator(".tabs").get_by_role("link", name="Edit").click()
            page.wait_for_url(re.compile(rf"/projects/{project_id}/edit$"))
            expect(page.get_by_label("Title in English")).to_have_value("Project 1 under test")
            page.get_by_role("link", name="Status statements (add or remove)").click()
            page.wait_for_url(re.compile(rf"/projects/{project_id}/statuses$"))
            page.get_by_label("Status", exact=True).select_option("completed")
            page.get_by_label("Date", exact=True).fill("2023-06-30")
            page.get_by_label("Source").fill("https://www.wipo.int/cdip/closing-report")
            page.get_by_label("Message").fill("closed in June")
            page.screenshot(path=str(ARTIFACTS / "edit-statuses-en.png"), full_page=True)
            page.get_by_role("button", name="Add the statement").click()

            page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
            expect(page.locator(".timeline")).to_contain_text("Completed")
            expect(page.locator(".timeline")).to_contain_text("www.wipo.int/cdip/closing-report")
            assert project_of(context, project_id).status.value == "completed"

            page.locator(".tabs").get_by_role("link", name="History").click()
            newest = page.locator(".history-entry").first
            expect(newest).to_contain_text("editor@example.org")
            expect(newest).to_contain_text("closed in June")
            page.screenshot(path=str(ARTIFACTS / "edit-history-en.png"), full_page=True)
            # The edit is logged as the statement added and the project's stage and end
            # date that follow from it: reverting it reverts both.
            edit = page.locator(".history-entry", has_text="closed in June")
            expect(edit).to_have_count(2)
            edit.get_by_role("button", name="Revert this change").first.click()
            page.wait_for_url(re.compile(rf"/projects/{project_id}/history$"))
            expect(edit.get_by_role("button")).to_have_count(0)
            expect(page.locator(".history-entry", has_text="reverts change")).to_have_count(2)

            page.goto(f"/projects/{project_id}")
            expect(page.locator(".timeline")).not_to_contain_text("Completed")
            assert project_of(context, project_id).status.value == "approved"

            page.get_by_role("button", name="Log out").click()
            page.wait_for_url(re.compile(r"/$"))
            page.goto(f"/projects/{project_id}")
            expect(page.locator(".tabs a")).to_have_count(2)
            expect(page.locator(".tabs")).not_to_contain_text("Edit")
            assert problems == [], "no script errors and no CSP violations"
        finally:
            browser.close()
