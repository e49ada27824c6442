"""Matchmaking in Debian's headless Chromium: a reader logs in, posts a need, sees its
suggestions with their reasons, expresses interest, sees the connection and the notice,
marks the notice read and edits the post; and every matchmaking page on a 390 px phone,
with nothing overflowing sideways. SQLite only, like the other browser tests. Screenshots
go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from tests.match.conftest import load, post, write_csv
from tests.web.browsing import chromium, log_in, watched_page
from tests.web.editing_support import add_accounts
from tests.web.test_browser import ARTIFACTS

from devagenda.core.context import AppContext

playwright_api = pytest.importorskip("playwright.sync_api")
from tests.accounts.conftest import PASSWORD, serve  # noqa: E402, F401 (a fixture)

PHONE = {"width": 390, "height": 844}
OFFERS = [
    post(
        "OFFER-1",
        "offer",
        title_zh="培训专利审查员的资助",
        title_en="Grants to train patent examiners",
        description_en="A fund for patent examiner training in African IP offices.",
        countries="UG",
        support="financial",
        ip_fields="Patents",
        languages="en",
    ),
    post(
        "OFFER-2",
        "offer",
        title_en="Licence for drip irrigation technology",
        countries="PE",
        support="licence",
        green_category="agriculture",
    ),
]


@pytest.fixture(scope="module")
def context(database_factories, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(database_factories["sqlite"].initialized_url())
    load(context, write_csv(tmp_path_factory.mktemp("match-browser") / "offers.csv", OFFERS))
    add_accounts(context)
    yield context
    context.engine.dispose()


def test_a_reader_posts_a_need_and_connects(
    context: AppContext,
    serve: Callable[[AppContext], str],  # noqa: F811
) -> None:
    base_url = serve(context)
    expect = playwright_api.expect
    problems: list[str] = []
    with chromium() as browser:
        page = watched_page(browser, base_url, problems, expected=["status of 422"])
        log_in(page, "reader@example.org", PASSWORD, "/match")
        page.get_by_role("link", name="Post a need").click()
        page.wait_for_url(re.compile(r"/match/new"))

        # A bad field first: it is shown beside its input, and the values are kept.
        page.get_by_label("Title in English").fill("Funding to train patent examiners")
        page.get_by_label("Posted by").fill("Kenya Industrial Property Institute")
        page.get_by_label("Countries").fill("KX")
        page.get_by_role("button", name="Post it").click()
        expect(page.locator("#problem-countries")).to_contain_text("KX")
        expect(page.get_by_label("Title in English")).to_have_value(
            "Funding to train patent examiners"
        )
        page.screenshot(path=str(ARTIFACTS / "match-new-need-problem-en.png"))

        page.goto("/match/new?side=need")
        page.get_by_label("Title in English").fill("Funding to train patent examiners")
        page.get_by_label("Posted by").fill("Kenya Industrial Property Institute")
        page.get_by_label("Countries").fill("KE")
        page.get_by_label("Kind of support").select_option("financial")
        page.get_by_label("IP fields").fill("Patents")
        page.get_by_label("Languages").fill("English")
        page.get_by_label("Description in English").fill(
            "Our office needs funding for patent examiner training."
        )
        # Only the viewport here: after a full-page screenshot the button's click did
        # nothing in this Chromium (the page's size is restored after the shot).
        page.screenshot(path=str(ARTIFACTS / "match-new-need-en.png"))
        page.get_by_role("button", name="Post it").click()
        page.wait_for_url(re.compile(r"/match/posts/NEED-\d+"), timeout=120_000)
        need_url = page.url

        suggestion = page.locator(".suggestion").first
        expect(suggestion).to_contain_text("Grants to train patent examiners")
        expect(suggestion.locator(".reasons")).to_contain_text("Patents")
        expect(suggestion.locator(".reasons")).to_contain_text("kind of support: financial")
        expect(suggestion.locator(".reasons")).to_contain_text("same region: Africa")
        expect(page.locator(".suggestion", has_text="drip irrigation")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "match-post-suggestions-en.png"))

        suggestion.get_by_role("button", name="Express interest").click()
        page.wait_for_url(re.compile(r"/match/connections"))
        connection = page.locator(".match-connection").first
        expect(connection).to_contain_text("Grants to train patent examiners")
        expect(connection.locator(".connection-state")).to_contain_text("contacted")
        expect(page.locator(".match-notices")).to_contain_text("is interested in OFFER-1")
        expect(page.locator(".match-notices")).to_contain_text("suggested for each other")
        page.screenshot(path=str(ARTIFACTS / "match-connections-en.png"), full_page=True)

        page.goto("/match/connections?lang=zh")
        expect(page.locator(".match-notices")).to_contain_text("表示了兴趣")
        expect(page.locator(".connection-state")).to_contain_text("已联系")

        # An unread notice is marked read with its button.
        page.goto("/match/connections?lang=en")
        unread = page.locator(".match-notice.unread")
        before = unread.count()
        assert before >= 1
        first = unread.first.get_attribute("id")
        unread.first.get_by_role("button", name="Mark read").click()
        page.wait_for_url(re.compile(r"/match/connections"))
        expect(page.locator(".match-notice.unread")).to_have_count(before - 1)
        expect(page.locator(f"#{first}")).to_contain_text("read on")
        page.screenshot(path=str(ARTIFACTS / "match-notice-read-en.png"))

        # The owner edits the post from its page.
        page.goto(need_url + "?lang=en")
        page.locator("#post-edit").click()
        page.wait_for_url(re.compile(r"/match/posts/NEED-\d+/edit"))
        expect(page.get_by_label("Countries")).to_have_value("KE")
        page.get_by_label("Title in English").fill("Funding to train 40 patent examiners")
        page.screenshot(path=str(ARTIFACTS / "match-edit-post-en.png"))
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/match/posts/NEED-\d+$"))
        expect(page.locator("h1")).to_contain_text("Funding to train 40 patent examiners")
        assert problems == []


PHONE_PAGES = (
    "/match",
    "/match/needs",
    "/match/offers",
    "/match/offers?support=financial",
    "/match/posts/OFFER-1",
    "/match/new",
    "/match/connections",
    "/countries/UGA",
)


def test_no_sideways_scrolling_at_390_px(
    context: AppContext,
    serve: Callable[[AppContext], str],  # noqa: F811
) -> None:
    base_url = serve(context)
    with chromium() as browser:
        phone = browser.new_context(
            viewport=PHONE, locale="zh-CN", base_url=base_url, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        page.goto("/login?lang=zh")
        page.locator("#login-email").fill("reader@example.org")
        page.locator("#login-password").fill(PASSWORD)
        page.locator("form.login-form button[type=submit]").click()
        page.wait_for_load_state()
        for path in PHONE_PAGES:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways ({width} px)"
            wide = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right
                                 > document.documentElement.clientWidth + 1
                                 && !e.closest('.table-scroll'))
                    .map(e => e.tagName + '.' + e.className)"""
            )
            assert wide == [], f"{path}: {wide[:5]}"
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=str(ARTIFACTS / f"match-phone-{name}.png"), full_page=True)
