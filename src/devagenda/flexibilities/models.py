"""The flexibilities database: how each jurisdiction implements each flexibility of the
international IP system, and the updates member states send about it.

Fields of IP law and their categories are shipped code lists (`flexibilities/data`),
loaded into tables so that provisions can point at them and more can be added. A
provision is one jurisdiction's implementation of one category: the law that states it
and its verbatim text per language. A member-state update is what a focal point submits
for their own jurisdiction, citing the official communication; it is published as soon
as it is stored and links to the provisions it amends or adds. Provisions, texts,
updates and their links are change-logged, which keeps their full history.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.changelog import ChangeLogged
from devagenda.core.models import Base, TimestampMixin, enum_column


class IpLawField(Base):
    """A field of IP law (patents, ...), by its code in `data/fields.csv`."""

    __tablename__ = "ip_law_field"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class FlexibilityCategory(Base):
    """A flexibility of one field (compulsory licences, ...), from `data/categories.csv`."""

    __tablename__ = "flexibility_category"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    field_code: Mapped[str] = mapped_column(ForeignKey("ip_law_field.code"), index=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Provision(ChangeLogged, TimestampMixin, Base):
    """One jurisdiction's legal provision for one category. A fact the source does not
    state (the law's number, its date in force) stays NULL and is shown as not stated."""

    __tablename__ = "flexibility_provision"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The key imports update by (e.g. KEN-RE-1); provisions added by an update have none.
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    jurisdiction_alpha3: Mapped[str] = mapped_column(ForeignKey("country.alpha3"), index=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("flexibility_category.code"), index=True)
    law_title: Mapped[str] = mapped_column(String(500))
    law_number: Mapped[str | None] = mapped_column(String(100))
    law_date: Mapped[date | None] = mapped_column(Date)
    articles: Mapped[str] = mapped_column(String(200), default="")
    link: Mapped[str | None] = mapped_column(String(1000))
    in_force_date: Mapped[date | None] = mapped_column(Date)
    # Where the provision is stated: the import's source column, or the update's
    # communication (provisions an update amends or adds keep the update as their link).
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )

    texts: Mapped[list[ProvisionText]] = relationship(
        cascade="all, delete-orphan", order_by="ProvisionText.language", lazy="selectin"
    )


class ProvisionText(ChangeLogged, Base):
    """The provision's verbatim text in one language (ISO 639-1)."""

    __tablename__ = "flexibility_provision_text"
    __changelog_parent__ = "provision_id"

    provision_id: Mapped[int] = mapped_column(
        ForeignKey("flexibility_provision.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class UpdateEffect(enum.StrEnum):
    """What an update does to a provision it is attached to."""

    AMENDS = "amends"  # the provision was in the database before the update
    ADDS = "adds"  # the update made it known


class MemberStateUpdate(ChangeLogged, Base):
    """An official update a focal point submitted for their jurisdiction. `received_at`
    is when it was stored, which is also when it was published."""

    __tablename__ = "member_state_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_alpha3: Mapped[str] = mapped_column(ForeignKey("country.alpha3"), index=True)
    communication_reference: Mapped[str] = mapped_column(String(200))
    communication_date: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )

    links: Mapped[list[UpdateProvision]] = relationship(
        cascade="all, delete-orphan", order_by="UpdateProvision.provision_id", lazy="selectin"
    )


class UpdateProvision(ChangeLogged, Base):
    """A provision an update amends or adds: set by the focal point when submitting, or
    attached later by an editor."""

    __tablename__ = "member_state_update_provision"
    __changelog_parent__ = "update_id"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("member_state_update.id", ondelete="CASCADE"), primary_key=True
    )
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("flexibility_provision.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    effect: Mapped[UpdateEffect] = mapped_column(
        enum_column(UpdateEffect, "member_state_update_effect")
    )
