"""Technical-assistance activities (IP-TAD): what WIPO delivered, where, for whom, how.

An activity's single-valued facts are columns; where an import or an edit states them is
kept per fact (`ActivityFactSource`), as for projects. Its texts, countries, subject
areas, languages, partners and links are parts of it: change-logged rows whose writes
raise the activity's version and appear in its history. Numbers that a source does not
state stay NULL ("not stated"), never 0.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.changelog import ChangeLogged
from devagenda.core.models import (
    Base,
    TimestampMixin,
    TranslatedMixin,
    TranslationMixin,
    enum_column,
)
from devagenda.reference.models import ActorGroup, Country


class ActivityType(enum.StrEnum):
    MISSION = "mission"
    WORKSHOP = "workshop"
    SEMINAR = "seminar"
    TRAINING_COURSE = "training_course"
    ADVISORY = "advisory"
    LEGISLATIVE_ASSISTANCE = "legislative_assistance"
    STUDY = "study"
    CONFERENCE = "conference"
    WEBINAR = "webinar"
    OTHER = "other"


class ActivityMode(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


# The namespace of the codes of demo activities (`devagenda demo generate`): imports and
# edits refuse it, so that demo rows never mix with real ones.
DEMO_PREFIX = "DEMO-"
_PARTICIPANTS = (
    "(participants IS NULL OR participants >= 0)"
    " AND (participants_women IS NULL OR participants_women >= 0)"
    " AND (participants_men IS NULL OR participants_men >= 0)"
    " AND (participants IS NULL OR participants_women IS NULL OR participants_men IS NULL"
    " OR participants_women + participants_men <= participants)"
)


class Activity(ChangeLogged, TranslatedMixin, TimestampMixin, Base):
    """One activity; `code` is the key imports update by (e.g. the IP-TAD id)."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(_PARTICIPANTS, name="participants_counts"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="dates_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    type: Mapped[ActivityType | None] = mapped_column(
        enum_column(ActivityType, "activity_type"), index=True
    )
    # The division or office that organised it ("Division for Africa"); the sector is a
    # separate fact, since IP-TAD labels divisions as sectors.
    organising_unit: Mapped[str | None] = mapped_column(String(200), index=True)
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    mode: Mapped[ActivityMode | None] = mapped_column(
        enum_column(ActivityMode, "activity_mode"), index=True
    )
    venue_city: Mapped[str | None] = mapped_column(String(200))
    host_country_alpha3: Mapped[str | None] = mapped_column(
        ForeignKey("country.alpha3"), index=True
    )
    participants: Mapped[int | None] = mapped_column(Integer)
    participants_women: Mapped[int | None] = mapped_column(Integer)
    participants_men: Mapped[int | None] = mapped_column(Integer)
    funding_source: Mapped[str | None] = mapped_column(String(200), index=True)
    # Made by `devagenda demo generate` (code in the DEMO- namespace), shown as such.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)

    texts: Mapped[list[ActivityTitle]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ActivityTitle.language"
    )
    descriptions: Mapped[list[ActivityDescription]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityDescription.language"
    )
    host_country: Mapped[Country | None] = relationship()
    beneficiaries: Mapped[list[ActivityBeneficiary]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityBeneficiary.position"
    )
    subject_areas: Mapped[list[ActivitySubjectArea]] = relationship(
        cascade="all, delete-orphan", order_by="ActivitySubjectArea.area_code"
    )
    languages: Mapped[list[ActivityLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityLanguage.language"
    )
    partners: Mapped[list[ActivityPartner]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPartner.position"
    )
    recommendation_links: Mapped[list[ActivityRecommendation]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityRecommendation.recommendation_number"
    )
    expected_result_links: Mapped[list[ActivityExpectedResult]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityExpectedResult.expected_result_code"
    )
    project_links: Mapped[list[ActivityProject]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityProject.project_id"
    )
    fact_sources: Mapped[list[ActivityFactSource]] = relationship(cascade="all, delete-orphan")

    def countries(self) -> set[str]:
        """The countries the activity names: its host and its beneficiary countries, the
        members of a beneficiary group included (whose record it is, for focal points)."""
        found = {self.host_country_alpha3} if self.host_country_alpha3 else set()
        for link in self.beneficiaries:
            if link.country_alpha3:
                found.add(link.country_alpha3)
            elif link.group is not None:
                found.update(member.alpha3 for member in link.group.members)
        return found


def _activity_key() -> Mapped[int]:
    return mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)


def _location() -> Mapped[int | None]:
    return mapped_column(ForeignKey("source_location.id", ondelete="SET NULL"))


class ActivityTitle(ChangeLogged, TranslationMixin, Base):
    __tablename__ = "activity_title"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()


class ActivityDescription(ChangeLogged, TranslationMixin, Base):
    __tablename__ = "activity_description"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()


class ActivityBeneficiary(ChangeLogged, Base):
    """A beneficiary: a country or a group of states (never both, never neither)."""

    __tablename__ = "activity_beneficiary"
    __changelog_parent__ = "activity_id"
    __table_args__ = (
        CheckConstraint("(country_alpha3 IS NULL) <> (group_code IS NULL)", name="one_actor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    country_alpha3: Mapped[str | None] = mapped_column(ForeignKey("country.alpha3"), index=True)
    group_code: Mapped[str | None] = mapped_column(ForeignKey("actor_group.code"))
    source_location_id: Mapped[int | None] = _location()

    country: Mapped[Country | None] = relationship(lazy="joined")
    group: Mapped[ActorGroup | None] = relationship(lazy="joined")


class ActivitySubjectArea(ChangeLogged, Base):
    """An IP subject area, by its code in `activities/data/subject_areas.csv`."""

    __tablename__ = "activity_subject_area"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    area_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    source_location_id: Mapped[int | None] = _location()


class ActivityLanguage(ChangeLogged, Base):
    """A language the activity was held in (ISO 639-1)."""

    __tablename__ = "activity_language"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    language: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)
    source_location_id: Mapped[int | None] = _location()


class ActivityPartner(ChangeLogged, Base):
    """An organization that co-organised or co-funded it (a national office, an IGO)."""

    __tablename__ = "activity_partner"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_location_id: Mapped[int | None] = _location()


class ActivityRecommendation(ChangeLogged, Base):
    __tablename__ = "activity_recommendation"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    recommendation_number: Mapped[int] = mapped_column(
        ForeignKey("recommendation.number"), primary_key=True, index=True
    )
    source_location_id: Mapped[int | None] = _location()


class ActivityExpectedResult(ChangeLogged, Base):
    __tablename__ = "activity_expected_result"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    expected_result_code: Mapped[str] = mapped_column(
        ForeignKey("expected_result.code"), primary_key=True, index=True
    )
    source_location_id: Mapped[int | None] = _location()


class ActivityProject(ChangeLogged, Base):
    """A Development Agenda project the activity was part of."""

    __tablename__ = "activity_project"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    source_location_id: Mapped[int | None] = _location()


class ActivityFactSource(ChangeLogged, Base):
    """Where a single-valued fact of an activity (a column's value) is stated."""

    __tablename__ = "activity_fact_source"
    __changelog_parent__ = "activity_id"

    activity_id: Mapped[int] = _activity_key()
    fact: Mapped[str] = mapped_column(String(32), primary_key=True)  # the column's name
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
