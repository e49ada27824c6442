"""project facts imported from the DA catalogue: budgets, and where single facts are stated

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_budget",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("amount_chf", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_budget_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_project_budget_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_budget")),
    )
    op.create_table(
        "project_fact_source",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=32), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_fact_source_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_project_fact_source_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "fact", name=op.f("pk_project_fact_source")),
    )
    with op.batch_alter_table("project_fact_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_fact_source_source_location_id"),
            ["source_location_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("project_fact_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_fact_source_source_location_id"))
    op.drop_table("project_fact_source")
    op.drop_table("project_budget")
