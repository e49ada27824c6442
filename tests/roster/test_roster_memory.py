"""The consultants list counted and matched from memory, as the activities list is.

For the public and for personal readers alike, every facet's counts, every `q` (names in
Chinese, with or without diacritics, codes, tasks, literal wildcards) and the rows a
page walk gives must be exactly what SQL gives, on both engines; the public state never
holds, so never matches, gender, nationalities or contact details; a write through
another process (a link row alone included) is seen on the next request; the chunk
triggers of migration 0020 go and come back with a downgrade and an upgrade.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, func, insert, select, text
from tests.roster.conftest import ADMIN

from devagenda.core import memory_facets
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.core.listing import NOT_STATED, Selection
from devagenda.core.schema import alembic_config
from devagenda.demo.services import generate
from devagenda.roster.models import (
    Assignment,
    AssignmentCountry,
    Consultant,
    ConsultantLanguage,
    Gender,
)
from devagenda.roster.schemas import ConsultantFilter
from devagenda.roster.services import (
    AssignmentValue,
    ConsultantValues,
    _personal_text,
    _public_text,
    consultant_source,
    write_values,
)

PUBLIC = Actor(label="reader@example.org", role=Role.READER)
PERSONAL = Actor(label="editor@example.org", role=Role.EDITOR)
FAR_KEY = 2 * memory_facets.CHUNK_SIZE + 7
FAR_EMAIL = "far.away@example.org"
FAR_PHONE = "+254 700 123 456"
QUERIES = [
    "Wang",
    "wang xiao ming",
    "WANG XIAOMING",
    "王小明",
    "王",
    "李娜",
    "María",
    "maria",
    "MARÍA",
    "Garcia López",
    "García",
    "Ñúñez",
    "ñúñez",
    "NÚÑEZ",
    "ÉCOLE",
    "école",
    "Straße",
    "strasse",
    "Иван",
    "иван",
    "IPROC-0",
    "iproc",
    "DEMO-",
    "Task 1",
    "training of",
    "séminaire",
    "example.org",
    "expert1@",
    FAR_EMAIL,
    FAR_PHONE,
    "+41 22",
    "Geneva",
    "50%",
    "a_b",
    "%",
    "_",
    "\\",
    "|",
    "x",
    "e",
    " Li Na ",
    "nothing-matches-this",
]


@pytest.fixture(scope="module")
def context(roster: AppContext) -> Iterator[AppContext]:
    """The varied roster (tests/roster/conftest.py), 300 demo consultants (seed 6) and,
    in a chunk of its own, one consultant with accents, Chinese, wildcards and contact
    details in every text."""
    with roster.transaction() as session:
        generate(session, {"consultants": 300, "activities": 60}, seed=6)
    with acting_as(ADMIN), roster.transaction() as session:
        far = Consultant(id=FAR_KEY, code="FAR-50%_1")
        session.add(far)
        values = ConsultantValues(
            columns={
                "name_latin": "Ñúñez ÉCOLE Straße",
                "name_own": "阮氏明",
                "gender": Gender.FEMALE,
                "email": FAR_EMAIL,
                "phone": FAR_PHONE,
                "address": "Rue de l'École 50% a_b, back\\slash",
            },
            links={
                "nationalities": ["KEN"],
                "languages": ["fr"],
                "assignments": [AssignmentValue(2020, ("KEN", "UGA"), None, "Séminaire IP")],
            },
        )
        write_values(session, far, values, None)
    return roster


def _sql_ids(session: Any, q: str | None, personal: bool, facets: dict[str, str]) -> list[int]:
    """The consultants the selection lets through, by one SQL query of their own."""
    source = consultant_source(session)
    query = select(Consultant.id)
    if q is not None and q.strip():
        query = query.where((_personal_text if personal else _public_text)(q.strip()))
    for name, value in facets.items():
        query = query.where(source.facet(name).condition(value))
    return sorted(session.scalars(query).all())


def _walk(source: Any, selection: Selection) -> list[int]:
    ids, cursor = [], None
    while True:
        page = source.page_after(selection, cursor=cursor, limit=97)
        ids.extend(item.id for item in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return ids


def _same_as_sql(session: Any, selection: Selection, personal: bool) -> int:
    """Check the held answer against SQL's; how many rows it lets through."""
    source = consultant_source(session)
    assert source.memory is not None and source._in_memory()
    found = source.counted(selection)
    assert found == replace(source, memory=None).counted(selection), selection
    ids = _walk(source, selection)
    assert ids == _sql_ids(session, selection.q, personal, dict(selection.facets)), selection
    assert len(ids) == found[0]
    return len(ids)


