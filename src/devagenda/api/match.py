"""Routes of the matchmaking database (WIPO Match, WIPO GREEN): the counted lists of
needs and of offers, one post, its suggestions with their reasons, the writes of posts,
interest and connections, the counts the report quotes, the current account's notices,
and the administrator's mail settings and queue.

Every route calls match.services, match.connections or match.notices, which decide who
may do what: any account posts needs and offers and speaks for its own posts; editors
and administrators for every post. A post's contact details are in its answers only
for the two sides and editors (`contact_shown`). Writes run in their own transaction;
changing or deleting a post takes the `If-Match` of its last read (412 when stale, 428
without one).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query, Request, Security, status
from fastapi.responses import Response

from devagenda.api.accounts import BEARER
from devagenda.api.dependencies import DatabaseSession, app_context
from devagenda.api.listing import ListQuery, SortQuery, faceted_response, list_responses
from devagenda.api.params import RecordId
from devagenda.api.problems import problem_responses
from devagenda.api.templates import TEMPLATE_ROUTE, TemplateKind, template_response
from devagenda.api.versions import ExpectedVersion, send_version
from devagenda.core.listing import FacetedPage
from devagenda.match import connections, held, notices, services
from devagenda.match.models import Side
from devagenda.match.schemas import (
    ConnectionOut,
    CountsOut,
    InterestIn,
    MailSettingsIn,
    MailSettingsOut,
    MoveIn,
    NoticeOut,
    OutgoingMailOut,
    PostCreate,
    PostEdit,
    PostFilter,
    PostOut,
    PostSummary,
    SuggestionOut,
)
from devagenda.match.suggestions import suggest


@asynccontextmanager
async def _warm(app: FastAPI) -> AsyncIterator[None]:
    """Load the posts that suggestions rank (seconds at 100,000 posts) in the background
    when the process starts: the app answers meanwhile, and a suggestion asked before the
    load ends waits for it."""
    engine = app.state.context.engine
    threading.Thread(
        target=held.PROCESS.warm, args=(engine,), name="match-warm", daemon=True
    ).start()
    yield


router = APIRouter(tags=["match"], lifespan=_warm)
PostKey = Annotated[str, Path(pattern=r"^[\w.:/\-]{1,64}$", description="The post's key.")]
ACCOUNT = {"dependencies": [Security(BEARER)]}
# 400: a body that is not JSON at all; 422: JSON that is not a valid write.
CREATE = {"status_code": 201, "responses": problem_responses(400, 401, 403, 404, 422), **ACCOUNT}
WRITE = {"responses": problem_responses(400, 401, 403, 404, 409, 412, 422, 428), **ACCOUNT}
READ_OWN = {"responses": problem_responses(401, 403, 422), **ACCOUNT}


def _listed(
    side: Side, filters: PostFilter, params: ListQuery, session: DatabaseSession, sort: str | None
) -> FacetedPage[PostSummary] | Response:
    return faceted_response(
        lambda f: services.post_source(session, side, f),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        PostSummary,
        f"match-{side.value}s",
    )


@router.get("/match/template.{kind}", **TEMPLATE_ROUTE)
def get_match_template(kind: TemplateKind) -> Response:
    """An empty file for `devagenda match import`: every column of a need or an offer."""
    return template_response(services.posts_template(kind), kind, "match")


@router.get(
    "/match/needs",
    response_model=FacetedPage[PostSummary] | list[PostSummary],
    responses=list_responses(),
)
def list_needs(
    filters: Annotated[PostFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[PostSummary] | Response:
    """Needs matching every given filter, with their total and the counts of the facets
    `support`, `green_category`, `owner_type`, `country`, `ip_field` and `language`
    (`none`: not stated). Sorts: `key`, `valid_until`."""
    return _listed(Side.NEED, filters, params, session, sort)


@router.get(
    "/match/offers",
    response_model=FacetedPage[PostSummary] | list[PostSummary],
    responses=list_responses(),
)
def list_offers(
    filters: Annotated[PostFilter, Query()],
    params: ListQuery,
    session: DatabaseSession,
    sort: SortQuery = None,
) -> FacetedPage[PostSummary] | Response:
    """Offers matching every given filter, with the same facets and sorts as needs."""
    return _listed(Side.OFFER, filters, params, session, sort)


@router.get("/match/posts/{key}", responses=problem_responses(404, 422))
def get_post(key: PostKey, session: DatabaseSession, response: Response) -> PostOut:
    """A need or an offer; its contact details only for the two sides and editors. The
    `ETag` is what changing or deleting it sends back in `If-Match`."""
    found = services.get_post(session, key)
    send_version(response, found.version)
    return found


@router.get("/match/posts/{key}/suggestions", responses=problem_responses(404, 422))
def get_suggestions(
    key: PostKey,
    session: DatabaseSession,
    limit: Annotated[int, Query(ge=1, le=100, description="How many, best first.")] = 10,
) -> list[SuggestionOut]:
    """The best posts of the other side, best first, each with its reasons: shared IP
    fields, matching terms across Chinese and English, and the constraints it met."""
    return [SuggestionOut(**asdict(found)) for found in suggest(session, key, limit=limit)]


@router.post("/match/posts", **CREATE)
def create_post(request: Request, data: PostCreate, response: Response) -> PostOut:
    """A new need or offer, owned by the account that sends it (any account); the key is
    NEED-n or OFFER-n when left out. Both sides of each new suggestion are told."""
    with app_context(request).transaction() as session:
        key = services.create_post(session, data).key
        found = services.get_post(session, key)
    response.headers["Location"] = f"/api/match/posts/{key}"
    send_version(response, found.version)
    return found


@router.patch("/match/posts/{key}", **WRITE)
def edit_post(
    request: Request, key: PostKey, data: PostEdit, version: ExpectedVersion, response: Response
) -> PostOut:
    """Change what the body sets: a field left out stays, null clears it, a list
    replaces the stored one. By the post's owner account, an editor or an administrator."""
    with app_context(request).transaction() as session:
        services.update_post(session, key, data, version)
        found = services.get_post(session, key)
    send_version(response, found.version)
    return found


