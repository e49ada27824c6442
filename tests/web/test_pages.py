"""The web pages over the real 2023 report, on SQLite and PostgreSQL: content, both
languages, offline assets, escaping, and the keyboard and screen-reader basics."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from devagenda.catalogue import services as catalogue
from devagenda.core.context import AppContext
from devagenda.web.i18n import CATALOGS, choose_language

LANGUAGES = ("zh", "en")
GASTRONOMY_II = "美食旅游业发展——第二阶段"
FOCUSABLE = {"a", "button", "input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


class Outline(HTMLParser):
    """What the accessibility checks need from a page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.h1_count = 0
        self.html_lang: str | None = None
        self.svg_titles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append(Element(tag, values))
        if tag == "h1":
            self.h1_count += 1
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag == "title" and self.elements[-2:-1] and self.elements[-2].tag == "svg":
            self.svg_titles += 1

    @classmethod
    def of(cls, html: str) -> Outline:
        outline = cls()
        outline.feed(html)
        return outline

    def focusable(self) -> list[Element]:
        return [element for element in self.elements if _focusable(element)]


def _focusable(element: Element) -> bool:
    attrs = element.attrs
    if attrs.get("tabindex", "-1") != "-1":
        return True
    if element.tag not in FOCUSABLE or attrs.get("type") == "hidden" or "hidden" in attrs:
        return False
    return element.tag != "a" or "href" in attrs


@pytest.fixture(scope="module")
def ids(web_context: AppContext) -> dict[str, int]:
    """Ids of the records the pages are about, found through the services."""
    with web_context.sessions() as session:
        projects = list(catalogue.project_listing(session).all())
        documents = list(catalogue.document_listing(session).all())
    gastronomy = next(p for p in projects if GASTRONOMY_II in (p.title_zh or ""))
    return {"gastronomy": gastronomy.id, "document": documents[0].id}


def page_urls(ids: dict[str, int]) -> list[str]:
    return [
        "/",
        "/recommendations",
        "/recommendations/10",
        "/projects",
        "/projects?status=approved&cluster=A",
        f"/projects/{ids['gastronomy']}",
        "/countries",
        "/countries/TZA",
        "/groups/AFRICAN_GROUP",
        "/sessions",
        "/sessions/30",
        f"/documents/{ids['document']}",
        "/documents/CDIP/31/4",
        "/expected-results/4.1",
        "/sectors/RND",
        "/matrices",
        "/matrices/recommendations-expected-results",
        "/matrices/recommendations-projects",
        "/reports",
        "/reports/2023/zh",
        "/search",
        "/search?q=美食旅游",
        "/search?q=gastronomic&kind=project",
    ]


def get(client: TestClient, url: str, language: str) -> str:
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}lang={language}")
    assert response.status_code == 200, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_both_languages(
    client: TestClient, ids: dict[str, int], language: str
) -> None:
    other = "en" if language == "zh" else "zh"
    for url in page_urls(ids):
        html = get(client, url, language)
        outline = Outline.of(html)
        assert outline.html_lang == ("zh-Hans" if language == "zh" else "en"), url
        switch = [e for e in outline.elements if e.tag == "a" and e.attrs.get("hreflang") == other]
        path = url.split("?")[0]
        assert switch and switch[0].attrs["href"].startswith(path), url
        assert f"lang={other}" in switch[0].attrs["href"]


def test_the_language_switch_keeps_the_query(client: TestClient) -> None:
    html = get(client, "/search?q=美食旅游&kind=project", "zh")
    switch = next(
        e for e in Outline.of(html).elements if e.tag == "a" and e.attrs.get("hreflang") == "en"
    )
    assert "kind=project" in switch.attrs["href"]
    assert "q=%E7%BE%8E%E9%A3%9F%E6%97%85%E6%B8%B8" in switch.attrs["href"]


def test_accessibility_basics_on_every_page(client: TestClient, ids: dict[str, int]) -> None:
    for url in page_urls(ids):
        outline = Outline.of(get(client, url, "en"))
        assert outline.h1_count == 1, url
        first = outline.focusable()[0]
        assert first.tag == "a" and first.attrs.get("href") == "#main", url
        assert any(e.attrs.get("id") == "main" for e in outline.elements if e.tag == "main")
        labelled = {e.attrs.get("for") for e in outline.elements if e.tag == "label"}
        for element in outline.elements:
            if element.tag in ("input", "select", "textarea") and element.attrs.get("type") not in (
                "hidden",
                "submit",
            ):
                assert element.attrs.get("id") in labelled, (url, element)
            if element.tag == "img":
                assert "alt" in element.attrs, (url, element)
            if element.tag == "svg":
                assert element.attrs.get("role") == "img", (url, element)
                assert element.attrs.get("aria-labelledby"), (url, element)
        svgs = sum(1 for e in outline.elements if e.tag == "svg")
        assert outline.svg_titles == svgs, url
        ids = [e.attrs["id"] for e in outline.elements if "id" in e.attrs]
        assert len(ids) == len(set(ids)), (url, sorted(i for i in ids if ids.count(i) > 1))


