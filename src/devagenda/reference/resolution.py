"""Which country or group a name means: the answer's shape and the rules that give it.

The countries, groups and names are read with a few plain SQL statements through a
`devagenda.core.sqlreader.Reader`, so that the services (through a session, on SQLite or
PostgreSQL) and the command line (through plain sqlite3, without importing SQLAlchemy)
run the same queries and the same code, and give the same answers. Nothing here imports
SQLAlchemy or the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from devagenda.reference.codes import DevelopmentStatus, NameKind, WipoRegion, official_name
from devagenda.reference.gazetteer import COUNTRY, Gazetteer, NamedEntry

if TYPE_CHECKING:
    from devagenda.core.sqlreader import Reader, Row
    from devagenda.reference.models import ActorGroup, Country

Name = tuple[str, str, str]  # (language, name, kind), in the stored order

COUNTRIES = (
    "SELECT alpha3, alpha2, m49, wipo_region, development_status, status_as_of, un_member,"
    " wipo_member FROM country ORDER BY alpha3"
)
COUNTRY_NAMES = (
    "SELECT country_alpha3, language, name, kind FROM country_name"
    " ORDER BY country_alpha3, position, id"
)
GROUPS = "SELECT code, kind FROM actor_group ORDER BY code"
GROUP_NAMES = (
    "SELECT group_code, language, name, kind FROM actor_group_name"
    " ORDER BY group_code, position, id"
)
GROUP_MEMBERS = (
    "SELECT group_code, country_alpha3 FROM actor_group_member ORDER BY group_code, country_alpha3"
)


class CountryOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    alpha2: str
    alpha3: str
    m49: str
    name_en: str
    name_zh: str
    aliases: dict[str, list[str]]
    wipo_region: WipoRegion
    development_status: DevelopmentStatus
    status_as_of: str
    un_member: bool
    wipo_member: bool

    @classmethod
    def of(cls, country: Country) -> CountryOut:
        return cls.from_parts(
            alpha3=country.alpha3,
            alpha2=country.alpha2,
            m49=country.m49,
            wipo_region=country.wipo_region,
            development_status=country.development_status,
            status_as_of=country.status_as_of,
            un_member=country.un_member,
            wipo_member=country.wipo_member,
            names=[(n.language, n.name, n.kind) for n in country.names],
        )

    @classmethod
    def from_parts(
        cls, *, alpha3: str, names: Sequence[Name], status_as_of: Any, **fields: Any
    ) -> CountryOut:
        """From column values as any driver returns them (SQLite gives the date as text
        and booleans as 0/1) and the country's names."""
        aliases: dict[str, list[str]] = {}
        for language, name, kind in names:
            if kind == NameKind.ALIAS:
                aliases.setdefault(language, []).append(name)
        return cls(
            alpha3=alpha3,
            name_en=official_name(names, "en", alpha3),
            name_zh=official_name(names, "zh", alpha3),
            aliases=aliases,
            status_as_of=str(status_as_of),  # a date's str() is its ISO form
            **fields,
        )


class GroupOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    kind: str
    name_en: str
    name_zh: str
    members: list[str]

    @classmethod
    def of(cls, group: ActorGroup) -> GroupOut:
        return cls.from_parts(
            code=group.code,
            kind=group.kind,
            names=[(n.language, n.name, n.kind) for n in group.names],
            members=[country.alpha3 for country in group.members],
        )

    @classmethod
    def from_parts(
        cls, *, code: str, kind: str, names: Sequence[Name], members: list[str]
    ) -> GroupOut:
        return cls(
            code=code,
            kind=str(kind),
            name_en=official_name(names, "en", code),
            name_zh=official_name(names, "zh", code),
            members=members,
        )


class Candidate(BaseModel):
    key: str
    kind: str  # "country" or the kind of group
    name_en: str
    name_zh: str
    score: float


