"""The permission table, cell by cell: every action for every role, and a focal point on
a record of their own country, of another, of both, and of none."""

from __future__ import annotations

import pytest

from devagenda.accounts.permissions import PERMISSIONS, Action, allowed, authorize
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.errors import DevagendaError, ExitStatus, PermissionDenied

ANON, READER, FOCAL, EDITOR, ADMIN = (
    Role.ANONYMOUS,
    Role.READER,
    Role.FOCAL_POINT,
    Role.EDITOR,
    Role.ADMIN,
)
# Expected outcome for a record that names no country; the rules, written out.
EXPECTED = {
    Action.READ_PUBLIC: {ANON, READER, FOCAL, EDITOR, ADMIN},
    Action.READ_OWN_ACCOUNT: {READER, FOCAL, EDITOR, ADMIN},
    Action.READ_PERSONAL: {EDITOR, ADMIN},
    Action.EDIT_RECORD: {EDITOR, ADMIN},
    Action.POST_MATCH: {READER, FOCAL, EDITOR, ADMIN},
    Action.MANAGE_ACCOUNTS: {ADMIN},
    Action.MANAGE_SETTINGS: {ADMIN},
}


def actor(role: Role, countries: tuple[str, ...] = ()) -> Actor:
    return Actor(label=f"someone ({role.value})", role=role, countries=frozenset(countries))


def test_the_table_covers_every_action_and_role() -> None:
    assert set(PERMISSIONS) == set(Action) == set(EXPECTED)
    assert all(set(row) == set(Role) for row in PERMISSIONS.values())


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_for_every_role(action: Action, role: Role) -> None:
    focal_countries = ("KEN",) if role is FOCAL else ()
    with acting_as(actor(role, focal_countries)):
        if role in EXPECTED[action]:
            assert authorize(action).role is role
        else:
            with pytest.raises(PermissionDenied) as refused:
                authorize(action)
            assert refused.value.action == action.value
            assert refused.value.authenticated is (role is not ANON)
            assert action.value in str(refused.value)


@pytest.mark.parametrize(
    ("record", "outcome"),
    [
        (["KEN"], True),  # their own country
        (["UGA"], False),  # another country
        (["KEN", "UGA"], False),  # shared with another country: that one's too
        ([], False),  # no country: nobody's
    ],
)
def test_a_focal_point_edits_only_records_of_their_countries(
    record: list[str], outcome: bool
) -> None:
    focal = actor(FOCAL, ("KEN", "TZA"))
    assert allowed(Action.EDIT_RECORD, countries=record, actor=focal) is outcome
    with acting_as(focal):
        if outcome:
            authorize(Action.EDIT_RECORD, countries=record)
        else:
            with pytest.raises(PermissionDenied, match="only for their countries"):
                authorize(Action.EDIT_RECORD, countries=record)


def test_country_scope_does_not_limit_editors_or_widen_readers() -> None:
    for role, outcome in ((EDITOR, True), (ADMIN, True), (READER, False), (ANON, False)):
        assert allowed(Action.EDIT_RECORD, countries=["UGA"], actor=actor(role)) is outcome


def test_a_refusal_names_who_what_and_why_and_is_a_project_error() -> None:
    with acting_as(actor(EDITOR)), pytest.raises(PermissionDenied) as refused:
        authorize(Action.MANAGE_ACCOUNTS)
    assert isinstance(refused.value, DevagendaError)
    assert refused.value.exit_status == ExitStatus.REFUSED
    assert str(refused.value) == (
        "refused: someone (editor) (editor) may not manage_accounts: it needs the role admin"
    )
    with pytest.raises(PermissionDenied, match="needs an account: log in or send an API token"):
        authorize(Action.READ_OWN_ACCOUNT)  # the default actor is anonymous
