"""The History tab's revert button through a real server and HTTP client: an editor
sees it and reverts with the form's CSRF token; a reader sees no button and is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import select
from tests.accounts.conftest import PASSWORD, serve  # noqa: F401 (a fixture)

from devagenda.accounts.services import create_user
from devagenda.catalogue.models import CdipSession, SessionFormat
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeAction, ChangeEntry
from devagenda.core.context import AppContext

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    with acting_as(ADMIN), context.transaction() as session:
        for email, role in (("editor@example.org", "editor"), ("reader@example.org", "reader")):
            create_user(session, email=email, role=role, password=PASSWORD, countries=())
        session.add(CdipSession(number=40))
    with acting_as(ADMIN), context.transaction() as session:
        session.get_one(CdipSession, 40).format = SessionFormat.VIRTUAL
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def base_url(context: AppContext, serve: Callable[[AppContext], str]) -> str:  # noqa: F811
    return serve(context)


@contextmanager
def logged_in(base_url: str, email: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, follow_redirects=False) as client:
        token = TOKEN.search(client.get("/login").text)
        assert token
        data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        assert client.post("/login", data=data).status_code == 303
        yield client


def the_update(context: AppContext) -> int:
    with context.transaction() as session:
        return session.scalars(
            select(ChangeEntry.id).where(
                ChangeEntry.record_type == "cdip_session", ChangeEntry.action == ChangeAction.UPDATE
            )
        ).one()


def test_a_reader_sees_no_revert_button_and_is_refused(base_url: str, context: AppContext) -> None:
    with logged_in(base_url, "reader@example.org") as reader:
        page = reader.get("/sessions/40/history", params={"lang": "en"}).text
        assert "history-revert" not in page
        token = TOKEN.search(page)
        assert token
        refused = reader.post(
            f"/changes/{the_update(context)}/revert", data={"csrf_token": token.group(1)}
        )
        assert refused.status_code == 403
    with context.transaction() as session:
        assert session.get_one(CdipSession, 40).format is SessionFormat.VIRTUAL


def test_an_editor_reverts_from_the_history_tab(base_url: str, context: AppContext) -> None:
    update = the_update(context)
    with logged_in(base_url, "editor@example.org") as editor:
        page = editor.get("/sessions/40/history", params={"lang": "en"}).text
        form = re.search(
            rf'<form method="post" action="/changes/{update}/revert".*?</form>', page, re.S
        )
        assert form, "the editor sees the revert button of the update"
        token = TOKEN.search(form.group(0))
        assert token
        without = editor.post(f"/changes/{update}/revert")
        assert without.status_code == 403  # no CSRF token, no revert
        done = editor.post(f"/changes/{update}/revert", data={"csrf_token": token.group(1)})
        assert done.status_code == 303
        assert done.headers["location"] == "/sessions/40/history"
        after = editor.get("/sessions/40/history", params={"lang": "en"}).text
        assert "reverts change" in after
    with context.transaction() as session:
        assert session.get_one(CdipSession, 40).format is None
        undo = session.scalars(select(ChangeEntry).where(ChangeEntry.reverts_id == update)).one()
        assert (undo.actor, undo.role) == ("editor@example.org", "editor")
