"""Errors tell the client what to fix and nothing about the installation.

Requests that go wrong in every way a client can make them (malformed, undecodable and
huge bodies, wrong content types, absurd ids, bad If-Match, forged cursors, bad
credentials), and a real bug (a test-only route whose SQL fails in the driver), on the
API and on the pages: no answer may hold a traceback, SQL, a driver's or library's name,
a file path of the installation or the database's URL. Only the bug may be a 5xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tests.conftest import DatabaseFactory

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.api.dependencies import app_context
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.core.cursors import encode_position
from devagenda.core.settings import Settings

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
INSTALLATION = str(Path(__file__).resolve().parents[2])
# What internals look like in a body: tracebacks, SQL, driver and library names, paths.
LEAKS = re.compile(
    r'Traceback|File "|\bSELECT\b|\bFROM\b \w+ WHERE|sqlalchemy|psycopg|sqlite3\.|'
    r'site-packages|\.py"|\.py:\d|/work/|/usr/lib/python',
    re.IGNORECASE,
)
MAX_BODY = 1 << 20  # DEVAGENDA_MAX_BODY_BYTES by default
FORGED_CURSORS = [
    "not-a-cursor",
    "%%%",
    encode_position({"after": "text where a number goes"}),
    encode_position({"after": "\x00"}),
    encode_position({"after": [1, 2]}),
    encode_position({"after": 10**40}),
    encode_position({"nothing": 1}),
    "e30",  # {} in base64
]


@dataclass
class Provoker:
    client: TestClient
    editor: dict[str, str]
    secrets: list[str]  # the database's URL and file, which no answer may name

    def assert_clean(self, response: httpx.Response, *, bug: bool = False) -> None:
        where = f"{response.request.method} {response.request.url}"
        body = response.content.decode("utf-8", "replace")
        found = LEAKS.search(body)
        assert found is None, f"{where} ({response.status_code}) leaks {found.group()!r}"
        for secret in self.secrets:
            assert secret not in body, f"{where} names the database"
        assert INSTALLATION not in body, f"{where} names the installation"
        assert (response.status_code >= 500) == bug, f"{where}: {response.status_code}"


@pytest.fixture(scope="module")
def provoker(databases: DatabaseFactory) -> Iterator[Provoker]:
    with databases.report_copy() as context:
        with acting_as(ADMIN), context.transaction() as session:
            create_user(session, email="editor@example.org", role="editor", password="x" * 16)
            token = create_token(session, "editor@example.org").token
        url = context.settings.database_url
        secrets = [url, make_url(url).database or url]
        with TestClient(_app_with_a_bug(context), raise_server_exceptions=False) as client:
            yield Provoker(client, {"Authorization": f"Bearer {token}"}, secrets)


def _app_with_a_bug(context: AppContext) -> FastAPI:
    """The app, plus routes (API and page) whose SQL the database refuses: a real driver
    error, with SQL, the driver's name and a path in its message and traceback."""
    app = create_app(context)

    def broken(request: Request) -> None:
        with app_context(request).transaction() as session:
            session.execute(text("SELECT no_such_column FROM no_such_table WHERE 1 = 1"))

    app.add_api_route("/api/test-only/broken", broken)
    app.add_api_route("/test-only/broken", broken)
    return app


def test_a_real_bug_is_a_bare_500(provoker: Provoker) -> None:
    api = provoker.client.get("/api/test-only/broken")
    page = provoker.client.get("/test-only/broken", headers={"Accept": "text/html"})
    assert api.status_code == page.status_code == 500
    assert api.headers["content-type"] == "application/problem+json"
    assert page.headers["content-type"].startswith("text/html")
    for response in (api, page):
        provoker.assert_clean(response, bug=True)


BODIES = [
    (b'{"titles": {"en": ', "application/json"),  # malformed JSON
    (b"\xff\xfe[not utf-8", "application/json"),
    (b"[1, 2, 3]", "application/json"),  # JSON, but not an object
    (b'{"titles": {"en": {"text": "x"}}, "source": "editor"}', "text/plain"),
    (b"titles=x&source=editor", "application/x-www-form-urlencoded"),
    (b"<project><title>x</title></project>", "application/xml"),
    (b'{"titles": {"en": {"text": "x"}}, "source": "editor", "budget_chf": 1e400}', None),
    (b'{"titles": {"en": {"text": "x"}}, "source": "editor", "phase": 99999999999999999999}', None),
]


