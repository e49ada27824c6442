"""What the accounts services return: users, tokens (never their secret, except once at
creation), and the current actor as `/api/me` shows it."""

from __future__ import annotations

import enum

from pydantic import BaseModel

from devagenda.accounts.models import User
from devagenda.core.actor import Role
from devagenda.core.schemas import UtcDateTime

# Roles an account can hold: anonymous is the absence of one.
ACCOUNT_ROLES = tuple(role.value for role in Role if role is not Role.ANONYMOUS)


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str | None  # None: not stated
    role: Role
    countries: list[str]  # ISO alpha-3; focal points only
    disabled: bool
    created_at: UtcDateTime
    last_login_at: UtcDateTime | None  # None: never logged in

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            countries=user.country_codes,
            disabled=user.disabled,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class TokenState(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    OWNER_DISABLED = "owner disabled"


class TokenOut(BaseModel):
    id: int
    prefix: str
    owner: str  # the owner's e-mail address
    role: Role  # as issued; the effective role is never above the owner's current one
    effective_role: Role
    state: TokenState
    created_at: UtcDateTime
    expires_at: UtcDateTime
    revoked_at: UtcDateTime | None
    last_used_at: UtcDateTime | None  # to the minute; None: never used


class IssuedToken(TokenOut):
    """A new token, with its secret: the only time it is shown."""

    token: str


class MeOut(BaseModel):
    """Who the request acts as, and the token it came with."""

    label: str
    role: Role
    email: str | None
    display_name: str | None
    countries: list[str]
    token_prefix: str | None
    token_expires_at: UtcDateTime | None
