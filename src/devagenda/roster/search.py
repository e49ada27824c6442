"""What the roster puts in the search index: one entry per consultant and language, with
the names, IP fields and languages and the beneficiary countries of the assignments. No
personal data (gender, nationalities, contact details) goes in: the index is public."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from devagenda.activities.importers import languages, subject_areas
from devagenda.roster.models import (
    Assignment,
    AssignmentCountry,
    Consultant,
    ConsultantField,
    ConsultantLanguage,
)
from devagenda.search.registry import EntryData, Indexer, Part, part_of, register

LANGUAGES = ("en", "zh")


def consultant_entries(_session: Session, consultant: Consultant) -> list[EntryData]:
    names = tuple(n for n in (consultant.name_latin, consultant.name_own) if n)
    countries = tuple(
        dict.fromkeys(c.country_alpha3 for a in consultant.assignments for c in a.countries)
    )
    years = [a.year for a in consultant.assignments if a.year]
    entries = []
    for language in LANGUAGES:
        fields = [_name(subject_areas(), f.field_code, language) for f in consultant.fields]
        spoken = [_name(languages(), x.language, language) for x in consultant.languages]
        tasks = [a.task for a in consultant.assignments if a.task]
        entries.append(
            EntryData(
                language=language,
                title=" / ".join(names),
                body="\n".join(part for part in (*fields, *spoken, *tasks) if part),
                url=f"/consultants/{consultant.id}",
                year=max(years) if years else None,
                countries=countries,
                names=names,
            )
        )
    return entries


def _name(codes: dict[str, Any], code: str, language: str) -> str:
    found = codes.get(code)
    if found is None:
        return code
    return found.name_zh if language == "zh" else found.name_en


def _assignment_owners(session: Session, keys: list[Any]) -> Iterable[Consultant]:
    owners = select(Assignment.consultant_id).where(Assignment.id.in_(keys))
    return session.scalars(select(Consultant).where(Consultant.id.in_(owners)))


register(
    Indexer(
        kind="consultant",
        model=Consultant,
        build=consultant_entries,
        parts={
            ConsultantField: part_of(Consultant, lambda f: f.consultant_id),
            ConsultantLanguage: part_of(Consultant, lambda x: x.consultant_id),
            Assignment: part_of(Consultant, lambda a: a.consultant_id),
            AssignmentCountry: Part(lambda c: c.assignment_id, _assignment_owners),
        },
        options=(
            selectinload(Consultant.fields),
            selectinload(Consultant.languages),
            selectinload(Consultant.assignments),
        ),
    )
)
