"""The flexibilities API: the counted list with facets, a focal point's update seen at
once by an anonymous reader, refusals with one clear message, and the exports."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook


def _provision(api: TestClient, headers: dict[str, dict[str, str]], **changes: Any) -> int:
    body = {
        "jurisdiction": "KEN",
        "category": "research-exception",
        "law_title": "Industrial Property Act",
        "articles": "s. 58(1)",
        "texts": {"en": "Acts done for research"},
        **changes,
    }
    response = api.post("/api/flexibilities/provisions", json=body, headers=headers["editor"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _update(provision_id: int, wording: str) -> dict[str, Any]:
    return {
        "jurisdiction": "KEN",
        "communication_reference": "Note verbale KE/2024/17",
        "communication_date": "2024-03-04",
        "summary": "Section 58 amended",
        "amends": {
            str(provision_id): {
                "jurisdiction": "KEN",
                "category": "research-exception",
                "law_title": "Industrial Property Act",
                "articles": "s. 58(1)",
                "texts": {"en": wording},
            }
        },
    }


def test_a_focal_points_update_is_seen_at_once_by_an_anonymous_reader(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    provision_id = _provision(api, headers)
    body = _update(provision_id, "Acts done for experimental purposes")
    submitted = api.post("/api/flexibilities/updates", json=body, headers=headers["focal"])
    assert submitted.status_code == 201, submitted.text
    shown = api.get(f"/api/flexibilities/provisions/{provision_id}").json()
    assert shown["texts"]["en"] == "Acts done for experimental purposes"
    assert [u["communication_reference"] for u in shown["member_state_updates"]] == [
        "Note verbale KE/2024/17"
    ]
    compared = api.get(
        "/api/flexibilities/compare/category/research-exception", params={"jurisdictions": "KEN"}
    ).json()
    assert compared[0]["provisions"][0]["member_state_updates"][0]["id"] == submitted.json()["id"]


def test_a_focal_point_of_another_country_is_refused_with_the_reason(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    provision_id = _provision(api, headers, articles="s. 80")
    body = _update(provision_id, "Peru's wording")
    refused = api.post("/api/flexibilities/updates", json=body, headers=headers["focal-per"])
    assert refused.status_code == 403
    assert "KEN" in refused.json()["detail"]
    shown = api.get(f"/api/flexibilities/provisions/{provision_id}").json()
    assert shown["texts"]["en"] == "Acts done for research"
    assert shown["member_state_updates"] == []
    editor = api.post("/api/flexibilities/updates", json=body, headers=headers["editor"])
    assert editor.status_code == 403 and "only a focal point of KEN" in editor.json()["detail"]


def test_the_provisions_list_has_its_total_and_facets(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    _provision(api, headers, jurisdiction="PER", category="utility-models", law_title="Decreto")
    listed = api.get("/api/flexibilities/provisions").json()
    assert listed["total"] == len(listed["items"]) >= 1
    jurisdictions = {f["value"]: f["count"] for f in listed["facets"]["jurisdiction"]}
    assert jurisdictions["PER"] == sum(1 for p in listed["items"] if p["jurisdiction"] == "PER")
    only = api.get("/api/flexibilities/provisions", params={"category": "utility-models"}).json()
    assert {p["category"] for p in only["items"]} == {"utility-models"}


def test_the_comparisons_export_as_files(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    _provision(api, headers, jurisdiction="CHN", law_title="专利法", texts={"zh": "专为科学研究"})
    xlsx = api.get(
        "/api/flexibilities/compare/jurisdiction/CHN", params={"format": "xlsx", "lang": "zh"}
    )
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 15 and ("专利法" in {row[3] for row in rows})
    pdf = api.get(
        "/api/flexibilities/compare/category/research-exception",
        params={"jurisdictions": "CHN,PER", "format": "pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    csv = api.get(
        "/api/flexibilities/compare/category/research-exception",
        params={"jurisdictions": "CHN,XXX", "format": "csv"},
    )
    assert csv.status_code == 404 and "XXX" in csv.json()["detail"]


def test_the_updates_received_in_a_year_are_counted(api: TestClient) -> None:
    assert api.get("/api/flexibilities/updates/count", params={"year": 2023}).json() == {
        "year": 2023,
        "updates": 0,
    }


def test_the_categories_are_listed(api: TestClient) -> None:
    found = api.get("/api/flexibilities/categories").json()
    assert len(found) == 14 and found[0]["name_zh"] == "强制许可和政府使用"


def test_provisions_and_their_updates_are_in_the_global_search(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    provision_id = _provision(
        api, headers, articles="s. 99", texts={"en": "Bolar exemption for marketing approval"}
    )
    found = api.get("/api/search", params={"q": "Bolar"}).json()
    urls = [hit["url"] for hit in found["hits"]]
    assert f"/flexibilities/provisions/{provision_id}" in urls
    body = _update(provision_id, "Bolar exemption")
    body["communication_reference"] = "Zanzibar-note-1"
    body["amends"][str(provision_id)]["articles"] = "s. 99"
    submitted = api.post("/api/flexibilities/updates", json=body, headers=headers["focal"])
    assert submitted.status_code == 201, submitted.text
    again = api.get("/api/search", params={"q": "Zanzibar"}).json()
    assert f"/flexibilities/provisions/{provision_id}" in [h["url"] for h in again["hits"]]
