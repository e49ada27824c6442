"""/api/changes, the history routes and tabs, and `devagenda changes`, over one database
holding the 2023 report and three logged edits of a project."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from tests.helpers import run_cli as run
from tests.web.support import web_app
from typer.testing import CliRunner

from devagenda.accounts.services import create_token, create_user
from devagenda.catalogue.models import (
    CdipSession,
    Document,
    Project,
    ProjectStatus,
    SessionFormat,
)
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry, change_message
from devagenda.core.context import AppContext

EDITOR = Actor(label="editor@example.org", role=Role.EDITOR, user_id=3)
OTHER = Actor(label='=HYPERLINK("x")', role=Role.EDITOR, user_id=4)
TRANSLATOR = Actor(label="translator@example.org", role=Role.EDITOR, user_id=5)
ADMIN = Actor(label="operator:test", role=Role.ADMIN)
runner = CliRunner()


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.report_url())
    with acting_as(EDITOR), context.transaction() as session:
        project = session.get_one(Project, 1)
        with change_message("status from CDIP/31/4"):
            project.status = ProjectStatus.ONGOING
            project.set_text("en", "<script>alert(1)</script> corrected title")
            session.flush()  # the message goes with what is flushed inside the block
    with acting_as(OTHER), context.transaction() as session:
        session.get_one(CdipSession, 30).format = SessionFormat.VIRTUAL
    with acting_as(TRANSLATOR), context.transaction() as session:
        session.get_one(Document, 1).set_text("en", "Progress report, corrected")
    with acting_as(ADMIN), context.transaction() as session:
        create_user(session, email="reviewer@example.org", role="editor", password="x" * 12)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def as_editor(context: AppContext) -> dict[str, str]:
    """The headers of an editor's API token: editors see who made each change."""
    with acting_as(ADMIN), context.transaction() as session:
        token = create_token(session, "reviewer@example.org").token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def client(context: AppContext) -> Iterator[TestClient]:
    with TestClient(web_app(context)) as test_client:
        yield test_client


def test_the_list_filters_by_user_actor_record_action_and_date(
    client: TestClient, as_editor: dict[str, str]
) -> None:
    everything = client.get("/api/changes", params={"limit": 500}).json()
    # the ingest, the project, its title, the session, the document's title
    assert everything["total"] == 5
    by_user = client.get("/api/changes", params={"user": 3}).json()
    assert {(e["record_type"], e["record_key"]) for e in by_user["items"]} == {
        ("project", "1"),
        ("project_title", "1/en"),
    }
    assert {e["message"] for e in by_user["items"]} == {"status from CDIP/31/4"}
    by_actor = client.get("/api/changes", params={"actor": OTHER.label}, headers=as_editor)
    assert [e["record_type"] for e in by_actor.json()["items"]] == ["cdip_session"]
    record = client.get("/api/changes", params={"record_type": "project", "record": "1"}).json()
    (entry,) = record["items"]
    assert (entry["before"]["status"], entry["after"]["status"]) == ("evaluated", "ongoing")
    assert entry["changed_fields"] == ["status"]
    runs = client.get("/api/changes", params={"action": "run"}).json()
    assert [e["record_type"] for e in runs["items"]] == ["ingest_run"]
    assert client.get("/api/changes", params={"since": "2999-01-01"}).json()["total"] == 0
    assert client.get("/api/changes", params={"until": "2000-01-01"}).json()["total"] == 0
    # the day of the latest entry (the fixture may have run on either side of midnight)
    today = max(entry["changed_at"] for entry in everything["items"])[:10]
    assert client.get("/api/changes", params={"until": today}).json()["total"] == 5


