"""Accounts and API tokens: the rules, once, for the CLI, the API and the web UI.

Managing accounts and tokens is the administrator's (`Action.MANAGE_ACCOUNTS`); the CLI
acts as the machine's operator, an administrator. Authenticating a token needs no
permission: it is how a request gets its actor in the first place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from devagenda.accounts import credentials, passwords
from devagenda.accounts.models import ApiToken, User, UserCountry
from devagenda.accounts.permissions import Action, authorize
from devagenda.accounts.schemas import (
    ACCOUNT_ROLES,
    IssuedToken,
    MeOut,
    TokenOut,
    TokenState,
    UserOut,
)
from devagenda.core.actor import Actor, Role
from devagenda.core.errors import InputError, NotFoundError
from devagenda.core.pagination import Listing, text_in

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
# A token's last use is recorded to the minute: a write on every request would make
# reading the API as costly as writing it.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Deliberately loose: one "@", something either side, a dot in the domain. Whether the
# address receives mail is for its owner to know.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def now() -> datetime:
    return datetime.now(UTC)


def in_utc(moment: datetime) -> datetime:
    """SQLite returns stored moments without their zone; devagenda writes them in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def email_key(email: str) -> str:
    return email.strip().casefold()


# -- users -------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    email: str,
    role: Role | str,
    password: str,
    countries: Sequence[str] = (),
    display_name: str | None = None,
) -> UserOut:
    """A new account. A focal point needs at least one country; other roles take none.
    `countries` may be ISO alpha-2 or alpha-3 codes or names, in Chinese or English."""
    authorize(Action.MANAGE_ACCOUNTS)
    email = email.strip()
    if not EMAIL.match(email) or len(email) > 254:
        raise InputError(f"{email!r} is not an e-mail address", field="email")
    account_role = _account_role(role)
    if account_role is Role.FOCAL_POINT and not countries:
        raise InputError(
            "a focal point needs at least one country: add --country ISO", field="country"
        )
    if countries and account_role is not Role.FOCAL_POINT:
        raise InputError(
            f"only focal points have countries, not a {account_role.value}", field="country"
        )
    display_name = (display_name or "").strip() or None
    if display_name is not None and len(display_name) > 200:
        raise InputError("a name has at most 200 characters", field="name")
    passwords.check_rules(password)
    if _find_user(session, email) is not None:
        raise InputError(f"an account for {email} already exists", field="email")
    codes = sorted(set(resolve_countries(session, countries)))
    user = User(
        email=email,
        email_key=email_key(email),
        display_name=display_name,
        role=account_role,
        password_hash=passwords.hash_password(password),
        disabled=False,
        created_at=now(),
        countries=[UserCountry(country_alpha3=code) for code in codes],
    )
    session.add(user)
    session.flush()
    return UserOut.of(user)


def user_listing(session: Session) -> Listing[UserOut]:
    """Every account, by creation; `q` matches the address and the name."""
    authorize(Action.MANAGE_ACCOUNTS)
    return Listing(
        session=session,
        query=select(User).options(selectinload(User.countries)),
        key=User.id,
        convert=lambda _session, users: [UserOut.of(user) for user in users],
        text=text_in(User.email, User.display_name),
    )


def list_users(session: Session) -> list[UserOut]:
    return list(user_listing(session).all())


def set_disabled(session: Session, email: str, disabled: bool) -> UserOut:
    """Disabling ends the account's web sessions and stops its tokens at once; nothing of
    the account is deleted, so enabling it again restores its tokens that are still valid."""
    from devagenda.accounts.logins import end_sessions_of

    authorize(Action.MANAGE_ACCOUNTS)
    user = get_user(session, email)
    user.disabled = disabled
    if disabled:
        end_sessions_of(session, user.id)
    session.flush()
    return UserOut.of(user)


def get_user(session: Session, email: str) -> User:
    user = _find_user(session, email)
    if user is None:
        raise NotFoundError(f"no account for {email!r}: see `devagenda users list`")
    return user


def _find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email_key == email_key(email)))


def _account_role(role: Role | str) -> Role:
    if isinstance(role, str) and role not in ACCOUNT_ROLES:
        raise InputError(
            f"no account role {role!r}: use one of {', '.join(ACCOUNT_ROLES)}", field="role"
        )
    return Role(role)


def resolve_countries(session: Session, names: Sequence[str]) -> list[str]:
    """ISO alpha-3 codes of countries given by code or name; an unknown one is refused
    with the nearest names."""
    from devagenda.reference.services import get_country, resolve_names

    codes = []
    for name in names:
        by_code = get_country(session, name) if re.fullmatch(r"[A-Za-z]{2,3}", name) else None
        if by_code is not None:
            codes.append(by_code.alpha3)
            continue
        (resolution,) = resolve_names(session, [name], limit=3)
        if resolution.country is None:
            suggestions = [c for c in resolution.candidates if c.kind == "country"]
            hint = (
                "did you mean "
                + " or ".join(f"{c.key} ({c.name_en} / {c.name_zh})" for c in suggestions)
                + "?"
                if suggestions
                else "see `devagenda countries list`"
            )
            raise InputError(f"no country is called {name!r}: {hint}", field="country")
        codes.append(resolution.country.alpha3)
    return codes


