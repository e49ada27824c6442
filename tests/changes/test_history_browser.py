"""The history tab in Debian's headless Chromium: from the project page to its history,
with the diff of an edit and of a revert, in English and Chinese (screenshots in
tests/artifacts/)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from tests.helpers import load_report
from tests.web.support import web_app
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, Visit

from devagenda.catalogue.models import Project, ProjectStatus
from devagenda.changes.services import revert
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry, change_message

EDITOR = Actor(label="secretariat@example.org", role=Role.EDITOR, user_id=1)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, report_2023_path: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("history-browser")
    context = load_report(f"sqlite:///{folder / 'history.sqlite3'}", report_2023_path)
    with acting_as(EDITOR), context.transaction() as session:
        with change_message("CDIP/32/2 says it is completed"):
            session.get_one(Project, 2).status = ProjectStatus.COMPLETED
            session.flush()
        edit = session.scalars(select(ChangeEntry).where(ChangeEntry.record_key == "2")).one()
        revert(session, edit.id, "restated by the 2023 report")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(web_app(context), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()
    context.engine.dispose()


def test_the_history_tab_shows_the_edit_and_its_revert(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            visit = Visit(browser.new_page(viewport={"width": 1100, "height": 900}), base_url)
            page = visit.page
            page.goto(f"{base_url}/projects/2?lang=en")
            page.get_by_role("link", name="History").click()
            expect(page).to_have_url(f"{base_url}/projects/2/history")
            entries = page.locator(".history-entry")
            expect(entries).to_have_count(2)
            newest, edit = entries.nth(0), entries.nth(1)
            expect(newest).to_contain_text("restated by the 2023 report")
            expect(newest).to_contain_text("reverts change")
            expect(edit.locator(".diff-new")).to_have_text("Completed")
            expect(edit).to_contain_text("reverted by change")
            expect(edit).to_contain_text("editor #1")
            expect(page.locator(".tabs [aria-current=page]")).to_have_text("History")
            expect(page.locator(".history-revert")).to_have_count(0)
            visit.screenshot("project-history-en", full_page=True)
            page.goto(f"{base_url}/projects/2/history?lang=zh")
            expect(page.locator("h1")).to_contain_text("修改历史")
            expect(page.locator(".history-entry").nth(1).locator(".diff-new")).to_have_text(
                "已完成"
            )
            visit.screenshot("project-history-zh", full_page=True)
            visit.check_offline_and_clean()
        finally:
            browser.close()
