"""The roster's pages: the list with its facets and downloads, and a consultant's page,
each with personal data only for editors and administrators, in both languages."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.roster.conftest import ACCOUNTS, PERSONAL_ROLES, ROLES
from tests.web.editing_support import logged_in

from devagenda.core.context import AppContext


def first_id(roster: AppContext, where: str) -> int:
    with roster.engine.connect() as connection:
        return connection.execute(text(f"SELECT min(id) FROM consultant WHERE {where}")).scalar()


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_show_personal_data_to_editors_only(roster: AppContext, role: str) -> None:
    """Logged in with each role's account (the pages read the session, not tokens)."""
    email = next((e for e, (r, _) in ACCOUNTS.items() if r == role), None)
    with logged_in(roster, email) as browser:
        check_pages(browser, roster, role)


def check_pages(api: TestClient, roster: AppContext, role: str) -> None:
    who: dict[str, str] = {}
    personal = role in PERSONAL_ROLES
    listing = api.get("/consultants?lang=en", headers=who)
    assert listing.status_code == 200, listing.text
    assert "Roster of consultants" in listing.text
    assert ("expert1@example.org" in listing.text) is False  # contacts are detail only
    assert ('href="/consultants?gender=' in listing.text.replace("amp;", "")) is personal
    rows = list(csv.DictReader(io.StringIO(api.get("/consultants.csv", headers=who).text)))
    assert rows and (("gender" in rows[0]) is personal) and (("email" in rows[0]) is personal)
    consultant = first_id(roster, "email = 'expert1@example.org'")
    page = api.get(f"/consultants/{consultant}?lang=zh", headers=who)
    assert page.status_code == 200
    assert ("expert1@example.org" in page.text) is personal
    assert ("个人数据（仅编辑可见）" in page.text) is personal
    filtered = api.get("/consultants?gender=female", headers=who, follow_redirects=False)
    expected = 200 if personal else 303 if role == "anonymous" else 403
    assert filtered.status_code == expected


def test_the_page_filters_by_field_and_country_and_fuzzy_name(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    page = api.get("/consultants?name=wang+xiao+ming&lang=en", headers=headers["anonymous"])
    assert page.status_code == 200 and "王小明" in page.text
    ranked = api.get("/consultants.csv?name=Ivan+Petrv", headers=headers["anonymous"]).text
    names = [row["name_latin"] for row in csv.DictReader(io.StringIO(ranked))]
    assert names[0] == "Ivan Petrov"  # ranked by likeness, a sort no one asked for
    nobody = api.get("/consultants?name=Xylophone+Quux&lang=en", headers=headers["anonymous"])
    assert nobody.status_code == 200 and "Nothing matches." in nobody.text
    rows = list(
        csv.DictReader(
            io.StringIO(
                api.get(
                    "/consultants.csv?ip_field=patents&beneficiary_country=KEN",
                    headers=headers["anonymous"],
                ).text
            )
        )
    )
    api_rows = api.get(
        "/api/consultants",
        params={"ip_field": "patents", "beneficiary_country": "KEN", "limit": 500},
    ).json()
    assert {int(r["id"]) for r in rows} == {i["id"] for i in api_rows["items"]}
    assert rows and all(
        "patents" in r["ip_fields"] and "KEN" in r["beneficiary_countries"] for r in rows
    )


def test_a_country_page_counts_the_consultants_assigned_there(roster: AppContext) -> None:
    from devagenda.api.app import create_app

    with roster.engine.connect() as connection:
        alpha3, assigned = connection.execute(
            text(
                "SELECT ac.country_alpha3, count(DISTINCT a.consultant_id)"
                " FROM assignment_country ac JOIN assignment a ON a.id = ac.assignment_id"
                " JOIN consultant c ON c.id = a.consultant_id WHERE NOT c.demo"
                " GROUP BY ac.country_alpha3 ORDER BY 2 DESC, 1 LIMIT 1"
            )
        ).one()
        activity, named = connection.execute(
            text(
                "SELECT a.activity_id, c.name_latin FROM assignment a"
                " JOIN consultant c ON c.id = a.consultant_id"
                " WHERE a.activity_id IS NOT NULL ORDER BY a.id LIMIT 1"
            )
        ).one()
    with TestClient(create_app(roster), base_url="http://127.0.0.1") as api:
        page = api.get(f"/countries/{alpha3}", params={"lang": "en"}).text
        listed = api.get("/consultants.json", params={"beneficiary_country": alpha3}).json()
        activity_page = api.get(f"/activities/{activity}", params={"lang": "en"}).text
    total = re.search(r'id="country-consultants-total">(\d+) consultants', page)
    assert total and int(total.group(1)) == assigned
    assert f'href="/consultants?beneficiary_country={alpha3}"' in page
    assert len(listed) == assigned
    assert 'id="activity-consultants"' in activity_page and named in activity_page
