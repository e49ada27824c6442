"""roster: the consultants of IP-ROC, their parts and their assignments

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 02:52:13.198929

A consultant with their nationalities, languages, IP fields and where each fact is
stated; their assignments with beneficiary countries and the activity they served; and
the name tokens that narrow a fuzzy name search. New tables only: no data changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("name_latin", sa.String(length=200), nullable=False),
        sa.Column("name_own", sa.String(length=200), nullable=True),
        sa.Column("name_key", sa.String(length=600), nullable=False),
        sa.Column(
            "gender",
            sa.Enum(
                "female",
                "male",
                "other",
                name="consultant_gender",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant")),
        sa.UniqueConstraint("code", name=op.f("uq_consultant_code")),
    )
    with op.batch_alter_table("consultant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultant_demo"), ["demo"], unique=False)
        batch_op.create_index(batch_op.f("ix_consultant_gender"), ["gender"], unique=False)

    op.create_table(
        "consultant_name_token",
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultant_name_token_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultant_id", "token", name=op.f("pk_consultant_name_token")),
    )
    with op.batch_alter_table("consultant_name_token", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consultant_name_token_prefix", ["prefix", "consultant_id"], unique=False
        )

    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_assignment_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_assignment_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_assignment_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_consultant_id"), ["consultant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assignment_year"), ["year"], unique=False)

    op.create_table(
        "consultant_fact_source",
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=32), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultant_fact_source_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_consultant_fact_source_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultant_id", "fact", name=op.f("pk_consultant_fact_source")),
    )
    with op.batch_alter_table("consultant_fact_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultant_fact_source_source_location_id"),
            ["source_location_id"],
            unique=False,
        )

    op.create_table(
        "consultant_field",
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("field_code", sa.String(length=32), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultant_field_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_consultant_field_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("consultant_id", "field_code", name=op.f("pk_consultant_field")),
    )
    with op.batch_alter_table("consultant_field", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultant_field_field_code"), ["field_code"], unique=False
        )

    op.create_table(
        "consultant_language",
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultant_language_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_consultant_language_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("consultant_id", "language", name=op.f("pk_consultant_language")),
    )
    with op.batch_alter_table("consultant_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultant_language_language"), ["language"], unique=False
        )

    op.create_table(
        "consultant_nationality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["consultant.id"],
            name=op.f("fk_consultant_nationality_consultant_id_consultant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_consultant_nationality_country_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_consultant_nationality_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultant_nationality")),
        sa.UniqueConstraint(
            "consultant_id",
            "country_alpha3",
            name=op.f("uq_consultant_nationality_consultant_id_country_alpha3"),
        ),
    )
    with op.batch_alter_table("consultant_nationality", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultant_nationality_consultant_id"), ["consultant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultant_nationality_country_alpha3"), ["country_alpha3"], unique=False
        )

    op.create_table(
        "assignment_country",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_country_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_assignment_country_country_alpha3_country"),
        ),
        sa.PrimaryKeyConstraint(
            "assignment_id", "country_alpha3", name=op.f("pk_assignment_country")
        ),
    )
    with op.batch_alter_table("assignment_country", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_country_country_alpha3"), ["country_alpha3"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assignment_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_country_country_alpha3"))

    op.drop_table("assignment_country")
    with op.batch_alter_table("consultant_nationality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultant_nationality_country_alpha3"))
        batch_op.drop_index(batch_op.f("ix_consultant_nationality_consultant_id"))

    op.drop_table("consultant_nationality")
    with op.batch_alter_table("consultant_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultant_language_language"))

    op.drop_table("consultant_language")
    with op.batch_alter_table("consultant_field", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultant_field_field_code"))

    op.drop_table("consultant_field")
    with op.batch_alter_table("consultant_fact_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultant_fact_source_source_location_id"))

    op.drop_table("consultant_fact_source")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_year"))
        batch_op.drop_index(batch_op.f("ix_assignment_consultant_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_activity_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("consultant_name_token", schema=None) as batch_op:
        batch_op.drop_index("ix_consultant_name_token_prefix")

    op.drop_table("consultant_name_token")
    with op.batch_alter_table("consultant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultant_gender"))
        batch_op.drop_index(batch_op.f("ix_consultant_demo"))

    op.drop_table("consultant")
