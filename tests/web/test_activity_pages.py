"""The activities pages: the list with every facet (counts checked against the tables
read with plain SQL), the date range, sorting and exports of exactly the filtered list;
the detail page with the source of each fact and "not stated" for the others; its
History tab; the country page's activities; and editing in the browser's way (a form
POST), by an editor and by the focal point of the activity's country."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.accounts.conftest import ADMIN
from tests.activities.conftest import SEMINAR, WEBINAR, varied_rows, write_csv
from tests.activities.test_activities_api import FACETS, NONE, expected_counts, stored
from tests.web.editing_support import add_accounts, csrf_token, form_fields, logged_in

from devagenda.activities.editing import create_activity, edit_activity
from devagenda.activities.schemas import ActivityCreate, ActivityEdit
from devagenda.activities.services import import_activities
from devagenda.api import create_app
from devagenda.catalogue.editing import create_project
from devagenda.catalogue.schemas import ProjectCreate, TextIn
from devagenda.core.actor import acting_as
from devagenda.core.context import AppContext

PROJECT = "DA_16_20_01"


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:
        add_accounts(context)
        with acting_as(ADMIN), context.transaction() as session:
            project = ProjectCreate(
                titles={"en": TextIn(text="IP and the Public Domain")},
                code=PROJECT,
                source="editor",
            )
            create_project(session, project)
        rows = [*varied_rows(project=PROJECT), SEMINAR, {**WEBINAR, "projects": PROJECT}]
        path = write_csv(tmp_path_factory.mktemp("activities") / "pages.csv", rows)
        with acting_as(ADMIN), context.transaction() as session:
            import_activities(session, [path])
        yield context


@pytest.fixture(scope="module")
def client(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context)) as test_client:
        yield test_client


def _sql(context: AppContext, sql: str, **params: Any) -> list[Any]:
    with context.engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def _id_of(context: AppContext, code: str) -> int:
    return int(_sql(context, "SELECT id FROM activity WHERE code = :code", code=code)[0][0])


def _page(client: TestClient, path: str, **params: str) -> str:
    response = client.get(path, params={"lang": "en", **params})
    assert response.status_code == 200, response.text[:500]
    return response.text


def facet_counts(page: str) -> dict[str, dict[str, int]]:
    """Each facet panel's values and counts, read from the page's links as a browser
    follows them (a selected value's link removes it: its value is the one chosen)."""
    found: dict[str, dict[str, int]] = {}
    for section in page.split('<section class="facet" aria-labelledby="facet-')[1:]:
        name = section.split('"', 1)[0]
        body = section.split("</section>", 1)[0]
        values: dict[str, int] = {}
        for href, label, count in re.findall(
            r'<a href="([^"]+)"[^>]*>(.*?)</a>\s*<span class="count">(\d+)</span>', body, re.S
        ):
            query = parse_qs(urlsplit(html.unescape(href)).query)
            selected = "aria-current" in label or name not in query
            values["(selected)" if selected else query[name][0]] = int(count)
        found[name] = values
    return found


def _total(page: str) -> int:
    found = re.search(r'<p id="list-total" role="status">(\d+) in all', page)
    return int(found.group(1)) if found else 0


def test_the_list_page_counts_every_facet_as_the_tables_do(
    client: TestClient, context: AppContext
) -> None:
    rows = stored(context)
    page = _page(client, "/activities")
    assert _total(page) == len(rows) == 26
    counts = facet_counts(page)
    assert set(counts) == set(FACETS)
    for facet in FACETS:
        assert counts[facet] == expected_counts(rows, facet), facet


@pytest.mark.parametrize(
    ("facet", "value"),
    [
        ("year", NONE),
        ("country", "KEN"),
        ("region", "asia_pacific"),
        ("country_group", "ldc"),
        ("type", "seminar"),
        ("subject_area", NONE),
        ("project", "1"),
    ],
)
def test_a_facet_filter_and_the_other_facets_over_its_rows(
    client: TestClient, context: AppContext, facet: str, value: str
) -> None:
    rows = stored(context)
    chosen = {i: v for i, v in rows.items() if value in v[facet]}
    assert chosen
    page = _page(client, "/activities", **{facet: value})
    assert _total(page) == len(chosen)
    shown = {int(i) for i in re.findall(r'<th scope="row"><a href="/activities/(\d+)"', page)}
    assert shown == set(chosen)
    counts = facet_counts(page)
    for other in FACETS:
        expected = expected_counts(rows if other == facet else chosen, other)
        if other == facet:  # the chosen value's link removes the filter
            expected["(selected)"] = expected.pop(value)
        assert counts[other] == expected, other


def test_not_stated_is_shown_as_such_with_its_count(
    client: TestClient, context: AppContext
) -> None:
    page = _page(client, "/activities")
    unstated = _sql(context, "SELECT count(*) FROM activity WHERE sector_code IS NULL")[0][0]
    assert unstated > 0
    sector = page.split('aria-labelledby="facet-sector"', 1)[1].split("</section>", 1)[0]
    link = re.search(r'<a href="([^"]*sector=none[^"]*)"[^>]*>\s*(.*?)\s*</a>', sector, re.S)
    assert link and link.group(2) == "not stated"
    assert facet_counts(page)["sector"][NONE] == unstated
    chosen = _page(client, "/activities", sector="none")
    assert _total(chosen) == unstated
    assert "Sector: not stated" in chosen


def test_the_date_range_keeps_the_overlapping_activities(
    client: TestClient, context: AppContext
) -> None:
    spans = _sql(context, "SELECT id, start_date, end_date FROM activity")
    since, until = "2022-03-11", "2022-12-31"
    expected = {
        i for i, start, end in spans if start and str(end or start) >= since and str(start) <= until
    }
    assert expected
    page = _page(client, "/activities", since=since, until=until)
    assert _total(page) == len(expected)
    assert f'name="since" value="{since}"' in page and f'name="until" value="{until}"' in page
    assert "Ending on or after: 2022-03-11" in page
    assert 'class="facet"' in page and facet_counts(page)["year"] == {"2022": len(expected)}


def test_sorting_by_participants_puts_the_unstated_last(
    client: TestClient, context: AppContext
) -> None:
    order = [
        i
        for i, _ in sorted(
            _sql(context, "SELECT id, participants FROM activity"),
            key=lambda row: (row[1] is None, -(row[1] or 0), row[0]),
        )
    ]
    response = client.get("/activities.json", params={"sort": "-participants"})
    assert [item["id"] for item in response.json()] == order
    page = _page(client, "/activities", sort="-participants")
    assert 'aria-sort="descending"' in page


@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_an_export_holds_exactly_the_filtered_rows(
    client: TestClient, context: AppContext, extension: str
) -> None:
    rows = stored(context)
    wanted = {i for i, v in rows.items() if "africa" in v["region"] and "2022" in v["year"]}
    assert wanted
    page = _page(client, "/activities", region="africa", year="2022", sort="title")
    href = re.search(rf'<a href="(/activities\.{extension}[^"]*)" download>', page)
    assert href
    response = client.get(html.unescape(href.group(1)))
    assert response.status_code == 200
    if extension == "csv":
        ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(response.text))]
    elif extension == "json":
        ids = [item["id"] for item in json.loads(response.text)]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        header = [cell.value for cell in sheet[1]]
        ids = [row[header.index("id")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(ids) == wanted and len(ids) == len(wanted)
    shown = [int(i) for i in re.findall(r'<th scope="row"><a href="/activities/(\d+)"', page)]
    assert ids == shown, "the file is the list as the page orders it"


def test_the_chinese_page_reads_in_chinese(client: TestClient) -> None:
    page = client.get("/activities", params={"lang": "zh", "type": "seminar"}).text
    assert "<h1>技术援助活动（IP-TAD）</h1>" in page
    assert "活动类型: 研讨会" in page
    assert '<h3 id="facet-country_group">国家组别</h3>' in page
    assert "专利信息国家研讨会" in page


def test_the_detail_page_gives_every_fact_with_its_source(
    client: TestClient, context: AppContext
) -> None:
    seminar = _page(client, f"/activities/{_id_of(context, 'TAD-1')}")
    for fact in (
        "National Seminar on Patent Information",
        "Colombo",
        "45 (21 women, 24 men)",
        "Division for Asia and the Pacific",
        "FIT Japan IP Global",
        "University of Colombo, Faculty of Law",
        "Maldives",
        'href="/recommendations/10"',
        'href="/countries/LKA"',
    ):
        assert fact in seminar, fact
    sources = seminar.count('href="https://www.wipo.int/tad/en/activitydetails.jsp?id=1"')
    # code, type, 2 areas, 2 dates, mode, city, host, 2 languages, 3 participant counts,
    # unit, sector, funding, 2 partners, 2 beneficiaries, 2 recommendations, 2 titles
    assert sources == 25
    webinar = _page(client, f"/activities/{_id_of(context, 'TAD-2')}")
    assert '120 <span class="aside">(gender split not stated)</span>' in webinar
    assert "IP and the Public Domain" in webinar, "the project it is part of"
    venue = webinar.split("<dt>Venue city</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not stated in the loaded sources." in venue
    assert 'href="/groups/AFRICAN_GROUP"' in webinar
    assert client.get("/activities/999999", params={"lang": "en"}).status_code == 404


def test_the_history_tab_lists_the_edits(client: TestClient, context: AppContext) -> None:
    activity_id = _id_of(context, "V-03")
    with acting_as(ADMIN), context.transaction() as session:
        edit_activity(
            session,
            activity_id,
            ActivityEdit(venue_city="Mombasa", source="editor", message="city from the report"),
            None,
        )
    page = _page(client, f"/activities/{activity_id}/history")
    assert "Mombasa" in page and "city from the report" in page
    assert f'href="/activities/{activity_id}"' in page


def test_the_country_page_shows_the_activities_held_there(
    client: TestClient, context: AppContext
) -> None:
    rows = stored(context)
    kenya = {i: v for i, v in rows.items() if "KEN" in v["country"]}
    page = _page(client, "/countries/KEN")
    assert f"{len(kenya)} activities (this country as host or beneficiary)." in page
    assert 'href="/activities?country=KEN"' in page
    for year, count in expected_counts(kenya, "year").items():
        assert f'href="/activities?country=KEN&amp;year={year}">{count}</a>' in page, year
    group = _page(client, "/groups/AFRICAN_GROUP")
    assert "activities-heading" not in group


def _kenyan_activity(context: AppContext, title: str) -> int:
    with acting_as(ADMIN), context.transaction() as session:
        created = create_activity(
            session,
            ActivityCreate(titles={"en": TextIn(text=title)}, host_country="KEN", source="editor"),
        )
    return created.id


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("editor@example.org", True), ("focal@example.org", True), ("reader@example.org", False)],
)
def test_editing_an_activity_in_the_browser(context: AppContext, email: str, allowed: bool) -> None:
    """A focal point for Kenya edits a Kenyan activity as an editor does, and is refused
    one held for Uganda too; a reader edits nothing."""
    kenyan = _kenyan_activity(context, f"Kenyan activity for {email}")
    shared = _id_of(context, "V-07")  # Kenya hosts it, for Uganda and Peru
    assert stored(context)[shared]["country"] == {"KEN", "UGA", "PER"}
    with logged_in(context, email) as browser:
        record = browser.get(f"/activities/{kenyan}", params={"lang": "en"}).text
        assert (f'href="/activities/{kenyan}/edit"' in record) is allowed
        form = browser.get(f"/activities/{kenyan}/edit", params={"lang": "en"})
        assert form.status_code == (200 if allowed else 403)
        if allowed:
            fields = form_fields(form.text, f"/activities/{kenyan}/edit")
            fields.update(venue_city="Nairobi", participants="30", source="editor")
            saved = browser.post(f"/activities/{kenyan}/edit", data=fields)
            assert saved.status_code == 303, saved.text[:2000]
            assert saved.headers["location"] == f"/activities/{kenyan}"
        token = csrf_token(browser)
        other = browser.post(
            f"/activities/{shared}/edit",
            data={"csrf_token": token, "venue_city": "Elsewhere", "source": "editor"},
        )
        assert other.status_code == (303 if email == "editor@example.org" else 403)
    city, participants = _sql(
        context, "SELECT venue_city, participants FROM activity WHERE id = :id", id=kenyan
    )[0]
    assert (city, participants) == (("Nairobi", 30) if allowed else (None, None))


def test_a_bad_edit_names_its_field_and_stores_nothing(context: AppContext) -> None:
    kenyan = _kenyan_activity(context, "Kenyan activity with a bad edit")
    with logged_in(context, "editor@example.org") as browser:
        fields = form_fields(
            browser.get(f"/activities/{kenyan}/edit", params={"lang": "en"}).text,
            f"/activities/{kenyan}/edit",
        )
        fields.update(
            participants="10", participants_women="8", participants_men="7", source="editor"
        )
        refused = browser.post(f"/activities/{kenyan}/edit", data=fields)
        assert refused.status_code == 422
        assert 'id="problem-participants"' in refused.text
        assert "8 women and 7 men are more than 10 participants" in refused.text
    assert _sql(context, "SELECT participants FROM activity WHERE id = :id", id=kenyan) == [(None,)]


def test_the_new_activity_form_creates_one(context: AppContext, tmp_path: Path) -> None:
    with logged_in(context, "focal@example.org") as browser:
        form = browser.get("/activities/new", params={"lang": "en"})
        assert form.status_code == 200
        fields = form_fields(form.text, "/activities/new")
        fields.update(
            titles_en="Roving seminar in Kisumu",
            host_country="KEN",
            partners="Kenya Copyright Board\nUniversity of Nairobi, School of Law",
            source="editor",
        )
        created = browser.post("/activities/new", data=fields)
        assert created.status_code == 303, created.text[:1000]
        page = browser.get(created.headers["location"], params={"lang": "en"}).text
    assert "Roving seminar in Kisumu" in page
    assert "University of Nairobi, School of Law" in page, "a partner's comma is kept"
