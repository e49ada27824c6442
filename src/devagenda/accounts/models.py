"""Accounts, their credentials (API tokens, web sessions) and login attempts.

Secrets are never stored: a token or a session id is kept as its SHA-256 hash, and a
password as its argon2id hash. Everything lives in the database, so several server
processes sharing one database agree on who is logged in and who is throttled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.actor import Role
from devagenda.core.models import Base, enum_column

ROLE_COLUMN = enum_column(Role, "account_role")


class User(Base):
    """A person who logs in. `email_key` is the address folded to lower case: two
    spellings of one address are one account."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role <> 'anonymous'", name="role_not_anonymous"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(ROLE_COLUMN)
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    countries: Mapped[list[UserCountry]] = relationship(
        cascade="all, delete-orphan", order_by="UserCountry.country_alpha3"
    )

    @property
    def country_codes(self) -> list[str]:
        return [link.country_alpha3 for link in self.countries]


class UserCountry(Base):
    """A country a focal point speaks for."""

    __tablename__ = "user_country"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    country_alpha3: Mapped[str] = mapped_column(ForeignKey("country.alpha3"), primary_key=True)


class ApiToken(Base):
    """A bearer token for the API. `prefix` is the public start of the token, shown in
    lists so that its owner can tell tokens apart and revoke one."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint("role <> 'anonymous'", name="role_not_anonymous"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(ROLE_COLUMN)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class WebSession(Base):
    """A logged-in browser. It ends at `expires_at`, or earlier when unused for the idle
    limit (`last_seen_at`), at logout, or when its user is disabled."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One try to log in, for throttling per account (`email_key`, whether or not such
    an account exists) and per client address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