@router.delete("/match/posts/{key}", **{**WRITE, "status_code": status.HTTP_204_NO_CONTENT})
def delete_post(request: Request, key: PostKey, version: ExpectedVersion) -> Response:
    """Delete a post that has no connection (409 otherwise: end it with `valid_until`)."""
    with app_context(request).transaction() as session:
        services.delete_post(session, key, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/match/posts/{key}/interest", **CREATE)
def express_interest(
    request: Request, key: PostKey, data: InterestIn, response: Response
) -> ConnectionOut:
    """The side of post `key` is interested in post `other` of the other side: a new
    connection, contacted today; both sides are told. By `key`'s owner account, an
    editor or an administrator."""
    with app_context(request).transaction() as session:
        found = connections.connection_out(connections.express_interest(session, key, data.other))
    response.headers["Location"] = f"/api/match/connections/{found.id}"
    return found


@router.get("/match/connections", **READ_OWN)
def list_connections(session: DatabaseSession) -> list[ConnectionOut]:
    """The connections of the posts the account owns (every one for editors and
    administrators), newest first."""
    return [connections.connection_out(c) for c in connections.connections_for(session)]


@router.post(
    "/match/connections/{connection_id}/moves",
    responses=problem_responses(400, 401, 403, 404, 422),
    **ACCOUNT,
)
def move_connection(request: Request, connection_id: RecordId, data: MoveIn) -> ConnectionOut:
    """Move a connection on (contacted → discussion → agreement → closed, or dropped);
    by the owner account of either side, an editor or an administrator."""
    with app_context(request).transaction() as session:
        moved = connections.move(session, connection_id, data.state, on=data.on)
        return connections.connection_out(moved)


@router.get("/match/counts")
def get_counts(session: DatabaseSession) -> CountsOut:
    """Matchmakings and connections, in total and per year, region and dataset, and the
    needs and offers the dataset holds: the figures the annual report quotes."""
    return CountsOut.model_validate(asdict(connections.connection_counts(session)))


@router.get("/match/notices", **READ_OWN)
def list_notices(
    session: DatabaseSession,
    unread: Annotated[bool, Query(description="Only the notices not read yet.")] = False,
) -> list[NoticeOut]:
    """The account's notices, newest first: new suggestions for its posts and changes of
    their connections."""
    return [
        notices.notice_out(session, n) for n in notices.notices_for(session, unread_only=unread)
    ]


@router.post(
    "/match/notices/{notice_id}/read",
    responses=problem_responses(401, 403, 404, 422),
    **ACCOUNT,
)
def mark_notice_read(request: Request, notice_id: RecordId) -> NoticeOut:
    """Mark one of the account's notices read."""
    with app_context(request).transaction() as session:
        return notices.notice_out(session, notices.mark_read(session, notice_id))


@router.get("/match/mail-settings", **READ_OWN)
def get_mail_settings(session: DatabaseSession) -> MailSettingsOut:
    """Whether notices are also queued as mail, and from which address (administrators)."""
    return connections.mail_settings(session)


@router.put("/match/mail-settings", responses=problem_responses(400, 401, 403, 422), **ACCOUNT)
def put_mail_settings(request: Request, data: MailSettingsIn) -> MailSettingsOut:
    """Enable or disable queuing notices as mail, and set the sender (administrators)."""
    with app_context(request).transaction() as session:
        connections.configure_mail(session, enabled=data.enabled, sender=data.sender)
        return connections.mail_settings(session)


@router.get("/match/mail-queue", **READ_OWN)
def get_mail_queue(session: DatabaseSession) -> list[OutgoingMailOut]:
    """The messages queued for the mail sender, newest first (administrators)."""
    return [
        OutgoingMailOut.model_validate(m, from_attributes=True)
        for m in connections.mail_queue(session)
    ]
