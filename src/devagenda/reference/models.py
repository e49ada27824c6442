"""Reference tables: clusters, sectors, expected results, countries and groups.

They change rarely, are shipped as data files and loaded by `devagenda init`.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.models import Base, TranslatedMixin, TranslationMixin, enum_column


class WipoRegion(enum.StrEnum):
    AFRICA = "africa"
    ARAB = "arab"
    ASIA_PACIFIC = "asia_pacific"
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean"
    TRANSITION_DEVELOPED = "transition_developed"


class DevelopmentStatus(enum.StrEnum):
    LDC = "ldc"
    DEVELOPING = "developing"
    TRANSITION = "transition"
    DEVELOPED = "developed"


class GroupKind(enum.StrEnum):
    """What sort of body a group is: a WIPO group of member states or an organization."""

    REGIONAL_GROUP = "regional_group"
    IGO = "igo"


class NameKind(enum.StrEnum):
    OFFICIAL = "official"  # the name UN documents use in that language
    ALIAS = "alias"  # any other name people write


class Cluster(TranslatedMixin, Base):
    __tablename__ = "cluster"

    letter: Mapped[str] = mapped_column(String(1), primary_key=True)
    first_recommendation: Mapped[int] = mapped_column(Integer)
    last_recommendation: Mapped[int] = mapped_column(Integer)

    texts: Mapped[list[ClusterTitle]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ClusterTitle.language"
    )


class ClusterTitle(TranslationMixin, Base):
    __tablename__ = "cluster_title"

    cluster_letter: Mapped[str] = mapped_column(
        ForeignKey("cluster.letter", ondelete="CASCADE"), primary_key=True
    )


class ExpectedResult(TranslatedMixin, Base):
    """An expected result of the Medium-Term Strategic Plan, e.g. 4.1."""

    __tablename__ = "expected_result"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    strategic_pillar: Mapped[int] = mapped_column(Integer)

    texts: Mapped[list[ExpectedResultTitle]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ExpectedResultTitle.language"
    )


class ExpectedResultTitle(TranslationMixin, Base):
    __tablename__ = "expected_result_title"

    expected_result_code: Mapped[str] = mapped_column(
        ForeignKey("expected_result.code", ondelete="CASCADE"), primary_key=True
    )


class Sector(TranslatedMixin, Base):
    """A WIPO sector; sectors are reorganized from time to time, hence the period."""

    __tablename__ = "sector"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    report_order: Mapped[int | None] = mapped_column(Integer)  # chapter number in the report

    texts: Mapped[list[SectorName]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SectorName.language"
    )


class SectorName(TranslationMixin, Base):
    __tablename__ = "sector_name"

    sector_code: Mapped[str] = mapped_column(
        ForeignKey("sector.code", ondelete="CASCADE"), primary_key=True
    )


class Country(Base):
    """A state or territory, keyed by ISO 3166 alpha-3."""

    __tablename__ = "country"

    alpha3: Mapped[str] = mapped_column(String(3), primary_key=True)
    alpha2: Mapped[str] = mapped_column(String(2), unique=True)
    m49: Mapped[str] = mapped_column(String(3), unique=True)
    wipo_region: Mapped[WipoRegion] = mapped_column(
        enum_column(WipoRegion, "wipo_region"), index=True
    )
    development_status: Mapped[DevelopmentStatus] = mapped_column(
        enum_column(DevelopmentStatus, "development_status"), index=True
    )
    status_as_of: Mapped[date] = mapped_column(Date)
    un_member: Mapped[bool] = mapped_column(Boolean)
    wipo_member: Mapped[bool] = mapped_column(Boolean)

    names: Mapped[list[CountryName]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CountryName.position"
    )

    def name(self, language: str) -> str:
        """The official name in `language`, else the English one."""
        official = {n.language: n.name for n in self.names if n.kind is NameKind.OFFICIAL}
        return official.get(language) or official.get("en") or self.alpha3


class CountryName(Base):
    __tablename__ = "country_name"
    __table_args__ = (UniqueConstraint("country_alpha3", "language", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_alpha3: Mapped[str] = mapped_column(
        ForeignKey("country.alpha3", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, "name_kind"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActorGroup(Base):
    """A group of states or an intergovernmental organization (the African Group, ARIPO...)
    that proposes projects or benefits from them."""

    __tablename__ = "actor_group"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind, "group_kind"))

    names: Mapped[list[ActorGroupName]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ActorGroupName.position"
    )
    members: Mapped[list[Country]] = relationship(secondary="actor_group_member", lazy="selectin")

    def name(self, language: str) -> str:
        official = {n.language: n.name for n in self.names if n.kind is NameKind.OFFICIAL}
        return official.get(language) or official.get("en") or self.code


class ActorGroupName(Base):
    __tablename__ = "actor_group_name"
    __table_args__ = (UniqueConstraint("group_code", "language", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_code: Mapped[str] = mapped_column(
        ForeignKey("actor_group.code", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, "name_kind"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActorGroupMember(Base):
    __tablename__ = "actor_group_member"

    group_code: Mapped[str] = mapped_column(
        ForeignKey("actor_group.code", ondelete="CASCADE"), primary_key=True
    )
    country_alpha3: Mapped[str] = mapped_column(
        ForeignKey("country.alpha3", ondelete="CASCADE"), primary_key=True
    )
