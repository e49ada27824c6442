"""What reference data puts in the search index: countries, expected results, sectors."""

from __future__ import annotations

from sqlalchemy.orm import Session

from devagenda.reference.models import (
    ActorGroup,
    ActorGroupName,
    Country,
    CountryName,
    ExpectedResult,
    ExpectedResultTitle,
    NameKind,
    Sector,
    SectorName,
)
from devagenda.search.registry import EntryData, Indexer, part_of, register


def country_entries(_session: Session, country: Country) -> list[EntryData]:
    """One entry per language with names: the official name as title, aliases and codes as
    body (so 坦桑尼亚 finds 坦桑尼亚联合共和国); the status facet is the development status."""
    languages = dict.fromkeys(name.language for name in country.names)
    return [
        EntryData(
            language=language,
            title=country.name(language),
            body="\n".join(_aliases(country, language)),
            url=f"/countries/{country.alpha3}",
            status=country.development_status.value,
            countries=(country.alpha3,),
            names=(country.name(language), *_aliases(country, language)),
        )
        for language in languages
    ]


def group_entries(_session: Session, group: ActorGroup) -> list[EntryData]:
    """One entry per language with names: the official name, then the other names, so
    that "African Group" also finds 非洲集团; the countries facet lists its members."""
    languages = dict.fromkeys(name.language for name in group.names)
    members = tuple(sorted(country.alpha3 for country in group.members))
    return [
        EntryData(
            language=language,
            title=group.name(language),
            body="\n".join(n.name for n in group.names if n.language == language),
            url=f"/groups/{group.code}",
            countries=members,
            names=tuple(n.name for n in group.names if n.language == language),
        )
        for language in languages
    ]


def _aliases(country: Country, language: str) -> list[str]:
    names = [n.name for n in country.names if n.language == language and n.kind is NameKind.ALIAS]
    return [*names, country.alpha3]


def expected_result_entries(_session: Session, result: ExpectedResult) -> list[EntryData]:
    return [
        EntryData(
            language=title.language,
            title=f"{result.code} {title.text}",
            body="",
            url=f"/expected-results/{result.code}",
        )
        for title in result.texts
    ]


def sector_entries(_session: Session, sector: Sector) -> list[EntryData]:
    return [
        EntryData(
            language=name.language,
            title=name.text,
            body="",
            url=f"/sectors/{sector.code}",
            sector=sector.code,
            names=(name.text,),
        )
        for name in sector.texts
    ]


register(
    Indexer(
        kind="country",
        model=Country,
        build=country_entries,
        parts={CountryName: part_of(Country, lambda n: n.country_alpha3)},
    )
)
register(
    Indexer(
        kind="group",
        model=ActorGroup,
        build=group_entries,
        parts={ActorGroupName: part_of(ActorGroup, lambda n: n.group_code)},
    )
)
register(
    Indexer(
        kind="expected_result",
        model=ExpectedResult,
        build=expected_result_entries,
        parts={ExpectedResultTitle: part_of(ExpectedResult, lambda t: t.expected_result_code)},
    )
)
register(
    Indexer(
        kind="sector",
        model=Sector,
        build=sector_entries,
        parts={SectorName: part_of(Sector, lambda n: n.sector_code)},
    )
)
