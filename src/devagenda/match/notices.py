"""Notices: each side of a pair is told when a suggestion for it appears or its
connection changes. A notice is in-app (for the post's owner account, read here) and,
when the administrator enabled mail (match.connections.configure_mail), also a message
queued for the post's contact address, or else its owner account's; nothing here sends
mail.

A suggested pair is announced once: `SuggestedPair` keeps the pairs told of, so a post
edited ten times, or two posts suggesting each other, never tell the same pair twice. A
pair already connected is not announced as a suggestion (its connection notices say more).

An import announces the new suggestions of the posts that accounts own (the only sides
there is someone to tell): one ranking per such post, not per imported row, since
imported posts name an organisation, not an account.

What a notice says is worded once, in both interface languages (match.wording): the
pages show it in theirs, and a queued message carries both, its reader's language unknown.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from devagenda.accounts.models import User
from devagenda.accounts.permissions import Action, authorize
from devagenda.core.errors import NotFoundError, PermissionDenied
from devagenda.match.models import (
    Connection,
    MailSettings,
    MailStatus,
    MatchPost,
    Notice,
    NoticeKind,
    OutgoingMail,
    Side,
    SuggestedPair,
)
from devagenda.match.schemas import NoticeOut
from devagenda.match.suggestions import DEFAULT_LIMIT, suggest
from devagenda.match.wording import WORDS, wording

EMAIL = re.compile(r"[^@\s,;<>]{1,64}@[^@\s,;<>]+\.[^@\s,;<>]{2,}")


def notify(
    session: Session,
    post: MatchPost,
    need: MatchPost,
    offer: MatchPost,
    connection: Connection | None = None,
) -> Notice:
    """Tell the side of `post` about the pair (`need`, `offer`), a new suggestion or, with
    `connection`, the state it reached: a notice for its owner account and, while mail is
    enabled, a queued message in both languages."""
    kind = NoticeKind.SUGGESTION if connection is None else NoticeKind.CONNECTION
    state = connection.state if connection is not None else None
    interested = connection.interested_side if connection is not None else None
    said = {
        language: wording(language, kind, need.key, offer.key, state=state, interested=interested)
        for language in WORDS
    }
    notice = Notice(
        post_id=post.id,
        account_id=post.owner_account_id,
        kind=kind,
        state=state,
        need_id=need.id,
        offer_id=offer.id,
        connection_id=connection.id if connection is not None else None,
        text=said["en"][:500],
        created_on=date.today(),
    )
    session.add(notice)
    session.flush()
    settings = session.get(MailSettings, 1)
    if settings is None or not settings.enabled:
        return notice
    found = EMAIL.search(post.contact or "")
    recipient = found.group(0) if found else None
    if recipient is None and post.owner_account_id is not None:
        account = session.get(User, post.owner_account_id)
        recipient = account.email if account is not None and not account.disabled else None
    if recipient is not None:
        session.add(
            OutgoingMail(
                notice_id=notice.id,
                sender=settings.sender,
                recipient=recipient,
                subject=f"WIPO Match: {said['zh']} | {said['en']}"[:300],
                body="\n\n".join(
                    [
                        f"{said['zh']}\n{post.key}：{post.title_zh or post.title_en}",
                        f"{said['en']}\n{post.key}: {post.title_en or post.title_zh}",
                    ]
                ),
                status=MailStatus.QUEUED,
            )
        )
        session.flush()
    return notice


def announce_suggestions(
    session: Session, post: MatchPost, *, limit: int = DEFAULT_LIMIT
) -> list[tuple[str, str]]:
    """Tell both sides of each pair among the post's best `limit` suggestions that was
    never announced; returns the new pairs as (need key, offer key)."""
    found = [item.key for item in suggest(session, post.key, limit=limit)]
    if not found:
        return []
    others = {p.key: p for p in session.scalars(select(MatchPost).where(MatchPost.key.in_(found)))}
    pairs = [
        (post, others[key]) if post.side == Side.NEED else (others[key], post) for key in found
    ]
    wanted = [(need.id, offer.id) for need, offer in pairs]
    told = {
        (need_id, offer_id)
        for need_id, offer_id in session.execute(
            select(SuggestedPair.need_id, SuggestedPair.offer_id).where(
                tuple_(SuggestedPair.need_id, SuggestedPair.offer_id).in_(wanted)
            )
        )
    }
    told |= {
        (need_id, offer_id)
        for need_id, offer_id in session.execute(
            select(Connection.need_id, Connection.offer_id).where(
                tuple_(Connection.need_id, Connection.offer_id).in_(wanted)
            )
        )
    }
    new = []
    for need, offer in pairs:
        if (need.id, offer.id) in told:
            continue
        session.add(SuggestedPair(need_id=need.id, offer_id=offer.id, suggested_on=date.today()))
        for side in (need, offer):
            notify(session, side, need, offer)
        new.append((need.key, offer.key))
    session.flush()
    return new


def notices_for(session: Session, *, unread_only: bool = False) -> list[Notice]:
    """The current actor's notices (those of the posts their account owns), newest
    first. Any account has some or none; anonymous is asked to log in."""
    actor = authorize(Action.READ_OWN_ACCOUNT)
    query = select(Notice).where(Notice.account_id == actor.user_id)
    if unread_only:
        query = query.where(Notice.read_on.is_(None))
    return list(session.scalars(query.order_by(Notice.created_on.desc(), Notice.id.desc())))


def mark_read(session: Session, notice_id: int, *, on: date | None = None) -> Notice:
    """Mark one of the current actor's notices read (again: it keeps the first day)."""
    actor = authorize(Action.READ_OWN_ACCOUNT)
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFoundError(f"no notice has the id {notice_id}")
    if actor.user_id is None or notice.account_id != actor.user_id:
        raise PermissionDenied(
            f"refused: notice {notice_id} is not for {actor.label}'s account",
            action=Action.READ_OWN_ACCOUNT.value,
            authenticated=True,
        )
    if notice.read_on is None:
        notice.read_on = on or date.today()
        session.flush()
    return notice


