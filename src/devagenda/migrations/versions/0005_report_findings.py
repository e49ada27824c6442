"""the checker's findings, stored where they are in the report

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("heading_position", sa.Integer(), nullable=True),
        sa.Column("annex_group", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_report_finding_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_finding")),
    )
    with op.batch_alter_table("report_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_finding_source_location_id"),
            ["source_location_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("report_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_finding_source_location_id"))
    op.drop_table("report_finding")