def test_no_page_loads_assets_from_elsewhere(client: TestClient, ids: dict[str, int]) -> None:
    for url in page_urls(ids):
        for element in Outline.of(get(client, url, "zh")).elements:
            if element.tag in ("link", "script", "img", "source", "iframe"):
                for name in ("src", "href"):
                    assert not re.match(r"(https?:)?//", element.attrs.get(name, "")), (
                        url,
                        element,
                    )
    assert client.get("/static/site.css").status_code == 200
    assert client.get("/static/enhance.js").status_code == 200


def test_the_language_is_remembered_and_negotiated(client: TestClient) -> None:
    fresh = TestClient(client.app)
    english = fresh.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert 'lang="en"' in english.text
    chosen = fresh.get("/?lang=zh", headers={"Accept-Language": "en"})
    assert chosen.cookies.get("lang") == "zh"
    remembered = fresh.get("/projects", headers={"Accept-Language": "en"})
    assert 'lang="zh-Hans"' in remembered.text


def test_choose_language() -> None:
    assert choose_language("en", "zh", "zh-CN") == ("en", True)
    assert choose_language(None, "en", "zh-CN") == ("en", False)
    assert choose_language("fr", None, "fr-FR, en;q=0.8, zh;q=0.9") == ("zh", False)
    assert choose_language(None, None, "de") == ("zh", False)
    assert choose_language(None, None, "en;q=bogus, en-US;q=0.1") == ("en", False)


def test_the_catalogs_have_the_same_keys() -> None:
    assert CATALOGS["zh"].keys() == CATALOGS["en"].keys()


def test_dashboard(client: TestClient) -> None:
    html = get(client, "/", "zh")
    assert html.count('role="img"') == 3
    assert "55个发展议程项目" in html
    assert 'href="/projects?status=evaluated"' in html
    gaps = re.search(r'id="gaps-heading".*?</section>', html, re.S)
    assert gaps is not None
    assert 'href="/recommendations/2"' in gaps.group()
    assert 'href="/recommendations/10"' not in gaps.group()


def test_the_gastronomy_phase_two_project(client: TestClient, ids: dict[str, int]) -> None:
    html = get(client, f"/projects/{ids['gastronomy']}", "en")
    proposers = re.search(r'id="proposers-heading".*?</section>', html, re.S)
    assert proposers is not None
    names = re.findall(r'<a href="/countries/([A-Z]{3})">([^<]+)</a>', proposers.group())
    assert names == [("PER", "Peru"), ("CMR", "Cameroon"), ("MYS", "Malaysia"), ("MAR", "Morocco")]
    assert '<a href="/sessions/30">CDIP/30</a>' in html
    assert 'href="/reports/2023/zh#p19"' in html  # the approval, where the report states it
    assert [int(n) for n in re.findall(r'href="/recommendations/(\d+)"', html)] == [1, 10, 12, 40]
    chinese = get(client, f"/projects/{ids['gastronomy']}", "zh")
    for name in ("秘鲁", "喀麦隆", "马来西亚", "摩洛哥", "CDIP第30届会议"):
        assert name in chinese


def test_recommendation_10_lists_its_projects(client: TestClient, web_context: AppContext) -> None:
    with web_context.sessions() as session:
        implementing = catalogue.get_recommendation(session, 10).projects
    assert len(implementing) >= 6
    html = get(client, "/recommendations/10", "zh")
    for project in implementing:
        assert f'href="/projects/{project.id}"' in html
    assert 'href="/reports/2023/zh#p19"' in html  # "落实发展议程建议4、10、11和45"


def test_tanzania_shows_footnote_6(client: TestClient) -> None:
    html = get(client, "/countries/TZA", "zh")
    assert "坦桑尼亚联合共和国" in html
    assert 'href="/reports/2023/zh#fn6"' in html
    assert "脚注6" in html