def test_times_in_any_zone_and_the_ends_of_the_calendar(client: TestClient) -> None:
    items = client.get("/api/changes", params={"limit": 500}).json()["items"]
    first = datetime.fromisoformat(items[0]["changed_at"])
    earlier_in_paris = (first - timedelta(minutes=30)).astimezone(timezone(timedelta(hours=1)))
    since = client.get("/api/changes", params={"since": earlier_in_paris.isoformat()}).json()
    assert since["total"] == len(items)
    later = (first + timedelta(hours=2)).astimezone(timezone(timedelta(hours=-5)))
    assert client.get("/api/changes", params={"since": later.isoformat()}).json()["total"] == 0
    for bound in ("9999-12-31", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        assert client.get("/api/changes", params={"until": bound}).status_code == 200
        assert client.get("/api/changes", params={"since": bound}).status_code == 200


def test_pages_follow_the_cursor(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/changes", params=params).json()
        seen.extend(entry["id"] for entry in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and seen == sorted(seen)


def test_who_made_a_change_is_shown_to_editors_only(
    client: TestClient, as_editor: dict[str, str]
) -> None:
    public = client.get("/api/changes", params={"user": 3}).json()["items"]
    assert {entry["actor"] for entry in public} == {"editor #3"}
    assert {entry["request_id"] for entry in public} == {None}
    editors = client.get("/api/changes", params={"user": 3}, headers=as_editor).json()["items"]
    assert {entry["actor"] for entry in editors} == {EDITOR.label}
    detail = client.get(f"/api/changes/{public[0]['id']}").json()
    assert detail["actor"] == "editor #3"
    # Neither a filter nor a search may probe who an address made changes as.
    refused = client.get("/api/changes", params={"actor": EDITOR.label})
    assert refused.status_code == 401
    assert client.get("/api/changes", params={"q": "editor@example.org"}).json()["total"] == 0
    found = client.get("/api/changes", params={"q": "editor@example.org"}, headers=as_editor)
    assert found.json()["total"] == 2


def test_csv_and_json_downloads_with_inert_cells(
    client: TestClient, as_editor: dict[str, str]
) -> None:
    as_json = client.get("/api/changes", params={"format": "json"}, headers=as_editor).json()
    assert len(as_json) == 5
    response = client.get("/api/changes", params={"format": "csv"}, headers=as_editor)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(row["id"]) for row in rows] == [entry["id"] for entry in as_json]
    (other,) = [row for row in rows if row["record_type"] == "cdip_session"]
    assert other["actor"] == "'" + OTHER.label  # a formula stays text
    workbook = load_workbook(
        io.BytesIO(client.get("/api/changes", params={"format": "xlsx"}, headers=as_editor).content)
    )
    sheet = workbook.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    actors = [row[header.index("actor")] for row in sheet.iter_rows(min_row=2)]
    (formula,) = [cell for cell in actors if cell.value == OTHER.label]
    assert formula.data_type == "s"  # stored as text, not as a formula


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "red"},
        {"since": "yesterday"},
        {"action": "explode"},
        {"user": "0"},
        # Numbers are not dates, though pydantic would read them as seconds since 1970.
        {"since": "-82668419897"},
        {"until": "1700000000"},
    ],
)
def test_bad_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/changes", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_one_change_with_its_diff_and_404(client: TestClient) -> None:
    (entry,) = client.get("/api/changes", params={"record_type": "cdip_session"}).json()["items"]
    detail = client.get(f"/api/changes/{entry['id']}").json()
    assert detail["diff"] == [
        {"field": "format", "old": "hybrid", "new": "virtual", "old_text": None, "new_text": None}
    ]
    assert detail["reverted_by"] == []
    assert client.get("/api/changes/999999").status_code == 404


def test_a_projects_history_includes_its_parts(client: TestClient) -> None:
    history = client.get("/api/projects/1/history").json()
    assert [e["record_type"] for e in history["items"]] == ["project", "project_title"]
    assert history["items"][1]["before"]["text"].startswith("Conference on Mobilizing")
    assert client.get("/api/projects/999999/history").status_code == 404
    assert client.get("/api/sessions/30/history").json()["total"] == 1
    assert client.get("/api/recommendations/1/history").json()["total"] == 0
    assert client.get("/api/projects/1/history", params={"bogus": 1}).status_code == 422


