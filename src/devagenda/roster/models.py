"""The roster of consultants (IP-ROC): who the experts are and what they were hired for.

A consultant's single-valued facts are columns, each with where it is stated
(`ConsultantFactSource`, as activities keep theirs); nationalities, languages, IP fields
and assignments are parts: change-logged rows whose writes raise the consultant's version.

Gender, nationalities and contact details are personal data (`__personal_fields__`): the
change log withholds their values from those who may not read them, and a nationality row
has a key of its own so that even its key says nothing. `name_key` and the name tokens
are derived from the names on every write, for fuzzy name search (roster.names).
"""

from __future__ import annotations

import enum
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.changelog import ChangeLogged
from devagenda.core.models import Base, TimestampMixin, enum_column
from devagenda.reference.models import Country


class Gender(enum.StrEnum):
    """As the consultant states it; not stated is NULL, never a value of its own."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Consultant(ChangeLogged, TimestampMixin, Base):
    """One expert of the roster; `code` is the key imports update by (e.g. IPROC-1234)."""

    __tablename__ = "consultant"
    __personal_fields__: ClassVar[frozenset[str]] = frozenset(
        {"gender", "email", "phone", "address"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    name_latin: Mapped[str] = mapped_column(String(200))
    name_own: Mapped[str | None] = mapped_column(String(200))  # in the person's own script
    # Both names romanised and folded ("wang xiaoming|wang xiao ming"), kept on write: what
    # fuzzy search ranks candidates by.
    name_key: Mapped[str] = mapped_column(String(600), default="")
    gender: Mapped[Gender | None] = mapped_column(
        enum_column(Gender, "consultant_gender"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    # Generated demonstration data, never to be mixed with the real roster.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)

    nationalities: Mapped[list[ConsultantNationality]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultantNationality.position"
    )
    languages: Mapped[list[ConsultantLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultantLanguage.language"
    )
    fields: Mapped[list[ConsultantField]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultantField.field_code"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        cascade="all, delete-orphan", order_by="Assignment.position"
    )
    name_tokens: Mapped[list[ConsultantNameToken]] = relationship(cascade="all, delete-orphan")
    fact_sources: Mapped[list[ConsultantFactSource]] = relationship(cascade="all, delete-orphan")


def _consultant_key() -> Mapped[int]:
    return mapped_column(ForeignKey("consultant.id", ondelete="CASCADE"), primary_key=True)


def _owner() -> Mapped[int]:
    return mapped_column(ForeignKey("consultant.id", ondelete="CASCADE"), index=True)


def _location() -> Mapped[int | None]:
    return mapped_column(ForeignKey("source_location.id", ondelete="SET NULL"))


class ConsultantNationality(ChangeLogged, Base):
    """A nationality (personal data). Keyed by its own id: a key of consultant and
    country would show the nationality in every change-log entry's key."""

    __tablename__ = "consultant_nationality"
    __changelog_parent__ = "consultant_id"
    __personal_fields__: ClassVar[frozenset[str]] = frozenset({"country_alpha3"})
    __table_args__ = (UniqueConstraint("consultant_id", "country_alpha3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultant_id: Mapped[int] = _owner()
    country_alpha3: Mapped[str] = mapped_column(ForeignKey("country.alpha3"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_location_id: Mapped[int | None] = _location()

    country: Mapped[Country] = relationship(lazy="joined")


class ConsultantLanguage(ChangeLogged, Base):
    """A language the consultant works in (ISO 639-1, the activities' list)."""

    __tablename__ = "consultant_language"
    __changelog_parent__ = "consultant_id"

    consultant_id: Mapped[int] = _consultant_key()
    language: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)
    source_location_id: Mapped[int | None] = _location()


class ConsultantField(ChangeLogged, Base):
    """An IP field of expertise, by its code in the IP subject areas (roster/data)."""

    __tablename__ = "consultant_field"
    __changelog_parent__ = "consultant_id"

    consultant_id: Mapped[int] = _consultant_key()
    field_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    source_location_id: Mapped[int | None] = _location()


class Assignment(ChangeLogged, Base):
    """What the consultant was hired for: a year, the countries it served, the activity
    it was part of when known, and the task. A year no source states stays NULL."""

    __tablename__ = "assignment"
    __changelog_parent__ = "consultant_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultant_id: Mapped[int] = _owner()
    position: Mapped[int] = mapped_column(Integer, default=0)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), index=True
    )
    task: Mapped[str | None] = mapped_column(Text)
    source_location_id: Mapped[int | None] = _location()

    countries: Mapped[list[AssignmentCountry]] = relationship(
        cascade="all, delete-orphan", order_by="AssignmentCountry.position", lazy="selectin"
    )


class AssignmentCountry(ChangeLogged, Base):
    """A beneficiary country of an assignment. An assignment whose countries change is
    replaced as a whole (roster.services), so these rows are written with it."""

    __tablename__ = "assignment_country"
    __changelog_parent__ = "assignment_id"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    )
    country_alpha3: Mapped[str] = mapped_column(
        ForeignKey("country.alpha3"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ConsultantNameToken(Base):
    """A word of a consultant's romanised names, and its first letters: the index that
    narrows a fuzzy name search to a few candidates before rapidfuzz ranks them. Derived
    from the names on every write, like a search index, so not change-logged."""

    __tablename__ = "consultant_name_token"
    # Covering: the candidates of a search are read from the index alone.
    __table_args__ = (Index("ix_consultant_name_token_prefix", "prefix", "consultant_id"),)

    consultant_id: Mapped[int] = _consultant_key()
    token: Mapped[str] = mapped_column(String(200), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(3))


class ConsultantFactSource(ChangeLogged, Base):
    """Where a single-valued fact of a consultant (a column's value) is stated."""

    __tablename__ = "consultant_fact_source"
    __changelog_parent__ = "consultant_id"

    consultant_id: Mapped[int] = _consultant_key()
    fact: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
