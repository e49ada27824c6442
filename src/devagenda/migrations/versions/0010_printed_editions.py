"""Annex I cells as printed, and document symbols users give reports

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annex_one_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_number", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("expected_result_code", sa.String(length=8), nullable=False),
        sa.Column("printed_title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expected_result_code"],
            ["expected_result.code"],
            name=op.f("fk_annex_one_cell_expected_result_code_expected_result"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_number"],
            ["recommendation.number"],
            name=op.f("fk_annex_one_cell_recommendation_number_recommendation"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_annex_one_cell_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annex_one_cell")),
        sa.UniqueConstraint(
            "source_location_id",
            "position",
            name=op.f("uq_annex_one_cell_source_location_id_position"),
        ),
    )
    with op.batch_alter_table("annex_one_cell", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annex_one_cell_source_location_id"),
            ["source_location_id"],
            unique=False,
        )
    op.create_table(
        "report_symbol",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column(
            "set_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_report_symbol")),
    )


def downgrade() -> None:
    op.drop_table("report_symbol")
    with op.batch_alter_table("annex_one_cell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annex_one_cell_source_location_id"))
    op.drop_table("annex_one_cell")