def test_the_history_tab_shows_the_diff_in_both_languages(client: TestClient) -> None:
    record = client.get("/projects/1", params={"lang": "en"}).text
    assert 'href="/projects/1/history"' in record
    page = client.get("/projects/1/history", params={"lang": "en"})
    assert page.status_code == 200
    html = page.text
    assert "editor #3" in html and "status from CDIP/31/4" in html
    assert "editor@example.org" not in html  # personal data: for editors only
    assert (
        '<td class="diff-old">Completed and evaluated</td><td class="diff-new">Ongoing</td>' in html
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; corrected title" in html
    assert "<script>alert(1)" not in html
    assert "project title" in html
    assert "history-revert" not in html  # anonymous readers may not revert
    chinese = client.get("/projects/1/history", params={"lang": "zh"}).text
    assert "修改历史" in chinese and "项目标题" in chinese
    assert '<th scope="row">状态 <code>status</code></th>' in chinese  # field names translated
    assert '<th scope="row">Status <code>status</code></th>' in html
    empty = client.get("/recommendations/2/history", params={"lang": "en"}).text
    assert "No change of this record is logged" in empty
    assert client.get("/projects/999999/history").status_code == 404


def test_a_documents_history_by_symbol_and_on_its_page(
    client: TestClient, context: AppContext
) -> None:
    with context.transaction() as session:
        symbol = session.get_one(Document, 1).symbol
    history = client.get(f"/api/documents/{symbol}/history").json()
    (entry,) = history["items"]
    assert (entry["record_type"], entry["parent_key"]) == ("document_title", "1")
    assert entry["after"]["text"] == "Progress report, corrected"
    assert client.get("/api/documents/CDIP/999/9/history").status_code == 404
    page = client.get("/documents/1/history", params={"lang": "en"}).text
    assert "Progress report, corrected" in page and "editor #5" in page
    assert 'href="/documents/1/history"' in client.get(f"/documents/{symbol}").text


def test_cli_lists_shows_and_reverts(context: AppContext) -> None:
    listed = run(context, "changes", "list", "--record-type", "cdip_session", "--json")
    assert listed.exit_code == 0, listed.output
    (entry,) = json.loads(listed.stdout)
    shown = run(context, "changes", "show", str(entry["id"]), "--json")
    assert json.loads(shown.stdout)["diff"] == [
        {"field": "format", "old": "hybrid", "new": "virtual", "old_text": None, "new_text": None}
    ]
    table = run(context, "changes", "show", str(entry["id"]))
    assert "hybrid" in table.stdout and "virtual" in table.stdout
    as_csv = run(context, "changes", "list", "--action", "run", "--csv")
    assert [row["record_type"] for row in csv.DictReader(io.StringIO(as_csv.stdout))] == [
        "ingest_run"
    ]
    reverted = run(context, "changes", "revert", str(entry["id"]), "--message", "undo", "--json")
    assert reverted.exit_code == 0, reverted.output
    (undo,) = json.loads(reverted.stdout)
    assert undo["reverts_id"] == entry["id"] and undo["message"] == "undo"
    assert undo["actor"].startswith("operator:") and undo["role"] == "admin"
    assert undo["request_id"].startswith("cli-")
    with context.transaction() as session:
        assert session.get_one(CdipSession, 30).format is SessionFormat.HYBRID
        assert session.scalar(select(ChangeEntry.reverts_id).where(ChangeEntry.id == undo["id"]))
    again = run(context, "changes", "revert", str(entry["id"]), "--json")
    assert again.exit_code == 7
    problem = json.loads(again.stderr)
    assert problem["error"] == "edit_conflict" and problem["current"]["format"] == "hybrid"
    missing = run(context, "changes", "show", "999999")
    assert missing.exit_code == 2 and "no change 999999" in missing.stderr
