"""The consultants list, detail and aggregates in the API: every filter and facet with
counts checked against the stored rows read with plain SQL, fuzzy names, the privacy
rule for each role, suppression of small cells, and the writes."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.roster.conftest import PERSONAL_ROLES, ROLES

from devagenda.core.context import AppContext
from devagenda.roster.services import THRESHOLD

NONE = "none"
PERSONAL_KEYS = {"gender", "nationalities", "email", "phone", "address"}


def _rows(context: AppContext, sql: str) -> list[Any]:
    with context.engine.connect() as connection:
        return list(connection.execute(text(sql)))


def stored(context: AppContext) -> dict[int, dict[str, set[str]]]:
    """Each consultant's value(s) for every facet, read from the tables."""
    found: dict[int, dict[str, set[str]]] = {}
    for id_, gender, demo in _rows(context, "SELECT id, gender, demo FROM consultant"):
        found[id_] = {
            "gender": {gender or NONE},
            "demo": {"true" if demo else "false"},
            "nationality": set(),
            "language": set(),
            "ip_field": set(),
            "beneficiary_country": set(),
            "assignment_year": set(),
        }
    links = {
        "nationality": "SELECT consultant_id, country_alpha3 FROM consultant_nationality",
        "language": "SELECT consultant_id, language FROM consultant_language",
        "ip_field": "SELECT consultant_id, field_code FROM consultant_field",
        "beneficiary_country": "SELECT a.consultant_id, c.country_alpha3 FROM assignment a"
        " JOIN assignment_country c ON c.assignment_id = a.id",
        "assignment_year": "SELECT consultant_id, year FROM assignment WHERE year IS NOT NULL",
    }
    for facet, sql in links.items():
        for owner, value in _rows(context, sql):
            found[owner][facet].add(str(value))
    for facts in found.values():
        for facet in links:
            facts[facet] = facts[facet] or {NONE}
    return found


def expected_counts(facts: dict[int, dict[str, set[str]]], facet: str) -> dict[str, int]:
    return dict(Counter(value for f in facts.values() for value in f[facet]))


def as_counts(facet: list[dict[str, Any]]) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in facet}


def get(api: TestClient, path: str, who: dict[str, str], **params: Any) -> Any:
    response = api.get(path, params=params, headers=who)
    assert response.status_code == 200, response.text
    return response.json()


FACETS = ("demo", "language", "ip_field", "beneficiary_country", "assignment_year")
PERSONAL_FACETS = ("gender", "nationality")


def test_the_facets_count_what_the_tables_hold(
    api: TestClient, roster: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    facts = stored(roster)
    page = get(api, "/api/consultants", headers["editor"])
    assert page["total"] == len(facts) == 32
    assert set(page["facets"]) == {*FACETS, *PERSONAL_FACETS}
    for facet in (*FACETS, *PERSONAL_FACETS):
        assert as_counts(page["facets"][facet]) == expected_counts(facts, facet), facet


@pytest.mark.parametrize("facet", (*FACETS, *PERSONAL_FACETS))
def test_every_filter_selects_what_the_tables_say(
    api: TestClient, roster: AppContext, headers: dict[str, dict[str, str]], facet: str
) -> None:
    """Each value of each facet as a filter: its total is the rows having it, and the
    other facets count over those rows only."""
    facts = stored(roster)
    for value in expected_counts(facts, facet):
        chosen = {i: f for i, f in facts.items() if value in f[facet]}
        page = get(api, "/api/consultants", headers["editor"], **{facet: value}, limit=500)
        assert page["total"] == len(chosen), (facet, value)
        assert {item["id"] for item in page["items"]} == set(chosen)
        for other in (*FACETS, *PERSONAL_FACETS):
            if other != facet:
                assert as_counts(page["facets"][other]) == expected_counts(chosen, other)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Wang Xiaoming", "王小明"),
        ("wang xiao ming", "王小明"),
        ("Wáng Xiǎomíng", "王小明"),
        ("王小明", "王小明"),
        ("Xiaoming Wang", "王小明"),
        ("Garsia Lopez", "María García López"),
        ("maria garcia", "María García López"),
        ("李娜", "Li Na"),
        ("zhang wei", "张伟"),
        ("Ivan Petrv", "Ivan Petrov"),
    ],
)
def test_names_match_across_scripts_and_typos(
    api: TestClient, headers: dict[str, dict[str, str]], query: str, expected: str
) -> None:
    page = get(api, "/api/consultants", headers["anonymous"], name=query)
    assert page["items"], query
    best = page["items"][0]
    assert expected in (best["name_latin"], best["name_own"]), (query, page["items"][:3])


