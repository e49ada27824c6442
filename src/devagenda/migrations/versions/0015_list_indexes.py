"""indexes for the lists counted by the database: facets and sorts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:00:00.000000

The list pages and their API endpoints count facets and order rows in SQL
(devagenda.core.listing). A facet through a link table looks its rows up by value, whose
column comes second in the link's primary key; a facet or sort on a column of the listed
table groups and orders by that column. Indexes only: no data changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("project", "approved_session_number"),
    ("project_recommendation", "recommendation_number"),
    ("recommendation_expected_result", "expected_result_code"),
    ("country", "wipo_region"),
    ("country", "development_status"),
    ("cdip_session", "start_date"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
