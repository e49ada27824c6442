"""Demo data and the in-memory facet counts of the activities list.

The counts from the process's columns (`core.memory_facets`) must equal the database's
own GROUP BY counts (the same `ListSource` without `memory`) for any selection; two
processes sharing one database must each see the other's committed writes; demo data is
reproducible, removable exactly, and never mixes with real imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from tests.activities.conftest import SEMINAR, WEBINAR, write_csv

from devagenda.activities import demo
from devagenda.activities.importers import languages, subject_areas
from devagenda.activities.models import Activity, ActivityBeneficiary, ActivityType
from devagenda.activities.services import (
    ActivitiesImportRefused,
    activity_source,
    import_activities,
)
from devagenda.core import memory_facets
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError
from devagenda.core.listing import Selection
from devagenda.demo.services import generate, remove

DEMO_ROWS = 600
# Values each facet is filtered by in the property test ("none": not stated).
CHOICES = {
    "type": ["seminar", "workshop", "webinar", "none"],
    "mode": ["virtual", "in_person", "none"],
    "year": ["2015", "2024", "none"],
    "sector": ["RND", "none"],
    "demo": ["true", "false"],
    "country": ["KEN", "IND", "BRA", "none"],
    "region": ["africa", "asia_pacific", "none"],
    "country_group": ["ldc", "transition", "none"],
    "subject_area": ["patents", "copyright", "none"],
    "language": ["fr", "en", "none"],
    "recommendation": ["1", "10", "none"],
    "expected_result": ["2.1", "none"],
    "project": ["none"],
    "funding_source": ["FIT Japan IP Global", "none"],
}


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A database with two real activities and DEMO_ROWS demo ones (seed 7)."""
    context = AppContext.for_url(databases.initialized_url())
    path = write_csv(tmp_path_factory.mktemp("real") / "real.csv", [SEMINAR, WEBINAR])
    with context.transaction() as session:
        import_activities(session, [path])
    with context.transaction() as session:
        generate(session, {"activities": DEMO_ROWS}, seed=7)
    yield context
    context.engine.dispose()


def _both(context: AppContext, selection: Selection) -> tuple[Any, Any]:
    """(counted from memory, counted by SQL) for the activities list."""
    with context.transaction() as session:
        source = activity_source(session)
        assert source.memory is not None
        in_memory = source.counted(selection)
        by_sql = replace(source, memory=None).counted(selection)
    return in_memory, by_sql


