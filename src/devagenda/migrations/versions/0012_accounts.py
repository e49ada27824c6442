"""accounts: users, their countries, API tokens, web sessions, login attempts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:00:00.000000

Secrets are stored only as hashes: argon2id for passwords, SHA-256 for API tokens and
web session ids.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("anonymous", "reader", "focal-point", "editor", "admin")


def _role() -> sa.Enum:
    return sa.Enum(
        *ROLES, name="account_role", native_enum=False, create_constraint=True, length=32
    )


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("role", _role(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _moment("last_login_at", nullable=True),
        sa.CheckConstraint("role <> 'anonymous'", name=op.f("ck_user_account_role_not_anonymous")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email_key", name=op.f("uq_user_account_email_key")),
    )
    op.create_table(
        "user_country",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_user_country_country_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_country_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "country_alpha3", name=op.f("pk_user_country")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", _role(), nullable=False),
        _moment("created_at"),
        _moment("expires_at"),
        _moment("revoked_at", nullable=True),
        _moment("last_used_at", nullable=True),
        sa.CheckConstraint("role <> 'anonymous'", name=op.f("ck_api_token_role_not_anonymous")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_token_prefix")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _moment("created_at"),
        _moment("last_seen_at"),
        _moment("expires_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_web_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_web_session_session_hash")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _moment("attempted_at"),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    for column in ("address", "attempted_at", "email_key"):
        op.create_index(op.f(f"ix_login_attempt_{column}"), "login_attempt", [column])


def downgrade() -> None:
    for column in ("address", "attempted_at", "email_key"):
        op.drop_index(op.f(f"ix_login_attempt_{column}"), table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_table("user_country")
    op.drop_table("user_account")
