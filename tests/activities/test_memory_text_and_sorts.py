"""The text filter and the sorts of the activities list answered from memory.

`q` matched in the held folded texts must find exactly the activities the SQL text
filter (ILIKE over code, city, unit, titles and descriptions) finds, whatever the
script, accents or case, on both engines; a sorted page from the held sort values must
give SQL's order (NULLs last, ties by id) and the same keyset cursors; a title written
by another process is matched on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select, update
from tests.activities.conftest import SEMINAR, WEBINAR, write_csv

from devagenda.activities.models import Activity, ActivityDescription, ActivityTitle
from devagenda.activities.services import _text_filter, activity_source, import_activities
from devagenda.core import memory_facets
from devagenda.core.context import AppContext
from devagenda.core.listing import Selection
from devagenda.core.models import TextStatus
from devagenda.demo.services import generate

# Words, parts of words, codes, cities, units and literal wildcards, in several scripts.
QUERIES = [
    "Nairobi",
    "division for",
    "DIVISION",
    "nairobi",
    "NAIROBI",
    "airob",
    "研讨会",
    "研讨",
    "会",
    "Bogotá",
    "bogotá",
    "BOGOTÁ",
    "Bogota",
    "é",
    "É",
    "école",
    "ÉCOLE",
    "Straße",
    "STRASSE",
    "привет",
    "ПРИВЕТ",
    "İstanbul",
    "istanbul",
    "ΟΔΟΣ",
    "οδος",
    "demo-",
    "DEMO-0000",
    "patent",
    "Patent Drafting",
    "50%",
    "a_b",
    "%",
    "_",
    "\\",
    "x",
    "e",
    "nothing-matches-this",
    "workshop on",
    " seminar ",
]
TRICKY_TITLE = "Séminaire ÉCOLE Straße ΟΔΟΣ İstanbul ПРИВЕТ 50% a_b back\\slash"
FAR_KEY = 3 * memory_facets.CHUNK_SIZE + 5
SORTS = ["start_date", "-start_date", "end_date", "-end_date", "participants", "-participants"]


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """Two real activities, 400 demo ones (seed 5), and one title and one description
    with capitals, accents and wildcard characters."""
    context = AppContext.for_url(databases.initialized_url())
    path = write_csv(tmp_path_factory.mktemp("real") / "real.csv", [SEMINAR, WEBINAR])
    with context.transaction() as session:
        import_activities(session, [path])
    with context.transaction() as session:
        generate(session, {"activities": 400}, seed=5)
        first = session.scalars(select(Activity.id).order_by(Activity.id)).first()
        session.execute(
            update(ActivityTitle)
            .where(ActivityTitle.activity_id == first)
            .values(text=TRICKY_TITLE)
        )
        session.add(
            ActivityDescription(
                activity_id=first + 1,
                language="en",
                text="Une rencontre à Bogotá\x1fsur les brevets",
                status=TextStatus.OFFICIAL,
            )
        )
    with context.transaction() as session:  # a second chunk of keys, far from the first
        session.add(
            Activity(
                id=FAR_KEY,
                code="FAR-AWAY-1",
                venue_city="Nairobi",
                organising_unit="Division for Africa",
                participants=12,
            )
        )
        session.flush()
        session.add(ActivityTitle(activity_id=FAR_KEY, language="en", text="Far Seminar, Bogotá"))
    yield context
    context.engine.dispose()


def _sql_keys(session, q: str) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(session.scalars(select(Activity.id).where(_text_filter(q))).all())


def test_the_held_texts_match_what_sql_matches(context: AppContext) -> None:
    with context.transaction() as session:
        source = activity_source(session)
        columns = memory_facets.MemoryColumns().columns(session, source)
        matched = 0
        for q in QUERIES:
            found = columns.text_keys(q.strip())
            assert found is not None, q
            expected = _sql_keys(session, q.strip())
            assert found.tolist() == expected, q
            matched += bool(expected)
        assert FAR_KEY in columns.keys and FAR_KEY in _sql_keys(session, "nairobi")
    assert matched >= len(QUERIES) // 2  # most queries find something: the test can fail


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_the_trigram_index_and_the_scan_match_alike(
    context: AppContext, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """Candidates from the trigram index confirmed one by one (share 1: always), and a
    scan of the chunk's texts whenever a needle is longer than a trigram (share 0)."""
    monkeypatch.setattr(memory_facets, "CONFIRM_SHARE", share)
    with context.transaction() as session:
        columns = memory_facets.MemoryColumns().columns(session, activity_source(session))
        assert all(len(text.grams) for text in columns.texts)
        for q in QUERIES:
            found = columns.text_keys(q.strip())
            assert found is not None and found.tolist() == _sql_keys(session, q.strip()), q


