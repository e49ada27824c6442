"""Unknown is not none, on the pages over the real 2023 report (which states the
recommendations of only the 7 projects it approves): figures say what they rest on,
pages say "not stated", and the matrices keep "no link" apart from "not stated"."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from devagenda.catalogue import services as catalogue
from devagenda.core.context import AppContext


def _get(client: TestClient, url: str, language: str = "en") -> str:
    response = client.get(url, params={"lang": language})
    assert response.status_code == 200, (url, response.text[:300])
    return response.text


def _section(html: str, heading_id: str) -> str:
    found = re.search(rf'id="{heading_id}".*?</section>', html, re.S)
    assert found is not None, heading_id
    return found.group()


def test_the_dashboard_does_not_read_missing_links_as_none(client: TestClient) -> None:
    english = _get(client, "/")
    assert "not implemented by any project" not in english
    assert "not yet implemented by any project" not in english
    assert "for 7 of the 55 projects" in english
    gaps = _section(english, "gaps-heading")
    assert "Recommendations with no project known to implement them" in gaps
    assert "26 of the 45 recommendations are linked to no project in the loaded sources" in gaps
    assert "does not show that they are not implemented" in gaps
    assert 'href="/api/catalogue/template.xlsx"' in gaps
    basis = re.findall(r'<p class="note basis">([^<]+)</p>', english)
    assert basis == [
        "Status known for 55 of 55 projects.",
        "Approval year known for 7 of 55 projects.",
        "Recommendation links known for 7 of 55 projects.",
    ]
    cluster_table = _section(english, "chart-cluster-heading")
    assert re.search(r"Recommendations not stated</th><td class=\"numeric\">48<", cluster_table)
    assert "chart-bar-unknown" in cluster_table
    clusters = _section(english, "cluster-A-heading")
    assert "Projects known" in clusters and "none known" in clusters
    chinese = _get(client, "/", "zh")
    assert "尚无项目落实" not in chinese
    assert "已载入的资料只说明了55个项目中7个项目所落实的建议" in chinese
    assert "未见记录" in chinese


def test_no_project_page_says_none_recorded(client: TestClient, web_context: AppContext) -> None:
    with web_context.sessions() as session:
        projects = list(catalogue.project_listing(session).all())
    unlinked = [p.id for p in projects if not p.recommendations]
    assert len(unlinked) == 48
    for project in projects:
        for language, none, not_stated in (
            ("en", "None recorded", "Not stated in the loaded sources."),
            ("zh", "无记录", "已载入的资料未作说明。"),
        ):
            html = _get(client, f"/projects/{project.id}", language)
            assert none not in html, (project.id, language)
            recommendations = _section(html, "recommendations-heading")
            assert (not_stated in recommendations) == (project.id in unlinked)


def test_recommendation_sector_and_result_pages_say_what_they_rest_on(
    client: TestClient,
) -> None:
    two = _section(_get(client, "/recommendations/2"), "projects-heading")
    assert "No project in the loaded sources is linked to this recommendation" in two
    assert "known for only 7 of 55 projects" in two
    ten = _section(_get(client, "/recommendations/10"), "projects-heading")
    assert "Recommendation links known for 7 of 55 projects." in ten
    sector = _get(client, "/sectors/RND")
    assert re.search(r"Sector known for \d+ of 55 projects\.", sector)
    result = _section(_get(client, "/expected-results/4.1"), "recommendations-heading")
    assert "known for" not in result  # Annex I states every recommendation's results


def test_the_api_reports_coverage_and_serves_the_template(client: TestClient) -> None:
    coverage = client.get("/api/coverage").json()
    assert coverage["projects"]["recommendations"] == {
        "known": 7,
        "total": 55,
        "unknown": 48,
        "complete": False,
    }
    assert coverage["recommendations"]["expected_results"]["complete"] is True
    template = client.get("/api/catalogue/template.xlsx")
    assert template.status_code == 200 and "attachment" in template.headers["content-disposition"]
    header = [c.value for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    assert header[0] == "code" and header[-1] == "source"
    assert client.get("/api/catalogue/template.pdf").status_code == 422


def test_the_matrices_index(client: TestClient) -> None:
    html = _get(client, "/matrices")
    for name in ("recommendations-expected-results", "recommendations-projects"):
        assert f'href="/matrices/{name}"' in html and f'href="/matrices/{name}.xlsx"' in html
    assert "45 rows × 55 columns" in html
    assert "Recommendation links known for 7 of 55 projects." in html
    assert 'aria-current="page"' in _get(client, "/matrices/recommendations-projects")


def test_the_projects_matrix_collapses_what_is_not_stated(client: TestClient) -> None:
    html = _get(client, "/matrices/recommendations-projects")
    heads = re.findall(r'<th scope="col" class="matrix-col">(.*?)</th>', html, re.S)
    assert len(heads) == 7  # one per project whose recommendations are stated
    assert all(re.search(r'class="matrix-code">#\d+<', h) for h in heads)
    assert all(re.search(r'class="matrix-short">[^<]{4,}<', h) for h in heads)
    assert "Not stated (48)" in html
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == 45
    first = rows[0]  # recommendation 1: four of the 2023 projects implement it
    assert first.count("cell-on") == 4 and first.count("cell-unknown") == 1
    footer = html[html.index("<tfoot>") : html.index("</tfoot>")]
    totals = [int(n) for n in re.findall(r'matrix-total">(\d+)<', footer)]
    per_column = [
        sum("cell-on" in re.findall(r"<td[^>]*>", row)[i] for row in rows) for i in range(7)
    ]
    assert totals[:-1] == per_column and totals[-1] == sum(per_column)
    assert "Projects whose recommendations are not stated (48)" in html


def test_matrix_exports_leave_unknown_cells_empty(client: TestClient) -> None:
    response = client.get("/matrices/recommendations-projects.csv?lang=en")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 45
    columns = list(zip(*(row[4:] for row in rows), strict=True))
    known = [values for values in columns if set(values) != {""}]
    assert len(known) == 7 and all(set(values) <= {"0", "1"} for values in known)
    assert sum(1 for values in columns if set(values) == {""}) == 48
    assert all(name.startswith("#") for name in header[4:])
    sheet = load_workbook(
        io.BytesIO(client.get("/matrices/recommendations-projects.xlsx").content)
    ).worksheets[0]
    cells = [cell.value for cell in sheet[2]][4:]  # recommendation 1
    assert cells.count(1) == 4 and cells.count(None) == 48