def test_the_columns_count_what_sql_counts_without_filters(context: AppContext) -> None:
    in_memory, by_sql = _both(context, Selection())
    assert in_memory == by_sql
    total, facets = in_memory
    with context.engine.connect() as connection:
        assert total == connection.scalar(text("SELECT count(*) FROM activity")) == DEMO_ROWS + 2
        demo_rows = connection.scalar(text("SELECT count(*) FROM activity WHERE demo"))
        unstated = connection.scalar(text("SELECT count(*) FROM activity WHERE mode IS NULL"))
    assert facets["demo"] == {"true": demo_rows, "false": 2}
    assert facets["mode"].get("none", 0) == unstated > 0  # not stated is counted, not 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.dictionaries(
        st.sampled_from(sorted(CHOICES)), st.just(""), min_size=0, max_size=3
    ).flatmap(lambda names: st.fixed_dictionaries({n: st.sampled_from(CHOICES[n]) for n in names})),
    q=st.sampled_from([None, "Nairobi", "研讨会", "Patent", "nothing-matches-this"]),
    since=st.sampled_from([None, "2020-01-01", "2024-06-30"]),
    until=st.sampled_from([None, "2019-12-31", "2024-01-01"]),
)
def test_any_selection_counts_as_sql_does(
    context: AppContext,
    chosen: dict[str, str],
    q: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """Facets, their own filter left out, "not stated" and link facets included; the
    text filter matched in memory and the date range applied from the held dates."""
    with context.transaction() as session:
        source = activity_source(session, _dates(since, until))
        selection = Selection(q=q, facets=chosen)
        assert source.counted(selection) == replace(source, memory=None).counted(selection)


@pytest.mark.parametrize("bitmaps", [True, False])
def test_both_ways_of_counting_count_what_sql_counts(
    context: AppContext, monkeypatch: pytest.MonkeyPatch, bitmaps: bool
) -> None:
    """Popcounts of each value's bitmap, and codes gathered at the chosen rows (slots and
    the pairs beyond them), forced in turn, over selections small and large."""
    monkeypatch.setattr(memory_facets, "BIT_COST", 0.0 if bitmaps else 1e9)
    monkeypatch.setattr(memory_facets, "MAX_SLOTS", 1)  # most rows' links beyond the slot
    with context.transaction() as session:
        source = activity_source(session)
        held = memory_facets.MemoryColumns()
        columns = held.columns(session, source)
        assert columns.link_slots["country"].extra_rows.size > 0
        for chosen in ({}, {"type": "seminar"}, {"region": "africa", "mode": "none"}):
            selection = Selection(facets=chosen)
            found = memory_facets.count(columns, source, selection, None)
            expected = replace(source, memory=None).counted(selection)
            assert (found.total, found.facets) == expected


def test_a_page_read_by_keys_is_the_page_the_entities_give(context: AppContext) -> None:
    """The summaries of a page chosen in memory are read as plain rows; they are those
    the loaded entities give, field by field, in the keys' order."""
    with context.transaction() as session:
        listing = activity_source(session).listing
        assert listing.by_keys is not None
        entities = session.scalars(listing.query.order_by(Activity.id.desc())).all()
        keys = [entity.id for entity in entities]
        assert listing.by_keys(session, [*keys, max(keys) + 1]) == listing.convert(
            session, entities
        )
        assert any(s.beneficiaries and s.title_zh for s in listing.by_keys(session, keys))


def _dates(since: str | None, until: str | None) -> Any:
    from datetime import date

    from devagenda.activities.schemas import ActivityFilter

    return ActivityFilter(
        since=date.fromisoformat(since) if since else None,
        until=date.fromisoformat(until) if until else None,
    )


@pytest.mark.parametrize(
    ("since", "until"), [("2020-01-01", None), (None, "2019-12-31"), ("2021-03-01", "2021-09-30")]
)
def test_the_date_range_is_the_overlap_that_sql_states(
    context: AppContext, since: str | None, until: str | None
) -> None:
    """An activity is in the range when it ends (or, with no end stated, starts) on or
    after `since` and starts on or before `until`; one with no dates is in no range. The
    ids and the sorted pages from memory are those of plain SQL."""
    conditions = []
    if since:
        conditions.append(f"COALESCE(end_date, start_date) >= '{since}'")
    if until:
        conditions.append(f"start_date <= '{until}'")
    with context.engine.connect() as connection:
        expected = connection.scalars(
            text(f"SELECT id FROM activity WHERE {' AND '.join(conditions)} ORDER BY id")
        ).all()
        by_start = connection.scalars(
            text(
                f"SELECT id FROM activity WHERE {' AND '.join(conditions)}"
                " ORDER BY start_date DESC NULLS LAST, id LIMIT 30"
            )
        ).all()
    with context.transaction() as session:
        source = activity_source(session, _dates(since, until))
        found = source.counted_in_memory(Selection())
        ids = [int(k) for k in found.columns.keys[found.rows]]
        page = source.page_after(Selection(sort="-start_date"), limit=30)
    assert ids == expected and 0 < len(expected) < DEMO_ROWS
    assert page.total == len(expected)
    assert [item.id for item in page.items] == by_start


def test_pages_in_key_order_come_from_the_columns_as_sql_gives_them(
    context: AppContext,
) -> None:
    selection = Selection(facets={"type": "seminar", "region": "africa"})
    with context.transaction() as session:
        source = activity_source(session)
        pages, cursor = [], None
        while True:
            page = source.page_after(selection, cursor=cursor, limit=25)
            pages.extend(item.id for item in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        by_sql = replace(source, memory=None)
        expected = [item.id for item in by_sql.all(selection)]
    assert pages == expected and len(expected) == page.total > 25


def test_a_second_process_sees_the_first_ones_writes(databases) -> None:  # type: ignore[no-untyped-def]
    """Two processes (two column holders on two engines) share one database: a write
    committed through one is counted by the other's next request, chunk tokens telling
    it which part of its columns to read again."""
    url = databases.initialized_url()
    first, second = AppContext.for_url(url), AppContext.for_url(url)
    held_first, held_second = memory_facets.MemoryColumns(), memory_facets.MemoryColumns()

    def counts(context: AppContext, held: memory_facets.MemoryColumns) -> dict[str, int]:
        with context.transaction() as session:
            source = activity_source(session)
            columns = held.columns(session, source)
            found = memory_facets.count(columns, source, Selection(), None)
            assert (found.total, found.facets) == replace(source, memory=None).counted(Selection())
            return found.facets["type"]

    try:
        with first.transaction() as session:
            generate(session, {"activities": 50}, seed=3)
        before = counts(second, held_second)
        counts(first, held_first)
        with first.transaction() as session:  # a write through the first process
            activity = session.scalars(select(Activity).order_by(Activity.id)).first()
            assert activity is not None
            old = activity.type
            activity.type = ActivityType.STUDY if old != ActivityType.STUDY else ActivityType.OTHER
            new = activity.type
        after = counts(second, held_second)
        assert after[new.value] == before.get(new.value, 0) + 1
        assert sum(after.values()) == sum(before.values()) == 50
        with first.transaction() as session:  # a link row alone changes a chunk too
            session.execute(
                ActivityBeneficiary.__table__.delete().where(
                    ActivityBeneficiary.activity_id == activity.id
                )
            )
        counts(second, held_second)
    finally:
        first.engine.dispose()
        second.engine.dispose()
        databases.remove(url)


def test_a_link_moved_to_another_chunk_renews_the_chunk_it_left(databases) -> None:  # type: ignore[no-untyped-def]
    """A beneficiary row moved to an activity of another chunk: the chunk it left gets a
    new token too, so that other processes stop counting the link there."""
    with databases.initialized_copy() as context:
        with context.transaction() as session:
            generate(session, {"activities": 3}, seed=5)
        with context.engine.begin() as connection:
            first = connection.scalar(text("SELECT min(activity_id) FROM activity_beneficiary"))
            far = first + memory_facets.CHUNK_SIZE
            connection.execute(  # a copy of the activity, a chunk further on
                text(
                    "INSERT INTO activity (id, code, version, demo, created_at, updated_at)"
                    " SELECT :far, 'DEMO-FAR', 1, demo, created_at, updated_at"
                    " FROM activity WHERE id = :first"
                ),
                {"far": far, "first": first},
            )

        def token(connection: Any, key: int) -> str:
            return connection.scalar(
                text("SELECT token FROM list_chunk WHERE list_name = 'activity' AND chunk = :c"),
                {"c": key // memory_facets.CHUNK_SIZE},
            )

        with context.engine.begin() as connection:
            before = token(connection, first)
            connection.execute(
                text("UPDATE activity_beneficiary SET activity_id = :far WHERE activity_id = :a"),
                {"far": far, "a": first},
            )
            assert token(connection, first) != before
            assert token(connection, far) is not None


def test_generating_refreshes_the_planners_statistics(databases) -> None:  # type: ignore[no-untyped-def]
    """A million rows written in bulk must not be planned as an empty table's."""
    with databases.initialized_copy() as context:
        with context.transaction() as session:
            generate(session, {"activities": 20}, seed=4)
        with context.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'activity_beneficiary'"
            else:
                query = (
                    "SELECT count(*) FROM pg_stat_user_tables WHERE relname ="
                    " 'activity_beneficiary' AND last_analyze IS NOT NULL"
                )
            assert connection.scalar(text(query)) > 0


def test_the_same_seed_gives_the_same_rows(databases) -> None:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:

        def rows() -> list[Any]:
            with context.engine.connect() as connection:
                activities = connection.execute(
                    text(
                        "SELECT code, type, mode, organising_unit, sector_code, start_date,"
                        " end_date, venue_city, host_country_alpha3, participants,"
                        " participants_women, funding_source FROM activity ORDER BY code"
                    )
                ).all()
                links = connection.execute(
                    text(
                        "SELECT a.code, b.country_alpha3, b.position FROM activity_beneficiary b"
                        " JOIN activity a ON a.id = b.activity_id ORDER BY 1, 3"
                    )
                ).all()
                titles = connection.execute(
                    text(
                        "SELECT a.code, t.language, t.text FROM activity_title t"
                        " JOIN activity a ON a.id = t.activity_id ORDER BY 1, 2"
                    )
                ).all()
            return [activities, links, titles]

        with context.transaction() as session:
            generate(session, {"activities": 120}, seed=11)
        first = rows()
        with context.transaction() as session:
            remove(session)
        with context.transaction() as session:
            generate(session, {"activities": 120}, seed=11)
        assert rows() == first and len(first[0]) == 120
        with context.transaction() as session:
            remove(session)
        with context.transaction() as session:
            generate(session, {"activities": 120}, seed=12)
        assert rows()[0] != first[0]
        scripts = {
            "latin with diacritics": "á",
            "chinese": "年",
        }
        every_title = " ".join(t for _, _, t in first[2])
        assert all(mark in every_title for mark in scripts.values())


def test_remove_deletes_exactly_the_demo_rows_as_one_logged_run(databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:
        path = write_csv(tmp_path / "real.csv", [SEMINAR, WEBINAR])
        with context.transaction() as session:
            import_activities(session, [path])

        def counts() -> dict[str, int]:
            with context.engine.connect() as connection:
                return {
                    table: connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0
                    for table in ("activity", "activity_beneficiary", "activity_title")
                }

        real = counts()
        with context.engine.connect() as connection:
            real_codes = connection.scalars(text("SELECT code FROM activity ORDER BY code")).all()
        with context.transaction() as session:
            generate(session, {"activities": 200}, seed=1)
        with (
            pytest.raises(InputError, match="demo remove"),  # never on top of demo data
            context.transaction() as session,
        ):
            generate(session, {"activities": 5}, seed=2)
        with context.transaction() as session:
            result = remove(session)
        assert result.rows == {"activities": 200, "consultants": 0}
        assert counts() == real
        with context.engine.connect() as connection:
            assert connection.scalars(text("SELECT code FROM activity ORDER BY code")).all() == (
                real_codes
            )
        with context.transaction() as session:
            entry = session.scalars(
                select(ChangeEntry).where(ChangeEntry.record_type == "demo_remove")
            ).one()
            after = entry.after if isinstance(entry.after, dict) else json.loads(entry.after)
        assert after["activities"] == 200
        assert after["counts"]["activity"] == {"delete": 200}


def test_imports_refuse_demo_codes_and_demo_rows(context: AppContext, tmp_path: Path) -> None:
    with context.transaction() as session:
        stored = session.scalar(select(Activity.code).where(Activity.demo).limit(1))
        before = session.scalar(select(func.count()).select_from(Activity))
    assert stored is not None and stored.startswith("DEMO-")
    rows = [
        {**SEMINAR, "code": stored},
        {**WEBINAR, "code": "demo-new-1"},
    ]
    path = write_csv(tmp_path / "demo.csv", rows)
    with pytest.raises(ActivitiesImportRefused) as refused, context.transaction() as session:
        import_activities(session, [path])
    lines = refused.value.lines()
    assert any("row 2, column 'code'" in line and "demo activity" in line for line in lines)
    assert any("row 3, column 'code'" in line and "kept for demo data" in line for line in lines)
    with context.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == before


def test_the_generator_draws_only_known_codes() -> None:
    areas, drawn_languages = demo.known_codes()
    assert areas <= set(subject_areas())
    assert drawn_languages <= set(languages())


def test_an_empty_list_counts_nothing_from_memory(databases) -> None:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context, context.transaction() as session:
        source = activity_source(session)
        held = memory_facets.MemoryColumns()
        found = memory_facets.count(held.columns(session, source), source, Selection(), None)
        assert (found.total, found.facets) == replace(source, memory=None).counted(Selection())
        assert found.total == 0 and source.page_after(Selection()).items == []
