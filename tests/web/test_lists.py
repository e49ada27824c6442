"""The list pages (projects, recommendations, countries, CDIP sessions) over the real 2023
report on SQLite and PostgreSQL: facets that toggle, sorting, pages, downloads of exactly
the filtered list, and the refusals that keep odd requests cheap."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from devagenda.web.i18n import name_sort_key

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTS = ("/projects", "/recommendations", "/countries", "/sessions")


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def facet_links(html: str, facet: str) -> dict[str, tuple[str, int]]:
    """label -> (href, count) of one facet's values."""
    section = html.split(f'id="facet-{facet}"', 1)[1].split("</section>", 1)[0]
    found = re.findall(
        r'<a href="([^"]+)"[^>]*>\s*(?:<span[^>]*>[^<]*</span>)*([^<]+?)\s*</a>\s*'
        r'<span class="count">(\d+)</span>',
        section,
    )
    return {label.strip(): (href.replace("&amp;", "&"), int(n)) for href, label, n in found}


def total(html: str) -> int:
    match = re.search(r'id="list-total" role="status">共(\d+)条', html)
    if match is None:
        match = re.search(r'id="list-total" role="status">(\d+) in all', html)
    assert match, "the list states its total"
    return int(match.group(1))


def first_column(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', body, re.S)
    ]


def test_facets_count_and_toggle(client: TestClient) -> None:
    html = page(client, "/projects?lang=zh")
    statuses = facet_links(html, "status")
    assert {label: n for label, (_, n) in statuses.items()} == {
        "已批准": 7,
        "实施中": 7,
        "已完成": 1,
        "已完成并审评": 40,
        "已纳入主流": 22,
    }
    assert total(html) == 55
    href, _ = statuses["实施中"]
    chosen = page(client, href)
    assert total(chosen) == 7
    again = facet_links(chosen, "status")["实施中"]
    assert dict(parse_qsl(urlsplit(again[0]).query)).get("status") is None, (
        "a second click removes it"
    )
    assert total(page(client, again[0])) == 55
    # Another facet's counts are over the rows the chosen status lets through.
    sessions = facet_links(chosen, "session")
    assert sum(n for _, n in sessions.values()) <= 7
    assert 'aria-current="true" class="selected"' in chosen


def test_facets_combine_with_service_filters(client: TestClient) -> None:
    html = page(client, "/projects?lang=en&beneficiary=UGA")
    assert "Beneficiaries: Uganda" in html, "a service filter is shown, and can be removed"
    ugandan = total(html)
    assert 0 < ugandan < 55
    evaluated = facet_links(html, "status").get("Completed and evaluated")
    assert evaluated is not None and evaluated[1] <= ugandan


@pytest.mark.parametrize(
    ("url", "first"),
    [
        ("/countries?lang=zh", "阿尔巴尼亚"),  # pinyin: a er ba ni ya
        ("/countries?lang=en", "Afghanistan"),
        ("/countries?lang=en&sort=-name", "Zimbabwe"),
        ("/sessions?lang=en", "CDIP/32"),
        ("/sessions?lang=en&sort=number", "CDIP/13"),
        (
            "/recommendations?lang=en&sort=-number",
            "Recommendation 45",
        ),
    ],
)
def test_sorting_by_column(client: TestClient, url: str, first: str) -> None:
    assert first_column(page(client, url))[0] == first


def test_the_sort_links_toggle_direction(client: TestClient) -> None:
    html = page(client, "/countries?lang=en")
    assert 'aria-sort="ascending"' in html
    link = re.search(r'<a href="([^"]+)" class="sort">Country', html)
    assert link and "sort=-name" in link.group(1)
    codes = first_column(page(client, "/countries?lang=en&sort=-code"))
    assert codes[:2] == ["Zimbabwe", "Zambia"]


def test_countries_sort_by_name_in_the_page_language(client: TestClient) -> None:
    names = first_column(page(client, "/countries?lang=en&region=africa"))
    assert names == sorted(names, key=lambda n: n.casefold().replace("ô", "o"))


