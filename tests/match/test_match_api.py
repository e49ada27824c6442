"""The matchmaking API: counted lists with facets, one post with its contact details
for editors and administrators only (checked per role), and suggestions with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.match.conftest import ADMIN, load, post, write_csv

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.core.actor import acting_as
from devagenda.core.context import AppContext

PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "reader@example.org": ("reader", ()),
    "focal@example.org": ("focal-point", ("KEN",)),
    "editor@example.org": ("editor", ()),
    "admin@example.org": ("admin", ()),
}
ROLES = ("anonymous", "reader", "focal-point", "editor", "admin")
CONTACT = "kipi@example.org, +254 20 000 000"
ROWS = [
    post(
        "NEED-1",
        "need",
        title_zh="需要资金培训专利审查员",
        countries="KE",
        support="financial",
        ip_fields="Patents",
        contact=CONTACT,
    ),
    post(
        "NEED-2",
        "need",
        title_en="Solar licence for rural clinics",
        countries="PE",
        support="licence",
        green_category="energy",
    ),
    post(
        "OFFER-1",
        "offer",
        title_en="Grants to train patent examiners",
        countries="UG",
        support="financial",
        ip_fields="Patents",
    ),
]


@pytest.fixture(scope="module")
def posts(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    header = [
        "key",
        "side",
        "title_zh",
        "title_en",
        "owner",
        "countries",
        "support",
        "green_category",
        "ip_fields",
        "contact",
    ]
    load(context, write_csv(tmp_path_factory.mktemp("match") / "posts.csv", ROWS, header))
    with acting_as(ADMIN), context.transaction() as session:
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def headers(posts: AppContext) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {"anonymous": {}}
    with acting_as(ADMIN), posts.transaction() as session:
        for email, (role, _countries) in ACCOUNTS.items():
            found[role] = {"Authorization": f"Bearer {create_token(session, email).token}"}
    return found


@pytest.fixture(scope="module")
def api(posts: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(posts), base_url="http://127.0.0.1") as client:
        yield client


def facet(answer: dict[str, Any], name: str) -> dict[str, int]:
    return {cell["value"]: cell["count"] for cell in answer["facets"][name]}


def test_needs_list_with_total_and_facets(api: TestClient) -> None:
    answer = api.get("/api/match/needs").json()
    assert answer["total"] == 2
    assert sorted(item["key"] for item in answer["items"]) == ["NEED-1", "NEED-2"]
    assert facet(answer, "support") == {"financial": 1, "licence": 1}
    assert facet(answer, "green_category") == {"energy": 1, "none": 1}
    chosen = api.get("/api/match/needs", params={"country": "KEN"}).json()
    assert [item["key"] for item in chosen["items"]] == ["NEED-1"]
    assert facet(chosen, "country") == {"KEN": 1, "PER": 1}  # its own choice left out
    offers = api.get("/api/match/offers").json()
    assert [item["key"] for item in offers["items"]] == ["OFFER-1"]


def test_the_list_exports_as_csv(api: TestClient) -> None:
    answer = api.get("/api/match/offers", params={"format": "csv"})
    assert answer.status_code == 200
    lines = answer.text.splitlines()
    assert lines[0].startswith("key,side,")
    assert lines[1].startswith("OFFER-1,offer,")
    assert CONTACT not in answer.text


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_only_for_editors_and_administrators(
    api: TestClient, headers: dict[str, dict[str, str]], role: str
) -> None:
    answer = api.get("/api/match/posts/NEED-1", headers=headers[role])
    assert answer.status_code == 200
    shown = role in ("editor", "admin")
    assert answer.json()["contact_shown"] is shown
    assert (answer.json()["contact"] == CONTACT) is shown
    assert (CONTACT in answer.text) is shown


def test_suggestions_with_their_reasons(api: TestClient) -> None:
    answer = api.get("/api/match/posts/NEED-1/suggestions")
    assert answer.status_code == 200
    (best,) = answer.json()  # the other need's offer would be in the wrong region
    assert best["key"] == "OFFER-1"
    assert best["reasons"]["shared_fields"] == ["patents"]
    assert "region: africa" in best["reasons"]["constraints"]
    assert "专利 / patent" in best["reasons"]["matching_terms"]


def test_an_unknown_post_is_a_404(api: TestClient) -> None:
    answer = api.get("/api/match/posts/NOPE/suggestions")
    assert answer.status_code == 404
    assert "NOPE" in answer.json()["detail"]
