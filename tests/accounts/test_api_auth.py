"""The API with `Authorization: Bearer`: 401 for a missing or bad token on a protected
route (with `WWW-Authenticate: Bearer`), 403 for a refused one, 200 otherwise; every
error a problem document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.accounts.conftest import ADMIN, PASSWORD

from devagenda.accounts.models import ApiToken
from devagenda.accounts.services import create_token, create_user, now, revoke_token, set_disabled
from devagenda.api import create_app
from devagenda.api.problems import PROBLEM_MEDIA_TYPE
from devagenda.core.actor import acting_as
from devagenda.core.context import AppContext


@pytest.fixture(scope="module")
def api(accounts_database: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(accounts_database)) as client:
        yield client


@pytest.fixture(scope="module")
def tokens(accounts_database: AppContext) -> dict[str, str]:
    """A token per account, plus an expired, a revoked, a capped one and one whose
    owner is disabled."""
    made: dict[str, str] = {}
    with acting_as(ADMIN), accounts_database.transaction() as session:
        for email in ("reader", "focal", "editor", "admin"):
            made[email] = create_token(session, f"{email}@example.org").token
        made["admin-as-reader"] = create_token(session, "admin@example.org", role="reader").token
        expired = create_token(session, "editor@example.org")
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == expired.id)
            .values(expires_at=now() - timedelta(minutes=1))
        )
        made["expired"] = expired.token
        revoked = create_token(session, "editor@example.org")
        revoke_token(session, revoked.prefix)
        made["revoked"] = revoked.token
        create_user(session, email="gone@example.org", role="admin", password=PASSWORD)
        made["disabled owner"] = create_token(session, "gone@example.org").token
        set_disabled(session, "gone@example.org", True)
    return made


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def test_anonymous_reads_public_data_but_not_who_it_is(api: TestClient) -> None:
    assert api.get("/api/sectors", params={"limit": 1}).status_code == 200
    for path in ("/api/me", "/api/users"):
        response = api.get(path)
        body = assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "log in or send an API token" in body["detail"]


@pytest.mark.parametrize(
    "name", ["expired", "revoked", "disabled owner", "dva_000000000000_unknown", "not a token"]
)
def test_a_bad_token_is_401_everywhere(api: TestClient, tokens: dict[str, str], name: str) -> None:
    token = tokens.get(name, name)
    for path in ("/api/me", "/api/users", "/api/sectors"):
        response = api.get(path, headers=bearer(token))
        body = assert_problem(response, 401)
        assert (
            response.headers["www-authenticate"]
            == 'Bearer realm="devagenda", error="invalid_token"'
        )
        assert "devagenda tokens create" in body["detail"]


def test_another_scheme_is_401(api: TestClient, tokens: dict[str, str]) -> None:
    response = api.get("/api/me", headers={"Authorization": f"Basic {tokens['admin']}"})
    assert_problem(response, 401)


@pytest.mark.parametrize(
    ("name", "role", "countries"),
    [
        ("reader", "reader", []),
        ("focal", "focal-point", ["KEN"]),
        ("editor", "editor", []),
        ("admin", "admin", []),
        ("admin-as-reader", "reader", []),
    ],
)
def test_me_says_who_the_token_acts_as(
    api: TestClient, tokens: dict[str, str], name: str, role: str, countries: list[str]
) -> None:
    response = api.get("/api/me", headers=bearer(tokens[name]))
    assert response.status_code == 200, response.text
    me = response.json()
    assert (me["role"], me["countries"]) == (role, countries)
    assert me["token_prefix"] == tokens[name].rsplit("_", 1)[0][:16]
    assert me["token_expires_at"].endswith("Z") or "+00:00" in me["token_expires_at"]


@pytest.mark.parametrize(
    ("name", "status"),
    [("reader", 403), ("focal", 403), ("editor", 403), ("admin-as-reader", 403), ("admin", 200)],
)
def test_only_administrators_list_users(
    api: TestClient, tokens: dict[str, str], name: str, status: int
) -> None:
    response = api.get("/api/users", headers=bearer(tokens[name]))
    if status == 403:
        body = assert_problem(response, 403)
        assert "may not manage_accounts: it needs the role admin" in body["detail"]
        assert "www-authenticate" not in response.headers
        return
    assert response.status_code == 200
    emails = [user["email"] for user in response.json()["items"]]
    assert "focal@example.org" in emails and "gone@example.org" in emails
    assert all("password" not in key for user in response.json()["items"] for key in user)
    listed = api.get("/api/users", params={"format": "csv"}, headers=bearer(tokens[name]))
    assert listed.status_code == 200 and "focal@example.org" in listed.text


def test_the_schema_declares_bearer_tokens(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "/api/me" in schema["paths"] and "/api/users" in schema["paths"]
