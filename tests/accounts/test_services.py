"""The accounts services: users, their validation and password hashes, API tokens, web
sessions and login throttling, on a rolled-back session of each backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from devagenda.accounts import logins, passwords
from devagenda.accounts.credentials import digest
from devagenda.accounts.logins import (
    ACCOUNT_FAILURES,
    ADDRESS_FAILURES,
    actor_for_session,
    attempt_login,
    end_session,
)
from devagenda.accounts.models import ApiToken, LoginAttempt, User, WebSession
from devagenda.accounts.schemas import TokenState
from devagenda.accounts.services import (
    authenticate_token,
    create_token,
    create_user,
    list_tokens,
    list_users,
    now,
    revoke_token,
    set_disabled,
)
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied, TooManyAttempts

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.usefixtures("as_admin")


def user(session: Session, email: str = "ann@example.org", role: str = "editor", **more):  # type: ignore[no-untyped-def]
    return create_user(session, email=email, role=role, password=PASSWORD, **more)


# -- users -------------------------------------------------------------------------------


def test_a_user_is_stored_with_an_argon2id_hash_and_no_password(session: Session) -> None:
    created = user(session, "Ann.Lee@Example.org", display_name="Ann Lee")
    stored = session.get_one(User, created.id)
    assert stored.password_hash.startswith("$argon2id$v=19$")
    assert PASSWORD not in stored.password_hash
    assert passwords.verify(stored.password_hash, PASSWORD)
    assert (created.email, created.display_name, created.role) == (
        "Ann.Lee@Example.org",
        "Ann Lee",
        Role.EDITOR,
    )
    assert created.last_login_at is None and not created.disabled
    assert [u.email for u in list_users(session)] == ["Ann.Lee@Example.org"]


def test_email_addresses_are_unique_whatever_their_case(session: Session) -> None:
    user(session, "ann@example.org")
    with pytest.raises(InputError, match="already exists") as refused:
        user(session, "ANN@Example.ORG")
    assert refused.value.field == "email"


@pytest.mark.parametrize(
    ("role", "countries", "message"),
    [
        ("focal-point", [], "a focal point needs at least one country"),
        ("editor", ["KEN"], "only focal points have countries"),
        ("reader", ["KE"], "only focal points have countries"),
        ("anonymous", [], "no account role 'anonymous'"),
        ("owner", [], "no account role 'owner'"),
    ],
)
def test_roles_and_countries_are_checked(
    session: Session, role: str, countries: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        user(session, role=role, countries=countries)
    assert list_users(session) == []


def test_a_focal_points_countries_by_code_or_name(session: Session) -> None:
    created = user(session, role="focal-point", countries=["ke", "UGA", "坦桑尼亚", "Kenya"])
    assert created.countries == ["KEN", "TZA", "UGA"]


def test_an_unknown_country_suggests_the_nearest(session: Session) -> None:
    with pytest.raises(InputError) as refused:
        user(session, role="focal-point", countries=["Kenyaa"])
    assert refused.value.field == "country"
    assert "no country is called 'Kenyaa': did you mean KEN (Kenya / 肯尼亚)" in str(refused.value)


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-address", PASSWORD, "email"),
        ("a@example.org", "short", "password"),
        ("a@example.org", "x" * 1025, "password"),
    ],
)
def test_bad_addresses_and_passwords_are_refused(
    session: Session, email: str, password: str, field: str
) -> None:
    with pytest.raises(InputError) as refused:
        create_user(session, email=email, role="reader", password=password)
    assert refused.value.field == field


def test_a_name_is_at_most_200_characters(session: Session) -> None:
    with pytest.raises(InputError, match="at most 200 characters") as refused:
        user(session, display_name="名" * 201)
    assert refused.value.field == "name"


def test_only_administrators_manage_accounts(session: Session) -> None:
    with acting_as(Actor(label="ed@example.org", role=Role.EDITOR)):
        with pytest.raises(PermissionDenied, match="manage_accounts"):
            user(session)
        with pytest.raises(PermissionDenied):
            list_users(session)
        with pytest.raises(PermissionDenied):
            create_token(session, "ann@example.org")
    assert list_users(session) == []


# -- tokens ------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_as_a_hash(session: Session) -> None:
    user(session)
    issued = create_token(session, "ann@example.org", expires_days=30)
    stored = session.get_one(ApiToken, issued.id)
    assert issued.token.startswith(issued.prefix + "_") and issued.prefix.startswith("dva_")
    assert stored.token_hash == digest(issued.token) != issued.token
    assert issued.token not in repr(
        session.execute(select(ApiToken.__table__)).all()
    )  # no column holds the secret
    listed = list_tokens(session, "ann@example.org")
    assert [t.prefix for t in listed] == [issued.prefix]
    assert "token" not in listed[0].model_dump()
    assert (issued.expires_at - issued.created_at) == timedelta(days=30)
    identity = authenticate_token(session, issued.token)
    assert identity is not None and identity.actor.label == "ann@example.org"
    assert identity.actor.role is Role.EDITOR
    assert session.get_one(ApiToken, issued.id).last_used_at is not None


def test_unknown_expired_and_revoked_tokens_authenticate_nobody(session: Session) -> None:
    user(session)
    expired = create_token(session, "ann@example.org")
    revoked = create_token(session, "ann@example.org")
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == expired.id)
        .values(expires_at=now() - timedelta(seconds=1))
    )
    assert revoke_token(session, revoked.prefix).state is TokenState.REVOKED
    assert revoke_token(session, str(revoked.id)).state is TokenState.REVOKED  # repeatable
    session.expire_all()
    assert authenticate_token(session, expired.token) is None
    assert authenticate_token(session, revoked.token) is None
    assert authenticate_token(session, revoked.token + "x") is None
    assert authenticate_token(session, "dva_000000000000_guess") is None
    states = {t.id: t.state for t in list_tokens(session)}
    assert states == {expired.id: TokenState.EXPIRED, revoked.id: TokenState.REVOKED}
    with pytest.raises(NotFoundError, match="no token"):
        revoke_token(session, "dva_ffffffffffff")


def test_a_tokens_role_is_capped_by_its_owners(session: Session) -> None:
    user(session, role="editor")
    with pytest.raises(InputError, match="cannot be above its owner's") as refused:
        create_token(session, "ann@example.org", role="admin")
    assert refused.value.field == "role"
    with pytest.raises(InputError, match="only focal points have countries"):
        create_token(session, "ann@example.org", role="focal-point")
    reader_token = create_token(session, "ann@example.org", role="reader")
    editor_token = create_token(session, "ann@example.org")
    identity = authenticate_token(session, reader_token.token)
    assert identity is not None and identity.actor.role is Role.READER
    # The owner is demoted: the editor token now acts as a reader.
    session.execute(update(User).where(User.email_key == "ann@example.org").values(role="reader"))
    session.expire_all()
    identity = authenticate_token(session, editor_token.token)
    assert identity is not None and identity.actor.role is Role.READER
    listed = {t.id: t for t in list_tokens(session)}
    assert listed[editor_token.id].role is Role.EDITOR
    assert listed[editor_token.id].effective_role is Role.READER


def test_a_focal_point_token_carries_the_owners_countries(session: Session) -> None:
    user(session, role="focal-point", countries=["KEN"])
    issued = create_token(session, "ann@example.org")
    identity = authenticate_token(session, issued.token)
    assert identity is not None
    assert (identity.actor.role, identity.actor.countries) == (Role.FOCAL_POINT, {"KEN"})


def test_a_disabled_owner_disables_its_tokens_until_enabled(session: Session) -> None:
    user(session)
    issued = create_token(session, "ann@example.org")
    assert set_disabled(session, "ann@example.org", True).disabled
    assert authenticate_token(session, issued.token) is None
    assert list_tokens(session)[0].state is TokenState.OWNER_DISABLED
    with pytest.raises(InputError, match="disabled"):
        create_token(session, "ann@example.org")
    set_disabled(session, "ann@example.org", False)
    assert authenticate_token(session, issued.token) is not None


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_token_lasts_from_one_day_to_ten_years(session: Session, days: int) -> None:
    user(session)
    with pytest.raises(InputError) as refused:
        create_token(session, "ann@example.org", expires_days=days)
    assert refused.value.field == "expires_days"


# -- logins and sessions -----------------------------------------------------------------


def test_a_login_opens_a_session_that_logout_ends(session: Session) -> None:
    user(session, "ann@example.org", role="focal-point", countries=["KEN"])
    outcome = attempt_login(session, " ANN@example.org ", PASSWORD, "192.0.2.1")
    assert outcome.user is not None and outcome.session_id is not None
    assert outcome.user.last_login_at is not None
    stored = session.scalars(select(WebSession)).one()
    assert stored.session_hash == digest(outcome.session_id)
    actor = actor_for_session(session, outcome.session_id)
    assert actor is not None
    assert (actor.label, actor.role, actor.countries) == (
        "ann@example.org",
        Role.FOCAL_POINT,
        {"KEN"},
    )
    end_session(session, outcome.session_id)
    assert actor_for_session(session, outcome.session_id) is None


def test_sessions_end_when_idle_too_long_or_too_old(session: Session) -> None:
    user(session)
    idle = attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.1").session_id
    old = attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.1").session_id
    assert idle is not None and old is not None
    session.execute(
        update(WebSession)
        .where(WebSession.session_hash == digest(idle))
        .values(last_seen_at=now() - logins.IDLE_LIMIT - timedelta(seconds=1))
    )
    session.execute(
        update(WebSession)
        .where(WebSession.session_hash == digest(old))
        .values(expires_at=now() - timedelta(seconds=1))
    )
    session.expire_all()
    assert actor_for_session(session, idle) is None
    assert actor_for_session(session, old) is None


def test_disabling_an_account_ends_its_sessions(session: Session) -> None:
    user(session)
    session_id = attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.1").session_id
    assert session_id is not None
    set_disabled(session, "ann@example.org", True)
    assert actor_for_session(session, session_id) is None
    assert attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.1").user is None


def test_every_failure_looks_the_same(session: Session) -> None:
    user(session, "ann@example.org")
    user(session, "off@example.org")
    set_disabled(session, "off@example.org", True)
    outcomes = [
        attempt_login(session, "ann@example.org", "wrong password", "192.0.2.1"),
        attempt_login(session, "nobody@example.org", PASSWORD, "192.0.2.1"),
        attempt_login(session, "off@example.org", PASSWORD, "192.0.2.1"),
    ]
    assert all(o.user is None and o.session_id is None for o in outcomes)
    attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.email_key, a.succeeded) for a in attempts] == [
        ("ann@example.org", False),
        ("nobody@example.org", False),
        ("off@example.org", False),
    ]


def test_a_changed_hash_setting_rehashes_at_login(session: Session) -> None:
    created = user(session)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    session.execute(update(User).where(User.id == created.id).values(password_hash=weak))
    session.expire_all()
    assert passwords.needs_rehash(weak)
    assert attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.1").user is not None
    renewed = session.get_one(User, created.id).password_hash
    assert renewed != weak and not passwords.needs_rehash(renewed)
    assert passwords.verify(renewed, PASSWORD)


def test_an_account_is_throttled_after_five_failures_and_a_success_resets_it(
    session: Session,
) -> None:
    user(session)
    for _ in range(ACCOUNT_FAILURES - 1):
        attempt_login(session, "ann@example.org", "wrong password", "192.0.2.1")
    # A success before the limit resets the count.
    assert attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.2").user is not None
    for _ in range(ACCOUNT_FAILURES):
        attempt_login(session, "ann@example.org", "wrong password", "192.0.2.3")
    with pytest.raises(TooManyAttempts) as refused:
        attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.4")  # even the right one
    assert 0 < refused.value.retry_after <= logins.WINDOW.total_seconds() + 1
    # Another account from the same addresses is not affected.
    user(session, "bob@example.org")
    assert attempt_login(session, "bob@example.org", PASSWORD, "192.0.2.3").user is not None
    # The failures leave the window: allowed again.
    session.execute(
        update(LoginAttempt).values(attempted_at=now() - logins.WINDOW - timedelta(seconds=1))
    )
    assert attempt_login(session, "ann@example.org", PASSWORD, "192.0.2.4").user is not None


def test_an_address_is_throttled_after_twenty_failures_on_any_accounts(
    session: Session,
) -> None:
    user(session)
    for number in range(ADDRESS_FAILURES):
        attempt_login(session, f"guess{number}@example.org", "wrong password", "198.51.100.7")
    with pytest.raises(TooManyAttempts, match="too many failed logins"):
        attempt_login(session, "ann@example.org", PASSWORD, "198.51.100.7")
    assert attempt_login(session, "ann@example.org", PASSWORD, "198.51.100.8").user is not None
