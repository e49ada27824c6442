"""activities at scale: an update that moves a row to another activity renews both chunks

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 08:00:00.000000

The UPDATE triggers of 0018 and 0019 give a new token to the chunk of the row as it is
after the update only. A link row moved to an activity of another chunk (its
`activity_id` changed) left the chunk it came from under its old token, so other
processes went on counting the link there. These triggers renew the old row's chunk
too, as 0020's do for the roster.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 16384  # devagenda.core.memory_facets.CHUNK_SIZE
LIST = "activity"
# The tables of 0018 and 0019, with the column naming the activity.
TABLES = (
    ("activity", "id"),
    ("activity_beneficiary", "activity_id"),
    ("activity_subject_area", "activity_id"),
    ("activity_language", "activity_id"),
    ("activity_recommendation", "activity_id"),
    ("activity_expected_result", "activity_id"),
    ("activity_project", "activity_id"),
    ("activity_title", "activity_id"),
    ("activity_description", "activity_id"),
)


def _sqlite_upgrade() -> list[str]:
    return [
        f"CREATE TRIGGER {table}_chunk_auo AFTER UPDATE OF {key} ON {table} "
        f"WHEN OLD.{key} / {CHUNK} != NEW.{key} / {CHUNK} BEGIN "
        f"INSERT INTO list_chunk (list_name, chunk, token) "
        f"VALUES ('{LIST}', OLD.{key} / {CHUNK}, hex(randomblob(8))) "
        "ON CONFLICT (list_name, chunk) DO UPDATE SET token = excluded.token; END"
        for table, key in TABLES
    ]


def _postgresql_upgrade() -> list[str]:
    # The functions of 0018 and 0019 renew the chunks of the rows in `changed`; here
    # `changed` is the transition table of the rows as they were.
    return [
        f"CREATE TRIGGER {table}_chunk_auo AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_chunk_touch()"
        for table, _ in TABLES
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_upgrade() if sqlite else _postgresql_upgrade():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _ in TABLES:
        op.execute(
            f"DROP TRIGGER {table}_chunk_auo"
            if sqlite
            else f"DROP TRIGGER {table}_chunk_auo ON {table}"
        )
