"""The editing services of the catalogue over the 2023 report: every field kind, sources
beside each new fact, every bad field reported at once, status statements, sessions,
documents, recommendation texts, deletes, versions and reverts.

Project 52 is the phase II of project 39, approved at CDIP/30: the report states its
recommendations (1, 10, 12, 40), its proposers (PER, CMR, MYS, MAR) and two titles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from tests.helpers import snapshot

from devagenda.catalogue import editing
from devagenda.catalogue.schemas import (
    DocumentCreate,
    DocumentEdit,
    OutputIn,
    ProjectCreate,
    ProjectEdit,
    RecommendationEdit,
    SessionCreate,
    SessionEdit,
    StatusStatementIn,
    TextIn,
)
from devagenda.catalogue.services import get_cdip_session, get_project, get_recommendation
from devagenda.changes.services import revert
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeAction, ChangeEntry
from devagenda.core.context import AppContext
from devagenda.core.errors import InvalidEdit, NotFoundError, StaleVersion

EDITOR = Actor(label="editor@example.org", role=Role.EDITOR, user_id=7)
PHASE_II = 52  # of project 39
PHASE_I = 39
REPORT_STATED = {"PER", "CMR", "MYS", "MAR"}
T = TypeVar("T")


@pytest.fixture
def context(report_copy: AppContext) -> Iterator[AppContext]:
    with acting_as(EDITOR):
        yield report_copy


def run(context: AppContext, service: Callable[..., T], *args: Any) -> T:
    """One service call in a transaction of its own, as an interface makes it."""
    with context.transaction() as session:
        return service(session, *args)


def project(context: AppContext, project_id: int = PHASE_II) -> dict[str, Any]:
    with context.sessions() as session:
        return get_project(session, project_id).model_dump(mode="json")


def entries(context: AppContext) -> list[ChangeEntry]:
    """The change log, oldest entry first."""
    with context.sessions() as session:
        found = session.scalars(select(ChangeEntry).order_by(ChangeEntry.id)).all()
        session.expunge_all()
        return list(found)


def problems_of(context: AppContext, service: Callable[..., Any], *args: Any) -> dict[str, str]:
    """The problems an edit is refused with; it must write nothing, so log nothing (the
    test of every bad field at once compares every table)."""
    before = entries(context)[-1].id
    with pytest.raises(InvalidEdit) as refused:
        run(context, service, *args)
    assert entries(context)[-1].id == before
    return refused.value.problems


def source_key(provenance: dict[str, Any] | None) -> str | None:
    return None if provenance is None else provenance["source"]


def by_key(actors: list[dict[str, Any]]) -> dict[str, str | None]:
    return {actor["key"]: source_key(actor["source"]) for actor in actors}


# -- projects ---------------------------------------------------------------------------------


def test_an_edit_sets_every_field_kind_with_its_source(context: AppContext) -> None:
    old = project(context)
    edit = ProjectEdit(
        code="DA_1_10_12_40_01",
        approved_session=31,
        sector="IES",
        start_date=date(2023, 5, 1),
        end_date=date(2025, 4, 30),
        end_precision="month",
        titles={"fr": TextIn(text="Tourisme gastronomique", status="unofficial_translation")},
        recommendations=[1, 10, 12, 40],
        proposers=["PER", "KEN", "AFRICAN_GROUP"],
        beneficiaries=["UGA"],
        budget_chf=Decimal("123456.50"),
        outputs=[OutputIn(kind="study", title="A study", language="en")],
        documents=["cdip/30/11"],
        source="CDIP/31/4",
        message="from the progress report",
    )
    new = run(context, editing.edit_project, PHASE_II, edit, old["version"]).model_dump(mode="json")
    assert new == project(context)
    assert (new["code"], new["approved_session"]["number"], new["sector"]["code"]) == (
        "DA_1_10_12_40_01",
        31,
        "IES",
    )
    assert (new["start_date"], new["start_precision"]) == ("2023-05-01", "day")
    assert (new["end_date"], new["end_precision"]) == ("2025-04-30", "month")
    assert new["budget_chf"] == "123456.50"
    assert [(o["title"], source_key(o["source"])) for o in new["outputs"]] == [
        ("A study", "CDIP/31/4")
    ]
    assert [d["symbol"] for d in new["documents"]] == ["CDIP/30/11"]
    assert by_key(new["beneficiaries"]) == {"UGA": "CDIP/31/4"}
    for fact in ("code", "approved_session", "sector", "start_date", "end_date", "budget_chf"):
        assert source_key(new["fact_sources"].get(fact)) == "CDIP/31/4", fact
    # The titles in the languages it leaves out, and the list items that stay, keep theirs.
    titles = {t["language"]: (t["text"], source_key(t["source"])) for t in new["titles"]}
    assert titles["fr"] == ("Tourisme gastronomique", "CDIP/31/4")
    old_titles = {t["language"]: (t["text"], source_key(t["source"])) for t in old["titles"]}
    assert {language: titles[language] for language in old_titles} == old_titles
    old_proposers = by_key(old["proposers"])
    assert [p["key"] for p in new["proposers"]] == ["PER", "KEN", "AFRICAN_GROUP"]
    assert by_key(new["proposers"]) == {
        "PER": old_proposers["PER"],
        "KEN": "CDIP/31/4",
        "AFRICAN_GROUP": "CDIP/31/4",
    }
    assert old_proposers["PER"] != "CDIP/31/4"
    assert [r["source"] for r in new["recommendations"]] == [
        r["source"] for r in old["recommendations"]
    ]
    # One edit is one change of the project's version, whatever it touches.
    assert new["version"] == old["version"] + 1
    logged = [e for e in entries(context) if e.message == "from the progress report"]
    assert logged and {e.actor for e in logged} == {EDITOR.label}
    assert {e.user_id for e in logged} == {EDITOR.user_id}


def test_a_left_out_field_stays_with_its_source_and_null_clears(context: AppContext) -> None:
    first = ProjectEdit(sector="IES", end_date=date(2025, 1, 31), budget_chf=1000, source="editor")
    run(context, editing.edit_project, PHASE_II, first, None)
    second = ProjectEdit(start_date=date(2023, 6, 1), source="https://www.wipo.int/cdip/")
    after = run(context, editing.edit_project, PHASE_II, second, None).model_dump(mode="json")
    assert after["sector"]["code"] == "IES" and after["end_date"] == "2025-01-31"
    assert source_key(after["fact_sources"]["sector"]) == "editor's knowledge"
    assert source_key(after["fact_sources"]["start_date"]) == "https://www.wipo.int/cdip/"
    cleared = run(
        context,
        editing.edit_project,
        PHASE_II,
        ProjectEdit(sector=None, end_date=None, budget_chf=None, proposers=None, source="editor"),
        None,
    ).model_dump(mode="json")
    assert cleared["sector"] is None and cleared["end_date"] is None
    assert cleared["end_precision"] is None and cleared["budget_chf"] is None
    assert cleared["proposers"] == []
    assert {"sector", "end_date", "budget_chf"}.isdisjoint(cleared["fact_sources"])
    assert cleared["start_date"] == "2023-06-01"
    assert source_key(cleared["fact_sources"]["start_date"]) == "https://www.wipo.int/cdip/"


@pytest.mark.parametrize(
    ("given", "key", "kind"),
    [
        ("cdip/31/4", "CDIP/31/4", None),
        ("https://www.wipo.int/edocs/x.pdf", "https://www.wipo.int/edocs/x.pdf", None),
        ("editor", "editor's knowledge", "editor"),
    ],
)
def test_the_new_facts_are_stated_by_the_edits_source(
    context: AppContext, given: str, key: str, kind: str | None
) -> None:
    edit = ProjectEdit(sector="RND", beneficiaries=["KEN"], source=given)
    after = run(context, editing.edit_project, PHASE_II, edit, None).model_dump(mode="json")
    assert source_key(after["fact_sources"]["sector"]) == key
    assert by_key(after["beneficiaries"]) == {"KEN": key}
    if kind is not None:
        assert after["fact_sources"]["sector"]["source_kind"] == kind


def test_every_bad_field_is_reported_at_once_with_its_name(context: AppContext) -> None:
    edit = ProjectEdit(
        sector="NOPE",
        start_date=date(2024, 1, 1),
        end_date=date(2023, 1, 1),
        proposers=["XXX", "KEN", "KEN"],
        beneficiaries=["NO_SUCH_GROUP"],
        recommendations=[1, 10, 12, 40, 40],
        approved_session=999,
        documents=["CDIP/99/99"],
        predecessor=9999,
    )
    before = snapshot(context)
    found = problems_of(context, editing.edit_project, PHASE_II, edit, None)
    assert snapshot(context) == before
    assert set(found) == {
        "source",
        "sector",
        "end_date",
        "proposers[0]",
        "proposers[2]",
        "beneficiaries[0]",
        "recommendations",
        "approved_session",
        "documents[0]",
        "predecessor",
    }
    assert "NOPE" in found["sector"] and "XXX" in found["proposers[0]"]
    assert "twice" in found["proposers[2]"] and "twice" in found["recommendations"]
    assert "CDIP/99/99" in found["documents[0]"] and "9999" in found["predecessor"]


def test_a_code_must_agree_with_the_recommendations(context: AppContext) -> None:
    found = problems_of(
        context, editing.edit_project, PHASE_II, ProjectEdit(code="DA_1_2", source="editor"), None
    )
    assert set(found) == {"code"} and "1, 10, 12, 40" in found["code"]
    both = ProjectEdit(code="DA_1_2", recommendations=[1, 10], source="editor")
    found = problems_of(context, editing.edit_project, PHASE_II, both, None)
    assert set(found) == {"recommendations"}
    agreed = ProjectEdit(code="DA_1_2", recommendations=[1, 2], source="editor")
    after = run(context, editing.edit_project, PHASE_II, agreed, None)
    assert [r.number for r in after.recommendations] == [1, 2]


def test_a_phase_ii_needs_an_earlier_phase(context: AppContext) -> None:
    edit = ProjectEdit(predecessor=PHASE_II, source="editor")
    assert set(problems_of(context, editing.edit_project, PHASE_I, edit, None)) == {"predecessor"}


def test_a_new_project_needs_a_source_and_takes_its_codes_recommendations(
    context: AppContext,
) -> None:
    titles = {"en": TextIn(text="A new project")}
    refused = ProjectCreate(titles=titles, code="da 2 5 01", source="somewhere")
    assert set(problems_of(context, editing.create_project, refused)) == {"source"}
    created = run(
        context,
        editing.create_project,
        ProjectCreate(titles=titles, code="da 2 5 01", documents=["CDIP/31/4"], source="editor"),
    )
    assert (created.code, created.status.value, created.version) == ("DA_2_5_01", "proposed", 1)
    assert [d.symbol for d in created.documents] == ["CDIP/31/4"]
    assert [r.number for r in created.recommendations] == [2, 5]
    assert created.model_dump(mode="json") == project(context, created.id)


# -- status statements ------------------------------------------------------------------------


def test_a_status_statement_with_its_date_and_source_moves_the_stage(context: AppContext) -> None:
    before = project(context)
    assert before["status"] == "approved"
    started = StatusStatementIn(status="ongoing", date=date(2023, 9, 1), source="CDIP/31/4")
    after = run(context, editing.add_status, PHASE_II, started, before["version"])
    assert after.status.value == "ongoing" and after.version == before["version"] + 1
    added = [s for s in after.status_history if s.status.value == "ongoing"]
    assert len(added) == 1 and added[0].date == date(2023, 9, 1)
    assert added[0].source is not None and added[0].source.source == "CDIP/31/4"
    again = StatusStatementIn(status="ongoing", date=date(2023, 9, 2), source="cdip/31/4")
    found = problems_of(context, editing.add_status, PHASE_II, again, None)
    assert set(found) == {"status"} and "CDIP/31/4" in found["status"]
    removed = run(context, editing.remove_status, PHASE_II, added[0].id, after.version)
    assert removed.status.value == "approved" and removed.version == after.version + 1
    # The start date the statement gave stays: refresh_status leaves dates that no
    # statement gives any more, as another source may give them.
    dates = {"version", "start_date", "start_precision"}
    assert {k: v for k, v in removed.model_dump(mode="json").items() if k not in dates} == {
        k: v for k, v in before.items() if k not in dates
    }
    with pytest.raises(NotFoundError):
        run(context, editing.remove_status, PHASE_II, added[0].id, None)


@pytest.mark.parametrize(
    ("statement", "fields"),
    [
        ({"status": "completed", "kind": "year_end", "source": "editor"}, {"as_of_year"}),
        (
            {"status": "completed", "kind": "year_end", "date": "2023-12-31", "source": "editor"},
            {"as_of_year", "date"},
        ),
        ({"status": "completed", "date": str(date.today() + timedelta(days=2))}, {"date"}),
        ({"status": "completed", "precision": "month", "source": "editor"}, {"precision"}),
    ],
)
def test_a_bad_status_statement_is_refused(
    context: AppContext, statement: dict[str, Any], fields: set[str]
) -> None:
    data = StatusStatementIn.model_validate({"source": "editor", **statement})
    assert set(problems_of(context, editing.add_status, PHASE_II, data, None)) == fields


def test_a_year_end_statement_names_its_year(context: AppContext) -> None:
    data = StatusStatementIn(status="ongoing", kind="year_end", as_of_year=2023, source="editor")
    after = run(context, editing.add_status, PHASE_II, data, None)
    assert [
        (s.kind.value, s.as_of_year) for s in after.status_history if s.status.value == "ongoing"
    ] == [("year_end", 2023)]


# -- sessions, documents, recommendation texts ------------------------------------------------


def test_sessions_are_created_edited_and_deleted_unless_referenced(context: AppContext) -> None:
    created = run(
        context,
        editing.create_cdip_session,
        SessionCreate(number=40, start_date=date(2027, 5, 3), source="CDIP/40/1"),
    )
    assert (created.version, created.source and created.source.source) == (1, "CDIP/40/1")
    refused = SessionCreate(number=40, source="editor")
    assert set(problems_of(context, editing.create_cdip_session, refused)) == {"number"}
    backwards = SessionEdit(end_date=date(2027, 5, 1), source="editor")
    assert set(problems_of(context, editing.edit_cdip_session, 40, backwards, 1)) == {"end_date"}
    edited = run(
        context,
        editing.edit_cdip_session,
        40,
        SessionEdit(end_date=date(2027, 5, 7), format="hybrid", source="editor"),
        1,
    )
    assert (edited.start_date, edited.end_date, edited.format.value) == (
        date(2027, 5, 3),
        date(2027, 5, 7),
        "hybrid",
    )
    assert edited.version == 2 and edited.source and edited.source.source == "editor's knowledge"
    found = problems_of(context, editing.delete_cdip_session, 30, None)
    assert set(found) == {"number"} and "projects refer to CDIP session 30" in found["number"]
    run(context, editing.delete_cdip_session, 40, 2)
    with context.sessions() as session, pytest.raises(NotFoundError):
        get_cdip_session(session, 40)


def test_documents_are_created_edited_and_deleted_unless_cited(context: AppContext) -> None:
    created = run(
        context,
        editing.create_document,
        DocumentCreate(symbol="cdip/31/99", titles={"en": TextIn(text="Report")}, source="editor"),
    )
    assert (created.symbol, created.session, created.version) == ("CDIP/31/99", 31, 1)
    untitled = DocumentEdit(titles={"fr": TextIn(text="Rapport")})
    assert set(problems_of(context, editing.edit_document, created.id, untitled, 1)) == {"source"}
    no_session = DocumentEdit(session=999)
    assert set(problems_of(context, editing.edit_document, created.id, no_session, 1)) == {
        "session"
    }
    edited = run(
        context,
        editing.edit_document,
        created.id,
        DocumentEdit(
            url="https://www.wipo.int/d",
            session=None,
            titles={"fr": TextIn(text="Rapport")},
            source="https://www.wipo.int/d",
        ),
        1,
    )
    assert (edited.url, edited.session, edited.version) == ("https://www.wipo.int/d", None, 2)
    assert [t.source and t.source.source for t in edited.titles] == [
        "editor's knowledge",
        "https://www.wipo.int/d",
    ]
    with context.sessions() as session:
        cited = editing.document_id_of(session, "cdip/31/4")
    assert set(problems_of(context, editing.delete_document, cited, None)) == {"symbol"}
    run(context, editing.delete_document, created.id, 2)
    with context.sessions() as session, pytest.raises(NotFoundError):
        editing.document_id_of(session, "CDIP/31/99")


def test_a_recommendations_wording_is_set_by_language_with_its_source(context: AppContext) -> None:
    with context.sessions() as session:
        before = get_recommendation(session, 1)
    unsourced = RecommendationEdit(texts={"fr": TextIn(text="Assistance technique")})
    assert set(problems_of(context, editing.edit_recommendation, 1, unsourced, None)) == {"source"}
    edit = RecommendationEdit(
        texts={"fr": TextIn(text="Assistance technique", status="unofficial_translation")},
        source="https://www.wipo.int/da/fr",
    )
    after = run(context, editing.edit_recommendation, 1, edit, before.version)
    texts = {t.language: t for t in after.texts}
    assert texts["fr"].text == "Assistance technique"
    assert texts["fr"].source and texts["fr"].source.source == "https://www.wipo.int/da/fr"
    assert [t for t in before.texts] == [t for t in after.texts if t.language != "fr"]
    assert after.version == before.version + 1


# -- deletes ----------------------------------------------------------------------------------


def test_a_deleted_project_takes_its_parts_and_its_successor_stays(context: AppContext) -> None:
    phase_i = project(context, PHASE_I)
    assert phase_i["successors"][0]["id"] == PHASE_II and phase_i["titles"]
    known = len(entries(context))
    run(context, editing.delete_project, PHASE_I, phase_i["version"], "a duplicate")
    with context.sessions() as session, pytest.raises(NotFoundError):
        get_project(session, PHASE_I)
    successor = project(context)
    assert successor["predecessor"] is None and successor["titles"]
    logged = entries(context)[known:]
    assert {e.message for e in logged} == {"a duplicate"}
    deleted = {(e.record_type, e.record_key) for e in logged if e.action is ChangeAction.DELETE}
    assert ("project", str(PHASE_I)) in deleted
    assert "project_title" in {record_type for record_type, _ in deleted}
    parts = [e for e in logged if e.action is ChangeAction.DELETE and e.record_type != "project"]
    assert len(parts) >= len(phase_i["titles"]) + len(phase_i["status_history"])
    assert {e.parent_key for e in parts} == {str(PHASE_I)}
    assert any(
        e.record_key == str(PHASE_II) and "predecessor_id" in e.changed_fields for e in logged
    )


# -- versions and reverts ---------------------------------------------------------------------


def test_a_write_of_a_part_raises_the_owners_version_once(context: AppContext) -> None:
    version = project(context)["version"]
    title = ProjectEdit(titles={"en": TextIn(text="Gastronomic tourism")}, source="editor")
    after = run(context, editing.edit_project, PHASE_II, title, version)
    assert after.version == version + 1 == project(context)["version"]
    both = ProjectEdit(proposers=["KEN"], budget_chf=5, source="editor")
    assert run(context, editing.edit_project, PHASE_II, both, after.version).version == version + 2


@pytest.mark.parametrize(
    "write",
    [
        lambda version: (
            editing.edit_project,
            PHASE_II,
            ProjectEdit(sector="IES", source="editor"),
            version,
        ),
        lambda version: (
            editing.add_status,
            PHASE_II,
            StatusStatementIn(status="ongoing", date=date(2023, 9, 1), source="editor"),
            version,
        ),
        lambda version: (editing.delete_project, PHASE_II, version),
    ],
    ids=["edit", "status", "delete"],
)
def test_a_stale_version_is_refused_with_the_current_state(
    context: AppContext, write: Callable[[int], tuple[Any, ...]]
) -> None:
    title = ProjectEdit(titles={"en": TextIn(text="Someone else's")}, source="editor")
    read = project(context)["version"]
    run(context, editing.edit_project, PHASE_II, title, read)
    current = project(context)
    before = snapshot(context)
    service, *args = write(read)
    with pytest.raises(StaleVersion) as stale:
        run(context, service, *args)
    assert stale.value.current == current
    assert stale.value.version == current["version"] == read + 1
    assert snapshot(context) == before


def test_a_revert_of_an_edit_restores_the_old_state_and_is_logged(context: AppContext) -> None:
    before = project(context)
    known = len(entries(context))
    edit = ProjectEdit(sector="IES", proposers=["PER", "KEN"], source="editor")
    run(context, editing.edit_project, PHASE_II, edit, before["version"])
    made = entries(context)[known:]
    assert made
    with context.transaction() as session:
        reverted = [revert(session, entry.id) for entry in reversed(made)]
    restored = project(context)
    assert restored == {**before, "version": restored["version"]}
    logged = entries(context)[known + len(made) :]
    assert [e.id for batch in reverted for e in batch] == [e.id for e in logged]
    assert {e.reverts_id for e in logged} == {e.id for e in made}
    assert {e.actor for e in logged} == {EDITOR.label}
