"""Connections: a need and an offer that one side wants to pair, and how the pair
moves on: contacted → in discussion → agreement → closed, or dropped from any open state.

Each state's day is stored on the connection, and every change goes through the change
log (a connection is `ChangeLogged`). Both sides are told of each change: an in-app
notice per post, and, when the administrator enabled mail (`configure_mail`), a message
queued for each post whose contact is an e-mail address; nothing here sends mail.

The counts are those the annual report quotes: matchmakings (pairs where one side
expressed interest) and connections (pairs that went on to a discussion or further), per
year, WIPO region of the need and dataset (WIPO GREEN for green technologies, else WIPO
Match).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, refusal
from devagenda.core.actor import Role, current_actor
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied
from devagenda.match.models import (
    Connection,
    ConnectionState,
    MailSettings,
    MailStatus,
    MatchPost,
    Notice,
    OutgoingMail,
    Side,
)
from devagenda.match.services import find_post
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
_EMAIL = re.compile(r"[^@\s,;<>]{1,64}@[^@\s,;<>]+\.[^@\s,;<>]{2,}")


def express_interest(
    session: Session, key: str, other_key: str, *, on: date | None = None
) -> Connection:
    """The side of post `key` is interested in `other_key` (of the other side): a new
    connection, contacted on `on` (today). Asking again for the same pair is refused."""
    post, other = find_post(session, key), find_post(session, other_key)
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
    _tell_both(session, connection, f"{post.key} is interested in {other.key}")
    return connection


def move(
    session: Session, connection_id: int, state: ConnectionState, *, on: date | None = None
) -> Connection:
    """Move a connection to `state`, one of the states its own may move to."""
    connection = session.get(Connection, connection_id)
    if connection is None:
        raise NotFoundError(f"no connection has the id {connection_id}")
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
    _tell_both(
        session, connection, f"{connection.need.key} and {connection.offer.key}: {state.value}"
    )
    return connection


def configure_mail(session: Session, *, enabled: bool, sender: str) -> MailSettings:
    """The administrator's choice: whether notices are also queued as mail, and from
    which address."""
    refused = refusal(Action.MANAGE_SETTINGS)
    if refused is not None:
        raise PermissionDenied(
            f"refused: mail settings are for administrators; {refused}",
            action=Action.MANAGE_SETTINGS.value,
            authenticated=current_actor().role is not Role.ANONYMOUS,
        )
    if not _EMAIL.match(sender):
        raise InputError(f"{sender!r} is not an e-mail address", field="sender")
    settings = session.get(MailSettings, 1) or MailSettings(id=1)
    settings.enabled, settings.sender = enabled, sender
    session.add(settings)
    session.flush()
    return settings


def _tell_both(session: Session, connection: Connection, text: str) -> None:
    settings = session.get(MailSettings, 1)
    for post in (connection.need, connection.offer):
        notice = Notice(
            post_id=post.id, connection_id=connection.id, text=text, created_on=date.today()
        )
        session.add(notice)
        session.flush()
        if settings is not None and settings.enabled and post.contact:
            recipient = _EMAIL.search(post.contact)
            if recipient is not None:
                session.add(
                    OutgoingMail(
                        notice_id=notice.id,
                        sender=settings.sender,
                        recipient=recipient.group(0),
                        subject=f"WIPO Match: {text}"[:300],
                        body=f"{text}\n\n{post.key}: {post.title_en or post.title_zh}",
                        status=MailStatus.QUEUED,
                    )
                )
    session.flush()


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
    need's first country's (not stated when it names none)."""
    region_of = dict(session.execute(select(Country.alpha3, Country.wipo_region)).all())
    counts = ConnectionCounts()
    tallies: dict[str, Counter[tuple[str, str]]] = {
        "year": Counter(),
        "region": Counter(),
        "dataset": Counter(),
    }
    for connection in session.scalars(select(Connection)):
        need = connection.need
        region = region_of[need.countries[0].country_alpha3].value if need.countries else NOT_STATED
        green = need.green_category is not None or connection.offer.green_category is not None
        groups = {
            "year": str(connection.contacted_on.year),
            "region": region,
            "dataset": "wipo_green" if green else "wipo_match",
        }
        kinds = ["matchmakings"] + (["connections"] if _connected(connection) else [])
        for kind in kinds:
            setattr(counts, kind, getattr(counts, kind) + 1)
            for name, group in groups.items():
                tallies[name][(group, kind)] += 1
    for name, tally in tallies.items():
        table: dict[str, dict[str, int]] = {}
        for (group, kind), number in sorted(tally.items()):
            table.setdefault(group, {"matchmakings": 0, "connections": 0})[kind] = number
        setattr(counts, f"by_{name}", table)
    sides = Counter(session.scalars(select(MatchPost.side)))
    counts.needs, counts.offers = sides[Side.NEED], sides[Side.OFFER]
    return counts


def _connected(connection: Connection) -> bool:
    """Whether the pair went on to a discussion, even if it was dropped later."""
    return connection.state in CONNECTED or connection.discussion_on is not None
