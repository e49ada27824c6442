"""flexibilities: fields of IP law, their categories, provisions and member-state updates

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 13:00:28.632271

The code lists of fields and categories (loaded from flexibilities/data on init), each
jurisdiction's provisions with their texts per language, and the updates member states
submit with the provisions they amend or add. New tables only: no data changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ip_law_field",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ip_law_field")),
    )
    op.create_table(
        "flexibility_category",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("field_code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_zh", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_code"],
            ["ip_law_field.code"],
            name=op.f("fk_flexibility_category_field_code_ip_law_field"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_flexibility_category")),
    )
    with op.batch_alter_table("flexibility_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flexibility_category_field_code"), ["field_code"], unique=False
        )

    op.create_table(
        "member_state_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_alpha3", sa.String(length=3), nullable=False),
        sa.Column("communication_reference", sa.String(length=200), nullable=False),
        sa.Column("communication_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_member_state_update_jurisdiction_alpha3_country"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_state_update")),
    )
    with op.batch_alter_table("member_state_update", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_state_update_jurisdiction_alpha3"),
            ["jurisdiction_alpha3"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_member_state_update_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "flexibility_provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("jurisdiction_alpha3", sa.String(length=3), nullable=False),
        sa.Column("category_code", sa.String(length=64), nullable=False),
        sa.Column("law_title", sa.String(length=500), nullable=False),
        sa.Column("law_number", sa.String(length=100), nullable=True),
        sa.Column("law_date", sa.Date(), nullable=True),
        sa.Column("articles", sa.String(length=200), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=True),
        sa.Column("in_force_date", sa.Date(), nullable=True),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
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
            ["category_code"],
            ["flexibility_category.code"],
            name=op.f("fk_flexibility_provision_category_code_flexibility_category"),
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_flexibility_provision_jurisdiction_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_flexibility_provision_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flexibility_provision")),
        sa.UniqueConstraint("code", name=op.f("uq_flexibility_provision_code")),
    )
    with op.batch_alter_table("flexibility_provision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flexibility_provision_category_code"), ["category_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_flexibility_provision_jurisdiction_alpha3"),
            ["jurisdiction_alpha3"],
            unique=False,
        )

    op.create_table(
        "flexibility_provision_text",
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["flexibility_provision.id"],
            name=op.f("fk_flexibility_provision_text_provision_id_flexibility_provision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "provision_id", "language", name=op.f("pk_flexibility_provision_text")
        ),
    )
    op.create_table(
        "member_state_update_provision",
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column(
            "effect",
            sa.Enum(
                "amends",
                "adds",
                name="member_state_update_effect",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["flexibility_provision.id"],
            name=op.f("fk_member_state_update_provision_provision_id_flexibility_provision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["member_state_update.id"],
            name=op.f("fk_member_state_update_provision_update_id_member_state_update"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "update_id", "provision_id", name=op.f("pk_member_state_update_provision")
        ),
    )
    with op.batch_alter_table("member_state_update_provision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_state_update_provision_provision_id"),
            ["provision_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("member_state_update_provision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_state_update_provision_provision_id"))

    op.drop_table("member_state_update_provision")
    op.drop_table("flexibility_provision_text")
    with op.batch_alter_table("flexibility_provision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flexibility_provision_jurisdiction_alpha3"))
        batch_op.drop_index(batch_op.f("ix_flexibility_provision_category_code"))

    op.drop_table("flexibility_provision")
    with op.batch_alter_table("member_state_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_state_update_received_at"))
        batch_op.drop_index(batch_op.f("ix_member_state_update_jurisdiction_alpha3"))

    op.drop_table("member_state_update")
    with op.batch_alter_table("flexibility_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flexibility_category_field_code"))

    op.drop_table("flexibility_category")
    op.drop_table("ip_law_field")