@pytest.mark.parametrize("actor", [PUBLIC, PERSONAL], ids=["public", "personal"])
def test_every_q_matches_what_sql_matches(context: AppContext, actor: Actor) -> None:
    matched = 0
    with acting_as(actor), context.transaction() as session:
        source = consultant_source(session)
        columns = memory_facets.PROCESS.columns(session, source)
        names = [memory_facets.PROCESS.columns(session, s) for s in source._rewritten()]
        assert len(names) == 1
        for q in QUERIES:
            assert source._held_text_keys(columns, names, q.strip()) is not None, q  # no SQL
            matched += bool(_same_as_sql(session, Selection(q=q), actor is PERSONAL))
    assert matched >= len(QUERIES) // 2  # most queries find something: the test can fail


@pytest.mark.parametrize("actor", [PUBLIC, PERSONAL], ids=["public", "personal"])
def test_every_facet_value_counts_what_sql_counts(context: AppContext, actor: Actor) -> None:
    personal = actor is PERSONAL
    with acting_as(actor), context.transaction() as session:
        source = consultant_source(session)
        names = {f.name for f in source.facets}
        assert ({"gender", "nationality"} <= names) == personal
        _, unfiltered = replace(source, memory=None).counted(Selection())
        for name, counts in unfiltered.items():
            assert counts, name
            for value in [*counts, NOT_STATED]:
                _same_as_sql(session, Selection(facets={name: value}), personal)
        combined = [
            {"language": "en", "assignment_year": "2022"},
            {"beneficiary_country": "KEN", "ip_field": NOT_STATED, "demo": "false"},
            {"language": NOT_STATED, "demo": "true"},
        ]
        if personal:
            combined += [{"gender": Gender.FEMALE, "nationality": "KEN"}, {"gender": NOT_STATED}]
        for facets in combined:
            for q in (None, "a", "Task", "王", "example"):
                assert _same_as_sql(session, Selection(q=q, facets=facets), personal) >= 0
        assert _same_as_sql(session, Selection(q="Ñúñez", facets={"language": "fr"}), personal)


def test_a_name_filter_is_applied_with_the_held_facets(context: AppContext) -> None:
    with acting_as(PUBLIC), context.transaction() as session:
        for name, facets in (("Wang Xiaoming", {}), ("王小明", {"language": "en"}), ("xyzzy", {})):
            source = consultant_source(session, ConsultantFilter(name=name))
            for q in (None, "wang", "iproc"):
                selection = Selection(q=q, facets=facets)
                found = source.counted(selection)
                assert found == replace(source, memory=None).counted(selection)
                assert _walk(source, selection) == _walk(replace(source, memory=None), selection)
        found = consultant_source(session, ConsultantFilter(name="Wang Xiaoming"))
        assert found.counted(Selection())[0] >= 1


@pytest.mark.parametrize("sort", ["match", "-match"])
def test_pages_in_likeness_order_from_memory_follow_sqls_case_order(
    context: AppContext, sort: str
) -> None:
    """The `match` sort read off the ranking in memory: the same rows, pages and cursors
    as SQL ordering by each key's place, with facets and `q` narrowing it."""
    with acting_as(PUBLIC), context.transaction() as session:
        walked = 0
        for name, facets, q in (
            ("Wang Xiaoming", {}, None),
            ("Garcia", {"language": "en"}, None),
            ("王小明", {}, "wang"),
            ("xyzzy", {}, None),
        ):
            source = consultant_source(session, ConsultantFilter(name=name))
            by_sql = replace(source, memory=None)
            selection = Selection(q=q, facets=facets, sort=sort)
            pages, cursor = [], None
            while True:
                page = source.page_after(selection, cursor=cursor, limit=3)
                sql_page = by_sql.page_after(selection, cursor=cursor, limit=3)
                assert page == sql_page, (name, cursor)  # items, total, facets and cursor
                pages.append(page)
                cursor = page.next_cursor
                if cursor is None:
                    break
            ids = [item.id for page in pages for item in page.items]
            ranked = source.order(sort).sort.ranked  # type: ignore[union-attr]
            expected = [k for k in ranked if k in set(_sql_ids(session, q, False, facets))]
            assert ids == (expected[::-1] if sort.startswith("-") else expected)
            walked += len(pages) > 1
        assert walked >= 2  # several names give several pages: the cursors are used


def test_the_public_never_holds_nor_matches_personal_data(context: AppContext) -> None:
    with acting_as(PUBLIC), context.transaction() as session:
        source = consultant_source(session)
        columns = memory_facets.PROCESS.columns(session, source)
        assert "gender" not in columns.values and "nationality" not in columns.values
        held = "".join(t.joined for t in columns.texts)
        assert FAR_EMAIL not in held and "example.org" not in held and "+254" not in held
        assert "ñúñez" in held.lower()  # the held texts are the ones `q` matches
        for q in (FAR_EMAIL, FAR_PHONE, "expert1@example.org", "Geneva", "Rue de l"):
            assert source.counted(Selection(q=q))[0] == 0, q
    with acting_as(PERSONAL), context.transaction() as session:
        source = consultant_source(session)
        for q in (FAR_EMAIL, FAR_PHONE, "expert1@example.org", "Geneva", "Rue de l"):
            assert source.counted(Selection(q=q))[0] >= 1, q
        columns = memory_facets.PROCESS.columns(session, source)
        assert "gender" in columns.values and "nationality" in columns.values


