"""The edit forms of the web UI, submitted as a logged-in editor's browser would: each
page stores its change through the services (with the editor in the change log and the
form's source beside the facts), shows a bad value's problem beside its field, and
after someone else saved first shows their change and applies the user's on a second
save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.editing_support import (
    add_accounts,
    form_fields,
    logged_in,
    make_records,
    problem_of,
    project_of,
)

from devagenda.catalogue import services as catalogue
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext

EDITOR = "editor@example.org"


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    add_accounts(context)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def records(context: AppContext) -> dict[str, object]:
    return make_records(context, 1)


@pytest.fixture
def editor(context: AppContext) -> Iterator[TestClient]:
    with logged_in(context, EDITOR) as client:
        yield client


def last_change(context: AppContext, record_type: str, key: str) -> ChangeEntry:
    with context.sessions() as session:
        entry = session.scalars(
            select(ChangeEntry)
            .where(ChangeEntry.record_type == record_type, ChangeEntry.record_key == key)
            .order_by(ChangeEntry.id.desc())
        ).first()
        assert entry is not None, f"no change of {record_type} {key}"
        session.expunge(entry)
        return entry


def open_form(client: TestClient, path: str, action: str | None = None) -> dict[str, str]:
    page = client.get(path, params={"lang": "en"})
    assert page.status_code == 200, page.text[:500]
    assert page.headers["cache-control"] == "no-store"
    return form_fields(page.text, action or path)


def test_a_project_edit_is_stored_with_its_source_and_author(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    project_id = records["project"]
    path = f"/projects/{project_id}/edit"
    before = project_of(context, project_id)
    form = open_form(editor, path)
    assert form["titles_en"] == "Project 1 under test" and form["version"] == str(before.version)
    form.update(
        budget_chf="250000",
        beneficiaries="KEN, UGA",
        start_date="2021-03-01",
        start_precision="month",
        source=str(records["symbol"]),
        message="from the session's report",
    )
    saved = editor.post(path, data=form)
    assert saved.status_code == 303 and saved.headers["location"] == f"/projects/{project_id}"
    after = project_of(context, project_id)
    assert after.budget_chf == 250000
    assert [b.key for b in after.beneficiaries] == ["KEN", "UGA"]
    assert (after.start_date.isoformat(), after.start_precision.value) == ("2021-03-01", "month")
    assert after.fact_sources["start_date"].source == records["symbol"]
    assert all(b.source and b.source.source == records["symbol"] for b in after.beneficiaries)
    # The title was not touched: it keeps the source it had.
    assert after.titles == before.titles
    budget = last_change(context, "project_budget", str(project_id))
    assert (budget.actor, budget.role, budget.message) == (
        EDITOR,
        "editor",
        "from the session's report",
    )


def test_bad_values_are_shown_beside_their_fields(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    project_id = records["project"]
    path = f"/projects/{project_id}/edit"
    form = open_form(editor, path)
    version = project_of(context, project_id).version
    form.update(end_date="2024-02-30", budget_chf="a lot", source="editor")
    refused = editor.post(path, data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert problem_of(refused.text, "end_date") == "is not a date (year-month-day)"
    assert problem_of(refused.text, "budget_chf") == "is not an amount (at most two decimals)"
    assert "Not saved: 2 problem(s) to fix." in refused.text
    assert 'value="a lot"' in refused.text  # the user's values stay in the form
    assert "Traceback" not in refused.text and '{"' not in refused.text
    # The services' own checks, beside their fields too: an unknown code, no source.
    form.update(end_date="", budget_chf="", proposers="KEN\nXXX", source="")
    refused = editor.post(path, data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "'XXX' is neither" in problem_of(refused.text, "proposers")
    assert "say where the new facts are stated" in problem_of(refused.text, "source")
    assert project_of(context, project_id).version == version  # nothing was written


def test_a_stale_form_shows_the_other_change_and_saving_again_applies_mine(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    project_id = records["project"]
    path = f"/projects/{project_id}/edit"
    mine = open_form(editor, path)
    with logged_in(context, "admin@example.org") as other:
        theirs = open_form(other, path)
        theirs.update(budget_chf="777", source="editor")
        assert other.post(path, data=theirs).status_code == 303
    mine.update(titles_en="A better title", source="editor")
    stale = editor.post(path, data=mine, params={"lang": "en"})
    assert stale.status_code == 409
    assert "Changed by someone else since you opened this form." in stale.text
    assert f'href="/projects/{project_id}/history"' in stale.text
    row = stale.text.split("Budget (CHF)</th>")[1].split("</tr>")[0]
    assert '<td class="conflict-stored">777</td>' in row and "not changed by you" in row
    again = form_fields(stale.text, path)
    assert again["titles_en"] == "A better title"  # my change is kept
    assert again["budget_chf"] == "777"  # theirs is taken in
    assert again["version"] == str(project_of(context, project_id).version)
    assert editor.post(path, data=again).status_code == 303
    after = project_of(context, project_id)
    assert (after.title_en, after.budget_chf) == ("A better title", 777)


def test_status_statements_are_added_and_removed(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    project_id = records["project"]
    path = f"/projects/{project_id}/statuses"
    form = open_form(editor, path)
    form.update(status="completed", kind="year_end", as_of_year="", source="https://example.org/r")
    refused = editor.post(path, data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "needs the year it is about" in problem_of(refused.text, "as_of_year")
    form = form_fields(refused.text, path)
    form.update(as_of_year="2023")
    assert editor.post(path, data=form).status_code == 303
    project = project_of(context, project_id)
    added = next(s for s in project.status_history if s.source.source == "https://example.org/r")
    assert (added.status.value, added.kind.value, added.as_of_year) == (
        "completed",
        "year_end",
        2023,
    )
    assert project.status.value == "completed"
    assert last_change(context, "project_status_change", str(added.id)).actor == EDITOR
    remove = f"{path}/{added.id}/remove"
    removed = editor.post(remove, data=open_form(editor, path, remove))
    assert removed.status_code == 303
    assert added.id not in [s.id for s in project_of(context, project_id).status_history]


def test_a_new_project_needs_a_title_and_is_created(
    context: AppContext, editor: TestClient
) -> None:
    form = open_form(editor, "/projects/new")
    assert "version" not in form and not any(name.startswith("was.") for name in form)
    form.update(source="editor")
    refused = editor.post("/projects/new", data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "titles_zh" in refused.text.split('class="form-problems"')[1].split("</div>")[0]
    form.update(titles_zh="新的项目", recommendations="10, 12", source="CDIP/31/4")
    created = editor.post("/projects/new", data=form)
    assert created.status_code == 303
    project_id = int(created.headers["location"].rsplit("/", 1)[1])
    project = project_of(context, project_id)
    assert project.title_zh == "新的项目" and project.title_en is None
    assert [r.number for r in project.recommendations] == [10, 12]
    assert project.titles[0].source.source == "CDIP/31/4"
    assert last_change(context, "project", str(project_id)).actor == EDITOR
    page = editor.get(f"/projects/{project_id}", params={"lang": "en"}).text
    assert f'href="/projects/{project_id}/edit"' in page


def test_sessions_are_created_edited_and_deleted(context: AppContext, editor: TestClient) -> None:
    form = open_form(editor, "/sessions/new")
    form.update(number="300", start_date="2030-05-10", end_date="2030-05-01", source="editor")
    refused = editor.post("/sessions/new", data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "before the start date" in problem_of(refused.text, "end_date")
    form.update(end_date="2030-05-14", format="hybrid")
    assert editor.post("/sessions/new", data=form).headers["location"] == "/sessions/300"
    edit = open_form(editor, "/sessions/300/edit")
    assert (edit["start_date"], edit["format"]) == ("2030-05-10", "hybrid")
    edit.update(format="virtual", source="https://example.org/s")
    assert editor.post("/sessions/300/edit", data=edit).status_code == 303
    with context.sessions() as session:
        cdip = catalogue.get_cdip_session(session, 300)
    assert cdip.format.value == "virtual" and cdip.source.source == "https://example.org/s"
    assert last_change(context, "cdip_session", "300").actor == EDITOR
    confirm = open_form(editor, "/sessions/300/delete")
    assert editor.post("/sessions/300/delete", data=confirm).headers["location"] == "/sessions"
    assert editor.get("/sessions/300").status_code == 404


def test_documents_are_created_edited_by_symbol_and_deleted(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    form = open_form(editor, "/documents/new")
    form.update(symbol="not a symbol", source="editor")
    refused = editor.post("/documents/new", data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "is not a document symbol" in problem_of(refused.text, "symbol")
    form.update(symbol=f"cdip/{records['session']}/7", titles_en="Study", source="editor")
    created = editor.post("/documents/new", data=form)
    symbol = f"CDIP/{records['session']}/7"
    assert created.headers["location"] == f"/documents/{symbol}"
    path = f"/documents/{symbol}/edit"
    page = editor.get(path, params={"lang": "en"})
    assert page.status_code == 200
    with context.sessions() as session:
        document = catalogue.get_document(session, symbol)
    edit = form_fields(page.text, f"/documents/{document.id}/edit")
    assert edit["session"] == str(records["session"])
    edit.update(url="ftp://example.org/d")
    refused = editor.post(path, data=edit, params={"lang": "en"})
    assert refused.status_code == 422
    assert problem_of(refused.text, "url") == "is not in the expected form"
    edit.update(url="https://example.org/d", language="fr")
    assert editor.post(path, data=edit).headers["location"] == f"/documents/{symbol}"
    with context.sessions() as session:
        document = catalogue.get_document(session, symbol)
    assert (document.url, document.language) == ("https://example.org/d", "fr")
    assert last_change(context, "document", str(document.id)).actor == EDITOR
    delete = f"/documents/{symbol}/delete"
    page = editor.get(delete, params={"lang": "en"})
    confirm = form_fields(page.text, f"/documents/{document.id}/delete")
    deleted = editor.post(delete, data=confirm)
    assert deleted.headers["location"] == f"/sessions/{records['session']}"
    assert editor.get(f"/documents/{symbol}").status_code == 404


def test_a_recommendation_gets_a_new_wording(context: AppContext, editor: TestClient) -> None:
    path = "/recommendations/7/edit"
    form = open_form(editor, path)
    assert form["texts_en"]
    form.update(texts_en="A new English wording", texts_en_status="unofficial_translation")
    refused = editor.post(path, data=form, params={"lang": "en"})
    assert refused.status_code == 422
    assert "say where the new facts are stated" in problem_of(refused.text, "source")
    form.update(source="editor", message="clearer")
    assert editor.post(path, data=form).headers["location"] == "/recommendations/7"
    with context.sessions() as session:
        recommendation = catalogue.get_recommendation(session, 7)
    english = next(t for t in recommendation.texts if t.language == "en")
    assert (english.text, english.status.value) == (
        "A new English wording",
        "unofficial_translation",
    )
    assert last_change(context, "recommendation_text", "7/en").actor == EDITOR


def test_the_forms_speak_chinese(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    page = editor.get(f"/projects/{records['project']}/edit", params={"lang": "zh"}).text
    assert "英文名称" in page and "保存" in page and "出处" in page


def test_a_refused_delete_says_why_and_a_stale_one_asks_again(
    context: AppContext, editor: TestClient
) -> None:
    records = make_records(context, 2)
    path = f"/sessions/{records['session']}/delete"
    refused = editor.post(path, data=open_form(editor, path), params={"lang": "en"})
    assert refused.status_code == 422
    assert "1 documents and 0 projects refer to CDIP session" in refused.text
    assert editor.get(f"/sessions/{records['session']}").status_code == 200
    path = f"/projects/{records['project']}/delete"
    confirm = open_form(editor, path)
    edit = open_form(editor, f"/projects/{records['project']}/edit")
    edit.update(budget_chf="5", source="editor")
    assert editor.post(f"/projects/{records['project']}/edit", data=edit).status_code == 303
    stale = editor.post(path, data=confirm, params={"lang": "en"})
    assert stale.status_code == 409
    assert "Changed by someone else since you opened this form." in stale.text
    assert editor.post(path, data=form_fields(stale.text, path)).status_code == 303
    assert editor.get(f"/projects/{records['project']}").status_code == 404


def test_outputs_and_the_earlier_phase_through_the_form(
    context: AppContext, records: dict[str, object], editor: TestClient
) -> None:
    """Outputs are one per line, their parts separated by "|"; an output left as it was
    keeps its source, a new one takes the form's; a bad line names the field."""
    earlier = make_records(context, 40)["project"]
    project_id = records["project"]
    path = f"/projects/{project_id}/edit"
    form = open_form(editor, path)
    form.update(
        outputs="study | Study on IP, tourism and culture | en | https://www.wipo.int/s\n"
        "guide | 知识产权指南",
        phase="2",
        predecessor=str(earlier),
        source="https://www.wipo.int/outputs",
    )
    assert editor.post(path, data=form).status_code == 303
    stored = project_of(context, project_id)
    assert [(o.kind.value, o.title, o.language, o.url) for o in stored.outputs] == [
        ("study", "Study on IP, tourism and culture", "en", "https://www.wipo.int/s"),
        ("guide", "知识产权指南", None, None),
    ]
    assert stored.predecessor is not None and stored.predecessor.id == earlier
    shown = open_form(editor, path)
    assert shown["outputs"].splitlines() == [
        "study | Study on IP, tourism and culture | en | https://www.wipo.int/s",
        "guide | 知识产权指南",
    ]
    shown.update(
        outputs=shown["outputs"] + "\ntool | A toolkit", source="https://www.wipo.int/more"
    )
    assert editor.post(path, data=shown).status_code == 303
    again = project_of(context, project_id)
    sources = [o.source.source if o.source else None for o in again.outputs]
    assert sources == ["https://www.wipo.int/outputs"] * 2 + ["https://www.wipo.int/more"]
    bad = open_form(editor, path)
    bad.update(outputs="poem | An ode to patents", source="editor")
    refused = editor.post(path, data=bad, params={"lang": "en"})
    assert refused.status_code == 422
    assert "must be one of 'study', 'guide'" in problem_of(refused.text, "outputs")
    assert len(project_of(context, project_id).outputs) == 3
