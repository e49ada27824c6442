"""What browser tests share: Debian's Chromium launched headless, a page that collects
its script errors and console errors, and logging in through the login form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DESKTOP = {"width": 1200, "height": 900}


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, closed at the end; the artifacts folder exists."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def watched_page(
    browser: Browser,
    base_url: str,
    problems: list[str],
    *,
    expected: Iterable[str] = (),
    **options: Any,
) -> Page:
    """A new page (desktop size, British English unless `options` say otherwise) whose
    script errors and console errors go into `problems`, but for console errors
    containing one of `expected` (a form's 422, which Chromium logs, on purpose)."""
    quiet = tuple(expected)
    context = browser.new_context(
        **{"viewport": DESKTOP, "locale": "en-GB", "base_url": base_url, **options}
    )
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not any(text in m.text for text in quiet)
            else None
        ),
    )
    return page


def log_in(page: Page, email: str, password: str, then: str) -> None:
    """Log in through the English form and wait until it has brought the page to `then`."""
    page.goto(f"/login?lang=en&next={then}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(then) + r"(\?.*)?$"))
