"""Flexibilities tests over HTTP: a database with an account of each role (focal points
of Kenya and of Peru), their tokens, and the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "reader@example.org": ("reader", ()),
    "focal@example.org": ("focal-point", ("KEN",)),
    "focal-per@example.org": ("focal-point", ("PER",)),
    "editor@example.org": ("editor", ()),
    "admin@example.org": ("admin", ()),
}


@pytest.fixture(scope="module")
def flex(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    with acting_as(ADMIN), context.transaction() as session:
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def headers(flex: AppContext) -> dict[str, dict[str, str]]:
    """Authorization headers by account name (the e-mail's local part)."""
    found: dict[str, dict[str, str]] = {"anonymous": {}}
    with acting_as(ADMIN), flex.transaction() as session:
        for email in ACCOUNTS:
            token = create_token(session, email).token
            found[email.split("@")[0]] = {"Authorization": f"Bearer {token}"}
    return found


@pytest.fixture(scope="module")
def api(flex: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(flex), base_url="http://127.0.0.1") as client:
        yield client
