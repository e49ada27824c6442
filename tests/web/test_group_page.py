"""A group's page lists the places the report names it, linked to the paragraph."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_group_page_lists_its_mentions(client: TestClient) -> None:
    page = client.get("/groups/ASEAN?lang=zh")
    assert page.status_code == 200
    section = re.search(
        r'<section aria-labelledby="mentions-heading">(.*?)</section>', page.text, re.S
    )
    assert section is not None
    items = re.findall(r"<li>(.*?)</li>", section.group(1), re.S)
    # 15 mentions in 9 places: a place is listed once, with how often it names the group.
    assert len(items) == 9
    counts = [
        int(n) for n in re.findall(r'<span class="count">提及(\d+)次</span>', section.group(1))
    ]
    assert len(items) - len(counts) + sum(counts) == 15
    assert any('href="/reports/2023/zh#p7"' in item and "东盟" in item for item in items)


def test_a_name_in_annex_two_links_to_the_annex(client: TestClient) -> None:
    page = client.get("/groups/WAEMU?lang=en")
    assert page.status_code == 200
    assert 'href="/reports/2023/zh#annex-ii"' in page.text
    assert "Annex II row 3" in page.text
