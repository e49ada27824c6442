"""project states: year-end and undated statements, mainstreamed as a state, dated starts
and ends

Annex II rows were stored as events dated 31 December; they become year-end states of
the year of the report they are in, and the states the section headings gave become
undated states of the report's year. Nothing is deleted: every statement keeps its
source. Ingesting a new edition derives every project's stage again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from devagenda.catalogue.lifecycle import current_stage
from devagenda.catalogue.models import ProjectStatus, StatementKind

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns are added with ALTER TABLE on both engines, never by recreating a table: on
# SQLite a recreated `project` table would cascade-delete the rows that refer to it.
_ADD_CHECKED = (
    ("project", "start_precision", "VARCHAR(32)", ("year", "month", "day"), ""),
    ("project", "end_precision", "VARCHAR(32)", ("year", "month", "day"), ""),
    (
        "project_status_change",
        "kind",
        "VARCHAR(32)",
        ("event", "year_end", "reported"),
        " NOT NULL DEFAULT 'event'",
    ),
)
_CHECK_NAMES = {"start_precision": "start_precision", "end_precision": "end_precision"}


def upgrade() -> None:
    for table, column, type_, values, rest in _ADD_CHECKED:
        allowed = ", ".join(f"'{value}'" for value in values)
        name = f"ck_{table}_{_CHECK_NAMES.get(column, 'statement_kind')}"
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} {type_}{rest} "
            f"CONSTRAINT {name} CHECK ({column} IN ({allowed}))"
        )
    op.add_column(
        "project",
        sa.Column("mainstreamed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(op.f("ix_project_mainstreamed"), "project", ["mainstreamed"])
    op.add_column("project_status_change", sa.Column("as_of_year", sa.Integer(), nullable=True))
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
    # Before this revision, "mainstreamed" and "ongoing" were stated only by the sections of
    # those names, and dated 31 December of the report's year for want of a date.
    op.execute(
        """
        UPDATE project_status_change SET kind = 'reported', as_of_year = (
                SELECT source.year FROM source_location
                JOIN source ON source.id = source_location.source_id
                WHERE source_location.id = project_status_change.source_location_id
            ), on_date = NULL, date_precision = NULL
        WHERE kind = 'event' AND status IN ('mainstreamed', 'ongoing')
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
    _derive_stages()


def _derive_stages() -> None:
    """Each project's stage again, by the rules the loader now applies (the stage is a
    cache of what the statements say; a narrative change beyond the year's Annex II group
    now stands)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT project_id, status, kind, on_date, as_of_year FROM project_status_change")
    ).all()
    by_project: dict[int, list[SimpleNamespace]] = {}
    for row in rows:
        on_date = date.fromisoformat(row.on_date) if isinstance(row.on_date, str) else row.on_date
        by_project.setdefault(row.project_id, []).append(
            SimpleNamespace(
                status=ProjectStatus(row.status),
                kind=StatementKind(row.kind),
                on_date=on_date,
                as_of_year=row.as_of_year,
            )
        )
    for project_id, statements in by_project.items():
        stage = current_stage(statements)
        if stage is not None:
            connection.execute(
                sa.text("UPDATE project SET status = :status WHERE id = :id"),
                {"status": stage.value, "id": project_id},
            )


def downgrade() -> None:
    op.execute(
        """
        UPDATE project_status_change SET on_date = CAST(as_of_year || '-12-31' AS DATE),
            date_precision = 'day'
        WHERE kind = 'year_end' AND as_of_year IS NOT NULL
        """
    )
    op.drop_column("project_status_change", "as_of_year")
    op.drop_column("project_status_change", "kind")
    op.drop_index(op.f("ix_project_mainstreamed"), table_name="project")
    op.drop_column("project", "mainstreamed")
    op.drop_column("project", "end_precision")
    op.drop_column("project", "start_precision")
