"""figures: cumulative totals and breakdowns (the part of a total a figure stands for)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_figure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cumulative", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("breakdown", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("part_of_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_report_figure_part_of_id"), ["part_of_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_report_figure_part_of_id_report_figure"),
            "report_figure",
            ["part_of_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("report_figure", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_report_figure_part_of_id_report_figure"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_report_figure_part_of_id"))
        batch_op.drop_column("part_of_id")
        batch_op.drop_column("breakdown")
        batch_op.drop_column("cumulative")
