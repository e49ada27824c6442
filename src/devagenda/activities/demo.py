"""Demo activities for `devagenda demo generate`: made-up, reproducible, shaped like IP-TAD.

Rows are drawn with NumPy from a generator seeded by (seed, batch number), so the same
seed gives the same rows whatever else the database holds, and written in batches with
bulk inserts: a million activities take minutes, not the hours the ORM would take one
row at a time. Every row has `demo` set and a code in the DEMO- namespace, which imports
and edits refuse; `remove` deletes exactly those rows.

The distributions follow the real database's shape: most activities are seminars,
workshops and webinars for African and Asian countries, in English, French or Spanish;
some facts are not stated (NULL, never 0), as in real records.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from typing import Any

import numpy as np
from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from devagenda.activities.models import (
    DEMO_PREFIX,
    Activity,
    ActivityBeneficiary,
    ActivityExpectedResult,
    ActivityLanguage,
    ActivityPartner,
    ActivityProject,
    ActivityRecommendation,
    ActivitySubjectArea,
    ActivityTitle,
)
from devagenda.catalogue.models import Project
from devagenda.core.bulk import insert_rows
from devagenda.core.changelog import ChangeAction, Run, record_type_of
from devagenda.core.imports import cited_location
from devagenda.core.models import Source, SourceKind, SourceLocation, TextStatus
from devagenda.reference.codes import DevelopmentStatus, WipoRegion
from devagenda.reference.models import Country, ExpectedResult

BATCH = 20_000
SOURCE_KEY = "devagenda demo generate --seed "  # the source demo facts cite, and its seed
# The tables a demo activity writes, children first (the order `remove` deletes in).
PARTS = (
    ActivityTitle,
    ActivityBeneficiary,
    ActivitySubjectArea,
    ActivityLanguage,
    ActivityPartner,
    ActivityRecommendation,
    ActivityExpectedResult,
    ActivityProject,
)

_TYPES = {
    "seminar": (0.22, "National Seminar", "研讨会"),
    "workshop": (0.22, "Workshop", "讲习班"),
    "webinar": (0.14, "Webinar", "网络研讨会"),
    "training_course": (0.12, "Training Course", "培训班"),
    "mission": (0.08, "Expert Mission", "专家访问"),
    "advisory": (0.07, "Advisory Meeting", "咨询会议"),
    "conference": (0.06, "Regional Conference", "区域会议"),
    "legislative_assistance": (0.04, "Legislative Assistance", "立法援助"),
    "study": (0.03, "Study", "研究"),
    "other": (0.02, "Meeting", "会议"),
}
_MODES = (("in_person", 0.55), ("virtual", 0.28), ("hybrid", 0.11), (None, 0.06))
_AREAS = {
    "patents": (0.22, "Patent Information", "专利信息"),
    "trademarks": (0.12, "Trademarks and Branding", "商标与品牌"),
    "copyright": (0.14, "Copyright and Related Rights", "版权及相关权"),
    "ip_management": (0.09, "IP Management", "知识产权管理"),
    "technology_transfer": (0.08, "Technology Transfer", "技术转让"),
    "innovation": (0.07, "Innovation Support", "创新支持"),
    "ip_policy": (0.07, "National IP Strategies", "国家知识产权战略"),
    "geographical_indications": (0.05, "Geographical Indications", "地理标志"),
    "traditional_knowledge": (0.05, "Traditional Knowledge", "传统知识"),
    "enforcement": (0.04, "Building Respect for IP", "树立尊重知识产权的风气"),
    "industrial_designs": (0.04, "Industrial Designs", "工业品外观设计"),
    "ip_office_modernization": (0.03, "IP Office Automation", "知识产权局自动化"),
}
# Languages by the host's region: (code, weight) pairs.
_LANGUAGES = {
    WipoRegion.AFRICA: (("en", 0.5), ("fr", 0.42), ("pt", 0.05), ("sw", 0.03)),
    WipoRegion.ARAB: (("ar", 0.6), ("en", 0.25), ("fr", 0.15)),
    WipoRegion.ASIA_PACIFIC: (("en", 0.86), ("zh", 0.05), ("vi", 0.03), ("id", 0.03), ("mn", 0.03)),
    WipoRegion.LATIN_AMERICA_CARIBBEAN: (("es", 0.78), ("pt", 0.14), ("en", 0.08)),
    WipoRegion.TRANSITION_DEVELOPED: (("ru", 0.55), ("en", 0.35), ("uk", 0.05), ("uz", 0.05)),
}
_REGION_OF_UNIT = {
    "Division for Africa": WipoRegion.AFRICA,
    "Division for Arab Countries": WipoRegion.ARAB,
    "Division for Asia and the Pacific": WipoRegion.ASIA_PACIFIC,
    "Division for Latin America and the Caribbean": WipoRegion.LATIN_AMERICA_CARIBBEAN,
    "Division for Certain Countries in Europe and Asia": WipoRegion.TRANSITION_DEVELOPED,
}
_FUNDING = (
    ("FIT Japan IP Global", 0.08),
    ("FIT Republic of Korea", 0.06),
    ("FIT China", 0.04),
    ("FIT Australia", 0.02),
    ("FIT Spain", 0.02),
    ("WIPO regular budget", 0.18),
    (None, 0.60),
)
_FIRST_YEAR, _LAST_YEAR = 2010, 2025
_ELIGIBLE = (DevelopmentStatus.LDC, DevelopmentStatus.DEVELOPING, DevelopmentStatus.TRANSITION)
_OTHER_WEIGHT = 1.0  # each eligible country without a row in venues.csv


def _weights(pairs: Any) -> np.ndarray:
    weights = np.array([w for _, w in pairs], float)
    return weights / weights.sum()


@dataclass(frozen=True)
class _Reference:
    """What the rows are drawn from: the knowledge base's countries and codes."""

    countries: list[str]  # alpha-3
    country_weights: np.ndarray
    region: dict[str, WipoRegion]
    name_en: dict[str, str]
    name_zh: dict[str, str]
    city: dict[str, tuple[str, str]]  # alpha-3 -> (city, its Chinese name)
    units: list[tuple[str, str]]  # (organising unit, sector)
    expected_results: list[str]
    projects: list[int]
    partners: list[str]

    @classmethod
    def read(cls, session: Session) -> _Reference:
        venues = _data("venues.csv")
        weight_of = {row["country"]: float(row["weight"]) for row in venues}
        stored = session.scalars(
            select(Country)
            .where(Country.development_status.in_(_ELIGIBLE))
            .order_by(Country.alpha3)
        ).all()
        countries = [c.alpha3 for c in stored]
        weights = np.array([weight_of.get(a, _OTHER_WEIGHT) for a in countries], float)
        return cls(
            countries=countries,
            country_weights=weights / weights.sum(),
            region={c.alpha3: c.wipo_region for c in stored},
            name_en={c.alpha3: c.name("en") for c in stored},
            name_zh={c.alpha3: c.name("zh") for c in stored},
            city={row["country"]: (row["city"], row["city_zh"]) for row in venues},
            units=[(row["name"], row["sector"]) for row in _activity_data("organising_units.csv")],
            expected_results=list(
                session.scalars(select(ExpectedResult.code).order_by(ExpectedResult.code))
            ),
            projects=list(session.scalars(select(Project.id).order_by(Project.id))),
            partners=[row["name"] for row in _data("partners.csv")],
        )


