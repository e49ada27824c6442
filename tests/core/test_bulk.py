"""Bulk inserts (core/bulk.py) on both engines: values stored as the ORM would store them,
defaults given to the columns rows leave out, and new ids returned in the rows' order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from devagenda.activities.models import Activity, ActivityMode, ActivityTitle, ActivityType
from devagenda.core.bulk import insert_returning_ids, insert_rows
from devagenda.core.models import TextStatus


def _activities(codes: list[str]) -> list[dict[str, object]]:
    return [
        {
            "code": code,
            "type": ActivityType.SEMINAR,
            "mode": ActivityMode.IN_PERSON,
            "start_date": date(2023, 5, 2),
            "participants": None,
            "demo": False,
        }
        for code in codes
    ]


def test_new_ids_follow_the_rows_after_stored_and_deleted_ones(session: Session) -> None:
    connection = session.connection()
    table = Activity.__table__
    first = insert_returning_ids(connection, table, _activities(["B-1", "B-2", "B-3"]))
    connection.execute(delete(table).where(table.c.code == "B-3"))
    then = insert_returning_ids(connection, table, _activities(["B-4", "B-5", "B-6"]))
    assert len(set(then)) == 3  # SQLite may give a deleted last row's id again, as usual
    for id_, code in zip(first[:2] + then, ["B-1", "B-2", "B-4", "B-5", "B-6"], strict=True):
        assert session.scalar(select(Activity.code).where(Activity.id == id_)) == code
    assert insert_returning_ids(connection, table, []) == []


def test_values_are_stored_as_the_orm_reads_them_and_defaults_fill_the_rest(
    session: Session,
) -> None:
    connection = session.connection()
    (activity_id,) = insert_returning_ids(connection, Activity.__table__, _activities(["B-7"]))
    # No status and no version: the rows leave them to the columns' defaults.
    insert_rows(
        connection,
        ActivityTitle.__table__,
        [{"activity_id": activity_id, "language": "en", "text": "Seminar"}],
    )
    session.expire_all()
    activity = session.get(Activity, activity_id)
    assert activity is not None
    assert (activity.type, activity.mode) == (ActivityType.SEMINAR, ActivityMode.IN_PERSON)
    assert activity.start_date == date(2023, 5, 2) and activity.participants is None
    assert activity.demo is False
    (title,) = activity.texts
    assert (title.text, title.status, title.version) == ("Seminar", TextStatus.OFFICIAL, 1)
