"""match writes: posts owned by accounts, notices per account with their kind and pair

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 17:11:54.963348

A post names the account that owns it (none for the posts stored so far: they were
imported); a notice names the account it is for, its kind, its pair and when it was
read, and may tell of a suggestion (no connection). The notices stored so far all tell
of connections: they get that kind and their connection's pair. The pairs already
announced as suggestions are kept, so that each is announced once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KIND = sa.Enum(
    "suggestion",
    "connection",
    name="match_notice_kind",
    native_enum=False,
    create_constraint=True,
    length=32,
)


def upgrade() -> None:
    op.create_table(
        "match_suggested_pair",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("suggested_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["match_post.id"],
            name=op.f("fk_match_suggested_pair_need_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["match_post.id"],
            name=op.f("fk_match_suggested_pair_offer_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("need_id", "offer_id", name=op.f("pk_match_suggested_pair")),
    )
    with op.batch_alter_table("match_suggested_pair", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_suggested_pair_offer_id"), ["offer_id"], unique=False
        )

    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kind", _KIND, nullable=True))
        batch_op.add_column(sa.Column("need_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("offer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("read_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE match_notice SET kind = 'connection', "
        "need_id = (SELECT need_id FROM match_connection c WHERE c.id = connection_id), "
        "offer_id = (SELECT offer_id FROM match_connection c WHERE c.id = connection_id)"
    )
    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=_KIND, nullable=False)
        batch_op.alter_column("connection_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_match_notice_account_id"), ["account_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_match_notice_need_id_match_post"),
            "match_post",
            ["need_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_match_notice_account_id_user_account"),
            "user_account",
            ["account_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_match_notice_offer_id_match_post"),
            "match_post",
            ["offer_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("match_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_account_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_match_post_owner_account_id"), ["owner_account_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_match_post_owner_account_id_user_account"),
            "user_account",
            ["owner_account_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("match_post", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_match_post_owner_account_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_match_post_owner_account_id"))
        batch_op.drop_column("owner_account_id")

    # Notices of suggestions have no connection, which the older schema requires.
    op.execute("DELETE FROM match_notice WHERE connection_id IS NULL")
    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_match_notice_offer_id_match_post"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_match_notice_account_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_match_notice_need_id_match_post"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_match_notice_account_id"))
        batch_op.alter_column("connection_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("read_on")
        batch_op.drop_column("offer_id")
        batch_op.drop_column("need_id")
        batch_op.drop_constraint(batch_op.f("ck_match_notice_match_notice_kind"), type_="check")
        batch_op.drop_column("kind")
        batch_op.drop_column("account_id")

    with op.batch_alter_table("match_suggested_pair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_suggested_pair_offer_id"))

    op.drop_table("match_suggested_pair")
