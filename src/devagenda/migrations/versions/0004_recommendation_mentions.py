"""recommendations cited by number in report text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 03:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recommendation_mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_number", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_number"],
            ["recommendation.number"],
            name=op.f("fk_recommendation_mention_recommendation_number_recommendation"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_recommendation_mention_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_mention")),
    )
    with op.batch_alter_table("recommendation_mention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_mention_recommendation_number"),
            ["recommendation_number"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_mention_source_location_id"),
            ["source_location_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("recommendation_mention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_mention_source_location_id"))
        batch_op.drop_index(batch_op.f("ix_recommendation_mention_recommendation_number"))
    op.drop_table("recommendation_mention")
