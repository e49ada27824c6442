"""Logging in to the web UI: password checks, throttling, and server-side sessions.

Throttling counts failed attempts stored in the database, so it holds across server
processes: an account is refused for a while after `ACCOUNT_FAILURES` failures within
`WINDOW` (a success resets its count), an address after `ADDRESS_FAILURES`. Every
failure is the same answer, whether the address has no account, the account is disabled
or the password is wrong, and costs the same argon2 verification.

A session is a random id in the browser's cookie and its hash here; it ends after
`IDLE_LIMIT` without use or `SESSION_LIFETIME` after login, whichever comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from devagenda.accounts import credentials, passwords
from devagenda.accounts.models import LoginAttempt, User, WebSession
from devagenda.accounts.schemas import UserOut
from devagenda.accounts.services import actor_for, email_key, in_utc, now
from devagenda.core.actor import Actor
from devagenda.core.errors import TooManyAttempts

WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
ATTEMPTS_KEPT = timedelta(days=1)  # older attempts no longer count and are pruned
IDLE_LIMIT = timedelta(hours=2)
SESSION_LIFETIME = timedelta(hours=12)
# A session's last use is recorded to the minute, not on every page.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class LoginOutcome:
    """A login's result: on success the account and the new session's id (for the
    cookie; only its hash is stored), on failure neither."""

    user: UserOut | None = None
    session_id: str | None = None


def attempt_login(session: Session, email: str, password: str, address: str) -> LoginOutcome:
    """Check the password and open a session. Raises TooManyAttempts (before checking
    anything) while the account or the address is throttled. The attempt is recorded
    either way, so the caller commits a failure too."""
    key = email_key(email)[:254]
    address = address[:64]
    moment = now()
    _refuse_if_throttled(session, key, address, moment)
    user = session.scalar(select(User).where(User.email_key == key))
    if user is None or user.disabled or len(password) > passwords.MAX_LENGTH:
        passwords.verify_nothing(password[: passwords.MAX_LENGTH])
        _record(session, key, address, moment, succeeded=False)
        return LoginOutcome()
    if not passwords.verify(user.password_hash, password):
        _record(session, key, address, moment, succeeded=False)
        return LoginOutcome()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = moment
    _record(session, key, address, moment, succeeded=True)
    session_id = credentials.new_session_id()
    session.add(
        WebSession(
            session_hash=credentials.digest(session_id),
            user_id=user.id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + SESSION_LIFETIME,
        )
    )
    session.flush()
    return LoginOutcome(user=UserOut.of(user), session_id=session_id)


def actor_for_session(
    session: Session, session_id: str, *, request_id: str | None = None
) -> Actor | None:
    """The actor of a browser's session id, or None if the session has ended."""
    found = session.scalar(
        select(WebSession).where(WebSession.session_hash == credentials.digest(session_id))
    )
    moment = now()
    if found is None or found.user.disabled or _ended(found, moment):
        return None
    if moment - in_utc(found.last_seen_at) >= LAST_SEEN_RESOLUTION:
        found.last_seen_at = moment
        session.flush()
    return actor_for(found.user, request_id=request_id)


def end_session(session: Session, session_id: str) -> None:
    """Logging out: the session cannot be used again, even by a copy of the cookie."""
    session.execute(
        delete(WebSession).where(WebSession.session_hash == credentials.digest(session_id))
    )


def end_sessions_of(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def _ended(found: WebSession, moment: datetime) -> bool:
    return in_utc(found.expires_at) <= moment or moment - in_utc(found.last_seen_at) > IDLE_LIMIT


def _refuse_if_throttled(session: Session, key: str, address: str, moment: datetime) -> None:
    since = moment - WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email_key == key, LoginAttempt.succeeded
        )
    )
    account_since = max(since, in_utc(last_success)) if last_success else since
    for condition, start, limit in (
        (LoginAttempt.email_key == key, account_since, ACCOUNT_FAILURES),
        (LoginAttempt.address == address, since, ADDRESS_FAILURES),
    ):
        failures = session.scalars(
            select(LoginAttempt.attempted_at)
            .where(condition, ~LoginAttempt.succeeded, LoginAttempt.attempted_at > start)
            .order_by(LoginAttempt.attempted_at.desc())
            .limit(limit)
        ).all()
        if len(failures) >= limit:
            # Allowed again once the oldest of the last `limit` failures leaves the window.
            freed = in_utc(failures[-1]) + WINDOW
            retry_after = max(1, int((freed - moment).total_seconds()) + 1)
            raise TooManyAttempts(
                f"too many failed logins: try again in {retry_after} seconds",
                retry_after=retry_after,
            )


def _record(session: Session, key: str, address: str, moment: datetime, *, succeeded: bool) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < moment - ATTEMPTS_KEPT))
    session.add(
        LoginAttempt(email_key=key, address=address, attempted_at=moment, succeeded=succeeded)
    )
    session.flush()