def test_pages_with_a_total_and_previous_and_next(client: TestClient) -> None:
    first = page(client, "/countries?lang=en")
    assert "1–50" in first and 'rel="prev"' not in first
    second_href = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert second_href
    second = page(client, second_href.group(1).replace("&amp;", "&"))
    assert "51–100" in second and 'rel="prev"' in second
    assert set(first_column(first)).isdisjoint(first_column(second))
    page(client, "/countries?page=99", 422)
    page(client, "/countries?page=99999999999999999999", 422)


def test_the_text_filter(client: TestClient) -> None:
    for query in ("Uganda", "乌干达", "uganda"):
        html = page(client, f"/countries?lang=en&q={query}")
        assert first_column(html) == ["Uganda"], query
    assert first_column(page(client, "/countries?lang=en&q=uga")) == ["Portugal", "Uganda"]
    assert total(page(client, "/projects?lang=en&q=gastronomic")) == 2


@pytest.mark.parametrize("path", LISTS)
def test_every_list_offers_the_three_downloads(client: TestClient, path: str) -> None:
    html = page(client, f"{path}?lang=en")
    for extension in ("csv", "json", "xlsx"):
        assert f'href="{path}.{extension}"' in html
        response = client.get(f"{path}.{extension}")
        assert response.status_code == 200
    assert client.get(f"{path}.pdf").status_code == 404


def test_downloads_hold_exactly_the_filtered_sorted_list(client: TestClient) -> None:
    html = page(client, "/projects?lang=en&status=ongoing&sort=title")
    links = dict(re.findall(r'<a href="(/projects\.(\w+)[^"]*)" download>', html))
    assert set(links.values()) == {"csv", "json", "xlsx"}
    csv_href = next(href for href, ext in links.items() if ext == "csv").replace("&amp;", "&")
    assert dict(parse_qsl(urlsplit(csv_href).query)) == {"status": "ongoing", "sort": "title"}

    rows = list(csv.DictReader(io.StringIO(client.get(csv_href).text)))
    assert len(rows) == 7 and {r["status"] for r in rows} == {"ongoing"}
    titles = [r["title_en"] or r["title_zh"] for r in rows]
    assert titles == sorted(titles, key=str.casefold)

    data = client.get(csv_href.replace(".csv", ".json")).json()
    assert [p["id"] for p in data] == [int(r["id"]) for r in rows]

    response = client.get(csv_href.replace(".csv", ".xlsx"))
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "id" and [row[0] for row in values[1:]] == [p["id"] for p in data]


def test_sessions_list_every_session_with_dates_where_known(client: TestClient) -> None:
    html = page(client, "/sessions?lang=en")
    assert first_column(html) == [f"CDIP/{n}" for n in (32, 31, 30, 29, 28, 20, 13)]
    assert "24 April 2023 – 28 April 2023" in html
    assert "not stated" in html, "an unknown date says so"
    sessions = json.loads(client.get("/sessions.json").text)
    assert len(sessions) == 7


def test_a_mention_is_listed_once_per_paragraph_with_its_count(client: TestClient) -> None:
    html = page(client, "/countries/UGA?lang=en")
    places = re.findall(
        r'href="/reports/2023/zh#(p\d+|fn\d+)"', html.split('id="mentions-heading"')[1]
    )
    assert len(places) == len(set(places))
    assert "3 times" in html


@pytest.mark.parametrize("name", ["Uganda", "乌干达", "uganda", "UG"])
def test_countries_by_name_resolve_to_the_country_page(client: TestClient, name: str) -> None:
    response = client.get(f"/countries/{name}", follow_redirects=False)
    assert response.status_code in (301, 307)
    assert response.headers["location"] == "/countries/UGA"
    assert "乌干达" in page(client, f"/countries/{name}?lang=zh")


def test_an_unknown_country_name_is_the_404_page(client: TestClient) -> None:
    html = page(client, "/countries/Atlantis?lang=zh", 404)
    assert "<h1>未找到</h1>" in html


