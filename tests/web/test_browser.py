"""The web UI in Debian's headless Chromium, driven by Playwright for Python.

The journey of the issue: open the dashboard, reach the search box by keyboard, search for
美食旅游 and for "gastronomic", follow a result to its project page, switch language, open
the report reader, and look at a project page on a phone. Screenshots go to
tests/artifacts/ (git-ignored). Only Debian's browser is used (`/usr/bin/chromium`, never a
downloaded one), and every request must stay on the app's own address: the UI has to
work offline. Without Chromium the test is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from tests.web.support import web_app

from devagenda.core.context import AppContext

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_TABS = 30


def _require(available: bool, reason: str) -> None:
    if not available:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason, allow_module_level=True)


_require(CHROMIUM.exists(), f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk")
try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    _require(False, "Playwright for Python is not installed: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def base_url(sqlite_with_report: AppContext) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a background thread."""
    app = web_app(sqlite_with_report)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Visit:
    """A browser page that records every request and console error along the way."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            self.errors.append(message.text)

    def screenshot(self, name: str, *, full_page: bool = False) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def check_offline_and_clean(self) -> None:
        elsewhere = [url for url in self.requests if not url.startswith(self.base_url)]
        assert elsewhere == [], "the UI must not reach beyond its own server"
        assert self.errors == [], "no script errors and no blocked resources"


def _focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_the_journey(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("发展议程落实情况概览")
    expect(page.locator("svg.chart")).to_have_count(3)
    visit.screenshot("01-dashboard-zh")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    for _ in range(MAX_TABS):
        if _focused_id(page) == "site-search-q":
            break
        page.keyboard.press("Tab")
    assert _focused_id(page) == "site-search-q", "Tab from the top reaches the search box"

    page.keyboard.type("美食旅游")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("ol.hits .hit-title a")
    expect(hits).to_have_count(4)
    expect(page.locator("ol.hits mark").first).to_have_text("美食旅游")
    visit.screenshot("02-search-zh")

    page.get_by_label("检索词").fill("gastronomic")
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url(re.compile(r"q=gastronomic"))
    expect(hits).to_have_count(2)
    visit.screenshot("03-search-gastronomic")

    # English words find the projects; the Chinese interface titles them in Chinese.
    hits.filter(has_text="第二阶段").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    expect(page.locator("h1")).to_contain_text("美食旅游业发展——第二阶段")
    proposers = page.locator("section[aria-labelledby=proposers-heading] li > a:first-child")
    expect(proposers).to_have_text(["秘鲁", "喀麦隆", "马来西亚", "摩洛哥"])
    visit.screenshot("04-project-zh", full_page=True)

    project_path = page.url.removeprefix(base_url)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.url.removeprefix(base_url).startswith(project_path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Gastronomic Tourism")
    expect(proposers).to_have_text(["Peru", "Cameroon", "Malaysia", "Morocco"])
    visit.screenshot("05-project-en", full_page=True)

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Reports"
    ).click()
    page.get_by_role(
        "link", name=re.compile("Implementation of the Development Agenda, 2023")
    ).click()
    page.wait_for_url(re.compile(r"/reports/2023/zh"))
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the interface stays English
    expect(page.locator("article.report")).to_have_attribute("lang", "zh-Hans")
    visit.screenshot("06-reader-top")
    page.goto("/reports/2023/zh#p7")
    notes = page.locator("#p7 aside li")
    expect(notes.first).to_contain_text("坦桑尼亚联合共和国")
    paragraph_box = page.locator("#p7 .reader-text").bounding_box()
    notes_box = page.locator("#p7 aside").bounding_box()
    assert paragraph_box and notes_box and notes_box["x"] > paragraph_box["x"] + 300, (
        "footnotes beside their paragraph on a wide screen"
    )
    visit.screenshot("07-reader-footnotes")
    page.goto("/reports/2023/zh#p70")
    finding = page.locator("#p70 .finding-error")
    expect(finding).to_contain_text("DA-CNT-006")
    finding.scroll_into_view_if_needed()
    visit.screenshot("08-reader-finding")

    visit.check_offline_and_clean()
    context.close()


def test_a_project_page_on_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=base_url, is_mobile=True
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/search?q=美食旅游&kind=project")
    page.locator("ol.hits .hit-title a").filter(has_text="第二阶段").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    visit.screenshot("09-project-phone", full_page=True)
    page.goto("/reports/2023/zh#p7")
    paragraph_box = page.locator("#p7 .reader-text").bounding_box()
    notes_box = page.locator("#p7 aside").bounding_box()
    assert paragraph_box and notes_box and notes_box["y"] > paragraph_box["y"], (
        "footnotes below their paragraph on a phone"
    )
    visit.screenshot("10-reader-phone")
    visit.check_offline_and_clean()
    context.close()


def test_a_group_page_leads_to_where_the_report_names_it(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/groups/ASEAN")
    expect(page.locator("h1")).to_have_text("东南亚国家联盟")
    mentions = page.locator("ul.mentions li")
    expect(mentions).to_have_count(9)  # 15 mentions in 9 places, each once with its count
    expect(mentions.first).to_contain_text("东盟")
    visit.screenshot("11-group-mentions")
    mentions.first.locator("a").click()
    page.wait_for_url(re.compile(r"/reports/2023/zh#p7$"))
    expect(page.locator("#p7 .reader-text")).to_contain_text("东南亚国家联盟（东盟）")
    visit.check_offline_and_clean()
    context.close()


def test_the_chinese_reader_words_its_findings_in_chinese(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=base_url
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/reports/2023/zh#p70")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    finding = page.locator("#p70 .finding-error")
    expect(finding).to_contain_text("“1,536个TISC”（TISC，2023年）与第66段（文件第179行）")
    expect(finding).not_to_contain_text("differs")
    expect(page.locator(".finding [lang=en]")).to_have_count(0)
    finding.scroll_into_view_if_needed()
    visit.screenshot("12-reader-finding-zh")
    page.goto("/reports/2023/zh#findings-heading")
    expect(page.locator(".findings-summary")).to_contain_text("错误1个")
    visit.screenshot("13-findings-summary-zh")
    visit.check_offline_and_clean()
    context.close()
