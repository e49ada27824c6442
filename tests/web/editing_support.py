"""What the tests of the edit forms share: a database with one account of each role and a
few records, a logged-in client, and reading a form out of a page as a browser would
submit it."""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from tests.accounts.conftest import ACCOUNTS, ADMIN, PASSWORD

from devagenda.accounts.services import create_user
from devagenda.api import create_app
from devagenda.catalogue import editing
from devagenda.catalogue.schemas import (
    DocumentCreate,
    ProjectCreate,
    ProjectOut,
    SessionCreate,
    StatusStatementIn,
    TextIn,
)
from devagenda.core.actor import acting_as
from devagenda.core.context import AppContext

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
# Served at 127.0.0.1 over plain HTTP: the one address where login works without HTTPS.
BASE_URL = "http://127.0.0.1"


def add_accounts(context: AppContext) -> None:
    with acting_as(ADMIN), context.transaction() as session:
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)


def client_of(context: AppContext) -> TestClient:
    return TestClient(create_app(context), base_url=BASE_URL, follow_redirects=False)


@contextmanager
def logged_in(context: AppContext, email: str | None) -> Iterator[TestClient]:
    """A browser logged in as `email` (anonymous for None), with its CSRF cookie."""
    with client_of(context) as client:
        token = TOKEN.search(client.get("/login").text)
        assert token
        if email is not None:
            data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
            assert client.post("/login", data=data).status_code == 303
        yield client


def csrf_token(client: TestClient) -> str:
    token = TOKEN.search(client.get("/login").text)
    assert token
    return token.group(1)


def make_records(context: AppContext, n: int) -> dict[str, object]:
    """A CDIP session, a document of it and a project with one status statement, all
    new (numbered after `n`), written by an administrator."""
    number = 100 + n
    with acting_as(ADMIN), context.transaction() as session:
        editing.create_cdip_session(session, SessionCreate(number=number, source="editor"))
        symbol = f"CDIP/{number}/1"
        document = editing.create_document(session, DocumentCreate(symbol=symbol, source="editor"))
        project = editing.create_project(
            session,
            ProjectCreate(
                titles={"en": TextIn(text=f"Project {n} under test")},
                source="editor",
            ),
        )
        project = editing.add_status(
            session,
            project.id,
            StatusStatementIn(status="approved", date="2020-05-01", source=symbol),
            None,
        )
    return {
        "session": number,
        "symbol": symbol,
        "document_id": document.id,
        "project": project.id,
        "statement": project.status_history[0].id,
    }


def project_of(context: AppContext, project_id: int) -> ProjectOut:
    from devagenda.catalogue.services import get_project

    with context.sessions() as session:
        return get_project(session, project_id)


class _FormReader(HTMLParser):
    """The fields of the form posting to `action`, with the values a browser sends."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self._first_option = True
        elif tag == "option" and self._select:
            # A browser sends the selected option, or else the first.
            if "selected" in a or self._first_option:
                self.fields[self._select] = a.get("value", "")
            self._first_option = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self.inside and self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posting to {action}"
    return reader.fields


def problem_of(html: str, field: str) -> str:
    """The problem shown beside the input `field`, as text."""
    found = re.search(rf'<p class="form-problem" id="problem-{field}">(.*?)</p>', html, re.S)
    assert found, f"no problem shown beside {field}"
    return html_module.unescape(re.sub(r"<[^>]+>", "", found.group(1)))