def _data(name: str) -> list[dict[str, str]]:
    text = (files("devagenda.demo") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _activity_data(name: str) -> list[dict[str, str]]:
    text = (files("devagenda.activities") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def existing(session: Session) -> int:
    """How many demo activities are stored."""
    return session.scalar(select(func.count()).where(Activity.demo.is_(True))) or 0


def generate(
    session: Session, count: int, seed: int, run: Run, advance: Callable[[int], None]
) -> int:
    """Write `count` demo activities with their parts in the session's transaction, counted
    into `run`; `advance` is told each batch's size. Returns how many were written."""
    if count <= 0:
        return 0
    reference = _Reference.read(session)
    location = cited_location(session, f"{SOURCE_KEY}{seed}")
    connection = session.connection()
    first = (session.scalar(select(func.max(Activity.id))) or 0) + 1
    for number, start in enumerate(range(0, count, BATCH)):
        size = min(BATCH, count - start)
        rng = np.random.default_rng([seed, number])
        tables = _batch(rng, reference, first + start, start, size, location.id)
        for model, rows in tables.items():
            if rows:
                insert_rows(connection, model.__table__, rows)
                run.count(record_type_of(model), ChangeAction.CREATE, len(rows))
        advance(size)
    if connection.dialect.name == "postgresql":  # the ids were given: move the sequence on
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('activity', 'id'),"
            " (SELECT max(id) FROM activity))"
        )
    return count


def remove(session: Session, run: Run) -> int:
    """Delete every demo activity and its parts, counted into `run`; returns how many
    activities. The parts go first, by statement, so that their counts are known."""
    connection = session.connection()
    demo_ids = select(Activity.id).where(Activity.demo.is_(True))
    for model in PARTS:
        table: Table = model.__table__  # type: ignore[assignment]
        result = connection.execute(delete(table).where(table.c.activity_id.in_(demo_ids)))
        run.count(record_type_of(model), ChangeAction.DELETE, max(result.rowcount, 0))
    result = connection.execute(delete(Activity.__table__).where(Activity.__table__.c.demo))
    removed = max(result.rowcount, 0)
    run.count(record_type_of(Activity), ChangeAction.DELETE, removed)
    # The source every demo fact cites goes too: nothing else cites it.
    cited = select(Source.id).where(
        Source.kind == SourceKind.DATASET, Source.key.startswith(SOURCE_KEY)
    )
    connection.execute(delete(SourceLocation.__table__).where(SourceLocation.source_id.in_(cited)))
    connection.execute(delete(Source.__table__).where(Source.id.in_(cited)))
    session.expire_all()
    return removed


def _batch(
    rng: np.random.Generator,
    reference: _Reference,
    first_id: int,
    first_number: int,
    size: int,
    location_id: int,
) -> dict[Any, list[dict[str, Any]]]:
    """One batch of activities and their parts, as rows for bulk inserts."""
    types = list(_TYPES)
    type_of = rng.choice(len(types), size, p=_weights((t, _TYPES[t][0]) for t in types))
    mode_of = rng.choice(len(_MODES), size, p=_weights(_MODES))
    unit_of = rng.integers(0, len(reference.units), size)
    sector_known = rng.random(size) >= 0.05
    year_weights = np.linspace(1.0, 2.0, _LAST_YEAR - _FIRST_YEAR + 1)
    years = _FIRST_YEAR + rng.choice(len(year_weights), size, p=year_weights / year_weights.sum())
    days = rng.integers(0, 365, size)
    dated = rng.random(size) >= 0.03
    lengths = rng.choice(5, size, p=[0.3, 0.35, 0.2, 0.1, 0.05])
    hosted = rng.random(size) >= 0.25
    hosts = rng.choice(len(reference.countries), size, p=reference.country_weights)
    more_countries = rng.choice(3, size, p=[0.72, 0.2, 0.08])
    extra = rng.choice(len(reference.countries), (size, 2), p=reference.country_weights)
    participants_known = rng.random(size) >= 0.3
    participants = np.maximum(1, rng.lognormal(3.4, 0.7, size).astype(int))
    split_known = rng.random(size) >= 0.5
    women_share = rng.beta(5, 5, size)
    funding_of = rng.choice(len(_FUNDING), size, p=_weights(_FUNDING))
    areas = list(_AREAS)
    area_p = _weights((a, _AREAS[a][0]) for a in areas)
    area_of = rng.choice(len(areas), (size, 2), p=area_p)
    two_areas = rng.random(size) < 0.3
    second_language = rng.random(size) < 0.1
    language_draw = rng.random(size)
    recommendation_count = rng.choice(4, size, p=[0.4, 0.3, 0.2, 0.1])
    recommendations = rng.choice(45, (size, 3), p=_recommendation_weights()) + 1
    expected = rng.random(size) < 0.5
    expected_of = rng.integers(0, max(1, len(reference.expected_results)), size)
    projected = rng.random(size) < 0.03
    project_of = rng.integers(0, max(1, len(reference.projects)), size)
    partnered = rng.random(size) < 0.3
    partner_of = rng.integers(0, len(reference.partners), size)
    chinese = rng.random(size) < 0.6

    tables: dict[Any, list[dict[str, Any]]] = {model: [] for model in (Activity, *PARTS)}
    for i in range(size):
        activity_id = first_id + i
        kind = types[type_of[i]]
        mode = _MODES[mode_of[i]][0]
        unit, sector = reference.units[unit_of[i]]
        start = date(int(years[i]), 1, 1) + timedelta(days=int(days[i])) if dated[i] else None
        end = start + timedelta(days=int(lengths[i])) if start is not None else None
        host = reference.countries[hosts[i]] if hosted[i] else None
        beneficiaries = [host] if host else [reference.countries[extra[i, 0]]]
        for j in range(more_countries[i]):
            country = reference.countries[extra[i, j]]
            if country not in beneficiaries:
                beneficiaries.append(country)
        city = reference.city.get(host) if host and mode != "virtual" else None
        total = int(participants[i]) if participants_known[i] else None
        women = men = None
        if total is not None and split_known[i]:
            women = round(total * float(women_share[i]))
            men = total - women
        area_codes = [areas[area_of[i, 0]]]
        if two_areas[i] and areas[area_of[i, 1]] not in area_codes:
            area_codes.append(areas[area_of[i, 1]])
        region = reference.region[host or beneficiaries[0]]
        region = _REGION_OF_UNIT.get(unit, region)
        languages = [_pick(_LANGUAGES[region], float(language_draw[i]))]
        if second_language[i] and "en" not in languages:
            languages.append("en")
        place_en = city[0] if city else reference.name_en[beneficiaries[0]]
        place_zh = city[1] if city else reference.name_zh[beneficiaries[0]]
        label_en, label_zh = _TYPES[kind][1], _TYPES[kind][2]
        area_en, area_zh = _AREAS[area_codes[0]][1], _AREAS[area_codes[0]][2]
        year_text = f", {start.year}" if start else ""
        tables[Activity].append(
            {
                "id": activity_id,
                "code": f"{DEMO_PREFIX}{first_number + i + 1:07d}",
                "type": kind,
                "mode": mode,
                "organising_unit": unit,
                "sector_code": sector if sector_known[i] else None,
                "start_date": start,
                "end_date": end,
                "venue_city": city[0] if city else None,
                "host_country_alpha3": host,
                "participants": total,
                "participants_women": women,
                "participants_men": men,
                "funding_source": _FUNDING[funding_of[i]][0],
                "demo": True,
                "version": 1,
            }
        )
        titles = tables[ActivityTitle]
        titles.append(
            {
                "activity_id": activity_id,
                "language": "en",
                "text": f"{label_en} on {area_en}, {place_en}{year_text}",
                "status": TextStatus.OFFICIAL.value,
                "source_location_id": location_id,
            }
        )
        if chinese[i]:
            year_zh = f"{start.year}年" if start else ""
            titles.append(
                {
                    "activity_id": activity_id,
                    "language": "zh",
                    "text": f"{year_zh}{place_zh}{area_zh}{label_zh}",
                    "status": TextStatus.OFFICIAL.value,
                    "source_location_id": location_id,
                }
            )
        for position, country in enumerate(beneficiaries):
            tables[ActivityBeneficiary].append(
                {
                    "activity_id": activity_id,
                    "position": position,
                    "country_alpha3": country,
                    "group_code": None,
                    "source_location_id": location_id,
                }
            )
        for code in area_codes:
            tables[ActivitySubjectArea].append(
                {"activity_id": activity_id, "area_code": code, "source_location_id": location_id}
            )
        for language in languages:
            tables[ActivityLanguage].append(
                {
                    "activity_id": activity_id,
                    "language": language,
                    "source_location_id": location_id,
                }
            )
        if partnered[i]:
            tables[ActivityPartner].append(
                {
                    "activity_id": activity_id,
                    "name": reference.partners[partner_of[i]],
                    "position": 0,
                    "source_location_id": location_id,
                }
            )
        for number in sorted(set(recommendations[i, : recommendation_count[i]].tolist())):
            tables[ActivityRecommendation].append(
                {
                    "activity_id": activity_id,
                    "recommendation_number": number,
                    "source_location_id": location_id,
                }
            )
        if expected[i] and reference.expected_results:
            tables[ActivityExpectedResult].append(
                {
                    "activity_id": activity_id,
                    "expected_result_code": reference.expected_results[expected_of[i]],
                    "source_location_id": location_id,
                }
            )
        if projected[i] and reference.projects:
            tables[ActivityProject].append(
                {
                    "activity_id": activity_id,
                    "project_id": reference.projects[project_of[i]],
                    "source_location_id": location_id,
                }
            )
    return tables


def _recommendation_weights() -> np.ndarray:
    """Cluster A (technical assistance, 1-14) is what most activities implement."""
    weights = np.array([4.0 if n <= 14 else 1.0 for n in range(1, 46)])
    return weights / weights.sum()


def _pick(pairs: Any, draw: float) -> str:
    """The value whose share of the weights `draw` (0 to 1) falls in."""
    total = sum(w for _, w in pairs)
    reached = 0.0
    for value, weight in pairs:
        reached += weight / total
        if draw < reached:
            return str(value)
    return str(pairs[-1][0])


def known_codes() -> tuple[set[str], set[str]]:
    """The subject areas and languages the generator draws, for checking them against the
    shipped code lists."""
    languages = {code for pairs in _LANGUAGES.values() for code, _ in pairs}
    return set(_AREAS), languages
