"""The knowledge-base schema: migrations, idempotent init, and a full project round trip."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from tests.helpers import snapshot

from devagenda.bootstrap import initialize
from devagenda.catalogue.models import (
    CdipSession,
    DatePrecision,
    Document,
    OutputKind,
    Project,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectProposer,
    ProjectRecommendation,
    ProjectStatus,
    ProjectStatusChange,
    Recommendation,
    SessionFormat,
)
from devagenda.core.context import AppContext
from devagenda.core.models import Source, SourceKind, SourceLocation, TextStatus
from devagenda.core.schema import alembic_config, current_revision, head_revision, metadata
from devagenda.reference.models import Cluster, Country, DevelopmentStatus, Sector
from devagenda.search.models import include_name


def test_init_creates_every_table_at_the_head_revision(empty_database: AppContext) -> None:
    summary = initialize(empty_database)
    assert summary.schema_revision == head_revision()
    assert current_revision(empty_database.engine) == summary.schema_revision
    reflected = MetaData()
    reflected.reflect(empty_database.engine)
    assert set(metadata().tables) <= set(reflected.tables)
    assert summary.loaded["recommendations"] == 45
    assert summary.loaded["clusters"] == 6


def test_the_head_read_from_the_migration_files_is_alembics(
    empty_database: AppContext,
) -> None:
    """Start-up reads the head revision without Alembic; it must be the one Alembic sees."""
    from alembic.script import ScriptDirectory

    config = alembic_config(empty_database.engine)
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
    assert current_revision(empty_database.engine) is None


def test_init_twice_leaves_the_same_database(empty_database: AppContext) -> None:
    initialize(empty_database)
    first = snapshot(empty_database)
    initialize(empty_database)
    assert snapshot(empty_database) == first
    assert len(first["country"]) >= 193


def test_reference_data_facts(session: Session) -> None:
    immediate = session.scalars(
        select(Recommendation.number)
        .where(Recommendation.immediate)
        .order_by(Recommendation.number)
    ).all()
    assert immediate == [1, 3, 4, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 35, 37, 42, 44]
    clusters = {
        c.letter: (c.first_recommendation, c.last_recommendation)
        for c in session.scalars(select(Cluster))
    }
    assert clusters == {
        "A": (1, 14),
        "B": (15, 23),
        "C": (24, 32),
        "D": (33, 38),
        "E": (39, 44),
        "F": (45, 45),
    }
    for recommendation in session.scalars(select(Recommendation)):
        first, last = clusters[recommendation.cluster_letter]
        assert first <= recommendation.number <= last
        english = next(t for t in recommendation.texts if t.language == "en")
        assert english.status is TextStatus.UNOFFICIAL_TRANSLATION
    sectors = session.scalars(select(Sector).order_by(Sector.report_order)).all()
    assert [s.text_in("zh") for s in sectors][:2] == ["区域和国家发展部门", "专利和技术部门"]
    ldcs = session.scalars(
        select(Country.alpha3).where(Country.development_status == DevelopmentStatus.LDC)
    ).all()
    assert len(ldcs) == 45
    assert "BTN" not in ldcs  # Bhutan graduated on 13 December 2023


def test_project_round_trip_with_every_relation(session: Session) -> None:
    report = Source(kind=SourceKind.REPORT, key="test/report", title="A report", year=2023)
    session.add(report)
    session.flush()
    where = SourceLocation(source_id=report.id, paragraph=19, sub_item="iv", line=41)
    session.add(where)
    cdip30 = CdipSession(
        number=30,
        start_date=date(2023, 4, 24),
        end_date=date(2023, 4, 28),
        format=SessionFormat.HYBRID,
    )
    session.add(cdip30)
    document = Document(
        symbol="CDIP/30/8 REV.", session=cdip30, url="https://example.org/d", language="zh"
    )
    document.set_text("en", "Project proposal")
    first_phase = Project(phase=1, status=ProjectStatus.EVALUATED)
    first_phase.set_text("zh", "秘鲁及其他发展中国家的知识产权与美食旅游业")
    session.add_all([document, first_phase])
    session.flush()

    project = Project(
        code="DA_1_10_12_40",
        phase=2,
        predecessor=first_phase,
        approved_session=cdip30,
        sector=session.get(Sector, "RND"),
        start_date=date(2024, 1, 1),
        status=ProjectStatus.APPROVED,
    )
    project.set_text("zh", "知识产权与美食旅游业——第二阶段", source_location_id=where.id)
    project.set_text(
        "en", "IP and Gastronomic Tourism – Phase II", TextStatus.UNOFFICIAL_TRANSLATION
    )
    project.proposers = [
        ProjectProposer(
            country_alpha3=code, position=i, name_as_printed=name, source_location_id=where.id
        )
        for i, (code, name) in enumerate(
            [("PER", "秘鲁"), ("CMR", "喀麦隆"), ("MYS", "马来西亚"), ("MAR", "摩洛哥")]
        )
    ]
    project.beneficiaries = [ProjectBeneficiary(group_code=_any_group(session), position=0)]
    project.recommendation_links = [
        ProjectRecommendation(recommendation_number=n, source_location_id=where.id)
        for n in (1, 10, 12, 40)
    ]
    project.status_history = [
        ProjectStatusChange(
            status=ProjectStatus.APPROVED,
            on_date=date(2023, 4, 28),
            date_precision=DatePrecision.DAY,
            source_location_id=where.id,
        )
    ]
    project.outputs = [ProjectOutput(kind=OutputKind.STUDY, title="Study", language="en")]
    project.documents = [document]
    session.add(project)
    session.flush()
    project_id = project.id
    session.expunge_all()

    loaded = session.get_one(Project, project_id)
    assert loaded.code == "DA_1_10_12_40"
    assert loaded.predecessor.text_in("zh") == "秘鲁及其他发展中国家的知识产权与美食旅游业"
    assert loaded.approved_session.format is SessionFormat.HYBRID
    assert loaded.sector.text_in("en") == "Regional and National Development Sector"
    assert [p.country.alpha3 for p in loaded.proposers] == ["PER", "CMR", "MYS", "MAR"]
    assert loaded.proposers[0].name_as_printed == "秘鲁"
    assert loaded.beneficiaries[0].group is not None
    assert [r.number for r in loaded.recommendations] == [1, 10, 12, 40]
    assert [(c.status, c.on_date) for c in loaded.status_history] == [
        (ProjectStatus.APPROVED, date(2023, 4, 28))
    ]
    change_location = session.get_one(SourceLocation, loaded.status_history[0].source_location_id)
    assert change_location.describe() == "test/report ¶19 iv"
    assert loaded.outputs[0].kind is OutputKind.STUDY
    assert loaded.documents[0].symbol == "CDIP/30/8 REV."
    assert loaded.text_in("en") == "IP and Gastronomic Tourism – Phase II"
    assert {t.language: t.status for t in loaded.texts}["en"] is (TextStatus.UNOFFICIAL_TRANSLATION)


def _any_group(session: Session) -> str:
    return session.scalars(text("SELECT code FROM actor_group ORDER BY code")).first()


def test_a_proposer_is_a_country_or_a_group_never_both(session: Session) -> None:
    project = Project(phase=1, status=ProjectStatus.PROPOSED)
    project.proposers = [ProjectProposer(country_alpha3="KEN", group_code=_any_group(session))]
    session.add(project)
    with pytest.raises(IntegrityError, match="one_actor"):
        session.flush()


def test_migrations_match_the_models(empty_database: AppContext) -> None:
    """A model change without its migration would make the two engines drift apart."""
    initialize(empty_database)
    with empty_database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        assert compare_metadata(context, metadata()) == []


def test_an_upgrade_keeps_the_rows_that_refer_to_a_rebuilt_table(
    empty_database: AppContext,
) -> None:
    """0024 rebuilds `match_post` on SQLite (copy, drop, rename). With foreign keys
    enforced, the drop cascaded to every connection, notice and queued mail: the upgrade
    must keep them, on both engines."""
    from alembic import command

    command.upgrade(alembic_config(empty_database.engine), "0023")
    with empty_database.engine.begin() as connection:
        for number, side in ((1, "need"), (2, "offer")):
            connection.execute(
                text(
                    "INSERT INTO match_post (id, key, side, owner, version, created_at,"
                    " updated_at) VALUES (:id, :key, :side, 'an office', 1,"
                    " '2026-01-01', '2026-01-01')"
                ),
                {"id": number, "key": f"{side.upper()}-1", "side": side},
            )
        connection.execute(
            text(
                "INSERT INTO match_connection (id, need_id, offer_id, interested_side, state,"
                " contacted_on, version, created_at, updated_at)"
                " VALUES (1, 1, 2, 'need', 'contacted', '2026-01-01', 1, '2026-01-01',"
                " '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO match_notice (id, post_id, connection_id, text, created_on)"
                " VALUES (1, 2, 1, 'NEED-1 is interested in OFFER-1', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO match_outgoing_mail (id, notice_id, sender, recipient, subject,"
                " body, status) VALUES (1, 1, 'match@example.org', 'office@example.org',"
                " 'Interest', 'NEED-1 is interested in OFFER-1', 'queued')"
            )
        )
    initialize(empty_database)
    with empty_database.engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("match_post", "match_connection", "match_notice", "match_outgoing_mail")
        }
        kind = connection.execute(text("SELECT kind FROM match_notice")).scalar_one()
    assert counts == {
        "match_post": 2,
        "match_connection": 1,
        "match_notice": 1,
        "match_outgoing_mail": 1,
    }
    assert kind == "connection"
    if empty_database.engine.dialect.name == "sqlite":
        with empty_database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_every_logged_table_keyed_by_an_id_never_gives_an_id_twice(
    empty_database: AppContext,
) -> None:
    """The change log names records by key: a migration that rebuilds such a table on
    SQLite without AUTOINCREMENT would let a new row take a deleted record's id again."""
    from devagenda.core.changelog import logged_models

    initialize(empty_database)
    tables = sorted(
        model.__table__.name
        for model in logged_models().values()
        if model.__table__.dialect_options["sqlite"]["autoincrement"]
    )
    assert {"activity", "consultant", "match_post", "project"} <= set(tables)
    with empty_database.engine.connect() as connection:
        for table in tables:
            if connection.dialect.name == "sqlite":
                made = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :table"), {"table": table}
                ).scalar_one()
                assert "AUTOINCREMENT" in made, table
            else:
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
                ).scalar_one()
                assert sequence is not None, table
