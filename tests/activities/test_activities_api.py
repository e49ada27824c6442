"""The activities list and detail in the API: every filter and facet, with the counts
checked against the stored rows read with plain SQL, sorting, exports, ETags."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.activities.conftest import varied_rows, write_csv

from devagenda.activities.services import import_activities
from devagenda.api import create_app
from devagenda.catalogue.editing import create_project
from devagenda.catalogue.schemas import ProjectCreate, TextIn
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext

NONE = "none"
PROJECT = "DA_16_20_01"


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    with acting_as(Actor(label="operator:test", role=Role.ADMIN)), context.transaction() as session:
        project = ProjectCreate(
            titles={"en": TextIn(text="IP and the Public Domain")}, code=PROJECT, source="editor"
        )
        create_project(session, project)
    rows = varied_rows(project=PROJECT)
    path = write_csv(tmp_path_factory.mktemp("activities") / "varied.csv", rows)
    with context.transaction() as session:
        import_activities(session, [path])
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context)) as client:
        yield client


def _rows(context: AppContext, sql: str) -> list[Any]:
    with context.engine.connect() as connection:
        return list(connection.execute(text(sql)))


def stored(context: AppContext) -> dict[int, dict[str, set[str]]]:
    """Each activity's value(s) for every facet, from the tables, as the API spells them."""
    regions = {
        a: (r, s)
        for a, r, s in _rows(context, "SELECT alpha3, wipo_region, development_status FROM country")
    }
    found: dict[int, dict[str, set[str]]] = {}
    for id_, type_, mode, sector, unit, funding, start, host, demo in _rows(
        context,
        "SELECT id, type, mode, sector_code, organising_unit, funding_source, start_date,"
        " host_country_alpha3, demo FROM activity",
    ):
        found[id_] = {
            "type": {type_ or NONE},
            "mode": {mode or NONE},
            "sector": {sector or NONE},
            "organising_unit": {unit or NONE},
            "funding_source": {funding or NONE},
            "year": {str(start)[:4] if start else NONE},
            "country": {host} if host else set(),
            "demo": {"true" if demo else "false"},
        }
    for owner, country in _rows(
        context, "SELECT activity_id, country_alpha3 FROM activity_beneficiary"
    ):
        if country:
            found[owner]["country"].add(country)
    links = {
        "subject_area": "SELECT activity_id, area_code FROM activity_subject_area",
        "language": "SELECT activity_id, language FROM activity_language",
        "recommendation": "SELECT activity_id, recommendation_number FROM activity_recommendation",
        "expected_result": "SELECT activity_id, expected_result_code FROM activity_expected_result",
        "project": "SELECT activity_id, project_id FROM activity_project",
    }
    for facet, sql in links.items():
        for values in found.values():
            values[facet] = set()
        for owner, value in _rows(context, sql):
            found[owner][facet].add(str(value))
    for values in found.values():
        countries = values["country"]
        values["region"] = {regions[c][0] for c in countries} or {NONE}
        values["country_group"] = {regions[c][1] for c in countries} or {NONE}
        for facet in ("country", *links):
            values[facet] = values[facet] or {NONE}
    return found


def expected_counts(rows: dict[int, dict[str, set[str]]], facet: str) -> dict[str, int]:
    return dict(Counter(value for values in rows.values() for value in values[facet]))


