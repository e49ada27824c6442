"""the change log and record versions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:00:00.000000

- `change_entry`: one row per create, update or delete of a change-logged record, and one
  per ingest or import run, indexed for the filters of /api/changes (record, parent
  record, time, actor, user, request, action).
- `version` on every change-logged table: 1 for the rows already stored; SQLAlchemy
  raises it on every update and refuses an update made from a stale copy.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose models inherit devagenda.core.changelog.ChangeLogged at this revision.
VERSIONED = (
    "recommendation",
    "recommendation_text",
    "recommendation_expected_result",
    "cdip_session",
    "document",
    "document_title",
    "project",
    "project_title",
    "project_proposer",
    "project_beneficiary",
    "project_recommendation",
    "project_document",
    "project_status_change",
    "project_output",
    "project_budget",
    "project_fact_source",
)
ACTIONS = ("create", "update", "delete", "run")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(
            table, sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    op.create_table(
        "change_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                *ACTIONS, name="change_action", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("record_key", sa.String(length=200), nullable=False),
        sa.Column("parent_type", sa.String(length=64), nullable=True),
        sa.Column("parent_key", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("reverts_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reverts_id"],
            ["change_entry.id"],
            name=op.f("fk_change_entry_reverts_id_change_entry"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_entry")),
    )
    for column in ("changed_at", "actor", "user_id", "request_id", "transaction_id", "action"):
        op.create_index(op.f(f"ix_change_entry_{column}"), "change_entry", [column])
    op.create_index(op.f("ix_change_entry_reverts_id"), "change_entry", ["reverts_id"])
    op.create_index("ix_change_entry_record", "change_entry", ["record_type", "record_key", "id"])
    op.create_index("ix_change_entry_parent", "change_entry", ["parent_type", "parent_key", "id"])


def downgrade() -> None:
    op.drop_table("change_entry")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