def test_the_folding_is_the_engines_own(context: AppContext) -> None:
    """SQLite's LOWER folds ASCII letters only, PostgreSQL's every letter: either way the
    held texts agree with the database on an accented capital."""
    with context.transaction() as session:
        columns = memory_facets.MemoryColumns().columns(session, activity_source(session))
        found = columns.text_keys("école")
        assert found is not None
        sqlite = session.get_bind().dialect.name == "sqlite"
        assert (len(found) == 0) == sqlite
        assert found.tolist() == _sql_keys(session, "école")


def test_a_separator_in_q_is_left_to_sql(context: AppContext) -> None:
    with context.transaction() as session:
        source = activity_source(session)
        columns = memory_facets.MemoryColumns().columns(session, source)
        assert columns.text_keys("Bogotá\x1fsur") is None
        selection = Selection(q="Bogotá\x1fsur")
        total, _ = source.counted(selection)
        assert (total, _) == replace(source, memory=None).counted(selection)
        assert total == len(_sql_keys(session, "Bogotá\x1fsur")) == 1


@pytest.mark.parametrize("q", ["Nairobi", "研讨会", "bogotá", "DEMO"])
def test_counts_with_q_from_memory_equal_sqls(context: AppContext, q: str) -> None:
    with context.transaction() as session:
        source = activity_source(session)
        for facets in ({}, {"type": "workshop"}, {"region": "africa", "mode": "none"}):
            selection = Selection(q=q, facets=facets)
            assert source.counted(selection) == replace(source, memory=None).counted(selection)


def _walk(source, selection: Selection, limit: int) -> tuple[list[int], list[str | None]]:  # type: ignore[no-untyped-def]
    ids, cursors, cursor = [], [], None
    while True:
        page = source.page_after(selection, cursor=cursor, limit=limit)
        ids.extend(item.id for item in page.items)
        cursors.append(page.next_cursor)
        cursor = page.next_cursor
        if cursor is None:
            return ids, cursors
        assert len(cursors) <= len(ids), "the cursors go round in a circle"


@pytest.mark.parametrize("walked", [True, False], ids=["held-order", "ranked"])
@pytest.mark.parametrize("sort", SORTS)
def test_sorted_pages_from_memory_follow_sqls_order_and_cursors(
    context: AppContext, sort: str, walked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of taking a sorted page: walking the held order (large selections) and
    ranking the chosen rows alone (small ones), each forced for every selection."""
    monkeypatch.setattr(memory_facets, "SMALL_SELECTION", 10**9 if walked else 0)
    with context.transaction() as session:
        source = activity_source(session)
        by_sql = replace(source, memory=None)
        for facets, q in (({}, None), ({"type": "workshop"}, None), ({"mode": "none"}, "e")):
            selection = Selection(q=q, facets=facets, sort=sort)
            ids, cursors = _walk(source, selection, 37)
            sql_ids, sql_cursors = _walk(by_sql, selection, 37)
            assert ids == sql_ids and len(ids) == by_sql.counted(selection)[0] > 0
            assert cursors == sql_cursors  # a cursor of either serves the other
        column = getattr(Activity, sort.removeprefix("-"))
        everything, _ = _walk(source, Selection(sort=sort), 50)
        unstated = set(session.scalars(select(Activity.id).where(column.is_(None))).all())
        assert len(everything) > 37 * 2  # several pages, several cursors
        assert unstated and set(everything[-len(unstated) :]) == unstated  # NULLs last


def test_a_title_written_by_another_process_is_matched(databases) -> None:  # type: ignore[no-untyped-def]
    url = databases.initialized_url()
    first, second = AppContext.for_url(url), AppContext.for_url(url)
    held = memory_facets.MemoryColumns()

    def matched(q: str) -> list[int]:
        with second.transaction() as session:
            found = held.columns(session, activity_source(session)).text_keys(q)
            assert found is not None
            assert found.tolist() == _sql_keys(session, q)
            return found.tolist()

    try:
        with first.transaction() as session:
            generate(session, {"activities": 30}, seed=4)
        assert matched("Zanzibar-unique") == []
        with first.transaction() as session:
            title = session.scalars(
                select(ActivityTitle).order_by(ActivityTitle.activity_id, ActivityTitle.language)
            ).first()
            assert title is not None
            title.text = "Workshop in Zanzibar-unique"
            owner = title.activity_id
        assert matched("zanzibar-UNIQUE") == [owner]
        with first.transaction() as session:
            session.add(
                ActivityDescription(
                    activity_id=owner + 1, language="fr", text="Atelier Zanzibar-unique"
                )
            )
        assert matched("Zanzibar-unique") == [owner, owner + 1]
    finally:
        first.engine.dispose()
        second.engine.dispose()
        databases.remove(url)
