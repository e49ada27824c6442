"""Connections: a need and an offer that one side wants to pair, and how the pair
moves on: contacted → in discussion → agreement → closed, or dropped from any open state.

Each state's day is stored on the connection, and every change goes through the change
log (a connection is `ChangeLogged`). Both sides are told of each change (match.notices):
an in-app notice per post, and, when the administrator enabled mail (`configure_mail`),
a queued message; nothing here sends mail. Either side's owner account (or an editor or
administrator) expresses interest for its post and moves the connection on.

The counts are those the annual report quotes: matchmakings (pairs where one side
expressed interest) and connections (pairs that went on to a discussion or further), per
year, WIPO region of the need and dataset (WIPO GREEN for green technologies, else WIPO
Match).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from devagenda.accounts.permissions import Action, allowed, authorize, refusal
from devagenda.core.actor import Role, current_actor
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied
from devagenda.match.models import (
    Connection,
    ConnectionState,
    MailSettings,
    MatchPost,
    MatchPostCountry,
    OutgoingMail,
    Side,
)
from devagenda.match.notices import EMAIL, notify
from devagenda.match.schemas import ConnectionOut, MailSettingsOut
from devagenda.match.services import authorize_side, can_change, find_post
from devagenda.reference.models import Country

# Each state, and the states it may move to.
NEXT_STATES = {
    ConnectionState.CONTACTED: (ConnectionState.DISCUSSION, ConnectionState.DROPPED),
    ConnectionState.DISCUSSION: (ConnectionState.AGREEMENT, ConnectionState.DROPPED),
    ConnectionState.AGREEMENT: (ConnectionState.CLOSED, ConnectionState.DROPPED),
    ConnectionState.CLOSED: (),
    ConnectionState.DROPPED: (),
}
CONNECTED = (ConnectionState.DISCUSSION, ConnectionState.AGREEMENT, ConnectionState.CLOSED)
NOT_STATED = "not stated"


def express_interest(
    session: Session, key: str, other_key: str, *, on: date | None = None
) -> Connection:
    """The side of post `key` is interested in `other_key` (of the other side): a new
    connection, contacted on `on` (today). Only the owner of `key`'s post (or an editor
    or administrator) speaks for its side. Asking again for the same pair is refused."""
    authorize(Action.POST_MATCH)  # anonymous: 401 before anything is looked up
    post, other = find_post(session, key), find_post(session, other_key)
    authorize_side(post, "express interest for")
    if post.side == other.side:
        raise InputError(
            f"{key} and {other_key} are both {post.side.value}s: pair a need with an offer",
            field="other",
        )
    need, offer = (post, other) if post.side == Side.NEED else (other, post)
    stored = session.scalar(
        select(Connection).where(Connection.need_id == need.id, Connection.offer_id == offer.id)
    )
    if stored is not None:
        raise InputError(
            f"{need.key} and {offer.key} are already connected ({stored.state.value})",
            field="other",
        )
    connection = Connection(
        need_id=need.id,
        offer_id=offer.id,
        interested_side=post.side,
        state=ConnectionState.CONTACTED,
        contacted_on=on or date.today(),
    )
    session.add(connection)
    session.flush()
    _tell_both(session, connection)
    return connection


def move(
    session: Session, connection_id: int, state: ConnectionState, *, on: date | None = None
) -> Connection:
    """Move a connection to `state`, one of the states its own may move to: by the
    owner of either side, or an editor or administrator."""
    actor = authorize(Action.POST_MATCH)  # anonymous: 401 before anything is looked up
    connection = session.get(Connection, connection_id)
    if connection is None:
        raise NotFoundError(f"no connection has the id {connection_id}")
    if not (can_change(connection.need) or can_change(connection.offer)):
        raise PermissionDenied(
            f"refused: {actor.label} ({actor.role.value}) may move only the connections of "
            f"their own account's posts, and neither {connection.need.key} nor "
            f"{connection.offer.key} is one of them",
            action=Action.POST_MATCH.value,
            authenticated=True,
        )
    allowed = NEXT_STATES[connection.state]
    if state not in allowed:
        after = ", ".join(s.value for s in allowed) or "nothing: it is finished"
        raise InputError(
            f"a connection {connection.state.value} can move to {after}, not {state.value}",
            field="state",
        )
    day = on or date.today()
    if day < connection.contacted_on:
        raise InputError(f"{day} is before the contact on {connection.contacted_on}", field="on")
    connection.state = state
    setattr(connection, f"{state.value}_on", day)
    session.flush()
    _tell_both(session, connection)
    return connection


def configure_mail(session: Session, *, enabled: bool, sender: str) -> MailSettings:
    """The administrator's choice: whether notices are also queued as mail, and from
    which address."""
    _authorize_settings()
    if not EMAIL.fullmatch(sender.strip()):
        raise InputError(f"{sender!r} is not an e-mail address", field="sender")
    settings = session.get(MailSettings, 1) or MailSettings(id=1)
    settings.enabled, settings.sender = enabled, sender
    session.add(settings)
    session.flush()
    return settings


def mail_settings(session: Session) -> MailSettingsOut:
    """The mail settings, for administrators (disabled when none are stored)."""
    _authorize_settings()
    settings = session.get(MailSettings, 1)
    if settings is None:
        return MailSettingsOut(enabled=False, sender=None)
    return MailSettingsOut(enabled=settings.enabled, sender=settings.sender)


def mail_queue(session: Session) -> list[OutgoingMail]:
    """The queued and sent messages, newest first, for administrators."""
    _authorize_settings()
    return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id.desc())))


def _authorize_settings() -> None:
    refused = refusal(Action.MANAGE_SETTINGS)
    if refused is not None:
        raise PermissionDenied(
            f"refused: mail settings are for administrators; {refused}",
            action=Action.MANAGE_SETTINGS.value,
            authenticated=current_actor().role is not Role.ANONYMOUS,
        )


def connections_for(session: Session) -> list[Connection]:
    """The connections the current actor may see: those of their account's posts, or
    every one for editors and administrators; newest first."""
    actor = authorize(Action.READ_OWN_ACCOUNT)
    query = select(Connection).order_by(Connection.contacted_on.desc(), Connection.id.desc())
    if not allowed(Action.EDIT_RECORD, countries=()):
        mine = select(MatchPost.id).where(MatchPost.owner_account_id == actor.user_id)
        query = query.where(or_(Connection.need_id.in_(mine), Connection.offer_id.in_(mine)))
    return list(session.scalars(query))


def connection_out(connection: Connection) -> ConnectionOut:
    return ConnectionOut(
        id=connection.id,
        need=connection.need.key,
        offer=connection.offer.key,
        interested_side=connection.interested_side,
        state=connection.state,
        version=connection.version,
        contacted_on=connection.contacted_on,
        discussion_on=connection.discussion_on,
        agreement_on=connection.agreement_on,
        closed_on=connection.closed_on,
        dropped_on=connection.dropped_on,
    )


def _tell_both(session: Session, connection: Connection) -> None:
    for post in (connection.need, connection.offer):
        notify(session, post, connection.need, connection.offer, connection)


@dataclass
class ConnectionCounts:
    """Matchmakings and connections, in total and per year, region and dataset."""

    matchmakings: int = 0
    connections: int = 0
    by_year: dict[str, dict[str, int]] = field(default_factory=dict)
    by_region: dict[str, dict[str, int]] = field(default_factory=dict)
    by_dataset: dict[str, dict[str, int]] = field(default_factory=dict)
    # What the dataset held: the report's "250 technology solutions and 136 needs".
    needs: int = 0
    offers: int = 0


def connection_counts(session: Session) -> ConnectionCounts:
    """The counts the report quotes; the year is the year of contact, the region the
    need's first country's (not stated when it names none). Two queries whatever the
    database holds: the dashboard shows these on every visit."""
    need, offer = aliased(MatchPost), aliased(MatchPost)
    first_region = (
        select(Country.wipo_region)
        .join(MatchPostCountry, MatchPostCountry.country_alpha3 == Country.alpha3)
        .where(MatchPostCountry.post_id == Connection.need_id)
        .order_by(MatchPostCountry.position, MatchPostCountry.country_alpha3)
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Connection.contacted_on,
            Connection.state,
            Connection.discussion_on,
            first_region,
            need.green_category.is_not(None) | offer.green_category.is_not(None),
        )
        .join(need, need.id == Connection.need_id)
        .join(offer, offer.id == Connection.offer_id)
    )
    counts = ConnectionCounts()
    tallies: dict[str, Counter[tuple[str, str]]] = {
        "year": Counter(),
        "region": Counter(),
        "dataset": Counter(),
    }
    for contacted_on, state, discussion_on, region, green in rows:
        groups = {
            "year": str(contacted_on.year),
            "region": region.value if region is not None else NOT_STATED,
            "dataset": "wipo_green" if green else "wipo_match",
        }
        kinds = ["matchmakings"] + (["connections"] if _connected(state, discussion_on) else [])
        for kind in kinds:
            setattr(counts, kind, getattr(counts, kind) + 1)
            for name, group in groups.items():
                tallies[name][(group, kind)] += 1
    for name, tally in tallies.items():
        table: dict[str, dict[str, int]] = {}
        for (group, kind), number in sorted(tally.items()):
            table.setdefault(group, {"matchmakings": 0, "connections": 0})[kind] = number
        setattr(counts, f"by_{name}", table)
    by_side = select(MatchPost.side, func.count()).group_by(MatchPost.side)
    sides: dict[Side, int] = {side: number for side, number in session.execute(by_side)}
    counts.needs, counts.offers = sides.get(Side.NEED, 0), sides.get(Side.OFFER, 0)
    return counts


def _connected(state: ConnectionState, discussion_on: date | None) -> bool:
    """Whether the pair went on to a discussion, even if it was dropped later."""
    return state in CONNECTED or discussion_on is not None
