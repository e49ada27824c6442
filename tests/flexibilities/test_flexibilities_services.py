"""The flexibilities services: the shipped categories, comparisons with "not stated",
and the member-state update rules for every role."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.errors import InvalidEdit, NotFoundError, PermissionDenied
from devagenda.flexibilities.models import MemberStateUpdate, UpdateEffect
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn
from devagenda.flexibilities.services import (
    attach_update,
    categories,
    compare_category,
    compare_jurisdiction,
    create_provision,
    get_provision,
    submit_update,
    updates_received,
)

EDITOR = Actor(label="editor@example.org", role=Role.EDITOR)
KENYA_FOCAL = Actor(label="ke@example.org", role=Role.FOCAL_POINT, countries=frozenset({"KEN"}))
PERU_FOCAL = Actor(label="pe@example.org", role=Role.FOCAL_POINT, countries=frozenset({"PER"}))
READER = Actor(label="reader@example.org", role=Role.READER)
ADMIN = Actor(label="admin@example.org", role=Role.ADMIN)
ANONYMOUS = Actor(label="anonymous")


def _kenya_research(
    articles: str = "s. 58(1)", wording: str = "Acts done for research"
) -> ProvisionIn:
    return ProvisionIn(
        jurisdiction="KEN",
        category="research-exception",
        law_title="Industrial Property Act",
        law_number="No. 3 of 2001",
        law_date=date(2001, 8, 10),
        articles=articles,
        texts={"en": wording, "zh": "为研究目的的行为"},
        link="https://example.org/ke/ipa",
        in_force_date=date(2002, 5, 1),
    )


@pytest.fixture
def provision_id(session: Session) -> int:
    with acting_as(EDITOR):
        return create_provision(session, _kenya_research()).id


def _update(**changes: object) -> UpdateIn:
    values: dict[str, object] = {
        "jurisdiction": "KEN",
        "communication_reference": "Note verbale KE/WIPO/2024/17",
        "communication_date": date(2024, 3, 4),
        "summary": "Section 58 amended by the 2024 Act",
    }
    return UpdateIn.model_validate({**values, **changes})


def test_the_fourteen_patent_categories_are_shipped_in_both_languages(session: Session) -> None:
    patents = categories(session, "patents")
    assert len(patents) == 14
    assert patents[0].name_en == "Compulsory licences and government use"
    assert patents[-1].name_zh == "实用新型"
    assert all(category.name_zh and category.name_en for category in patents)


def test_one_category_across_jurisdictions_says_which_are_not_stated(
    session: Session, provision_id: int
) -> None:
    rows = compare_category(session, "research-exception", ["per", "KEN"])
    assert [row.jurisdiction for row in rows] == ["PER", "KEN"]
    assert not rows[0].stated
    assert [p.id for p in rows[1].provisions] == [provision_id]
    assert rows[1].provisions[0].texts["zh"] == "为研究目的的行为"


def test_one_jurisdiction_across_all_categories(session: Session, provision_id: int) -> None:
    rows = compare_jurisdiction(session, "KEN")
    assert len(rows) == 14
    stated = [row.category for row in rows if row.stated]
    assert stated == ["research-exception"]


def test_comparisons_refuse_unknown_codes(session: Session) -> None:
    with pytest.raises(NotFoundError, match="XXX"):
        compare_category(session, "research-exception", ["KEN", "XXX"])
    with pytest.raises(NotFoundError, match="no category"):
        compare_category(session, "no-such", ["KEN"])


@pytest.mark.parametrize("actor", [ANONYMOUS, READER, KENYA_FOCAL, PERU_FOCAL])
def test_only_editors_record_provisions_directly(session: Session, actor: Actor) -> None:
    with acting_as(actor), pytest.raises(PermissionDenied):
        create_provision(session, _kenya_research())


def test_a_focal_point_amends_a_provision_of_their_country_and_it_is_published_at_once(
    session: Session, provision_id: int
) -> None:
    amended = _kenya_research(wording="Acts done for experimental or research purposes")
    with acting_as(KENYA_FOCAL):
        result = submit_update(session, _update(amends={provision_id: amended.model_dump()}))
    assert result.provisions == {provision_id: UpdateEffect.AMENDS}
    assert result.submitted_by == "ke@example.org"
    with acting_as(ANONYMOUS):
        shown = get_provision(session, provision_id)
    assert shown.texts["en"] == "Acts done for experimental or research purposes"
    [published] = shown.member_state_updates
    assert published.communication_reference == "Note verbale KE/WIPO/2024/17"
    assert published.effect is UpdateEffect.AMENDS
    with acting_as(ANONYMOUS):
        [row] = compare_category(session, "research-exception", ["KEN"])
    assert row.provisions[0].member_state_updates[0].id == result.id


def test_an_update_keeps_the_history_of_what_it_replaced(
    session: Session, provision_id: int
) -> None:
    amended = _kenya_research(wording="New wording")
    with acting_as(KENYA_FOCAL):
        submit_update(session, _update(amends={provision_id: amended.model_dump()}))
    entries = session.scalars(
        select(ChangeEntry).where(ChangeEntry.record_type == "flexibility_provision_text")
    ).all()
    befores = [entry.before for entry in entries if entry.before]
    assert any(before.get("text") == "Acts done for research" for before in befores)
    assert any(
        entry.message == "member-state update Note verbale KE/WIPO/2024/17" for entry in entries
    )


def test_a_focal_point_adds_a_provision_that_was_not_in_the_database(session: Session) -> None:
    addition = _kenya_research().model_copy(update={"category": "utility-models"})
    with acting_as(KENYA_FOCAL):
        result = submit_update(session, _update(adds=[addition.model_dump()]))
    [(added_id, effect)] = result.provisions.items()
    assert effect is UpdateEffect.ADDS
    assert get_provision(session, added_id).category == "utility-models"


def test_a_focal_point_of_another_country_is_refused_and_nothing_is_stored(
    session: Session, provision_id: int
) -> None:
    with acting_as(PERU_FOCAL), pytest.raises(PermissionDenied, match="KEN"):
        submit_update(session, _update(amends={provision_id: _kenya_research().model_dump()}))
    assert session.scalars(select(MemberStateUpdate)).all() == []


@pytest.mark.parametrize("actor", [ANONYMOUS, READER, EDITOR, ADMIN])
def test_nobody_but_the_jurisdictions_focal_point_submits(
    session: Session, provision_id: int, actor: Actor
) -> None:
    with acting_as(actor), pytest.raises(PermissionDenied, match="only a focal point of KEN"):
        submit_update(session, _update(amends={provision_id: _kenya_research().model_dump()}))


def test_an_update_may_not_touch_another_countrys_provision(session: Session) -> None:
    with acting_as(EDITOR):
        peru = create_provision(
            session, _kenya_research().model_copy(update={"jurisdiction": "PER"})
        )
    stray = _kenya_research().model_copy(update={"jurisdiction": "PER"})
    with acting_as(KENYA_FOCAL), pytest.raises(InvalidEdit) as refused:
        submit_update(
            session, _update(amends={peru.id: _kenya_research().model_dump()}, adds=[stray])
        )
    assert set(refused.value.problems) == {f"amends.{peru.id}", "adds.0.jurisdiction"}


def test_an_update_without_provisions_is_refused(session: Session) -> None:
    with acting_as(KENYA_FOCAL), pytest.raises(InvalidEdit, match="at least one"):
        submit_update(session, _update())


def test_an_editor_attaches_an_update_and_a_focal_point_may_not(
    session: Session, provision_id: int
) -> None:
    addition = _kenya_research(articles="s. 80").model_copy(update={"category": "exhaustion"})
    with acting_as(KENYA_FOCAL):
        submitted = submit_update(session, _update(adds=[addition.model_dump()]))
    with acting_as(KENYA_FOCAL), pytest.raises(PermissionDenied):
        attach_update(session, submitted.id, provision_id, UpdateEffect.AMENDS)
    with acting_as(EDITOR):
        attached = attach_update(session, submitted.id, provision_id, UpdateEffect.AMENDS)
    assert attached.provisions[provision_id] is UpdateEffect.AMENDS
    assert len(attached.provisions) == 2
    assert [u.id for u in get_provision(session, provision_id).member_state_updates] == [
        submitted.id
    ]


def test_updates_are_counted_by_the_year_received(session: Session, provision_id: int) -> None:
    wording = _kenya_research().model_dump()
    with acting_as(KENYA_FOCAL):
        first = submit_update(session, _update(amends={provision_id: wording}))
        second = submit_update(session, _update(amends={provision_id: wording}))
    session.execute(
        update(MemberStateUpdate)
        .where(MemberStateUpdate.id == first.id)
        .values(received_at=datetime(2024, 6, 1, tzinfo=UTC))
    )
    assert updates_received(session, 2023) == 0
    assert updates_received(session, 2024) == 1
    assert updates_received(session, second.received_at.year) == 1