def test_the_report_reader(client: TestClient) -> None:
    html = get(client, "/reports/2023/zh", "en")
    row = re.search(r'<div class="reader-row" id="p7">.*?</aside>', html, re.S)
    assert row is not None, "paragraph 7 and its footnotes side by side"
    assert '<li id="fn6">' in row.group()
    assert '<a href="/countries/TZA">坦桑尼亚联合共和国</a>' in row.group()
    assert 'href="#fn6" id="fnref6"' in row.group()
    approvals = re.search(r'id="p19">.*?</div>\s*</div>', html, re.S)
    assert approvals is not None
    assert '<a href="/recommendations/45">45</a>' in approvals.group()
    tisc = re.search(r'id="p70">.*?(?=<div class="reader-row")', html, re.S)
    assert tisc is not None and "DA-CNT-006" in tisc.group(), "the finding is in place"
    assert 'id="annex-i-8"' in html and 'id="annex-ii-project-' in html
    assert '<a class="external" href="https://etisc.wipo.int/"' in html  # printed "etisc…"
    assert '<li id="fn189">' in html  # referenced from Annex I, shown after it
    assert re.search(r"errors [1-9]\d*, warnings \d+, advisories \d+", html)


def test_findings_are_worded_in_the_pages_language(client: TestClient) -> None:
    findings = client.get("/api/reports/2023/zh/findings").json()
    assert len(findings) == 16
    pages = {
        language: html.unescape(get(client, "/reports/2023/zh", language)) for language in LANGUAGES
    }
    for finding in findings:
        assert finding["message_zh"] in pages["zh"] and finding["message"] not in pages["zh"]
        assert finding["message"] in pages["en"] and finding["message_zh"] not in pages["en"]
    notes = re.findall(r'<div class="finding[^"]*" role="note">.*?</div>', pages["zh"], re.S)
    assert len(notes) == 16 and not any('lang="en"' in note for note in notes)


def test_matrix_exports_have_a_row_per_recommendation(client: TestClient) -> None:
    for name in ("recommendations-expected-results", "recommendations-projects"):
        response = client.get(f"/matrices/{name}.csv?lang=en")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 46
        assert rows[0][:4] == ["Recommendation", "Cluster", "For immediate implementation", "Text"]
        assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 46)]
        workbook = load_workbook(io.BytesIO(client.get(f"/matrices/{name}.xlsx").content))
        sheet = workbook.active
        assert sheet is not None and sheet.max_row == 46
    export = client.get("/matrices/recommendations-expected-results.csv?lang=en")
    header, first = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[:2]
    linked = [name.split()[0] for name, value in zip(header[4:], first[4:], strict=True)]
    assert [code for code, value in zip(linked, first[4:], strict=True) if value == "1"] == [
        "2.1",
        "2.4",
        "4.1",
        "4.2",
        "4.3",
        "4.5",
    ]


def test_search_keeps_filters_in_the_url_and_pages_by_cursor(client: TestClient) -> None:
    html = get(client, "/search?q=美食旅游&kind=project", "en")
    hits = re.findall(r'<h3 class="hit-title"><a href="([^"]+)"', html)
    assert len(hits) == 2 and all(href.startswith("/projects/") for href in hits)
    assert "<mark>美食旅游</mark>" in html
    facets = "".join(re.findall(r'<section class="facet".*?</section>', html, re.S))
    facet_links = re.findall(r'<a href="(/search\?[^"]+)"( aria-current="true")?', facets)
    assert len(facet_links) > 3
    for href, selected in facet_links:
        assert ("kind=project" in href) != bool(selected), href  # a selected value removes
    everything = get(client, "/search", "en")
    next_page = re.search(r'<a href="([^"]+)" rel="next"', everything)
    assert next_page is not None and "cursor=" in next_page.group(1)
    second = get(client, next_page.group(1).replace("&amp;", "&"), "en")
    assert "First page" in second


def test_output_is_escaped(client: TestClient) -> None:
    response = client.get("/search", params={"q": '<script>alert("x")</script>', "lang": "en"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text


def test_errors_are_pages(client: TestClient) -> None:
    for url, status in (
        ("/projects/999999", 404),
        ("/projects/abc", 404),
        ("/recommendations/46", 404),
        ("/countries/XXX", 404),
        ("/matrices/nothing.csv", 404),
        ("/projects?status=bogus", 422),
        ("/search?cursor=bogus", 422),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-type"].startswith("text/html"), url
        assert Outline.of(response.text).h1_count == 1


def test_every_project_page(client: TestClient, web_context: AppContext) -> None:
    with web_context.sessions() as session:
        project_ids = [p.id for p in catalogue.project_listing(session).all()]
    assert len(project_ids) == 55
    broken = [i for i in project_ids if client.get(f"/projects/{i}").status_code != 200]
    assert broken == []
