"""project states: year-end and undated statements, mainstreamed as a state, dated starts
and ends

Annex II rows were stored as events dated 31 December; they become year-end states of
the year of the report they are in. Nothing is deleted: every statement keeps its source.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PRECISIONS = ("year", "month", "day")


def _precision(name: str) -> sa.Enum:
    return sa.Enum(*_PRECISIONS, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_precision", _precision("start_precision")))
        batch_op.add_column(sa.Column("end_precision", _precision("end_precision")))
        batch_op.add_column(
            sa.Column("mainstreamed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_project_mainstreamed"), ["mainstreamed"])
    with op.batch_alter_table("project_status_change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "event",
                    "year_end",
                    "reported",
                    name="statement_kind",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="event",
            )
        )
        batch_op.add_column(sa.Column("as_of_year", sa.Integer(), nullable=True))
    op.execute(
        """
        UPDATE project_status_change SET kind = 'year_end', on_date = NULL,
            date_precision = NULL,
            as_of_year = (
                SELECT source.year FROM source_location
                JOIN source ON source.id = source_location.source_id
                WHERE source_location.id = project_status_change.source_location_id
            )
        WHERE source_location_id IN (
            SELECT id FROM source_location WHERE annex = 'II'
        )
        """
    )
    op.execute(
        """
        UPDATE project SET mainstreamed = EXISTS (
            SELECT 1 FROM project_status_change
            WHERE project_status_change.project_id = project.id
              AND project_status_change.status = 'mainstreamed'
        )
        """
    )
    op.execute("UPDATE project SET status = 'evaluated' WHERE status = 'mainstreamed'")


def downgrade() -> None:
    op.execute(
        """
        UPDATE project_status_change SET on_date = CAST(as_of_year || '-12-31' AS DATE),
            date_precision = 'day'
        WHERE kind = 'year_end' AND as_of_year IS NOT NULL
        """
    )
    with op.batch_alter_table("project_status_change", schema=None) as batch_op:
        batch_op.drop_column("as_of_year")
        batch_op.drop_column("kind")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_mainstreamed"))
        batch_op.drop_column("mainstreamed")
        batch_op.drop_column("end_precision")
        batch_op.drop_column("start_precision")
