"""What the activities area puts in the search index: one entry per language of an
activity's title. Its text is the title, the description in that language, the code,
the venue and the countries' names; its facets are the start year, the countries it is
held in or for (host and beneficiaries, a group's members included) and the sector."""

from __future__ import annotations

from sqlalchemy.orm import Session, selectinload

from devagenda.activities.models import (
    Activity,
    ActivityBeneficiary,
    ActivityDescription,
    ActivityTitle,
)
from devagenda.reference.models import ActorGroup, Country
from devagenda.search.registry import EntryData, Indexer, part_of, per_update, register


def activity_entries(session: Session, activity: Activity) -> list[EntryData]:
    year = activity.start_date.year if activity.start_date else None
    countries = tuple(sorted(activity.countries()))
    return [
        EntryData(
            language=title.language,
            title=title.text,
            body=_body(session, activity, title.language),
            url=f"/activities/{activity.id}",
            sector=activity.sector_code,
            year=year,
            countries=countries,
            names=(title.text,),
        )
        for title in activity.texts
    ]


def _body(session: Session, activity: Activity, language: str) -> str:
    """The description in the title's language, and what names the activity besides."""
    description = next((d.text for d in activity.descriptions if d.language == language), None)
    places = [activity.venue_city]
    if activity.host_country is not None:
        places.append(per_update(session, _name, (activity.host_country, language)))
    for link in activity.beneficiaries:
        actor = link.country or link.group
        if actor is not None:
            places.append(per_update(session, _name, (actor, language)))
    parts = (description, activity.code, *places, activity.organising_unit)
    return "\n".join(dict.fromkeys(part for part in parts if part))


def _name(_session: Session, actor_in: tuple[Country | ActorGroup, str]) -> str:
    """A country's or group's name in a language: the same few fill a large import's
    activities, and are read once per index update."""
    actor, language = actor_in
    return actor.name(language)


register(
    Indexer(
        kind="activity",
        model=Activity,
        build=activity_entries,
        parts={
            ActivityTitle: part_of(Activity, lambda t: t.activity_id),
            ActivityDescription: part_of(Activity, lambda d: d.activity_id),
            ActivityBeneficiary: part_of(Activity, lambda b: b.activity_id),
        },
        options=(
            selectinload(Activity.descriptions),
            selectinload(Activity.beneficiaries),
            selectinload(Activity.host_country),
        ),
    )
)