@pytest.mark.parametrize(("body", "media_type"), BODIES)
def test_bad_bodies(provoker: Provoker, body: bytes, media_type: str | None) -> None:
    headers = {**provoker.editor, "Content-Type": media_type or "application/json"}
    for method, url in (("POST", "/api/projects"), ("PATCH", "/api/projects/1")):
        response = provoker.client.request(
            method, url, content=body, headers={**headers, "If-Match": "*"}
        )
        assert 400 <= response.status_code < 500
        provoker.assert_clean(response)


def test_a_huge_body_is_a_413(provoker: Provoker) -> None:
    response = provoker.client.post(
        "/api/projects",
        content=b"[" + b"1," * MAX_BODY + b"1]",
        headers={**provoker.editor, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    provoker.assert_clean(response)


ABSURD_URLS = [
    "/api/projects/99999999999999999999999",
    "/api/projects/-1",
    "/api/projects/1e9",
    "/api/projects/0x10",
    "/api/documents/%00",
    "/api/documents/" + "A" * 5000,
    "/api/recommendations/46",
    "/api/changes/2147483648",
    "/api/reports/1800/xx",
    "/api/countries/%F0%9F%92%A9",
    "/api/nothing-here",
    "/projects/99999999999999999999999",
    "/projects/1%00",
    "/documents/%00",
    "/documents/" + "A" * 5000,
    "/recommendations/0",
    "/reports/9999/zz",
    "/projects?page=abc",
    "/projects?status=%00",
    "/search?q=%00",
    "/search?q=" + "x" * 5000,
]


@pytest.mark.parametrize("url", ABSURD_URLS)
def test_absurd_urls(provoker: Provoker, url: str) -> None:
    for accept in ("application/json", "text/html"):
        response = provoker.client.get(url, headers={"Accept": accept})
        assert 400 <= response.status_code < 500, url
        provoker.assert_clean(response)


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
@pytest.mark.parametrize(
    "url", ["/api/projects", "/api/changes", "/api/search", "/api/documents", "/projects"]
)
def test_forged_cursors(provoker: Provoker, url: str, cursor: str) -> None:
    response = provoker.client.get(url, params={"cursor": cursor})
    assert response.status_code == 422, (url, cursor, response.text[:300])
    provoker.assert_clean(response)


@pytest.mark.parametrize(
    "if_match", ['W/"1"', '"1", "2"', '"99999999999"', "1", '"-1"', "", "*, *", '"0"']
)
def test_bad_if_match(provoker: Provoker, if_match: str) -> None:
    for method, url, body in (
        ("PATCH", "/api/projects/1", {"source": "editor", "phase": 2}),
        ("DELETE", "/api/sessions/30", None),
        ("PATCH", "/api/documents/CDIP/31/4", {"source": "editor", "language": "en"}),
    ):
        response = provoker.client.request(
            method, url, json=body, headers={**provoker.editor, "If-Match": if_match}
        )
        assert response.status_code in (412, 422, 428), (if_match, url, response.text[:300])
        provoker.assert_clean(response)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer " + "x" * 600, "Bearer ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer a b c"],
)
def test_bad_credentials(provoker: Provoker, authorization: str) -> None:
    response = provoker.client.get("/api/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    provoker.assert_clean(response)


def test_odd_methods_and_logins(provoker: Provoker) -> None:
    client = provoker.client
    for response in (
        client.put("/api/projects", json={}),
        client.request("TRACE", "/api/projects"),
        client.post("/login", content=b"\xff\xfe", headers={"Accept": "text/html"}),
        client.post("/login", data={"email": "x" * 3000, "password": "y"}),
        client.post("/changes/1/revert", headers={"Accept": "text/html"}),
    ):
        assert 400 <= response.status_code < 500, response.request.url
        provoker.assert_clean(response)


def test_the_database_password_stays_out_of_messages_and_reprs() -> None:
    """A database URL with a password is shown without it where devagenda names it, and
    not at all in the settings' repr (which logs and tracebacks show)."""
    from devagenda.core.dberrors import describe_database

    shown = describe_database("postgresql+psycopg://user:s3cret@db.example:5432/dev")
    assert "s3cret" not in shown and "db.example" in shown
    assert "s3cret" not in repr(Settings("postgresql+psycopg://user:s3cret@db.example/dev"))
