"""ids never given twice; post keys from a counter; what a connection notice reports

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 10:40:00

On SQLite, a row added after the newest one was deleted took the deleted one's id, so
the change log joined the two records' histories and could not revert the deletion.
Every logged table keyed by an integer id is rebuilt AUTOINCREMENT (PostgreSQL's
sequences never go back), and its counter starts above every id the change log names,
so that the ids of records deleted before this upgrade are not given again either.

New posts' keys (NEED-n, OFFER-n) come from `match_key_counter`, whose row for a side
is made by the first new post, above the highest number stored (a migration that filled
it would make a new database differ from an initialized one, which a restore checks).

A notice tells which state its connection reached: "contacted" for the notices saying a
side is interested, the state after the colon for the others.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REBUILT = (
    "activity",
    "activity_beneficiary",
    "assignment",
    "consultant",
    "consultant_nationality",
    "document",
    "flexibility_provision",
    "match_connection",
    "match_mail_settings",
    "match_post",
    "member_state_update",
    "project",
    "project_beneficiary",
    "project_output",
    "project_proposer",
    "project_status_change",
)
STATES = ("contacted", "discussion", "agreement", "closed", "dropped")


def _enum(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Dropping a table drops its triggers (the list chunks' change counters), and a
        # trigger on another table naming it stops the rename: all are set aside and
        # made again as they were.
        triggers = bind.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
        for table in REBUILT:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass
            _start_above_logged_ids(bind, table)
        for _, sql in triggers:
            op.execute(sql)

    op.create_table(
        "match_key_counter",
        sa.Column("side", _enum("match_side", ("need", "offer")), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("side", name=op.f("pk_match_key_counter")),
    )

    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", _enum("match_connection_state", STATES), nullable=True)
        )
    op.execute(
        "UPDATE match_notice SET state = 'contacted' "
        "WHERE kind = 'connection' AND text LIKE '% is interested in %'"
    )
    for state in STATES[1:]:
        op.execute(
            f"UPDATE match_notice SET state = '{state}' "
            f"WHERE kind = 'connection' AND state IS NULL AND text LIKE '%: {state}'"
        )


def _start_above_logged_ids(bind: sa.Connection, table: str) -> None:
    """SQLite's counter for `table` above its ids and every id its change log names."""
    highest = bind.execute(
        sa.text(
            f"SELECT max(top) FROM (SELECT max(id) AS top FROM {table} UNION ALL"
            " SELECT max(CAST(record_key AS INTEGER)) FROM change_entry"
            " WHERE record_type = :table AND record_key GLOB '[0-9]*')"
        ),
        {"table": table},
    ).scalar()
    if highest is None:
        return
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table})
    bind.execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)"),
        {"table": table, "seq": highest},
    )


def downgrade() -> None:
    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_match_notice_match_connection_state"), type_="check"
        )
        batch_op.drop_column("state")
    op.drop_table("match_key_counter")
    # The AUTOINCREMENT tables stay as they are: the older schema reads them alike.
