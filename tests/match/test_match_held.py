"""Suggestions from the posts held in memory (match.held) equal those from SQL, and
follow what other sessions write.

The posts are written through the ORM with made-up unit vectors (encoding hundreds of
texts would test the encoder): several kinds of support, countries in every WIPO region,
languages, facts not stated, expired posts, posts not encoded yet, and offers sharing one
vector so that their scores tie. A write made in another session reaches this process
only through the database, as another process's would: nothing in the writing session
tells the held posts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.match import held
from devagenda.match.models import (
    MatchPost,
    MatchPostCountry,
    MatchPostEmbedding,
    MatchPostLanguage,
    Side,
    Support,
)
from devagenda.match.suggestions import DIMENSIONS, suggest
from devagenda.reference.codes import WipoRegion
from devagenda.reference.models import Country

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
TODAY = date(2026, 6, 1)
LANGUAGES = ("en", "zh", "fr", "es", "ar")
SUPPORTS = [None, *Support]


@pytest.fixture
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as made:
        yield made


def _unit(rng: np.random.Generator) -> np.ndarray:
    vector = rng.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _countries(session: Session) -> dict[WipoRegion, list[str]]:
    found: dict[WipoRegion, list[str]] = {}
    for alpha3, region in session.execute(
        select(Country.alpha3, Country.wipo_region).order_by(Country.alpha3)
    ):
        found.setdefault(region, []).append(alpha3)
    return {region: codes[:4] for region, codes in found.items()}


def _add(
    session: Session,
    key: str,
    side: Side,
    vector: np.ndarray | None,
    *,
    support: Support | None = None,
    countries: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    valid_until: date | None = None,
) -> MatchPost:
    post = MatchPost(
        key=key,
        side=side,
        owner=f"owner of {key}",
        title_en=f"post {key}",
        support=support,
        valid_until=valid_until,
    )
    post.countries = [
        MatchPostCountry(country_alpha3=alpha3, position=n) for n, alpha3 in enumerate(countries)
    ]
    post.languages = [MatchPostLanguage(language=code) for code in languages]
    session.add(post)
    session.flush()
    if vector is not None:
        session.add(MatchPostEmbedding(post_id=post.id, vector=vector.tobytes()))
        session.flush()
    return post


def _generate(context: AppContext, count: int) -> None:
    rng = np.random.default_rng(7)
    pick = random.Random(7)
    with acting_as(ADMIN), context.transaction() as session:
        places = _countries(session)
        regions = sorted(places)
        shared = _unit(rng)  # the vector of the tied offers
        for number in range(count):
            side = Side.NEED if number % 2 else Side.OFFER
            countries: tuple[str, ...] = ()
            if pick.random() < 0.7:  # the rest: countries not stated
                region = pick.choice(regions)
                countries = tuple(pick.sample(places[region], pick.randint(1, 2)))
                if pick.random() < 0.2:
                    countries += (pick.choice(places[pick.choice(regions)]),)
            languages = tuple(pick.sample(LANGUAGES, pick.randint(0, 2)))
            ends = pick.random()
            valid_until = (
                None
                if ends < 0.5
                else TODAY - timedelta(days=pick.randint(1, 400))
                if ends < 0.7
                else TODAY + timedelta(days=pick.randint(0, 400))
            )
            tied = side == Side.OFFER and number % 10 == 0
            encoded = tied or pick.random() < 0.95
            vector = shared if tied else _unit(rng) if encoded else None
            _add(
                session,
                f"{side.value.upper()}-{number:04d}",
                side,
                vector,
                support=pick.choice(SUPPORTS),
                countries=tuple(dict.fromkeys(countries)),
                languages=languages,
                valid_until=valid_until,
            )
        # A need whose vector is the tied offers', with no constraint: every tied offer
        # scores the same, so the key alone orders them.
        _add(session, "NEED-TIES", Side.NEED, shared)


def _encoded_keys(context: AppContext) -> list[str]:
    with context.transaction() as session:
        return list(
            session.scalars(
                select(MatchPost.key)
                .join(MatchPostEmbedding, MatchPostEmbedding.post_id == MatchPost.id)
                .order_by(MatchPost.key)
            )
        )


def test_held_suggestions_equal_the_sql_ones(context: AppContext) -> None:
    _generate(context, 400)
    keys = _encoded_keys(context)
    compared = 0
    with context.transaction() as session:
        post = session.scalar(select(MatchPost).where(MatchPost.key == keys[0]))
        assert post is not None
        vector = np.frombuffer(session.get(MatchPostEmbedding, post.id).vector, np.float32)
        # The memory path is the one taken, not a fallback to SQL.
        assert held.PROCESS.ranked(session, held.own_facts(post), vector, TODAY) is not None
        for key in [*keys[::4], "NEED-TIES"]:
            memory = suggest(session, key, limit=25, today=TODAY)
            sql = suggest(session, key, limit=25, today=TODAY, in_memory=False)
            assert memory == sql, key
            compared += len(memory)
        ties = suggest(session, "NEED-TIES", limit=25, today=TODAY)
    assert compared > 500
    top = [s for s in ties if s.score == ties[0].score]
    assert len(top) > 5  # the tied offers that are valid, in key order
    assert [s.key for s in top] == sorted(s.key for s in top)


def test_constraints_and_not_stated_facts_filter_as_in_sql(context: AppContext) -> None:
    rng = np.random.default_rng(3)
    with acting_as(ADMIN), context.transaction() as session:
        places = _countries(session)
        africa, asia = places[WipoRegion.AFRICA], places[WipoRegion.ASIA_PACIFIC]
        need = _unit(rng)
        _add(
            session,
            "NEED-1",
            Side.NEED,
            need,
            support=Support.LICENCE,
            countries=(africa[0],),
            languages=("en",),
        )
        near = need + 0.01 * _unit(rng)
        wanted = {
            "SAME-REGION": dict(support=Support.LICENCE, countries=(africa[1],)),
            "NOTHING-STATED": {},
            "LANGUAGE": dict(languages=("en", "fr")),
            "VALID-TODAY": dict(valid_until=TODAY),
        }
        unwanted = {
            "OTHER-SUPPORT": dict(support=Support.SALE),
            "OTHER-REGION": dict(countries=(asia[0],)),
            "OTHER-LANGUAGE": dict(languages=("fr",)),
            "EXPIRED": dict(valid_until=TODAY - timedelta(days=1)),
        }
        for key, facts in {**wanted, **unwanted}.items():
            _add(session, key, Side.OFFER, near / np.linalg.norm(near), **facts)  # type: ignore[arg-type]
        _add(session, "NOT-ENCODED", Side.OFFER, None)
        _add(session, "NEED-2", Side.NEED, near / np.linalg.norm(near))
    with context.transaction() as session:
        found = suggest(session, "NEED-1", today=TODAY)
        assert sorted(s.key for s in found) == sorted(wanted)
        assert found == suggest(session, "NEED-1", today=TODAY, in_memory=False)


def _keys(context: AppContext, key: str) -> list[str]:
    with context.transaction() as session:
        return [s.key for s in suggest(session, key, today=TODAY)]


def test_writes_of_another_session_are_seen_by_the_next_call(context: AppContext) -> None:
    rng = np.random.default_rng(5)
    need = _unit(rng)
    with acting_as(ADMIN), context.transaction() as session:
        places = _countries(session)
        _add(session, "NEED-1", Side.NEED, need, countries=(places[WipoRegion.AFRICA][0],))
        _add(session, "OFFER-OLD", Side.OFFER, _unit(rng))
    assert _keys(context, "NEED-1") == ["OFFER-OLD"]
    reads = held.PROCESS.reads_of(context.engine)

    with acting_as(ADMIN), context.transaction() as session:  # a new offer
        _add(session, "OFFER-NEW", Side.OFFER, need)
    assert _keys(context, "NEED-1") == ["OFFER-NEW", "OFFER-OLD"]
    assert held.PROCESS.reads_of(context.engine) == reads + 1  # the post re-read, not all

    with acting_as(ADMIN), context.transaction() as session:  # a part moved away
        offer = session.scalar(select(MatchPost).where(MatchPost.key == "OFFER-NEW"))
        assert offer is not None
        offer.countries = [MatchPostCountry(country_alpha3=places[WipoRegion.ARAB][0])]
    assert _keys(context, "NEED-1") == ["OFFER-OLD"]

    with acting_as(ADMIN), context.transaction() as session:  # the region follows it
        arab = places[WipoRegion.ARAB][0]
        session.execute(
            update(Country).where(Country.alpha3 == arab).values(wipo_region=WipoRegion.AFRICA)
        )
    assert _keys(context, "NEED-1") == ["OFFER-NEW", "OFFER-OLD"]

    with acting_as(ADMIN), context.transaction() as session:  # deleted
        session.delete(session.scalar(select(MatchPost).where(MatchPost.key == "OFFER-NEW")))
    assert _keys(context, "NEED-1") == ["OFFER-OLD"]


def test_a_vector_encoded_by_another_session_is_seen(context: AppContext) -> None:
    """An embedding written without any other change (as `encode_pending` does for a
    post another process stored) writes no change-log entry."""
    rng = np.random.default_rng(6)
    need = _unit(rng)
    with acting_as(ADMIN), context.transaction() as session:
        _add(session, "NEED-1", Side.NEED, need)
        _add(session, "OFFER-1", Side.OFFER, _unit(rng))
        pending = _add(session, "OFFER-LATE", Side.OFFER, None).id
    assert _keys(context, "NEED-1") == ["OFFER-1"]
    with context.transaction() as session:
        session.add(MatchPostEmbedding(post_id=pending, vector=need.tobytes()))
    assert _keys(context, "NEED-1") == ["OFFER-LATE", "OFFER-1"]


def test_own_uncommitted_writes_count_for_their_session_only(context: AppContext) -> None:
    rng = np.random.default_rng(8)
    need = _unit(rng)
    with acting_as(ADMIN), context.transaction() as session:
        _add(session, "NEED-1", Side.NEED, need)
        _add(session, "OFFER-1", Side.OFFER, _unit(rng))
    assert _keys(context, "NEED-1") == ["OFFER-1"]
    with acting_as(ADMIN):
        writer = context.sessions()
        try:
            _add(writer, "OFFER-MINE", Side.OFFER, need)
            found = suggest(writer, "NEED-1", today=TODAY)
            assert [s.key for s in found] == ["OFFER-MINE", "OFFER-1"]
            assert found == suggest(writer, "NEED-1", today=TODAY, in_memory=False)
            assert _keys(context, "NEED-1") == ["OFFER-1"]  # not committed
            writer.rollback()
        finally:
            writer.close()
    assert _keys(context, "NEED-1") == ["OFFER-1"]


def test_an_entry_committed_after_a_later_one_is_not_missed(context: AppContext) -> None:
    """Two writers at once: the first takes the lower change-log ids but commits last.
    SQLite has one writer at a time, so there only the first one writes."""
    rng = np.random.default_rng(9)
    need = _unit(rng)
    with acting_as(ADMIN), context.transaction() as session:
        _add(session, "NEED-1", Side.NEED, need)
    assert _keys(context, "NEED-1") == []
    postgresql = context.engine.dialect.name == "postgresql"
    with acting_as(ADMIN):
        first = context.sessions()
        try:
            _add(first, "OFFER-FIRST", Side.OFFER, need)
            if postgresql:
                with context.transaction() as second:
                    _add(second, "OFFER-SECOND", Side.OFFER, _unit(rng))
            later = ["OFFER-SECOND"] if postgresql else []
            assert _keys(context, "NEED-1") == later
            first.commit()
        finally:
            first.close()
    assert _keys(context, "NEED-1") == ["OFFER-FIRST", *later]


def test_posts_not_encoded_yet_are_encoded_as_before(context: AppContext) -> None:
    """A post stored without its embedding: suggesting for it encodes every such post
    in the caller's transaction, and those just encoded are candidates at once."""
    rng = np.random.default_rng(10)
    with acting_as(ADMIN), context.transaction() as session:
        _add(session, "NEED-HELD", Side.NEED, _unit(rng))
        _add(session, "OFFER-HELD", Side.OFFER, _unit(rng))
        need = _add(session, "NEED-NEW", Side.NEED, None)
        need.title_en = "Funding for a training centre for patent examiners"
        offer = _add(session, "OFFER-NEW", Side.OFFER, None)
        offer.title_en = "Training patent examiners: a grant for a national centre"
    assert _keys(context, "NEED-HELD") == ["OFFER-HELD"]  # OFFER-NEW has no vector yet
    with context.transaction() as session:
        found = suggest(session, "NEED-NEW", today=TODAY)
        assert [s.key for s in found] == ["OFFER-NEW", "OFFER-HELD"]
        assert found == suggest(session, "NEED-NEW", today=TODAY, in_memory=False)
    assert _keys(context, "NEED-HELD")[0] in {"OFFER-NEW", "OFFER-HELD"}
    assert len(_keys(context, "NEED-HELD")) == 2


def test_a_starting_app_holds_the_posts_before_the_first_suggestion(context: AppContext) -> None:
    """`serve` loads the posts in the background as it starts (seconds at 100,000
    posts), so that the first reader asking for suggestions does not wait for them; a
    database without posts is left alone."""
    import threading

    from fastapi.testclient import TestClient

    from devagenda.api import create_app

    def started() -> int:
        with TestClient(create_app(context), base_url="http://127.0.0.1"):
            for thread in threading.enumerate():
                if thread.name == "match-warm":
                    thread.join(timeout=60)
        return held.PROCESS.reads_of(context.engine)

    assert started() == 0  # no posts: nothing loaded
    rng = np.random.default_rng(11)
    with acting_as(ADMIN), context.transaction() as session:
        _add(session, "NEED-1", Side.NEED, _unit(rng))
        _add(session, "OFFER-1", Side.OFFER, _unit(rng))
    assert started() == 1
    assert _keys(context, "NEED-1") == ["OFFER-1"]
    assert held.PROCESS.reads_of(context.engine) == 1  # the first call found them held
