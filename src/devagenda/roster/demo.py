"""Demo consultants for `devagenda demo generate --consultants N`: made-up, reproducible.

Names are drawn, with NumPy from a generator seeded by (seed, batch number), from lists
of common given and family names in four writing systems, with their usual Latin
spelling: Latin with diacritics (French, Spanish, Portuguese, Vietnamese, Turkish),
Chinese, Arabic and Cyrillic. A few names of each list are far more common than the
rest (Zipf-like weights), as in a real roster, so that fuzzy name search meets many
namesakes. Nationalities and working languages follow the name's language; assignments
are linked to demo activities when the database holds some (taking their year and host
country), otherwise stand alone. Every consultant has `demo` set and a DEMO-C code;
`remove` deletes exactly those consultants and their parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from devagenda.activities.importers import subject_areas
from devagenda.activities.models import DEMO_PREFIX, Activity
from devagenda.core.bulk import insert_rows
from devagenda.core.changelog import ChangeAction, Run, record_type_of
from devagenda.core.imports import cited_location
from devagenda.reference.codes import DevelopmentStatus
from devagenda.reference.models import Country
from devagenda.roster import names
from devagenda.roster.models import (
    Assignment,
    AssignmentCountry,
    Consultant,
    ConsultantFactSource,
    ConsultantField,
    ConsultantLanguage,
    ConsultantNameToken,
    ConsultantNationality,
)

BATCH = 5_000
CODE_PREFIX = f"{DEMO_PREFIX}C"
SOURCE_KEY = "devagenda demo generate --consultants --seed "  # what demo facts cite
# The tables a demo consultant writes, children first (the order `remove` deletes in).
PARTS = (
    ConsultantNameToken,
    ConsultantFactSource,
    ConsultantNationality,
    ConsultantLanguage,
    ConsultantField,
)


@dataclass(frozen=True)
class _Group:
    """Names of one language: (own script or None, Latin spelling, gender) given names,
    (own script or None, Latin spelling) family names, and the countries and languages
    of the people who bear them."""

    share: float
    given: tuple[tuple[str | None, str, str], ...]
    family: tuple[tuple[str | None, str], ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    family_first: bool = False  # Chinese: the family name is written first


_GROUPS = (
    _Group(
        0.12,
        (("", "Amélie", "female"), ("", "Hélène", "female"), ("", "Françoise", "female"),
         ("", "Zoé", "female"), ("", "François", "male"), ("", "Jérôme", "male"),
         ("", "Loïc", "male"), ("", "Cédric", "male"), ("", "Mamadou", "male"),
         ("", "Aïssatou", "female")),
        ((None, "Lefèvre"), (None, "Bérenger"), (None, "Giraud"), (None, "Ndiaye"),
         (None, "Traoré"), (None, "Dupré"), (None, "Mbappé"), (None, "Kaboré")),
        ("FRA", "SEN", "CIV", "CMR", "BFA", "MLI", "BEN", "CHE"),
        ("fr", "en"),
    ),
    _Group(
        0.14,
        (("", "José", "male"), ("", "Martín", "male"), ("", "Andrés", "male"),
         ("", "Joaquín", "male"), ("", "María", "female"), ("", "Inés", "female"),
         ("", "Lucía", "female"), ("", "Mónica", "female"), ("", "Begoña", "female")),
        ((None, "García"), (None, "Rodríguez"), (None, "Martínez"), (None, "Hernández"),
         (None, "López"), (None, "Pérez"), (None, "Gómez"), (None, "Núñez"), (None, "Ibáñez")),
        ("ESP", "MEX", "COL", "ARG", "PER", "CHL", "ECU", "CRI"),
        ("es", "en"),
    ),
    _Group(
        0.08,
        (("", "João", "male"), ("", "Sebastião", "male"), ("", "António", "male"),
         ("", "Conceição", "female"), ("", "Luísa", "female"), ("", "Fátima", "female")),
        ((None, "Gonçalves"), (None, "Magalhães"), (None, "Simões"), (None, "Conceição"),
         (None, "Araújo"), (None, "Brandão")),
        ("BRA", "PRT", "MOZ", "AGO", "CPV"),
        ("pt", "en"),
    ),
    _Group(
        0.06,
        (("", "Thị Hương", "female"), ("", "Văn Đức", "male"), ("", "Thị Mai", "female"),
         ("", "Quốc Việt", "male"), ("", "Minh Châu", "female")),
        ((None, "Nguyễn"), (None, "Trần"), (None, "Lê"), (None, "Phạm"), (None, "Hoàng")),
        ("VNM",),
        ("vi", "en"),
        family_first=True,
    ),
    _Group(
        0.05,
        (("", "Ayşe", "female"), ("", "Gülşen", "female"), ("", "Çağrı", "male"),
         ("", "Oğuz", "male"), ("", "İsmail", "male")),
        ((None, "Yılmaz"), (None, "Öztürk"), (None, "Şahin"), (None, "Çelik"), (None, "Doğan")),
        ("TUR",),
        ("tr", "en"),
    ),
    _Group(
        0.22,
        (("晓明", "Xiaoming", "male"), ("伟", "Wei", "male"), ("建华", "Jianhua", "male"),
         ("志强", "Zhiqiang", "male"), ("丽", "Li", "female"), ("静", "Jing", "female"),
         ("秀英", "Xiuying", "female"), ("海燕", "Haiyan", "female")),
        (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
         ("杨", "Yang"), ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu")),
        ("CHN", "CHN", "CHN", "SGP", "MYS"),
        ("zh", "en"),
        family_first=True,
    ),
    _Group(
        0.17,
        (("محمد", "Mohamed", "male"), ("أحمد", "Ahmed", "male"), ("يوسف", "Youssef", "male"),
         ("عمر", "Omar", "male"), ("فاطمة", "Fatima", "female"), ("ليلى", "Leila", "female"),
         ("مريم", "Mariam", "female"), ("نور", "Nour", "female")),
        (("العلي", "Al-Ali"), ("حسن", "Hassan"), ("المصري", "El-Masry"),
         ("بن علي", "Ben Ali"), ("الحسيني", "Al-Husseini"), ("منصور", "Mansour")),
        ("EGY", "MAR", "TUN", "JOR", "DZA", "LBN", "OMN", "SAU"),
        ("ar", "fr", "en"),
    ),
    _Group(
        0.16,
        (("Иван", "Ivan", "male"), ("Алексей", "Aleksei", "male"), ("Дмитрий", "Dmitrii", "male"),
         ("Тимур", "Timur", "male"), ("Ольга", "Olga", "female"), ("Наталья", "Natalia", "female"),
         ("Гульнара", "Gulnara", "female"), ("Екатерина", "Ekaterina", "female")),
        (("Петров", "Petrov"), ("Иванов", "Ivanov"), ("Смирнов", "Smirnov"),
         ("Коваленко", "Kovalenko"), ("Назарбаев", "Nazarbaev"), ("Каримов", "Karimov")),
        ("RUS", "UKR", "KAZ", "UZB", "KGZ", "BLR", "ARM", "GEO"),
        ("ru", "en", "uk", "uz"),
    ),
)  # fmt: skip
_TASKS = (
    "Expert speaker",
    "Drafting of the national IP strategy",
    "Trainer",
    "Study on the use of the IP system",
    "Advice on legislation",
    "Moderator",
    "Assessment mission",
)
_FIRST_YEAR, _LAST_YEAR = 2010, 2025
_ELIGIBLE = (DevelopmentStatus.LDC, DevelopmentStatus.DEVELOPING, DevelopmentStatus.TRANSITION)


def _zipf(count: int) -> np.ndarray:
    """Weights of a list whose first names are much more common than its last ones."""
    weights = 1.0 / np.arange(1, count + 1)
    return weights / weights.sum()


def existing(session: Session) -> int:
    """How many demo consultants are stored."""
    return session.scalar(select(func.count()).where(Consultant.demo.is_(True))) or 0


@dataclass(frozen=True)
class _Reference:
    countries: frozenset[str]  # every stored alpha-3
    eligible: list[str]  # the countries an assignment may serve
    areas: list[str]  # IP fields
    activities: tuple[int, int] | None  # the span of demo activity ids

    @classmethod
    def read(cls, session: Session) -> _Reference:
        stored = session.execute(select(Country.alpha3, Country.development_status)).all()
        span = session.execute(
            select(func.min(Activity.id), func.max(Activity.id)).where(Activity.demo.is_(True))
        ).one()
        return cls(
            frozenset(a for a, _ in stored),
            sorted(a for a, status in stored if status in _ELIGIBLE),
            sorted(subject_areas()),
            None if span[0] is None else (int(span[0]), int(span[1])),
        )


def generate(
    session: Session, count: int, seed: int, run: Run, advance: Callable[[int], None]
) -> int:
    """Write `count` demo consultants with their parts in the session's transaction,
    counted into `run`; `advance` is told each batch's size."""
    if count <= 0:
        return 0
    reference = _Reference.read(session)
    location = cited_location(session, f"{SOURCE_KEY}{seed}")
    connection = session.connection()
    first = (session.scalar(select(func.max(Consultant.id))) or 0) + 1
    first_assignment = (session.scalar(select(func.max(Assignment.id))) or 0) + 1
    for number, start in enumerate(range(0, count, BATCH)):
        size = min(BATCH, count - start)
        rng = np.random.default_rng([seed, 7, number])
        tables = _batch(session, rng, reference, first + start, start, size, location.id)
        assignments = tables[Assignment]
        for offset, row in enumerate(assignments):
            row["id"] = first_assignment + offset
            for country in row.pop("countries"):
                tables[AssignmentCountry].append({"assignment_id": row["id"], **country})
        first_assignment += len(assignments)
        for model in (Consultant, *PARTS, Assignment, AssignmentCountry):
            rows = tables[model]
            if rows:
                insert_rows(connection, model.__table__, rows)
                run.count(record_type_of(model), ChangeAction.CREATE, len(rows))
        advance(size)
    if connection.dialect.name == "postgresql":  # the ids were given: move the sequences on
        for table in ("consultant", "assignment"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
    return count


def remove(session: Session, run: Run) -> int:
    """Delete every demo consultant and its parts, counted into `run`; returns how many
    consultants."""
    from devagenda.core.models import Source, SourceKind, SourceLocation

    connection = session.connection()
    demo_ids = select(Consultant.id).where(Consultant.demo.is_(True))
    demo_assignments = select(Assignment.id).where(Assignment.consultant_id.in_(demo_ids))
    steps: list[tuple[Any, Any]] = [
        (AssignmentCountry, AssignmentCountry.assignment_id.in_(demo_assignments)),
        (Assignment, Assignment.consultant_id.in_(demo_ids)),
    ]
    steps += [(model, model.consultant_id.in_(demo_ids)) for model in PARTS]
    for model, condition in steps:
        table: Table = model.__table__
        result = connection.execute(delete(table).where(condition))
        run.count(record_type_of(model), ChangeAction.DELETE, max(result.rowcount, 0))
    result = connection.execute(delete(Consultant.__table__).where(Consultant.__table__.c.demo))
    removed = max(result.rowcount, 0)
    run.count(record_type_of(Consultant), ChangeAction.DELETE, removed)
    cited = select(Source.id).where(
        Source.kind == SourceKind.DATASET, Source.key.startswith(SOURCE_KEY)
    )
    connection.execute(delete(SourceLocation.__table__).where(SourceLocation.source_id.in_(cited)))
    connection.execute(delete(Source.__table__).where(Source.id.in_(cited)))
    session.expire_all()
    return removed


def _batch(
    session: Session,
    rng: np.random.Generator,
    reference: _Reference,
    first_id: int,
    first_number: int,
    size: int,
    location_id: int,
) -> dict[Any, list[dict[str, Any]]]:
    """One batch of consultants and their parts, as rows for bulk inserts (assignments
    still holding their countries)."""
    group_of = rng.choice(len(_GROUPS), size, p=np.array([g.share for g in _GROUPS]))
    given_draw, family_draw = rng.random(size), rng.random(size)
    gender_stated = rng.random(size) >= 0.08
    email_stated = rng.random(size) < 0.6
    second_nationality = rng.random(size) < 0.07
    nationality_draw = rng.random((size, 2))
    language_count = rng.choice(3, size, p=[0.5, 0.4, 0.1]) + 1
    field_count = rng.choice(3, size, p=[0.5, 0.35, 0.15]) + 1
    fields = rng.choice(len(reference.areas), (size, 3), p=_zipf(len(reference.areas)))
    assignment_count = rng.choice(6, size, p=[0.3, 0.3, 0.18, 0.1, 0.07, 0.05])
    linked = {}
    if reference.activities is not None:  # the activities' years and hosts, read per batch
        low, high = reference.activities
        drawn = rng.integers(low, high + 1, (size, 5))
        wanted = sorted(set(drawn[rng.random((size, 5)) < 0.6].tolist()))
        for start in range(0, len(wanted), 900):
            part = wanted[start : start + 900]
            query = select(Activity.id, Activity.start_date, Activity.host_country_alpha3)
            for id_, start_date, host in session.execute(query.where(Activity.id.in_(part))):
                linked[int(id_)] = (start_date.year if start_date else None, host)
    else:
        drawn = np.zeros((size, 5), np.int64)
    years = rng.integers(_FIRST_YEAR, _LAST_YEAR + 1, (size, 5))
    year_stated = rng.random((size, 5)) >= 0.05
    countries = rng.integers(0, len(reference.eligible), (size, 5, 2))
    two_countries = rng.random((size, 5)) < 0.2
    task_of = rng.integers(0, len(_TASKS), (size, 5))

    tables: dict[Any, list[dict[str, Any]]] = {
        model: [] for model in (Consultant, *PARTS, Assignment, AssignmentCountry)
    }
    for i in range(size):
        consultant_id = first_id + i
        group = _GROUPS[group_of[i]]
        given = group.given[_draw(_zipf(len(group.given)), given_draw[i])]
        family = group.family[_draw(_zipf(len(group.family)), family_draw[i])]
        own_given, latin_given, gender = given
        if group.family_first:
            latin = f"{family[1]} {latin_given}"
            own = f"{family[0]}{own_given}" if family[0] else None
        else:
            latin = f"{latin_given} {family[1]}"
            own = f"{own_given} {family[0]}" if family[0] else None
        key = names.name_key(latin, own)
        code = f"{CODE_PREFIX}{first_number + i + 1:07d}"
        stated_gender = gender if gender_stated[i] else None
        email = f"{code.lower()}@example.org" if email_stated[i] else None
        tables[Consultant].append(
            {
                "id": consultant_id,
                "code": code,
                "name_latin": latin,
                "name_own": own,
                "name_key": key,
                "gender": stated_gender,
                "email": email,
                "demo": True,
                "version": 1,
            }
        )
        for token in sorted(names.tokens(key.split(names.KEY_SEPARATOR))):
            tables[ConsultantNameToken].append(
                {"consultant_id": consultant_id, "token": token, "prefix": token[: names.PREFIX]}
            )
        facts = {"name_latin": latin, "name_own": own, "gender": stated_gender, "email": email}
        for fact, value in facts.items():
            if value is not None:
                tables[ConsultantFactSource].append(
                    {
                        "consultant_id": consultant_id,
                        "fact": fact,
                        "source_location_id": location_id,
                    }
                )
        nationalities = [c for c in group.countries if c in reference.countries]
        chosen: list[str] = []
        for j in range(1 + int(second_nationality[i])):
            if nationalities:
                country = nationalities[int(nationality_draw[i, j] * len(nationalities))]
                if country not in chosen:
                    chosen.append(country)
        for position, country in enumerate(chosen):
            tables[ConsultantNationality].append(
                {
                    "consultant_id": consultant_id,
                    "country_alpha3": country,
                    "position": position,
                    "source_location_id": location_id,
                }
            )
        spoken = group.languages[: language_count[i]]
        for language in dict.fromkeys((*spoken, "en")):
            tables[ConsultantLanguage].append(
                {
                    "consultant_id": consultant_id,
                    "language": language,
                    "source_location_id": location_id,
                }
            )
        for area in sorted({reference.areas[f] for f in fields[i, : field_count[i]]}):
            tables[ConsultantField].append(
                {
                    "consultant_id": consultant_id,
                    "field_code": area,
                    "source_location_id": location_id,
                }
            )
        for position in range(assignment_count[i]):
            activity = int(drawn[i, position])
            year, host = linked.get(activity, (None, None))
            served = [reference.eligible[countries[i, position, 0]]]
            if two_countries[i, position]:
                served.append(reference.eligible[countries[i, position, 1]])
            if activity in linked:
                served = [host] if host else served
            else:
                activity = None
                year = int(years[i, position]) if year_stated[i, position] else None
            tables[Assignment].append(
                {
                    "consultant_id": consultant_id,
                    "position": position,
                    "year": year,
                    "activity_id": activity,
                    "task": _TASKS[task_of[i, position]],
                    "source_location_id": location_id,
                    "countries": [
                        {"country_alpha3": c, "position": n}
                        for n, c in enumerate(dict.fromkeys(served))
                    ],
                }
            )
    return tables


def _draw(weights: np.ndarray, draw: float) -> int:
    """The place whose share of `weights` (summing to 1) `draw` (0 to 1) falls in."""
    return min(int(np.searchsorted(np.cumsum(weights), draw, side="right")), len(weights) - 1)
