"""Editing activities: create, change and delete, for the API and, later, the web forms.

Editors and administrators edit every activity. A focal point edits the activities of
their own countries: every country the activity names (host and beneficiaries, the
members of a beneficiary group included) must be theirs, both before the edit and after
it, so that no edit takes an activity from another country or gives one to it. Each
edit is validated field by field (`InvalidEdit`), names the source of the facts it
states, and is checked against the version its caller read (`StaleVersion`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, authorize
from devagenda.activities.models import Activity
from devagenda.activities.schemas import ActivityCreate, ActivityEdit, ActivityOut
from devagenda.activities.services import (
    ActivityValues,
    check_values,
    find_activity,
    get_activity,
    stated_countries,
    write_values,
)
from devagenda.core.changelog import change_message
from devagenda.core.editing import Guard, Problems, check_source, edit_location
from devagenda.reference.models import ActorGroup, Country

_COLUMNS = {
    "code": "code",
    "type": "type",
    "mode": "mode",
    "organising_unit": "organising_unit",
    "sector": "sector_code",
    "start_date": "start_date",
    "end_date": "end_date",
    "venue_city": "venue_city",
    "host_country": "host_country_alpha3",
    "participants": "participants",
    "participants_women": "participants_women",
    "participants_men": "participants_men",
    "funding_source": "funding_source",
}
_LINKS = (
    "subject_areas",
    "languages",
    "partners",
    "recommendations",
    "expected_results",
    "projects",
)


def create_activity(session: Session, data: ActivityCreate) -> ActivityOut:
    """A new activity with the facts `data` gives and their source."""
    activity = Activity()
    values = _values(session, data, data.model_fields_set)
    authorize(Action.EDIT_RECORD, countries=_countries_after(session, activity, values))
    with change_message(data.message):
        _apply(session, activity, data, values, new=True)
        session.flush()
    return get_activity(session, activity.id)


def edit_activity(
    session: Session, activity_id: int, data: ActivityEdit, expected_version: int | None
) -> ActivityOut:
    """Change the facts `data` sets: a field left out stays, null clears it."""
    activity = find_activity(session, activity_id)
    values = _values(session, data, data.model_fields_set)
    authorize(Action.EDIT_RECORD, countries=activity.countries())
    authorize(Action.EDIT_RECORD, countries=_countries_after(session, activity, values))
    guard = _guard(session, activity, expected_version)
    guard.check()
    with change_message(data.message):
        _apply(session, activity, data, values, new=False)
        guard.flush()
    return get_activity(session, activity_id)


def delete_activity(
    session: Session, activity_id: int, expected_version: int | None, message: str | None = None
) -> None:
    """Delete an activity with its texts and links (each logged)."""
    activity = find_activity(session, activity_id)
    authorize(Action.EDIT_RECORD, countries=activity.countries())
    guard = _guard(session, activity, expected_version)
    guard.check()
    with change_message(message):
        session.delete(activity)
        guard.flush()


def _guard(session: Session, activity: Activity, expected: int | None) -> Guard:
    key = activity.id
    read = lambda: get_activity(session, key)  # noqa: E731
    return Guard(session, activity, expected, read, f"activity {key}")


def _values(session: Session, data: ActivityEdit, given: set[str]) -> ActivityValues:
    values = ActivityValues()
    for field, column in _COLUMNS.items():
        if field in given:
            values.columns[column] = getattr(data, field)
    for field, target in (("titles", values.titles), ("descriptions", values.descriptions)):
        if field in given and getattr(data, field):
            for language, text in getattr(data, field).items():
                target[language] = (text.text, text.status)
    if "beneficiaries" in given:
        values.links["beneficiaries"] = _actors(session, data.beneficiaries or [])
    for field in _LINKS:
        if field in given:
            values.links[field] = list(dict.fromkeys(getattr(data, field) or []))
    return values


def _actors(session: Session, codes: list[str]) -> list[tuple[str | None, str | None]]:
    """Beneficiary codes as (country, group) pairs; an unknown code is kept as a country
    for `_apply` to report."""
    actors: list[tuple[str | None, str | None]] = []
    for code in dict.fromkeys(codes):
        if session.get(Country, code) is not None:
            actors.append((code, None))
        elif session.get(ActorGroup, code) is not None:
            actors.append((None, code))
        else:
            actors.append((code, None))  # reported as unknown by _apply
    return actors


def _countries_after(session: Session, activity: Activity, values: ActivityValues) -> set[str]:
    host = values.columns.get("host_country_alpha3", activity.host_country_alpha3)
    if "beneficiaries" in values.links:
        actors = values.links["beneficiaries"]
    else:
        actors = [(link.country_alpha3, link.group_code) for link in activity.beneficiaries]
    return stated_countries(session, host, actors)


def _apply(
    session: Session, activity: Activity, data: ActivityEdit, values: ActivityValues, *, new: bool
) -> None:
    """Validate the whole edit, then write it without flushing between (one version)."""
    given = data.model_fields_set - {"source", "message"}
    problems = Problems()
    check_source(problems, data.source, needed=bool(given))
    with session.no_autoflush:
        for field, reason in check_values(session, activity, values).items():
            problems.add(field, reason)
        for country, group in values.links.get("beneficiaries", []):
            known = session.get(Country, country) if country else session.get(ActorGroup, group)
            if known is None:
                problems.add("beneficiaries", f"no country or group {country or group!r}")
        if new and not values.titles:
            problems.add("titles", "give the activity a title in at least one language")
        problems.raise_any()
        location = edit_location(session, data.source) if given and data.source else None
        if new:
            session.add(activity)
        write_values(session, activity, values, location)
