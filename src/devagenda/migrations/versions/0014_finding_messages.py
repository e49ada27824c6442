"""findings keep their message as key and parameters, to be worded in each UI language

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:00:00.000000

`report_finding.message_key` and `message_params` hold a finding's message as a key into
the checker's catalogue (devagenda.reports.messages) and its parameters; `message` keeps
the English wording.

Data upgrade: findings stored before this revision have only their English message. For
each report whose current text is kept (`report_version.content`), the text is checked
again and every stored finding that the check words identically, at the same line and
with the same code, gets the key and parameters of that wording. A finding the checker no
longer words that way, or of a report whose text is not kept, keeps its English message
and null key: pages show it in English, as before.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns this revision reads and writes, as they are at this revision.
source = sa.table(
    "source",
    sa.column("id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("language", sa.String),
    sa.column("year", sa.Integer),
    sa.column("checksum", sa.String),
)
source_location = sa.table(
    "source_location",
    sa.column("id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("line", sa.Integer),
)
report_version = sa.table(
    "report_version",
    sa.column("edition", sa.String),
    sa.column("checksum", sa.String),
    sa.column("content", sa.LargeBinary),
)
report_finding = sa.table(
    "report_finding",
    sa.column("id", sa.Integer),
    sa.column("source_location_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("message", sa.Text),
    sa.column("message_key", sa.String),
    sa.column("message_params", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("report_finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("message_params", sa.JSON(), nullable=True))
    recover_message_keys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("report_finding", schema=None) as batch_op:
        batch_op.drop_column("message_params")
        batch_op.drop_column("message_key")


def recover_message_keys(connection: sa.Connection) -> None:
    """Give stored findings the key and parameters of their wording, by checking again
    the kept text of their report."""
    reports = connection.execute(
        sa.select(source.c.id, source.c.language, source.c.year, report_version.c.content)
        .join(
            report_version,
            sa.and_(
                report_version.c.edition == source.c.key,
                report_version.c.checksum == source.c.checksum,
            ),
        )
        .where(report_version.c.content.is_not(None))
        .where(
            sa.exists()
            .where(report_finding.c.source_location_id == source_location.c.id)
            .where(source_location.c.source_id == source.c.id)
        )
    ).all()
    if not reports:
        return
    # Imported here: a database without stored findings never needs the checker.
    from devagenda.reference.gazetteer import Gazetteer
    from devagenda.reports.ingest import read_report
    from devagenda.reports.lint import lint_document

    gazetteer = Gazetteer.from_reference_data()
    for source_id, language, year, content in reports:
        document = read_report(
            bytes(content), language=language, year=year, gazetteer=gazetteer, tolerant=True
        )
        wordings = defaultdict(list)
        for finding in lint_document(document, gazetteer=gazetteer).findings:
            place = (finding.code, finding.location.line, finding.message)
            wordings[place].append(finding.text.to_json())
        stored = connection.execute(
            sa.select(
                report_finding.c.id,
                report_finding.c.code,
                source_location.c.line,
                report_finding.c.message,
            )
            .join(source_location, source_location.c.id == report_finding.c.source_location_id)
            .where(source_location.c.source_id == source_id)
            .where(report_finding.c.message_key.is_(None))
            .order_by(report_finding.c.id)
        ).all()
        for finding_id, code, line, message in stored:
            matches = wordings.get((code, line, message))
            if not matches:
                continue
            wording = matches.pop(0)
            connection.execute(
                report_finding.update()
                .where(report_finding.c.id == finding_id)
                .values(message_key=wording["key"], message_params=wording["params"])
            )
