"""Resolving names over plain SQL: the command line's sqlite3 reader gives exactly the
service's answers, reads every write at once, and steps aside when the database needs
creating or upgrading."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from tests.helpers import rolled_back
from tests.reference.report_names import REPORT_COUNTRY_NAMES, REPORT_GROUP_NAMES

from devagenda.bootstrap import needs_nothing
from devagenda.core.context import AppContext
from devagenda.core.schema import head_revision
from devagenda.core.sqlreader import SessionReader, open_sqlite, sqlite_file
from devagenda.reference import resolution, services
from devagenda.reference.models import ActorGroup, Country, CountryName, NameKind

# Misspellings, other cases and forms, and names of nothing: the fuzzy candidates too must
# be the same.
ODD_NAMES = [
    "Tanzanai",
    "坦桑尼亚联合共国",
    "Ugnda",
    "the Gambia",
    "GAMBIA (THE)",
    "  côte d’ivoire ",
    "Bolivia (Plurinational State of)",
    "Türkiye",
    "uga",
    "Atlantis",
    "亚特兰蒂斯",
    "",
    "'; DROP TABLE country; --",
]


@pytest.fixture(scope="module")
def report_database(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """The reference data and the real 2023 report."""
    context = AppContext.for_url(databases.report_url())
    yield context
    context.engine.dispose()


@pytest.fixture
def sqlite_only(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the plain-sqlite3 reader reads SQLite files only")


def every_name(context: AppContext) -> list[str]:
    with context.transaction() as session:
        gazetteer = services.build_gazetteer(session)
    names = [name for entry in gazetteer.entries for name in entry.names]
    names += [name.upper() for name in names] + [f"the {name}" for name in names]
    return [*names, *REPORT_COUNTRY_NAMES, *REPORT_GROUP_NAMES, *ODD_NAMES]


def answers(resolutions: list[resolution.Resolution]) -> list[dict]:  # type: ignore[type-arg]
    return [r.model_dump(mode="json") for r in resolutions]


@pytest.mark.usefixtures("sqlite_only")
def test_the_sqlite3_reader_answers_exactly_as_the_service(report_database: AppContext) -> None:
    names = every_name(report_database)
    assert len(names) > 2000
    with report_database.transaction() as session:
        expected = services.resolve_names(session, names, limit=5)
    with open_sqlite(report_database.settings.database_url) as reader:
        assert reader is not None and needs_nothing(reader)
        quick = resolution.resolve_names(reader, names, limit=5)
    assert answers(quick) == answers(expected)
    resolved = [r for r in quick if r.resolved]
    assert len(resolved) > 1900  # every stored name and its variants
    assert {r.country.alpha3 for r in resolved if r.country} >= set(REPORT_COUNTRY_NAMES.values())
    unknown = {r.query: r for r in quick if not r.resolved}
    assert unknown["Tanzanai"].candidates[0].key == "TZA"


def test_rows_give_what_the_models_give(report_database: AppContext) -> None:
    """The row readers build countries and groups as `CountryOut.of` and `GroupOut.of`
    build them from the ORM's objects, on both engines."""
    with report_database.transaction() as session:
        index = resolution.NameIndex.read(SessionReader(session))
        countries = session.scalars(select(Country)).all()
        groups = session.scalars(select(ActorGroup)).all()
        assert len(countries) > 190 and len(groups) > 20
        for country in countries:
            assert index.country(country.alpha3) == resolution.CountryOut.of(country)
        for group in groups:
            assert index.group(group.code) == resolution.GroupOut.of(group)


@pytest.mark.usefixtures("sqlite_only")
def test_a_committed_write_is_read_at_once(report_database: AppContext) -> None:
    """No copy of the names is kept anywhere: what another connection commits is what
    the next reader sees, and what it removes is gone."""
    url = report_database.settings.database_url
    alias = "Perle de l'Afrique"

    def resolved() -> str | None:
        with open_sqlite(url) as reader:
            assert reader is not None
            (answer,) = resolution.resolve_names(reader, [alias])
        return answer.country.alpha3 if answer.country else None

    assert resolved() is None
    try:
        with report_database.transaction() as session:
            session.add(
                CountryName(
                    country_alpha3="UGA",
                    language="fr",
                    name=alias,
                    kind=NameKind.ALIAS,
                    position=99,
                )
            )
        assert resolved() == "UGA"
    finally:
        with report_database.transaction() as session:
            session.execute(delete(CountryName).where(CountryName.name == alias))
    assert resolved() is None


@pytest.mark.usefixtures("sqlite_only")
def test_a_database_that_needs_work_is_left_to_the_service(
    report_database: AppContext, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    source = sqlite_file(report_database.settings.database_url)
    assert source is not None
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
        original.backup(target)
    url = f"sqlite:///{copy}"
    with open_sqlite(url) as reader:
        assert reader is not None and needs_nothing(reader)

    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    with open_sqlite(url) as reader:
        assert reader is not None and not needs_nothing(reader)  # an upgrade is due

    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (head_revision(),))
        connection.execute("DELETE FROM recommendation")
    with open_sqlite(url) as reader:
        assert reader is not None and not needs_nothing(reader)  # no reference data

    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with open_sqlite(f"sqlite:///{empty}") as reader, pytest.raises(sqlite3.OperationalError):
        assert reader is not None
        needs_nothing(reader)  # no schema at all: the command line falls back on this


def test_only_plain_sqlite_files_are_opened(tmp_path: Path) -> None:
    present = tmp_path / "present.sqlite3"
    sqlite3.connect(present).close()
    assert sqlite_file(f"sqlite:///{present}") == present
    for url in (
        f"sqlite:///{tmp_path / 'missing.sqlite3'}",  # never created here
        "sqlite://",
        "sqlite:///:memory:",
        f"sqlite:///{present}?mode=ro",
        f"sqlite:///{tmp_path}/a%20b.sqlite3",
        "sqlite+pysqlite:///x.sqlite3",
        "postgresql://postgres@127.0.0.1:5432/test",
    ):
        assert sqlite_file(url) is None, url
        with open_sqlite(url) as reader:
            assert reader is None
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_service_reads_its_own_pending_writes(report_database: AppContext) -> None:
    """A session's reader flushes first, as the ORM's queries do: a name added in the
    same transaction resolves (the web UI resolves inside a request's session)."""
    with rolled_back(report_database) as session:
        session.add(
            CountryName(
                country_alpha3="UGA",
                language="fr",
                name="Ouganda",
                kind=NameKind.ALIAS,
                position=98,
            )
        )
        (answer,) = services.resolve_names(session, ["Ouganda"])
        assert answer.country is not None and answer.country.alpha3 == "UGA"
        assert answer.country.aliases["fr"] == ["Ouganda"]
