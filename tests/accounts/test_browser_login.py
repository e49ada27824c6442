"""Logging in and out in Debian's headless Chromium: the login form, the header that
names who is logged in, the logout button, in Chinese and English. Screenshots go to
tests/artifacts/. Without Chromium the test is skipped, except under CI=true."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.accounts.conftest import PASSWORD

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

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} not found", pytrace=False)
    pytest.skip(f"{CHROMIUM} not found: apt-get install chromium", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright_api.Browser]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def test_log_in_and_out(
    browser: playwright_api.Browser,
    accounts_database: AppContext,
    serve: Callable[[AppContext], str],
    backend: str,
) -> None:
    base_url = serve(accounts_database)
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=base_url
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    expect = playwright_api.expect

    page.goto("/sessions")
    page.get_by_role("link", name="登录").click()
    page.wait_for_url(re.compile(r"/login\?next=/sessions$"))
    expect(page.locator("h1")).to_have_text("登录")
    page.get_by_label("电子邮件地址").fill("focal@example.org")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("电子邮件地址或密码不正确，或账户已停用。")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"accounts-login-failed-zh-{backend}.png"))
    # A failed login is answered 400, which Chromium logs as a failed load; nothing else.
    assert [p for p in problems if "status of 400" not in p] == []
    problems.clear()

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/sessions$"))
    expect(page.locator(".account-name")).to_have_text("已登录：focal@example.org（联络人）")
    page.screenshot(path=str(ARTIFACTS / f"accounts-logged-in-zh-{backend}.png"))

    page.goto("/sessions?lang=en")
    expect(page.locator(".account-name")).to_have_text(
        "Logged in as focal@example.org (focal point)"
    )
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(base_url + "/")
    expect(page.locator(".account-name")).to_have_count(0)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"accounts-logged-out-en-{backend}.png"))
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert "devagenda_session" not in cookies
    assert (
        cookies["devagenda_csrf"]["httpOnly"] and cookies["devagenda_csrf"]["sameSite"] == "Strict"
    )
    assert problems == [], "no script errors and nothing the CSP blocked"
    context.close()
