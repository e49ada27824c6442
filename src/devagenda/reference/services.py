"""Business rules for reference data: loading the shipped files and resolving names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from devagenda.catalogue.coverage import project_coverage, recommendation_coverage
from devagenda.catalogue.importers import read_recommendations
from devagenda.catalogue.models import Project, Recommendation, RecommendationExpectedResult
from devagenda.catalogue.schemas import ProjectFilter, ProjectRef
from devagenda.catalogue.services import locations_by_id, project_listing, project_ref, texts_out
from devagenda.core.changelog import logged_run
from devagenda.core.errors import NotFoundError
from devagenda.core.listing import ColumnFacet, ListSource, Sort
from devagenda.core.models import TextStatus
from devagenda.core.pagination import Listing, contains_text, text_in
from devagenda.core.provenance import dataset_source, row_location
from devagenda.core.sqlreader import SessionReader
from devagenda.reference import importers, resolution
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.models import (
    ActorGroup,
    ActorGroupMember,
    ActorGroupName,
    Cluster,
    Country,
    CountryName,
    DevelopmentStatus,
    ExpectedResult,
    NameKind,
    Sector,
    WipoRegion,
)
from devagenda.reference.resolution import CountryOut, GroupOut, Resolution
from devagenda.reference.schemas import (
    CountryDetail,
    CountryFilter,
    ExpectedResultOut,
    GroupDetail,
    SectorOut,
)
from devagenda.reports.content import mentions_of

# The UN list of least developed countries that the shipped statuses describe.
STATUS_AS_OF = date(2023, 12, 31)


def load_reference_data(session: Session) -> dict[str, int]:
    """Insert or update every shipped reference record; running it twice changes nothing.
    A load that changes stored reference data (a newer release's) is one change-log entry;
    the first load into a new database is part of making it, and is not logged."""
    first = session.scalar(select(Recommendation.number).limit(1)) is None
    with logged_run(session, "reference_data", "shipped", quiet=first):
        return _load_all(session)


def _load_all(session: Session) -> dict[str, int]:
    counts = {
        "clusters": _load_clusters(session),
        "recommendations": _load_recommendations(session),
        "expected_results": _load_expected_results(session),
        "sectors": _load_sectors(session),
        "countries": _load_countries(session),
        "groups": _load_groups(session),
    }
    session.flush()
    return counts


def _get_or_add(session: Session, model: type, key: object, **fields: object):  # type: ignore[no-untyped-def]
    """Fetch by primary key, create if missing, and set `fields` only where they differ."""
    record = session.get(model, key)
    if record is None:
        record = model(**fields)
        session.add(record)
        return record
    for name, value in fields.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
    return record


def _load_clusters(session: Session) -> int:
    source = dataset_source(session, "clusters.csv", "Development Agenda clusters")
    records = importers.read_clusters()
    for record in records:
        cluster = _get_or_add(
            session,
            Cluster,
            record.letter,
            letter=record.letter,
            first_recommendation=record.first,
            last_recommendation=record.last,
        )
        location = row_location(session, source, record.line).id
        cluster.set_text("en", record.title_en, TextStatus.OFFICIAL, location)
        cluster.set_text("zh", record.title_zh, TextStatus.OFFICIAL, location)
    session.flush()
    return len(records)


def _load_recommendations(session: Session) -> int:
    source = dataset_source(session, "recommendations.csv", "Development Agenda recommendations")
    records = read_recommendations()
    for record in records:
        recommendation = _get_or_add(
            session,
            Recommendation,
            record.number,
            number=record.number,
            cluster_letter=record.cluster,
            immediate=record.immediate,
        )
        if not _has_official_text(recommendation.texts, "en"):
            location = row_location(session, source, record.line).id
            recommendation.set_text("en", record.text_en, record.text_en_status, location)
    return len(records)


def _has_official_text(texts: Iterable, language: str) -> bool:  # type: ignore[type-arg]
    """An official wording (e.g. from an ingested English report) beats our translation."""
    return any(t.language == language and t.status is TextStatus.OFFICIAL for t in texts)


def _load_expected_results(session: Session) -> int:
    source = dataset_source(session, "expected_results.csv", "MTSP 2022-2026 expected results")
    records = importers.read_expected_results()
    for record in records:
        result = _get_or_add(
            session,
            ExpectedResult,
            record.code,
            code=record.code,
            strategic_pillar=record.strategic_pillar,
        )
        location = row_location(session, source, record.line).id
        # The Chinese titles are copied from the report; the English ones are partly ours.
        result.set_text("zh", record.title_zh, TextStatus.OFFICIAL, location)
        if not _has_official_text(result.texts, "en"):
            result.set_text("en", record.title_en, TextStatus.UNOFFICIAL_TRANSLATION, location)
    return len(records)


def _load_sectors(session: Session) -> int:
    source = dataset_source(session, "sectors.csv", "WIPO sectors")
    records = importers.read_sectors()
    for record in records:
        sector = _get_or_add(
            session,
            Sector,
            record.code,
            code=record.code,
            valid_from=record.valid_from,
            valid_to=record.valid_to,
            report_order=record.report_order,
        )
        location = row_location(session, source, record.line).id
        sector.set_text("en", record.name_en, TextStatus.OFFICIAL, location)
        sector.set_text("zh", record.name_zh, TextStatus.OFFICIAL, location)
    return len(records)


def _desired_names(
    name_en: str, name_zh: str, aliases_en: Sequence[str], aliases_zh: Sequence[str]
) -> list[tuple[str, str, NameKind]]:
    names = [("en", name_en, NameKind.OFFICIAL), ("zh", name_zh, NameKind.OFFICIAL)]
    names += [("en", alias, NameKind.ALIAS) for alias in aliases_en]
    names += [("zh", alias, NameKind.ALIAS) for alias in aliases_zh]
    unique: dict[tuple[str, str], NameKind] = {}
    for language, name, kind in names:
        unique.setdefault((language, name), kind)
    return [(language, name, kind) for (language, name), kind in unique.items()]


def _sync_names(existing: list, desired: list[tuple[str, str, NameKind]], name_class: type) -> None:  # type: ignore[type-arg]
    """Make a name list equal to `desired`, keeping rows that are already right."""
    by_key = {(n.language, n.name): n for n in existing}
    wanted = {(language, name) for language, name, _ in desired}
    for key, row in by_key.items():
        if key not in wanted:
            existing.remove(row)
    for position, (language, name, kind) in enumerate(desired):
        row = by_key.get((language, name))
        if row is None:
            existing.append(name_class(language=language, name=name, kind=kind, position=position))
            continue
        if row.kind is not kind:
            row.kind = kind
        if row.position != position:
            row.position = position


def _load_countries(session: Session) -> int:
    records = importers.read_countries()
    for record in records:
        country = _get_or_add(
            session,
            Country,
            record.alpha3,
            alpha3=record.alpha3,
            alpha2=record.alpha2,
            m49=record.m49,
            wipo_region=WipoRegion(record.wipo_region),
            development_status=DevelopmentStatus(record.development_status),
            status_as_of=STATUS_AS_OF,
            un_member=record.un_member,
            wipo_member=record.wipo_member,
        )
        desired = _desired_names(
            record.name_en, record.name_zh, record.aliases_en, record.aliases_zh
        )
        _sync_names(country.names, desired, CountryName)
    session.flush()
    return len(records)


def _load_groups(session: Session) -> int:
    records = importers.read_groups()
    for record in records:
        group = _get_or_add(session, ActorGroup, record.code, code=record.code, kind=record.kind)
        desired = _desired_names(
            record.name_en, record.name_zh, record.aliases_en, record.aliases_zh
        )
        _sync_names(group.names, desired, ActorGroupName)
        # Members are a set (read back in code order): only a different set is a change.
        if {m.alpha3 for m in group.members} != set(record.members):
            members = [session.get(Country, alpha3) for alpha3 in record.members]
            group.members = [m for m in members if m is not None]
    return len(records)


def build_gazetteer(session: Session) -> Gazetteer:
    """The name index over the countries and groups stored in this database."""
    return resolution.read_gazetteer(SessionReader(session))


def resolve_names(session: Session, names: Sequence[str], *, limit: int = 5) -> list[Resolution]:
    """Each name to its country or group, or to the nearest candidates when none matches
    (the rules: `devagenda.reference.resolution`, which the command line also runs)."""
    return resolution.resolve_names(SessionReader(session), names, limit=limit)


def list_countries(
    session: Session,
    *,
    region: WipoRegion | None = None,
    status: DevelopmentStatus | None = None,
) -> list[CountryOut]:
    query = select(Country).order_by(Country.alpha3)
    if region is not None:
        query = query.where(Country.wipo_region == region)
    if status is not None:
        query = query.where(Country.development_status == status)
    return [CountryOut.of(country) for country in session.scalars(query)]


def get_country(session: Session, code: str) -> CountryOut | None:
    """By ISO alpha-2 or alpha-3 code, in any case."""
    code = code.strip().upper()
    column = Country.alpha2 if len(code) == 2 else Country.alpha3
    country = session.scalar(select(Country).where(column == code))
    return CountryOut.of(country) if country else None


def expected_result_listing(session: Session) -> Listing[ExpectedResultOut]:
    return Listing(
        session,
        select(ExpectedResult),
        ExpectedResult.code,
        _expected_results_out,
        text_in(ExpectedResult.code, translated=ExpectedResult),
    )


def get_expected_result(session: Session, code: str) -> ExpectedResultOut:
    result = session.get(ExpectedResult, code.strip())
    if result is None:
        raise NotFoundError(f"no expected result {code!r}")
    return _expected_results_out(session, [result])[0]


def _expected_results_out(
    session: Session, results: Sequence[ExpectedResult]
) -> list[ExpectedResultOut]:
    linked: dict[str, list[int]] = {}
    for code, number in session.execute(
        select(
            RecommendationExpectedResult.expected_result_code,
            RecommendationExpectedResult.recommendation_number,
        )
        .where(RecommendationExpectedResult.expected_result_code.in_([r.code for r in results]))
        .order_by(RecommendationExpectedResult.recommendation_number)
    ):
        linked.setdefault(code, []).append(number)
    locations = locations_by_id(session, (t.source_location_id for r in results for t in r.texts))
    covered = recommendation_coverage(session).expected_results
    return [
        ExpectedResultOut(
            code=r.code,
            strategic_pillar=r.strategic_pillar,
            title_zh=r.text_in("zh", fallback=()),
            title_en=r.text_in("en", fallback=()),
            titles=texts_out(r.texts, locations),
            recommendations=linked.get(r.code, []),
            recommendations_covered=covered,
        )
        for r in results
    ]


def sector_listing(session: Session) -> Listing[SectorOut]:
    return Listing(
        session, select(Sector), Sector.code, _sectors_out, text_in(Sector.code, translated=Sector)
    )


def get_sector(session: Session, code: str) -> SectorOut:
    sector = session.get(Sector, code.strip().upper())
    if sector is None:
        raise NotFoundError(f"no sector {code!r}")
    return _sectors_out(session, [sector])[0]


def _sectors_out(session: Session, sectors: Sequence[Sector]) -> list[SectorOut]:
    projects: dict[str, list[ProjectRef]] = {}
    for project in session.scalars(
        select(Project)
        .where(Project.sector_code.in_([s.code for s in sectors]))
        .order_by(Project.id)
    ):
        projects.setdefault(project.sector_code or "", []).append(project_ref(project))
    covered = project_coverage(session).sector
    return [
        SectorOut(
            code=s.code,
            name_zh=s.text_in("zh", fallback=()),
            name_en=s.text_in("en", fallback=()),
            valid_from=s.valid_from,
            valid_to=s.valid_to,
            report_order=s.report_order,
            projects=projects.get(s.code, []),
            projects_covered=covered,
        )
        for s in sectors
    ]


def country_listing(session: Session, filters: CountryFilter | None = None) -> Listing[CountryOut]:
    filters = filters or CountryFilter()
    query = select(Country)
    if filters.region is not None:
        query = query.where(Country.wipo_region == filters.region)
    if filters.status is not None:
        query = query.where(Country.development_status == filters.status)
    return Listing(
        session,
        query,
        Country.alpha3,
        lambda _session, rows: [CountryOut.of(c) for c in rows],
        _country_text,
    )


def country_source(
    session: Session, filters: CountryFilter | None = None, language: str = "en"
) -> ListSource[CountryOut]:
    """The countries list for the database to filter, count and order: facets by WIPO
    region and development status; names in `language` (else English)."""
    status_rank = case(
        {status: rank for rank, status in enumerate(DevelopmentStatus)},
        value=Country.development_status,
    )
    name = func.coalesce(_official_name_sql(language), _official_name_sql("en"), Country.alpha3)
    return ListSource(
        country_listing(session, filters),
        facets=(
            ColumnFacet("region", Country.wipo_region, WipoRegion),
            ColumnFacet("status", Country.development_status, DevelopmentStatus),
        ),
        sorts={
            "name": Sort(name, nullable=False),
            "code": Sort(Country.alpha3, nullable=False),
            "region": Sort(Country.wipo_region, nullable=False),
            "status": Sort(status_rank, nullable=False),
        },
    )


def _official_name_sql(language: str) -> ColumnElement[str]:
    """`Country.name(language)` without its fallback, as SQL."""
    return (
        select(CountryName.name)
        .where(
            CountryName.country_alpha3 == Country.alpha3,
            CountryName.language == language,
            CountryName.kind == NameKind.OFFICIAL,
        )
        .order_by(CountryName.position)
        .limit(1)
        .scalar_subquery()
    )


def _country_text(q: str) -> ColumnElement[bool]:
    """A country matches by its codes and by any of its names and aliases, in any language
    (`Uganda` and `乌干达` alike)."""
    return or_(
        contains_text(q, Country.alpha3, Country.alpha2),
        Country.names.any(contains_text(q, CountryName.name)),
    )


def get_country_detail(session: Session, code: str) -> CountryDetail:
    """A country by ISO alpha-2 or alpha-3 code, with the projects that benefit it or that
    it proposed and every place a report names it."""
    country = get_country(session, code)
    if country is None:
        raise NotFoundError(f"no country with code {code!r}")
    groups = session.scalars(
        select(ActorGroupMember.group_code)
        .where(ActorGroupMember.country_alpha3 == country.alpha3)
        .order_by(ActorGroupMember.group_code)
    )
    return CountryDetail(
        **country.model_dump(),
        groups=list(groups),
        projects_benefiting=list(
            project_listing(session, ProjectFilter(beneficiary=country.alpha3)).all()
        ),
        projects_proposed=list(
            project_listing(session, ProjectFilter(proposer=country.alpha3)).all()
        ),
        mentions=mentions_of(session, country=country.alpha3),
    )


def group_listing(session: Session) -> Listing[GroupOut]:
    return Listing(
        session,
        select(ActorGroup),
        ActorGroup.code,
        lambda _session, rows: [GroupOut.of(g) for g in rows],
        lambda q: or_(
            contains_text(q, ActorGroup.code),
            ActorGroup.names.any(contains_text(q, ActorGroupName.name)),
        ),
    )


def get_group_detail(session: Session, code: str) -> GroupDetail:
    group = session.get(ActorGroup, code.strip().upper())
    if group is None:
        raise NotFoundError(f"no group {code!r}")
    return GroupDetail(
        **GroupOut.of(group).model_dump(),
        projects_benefiting=list(
            project_listing(session, ProjectFilter(beneficiary=group.code)).all()
        ),
        projects_proposed=list(project_listing(session, ProjectFilter(proposer=group.code)).all()),
        mentions=mentions_of(session, group=group.code),
    )