def actor_for(user: User, role: Role | None = None, request_id: str | None = None) -> Actor:
    """The actor a user's credential stands for; `role` caps the user's own."""
    acting = user.role if role is None or role.rank >= user.role.rank else role
    countries = frozenset(user.country_codes) if acting is Role.FOCAL_POINT else frozenset()
    return Actor(
        label=user.email,
        role=acting,
        user_id=user.id,
        countries=countries,
        request_id=request_id,
    )


# -- API tokens --------------------------------------------------------------------------


def create_token(
    session: Session,
    email: str,
    *,
    expires_days: int = DEFAULT_TOKEN_DAYS,
    role: Role | str | None = None,
) -> IssuedToken:
    """A new token for the account, at its role or a lower one. The secret is in the
    answer and nowhere else: only its hash is stored."""
    authorize(Action.MANAGE_ACCOUNTS)
    user = get_user(session, email)
    if user.disabled:
        raise InputError(f"the account {user.email} is disabled", field="email")
    if not 1 <= expires_days <= MAX_TOKEN_DAYS:
        raise InputError(
            f"a token lasts from 1 to {MAX_TOKEN_DAYS} days, not {expires_days}",
            field="expires_days",
        )
    token_role = user.role if role is None else _account_role(role)
    if token_role.rank > user.role.rank:
        raise InputError(
            f"a token's role cannot be above its owner's: {user.email} has the role "
            f"{user.role.value}, below {token_role.value}",
            field="role",
        )
    if token_role is Role.FOCAL_POINT and user.role is not Role.FOCAL_POINT:
        raise InputError(
            "a focal-point token acts for its owner's countries, and only focal points "
            "have countries: choose reader or the owner's role",
            field="role",
        )
    issued = credentials.new_token()
    created = now()
    token = ApiToken(
        user=user,
        prefix=issued.prefix,
        token_hash=issued.digest,
        role=token_role,
        created_at=created,
        expires_at=created + timedelta(days=expires_days),
    )
    session.add(token)
    session.flush()
    return IssuedToken(**_token_out(token, created).model_dump(), token=issued.token)


def list_tokens(session: Session, email: str | None = None) -> list[TokenOut]:
    authorize(Action.MANAGE_ACCOUNTS)
    query = select(ApiToken).join(ApiToken.user).order_by(User.email_key, ApiToken.id)
    if email is not None:
        query = query.where(ApiToken.user_id == get_user(session, email).id)
    moment = now()
    return [_token_out(token, moment) for token in session.scalars(query)]


def revoke_token(session: Session, prefix_or_id: str) -> TokenOut:
    """Revoke by the token's prefix (as listed) or its number; repeating it is harmless."""
    authorize(Action.MANAGE_ACCOUNTS)
    wanted = prefix_or_id.strip()
    if wanted.isdigit():
        token = session.get(ApiToken, int(wanted))
    else:
        # The whole token works too, when that is all its owner kept.
        token = session.scalar(
            select(ApiToken).where(
                (ApiToken.prefix == wanted) | (ApiToken.token_hash == credentials.digest(wanted))
            )
        )
    if token is None:
        raise NotFoundError(f"no token {wanted[:24]!r}: see `devagenda tokens list`")
    moment = now()
    if token.revoked_at is None:
        token.revoked_at = moment
        session.flush()
    return _token_out(token, moment)


@dataclass(frozen=True)
class TokenIdentity:
    """What a valid token stands for."""

    actor: Actor
    token_id: int


def authenticate_token(
    session: Session, presented: str, *, request_id: str | None = None
) -> TokenIdentity | None:
    """The actor of a presented token, or None if it is unknown, expired, revoked or its
    owner is disabled. Records when it was last used."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == credentials.digest(presented))
    )
    moment = now()
    if token is None or token_state(token, moment) is not TokenState.ACTIVE:
        return None
    if token.last_used_at is None or moment - in_utc(token.last_used_at) >= LAST_USED_RESOLUTION:
        token.last_used_at = moment
        session.flush()
    return TokenIdentity(actor_for(token.user, token.role, request_id), token.id)


def effective_role(token: ApiToken) -> Role:
    """The lower of the token's role and its owner's current role."""
    return min(token.role, token.user.role, key=lambda role: role.rank)


def token_state(token: ApiToken, moment: datetime) -> TokenState:
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if in_utc(token.expires_at) <= moment:
        return TokenState.EXPIRED
    if token.user.disabled:
        return TokenState.OWNER_DISABLED
    return TokenState.ACTIVE


def _token_out(token: ApiToken, moment: datetime) -> TokenOut:
    return TokenOut(
        id=token.id,
        prefix=token.prefix,
        owner=token.user.email,
        role=token.role,
        effective_role=effective_role(token),
        state=token_state(token, moment),
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


# -- who am I ----------------------------------------------------------------------------


def describe_actor(session: Session, *, token_id: int | None = None) -> MeOut:
    """The current actor with its account and the token it came with."""
    actor = authorize(Action.READ_OWN_ACCOUNT)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    token = session.get(ApiToken, token_id) if token_id is not None else None
    return MeOut(
        label=actor.label,
        role=actor.role,
        email=user.email if user else None,
        display_name=user.display_name if user else None,
        countries=sorted(actor.countries),
        token_prefix=token.prefix if token else None,
        token_expires_at=token.expires_at if token else None,
    )