def test_a_name_nobody_has_matches_nobody(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    page = get(api, "/api/consultants", headers["anonymous"], name="Xylophone Quux")
    assert page["total"] == 0 and page["items"] == []


def test_the_name_index_is_kept_on_write(roster: AppContext) -> None:
    """Every consultant has a romanised key and the tokens of it (one query narrows a
    search by them); 王小明's key holds its pinyin."""
    (key,) = _rows(roster, "SELECT name_key FROM consultant WHERE name_own = '王小明'")[0]
    assert key == "wang xiaoming|wang xiao ming"
    without = _rows(
        roster,
        "SELECT count(*) FROM consultant c WHERE NOT EXISTS"
        " (SELECT 1 FROM consultant_name_token t WHERE t.consultant_id = c.id)",
    )
    assert without[0][0] == 0


@pytest.mark.parametrize("role", ROLES)
def test_personal_data_only_for_editors_and_admins(
    api: TestClient, headers: dict[str, dict[str, str]], role: str
) -> None:
    """List rows, the detail, the facets, every download and the text filter."""
    who = headers[role]
    personal = role in PERSONAL_ROLES
    page = get(api, "/api/consultants", who, limit=500)
    for item in page["items"]:
        assert (set(item) >= PERSONAL_KEYS) is personal
        assert personal or not PERSONAL_KEYS & set(item)
    assert bool(set(PERSONAL_FACETS) & set(page["facets"])) is personal
    detail = get(api, f"/api/consultants/{page['items'][0]['id']}", who)
    assert bool(PERSONAL_KEYS & set(detail)) is personal
    assert ("nationalities" in detail["link_sources"]) is (
        personal and bool(detail["nationalities"])
    )
    assert personal or not {"gender", "email"} & set(detail["fact_sources"])
    rows = list(
        csv.DictReader(io.StringIO(api.get("/api/consultants?format=csv", headers=who).text))
    )
    assert len(rows) == page["total"]
    assert bool(PERSONAL_KEYS & set(rows[0])) is personal
    exported = get(api, "/api/consultants", who, format="json")
    assert all(bool(PERSONAL_KEYS & set(item)) is personal for item in exported)
    found = get(api, "/api/consultants", who, q="expert1@example.org")["total"]
    assert found == (1 if personal else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PERSONAL_FACETS)
def test_filtering_by_personal_data_needs_the_right(
    api: TestClient, headers: dict[str, dict[str, str]], role: str, name: str
) -> None:
    value = {"gender": "female", "nationality": "KEN"}[name]
    response = api.get("/api/consultants", params={name: value}, headers=headers[role])
    expected = 200 if role in PERSONAL_ROLES else 401 if role == "anonymous" else 403
    assert response.status_code == expected, response.text
    if expected != 200:
        problem = response.json()
        assert name in problem["detail"] and "personal data" in problem["detail"]
        assert "female" not in response.text and "KEN" not in response.text


def test_aggregates_suppress_small_cells(
    api: TestClient, roster: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    """Every cell under the threshold is withheld; a breakdown with one such cell loses
    its smallest other cell too; the published cells are the stored counts."""
    found = get(api, "/api/consultants/aggregates", headers["anonymous"])
    genders = dict(
        (g or NONE, n)
        for g, n in _rows(roster, "SELECT gender, count(*) FROM consultant GROUP BY gender")
    )
    assert found["consultants"] == sum(genders.values())
    cells = {c["value"]: c for c in found["by_gender"]}
    assert set(cells) == {"female", "male", "other", NONE}
    small = {v for v in cells if genders.get(v, 0) < THRESHOLD}
    for value, cell in cells.items():
        if value in small:
            assert cell == {"value": value, "count": None, "suppressed": True}
        elif not cell["suppressed"]:
            assert cell["count"] == genders[value]
    suppressed = [c for c in found["by_gender"] if c["suppressed"]]
    assert len(suppressed) != 1
    for breakdown in ("by_gender", "by_region"):
        assert all(c["count"] is None or c["count"] >= THRESHOLD for c in found[breakdown])
        assert sum(c["suppressed"] for c in found[breakdown]) != 1


def test_the_rule_on_one_small_cell() -> None:
    from devagenda.roster.services import suppress

    cells = {c.value: c for c in suppress({"female": 12, "male": 20, "other": 2, "none": 7})}
    assert cells["other"].suppressed and cells["none"].suppressed
    assert cells["female"].count == 12 and cells["male"].count == 20
    assert not any(c.suppressed for c in suppress({"a": 5, "b": 9}))


def test_consultants_with_assignments_in_a_year(
    api: TestClient, roster: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    expected = {
        year: (consultants, records)
        for year, consultants, records in _rows(
            roster,
            "SELECT year, count(DISTINCT consultant_id), count(*) FROM assignment"
            " WHERE year IS NOT NULL GROUP BY year",
        )
    }
    figures = get(api, "/api/consultants/aggregates", headers["anonymous"])["with_assignments"]
    assert {y["year"]: (y["consultants"], y["assignments"]) for y in figures["years"]} == expected
    assert figures["assignments"] == _rows(roster, "SELECT count(*) FROM assignment")[0][0]
    one = get(api, "/api/consultants/aggregates", headers["anonymous"], year=2022)
    assert one["consultants"] == expected[2022][0]
    assert [y["year"] for y in one["with_assignments"]["years"]] == [2022]


def test_the_change_log_withholds_personal_values(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    """An edit's entries hold the consultant's state: its personal values only for
    those who may read them (an import is one run entry, with counts only)."""
    body = {
        "name_latin": "Aisha Bello",
        "gender": "female",
        "nationalities": ["KEN"],
        "email": "aisha@example.org",
        "source": "editor",
    }
    assert api.post("/api/consultants", json=body, headers=headers["editor"]).status_code == 201
    for role, shown in (("anonymous", False), ("reader", False), ("editor", True)):
        entries = get(api, "/api/changes", headers[role], record_type="consultant", limit=50)
        genders = {e["after"]["gender"] for e in entries["items"] if e["after"]}
        assert ("(personal data, withheld)" in genders) is not shown, role
        assert bool(genders & {"female", "male", "other"}) is shown, role
        nations = get(
            api, "/api/changes", headers[role], record_type="consultant_nationality", limit=50
        )
        values = {e["after"]["country_alpha3"] for e in nations["items"]}
        assert bool(values & {"KEN", "CHN", "PER"}) is shown, role
        assert ("aisha@example.org" in str(entries)) is shown, role


def test_the_activity_lists_its_consultants(
    api: TestClient, roster: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    (activity,) = _rows(roster, "SELECT id FROM activity")[0]
    expected = _rows(
        roster,
        "SELECT DISTINCT c.id, c.name_latin FROM consultant c JOIN assignment a"
        f" ON a.consultant_id = c.id WHERE a.activity_id = {activity}",
    )
    found = get(api, f"/api/activities/{activity}", headers["anonymous"])["consultants"]
    assert {(c["id"], c["name"]) for c in found} == set(expected) and found
    assert all(set(c) == {"id", "name"} for c in found)


def test_writes_need_editors_and_the_version(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    body = {
        "name_latin": "Nguyen Van An",
        "gender": "male",
        "nationalities": ["VNM"],
        "ip_fields": ["patents"],
        "assignments": [{"year": 2023, "countries": ["KEN"], "task": "Study"}],
        "source": "editor",
    }
    for role in ("anonymous", "reader", "focal-point"):
        refused = api.post("/api/consultants", json=body, headers=headers[role])
        assert refused.status_code == (401 if role == "anonymous" else 403)
    made = api.post("/api/consultants", json=body, headers=headers["editor"])
    assert made.status_code == 201, made.text
    path = made.headers["Location"]
    assert made.json()["assignments"][0]["countries"] == ["KEN"]
    stale = api.patch(
        path,
        json={"gender": "other", "source": "editor"},
        headers={**headers["editor"], "If-Match": '"0"'},
    )
    assert stale.status_code == 412
    etag = api.get(path, headers=headers["editor"]).headers["ETag"]
    changed = api.patch(
        path,
        json={"gender": "other", "assignments": [], "source": "editor"},
        headers={**headers["editor"], "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["gender"] == "other" and changed.json()["assignments"] == []
    bad = api.patch(
        path,
        json={"nationalities": ["XXX"], "ip_fields": ["cooking"], "source": "editor"},
        headers={**headers["editor"], "If-Match": "*"},
    )
    assert bad.status_code == 422
    assert "XXX" in bad.text and "cooking" in bad.text
    gone = api.delete(path, headers={**headers["admin"], "If-Match": changed.headers["ETag"]})
    assert gone.status_code == 204
    assert api.get(path).status_code == 404


def test_the_global_search_finds_consultants_without_personal_data(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    found = get(api, "/api/search", headers["anonymous"], q="Okafor", kinds="consultant")
    hits = found["hits"]
    assert hits and all(hit["kind"] == "consultant" for hit in hits)
    assert all(hit["url"].startswith("/consultants/") for hit in hits)
    assert "example.org" not in str(found) and "Geneva" not in str(found)
    chinese = get(api, "/api/search", headers["anonymous"], q="王小明", kinds="consultant")
    assert any("王小明" in str(hit) for hit in chinese["hits"])
