"""Editing activities through the API: who may (a focal point only for activities of their
own countries), field-by-field validation with sources, and ETag/If-Match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.activities.conftest import ACCOUNTS

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def headers(context: AppContext) -> dict[str, dict[str, str]]:
    """Authorization headers by role; the focal point speaks for Kenya."""
    found = {"anonymous": {}}
    with acting_as(ADMIN), context.transaction() as session:
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
            token = create_token(session, email).token
            found[role] = {"Authorization": f"Bearer {token}"}
    return found


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context)) as client:
        yield client


def new_activity(api: TestClient, headers: dict[str, dict[str, str]], **facts: Any) -> dict:  # type: ignore[type-arg]
    body = {"titles": {"en": {"text": "Workshop on IP"}}, "source": "editor", **facts}
    response = api.post("/api/activities", json=body, headers=headers["admin"])
    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    return response.json()


def patch(
    api: TestClient,
    headers: dict[str, str],
    activity_id: int,
    body: dict,
    match: str = "*",  # type: ignore[type-arg]
) -> Any:
    return api.patch(
        f"/api/activities/{activity_id}", json=body, headers={**headers, "If-Match": match}
    )


CHANGE = {"venue_city": "Nairobi", "source": "editor"}


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("reader", 403), ("focal-point", 200), ("editor", 200), ("admin", 200)],
)
def test_each_role_on_an_activity_of_the_focal_points_country(
    api: TestClient, headers: dict[str, dict[str, str]], role: str, status: int
) -> None:
    activity = new_activity(api, headers, host_country="KEN")
    response = patch(api, headers[role], activity["id"], CHANGE)
    assert response.status_code == status, response.text
    city = api.get(f"/api/activities/{activity['id']}").json()["venue_city"]
    assert city == ("Nairobi" if status == 200 else None)


@pytest.mark.parametrize(
    "facts",
    [
        {"host_country": "PER"},  # another country
        {"host_country": "KEN", "beneficiaries": ["UGA"]},  # shared with another country
        {"beneficiaries": ["KEN", "UGA"]},
        {"beneficiaries": ["AFRICAN_GROUP"]},  # a group Kenya is one member of
        {},  # names no country: nobody's
    ],
)
def test_a_focal_point_may_not_edit_what_is_not_only_theirs(
    api: TestClient, headers: dict[str, dict[str, str]], facts: dict[str, Any]
) -> None:
    activity = new_activity(api, headers, **facts)
    refused = patch(api, headers["focal-point"], activity["id"], CHANGE)
    assert refused.status_code == 403, refused.text
    assert "only for their countries" in refused.json()["detail"]
    deleted = api.delete(
        f"/api/activities/{activity['id']}", headers={**headers["focal-point"], "If-Match": "*"}
    )
    assert deleted.status_code == 403
    assert patch(api, headers["editor"], activity["id"], CHANGE).status_code == 200


def test_a_focal_point_creates_and_deletes_their_own_but_cannot_give_one_away(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    focal = headers["focal-point"]
    body = {"titles": {"en": {"text": "Kenyan roving seminar"}}, "source": "editor"}
    created = api.post("/api/activities", json={**body, "host_country": "KEN"}, headers=focal)
    assert created.status_code == 201, created.text
    other = api.post("/api/activities", json={**body, "host_country": "PER"}, headers=focal)
    assert other.status_code == 403
    activity_id = created.json()["id"]
    moved = patch(api, focal, activity_id, {"host_country": "PER", "source": "editor"})
    assert moved.status_code == 403
    shared = patch(api, focal, activity_id, {"beneficiaries": ["UGA"], "source": "editor"})
    assert shared.status_code == 403
    assert api.get(f"/api/activities/{activity_id}").json()["host_country"] == "KEN"
    gone = api.delete(f"/api/activities/{activity_id}", headers={**focal, "If-Match": "*"})
    assert gone.status_code == 204
    assert api.get(f"/api/activities/{activity_id}").status_code == 404


def test_if_match_is_required_and_checked(
    api: TestClient, headers: dict[str, dict[str, str]], context: AppContext
) -> None:
    activity = new_activity(api, headers, host_country="KEN")
    url = f"/api/activities/{activity['id']}"
    editor = headers["editor"]
    tag = api.get(url).headers["ETag"]
    assert api.patch(url, json=CHANGE, headers=editor).status_code == 428
    done = patch(api, editor, activity["id"], {"languages": ["en", "sw"], "source": "editor"}, tag)
    assert done.status_code == 200, done.text
    assert done.headers["ETag"] != tag
    stale = patch(api, editor, activity["id"], CHANGE, tag)
    assert stale.status_code == 412
    problem = stale.json()
    assert problem["current"]["languages"] == ["en", "sw"]
    assert f'"{problem["version"]}"' == done.headers["ETag"]
    assert api.delete(url, headers={**editor, "If-Match": tag}).status_code == 412
    # A value that is no entity tag is a bad request, not a failed precondition.
    malformed = api.delete(url, headers={**editor, "If-Match": "1&xP/h"})
    assert malformed.status_code == 422 and "If-Match" in malformed.json()["detail"]
    # The edit and its parts are in the change log, under the activity.
    with context.engine.connect() as connection:
        entries = connection.execute(
            text(
                "SELECT record_type, action FROM change_entry WHERE (record_type = 'activity'"
                " AND record_key = :key) OR (parent_type = 'activity' AND parent_key = :key)"
            ),
            {"key": str(activity["id"])},
        ).all()
    assert ("activity_language", "create") in {tuple(e) for e in entries}


def test_an_edit_is_validated_field_by_field(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    activity = new_activity(
        api, headers, host_country="KEN", start_date="2023-05-02", participants=30
    )
    response = patch(
        api,
        headers["editor"],
        activity["id"],
        {
            "end_date": "2023-05-01",
            "subject_areas": ["alchemy"],
            "participants_women": 20,
            "participants_men": 20,
            "beneficiaries": ["XXX"],
            "recommendations": [7],
        },
    )
    assert response.status_code == 422, response.text
    problems = {p["name"] for p in response.json()["invalid_params"]}
    assert problems == {
        "source",
        "end_date",
        "subject_areas",
        "participants",
        "beneficiaries",
    }
    unchanged = api.get(f"/api/activities/{activity['id']}").json()
    assert unchanged["version"] == activity["version"] and unchanged["end_date"] is None


def test_a_stated_fact_records_its_source_and_null_clears_it(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    activity = new_activity(api, headers, host_country="KEN", mode="hybrid")
    edited = patch(
        api,
        headers["editor"],
        activity["id"],
        {"participants": 12, "mode": None, "source": "CDIP/31/2"},
    ).json()
    assert edited["participants"] == 12 and edited["participants_women"] is None
    assert edited["fact_sources"]["participants"]["source"] == "CDIP/31/2"
    assert edited["mode"] is None and "mode" not in edited["fact_sources"]
    assert edited["fact_sources"]["host_country_alpha3"]["source"] == "editor's knowledge"
