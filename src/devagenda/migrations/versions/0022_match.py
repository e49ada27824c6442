"""match: needs and offers of WIPO Match and WIPO GREEN, and their connections

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 13:16:16.430231

A post (a need or an offer) with its countries, IP fields and languages, the stored
embedding of its texts, the connections between needs and offers, their notices, the
outgoing-mail queue and its settings. New tables only: no data changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_mail_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_mail_settings")),
    )
    op.create_table(
        "match_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "need",
                "offer",
                name="match_side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("description_zh", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column(
            "owner_type",
            sa.Enum(
                "ip_office",
                "university",
                "sme",
                "community",
                "donor",
                "firm",
                "expert",
                "government",
                "ngo",
                name="match_owner",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "support",
            sa.Enum(
                "financial",
                "technical",
                "partnership",
                "licence",
                "collaboration",
                "joint_venture",
                "sale",
                name="match_support",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "green_category",
            sa.Enum(
                "energy",
                "water",
                "agriculture",
                "transport",
                "buildings",
                "pollution_waste",
                "products_materials",
                name="match_green_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_post")),
        sa.UniqueConstraint("key", name=op.f("uq_match_post_key")),
    )
    with op.batch_alter_table("match_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_post_green_category"), ["green_category"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_post_side"), ["side"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_post_support"), ["support"], unique=False)

    op.create_table(
        "match_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column(
            "interested_side",
            sa.Enum(
                "need",
                "offer",
                name="match_side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "contacted",
                "discussion",
                "agreement",
                "closed",
                "dropped",
                name="match_connection_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("discussion_on", sa.Date(), nullable=True),
        sa.Column("agreement_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("dropped_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["match_post.id"],
            name=op.f("fk_match_connection_need_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["match_post.id"],
            name=op.f("fk_match_connection_offer_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_connection")),
        sa.UniqueConstraint(
            "need_id", "offer_id", name=op.f("uq_match_connection_need_id_offer_id")
        ),
    )
    with op.batch_alter_table("match_connection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_connection_contacted_on"), ["contacted_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_connection_need_id"), ["need_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_match_connection_offer_id"), ["offer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_connection_state"), ["state"], unique=False)

    op.create_table(
        "match_post_country",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_match_post_country_country_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["match_post.id"],
            name=op.f("fk_match_post_country_post_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "country_alpha3", name=op.f("pk_match_post_country")),
    )
    with op.batch_alter_table("match_post_country", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_post_country_country_alpha3"), ["country_alpha3"], unique=False
        )

    op.create_table(
        "match_post_embedding",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["match_post.id"],
            name=op.f("fk_match_post_embedding_post_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_match_post_embedding")),
    )
    op.create_table(
        "match_post_field",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("field_code", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["match_post.id"],
            name=op.f("fk_match_post_field_post_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "field_code", name=op.f("pk_match_post_field")),
    )
    with op.batch_alter_table("match_post_field", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_post_field_field_code"), ["field_code"], unique=False
        )

    op.create_table(
        "match_post_language",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["match_post.id"],
            name=op.f("fk_match_post_language_post_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "language", name=op.f("pk_match_post_language")),
    )
    with op.batch_alter_table("match_post_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_post_language_language"), ["language"], unique=False
        )

    op.create_table(
        "match_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["match_connection.id"],
            name=op.f("fk_match_notice_connection_id_match_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["match_post.id"],
            name=op.f("fk_match_notice_post_id_match_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_notice")),
    )
    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_notice_connection_id"), ["connection_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_notice_post_id"), ["post_id"], unique=False)

    op.create_table(
        "match_outgoing_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                name="match_mail_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["match_notice.id"],
            name=op.f("fk_match_outgoing_mail_notice_id_match_notice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_outgoing_mail")),
    )


def downgrade() -> None:
    op.drop_table("match_outgoing_mail")
    with op.batch_alter_table("match_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_notice_post_id"))
        batch_op.drop_index(batch_op.f("ix_match_notice_connection_id"))

    op.drop_table("match_notice")
    with op.batch_alter_table("match_post_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_post_language_language"))

    op.drop_table("match_post_language")
    with op.batch_alter_table("match_post_field", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_post_field_field_code"))

    op.drop_table("match_post_field")
    op.drop_table("match_post_embedding")
    with op.batch_alter_table("match_post_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_post_country_country_alpha3"))

    op.drop_table("match_post_country")
    with op.batch_alter_table("match_connection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_connection_state"))
        batch_op.drop_index(batch_op.f("ix_match_connection_offer_id"))
        batch_op.drop_index(batch_op.f("ix_match_connection_need_id"))
        batch_op.drop_index(batch_op.f("ix_match_connection_contacted_on"))

    op.drop_table("match_connection")
    with op.batch_alter_table("match_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_post_support"))
        batch_op.drop_index(batch_op.f("ix_match_post_side"))
        batch_op.drop_index(batch_op.f("ix_match_post_green_category"))

    op.drop_table("match_post")
    op.drop_table("match_mail_settings")
