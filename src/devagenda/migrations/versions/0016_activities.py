"""activities: technical-assistance activities (IP-TAD) and their parts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:50:57.635419

An activity with its titles and descriptions per language, beneficiaries, IP subject
areas, languages, partners, links to recommendations, expected results and projects, and
where each single-valued fact is stated. New tables only: no data changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTICIPANTS_COUNTS = (
    "(participants IS NULL OR participants >= 0)"
    " AND (participants_women IS NULL OR participants_women >= 0)"
    " AND (participants_men IS NULL OR participants_men >= 0)"
    " AND (participants IS NULL OR participants_women IS NULL OR participants_men IS NULL"
    " OR participants_women + participants_men <= participants)"
)


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column(
            "type",
            sa.Enum(
                "mission",
                "workshop",
                "seminar",
                "training_course",
                "advisory",
                "legislative_assistance",
                "study",
                "conference",
                "webinar",
                "other",
                name="activity_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("organising_unit", sa.String(length=200), nullable=True),
        sa.Column("sector_code", sa.String(length=16), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column(
            "mode",
            sa.Enum(
                "in_person",
                "virtual",
                "hybrid",
                name="activity_mode",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("venue_city", sa.String(length=200), nullable=True),
        sa.Column("host_country_alpha3", sa.String(length=3), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("participants_women", sa.Integer(), nullable=True),
        sa.Column("participants_men", sa.Integer(), nullable=True),
        sa.Column("funding_source", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            PARTICIPANTS_COUNTS,
            name=op.f("ck_activity_participants_counts"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_activity_dates_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["host_country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_activity_host_country_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["sector_code"], ["sector.code"], name=op.f("fk_activity_sector_code_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        sa.UniqueConstraint("code", name=op.f("uq_activity_code")),
    )
    op.create_index(
        op.f("ix_activity_funding_source"), "activity", ["funding_source"], unique=False
    )
    op.create_index(
        op.f("ix_activity_host_country_alpha3"), "activity", ["host_country_alpha3"], unique=False
    )
    op.create_index(op.f("ix_activity_mode"), "activity", ["mode"], unique=False)
    op.create_index(
        op.f("ix_activity_organising_unit"), "activity", ["organising_unit"], unique=False
    )
    op.create_index(op.f("ix_activity_sector_code"), "activity", ["sector_code"], unique=False)
    op.create_index(op.f("ix_activity_start_date"), "activity", ["start_date"], unique=False)
    op.create_index(op.f("ix_activity_type"), "activity", ["type"], unique=False)

    op.create_table(
        "activity_beneficiary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=True),
        sa.Column("group_code", sa.String(length=32), nullable=True),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(country_alpha3 IS NULL) <> (group_code IS NULL)",
            name=op.f("ck_activity_beneficiary_one_actor"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_beneficiary_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country_alpha3"],
            ["country.alpha3"],
            name=op.f("fk_activity_beneficiary_country_alpha3_country"),
        ),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["actor_group.code"],
            name=op.f("fk_activity_beneficiary_group_code_actor_group"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_beneficiary_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_beneficiary")),
    )
    op.create_index(
        op.f("ix_activity_beneficiary_activity_id"),
        "activity_beneficiary",
        ["activity_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_activity_beneficiary_country_alpha3"),
        "activity_beneficiary",
        ["country_alpha3"],
        unique=False,
    )

    op.create_table(
        "activity_description",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "official",
                "unofficial_translation",
                name="text_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_description_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_description_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "language", name=op.f("pk_activity_description")),
    )
    op.create_table(
        "activity_expected_result",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("expected_result_code", sa.String(length=8), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_expected_result_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expected_result_code"],
            ["expected_result.code"],
            name=op.f("fk_activity_expected_result_expected_result_code_expected_result"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_expected_result_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint(
            "activity_id", "expected_result_code", name=op.f("pk_activity_expected_result")
        ),
    )
    op.create_index(
        op.f("ix_activity_expected_result_expected_result_code"),
        "activity_expected_result",
        ["expected_result_code"],
        unique=False,
    )

    op.create_table(
        "activity_fact_source",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=32), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_fact_source_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_fact_source_source_location_id_source_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "fact", name=op.f("pk_activity_fact_source")),
    )
    op.create_index(
        op.f("ix_activity_fact_source_source_location_id"),
        "activity_fact_source",
        ["source_location_id"],
        unique=False,
    )

    op.create_table(
        "activity_language",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_language_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_language_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "language", name=op.f("pk_activity_language")),
    )
    op.create_index(
        op.f("ix_activity_language_language"), "activity_language", ["language"], unique=False
    )

    op.create_table(
        "activity_partner",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_partner_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_partner_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "name", name=op.f("pk_activity_partner")),
    )
    op.create_table(
        "activity_recommendation",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_number", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_recommendation_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_number"],
            ["recommendation.number"],
            name=op.f("fk_activity_recommendation_recommendation_number_recommendation"),
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_recommendation_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint(
            "activity_id", "recommendation_number", name=op.f("pk_activity_recommendation")
        ),
    )
    op.create_index(
        op.f("ix_activity_recommendation_recommendation_number"),
        "activity_recommendation",
        ["recommendation_number"],
        unique=False,
    )

    op.create_table(
        "activity_subject_area",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=32), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_subject_area_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_subject_area_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "area_code", name=op.f("pk_activity_subject_area")),
    )
    op.create_index(
        op.f("ix_activity_subject_area_area_code"),
        "activity_subject_area",
        ["area_code"],
        unique=False,
    )

    op.create_table(
        "activity_title",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "official",
                "unofficial_translation",
                name="text_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_title_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_title_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "language", name=op.f("pk_activity_title")),
    )
    op.create_table(
        "activity_project",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_project_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_activity_project_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["source_location.id"],
            name=op.f("fk_activity_project_source_location_id_source_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "project_id", name=op.f("pk_activity_project")),
    )
    op.create_index(
        op.f("ix_activity_project_project_id"), "activity_project", ["project_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_project_project_id"), table_name="activity_project")

    op.drop_table("activity_project")
    op.drop_table("activity_title")
    op.drop_index(op.f("ix_activity_subject_area_area_code"), table_name="activity_subject_area")

    op.drop_table("activity_subject_area")
    op.drop_index(
        op.f("ix_activity_recommendation_recommendation_number"),
        table_name="activity_recommendation",
    )

    op.drop_table("activity_recommendation")
    op.drop_table("activity_partner")
    op.drop_index(op.f("ix_activity_language_language"), table_name="activity_language")

    op.drop_table("activity_language")
    op.drop_index(
        op.f("ix_activity_fact_source_source_location_id"), table_name="activity_fact_source"
    )

    op.drop_table("activity_fact_source")
    op.drop_index(
        op.f("ix_activity_expected_result_expected_result_code"),
        table_name="activity_expected_result",
    )

    op.drop_table("activity_expected_result")
    op.drop_table("activity_description")
    op.drop_index(op.f("ix_activity_beneficiary_country_alpha3"), table_name="activity_beneficiary")
    op.drop_index(op.f("ix_activity_beneficiary_activity_id"), table_name="activity_beneficiary")

    op.drop_table("activity_beneficiary")
    op.drop_index(op.f("ix_activity_type"), table_name="activity")
    op.drop_index(op.f("ix_activity_start_date"), table_name="activity")
    op.drop_index(op.f("ix_activity_sector_code"), table_name="activity")
    op.drop_index(op.f("ix_activity_organising_unit"), table_name="activity")
    op.drop_index(op.f("ix_activity_mode"), table_name="activity")
    op.drop_index(op.f("ix_activity_host_country_alpha3"), table_name="activity")
    op.drop_index(op.f("ix_activity_funding_source"), table_name="activity")

    op.drop_table("activity")
