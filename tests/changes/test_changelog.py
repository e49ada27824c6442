"""The change log machinery on both backends: one entry per write, versions, conflicts,
reverts, and one entry per ingest and import run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, load_only
from tests.helpers import rolled_back

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.models import (
    CdipSession,
    Project,
    ProjectBudget,
    ProjectRecommendation,
    ProjectStatus,
    Recommendation,
    SessionFormat,
)
from devagenda.changes import services
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import (
    ChangeAction,
    ChangeEntry,
    change_message,
    logged_models,
    logged_run,
    state_of,
)
from devagenda.core.context import AppContext
from devagenda.core.errors import EditConflict, InputError, PermissionDenied

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "catalogue" / "da-projects-sample.csv"
EDITOR = Actor(label="editor@example.org", role=Role.EDITOR, user_id=7, request_id="req-1")


@pytest.fixture(autouse=True)
def as_editor() -> Iterator[None]:
    """Reverting is an edit: the secretariat's."""
    with acting_as(EDITOR):
        yield


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.report_url())
    yield context
    context.engine.dispose()


@pytest.fixture
def db(loaded: AppContext) -> Iterator[Session]:
    with rolled_back(loaded) as session:
        yield session


@pytest.fixture(scope="module")
def committed(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A database whose writes are committed, for what needs two sessions."""
    context = AppContext.for_url(databases.initialized_url())
    yield context
    context.engine.dispose()


def entries_after(session: Session, last: int) -> list[ChangeEntry]:
    return list(
        session.scalars(select(ChangeEntry).where(ChangeEntry.id > last).order_by(ChangeEntry.id))
    )


def last_id(session: Session) -> int:
    return session.scalar(select(func.max(ChangeEntry.id))) or 0


def test_create_update_delete_write_one_entry_each(db: Session) -> None:
    start = last_id(db)
    with acting_as(EDITOR), change_message("from the CDIP/40 report"):
        db.add(CdipSession(number=40, start_date=date(2027, 11, 1)))
        db.flush()
        (created,) = entries_after(db, start)
        cdip = db.get_one(CdipSession, 40)
        cdip.format = SessionFormat.HYBRID
        db.flush()
        (updated,) = entries_after(db, created.id)
        db.delete(cdip)
        db.flush()
        (deleted,) = entries_after(db, updated.id)
    state = {
        "number": 40,
        "start_date": "2027-11-01",
        "end_date": None,
        "format": None,
        "source_location_id": None,
    }
    assert (created.action, created.record_type, created.record_key) == (
        ChangeAction.CREATE,
        "cdip_session",
        "40",
    )
    assert (created.before, created.after, created.version) == (None, state, 1)
    assert (created.actor, created.role, created.user_id, created.request_id) == (
        "editor@example.org",
        "editor",
        7,
        "req-1",
    )
    assert created.message == "from the CDIP/40 report"
    assert updated.action is ChangeAction.UPDATE
    assert updated.before == state
    assert updated.after == {**state, "format": "hybrid"}
    assert (updated.changed_fields, updated.version) == (["format"], 2)
    assert deleted.action is ChangeAction.DELETE
    assert (deleted.before, deleted.after) == ({**state, "format": "hybrid"}, None)
    assert created.transaction_id == updated.transaction_id == deleted.transaction_id


def test_a_record_read_in_part_is_logged_whole(db: Session) -> None:
    """Columns the session never loaded are read before the update, not logged as empty."""
    whole = state_of(db.get_one(CdipSession, 31))
    db.expunge_all()
    partial = db.scalars(
        select(CdipSession).where(CdipSession.number == 31).options(load_only(CdipSession.number))
    ).one()
    start = last_id(db)
    partial.end_date = date(2023, 12, 2)
    db.flush()
    (entry,) = entries_after(db, start)
    assert entry.before == whole
    assert entry.after == {**whole, "end_date": "2023-12-02"}
    assert entry.changed_fields == ["end_date"]


def test_an_update_that_changes_nothing_writes_nothing(db: Session) -> None:
    start = last_id(db)
    project = db.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    project.phase = project.phase
    db.flush()
    assert entries_after(db, start) == []


def test_a_rolled_back_transaction_leaves_no_entry(loaded: AppContext) -> None:
    def count(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(ChangeEntry)) or 0

    with loaded.transaction() as session:
        before = count(session)
    with pytest.raises(RuntimeError), loaded.transaction() as session:
        session.add(CdipSession(number=41))
        session.flush()
        assert count(session) == before + 1
        raise RuntimeError("abandon")
    with loaded.transaction() as session:
        assert count(session) == before
        assert session.get(CdipSession, 41) is None


def test_parts_of_a_project_appear_in_its_history(db: Session) -> None:
    project = db.scalars(select(Project).where(Project.code.is_(None))).first()
    assert project is not None
    start = last_id(db)
    project.recommendation_links.append(ProjectRecommendation(recommendation_number=45))
    project.budget = ProjectBudget(amount_chf=Decimal("1018000.50"))
    db.flush()
    budget, link = sorted(entries_after(db, start), key=lambda e: e.record_type)
    assert (budget.record_type, budget.parent_type, budget.parent_key) == (
        "project_budget",
        "project",
        str(project.id),
    )
    assert budget.after is not None and budget.after["amount_chf"] == "1018000.50"
    assert link.record_key == f"{project.id}/45"
    history = services.history_listing(db, "project", str(project.id)).page(limit=500)
    assert {link.id, budget.id} <= {entry.id for entry in history.items}


def test_versions_increment_and_a_stale_copy_is_a_conflict(committed: AppContext) -> None:
    with committed.transaction() as session:
        session.add(CdipSession(number=50))
    first = committed.sessions()
    second = committed.sessions()
    try:
        mine = first.get_one(CdipSession, 50)
        theirs = second.get_one(CdipSession, 50)
        assert mine.version == theirs.version == 1
        services.apply_edit(second, theirs, 1, {"start_date": date(2030, 5, 2)})
        second.commit()
        assert theirs.version == 2
        with pytest.raises(EditConflict) as raised:
            services.apply_edit(first, mine, 1, {"format": SessionFormat.VIRTUAL})
        assert raised.value.version == 2
        assert raised.value.current is not None
        assert raised.value.current["start_date"] == "2030-05-02"
        assert raised.value.current["format"] is None
        with pytest.raises(EditConflict, match="read at version 1"):
            services.apply_edit(first, first.get_one(CdipSession, 50), 1, {"end_date": None})
    finally:
        first.close()
        second.close()
    with committed.transaction() as session:
        stored = session.get_one(CdipSession, 50)
        assert (stored.version, stored.format) == (2, None)


def record_rows(session: Session, model: type, **where: object) -> list[dict]:
    session.expire_all()
    return [state_of(r) for r in session.scalars(select(model).filter_by(**where))]


def test_revert_of_an_update_restores_the_record_and_is_logged(db: Session) -> None:
    project = db.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    original = record_rows(db, Project, id=project.id)
    start = last_id(db)
    with acting_as(EDITOR):
        project.status = ProjectStatus.EVALUATED
        project.code = "DA_99"
        db.flush()
    (edit,) = entries_after(db, start)
    (undo,) = services.revert(db, edit.id, "wrong project")
    assert record_rows(db, Project, id=project.id) == original
    assert (undo.reverts_id, undo.message, undo.action) == (
        edit.id,
        "wrong project",
        ChangeAction.UPDATE,
    )
    assert undo.before == edit.after and undo.after == edit.before
    assert services.get_change(db, edit.id).reverted_by == [undo.id]


def test_revert_of_a_create_deletes_and_of_a_delete_recreates_with_parts(db: Session) -> None:
    start = last_id(db)
    project = Project(status=ProjectStatus.APPROVED, code="DA_1_2")
    project.set_text("en", "A new project")
    project.set_text("zh", "新项目")
    project.recommendation_links.append(ProjectRecommendation(recommendation_number=1))
    db.add(project)
    db.flush()
    created = next(e for e in entries_after(db, start) if e.record_type == "project")
    rows = {
        "project": record_rows(db, Project, id=project.id),
        "links": record_rows(db, ProjectRecommendation, project_id=project.id),
    }
    services.revert(db, created.id)
    assert db.get(Project, project.id) is None
    assert record_rows(db, ProjectRecommendation, project_id=project.id) == []
    deletion = db.scalars(
        select(ChangeEntry).where(
            ChangeEntry.reverts_id == created.id, ChangeEntry.record_type == "project"
        )
    ).one()
    assert deletion.action is ChangeAction.DELETE
    restored = services.revert(db, deletion.id)
    assert {e.record_type for e in restored} == {
        "project",
        "project_title",
        "project_recommendation",
    }
    assert record_rows(db, Project, id=project.id) == rows["project"]
    assert record_rows(db, ProjectRecommendation, project_id=project.id) == rows["links"]
    again = db.get_one(Project, project.id)
    assert {t.language: t.text for t in again.texts} == {"en": "A new project", "zh": "新项目"}


def test_revert_is_refused_when_the_record_changed_since(db: Session) -> None:
    cdip = db.get_one(CdipSession, 30)
    start = last_id(db)
    cdip.format = SessionFormat.VIRTUAL
    db.flush()
    (first,) = entries_after(db, start)
    with acting_as(replace(EDITOR, request_id="req-2")):  # another edit
        cdip.format = SessionFormat.IN_PERSON
        db.flush()
    (second,) = entries_after(db, first.id)
    with pytest.raises(EditConflict, match=f"changes {second.id} changed it since") as raised:
        services.revert(db, first.id)
    assert raised.value.current is not None and raised.value.current["format"] == "in_person"
    services.revert(db, first.id, force=True)
    db.expire_all()
    assert first.before is not None
    assert db.get_one(CdipSession, 30).format is SessionFormat(first.before["format"])


def test_only_editors_may_revert(db: Session) -> None:
    run = db.scalars(select(ChangeEntry).where(ChangeEntry.record_type == "ingest_run")).one()
    for role in (Role.ANONYMOUS, Role.READER, Role.FOCAL_POINT):
        with acting_as(Actor(label="someone", role=role)), pytest.raises(PermissionDenied):
            services.revert(db, run.id)
        with acting_as(Actor(label="someone", role=role)):
            assert not services.may_revert()
    assert services.may_revert()


def test_runs_cannot_be_reverted_record_by_record(db: Session) -> None:
    run = db.scalars(select(ChangeEntry).where(ChangeEntry.record_type == "ingest_run")).one()
    with pytest.raises(InputError, match="reports restore"):
        services.revert(db, run.id)


def test_the_ingest_is_one_entry_naming_its_run_and_counts(db: Session) -> None:
    runs = list(db.scalars(select(ChangeEntry).where(ChangeEntry.action == ChangeAction.RUN)))
    assert [(r.record_type, r.record_key) for r in runs] == [("ingest_run", "1")]
    ingest = runs[0].after
    assert ingest is not None
    assert (ingest["file"], ingest["edition"], ingest["outcome"]) == (
        "dg-report-da-2023.zh.txt",
        "dg-report/2023/zh",
        "loaded",
    )
    assert ingest["counts"]["project"]["create"] == 55
    assert ingest["counts"]["project_status_change"]["create"] == 106
    assert ingest["stored"]["paragraphs"] == 80
    # Nothing else: every write of the load is counted in this entry, and the first load
    # of the reference data is part of making the database.
    assert db.scalar(select(func.count()).select_from(ChangeEntry)) == 1


def test_a_changed_reference_data_load_is_one_entry(db: Session) -> None:
    from devagenda.reference.services import load_reference_data

    start = last_id(db)
    db.get_one(Recommendation, 3).immediate = not db.get_one(Recommendation, 3).immediate
    with logged_run(db, "fixture", "unlogged", quiet=True):
        db.flush()
    assert entries_after(db, start) == []
    load_reference_data(db)
    (entry,) = entries_after(db, start)
    assert (entry.action, entry.record_type, entry.record_key) == (
        ChangeAction.RUN,
        "reference_data",
        "shipped",
    )
    assert entry.after == {"counts": {"recommendation": {"update": 1}}}


def test_a_catalogue_import_is_one_entry_naming_its_file_and_counts(db: Session) -> None:
    start = last_id(db)
    result = catalogue.import_catalogue(db, SAMPLE)
    (entry,) = entries_after(db, start)
    assert (entry.action, entry.record_type, entry.record_key) == (
        ChangeAction.RUN,
        "catalogue_import",
        SAMPLE.name,
    )
    assert entry.after is not None
    assert entry.after["rows"] == result.rows
    assert entry.after["counts"]["project_recommendation"]["create"] > 0
    assert "project_fact_source" in entry.changed_fields


def test_a_bulk_statement_outside_a_run_is_still_logged(db: Session) -> None:
    start = last_id(db)
    early = db.scalar(select(func.count()).where(CdipSession.number <= 31))
    assert early
    db.execute(update(CdipSession).where(CdipSession.number <= 31).values(format=None))
    db.commit()
    (entry,) = entries_after(db, start)
    assert (entry.action, entry.record_type) == (ChangeAction.RUN, "statement")
    assert entry.after == {"counts": {"cdip_session": {"update": early}}}


def test_every_editable_table_is_change_logged() -> None:
    assert set(logged_models()) == {
        "recommendation",
        "recommendation_text",
        "recommendation_expected_result",
        "cdip_session",
        "document",
        "document_title",
        "project",
        "project_title",
        "project_proposer",
        "project_beneficiary",
        "project_recommendation",
        "project_document",
        "project_status_change",
        "project_output",
        "project_budget",
        "project_fact_source",
        "activity",
        "activity_title",
        "activity_description",
        "activity_beneficiary",
        "activity_subject_area",
        "activity_language",
        "activity_partner",
        "activity_recommendation",
        "activity_expected_result",
        "activity_project",
        "activity_fact_source",
        "consultant",
        "consultant_nationality",
        "consultant_language",
        "consultant_field",
        "consultant_fact_source",
        "assignment",
        "assignment_country",
        "match_post",
        "match_post_country",
        "match_post_field",
        "match_post_language",
        "match_connection",
        "match_mail_settings",
        "flexibility_provision",
        "flexibility_provision_text",
        "member_state_update",
        "member_state_update_provision",
    }


def test_a_revert_undoes_the_whole_edit_of_its_entry(db: Session) -> None:
    """Adding a status statement writes the statement and the project's stage that follows
    from it; reverting either entry of that edit restores both, and nothing else."""
    from devagenda.catalogue import editing
    from devagenda.catalogue.schemas import StatusStatementIn

    project = db.scalars(
        select(Project).where(Project.status == ProjectStatus.ONGOING).order_by(Project.id)
    ).first()
    assert project is not None
    before = record_rows(db, Project, id=project.id)
    with acting_as(replace(EDITOR, request_id="req-status")):
        statement = StatusStatementIn(
            status=ProjectStatus.COMPLETED, date=date(2024, 6, 30), source="CDIP/33/2"
        )
        editing.add_status(db, project.id, statement, project.version)
    start = last_id(db)
    with acting_as(replace(EDITOR, request_id="req-other")):  # a later, unrelated edit
        db.get_one(CdipSession, 30).format = SessionFormat.VIRTUAL
        db.flush()
    edit = [e for e in entries_after(db, 0) if e.request_id == "req-status"]
    assert {e.record_type for e in edit} == {"project", "project_status_change"}
    statement_entry = next(e for e in edit if e.record_type == "project_status_change")
    with acting_as(replace(EDITOR, request_id="req-revert")):
        undone = services.revert(db, statement_entry.id)
    assert sorted(e.reverts_id for e in undone) == sorted(e.id for e in edit)
    assert record_rows(db, Project, id=project.id) == before
    assert db.get_one(CdipSession, 30).format is SessionFormat.VIRTUAL  # left alone
    assert all(e.id > start for e in undone)


def test_a_diff_cites_the_sources_it_names(db: Session) -> None:
    """A source location is a number in the log; the diff says which source it is."""
    from devagenda.catalogue import editing
    from devagenda.catalogue.schemas import StatusStatementIn

    project = db.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    start = last_id(db)
    with acting_as(replace(EDITOR, request_id="req-cite")):
        statement = StatusStatementIn(
            status=ProjectStatus.ONGOING, date=date(2022, 1, 10), source="cdip/29/3"
        )
        editing.add_status(db, project.id, statement, None)
    created = next(e for e in entries_after(db, start) if e.record_type == "project_status_change")
    (source,) = [c for c in services.get_change(db, created.id).diff if c.field == SOURCE]
    assert isinstance(source.new, int) and source.new_text == "CDIP/29/3"
    assert source.old is None and source.old_text is None
    (shown,) = services.recent_history(db, "project", str(project.id), limit=1)
    assert [c.new_text for c in shown.diff if c.field == SOURCE] == ["CDIP/29/3"]


SOURCE = "source_location_id"
