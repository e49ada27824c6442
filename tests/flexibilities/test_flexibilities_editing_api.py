"""Editing provisions through the API: PATCH and DELETE at the version of their ETag
(412 on a stale one with the current state, 428 without If-Match, 422 naming every bad
field), for editors and administrators only (a focal point, even of the provision's
jurisdiction, goes through a member-state update), logged so that a deleted provision
comes back by reverting its deletion; and an update that would set a provision's code."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from devagenda.changes.services import revert
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeAction, ChangeEntry
from devagenda.core.context import AppContext

EDITOR = Actor(label="editor:test", role=Role.EDITOR)
Headers = dict[str, dict[str, str]]


def _provision(api: TestClient, headers: Headers, **changes: Any) -> tuple[int, str]:
    body = {
        "jurisdiction": "KEN",
        "category": "research-exception",
        "law_title": "Industrial Property Act",
        "articles": "s. 58(1)",
        "texts": {"en": "Acts done for research", "zh": "为研究目的的行为"},
        **changes,
    }
    response = api.post("/api/flexibilities/provisions", json=body, headers=headers["editor"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), response.headers["etag"]


def _problems(response: Any) -> dict[str, str]:
    return {p["name"]: p["reason"] for p in response.json()["invalid_params"]}


def _etag(api: TestClient, provision_id: int) -> str:
    response = api.get(f"/api/flexibilities/provisions/{provision_id}")
    assert response.status_code == 200
    return response.headers["etag"]


def test_an_editor_changes_the_fields_sent_and_the_version_moves(
    api: TestClient, headers: Headers
) -> None:
    provision_id, etag = _provision(api, headers)
    assert etag == _etag(api, provision_id)
    response = api.patch(
        f"/api/flexibilities/provisions/{provision_id}",
        json={
            "law_number": "No. 3 of 2001",
            "in_force_date": "2002-05-01",
            "texts": {"en": "Acts done for experimental purposes", "fr": "Actes de recherche"},
            "source": "https://www.kenyalaw.org/ipa",
            "message": "the 2022 consolidation",
        },
        headers={**headers["editor"], "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["law_number"] == "No. 3 of 2001" and body["in_force_date"] == "2002-05-01"
    assert body["texts"] == {
        "en": "Acts done for experimental purposes",
        "fr": "Actes de recherche",
        "zh": "为研究目的的行为",  # a language left out stays
    }
    assert body["law_title"] == "Industrial Property Act" and body["articles"] == "s. 58(1)"
    assert response.headers["etag"] != etag == f'"{body["version"] - 1}"'
    assert response.headers["etag"] == _etag(api, provision_id)
    removed = api.patch(
        f"/api/flexibilities/provisions/{provision_id}",
        json={"texts": {"fr": None}, "law_number": None, "source": "editor"},
        headers={**headers["admin"], "If-Match": response.headers["etag"]},
    )
    assert removed.status_code == 200, removed.text
    assert set(removed.json()["texts"]) == {"en", "zh"}
    assert removed.json()["law_number"] is None


def test_a_stale_or_missing_version_is_refused(api: TestClient, headers: Headers) -> None:
    provision_id, etag = _provision(api, headers, articles="s. 59")
    path = f"/api/flexibilities/provisions/{provision_id}"
    body = {"articles": "s. 59(2)", "source": "editor"}
    missing = api.patch(path, json=body, headers=headers["editor"])
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    first = api.patch(path, json=body, headers={**headers["editor"], "If-Match": etag})
    assert first.status_code == 200
    stale = api.patch(
        path,
        json={"articles": "s. 59(3)", "source": "editor"},
        headers={**headers["admin"], "If-Match": etag},
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["articles"] == "s. 59(2)"
    assert api.get(path).json()["articles"] == "s. 59(2)"
    gone = api.delete(path, headers={**headers["editor"], "If-Match": etag})
    assert gone.status_code == 412
    assert api.delete(path, headers=headers["editor"]).status_code == 428
    assert api.get(path).status_code == 200


def test_every_bad_field_is_named_at_once(api: TestClient, headers: Headers) -> None:
    _provision(api, headers, code="KEN-RE-77", articles="s. 60")
    provision_id, etag = _provision(api, headers, articles="s. 61")
    response = api.patch(
        f"/api/flexibilities/provisions/{provision_id}",
        json={
            "category": "no-such-category",
            "jurisdiction": "XYZ",
            "law_title": None,
            "code": "KEN-RE-77",
        },
        headers={**headers["editor"], "If-Match": etag},
    )
    assert response.status_code == 422, response.text
    problems = _problems(response)
    assert set(problems) == {"category", "jurisdiction", "law_title", "code", "source"}
    assert "KEN-RE-77" in problems["code"] and "XYZ" in problems["jurisdiction"]
    assert _etag(api, provision_id) == etag


def test_a_provision_with_updates_keeps_its_jurisdiction(api: TestClient, headers: Headers) -> None:
    provision_id, _ = _provision(api, headers, articles="s. 62")
    update = {
        "jurisdiction": "KEN",
        "communication_reference": "KE/2024/62",
        "communication_date": "2024-03-04",
        "summary": "Section 62 amended",
        "amends": {
            str(provision_id): {
                "jurisdiction": "KEN",
                "category": "research-exception",
                "law_title": "Industrial Property Act",
                "articles": "s. 62",
            }
        },
    }
    submitted = api.post("/api/flexibilities/updates", json=update, headers=headers["focal"])
    assert submitted.status_code == 201, submitted.text
    moved = api.patch(
        f"/api/flexibilities/provisions/{provision_id}",
        json={"jurisdiction": "PER", "source": "editor"},
        headers={**headers["editor"], "If-Match": "*"},
    )
    assert moved.status_code == 422
    assert "cannot move" in _problems(moved)["jurisdiction"]


ROLES = {
    "anonymous": 401,
    "reader": 403,
    "focal": 403,  # Kenya's focal point: the provision is Kenya's
    "focal-per": 403,
    "editor": None,
    "admin": None,
}


@pytest.mark.parametrize("who", ROLES)
def test_who_may_edit_and_delete_a_provision(api: TestClient, headers: Headers, who: str) -> None:
    provision_id, etag = _provision(api, headers, articles=f"s. 70 ({who})")
    path = f"/api/flexibilities/provisions/{provision_id}"
    edit = api.patch(
        path,
        json={"articles": "s. 71", "source": "editor"},
        headers={**headers[who], "If-Match": etag},
    )
    refused = ROLES[who]
    if refused is None:
        assert edit.status_code == 200, edit.text
        deleted = api.delete(path, headers={**headers[who], "If-Match": edit.headers["etag"]})
        assert deleted.status_code == 204
        assert api.get(path).status_code == 404
        return
    assert edit.status_code == refused, edit.text
    if who == "focal":
        assert "through a member-state update" in edit.json()["detail"]
    deleted = api.delete(path, headers={**headers[who], "If-Match": etag})
    assert deleted.status_code == refused
    assert api.get(path).headers["etag"] == etag
    assert api.get(path).json()["articles"] == f"s. 70 ({who})"


def test_a_deleted_provision_comes_back_from_the_change_log(
    api: TestClient, headers: Headers, flex: AppContext
) -> None:
    provision_id, _ = _provision(api, headers, code="KEN-RE-90", articles="s. 90")
    update = {
        "jurisdiction": "KEN",
        "communication_reference": "KE/2024/90",
        "communication_date": "2024-03-04",
        "summary": "A new section",
        "adds": [{"jurisdiction": "KEN", "category": "research-exception", "law_title": "Act"}],
    }
    submitted = api.post("/api/flexibilities/updates", json=update, headers=headers["focal"])
    update_id = submitted.json()["id"]
    attached = api.post(
        f"/api/flexibilities/updates/{update_id}/provisions",
        json={"provision_id": provision_id},
        headers=headers["editor"],
    )
    assert attached.status_code == 200, attached.text
    before = api.get(f"/api/flexibilities/provisions/{provision_id}").json()
    path = f"/api/flexibilities/provisions/{provision_id}"
    deleted = api.delete(
        path, params={"message": "duplicate"}, headers={**headers["editor"], "If-Match": "*"}
    )
    assert deleted.status_code == 204
    assert (
        str(provision_id)
        not in api.get(f"/api/flexibilities/updates/{update_id}").json()["provisions"]
    )
    with flex.sessions() as session:
        entry = session.scalars(
            select(ChangeEntry)
            .where(
                ChangeEntry.record_type == "flexibility_provision",
                ChangeEntry.record_key == str(provision_id),
                ChangeEntry.action == ChangeAction.DELETE,
            )
            # SQLite gives a deleted provision's id to the next one: the latest deletion
            .order_by(ChangeEntry.id.desc())
        ).first()
        assert entry is not None
        assert entry.message == "duplicate" and entry.before["code"] == "KEN-RE-90"
    with acting_as(EDITOR), flex.transaction() as session:
        revert(session, entry.id)
    back = api.get(path).json()
    assert {k: v for k, v in back.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }
    assert back["member_state_updates"][0]["id"] == update_id


def test_an_update_may_not_change_a_provisions_code(api: TestClient, headers: Headers) -> None:
    provision_id, _ = _provision(api, headers, code="KEN-RE-95", articles="s. 95")
    wording = {
        "jurisdiction": "KEN",
        "category": "research-exception",
        "law_title": "Industrial Property Act",
        "articles": "s. 95",
    }
    update = {
        "jurisdiction": "KEN",
        "communication_reference": "KE/2024/95",
        "communication_date": "2024-03-04",
        "summary": "Section 95 amended",
        "amends": {str(provision_id): {**wording, "code": "KEN-RE-96"}},
        "adds": [{**wording, "code": "KEN-RE-97"}],
    }
    refused = api.post("/api/flexibilities/updates", json=update, headers=headers["focal"])
    assert refused.status_code == 422, refused.text
    problems = _problems(refused)
    assert "cannot change a provision's code" in problems[f"amends.{provision_id}.code"]
    assert "leave code out" in problems["adds.0.code"]
    assert api.get(f"/api/flexibilities/provisions/{provision_id}").json()["code"] == "KEN-RE-95"
    same = {**update, "amends": {str(provision_id): {**wording, "code": "KEN-RE-95"}}, "adds": []}
    accepted = api.post("/api/flexibilities/updates", json=same, headers=headers["focal"])
    assert accepted.status_code == 201, accepted.text