@pytest.mark.parametrize("url", ["/nonexistent", "/favicon.ico", "/projects/new/edit"])
def test_a_browser_gets_the_site_404_page_in_its_language(client: TestClient, url: str) -> None:
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    client.cookies.clear()  # the language comes from the browser's preference alone
    response = client.get(url, headers={**browser, "accept-language": "en"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    zh = client.get(url, headers={**browser, "accept-language": "zh-CN"})
    assert "<h1>未找到</h1>" in zh.text and 'lang="zh-Hans"' in zh.text
    icon = client.get(url, headers={"accept": "image/avif,image/webp,*/*"})
    assert icon.headers["content-type"].startswith("text/html"), "a browser's image request too"


def test_api_clients_keep_problem_json(client: TestClient) -> None:
    for url, accept in (("/api/nonexistent", "text/html"), ("/nonexistent", "application/json")):
        response = client.get(url, headers={"accept": accept})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("url", ["/projects?lang=xx", "/reports/2023/xx", "/countries?lang=fr"])
def test_an_unknown_language_code_is_a_404(client: TestClient, url: str) -> None:
    page(client, url, 404)


def test_validation_errors_are_in_the_page_language(client: TestClient) -> None:
    zh = page(client, "/projects?status=bogus&lang=zh", 422)
    assert "参数“status”：应为以下值之一" in zh
    assert "<h1>请求有误</h1>" in zh
    en = page(client, "/projects?status=bogus&lang=en", 422)
    assert "Parameter “status”: must be one of" in en
    assert "参数“sort”" in page(client, "/countries?sort=nothing&lang=zh", 422)
    assert "参数“year”：应为整数" in page(client, "/search?q=x&year=abc&lang=zh", 422)


def test_checker_findings_are_labelled_in_the_page_language(client: TestClient) -> None:
    html = page(client, "/reports/2023/zh?lang=zh")
    assert "错误（DA-CNT-006）：同一事物同一年份的数目前后不一" in html
    english = page(client, "/reports/2023/zh?lang=en")
    assert "Error (DA-CNT-006): One count of one thing in one year" in english


@pytest.mark.parametrize("path", [*LISTS, "/", "/projects/1", "/search"])
def test_an_unknown_parameter_is_refused_and_named(client: TestClient, path: str) -> None:
    html = page(client, f"{path}?lang=zh&colour=red", 422)
    assert "参数“colour”：本页面不接受此参数" in html


def test_a_long_unknown_parameter_is_not_copied_into_the_page(client: TestClient) -> None:
    """A 63 KB query string once came back as a 22.9 MB page: every link copied it."""
    probe = "x" * 63_000
    for url in (f"/projects?junk={probe}", f"/search?q=a&kind={probe[:30]}&junk={probe}"):
        response = client.get(url)
        assert response.status_code == 422
        assert len(response.content) < 10_000
        assert probe[:100] not in response.text
    known = client.get(f"/search?q={'a' * 200}&" + "&".join(["kind=project"] * 600))
    assert known.status_code == 422, "a query string beyond 4 KB is refused"
    assert len(known.content) < 10_000


def test_unknown_is_a_facet_value_of_its_own(client: TestClient) -> None:
    html = page(client, "/projects?lang=en")
    not_stated = facet_links(html, "session")["not stated"]
    assert not_stated[1] == 55 - 7, "the 48 projects whose approving session no report states"
    assert total(page(client, not_stated[0])) == 48
    years = facet_links(page(client, "/sessions?lang=en"), "year")
    assert years == {
        "2023": ("/sessions?year=2023", 2),
        "not stated": ("/sessions?year=none", 5),
    }


def test_chinese_names_sort_by_their_pinyin() -> None:
    names = ["墨西哥", "秘鲁", "朝鲜民主主义人民共和国", "巴拿马", "乍得", "阿富汗"]
    ordered = sorted(names, key=lambda n: name_sort_key("zh", n))
    assert ordered == ["阿富汗", "巴拿马", "秘鲁", "朝鲜民主主义人民共和国", "墨西哥", "乍得"]
    assert name_sort_key("en", "Côte d'Ivoire") < name_sort_key("en", "Croatia")
