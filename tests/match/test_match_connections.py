"""Connections: interest expressed by either side, the states in order with their days,
each change in the change log, and the counts per year, region and dataset."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.match.conftest import ADMIN, load, post, write_csv
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError, PermissionDenied
from devagenda.match.connections import (
    configure_mail,
    connection_counts,
    express_interest,
    move,
)
from devagenda.match.models import ConnectionState, Notice, OutgoingMail

ROWS = [
    post("NEED-1", "need", title_en="Train examiners", countries="KE"),
    post("NEED-2", "need", title_en="Solar for clinics", countries="PE", green_category="energy"),
    post("NEED-3", "need", title_en="A need of no country"),
    post("OFFER-1", "offer", title_en="Examiner training"),
    post("OFFER-2", "offer", title_en="Solar licence", green_category="energy"),
]


@pytest.fixture
def posts(context: AppContext, tmp_path: Path) -> AppContext:
    load(context, write_csv(tmp_path / "posts.csv", ROWS))
    return context


def test_a_pair_moves_through_its_states_with_their_days(posts: AppContext) -> None:
    with acting_as(ADMIN), posts.transaction() as session:
        connection = express_interest(session, "OFFER-1", "NEED-1", on=date(2023, 3, 1))
        assert connection.interested_side.value == "offer"
        assert connection.need.key == "NEED-1"
        move(session, connection.id, ConnectionState.DISCUSSION, on=date(2023, 4, 2))
        move(session, connection.id, ConnectionState.AGREEMENT, on=date(2023, 6, 3))
        move(session, connection.id, ConnectionState.CLOSED, on=date(2023, 9, 4))
        key = connection.id
    with posts.transaction() as session:
        entries = session.scalars(
            select(ChangeEntry)
            .where(ChangeEntry.record_type == "match_connection")
            .order_by(ChangeEntry.id)
        ).all()
        states = [(entry.after or {}).get("state") for entry in entries]
        assert states == ["contacted", "discussion", "agreement", "closed"]
        assert entries[-1].after["closed_on"] == "2023-09-04"
        assert all(entry.record_key == str(key) for entry in entries)


def test_a_state_cannot_be_skipped_or_left_once_finished(posts: AppContext) -> None:
    with acting_as(ADMIN), posts.transaction() as session:
        connection = express_interest(session, "NEED-1", "OFFER-1", on=date(2023, 3, 1))
        with pytest.raises(InputError, match="can move to discussion, dropped, not agreement"):
            move(session, connection.id, ConnectionState.AGREEMENT)
        move(session, connection.id, ConnectionState.DROPPED, on=date(2023, 3, 9))
        with pytest.raises(InputError, match="nothing: it is finished"):
            move(session, connection.id, ConnectionState.DISCUSSION)
        with pytest.raises(InputError, match="already connected"):
            express_interest(session, "OFFER-1", "NEED-1")
        with pytest.raises(InputError, match="both needs"):
            express_interest(session, "NEED-1", "NEED-2")


def test_counts_per_year_region_and_dataset(posts: AppContext) -> None:
    with acting_as(ADMIN), posts.transaction() as session:
        first = express_interest(session, "NEED-1", "OFFER-1", on=date(2023, 2, 1))
        move(session, first.id, ConnectionState.DISCUSSION, on=date(2023, 3, 1))
        move(session, first.id, ConnectionState.DROPPED, on=date(2023, 5, 1))  # still counted
        express_interest(session, "NEED-2", "OFFER-2", on=date(2023, 7, 1))
        third = express_interest(session, "OFFER-2", "NEED-3", on=date(2024, 1, 5))
        move(session, third.id, ConnectionState.DISCUSSION, on=date(2024, 2, 1))
    with posts.transaction() as session:
        counts = connection_counts(session)
    assert (counts.matchmakings, counts.connections) == (3, 2)
    assert (counts.needs, counts.offers) == (3, 2)
    assert counts.by_year == {
        "2023": {"matchmakings": 2, "connections": 1},
        "2024": {"matchmakings": 1, "connections": 1},
    }
    assert counts.by_region == {
        "africa": {"matchmakings": 1, "connections": 1},
        "latin_america_caribbean": {"matchmakings": 1, "connections": 0},
        "not stated": {"matchmakings": 1, "connections": 1},
    }
    assert counts.by_dataset == {
        "wipo_green": {"matchmakings": 2, "connections": 1},
        "wipo_match": {"matchmakings": 1, "connections": 1},
    }


def test_the_command_line_connects_moves_and_counts(posts: AppContext) -> None:
    runner = CliRunner()
    base = ["--database-url", posts.settings.database_url, "match"]
    made = runner.invoke(app, [*base, "interest", "NEED-1", "OFFER-1", "--json"])
    assert made.exit_code == 0, made.output
    connection = json.loads(made.stdout)
    assert connection["state"] == "contacted"
    moved = runner.invoke(app, [*base, "move", str(connection["id"]), "discussion", "--json"])
    assert json.loads(moved.stdout)["state"] == "discussion"
    wrong = runner.invoke(app, [*base, "move", str(connection["id"]), "married"])
    assert wrong.exit_code != 0
    assert "'married' is not a state" in wrong.output
    counted = json.loads(runner.invoke(app, [*base, "counts", "--json"]).stdout)
    assert (counted["matchmakings"], counted["connections"]) == (1, 1)
    assert counted["by_dataset"] == {"wipo_match": {"matchmakings": 1, "connections": 1}}


def test_both_sides_get_a_notice_and_mail_is_queued_only_when_enabled(
    context: AppContext, tmp_path: Path
) -> None:
    rows = [
        post("NEED-1", "need", title_en="Train examiners", contact="Ana <ana@kipi.example>"),
        post("OFFER-1", "offer", title_en="Examiner training", contact="+41 22 338 9111"),
    ]
    load(context, write_csv(tmp_path / "posts.csv", rows))
    with acting_as(ADMIN), context.transaction() as session:
        connection = express_interest(session, "OFFER-1", "NEED-1")
        assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 0  # disabled
        configure_mail(session, enabled=True, sender="match@wipo.example")
        move(session, connection.id, ConnectionState.DISCUSSION)
        notices = session.scalars(select(Notice).order_by(Notice.id)).all()
        assert [n.text for n in notices] == [
            "OFFER-1 is interested in NEED-1",
            "OFFER-1 is interested in NEED-1",
            "NEED-1 and OFFER-1: in discussion",
            "NEED-1 and OFFER-1: in discussion",
        ]
        assert [n.state for n in notices] == [ConnectionState.CONTACTED] * 2 + [
            ConnectionState.DISCUSSION
        ] * 2
        (mail,) = session.scalars(select(OutgoingMail)).all()  # the offer has no address
        assert (mail.sender, mail.recipient) == ("match@wipo.example", "ana@kipi.example")
        assert mail.status.value == "queued"
        # Its reader's language is unknown: the message says it in both.
        assert (
            mail.subject
            == "WIPO Match: NEED-1与OFFER-1：讨论中 | NEED-1 and OFFER-1: in discussion"
        )
        assert "NEED-1：Train examiners" in mail.body
        assert "NEED-1: Train examiners" in mail.body


@pytest.mark.parametrize("role", ["anonymous", "reader", "focal-point", "editor"])
def test_only_an_administrator_configures_mail(context: AppContext, role: str) -> None:
    actor = Actor(label=f"test:{role}", role=Role(role))
    refused = pytest.raises(PermissionDenied, match="mail settings are for administrators")
    with acting_as(actor), context.transaction() as session, refused:
        configure_mail(session, enabled=True, sender="match@wipo.example")
