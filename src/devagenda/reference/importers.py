"""Read the shipped reference tables (CSV) into typed, checked records.

The files are curated by hand, so every row is checked on the way in (see
`devagenda.core.csvdata`); the country and group tables are also checked against ISO 3166
and for names that would point at two records.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

import pycountry

from devagenda.core.csvdata import CsvRow, read_csv, require_unique
from devagenda.core.errors import InputError
from devagenda.reference.codes import DevelopmentStatus, GroupKind, WipoRegion

COUNTRY_COLUMNS = (
    "alpha2",
    "alpha3",
    "m49",
    "name_en",
    "name_zh",
    "aliases_en",
    "aliases_zh",
    "wipo_region",
    "development_status",
    "un_member",
    "wipo_member",
)
GROUP_COLUMNS = ("code", "kind", "name_en", "name_zh", "aliases_en", "aliases_zh", "members")
CLUSTER_COLUMNS = ("letter", "first", "last", "title_en", "title_zh")
EXPECTED_RESULT_COLUMNS = ("code", "title_en", "title_zh", "strategic_pillar")
SECTOR_COLUMNS = ("code", "name_en", "name_zh", "valid_from", "valid_to", "chapter_2023")

_GROUP_CODE = re.compile(r"[A-Z][A-Z0-9_]*")
_EXPECTED_RESULT_CODE = re.compile(r"[1-9]\.[1-9]")

Record = TypeVar("Record")


@dataclass(frozen=True, slots=True)
class CountryRecord:
    """One row of countries.csv."""

    alpha2: str
    alpha3: str
    m49: str
    name_en: str
    name_zh: str
    aliases_en: tuple[str, ...]
    aliases_zh: tuple[str, ...]
    wipo_region: WipoRegion
    development_status: DevelopmentStatus
    un_member: bool
    wipo_member: bool


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """One row of groups.csv; members are alpha3 codes."""

    code: str
    kind: GroupKind
    name_en: str
    name_zh: str
    aliases_en: tuple[str, ...]
    aliases_zh: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClusterRecord:
    letter: str
    first: int
    last: int
    title_en: str
    title_zh: str
    line: int


@dataclass(frozen=True, slots=True)
class ExpectedResultRecord:
    code: str
    title_en: str
    title_zh: str
    strategic_pillar: int
    line: int


@dataclass(frozen=True, slots=True)
class SectorRecord:
    code: str
    name_en: str
    name_zh: str
    valid_from: date | None
    valid_to: date | None
    report_order: int  # the chapter the 2023 report gives the sector
    line: int


def read_countries(path: str | Path | None = None) -> list[CountryRecord]:
    """Countries from `path`, or from the shipped table (read once per process)."""
    if path is None:
        return list(_shipped_countries())
    return _read_named(Path(path), COUNTRY_COLUMNS, _country_from_row)


def read_groups(path: str | Path | None = None) -> list[GroupRecord]:
    """Groups and organizations from `path`, or from the shipped table (read once)."""
    if path is None:
        return list(_shipped_groups())
    return _read_named(Path(path), GROUP_COLUMNS, _group_from_row)


def read_clusters(path: str | Path | None = None) -> list[ClusterRecord]:
    source = Path(path) if path else shipped_file("clusters.csv")
    records = [
        ClusterRecord(
            letter=row.one_of("letter", "ABCDEF"),
            first=row.integer("first"),
            last=row.integer("last"),
            title_en=row.text("title_en"),
            title_zh=row.text("title_zh"),
            line=row.line,
        )
        for row in read_csv(source, CLUSTER_COLUMNS)
    ]
    require_unique(source, records, "letter", lambda r: r.letter)
    covered = sorted(n for r in records for n in range(r.first, r.last + 1))
    if covered != list(range(1, 46)):
        raise InputError("the clusters must cover recommendations 1-45 once each", path=str(source))
    return records


def read_expected_results(path: str | Path | None = None) -> list[ExpectedResultRecord]:
    source = Path(path) if path else shipped_file("expected_results.csv")
    records = [
        ExpectedResultRecord(
            code=_expected_result_code(row),
            title_en=row.text("title_en"),
            title_zh=row.text("title_zh"),
            strategic_pillar=row.integer("strategic_pillar"),
            line=row.line,
        )
        for row in read_csv(source, EXPECTED_RESULT_COLUMNS)
    ]
    require_unique(source, records, "code", lambda r: r.code)
    return records


def _expected_result_code(row: CsvRow) -> str:
    code = row.text("code")
    if not _EXPECTED_RESULT_CODE.fullmatch(code):
        raise row.error("code", f"{code!r} is not an expected-result code such as 4.1")
    return code


def read_sectors(path: str | Path | None = None) -> list[SectorRecord]:
    source = Path(path) if path else shipped_file("sectors.csv")
    records = [
        SectorRecord(
            code=row.text("code"),
            name_en=row.text("name_en"),
            name_zh=row.text("name_zh"),
            valid_from=row.optional_date("valid_from"),
            valid_to=row.optional_date("valid_to"),
            report_order=row.integer("chapter_2023"),
            line=row.line,
        )
        for row in read_csv(source, SECTOR_COLUMNS)
    ]
    require_unique(source, records, "code", lambda r: r.code)
    return records


@functools.cache
def _shipped_countries() -> tuple[CountryRecord, ...]:
    return tuple(_read_named(shipped_file("countries.csv"), COUNTRY_COLUMNS, _country_from_row))


@functools.cache
def _shipped_groups() -> tuple[GroupRecord, ...]:
    return tuple(_read_named(shipped_file("groups.csv"), GROUP_COLUMNS, _group_from_row))


def shipped_file(name: str) -> Traversable:
    return resources.files("devagenda.reference") / "data" / name


def _read_named(
    source: Path | Traversable, columns: tuple[str, ...], make: Callable[[CsvRow], Record]
) -> list[Record]:
    rows = list(read_csv(source, columns))
    records = [make(row) for row in rows]
    _check_unique(rows, columns)
    return records


def _country_from_row(row: CsvRow) -> CountryRecord:
    alpha2 = row.text("alpha2")
    country = pycountry.countries.get(alpha_2=alpha2) if re.fullmatch("[A-Z]{2}", alpha2) else None
    if country is None:
        raise row.error("alpha2", f"{alpha2!r} is not an ISO 3166-1 alpha-2 code")
    alpha3 = row.text("alpha3")
    if alpha3 != country.alpha_3:
        raise row.error(
            "alpha3", f"{alpha3!r} does not match {alpha2} (expected {country.alpha_3})"
        )
    m49 = row.text("m49")
    if m49 != country.numeric:
        raise row.error("m49", f"{m49!r} does not match {alpha2} (expected {country.numeric})")
    return CountryRecord(
        alpha2=alpha2,
        alpha3=alpha3,
        m49=m49,
        name_en=row.text("name_en"),
        name_zh=row.text("name_zh"),
        aliases_en=row.listing("aliases_en"),
        aliases_zh=row.listing("aliases_zh"),
        wipo_region=row.choice("wipo_region", WipoRegion),
        development_status=row.choice("development_status", DevelopmentStatus),
        un_member=row.boolean("un_member"),
        wipo_member=row.boolean("wipo_member"),
    )


def _group_from_row(row: CsvRow) -> GroupRecord:
    code = row.text("code")
    if not _GROUP_CODE.fullmatch(code):
        raise row.error("code", f"{code!r} is not a code (capital letters, digits and '_')")
    members = row.listing("members")
    for member in members:
        if not re.fullmatch("[A-Z]{3}", member) or not pycountry.countries.get(alpha_3=member):
            raise row.error("members", f"{member!r} is not an ISO 3166-1 alpha-3 code")
    if len(set(members)) != len(members):
        raise row.error("members", "a member is listed twice")
    return GroupRecord(
        code=code,
        kind=row.choice("kind", GroupKind),
        name_en=row.text("name_en"),
        name_zh=row.text("name_zh"),
        aliases_en=row.listing("aliases_en"),
        aliases_zh=row.listing("aliases_zh"),
        members=members,
    )


def _check_unique(rows: list[CsvRow], columns: tuple[str, ...]) -> None:
    """Reject a code or a name used twice: each name must point at one record only."""
    key_fields = [column for column in ("alpha2", "alpha3", "code") if column in columns]
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        keys = {(field, row.text(field)): field for field in key_fields}
        for field, name in _names_of(row):
            keys.setdefault(("name", " ".join(name.casefold().split())), field)
        for key, field in keys.items():
            if key in seen:
                raise row.error(field, f"{key[1]!r} is already used on line {seen[key]}")
            seen[key] = row.line


def _names_of(row: CsvRow) -> Iterator[tuple[str, str]]:
    """Every (column, name) of a row: its two names, then its aliases."""
    for field in ("name_en", "name_zh"):
        yield field, row.text(field)
    for field in ("aliases_en", "aliases_zh"):
        for name in row.listing(field):
            yield field, name