def _get(api: TestClient, **params: Any) -> dict[str, Any]:
    response = api.get("/api/activities", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


FACETS = (
    "year",
    "type",
    "mode",
    "sector",
    "organising_unit",
    "funding_source",
    "demo",
    "country",
    "region",
    "country_group",
    "subject_area",
    "language",
    "recommendation",
    "expected_result",
    "project",
)


def test_the_unfiltered_list_counts_every_facet_as_the_tables_do(
    api: TestClient, context: AppContext
) -> None:
    rows = stored(context)
    body = _get(api)
    assert body["total"] == len(rows) == 24
    assert set(body["facets"]) == set(FACETS)
    for facet in FACETS:
        counts = {entry["value"]: entry["count"] for entry in body["facets"][facet]}
        assert counts == expected_counts(rows, facet), facet


@pytest.mark.parametrize(
    ("facet", "value"),
    [
        ("year", "2022"),
        ("year", NONE),
        ("type", "training_course"),
        ("type", NONE),
        ("mode", "virtual"),
        ("sector", "RND"),
        ("sector", NONE),
        ("organising_unit", "Division for Africa"),
        ("funding_source", "FIT Japan IP Global"),
        ("country", "KEN"),
        ("country", NONE),
        ("region", "africa"),
        ("region", "transition_developed"),
        ("country_group", "ldc"),
        ("country_group", "transition"),
        ("subject_area", "copyright"),
        ("subject_area", NONE),
        ("language", "fr"),
        ("recommendation", "10"),
        ("recommendation", NONE),
        ("expected_result", "2.1"),
        ("project", "1"),
        ("project", NONE),
        ("demo", "false"),
    ],
)
def test_each_filter_and_the_other_facets_over_its_rows(
    api: TestClient, context: AppContext, facet: str, value: str
) -> None:
    rows = stored(context)
    chosen = {id_: values for id_, values in rows.items() if value in values[facet]}
    assert chosen, "the sample must hold rows of every tested value"
    body = _get(api, **{facet: value})
    assert body["total"] == len(chosen)
    assert {item["id"] for item in body["items"]} == set(chosen)
    for other in FACETS:
        counts = {entry["value"]: entry["count"] for entry in body["facets"][other]}
        # A facet's own counts leave its choice out: what choosing another value gives.
        expected = expected_counts(rows if other == facet else chosen, other)
        assert counts == expected, other


def test_filters_combine_and_a_date_range_keeps_overlapping_activities(
    api: TestClient, context: AppContext
) -> None:
    spans = {
        id_: (str(start), str(end or start))
        for id_, start, end in _rows(context, "SELECT id, start_date, end_date FROM activity")
        if start is not None
    }
    body = _get(api, since="2022-03-11", until="2022-12-31")
    expected = {i for i, (s, e) in spans.items() if e >= "2022-03-11" and s <= "2022-12-31"}
    assert expected and {item["id"] for item in body["items"]} == expected
    rows = stored(context)
    both = _get(api, country="KEN", mode="in_person")
    wanted = {i for i, v in rows.items() if "KEN" in v["country"] and "in_person" in v["mode"]}
    assert {item["id"] for item in both["items"]} == wanted


def test_free_text_sorting_and_exports(api: TestClient, context: AppContext) -> None:
    body = _get(api, q="geographical")
    titles = {item["title_en"] for item in body["items"]}
    assert titles and all("geographical" in title for title in titles)
    ordered = _get(api, sort="-participants")["items"]
    numbers = [item["participants"] for item in ordered]
    stated = [n for n in numbers if n is not None]
    assert stated == sorted(stated, reverse=True) and numbers[len(stated) :] == [None] * (
        len(numbers) - len(stated)
    )
    exported = api.get("/api/activities", params={"country": "KEN", "format": "csv"})
    assert exported.status_code == 200
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert {int(line["id"]) for line in lines} == {
        item["id"] for item in _get(api, country="KEN")["items"]
    }
    as_json = api.get("/api/activities", params={"type": "seminar", "format": "json"}).json()
    assert {a["id"] for a in as_json} == {a["id"] for a in _get(api, type="seminar")["items"]}
    workbook = api.get("/api/activities", params={"format": "xlsx"})
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")


def test_bad_filter_values_are_422(api: TestClient) -> None:
    assert api.get("/api/activities", params={"type": "party"}).status_code == 422
    assert api.get("/api/activities", params={"country": "K3N"}).status_code == 422
    assert api.get("/api/activities", params={"sort": "colour"}).status_code == 422


def test_detail_has_provenance_and_an_etag(api: TestClient, context: AppContext) -> None:
    first = _get(api, sort="code")["items"][1]
    response = api.get(f"/api/activities/{first['id']}")
    assert response.status_code == 200
    detail = response.json()
    assert response.headers["ETag"] == f'"{detail["version"]}"'
    assert detail["code"] == "V-01"
    assert detail["fact_sources"]["host_country_alpha3"]["source"] == "CDIP/31/2"
    assert detail["link_sources"]["beneficiaries"][0]["source"]["citation"] == "CDIP/31/2"
    assert api.get("/api/activities/99999").status_code == 404


def test_the_template_is_served(api: TestClient, tmp_path: Path) -> None:
    response = api.get("/api/activities/template.csv")
    assert response.status_code == 200
    assert response.text.lstrip("\ufeff").startswith("code,title_en")
