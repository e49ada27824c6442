"""`/api/projects` and `/api/countries` counted by the database: a page with its total
and facets (each leaving out its own filter), sorts with cursors that walk every row
once, and the refusals of cursors that belong to another list or order."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from devagenda.core.pagination import encode_position


def get(api: TestClient, url: str, status: int = 200) -> Any:
    response = api.get(url)
    assert response.status_code == status, response.text
    return response.json()


def counts(page: dict[str, Any], facet: str) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in page["facets"][facet]}


def test_projects_come_with_their_total_and_facets(api: TestClient) -> None:
    page = get(api, "/api/projects?limit=5")
    assert page["total"] == 55 and len(page["items"]) == 5
    assert set(page["facets"]) == {"status", "cluster", "recommendation", "sector", "session"}
    assert counts(page, "status") == {
        "approved": 7,
        "ongoing": 7,
        "completed": 1,
        "evaluated": 40,
        "mainstreamed": 22,
    }
    assert counts(page, "session")["none"] == 48, "not stated is a value of its own"
    values = [entry["count"] for entry in page["facets"]["sector"]]
    assert values == sorted(values, reverse=True), "most frequent first"


def test_a_filter_that_is_a_facet_leaves_its_own_counts_alone(api: TestClient) -> None:
    everything = get(api, "/api/projects")
    ongoing = get(api, "/api/projects?status=ongoing")
    assert ongoing["total"] == 7
    assert counts(ongoing, "status") == counts(everything, "status")
    assert sum(counts(ongoing, "session").values()) == 7
    approved = get(api, "/api/projects?status=approved")  # the projects with known links
    number, count = next(iter(counts(approved, "recommendation").items()))
    implementing = get(api, f"/api/projects?status=approved&recommendation={number}")
    assert implementing["total"] == count < 7


def test_a_service_filter_narrows_every_facet(api: TestClient) -> None:
    ugandan = get(api, "/api/projects?beneficiary=UGA")
    assert 0 < ugandan["total"] < 55
    assert sum(counts(ugandan, "session").values()) == ugandan["total"]


@pytest.mark.parametrize("sort", ["approval_date", "-approval_date", "status", "-session"])
def test_sorted_cursors_visit_every_project_once(api: TestClient, sort: str) -> None:
    seen: list[int] = []
    everything = get(api, f"/api/projects?sort={sort}&format=json")
    url = f"/api/projects?sort={sort}&limit=8"
    while url:
        page = get(api, url)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/projects?sort={sort}&limit=8&cursor={cursor}" if cursor else ""
    assert seen == [p["id"] for p in everything] and len(set(seen)) == 55
    dates = [p["approval_date"] for p in everything if p["approval_date"]]
    if sort.endswith("approval_date"):
        assert dates == sorted(dates, reverse=sort.startswith("-"))
        assert all(p["approval_date"] is None for p in everything[len(dates) :]), "unknown last"


@pytest.mark.parametrize(
    "cursor",
    [
        "bm90IGpzb24",
        encode_position({"sort": "-approval_date", "after": ["2023-04-28", 3]}),  # other order
        encode_position({"sort": "approval_date", "after": ["28 April", 3]}),
        encode_position({"sort": "approval_date", "after": ["2023-04-28", "three"]}),
        encode_position({"sort": "approval_date", "after": ["2023-04-28", 2**40]}),
    ],
)
def test_forged_cursors_are_422(api: TestClient, cursor: str) -> None:
    body = get(api, f"/api/projects?sort=approval_date&cursor={cursor}", 422)
    assert body["invalid_params"][0]["name"] == "cursor"


def test_an_unknown_sort_is_422(api: TestClient) -> None:
    body = get(api, "/api/projects?sort=colour", 422)
    assert "sort by one of title, status, session, approval_date" in body["detail"]


def test_countries_with_facets_text_and_sort(api: TestClient) -> None:
    african = get(api, "/api/countries?region=africa&limit=500")
    assert african["total"] == len(african["items"]) > 40
    regions = counts(african, "region")
    assert regions["africa"] == african["total"] and len(regions) > 3
    assert sum(counts(african, "status").values()) == african["total"]
    uganda = get(api, "/api/countries?q=Uganda")
    assert [c["alpha3"] for c in uganda["items"]] == ["UGA"] and uganda["total"] == 1
    by_code = get(api, "/api/countries?sort=-code&limit=2")
    assert [c["alpha3"] for c in by_code["items"]] == ["ZWE", "ZMB"]
    csv = api.get("/api/countries?region=africa&sort=-code&format=csv").text.splitlines()
    assert len(csv) == african["total"] + 1