def test_a_write_by_another_process_is_seen_on_the_next_request(databases) -> None:  # type: ignore[no-untyped-def]
    """One process writes (languages, a beneficiary country alone, a task, a name,
    deletes), another holds the columns: each of its answers is SQL's."""
    url = databases.initialized_url()
    first, second = AppContext.for_url(url), AppContext.for_url(url)
    held = memory_facets.MemoryColumns()

    def answer(selection: Selection) -> tuple[int, dict[str, dict[str, int]]]:
        with acting_as(PERSONAL), second.transaction() as session:
            source = consultant_source(session)
            columns = held.columns(session, source)
            expected = replace(source, memory=None).counted(selection)
            if selection.q is None:
                found = memory_facets.count(columns, source, selection, None)
                assert (found.total, found.facets) == expected
            else:  # the held texts, less the name key (held apart, by PROCESS)
                within = columns.text_keys(selection.q)
                assert within is not None
                assert set(within.tolist()) <= set(_sql_ids(session, selection.q, True, {}))
            assert source.counted(selection) == expected
            return expected

    try:
        with first.transaction() as session:
            generate(session, {"consultants": 40, "activities": 10}, seed=3)
        before = answer(Selection())
        answer(Selection(q="Zanzibar-unique"))
        with first.transaction() as session:
            assignment = session.scalars(select(Assignment).order_by(Assignment.id)).first()
            assert assignment is not None
            owner, assignment_id = assignment.consultant_id, assignment.id
            session.execute(
                delete(ConsultantLanguage).where(ConsultantLanguage.consultant_id == owner)
            )
            languages = ConsultantLanguage.__table__
            session.execute(insert(languages).values(consultant_id=owner, language="sw"))
        after = answer(Selection())
        assert after[1]["language"]["sw"] == before[1]["language"].get("sw", 0) + 1
        with first.transaction() as session:  # a country of an assignment alone (no ORM)
            session.execute(
                delete(AssignmentCountry).where(AssignmentCountry.country_alpha3 == "NRU")
            )
            countries = AssignmentCountry.__table__
            session.execute(
                insert(countries).values(assignment_id=assignment_id, country_alpha3="NRU")
            )
        assert answer(Selection(facets={"beneficiary_country": "NRU"}))[0] == 1
        with first.transaction() as session:
            assignment = session.get(Assignment, assignment_id)
            assert assignment is not None
            assignment.task = "Mission to Zanzibar-unique"
        assert answer(Selection(q="zanzibar-UNIQUE"))[0] == 1
        with first.transaction() as session:  # the name key, which `q` matches romanised
            consultant = session.get(Consultant, owner)
            assert consultant is not None
            write_values(session, consultant, ConsultantValues({"name_own": "祖拉"}), None)
        assert answer(Selection(q="zu la"))[0] >= 1
        with first.transaction() as session:  # the assignment and its countries go
            session.execute(delete(Assignment).where(Assignment.id == assignment_id))
        assert answer(Selection(facets={"beneficiary_country": "NRU"}))[0] == 0
        assert answer(Selection(q="Zanzibar-unique"))[0] == 0
        with first.transaction() as session:
            session.execute(delete(Consultant).where(Consultant.id == owner))
        assert answer(Selection())[0] == before[0] - 1
    finally:
        first.engine.dispose()
        second.engine.dispose()
        databases.remove(url)


def _consultant_chunks(context: AppContext) -> int:
    with context.engine.connect() as connection:
        found = connection.scalar(
            text("SELECT count(*) FROM list_chunk WHERE list_name = 'consultant'")
        )
        return int(found or 0)


def test_the_downgrade_drops_the_triggers_and_the_upgrade_seeds_the_chunks(databases) -> None:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:
        with context.transaction() as session:
            generate(session, {"consultants": 20, "activities": 5}, seed=2)
        assert _consultant_chunks(context) == 1
        config = alembic_config(context.engine)
        command.downgrade(config, "0019")
        assert _consultant_chunks(context) == 0
        with context.transaction() as session:  # no trigger writes a token any more
            session.add(Consultant(id=FAR_KEY, name_latin="After the downgrade", name_key=""))
        assert _consultant_chunks(context) == 0
        command.upgrade(config, "head")
        assert _consultant_chunks(context) == 2  # the chunks already stored, seeded
        with acting_as(PUBLIC), context.transaction() as session:
            source = consultant_source(session)
            assert source.counted(Selection())[0] == 21
            assert source.counted(Selection()) == replace(source, memory=None).counted(Selection())
            count = session.scalar(select(func.count()).select_from(Consultant))
            assert count == 21