def notice_out(session: Session, notice: Notice) -> NoticeOut:
    keys = dict(
        session.execute(
            select(MatchPost.id, MatchPost.key).where(
                or_(
                    MatchPost.id == notice.post_id,
                    MatchPost.id == notice.need_id,
                    MatchPost.id == notice.offer_id,
                )
            )
        ).all()
    )
    interested = (
        session.scalar(
            select(Connection.interested_side).where(Connection.id == notice.connection_id)
        )
        if notice.connection_id is not None
        else None
    )
    need = keys.get(notice.need_id) if notice.need_id else None
    offer = keys.get(notice.offer_id) if notice.offer_id else None
    return NoticeOut(
        id=notice.id,
        kind=notice.kind,
        post=keys[notice.post_id],
        need=need,
        offer=offer,
        connection_id=notice.connection_id,
        state=notice.state,
        interested_side=interested,
        text=notice.text,
        texts={
            language: wording(
                language,
                notice.kind,
                need or "",
                offer or "",
                state=notice.state,
                interested=interested,
            )
            for language in WORDS
        },
        created_on=notice.created_on,
        read_on=notice.read_on,
    )


def announce_for_owned_posts(session: Session) -> int:
    """After an import: announce the new suggestions of every current post an account
    owns (match.notices' docstring says why only those); returns the pairs told of."""
    today = date.today()
    owned = session.scalars(
        select(MatchPost)
        .where(
            MatchPost.owner_account_id.is_not(None),
            or_(MatchPost.valid_until.is_(None), MatchPost.valid_until >= today),
        )
        .order_by(MatchPost.id)
    ).all()
    return sum(len(announce_suggestions(session, post)) for post in owned)