class Resolution(BaseModel):
    """The answer to "which country or group is this name?"."""

    query: str
    country: CountryOut | None = None
    group: GroupOut | None = None
    candidates: list[Candidate] = []

    @property
    def resolved(self) -> bool:
        return self.country is not None or self.group is not None


@dataclass(frozen=True)
class NameIndex:
    """The stored countries and groups, and the gazetteer of all their names."""

    countries: dict[str, Row]
    country_names: dict[str, list[Name]]
    groups: dict[str, Row]
    group_names: dict[str, list[Name]]
    members: dict[str, list[str]]

    @classmethod
    def read(cls, reader: Reader) -> NameIndex:
        return cls(
            countries={row[0]: row for row in reader.rows(COUNTRIES)},
            country_names=_grouped(reader.rows(COUNTRY_NAMES)),
            groups={row[0]: row for row in reader.rows(GROUPS)},
            group_names=_grouped(reader.rows(GROUP_NAMES)),
            members={
                code: [alpha3 for (alpha3,) in rows]
                for code, rows in _grouped(reader.rows(GROUP_MEMBERS)).items()
            },
        )

    def gazetteer(self) -> Gazetteer:
        """Countries first, so that a name a group shares (中国) is the country's."""
        countries = [
            self._entry(alpha3, COUNTRY, self.country_names.get(alpha3, []))
            for alpha3 in self.countries
        ]
        groups = [
            self._entry(code, str(row[1]), self.group_names.get(code, []))
            for code, row in self.groups.items()
        ]
        return Gazetteer([*countries, *groups])

    @staticmethod
    def _entry(key: str, kind: str, names: list[Name]) -> NamedEntry:
        return NamedEntry(
            key=key,
            kind=kind,
            names=tuple(name for _language, name, _kind in names),
            name_en=official_name(names, "en", key),
            name_zh=official_name(names, "zh", key),
        )

    def country(self, alpha3: str) -> CountryOut:
        _, alpha2, m49, region, status, as_of, un_member, wipo_member = self.countries[alpha3]
        return CountryOut.from_parts(
            alpha3=alpha3,
            alpha2=alpha2,
            m49=m49,
            wipo_region=region,
            development_status=status,
            status_as_of=as_of,
            un_member=un_member,
            wipo_member=wipo_member,
            names=self.country_names.get(alpha3, []),
        )

    def group(self, code: str) -> GroupOut:
        return GroupOut.from_parts(
            code=code,
            kind=self.groups[code][1],
            names=self.group_names.get(code, []),
            members=self.members.get(code, []),
        )


def _grouped(rows: Iterable[Row]) -> dict[Any, list[Any]]:
    """Rows by their first column, the rest of each row in order."""
    grouped: dict[Any, list[Any]] = {}
    for key, *rest in rows:
        grouped.setdefault(key, []).append(tuple(rest))
    return grouped


def read_gazetteer(reader: Reader) -> Gazetteer:
    """The name index over the countries and groups stored in the database."""
    return NameIndex.read(reader).gazetteer()


def resolve_names(reader: Reader, names: Sequence[str], *, limit: int = 5) -> list[Resolution]:
    """Each name to its country or group, or to the nearest candidates when none matches."""
    index = NameIndex.read(reader)
    gazetteer = index.gazetteer()
    return [_resolve_one(index, gazetteer, name, limit) for name in names]


def _resolve_one(index: NameIndex, gazetteer: Gazetteer, name: str, limit: int) -> Resolution:
    entry = gazetteer.resolve(name)
    if entry is None:
        candidates = [
            Candidate(
                key=candidate.key,
                kind=candidate.kind,
                name_en=candidate.name_en,
                name_zh=candidate.name_zh,
                score=round(score, 1),
            )
            for candidate, score in gazetteer.candidates(name, limit=limit)
        ]
        return Resolution(query=name, candidates=candidates)
    if entry.kind == COUNTRY:
        return Resolution(query=name, country=index.country(entry.key))
    return Resolution(query=name, group=index.group(entry.key))
