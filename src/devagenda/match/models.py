"""Matchmaking (WIPO Match, WIPO GREEN): needs posted by seekers, offers by providers.

Needs and offers share one table (`match_post`), told apart by `side`, because they hold
the same facts and are matched against each other. Countries, IP fields and languages
are parts, change-logged with their post. The embedding of a post's texts (float32 bytes
of the multilingual sentence encoder, match.suggestions) is derived from them, like a
search index, so it is kept apart and not change-logged (`MatchPostEmbedding`).
Contact details are personal data: only the two sides and editors see them.

A post written through the API or the web belongs to the account that wrote it
(`owner_account_id`): that account may change it, expresses interest for it and is told
of its suggestions and connections. `owner` stays the organisation the post names.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import devagenda.accounts.models  # noqa: F401 (the user_account table the owner keys name)
from devagenda.core.changelog import ChangeLogged
from devagenda.core.models import Base, TimestampMixin, enum_column
from devagenda.reference.models import Country


class Side(enum.StrEnum):
    NEED = "need"
    OFFER = "offer"


class Support(enum.StrEnum):
    """The kind of support: WIPO Match's three, and WIPO GREEN's ways of transfer."""

    FINANCIAL = "financial"
    TECHNICAL = "technical"
    PARTNERSHIP = "partnership"  # public-private partnership
    LICENCE = "licence"
    COLLABORATION = "collaboration"
    JOINT_VENTURE = "joint_venture"
    SALE = "sale"


class GreenCategory(enum.StrEnum):
    """WIPO GREEN's technology categories; NULL is a WIPO Match post."""

    ENERGY = "energy"
    WATER = "water"
    AGRICULTURE = "agriculture"
    TRANSPORT = "transport"
    BUILDINGS = "buildings"
    POLLUTION_WASTE = "pollution_waste"
    PRODUCTS_MATERIALS = "products_materials"


class OwnerType(enum.StrEnum):
    IP_OFFICE = "ip_office"
    UNIVERSITY = "university"
    SME = "sme"
    COMMUNITY = "community"
    DONOR = "donor"
    FIRM = "firm"
    EXPERT = "expert"
    GOVERNMENT = "government"
    NGO = "ngo"


