"""Logging in and out of the web UI through a real server (uvicorn on 127.0.0.1) and a
real HTTP client: cookies, CSRF refusals, generic failures, throttling."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.accounts.conftest import PASSWORD

from devagenda.accounts.logins import ACCOUNT_FAILURES
from devagenda.api import create_app
from devagenda.core.context import AppContext
from devagenda.web.csrf import form_token_of

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@pytest.fixture(scope="module")
def base_url(accounts_database: AppContext, serve: Callable[[AppContext], str]) -> str:
    return serve(accounts_database)


@pytest.fixture
def browser(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, follow_redirects=False) as client:
        yield client


def form_token(client: httpx.Client, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = TOKEN.search(page.text)
    assert match, "the page has no CSRF field"
    return match.group(1)


def log_in(client: httpx.Client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": password, "csrf_token": form_token(client), **extra}
    return client.post("/login", data=data)


def test_login_sets_a_session_the_header_shows_and_logout_ends_it(browser: httpx.Client) -> None:
    response = log_in(browser, "Editor@Example.org", next="/sessions?lang=en")
    assert response.status_code == 303
    assert response.headers["location"] == "/sessions?lang=en"
    cookies = {c.split("=", 1)[0]: c for c in response.headers.get_list("set-cookie")}
    session_cookie = cookies["devagenda_session"]
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "Max-Age=43200" in session_cookie
    assert (
        "HttpOnly" in cookies["devagenda_csrf"] and "SameSite=strict" in cookies["devagenda_csrf"]
    )
    home = browser.get("/", params={"lang": "en"})
    assert "Logged in as editor@example.org (editor)" in home.text
    assert home.headers["cache-control"] == "private, no-store"
    assert (
        browser.get("/", params={"lang": "zh"}).text.count("已登录：editor@example.org（编辑）")
        == 1
    )
    copied = browser.cookies["devagenda_session"]
    logout = browser.post("/logout", data={"csrf_token": form_token(browser, "/")})
    assert logout.status_code == 303 and logout.headers["location"] == "/"
    assert "Logged in as" not in browser.get("/", params={"lang": "en"}).text
    # The session ended in the database: a copy of the cookie is worthless.
    with httpx.Client(
        base_url=str(browser.base_url), cookies={"devagenda_session": copied}
    ) as thief:
        assert "Logged in as" not in thief.get("/", params={"lang": "en"}).text


def test_failures_are_one_generic_message(browser: httpx.Client) -> None:
    pages = [
        log_in(browser, "editor@example.org", "wrong password!"),
        log_in(browser, "nobody@example.org"),
    ]
    for page in pages:
        assert page.status_code == 400
        assert "电子邮件地址或密码不正确，或账户已停用。" in page.text
        assert "devagenda_session" not in page.headers.get("set-cookie", "")
    assert pages[0].text.replace("editor@example.org", "X") == pages[1].text.replace(
        "nobody@example.org", "X"
    ).replace(TOKEN.search(pages[1].text).group(1), TOKEN.search(pages[0].text).group(1))


def test_a_post_without_the_form_token_is_refused(browser: httpx.Client, base_url: str) -> None:
    data = {"email": "editor@example.org", "password": PASSWORD}
    missing = browser.post("/login", data=data)
    assert missing.status_code == 403
    assert "表单已过期或并非来自本站" in missing.text
    form_token(browser)  # the browser now has its CSRF cookie
    wrong = browser.post("/login", data={**data, "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    # A token from another browser does not match this browser's cookie.
    with httpx.Client(base_url=base_url) as other:
        foreign = form_token(other)
    assert browser.post("/login", data={**data, "csrf_token": foreign}).status_code == 403
    # The right token, but posted by a page of another site.
    token = form_token(browser)
    cross = browser.post(
        "/login", data={**data, "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    assert "devagenda_session" not in browser.cookies
    logout = browser.post("/logout")
    assert logout.status_code == 403


def test_an_account_is_throttled_with_429_and_retry_after(browser: httpx.Client) -> None:
    for _ in range(ACCOUNT_FAILURES):
        assert log_in(browser, "reader@example.org", "wrong password!").status_code == 400
    refused = log_in(browser, "reader@example.org")  # even with the right password
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60 + 1
    assert re.search(r"登录失败次数过多，请\d+秒后再试。", refused.text)
    assert log_in(browser, "admin@example.org").status_code == 303  # others are unaffected


def test_next_never_leaves_the_site(browser: httpx.Client) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = log_in(browser, "focal@example.org", next=target)
        assert response.status_code == 303 and response.headers["location"] == "/"


def test_over_plain_http_to_another_host_login_is_refused(accounts_database: AppContext) -> None:
    with TestClient(create_app(accounts_database), base_url="http://devagenda.example") as remote:
        page = remote.get("/login", params={"lang": "en"})
        assert "Logging in needs HTTPS" in page.text and 'type="password"' not in page.text
        token = form_token_of(remote.cookies["devagenda_csrf"])  # no form is shown
        response = remote.post(
            "/login",
            data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 403
        assert "devagenda_session" not in response.headers.get("set-cookie", "")


def test_over_https_cookies_are_secure_and_host_prefixed(accounts_database: AppContext) -> None:
    with TestClient(create_app(accounts_database), base_url="https://devagenda.example") as secure:
        token = TOKEN.search(secure.get("/login").text).group(1)
        assert "__Host-devagenda_csrf" in secure.cookies
        response = secure.post(
            "/login",
            data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookies = response.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookies if c.startswith("__Host-devagenda_session="))
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie
        assert "Path=/" in session_cookie and "Domain" not in session_cookie
        assert "Logged in as editor@example.org" in secure.get("/", params={"lang": "en"}).text
        # A cookie without the prefix, as a sibling site could plant, is not a session.
        planted = secure.cookies["__Host-devagenda_session"]
        secure.cookies.clear()
        secure.cookies.set("devagenda_session", planted)
        assert "Logged in as" not in secure.get("/", params={"lang": "en"}).text
