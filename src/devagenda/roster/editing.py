"""Editing consultants: create, change and delete, for the API (and later web forms).

A consultant's record holds personal data, so editing it needs both the right to read
personal data and the right to edit records: editors and administrators. A focal point,
who may edit their own countries' records, may not edit the roster: a consultant is
nobody's country's record. Each edit is validated field by field (`InvalidEdit`), names
the source of the facts it states, and is checked against the version its caller read
(`StaleVersion`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, authorize
from devagenda.core.changelog import change_message
from devagenda.core.editing import Guard, Problems, check_source, edit_location
from devagenda.roster.models import Consultant
from devagenda.roster.schemas import ConsultantCreate, ConsultantEdit, ConsultantOut
from devagenda.roster.services import (
    AssignmentValue,
    ConsultantValues,
    check_values,
    find_consultant,
    get_consultant,
    write_values,
)

_COLUMNS = ("code", "name_latin", "name_own", "gender", "email", "phone", "address")
_LINKS = ("nationalities", "languages", "ip_fields")


def _authorize() -> None:
    authorize(Action.READ_PERSONAL)
    authorize(Action.EDIT_RECORD)


def create_consultant(session: Session, data: ConsultantCreate) -> ConsultantOut:
    """A new consultant with the facts `data` gives and their source."""
    _authorize()
    consultant = Consultant()
    with change_message(data.message):
        _apply(session, consultant, data, new=True)
        session.flush()
    return get_consultant(session, consultant.id)


def edit_consultant(
    session: Session, consultant_id: int, data: ConsultantEdit, expected_version: int | None
) -> ConsultantOut:
    """Change the facts `data` sets: a field left out stays, null clears it."""
    _authorize()
    consultant = find_consultant(session, consultant_id)
    guard = _guard(session, consultant, expected_version)
    guard.check()
    with change_message(data.message):
        _apply(session, consultant, data, new=False)
        guard.flush()
    return get_consultant(session, consultant_id)


def delete_consultant(
    session: Session, consultant_id: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete a consultant with their assignments and links (each logged)."""
    _authorize()
    consultant = find_consultant(session, consultant_id)
    guard = _guard(session, consultant, expected_version)
    guard.check()
    with change_message(message):
        session.delete(consultant)
        guard.flush()


def _guard(session: Session, consultant: Consultant, expected: int | None) -> Guard:
    key = consultant.id
    read = lambda: get_consultant(session, key)  # noqa: E731
    return Guard(session, consultant, expected, read, f"consultant {key}")


def _values(data: ConsultantEdit) -> ConsultantValues:
    given = data.model_fields_set
    values = ConsultantValues()
    for name in _COLUMNS:
        if name in given:
            values.columns[name] = getattr(data, name)
    for name in _LINKS:
        if name in given:
            values.links[name] = list(dict.fromkeys(getattr(data, name) or []))
    if "assignments" in given:
        values.links["assignments"] = [
            AssignmentValue(a.year, tuple(dict.fromkeys(a.countries)), a.activity, a.task)
            for a in data.assignments or []
        ]
    return values


def _apply(session: Session, consultant: Consultant, data: ConsultantEdit, *, new: bool) -> None:
    """Validate the whole edit, then write it without flushing between (one version)."""
    given = data.model_fields_set - {"source", "message"}
    values = _values(data)
    problems = Problems()
    check_source(problems, data.source, needed=bool(given))
    with session.no_autoflush:
        for name, reason in check_values(session, consultant, values).items():
            problems.add(name, reason)
        problems.raise_any()
        location = edit_location(session, data.source) if given and data.source else None
        if new:
            session.add(consultant)
        write_values(session, consultant, values, location)
