"""The search page: its syntax help, translated facet labels, titles in the page's
language, notices and suggestions; and the API's `lang` and notices."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.support import web_app

from devagenda.core.context import AppContext


@pytest.fixture(scope="module")
def client(report: AppContext) -> Iterator[TestClient]:
    with TestClient(web_app(report)) as test_client:
        yield test_client


def page(client: TestClient, path: str, language: str) -> str:
    response = client.get(path, params={"lang": language} if "?" not in path else None)
    assert response.status_code == 200, response.text
    return response.text


def facet_labels(html: str) -> list[str]:
    facets = "".join(re.findall(r'<section class="facet".*?</section>', html, re.S))
    return [
        label.strip()
        for label in re.findall(r"<a href=[^>]*>\s*(?:<[^>]+>[^<]*</[^>]+>)*([^<]+)</a>", facets)
    ]


@pytest.mark.parametrize(
    ("language", "immediate", "group"),
    [("zh", "须立即落实", "集团"), ("en", "For immediate implementation", "Group")],
)
def test_facet_values_are_labelled_in_the_page_language(
    client: TestClient, language: str, immediate: str, group: str
) -> None:
    client.cookies.clear()
    html = page(client, f"/search?lang={language}", language)
    labels = facet_labels(html)
    assert immediate in labels and group in labels
    for raw in ("immediate", "group", "evaluated", "ldc", "zh", "RND"):
        assert raw not in labels


def test_the_page_documents_its_syntax_and_explains_what_it_cannot_read(
    client: TestClient,
) -> None:
    html = page(client, "/search?lang=en", "en")
    assert "How to search" in html and "<code>wom*</code>" in html
    assert "<code>women OR men</code>" in html and "<code>-women</code>" in html
    unclosed = page(client, "/search?lang=en&q=%22women", "en")
    assert "A quotation mark was not closed" in unclosed
    chinese = page(client, "/search?lang=zh&q=%22women", "zh")
    assert "引号未闭合" in chinese


def test_nothing_found_offers_queries_that_find_something(client: TestClient) -> None:
    html = page(client, "/search?lang=en&q=women+gastronomy", "en")
    assert "Nothing found." in html
    suggestion = re.search(r'<ul class="suggestions">\s*<li><a href="([^"]+)">([^<]+)</a>', html)
    assert suggestion is not None and "women OR gastronomy" in suggestion.group(2)
    followed = client.get(suggestion.group(1).replace("&amp;", "&"))
    assert 'class="hit"' in followed.text
    filtered = page(client, "/search?lang=en&q=gastronomy&year=1999", "en")
    assert "Without the filters" in filtered and "remove all filters" in filtered


def test_hits_are_titled_in_the_page_language(client: TestClient) -> None:
    english = page(client, "/search?lang=en&q=乌干达&kind=country", "en")
    assert re.search(r'<h3 class="hit-title"><a href="/countries/UGA"[^>]*>Uganda</a>', english)
    chinese = page(client, "/search?lang=zh&q=Uganda&kind=country", "zh")
    assert re.search(r'<h3 class="hit-title"><a href="/countries/UGA"[^>]*>乌干达</a>', chinese)


def test_the_api_takes_a_title_language_and_returns_notices(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "乌干达", "kinds": "country", "lang": "en"})
    assert answer.status_code == 200
    body = answer.json()
    assert [(h["title"], h["language"]) for h in body["hits"]] == [("Uganda", "en")]
    noted = client.get("/api/search", params={"q": "women OR"}).json()
    assert [n["code"] for n in noted["notices"]] == ["dangling_or"]
