"""The REST API over the real 2023 report, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from devagenda.api import create_app
from devagenda.catalogue import services as catalogue
from devagenda.core.context import AppContext

APPROVALS = {
    "KEN": "制定战略和工具以解决非洲数字市场的在线版权盗版问题",
    "TDM": "文本和数据挖掘",
    "K12": "为青年（K-12）赋能以便为更美好未来而创新",
    "GASTRONOMY": "美食旅游业发展——第二阶段",
    "PHILIPPINES": "知识产权和创新合作为技术转让奠定基础",
    "INDIA": "非农业地理标志",
    "COPYRIGHT": "版权与数字环境中的内容分发项目——第二阶段",
}

LIST_URLS = [
    "/api/recommendations",
    "/api/clusters",
    "/api/expected-results",
    "/api/sectors",
    "/api/sessions",
    "/api/documents",
    "/api/countries",
    "/api/groups",
    "/api/projects",
    "/api/reports",
    "/api/reports/2023/zh/paragraphs",
    "/api/reports/2023/zh/footnotes",
    "/api/figures",
]


def get(api: TestClient, url: str, status: int = 200) -> Any:
    response = api.get(url)
    assert response.status_code == status, response.text
    return response.json()


def every(api: TestClient, url: str) -> list[dict[str, Any]]:
    """All rows of a list, as `?format=json` streams them."""
    separator = "&" if "?" in url else "?"
    return get(api, f"{url}{separator}format=json")


def approval_keys(projects: list[dict[str, Any]]) -> set[str]:
    """Which of the seven 2023 approvals are in `projects`, by the APPROVALS keys."""
    return {
        key
        for key, fragment in APPROVALS.items()
        for project in projects
        if fragment in (project["title_zh"] or "")
    }


def problem(api: TestClient, url: str, status: int) -> dict[str, Any]:
    response = api.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


# -- the service around the routes -----------------------------------------------------


def test_openapi_lists_every_route(api: TestClient) -> None:
    paths = set(get(api, "/api/openapi.json")["paths"])
    assert paths == {
        "/api/me",
        "/api/users",
        "/api/recommendations",
        "/api/recommendations/{number}",
        "/api/clusters",
        "/api/clusters/{letter}",
        "/api/expected-results",
        "/api/expected-results/{code}",
        "/api/sectors",
        "/api/sectors/{code}",
        "/api/sessions",
        "/api/sessions/{number}",
        "/api/documents",
        "/api/documents/{symbol}",
        "/api/countries",
        "/api/countries/{code}",
        "/api/groups",
        "/api/groups/{code}",
        "/api/projects",
        "/api/projects/{project_id}",
        "/api/projects/{project_id}/statuses",
        "/api/projects/{project_id}/statuses/{statement_id}",
        "/api/coverage",
        "/api/activities",
        "/api/activities/aggregates",
        "/api/activities/report-figure",
        "/api/activities/{activity_id}",
        "/api/activities/template.{kind}",
        "/api/consultants",
        "/api/consultants/aggregates",
        "/api/consultants/template.{kind}",
        "/api/consultants/{consultant_id}",
        "/api/match/template.{kind}",
        "/api/match/needs",
        "/api/match/offers",
        "/api/match/posts/{key}",
        "/api/match/posts/{key}/suggestions",
        "/api/match/posts",
        "/api/match/posts/{key}/interest",
        "/api/match/connections",
        "/api/match/connections/{connection_id}/moves",
        "/api/match/counts",
        "/api/match/notices",
        "/api/match/notices/{notice_id}/read",
        "/api/match/mail-settings",
        "/api/match/mail-queue",
        "/api/flexibilities/categories",
        "/api/flexibilities/compare/category/{category}",
        "/api/flexibilities/compare/jurisdiction/{jurisdiction}",
        "/api/flexibilities/provisions",
        "/api/flexibilities/provisions/{provision_id}",
        "/api/flexibilities/updates",
        "/api/flexibilities/updates/count",
        "/api/flexibilities/updates/{update_id}",
        "/api/flexibilities/updates/{update_id}/provisions",
        "/api/catalogue/template.{kind}",
        "/api/iati.xml",
        "/api/reports",
        "/api/reports/ingests",
        "/api/reports/{year}/{language}",
        "/api/reports/{year}/{language}/history",
        "/api/reports/{year}/{language}/paragraphs",
        "/api/reports/{year}/{language}/findings",
        "/api/reports/{year}/{language}/paragraphs/{number}",
        "/api/reports/{year}/{language}/footnotes",
        "/api/reports/{year}/{language}/footnotes/{number}",
        "/api/figures",
        "/api/search",
        "/api/changes",
        "/api/changes/{change_id}",
        "/api/projects/{project_id}/history",
        "/api/sessions/{number}/history",
        "/api/recommendations/{number}/history",
        "/api/documents/{symbol}/history",
    }


def test_openapi_documents_filters_formats_and_problems(api: TestClient) -> None:
    schema = get(api, "/api/openapi.json")
    projects = schema["paths"]["/api/projects"]["get"]
    parameters = {p["name"] for p in projects["parameters"]}
    assert {
        "status",
        "recommendation",
        "cluster",
        "expected_result",
        "sector",
        "proposer",
        "beneficiary",
        "region",
        "session",
        "year",
        "q",
        "limit",
        "cursor",
        "format",
    } <= parameters
    assert set(projects["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    not_found = schema["paths"]["/api/projects/{project_id}"]["get"]["responses"]["404"]
    assert "application/problem+json" in not_found["content"]
    assert "Problem" in schema["components"]["schemas"]


def test_docs_page_uses_only_local_assets(api: TestClient) -> None:
    response = api.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert len(references) >= 3
    for reference in references:
        assert reference.startswith("/api/docs/"), reference
        assert api.get(reference).status_code == 200, reference
    assert "<script>" not in response.text  # no inline script: the CSP would block it
    start = api.get("/api/docs/start.js").text
    assert '"/api/openapi.json"' in start
    assert "validatorUrl: null" in start
    assert not re.search(r"https?://", response.text + start)


def test_security_headers(api: TestClient) -> None:
    for url in ("/api/projects", "/api/docs", "/api/projects/9999", "/api/projects?format=csv"):
        headers = api.get(url).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "http" not in headers["content-security-policy"]


def test_unknown_route_is_a_problem(api: TestClient) -> None:
    assert problem(api, "/api/nothing-here", 404)["title"] == "Not Found"


# -- every list: pages, full JSON and CSV agree -----------------------------------------


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_pages_and_streams_the_same_rows(api: TestClient, url: str) -> None:
    page = get(api, f"{url}?limit=500")
    assert page["next_cursor"] is None
    assert page["total"] == len(page["items"]) > 0
    assert every(api, url) == page["items"]
    response = api.get(f"{url}?format=csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == page["total"]


def test_csv_of_all_projects_has_55_rows(api: TestClient) -> None:
    response = api.get("/api/projects?format=csv&limit=5")
    lines = response.text.splitlines()
    assert lines[0].startswith("id,code,phase,predecessor_id,status,states,title_zh,title_en")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 55
    states = Counter(row["states"] for row in rows)
    assert states["evaluated; mainstreamed"] == 22
    kenya = next(row for row in rows if row["title_zh"] == APPROVALS["KEN"])
    assert (kenya["proposers"], kenya["recommendations"]) == ("KEN", "4; 10; 11; 45")
    assert kenya["approved_session"] == "30"
    assert kenya["approval_date"] == "2023-04-28"


def test_csv_flattens_nested_records(api: TestClient) -> None:
    response = api.get("/api/recommendations?format=csv&cluster=F")
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["number"] == "45"
    assert row["cluster.letter"] == "F"
    assert row["texts.language"] == "en; zh"
    assert row["texts.status"] == "unofficial_translation; official"
    assert row["projects.title_zh"] == APPROVALS["KEN"]
    assert row["texts.source.citation"].endswith("annex I row 45")


def test_json_format_returns_every_project_whatever_the_limit(api: TestClient) -> None:
    rows = every(api, "/api/projects?limit=5")
    assert len(rows) == 55
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)


def test_cursor_pagination_visits_every_project_once(api: TestClient) -> None:
    seen: list[int] = []
    url = "/api/projects?limit=10"
    pages = 0
    while True:
        page = get(api, url)
        assert page["total"] == 55
        seen += [item["id"] for item in page["items"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        url = f"/api/projects?limit=10&cursor={page['next_cursor']}"
    assert pages == 6
    assert len(seen) == len(set(seen)) == 55


def test_cursor_keeps_filters_separate(api: TestClient) -> None:
    first = get(api, "/api/projects?status=evaluated&limit=3")
    second = get(api, f"/api/projects?status=evaluated&limit=3&cursor={first['next_cursor']}")
    assert all(item["status"] == "evaluated" for item in second["items"])
    assert second["items"][0]["id"] > first["items"][-1]["id"]


@pytest.mark.parametrize(
    "query",
    [
        "cursor=not-a-cursor",
        "cursor=eyJhZnRlciI6IkFGRyJ9",  # a countries cursor (a string key) on projects
        "limit=0",
        "limit=501",
        "format=xml",
    ],
)
def test_bad_list_parameters_are_422(api: TestClient, query: str) -> None:
    body = problem(api, f"/api/projects?{query}", 422)
    assert body["invalid_params"][0]["name"] in {"cursor", "limit", "format"}


# -- projects and their filters ------------------------------------------------------------


def test_projects_by_status(api: TestClient) -> None:
    # Annex II lists 8 as ongoing; ¶71 (ii) says one of them completed in December 2023.
    assert len(every(api, "/api/projects?status=ongoing")) == 7
    assert len(every(api, "/api/projects?status=completed")) == 1
    approved = every(api, "/api/projects?status=approved")
    assert approval_keys(approved) == set(APPROVALS)
    assert len(approved) == 7
    evaluated = every(api, "/api/projects?status=evaluated")
    assert len(evaluated) == 40
    # Mainstreamed projects stay completed and evaluated: both filters find them.
    mainstreamed = every(api, "/api/projects?status=mainstreamed")
    assert len(mainstreamed) == 22
    assert {p["id"] for p in mainstreamed} <= {p["id"] for p in evaluated}
    assert all(p["states"] == ["evaluated", "mainstreamed"] for p in mainstreamed)


def test_projects_by_recommendation(api: TestClient) -> None:
    implementing = every(api, "/api/projects?recommendation=10")
    assert approval_keys(implementing) == set(APPROVALS) - {"INDIA"}
    assert len(implementing) == 6
    assert all(10 in p["recommendations"] for p in implementing)


def test_projects_by_cluster(api: TestClient) -> None:
    # Cluster B is 15-23: TDM (16), K-12 (19), the Philippines (23), copyright II (16).
    cluster_b = every(api, "/api/projects?cluster=b")
    assert approval_keys(cluster_b) == {"TDM", "K12", "PHILIPPINES", "COPYRIGHT"}
    assert len(cluster_b) == 4
    assert approval_keys(every(api, "/api/projects?cluster=F")) == {"KEN"}  # 45


def test_projects_by_expected_result(api: TestClient) -> None:
    """Through Annex I: a project serves the expected results of its recommendations."""
    annex_one = {
        r["number"]: {e["code"] for e in r["expected_results"]}
        for r in every(api, "/api/recommendations")
    }
    projects = every(api, "/api/projects")
    matched = 0
    for result in every(api, "/api/expected-results"):
        code = result["code"]
        expected = {
            p["id"] for p in projects if any(code in annex_one[n] for n in p["recommendations"])
        }
        found = {p["id"] for p in every(api, f"/api/projects?expected_result={code}")}
        assert found == expected, code
        matched += bool(found)
    assert matched >= 5
    assert approval_keys(every(api, "/api/projects?expected_result=4.1")) == set(APPROVALS)


def test_projects_by_sector(api: TestClient) -> None:
    projects = every(api, "/api/projects?sector=CCIS")
    assert {p["sector"] for p in projects} == {"CCIS"}
    assert approval_keys(projects) == {"COPYRIGHT"}
    assert every(api, "/api/projects?sector=ccis") == projects
    assert every(api, "/api/projects?sector=NOSUCH") == []


def test_projects_by_proposer(api: TestClient) -> None:
    kenya = every(api, "/api/projects?proposer=KEN")
    assert len(kenya) == 1
    assert kenya[0]["title_zh"] == APPROVALS["KEN"]
    assert approval_keys(every(api, "/api/projects?proposer=PER")) == {"GASTRONOMY", "COPYRIGHT"}
    assert approval_keys(every(api, "/api/projects?proposer=african_group")) == {"TDM"}


def test_projects_by_beneficiary(api: TestClient) -> None:
    brazil = every(api, "/api/projects?beneficiary=BRA")
    assert len(brazil) == 4
    assert all("BRA" in p["beneficiaries"] for p in brazil)
    assert approval_keys(brazil) == {"COPYRIGHT"}


def test_projects_by_region(api: TestClient) -> None:
    africa = every(api, "/api/projects?region=africa")
    # Proposed by Kenya, by Cameroon among others, or run in Uganda, Gambia...; not Malawi,
    # where L52 has work continue a mainstreamed project ("在不丹和马拉维启动了试点项目").
    assert {"KEN", "GASTRONOMY"} <= approval_keys(africa)
    assert len(africa) == 5
    latin_america = every(api, "/api/projects?region=latin_america_caribbean")
    assert {"GASTRONOMY", "COPYRIGHT"} <= approval_keys(latin_america)
    assert "KEN" not in approval_keys(latin_america)


def test_projects_by_session_and_year(api: TestClient) -> None:
    assert approval_keys(every(api, "/api/projects?session=31")) == {
        "PHILIPPINES",
        "INDIA",
        "COPYRIGHT",
    }
    assert len(every(api, "/api/projects?session=30")) == 4
    approved_2023 = every(api, "/api/projects?year=2023")
    assert len(approved_2023) == 7
    assert approval_keys(approved_2023) == set(APPROVALS)
    assert every(api, "/api/projects?year=2022") == []


def test_project_filters_combine(api: TestClient) -> None:
    both = every(api, "/api/projects?session=30&recommendation=45&status=approved")
    assert approval_keys(both) == {"KEN"}
    page = get(api, "/api/projects?session=31&limit=2")
    assert (page["total"], len(page["items"])) == (3, 2)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("status=finished", "status"),
        ("recommendation=46", "recommendation"),
        ("recommendation=ten", "recommendation"),
        ("cluster=AB", "cluster"),
        ("expected_result=four", "expected_result"),
        ("sector=no%20such", "sector"),
        ("proposer=K", "proposer"),
        ("beneficiary=B%27R", "beneficiary"),
        ("region=europe", "region"),
        ("session=0", "session"),
        ("year=23", "year"),
    ],
)
def test_bad_project_filters_are_422(api: TestClient, query: str, name: str) -> None:
    body = problem(api, f"/api/projects?{query}", 422)
    assert [p["name"] for p in body["invalid_params"]] == [name]


def test_project_detail_with_provenance(api: TestClient) -> None:
    [summary] = every(api, "/api/projects?proposer=KEN")
    project = get(api, f"/api/projects/{summary['id']}")
    assert project["title_zh"] == APPROVALS["KEN"]
    assert project["approved_session"] == {
        "number": 30,
        "start_date": "2023-04-24",
        "end_date": "2023-04-28",
    }
    [kenya] = project["proposers"]
    assert (kenya["kind"], kenya["key"], kenya["name_as_printed"]) == ("country", "KEN", "肯尼亚")
    assert kenya["name_en"] == "Kenya"
    assert [r["number"] for r in project["recommendations"]] == [4, 10, 11, 45]
    approval = next(c for c in project["status_history"] if c["source"]["paragraph"] is not None)
    assert (approval["status"], approval["date"], approval["precision"]) == (
        "approved",
        "2023-04-28",
        "day",
    )
    assert approval["source"]["source"] == "dg-report/2023/zh"
    assert (approval["source"]["source_kind"], approval["source"]["year"]) == ("report", 2023)
    assert approval["source"]["language"] == "zh"
    assert approval["source"]["citation"].startswith("dg-report/2023/zh ¶19")
    assert project["approval_date"] == "2023-04-28"
    languages = {t["language"]: t["status"] for t in project["titles"]}
    assert languages == {"zh": "official", "en": "unofficial_translation"}


def test_phase_two_links_its_predecessor(api: TestClient) -> None:
    [summary] = [p for p in every(api, "/api/projects?proposer=PER") if "美食" in p["title_zh"]]
    project = get(api, f"/api/projects/{summary['id']}")
    assert project["phase"] == 2
    predecessor = project["predecessor"]
    assert predecessor["status"] in {"evaluated", "mainstreamed"}
    earlier = get(api, f"/api/projects/{predecessor['id']}")
    assert [s["id"] for s in earlier["successors"]] == [project["id"]]


def test_unknown_project(api: TestClient) -> None:
    assert problem(api, "/api/projects/9999", 404)["detail"] == "no project 9999"
    problem(api, "/api/projects/abc", 422)
    problem(api, "/api/projects/0", 422)


# -- recommendations, clusters, expected results, sectors -------------------------------


def test_recommendations(api: TestClient) -> None:
    page = get(api, "/api/recommendations")
    assert page["total"] == 45
    assert len(every(api, "/api/recommendations?immediate=true")) == 19
    assert [r["number"] for r in every(api, "/api/recommendations?cluster=B")] == list(
        range(15, 24)
    )
    linked = every(api, "/api/recommendations?expected_result=4.1")
    assert 1 in {r["number"] for r in linked}
    assert all("4.1" in {e["code"] for e in r["expected_results"]} for r in linked)


def test_recommendation_detail(api: TestClient) -> None:
    recommendation = get(api, "/api/recommendations/1")
    assert recommendation["cluster"]["letter"] == "A"
    assert recommendation["immediate"] is True
    assert recommendation["text_zh"].startswith("WIPO的技术援助应尤其面向发展")
    statuses = {t["language"]: t["status"] for t in recommendation["texts"]}
    assert statuses == {"zh": "official", "en": "unofficial_translation"}
    zh = next(t for t in recommendation["texts"] if t["language"] == "zh")
    assert zh["source"]["annex"] == "I"
    assert [e["code"] for e in recommendation["expected_results"]] == [
        "2.1",
        "2.4",
        "4.1",
        "4.2",
        "4.3",
        "4.5",
    ]
    ten = get(api, "/api/recommendations/10")
    assert approval_keys(ten["projects"]) == set(APPROVALS) - {"INDIA"}
    cited_in = {(m["paragraph"], m["sub_item"]) for m in ten["mentions"]}
    assert (19, "vii)") in cited_in
    assert all(m["recommendation"] == 10 for m in ten["mentions"])
    problem(api, "/api/recommendations/46", 404)


def test_clusters(api: TestClient) -> None:
    clusters = every(api, "/api/clusters")
    assert [c["letter"] for c in clusters] == list("ABCDEF")
    cluster = get(api, "/api/clusters/d")
    assert cluster["recommendations"] == list(range(33, 39))
    assert cluster["title_en"] == "Assessment, evaluation and impact studies"
    problem(api, "/api/clusters/Z", 404)


def test_expected_results(api: TestClient) -> None:
    results = every(api, "/api/expected-results")
    assert "4.1" in {r["code"] for r in results}
    result = get(api, "/api/expected-results/4.1")
    assert 1 in result["recommendations"]
    assert result["strategic_pillar"] == 4
    problem(api, "/api/expected-results/9.9", 404)


def test_sectors(api: TestClient) -> None:
    sectors = every(api, "/api/sectors")
    assert len(sectors) == 9
    sector = get(api, "/api/sectors/ccis")
    assert sector["name_zh"] == "版权和创意产业部门"
    assert approval_keys(sector["projects"]) == {"COPYRIGHT"}
    problem(api, "/api/sectors/NOPE", 404)


# -- sessions and documents -----------------------------------------------------------------


def test_sessions(api: TestClient) -> None:
    numbers = [s["number"] for s in every(api, "/api/sessions")]
    assert {30, 31} <= set(numbers)
    thirty_one = get(api, "/api/sessions/31")
    assert (thirty_one["start_date"], thirty_one["end_date"]) == ("2023-11-27", "2023-12-01")
    assert thirty_one["format"] == "hybrid"
    assert approval_keys(thirty_one["projects_approved"]) == {"PHILIPPINES", "INDIA", "COPYRIGHT"}
    problem(api, "/api/sessions/99", 404)


def test_documents(api: TestClient, loaded_context: AppContext) -> None:
    symbols = {d["symbol"] for d in every(api, "/api/documents")}
    assert {"CDIP/31/4", "CDIP/31/3", "CDIP/31/2", "CDIP/31/8"} <= symbols
    document = get(api, "/api/documents/cdip/31/4")
    assert document["symbol"] == "CDIP/31/4"
    assert document["session"] == 31
    assert document["cited_in"]
    assert all(c["source"] == "dg-report/2023/zh" for c in document["cited_in"])
    with loaded_context.sessions() as session:
        by_id = catalogue.get_document_by_id(session, document["id"])
    assert by_id.model_dump(mode="json") == document
    in_31 = every(api, "/api/documents?session=31")
    assert {d["session"] for d in in_31} == {31}
    problem(api, "/api/documents/CDIP/99/1", 404)


# -- countries and groups -------------------------------------------------------------------


def test_countries(api: TestClient) -> None:
    page = get(api, "/api/countries?limit=10")
    assert page["total"] > 190
    african_ldcs = every(api, "/api/countries?region=africa&status=ldc")
    assert {"TZA", "UGA", "MWI"} <= {c["alpha3"] for c in african_ldcs}
    assert {c["wipo_region"] for c in african_ldcs} == {"africa"}


def test_country_by_alpha2_or_alpha3_with_mentions(api: TestClient) -> None:
    by_alpha2 = get(api, "/api/countries/TZ")
    assert by_alpha2 == get(api, "/api/countries/tza")
    assert by_alpha2["name_zh"] == "坦桑尼亚联合共和国"
    assert "AFRICAN_GROUP" in by_alpha2["groups"]
    footnote_6 = [m for m in by_alpha2["mentions"] if m["footnote"] == 6]
    assert len(footnote_6) == 1
    assert footnote_6[0]["report"] == "dg-report/2023/zh"
    assert footnote_6[0]["paragraph"] == 7
    assert "坦桑尼亚联合共和国" in footnote_6[0]["snippet"]
    assert footnote_6[0]["citation"] == "dg-report/2023/zh ¶7 fn 6"


def test_country_projects(api: TestClient) -> None:
    uganda = get(api, "/api/countries/UG")
    assert len(uganda["projects_benefiting"]) == 2
    assert all("UGA" in p["beneficiaries"] for p in uganda["projects_benefiting"])
    kenya = get(api, "/api/countries/KEN")
    assert [p["title_zh"] for p in kenya["projects_proposed"]] == [APPROVALS["KEN"]]


def test_unknown_country(api: TestClient) -> None:
    problem(api, "/api/countries/XX", 404)
    problem(api, "/api/countries/K1", 422)


def test_groups(api: TestClient) -> None:
    codes = {g["code"] for g in every(api, "/api/groups")}
    assert "AFRICAN_GROUP" in codes
    group = get(api, "/api/groups/african_group")
    assert group["name_zh"] == "非洲集团"
    assert "KEN" in group["members"]
    assert approval_keys(group["projects_proposed"]) == {"TDM"}
    problem(api, "/api/groups/NO_SUCH_GROUP", 404)


# -- report content -----------------------------------------------------------------------


def test_reports(api: TestClient) -> None:
    [report] = every(api, "/api/reports")
    assert (report["key"], report["year"], report["language"]) == ("dg-report/2023/zh", 2023, "zh")
    assert (report["paragraphs"], report["footnotes"]) == (80, 189)


def test_paragraphs(api: TestClient) -> None:
    assert get(api, "/api/reports/2023/zh/paragraphs")["total"] == 80
    nineteen = get(api, "/api/reports/2023/zh/paragraphs/19")
    assert nineteen["chapter"] == 1
    assert len(nineteen["sub_items"]) == 7
    assert nineteen["sub_items"][0]["text"].startswith("肯尼亚提交的")
    assert "[footnoteRef" not in nineteen["text"]
    seven = get(api, "/api/reports/2023/zh/paragraphs/7")
    assert 6 in seven["footnotes"]
    chapter_one = every(api, "/api/reports/2023/zh/paragraphs?chapter=1")
    assert {p["chapter"] for p in chapter_one} == {1}
    assert 19 in {p["number"] for p in chapter_one}


def test_footnotes(api: TestClient) -> None:
    assert get(api, "/api/reports/2023/zh/footnotes")["total"] == 189
    six = get(api, "/api/reports/2023/zh/footnotes/6")
    assert six["paragraph"] == 7
    assert six["mentions"] == ["SWZ", "ETH", "GMB", "LBR", "MLI", "NAM", "NER", "NGA", "TZA", "UGA"]
    of_seven = every(api, "/api/reports/2023/zh/footnotes?paragraph=7")
    assert 6 in {f["number"] for f in of_seven}
    assert {f["paragraph"] for f in of_seven} == {7}


def test_report_content_not_found(api: TestClient) -> None:
    problem(api, "/api/reports/2023/en/paragraphs", 404)
    problem(api, "/api/reports/2022/zh/footnotes", 404)
    problem(api, "/api/reports/2023/zh/paragraphs/81", 404)
    problem(api, "/api/reports/2023/zh/footnotes/190", 404)
    problem(api, "/api/reports/2023/chinese/paragraphs", 422)


def test_figures(api: TestClient) -> None:
    [report] = every(api, "/api/reports")
    assert get(api, "/api/figures")["total"] == report["figures"] > 200
    percentages = every(api, "/api/figures?unit=%25")
    assert len(percentages) == 6
    assert {f["unit"] for f in percentages} == {"%"}
    tenth = every(api, "/api/figures?paragraph=10")
    assert "580门课程" in {f["text"] for f in tenth}
    assert {f["source"]["paragraph"] for f in tenth} == {10}
    about_2023 = every(api, "/api/figures?year=2023")
    assert 0 < len(about_2023) < report["figures"]
    assert every(api, "/api/figures?language=en") == []
    problem(api, "/api/figures?year=nineteen", 422)


# -- search ---------------------------------------------------------------------------


def test_search(api: TestClient) -> None:
    results = get(api, "/api/search?q=肯尼亚")
    assert results["query"] == "肯尼亚"
    assert results["total"] >= 1
    assert any("肯尼亚" in hit["snippet"] or "肯尼亚" in hit["title"] for hit in results["hits"])
    projects = get(api, "/api/search?q=肯尼亚&kinds=project")
    assert {hit["kind"] for hit in projects["hits"]} <= {"project"}
    problem(api, "/api/search?q=x&limit=0", 422)
    problem(api, "/api/search?q=x&cursor=junk", 422)


def test_a_bug_is_a_problem_without_details(loaded_context: AppContext) -> None:
    app = create_app(loaded_context)

    @app.get("/api/broken")
    def broken() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text
    assert response.json()["title"] == "Internal Server Error"


def test_findings(api: TestClient) -> None:
    findings = get(api, "/api/reports/2023/zh/findings")
    by_code = {f["code"] for f in findings}
    assert len(findings) == 16
    assert {"DA-CNT-006", "DA-STA-001", "DA-NAM-001"} <= by_code
    tisc = next(f for f in findings if f["code"] == "DA-CNT-006")
    assert (tisc["severity"], tisc["location"]["paragraph"]) == ("error", 70)
    assert tisc["message"].endswith("differs from “1,530个TISC” in paragraph 66 (line 179).")
    assert tisc["message_zh"].endswith("与第66段（文件第179行）的“1,530个TISC”不一致。")
    assert tisc["message_key"] == "counts.figure_differs_in_year"
    assert all(f["message_zh"] and f["message_zh"] != f["message"] for f in findings)
    exported = api.get("/api/reports/2023/zh/findings", params={"format": "csv"}).text
    assert "message_zh" in exported.splitlines()[0] and "不一致" in exported
    problem(api, "/api/reports/2019/zh/findings", 404)