class MatchPost(ChangeLogged, TimestampMixin, Base):
    """A need or an offer; `key` is what imports update by (e.g. NEED-12)."""

    __tablename__ = "match_post"
    __personal_fields__: ClassVar[frozenset[str]] = frozenset({"contact"})

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "match_side"), index=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    owner_type: Mapped[OwnerType | None] = mapped_column(enum_column(OwnerType, "match_owner"))
    support: Mapped[Support | None] = mapped_column(
        enum_column(Support, "match_support"), index=True
    )
    green_category: Mapped[GreenCategory | None] = mapped_column(
        enum_column(GreenCategory, "match_green_category"), index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str | None] = mapped_column(String(500))
    owner_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    countries: Mapped[list[MatchPostCountry]] = relationship(
        cascade="all, delete-orphan", order_by="MatchPostCountry.position", lazy="selectin"
    )
    fields: Mapped[list[MatchPostField]] = relationship(
        cascade="all, delete-orphan", order_by="MatchPostField.field_code", lazy="selectin"
    )
    languages: Mapped[list[MatchPostLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="MatchPostLanguage.language", lazy="selectin"
    )


def _post_key() -> Mapped[int]:
    return mapped_column(ForeignKey("match_post.id", ondelete="CASCADE"), primary_key=True)


class MatchPostCountry(ChangeLogged, Base):
    """A country the post is for (a need's seeker country, an offer's reach)."""

    __tablename__ = "match_post_country"
    __changelog_parent__ = "post_id"

    post_id: Mapped[int] = _post_key()
    country_alpha3: Mapped[str] = mapped_column(
        ForeignKey("country.alpha3"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    country: Mapped[Country] = relationship(lazy="joined")


class MatchPostField(ChangeLogged, Base):
    """An IP field, by its code in the IP subject areas (as activities and the roster)."""

    __tablename__ = "match_post_field"
    __changelog_parent__ = "post_id"

    post_id: Mapped[int] = _post_key()
    field_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class MatchPostLanguage(ChangeLogged, Base):
    """A language the post's owner works in (ISO 639-1)."""

    __tablename__ = "match_post_language"
    __changelog_parent__ = "post_id"

    post_id: Mapped[int] = _post_key()
    language: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)


class MatchPostEmbedding(Base):
    """The embedding of a post's texts: 512 float32 values as bytes, unit length. Removed
    when the texts change and computed again (match.services.encode_pending), so that
    suggesting is one matrix product over stored rows."""

    __tablename__ = "match_post_embedding"

    post_id: Mapped[int] = _post_key()
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ConnectionState(enum.StrEnum):
    """Where a pair stands: contacted → in discussion → agreement → closed, or dropped
    from any open state."""

    CONTACTED = "contacted"
    DISCUSSION = "discussion"
    AGREEMENT = "agreement"
    CLOSED = "closed"
    DROPPED = "dropped"


class Connection(ChangeLogged, TimestampMixin, Base):
    """A need and an offer one side expressed interest in pairing, with the day it
    entered each state (NULL: not reached). Every change is in the change log."""

    __tablename__ = "match_connection"
    __table_args__ = (UniqueConstraint("need_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(
        ForeignKey("match_post.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("match_post.id", ondelete="CASCADE"), index=True
    )
    interested_side: Mapped[Side] = mapped_column(enum_column(Side, "match_side"))
    state: Mapped[ConnectionState] = mapped_column(
        enum_column(ConnectionState, "match_connection_state"), index=True
    )
    contacted_on: Mapped[date] = mapped_column(Date, index=True)
    discussion_on: Mapped[date | None] = mapped_column(Date)
    agreement_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    dropped_on: Mapped[date | None] = mapped_column(Date)

    need: Mapped[MatchPost] = relationship(foreign_keys=[need_id], lazy="joined")
    offer: Mapped[MatchPost] = relationship(foreign_keys=[offer_id], lazy="joined")


class NoticeKind(enum.StrEnum):
    SUGGESTION = "suggestion"  # a new suggested pair for the post
    CONNECTION = "connection"  # a connection of the post was made or moved on


class Notice(Base):
    """An in-app notice to the owner of a post, about a pair (need, offer): a new
    suggestion, or a connection made or moved on. `account_id` is the post's owner
    account when the notice was made (NULL: the post has none; mail may still reach its
    contact). Derived from the change it reports (which the change log holds), so not
    change-logged."""

    __tablename__ = "match_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("match_post.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "match_notice_kind"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("match_post.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("match_post.id", ondelete="CASCADE"))
    connection_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_connection.id", ondelete="CASCADE"), index=True
    )
    # What a connection notice reports: the state the connection reached ("contacted":
    # one side expressed interest); NULL for a suggestion.
    state: Mapped[ConnectionState | None] = mapped_column(
        enum_column(ConnectionState, "match_connection_state")
    )
    text: Mapped[str] = mapped_column(String(500))
    created_on: Mapped[date] = mapped_column(Date)
    read_on: Mapped[date | None] = mapped_column(Date)


class SuggestedPair(Base):
    """A need and an offer whose suggestion both sides were told of: each pair is
    announced once, however often its posts change. Derived, so not change-logged."""

    __tablename__ = "match_suggested_pair"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("match_post.id", ondelete="CASCADE"), primary_key=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("match_post.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    suggested_on: Mapped[date] = mapped_column(Date)


class KeyCounter(Base):
    """The last number given to a new post of a side (NEED-n, OFFER-n). Taking the next
    one is an UPDATE of this row, which concurrent writers (several `serve` processes on
    one database) do one at a time, and a deleted post's key is never given again.
    Derived, so not change-logged."""

    __tablename__ = "match_key_counter"

    side: Mapped[Side] = mapped_column(enum_column(Side, "match_side"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"


class OutgoingMail(Base):
    """A message waiting for the mail sender (nothing here sends it): one per notice to a
    post whose contact is an e-mail address, while mail is enabled."""

    __tablename__ = "match_outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("match_notice.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus, "match_mail_status"))


class MailSettings(ChangeLogged, Base):
    """The administrator's mail settings: one row (id 1); none stored means disabled."""

    __tablename__ = "match_mail_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    sender: Mapped[str] = mapped_column(String(320))
