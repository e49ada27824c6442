"""Who a request acts as: set once, here, for the services to read (core.actor).

The API takes `Authorization: Bearer TOKEN`; a token that is malformed, unknown,
expired, revoked or whose owner is disabled is answered 401 with `WWW-Authenticate:
Bearer` whatever the route, so that a client learns its credential is bad rather than
silently reading as the public. The web pages take the session cookie of a login
(web/auth.py); an ended session reads as the public. Nothing is kept in the process:
every credential is looked up in the database, so several server processes agree.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from devagenda.accounts.logins import actor_for_session
from devagenda.accounts.services import TokenIdentity, authenticate_token
from devagenda.api.problems import API_PREFIX, BEARER_CHALLENGE, problem_response
from devagenda.core.actor import ANONYMOUS, Actor, acting_as
from devagenda.core.context import AppContext

# The session cookie: over HTTPS with the __Host- prefix (Secure, no Domain, path /, so
# no other site or subdomain can set it); over plain HTTP only on the machine itself.
SECURE_SESSION_COOKIE = "__Host-devagenda_session"
LOCAL_SESSION_COOKIE = "devagenda_session"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
STATIC_PREFIX = "/static/"
MAX_CREDENTIAL = 512  # longer than any token or session id devagenda issues


def is_local_http(request: Request) -> bool:
    """Plain HTTP to this machine itself: the one case where cookies may lack Secure."""
    return request.url.scheme == "http" and (request.url.hostname or "") in LOCAL_HOSTS


def session_cookie_name(request: Request) -> str | None:
    """The session cookie's name for this request; None where no session may be used
    (plain HTTP to another machine: a cookie would cross the network in clear)."""
    if request.url.scheme == "https":
        return SECURE_SESSION_COOKIE
    return LOCAL_SESSION_COOKIE if is_local_http(request) else None


class Authentication:
    """Sets the actor (and a request id) around the rest of the app."""

    def __init__(self, app: ASGIApp, context: AppContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        state = scope.setdefault("state", {})
        path = scope["path"]
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            authorization = Headers(scope=scope).get("authorization")
            if authorization is None:
                actor = ANONYMOUS
            else:
                identity = await self._bearer(authorization, request_id)
                if identity is None:
                    await _unauthorized(scope, receive, send)
                    return
                actor = identity.actor
                state["token_id"] = identity.token_id
        elif path.startswith(STATIC_PREFIX):
            actor = ANONYMOUS  # files are the same for everyone: no lookup per asset
        else:
            actor = await self._session(Request(scope), request_id)
        with acting_as(replace(actor, request_id=request_id)):
            await self.app(scope, receive, send)

    async def _bearer(self, authorization: str, request_id: str) -> TokenIdentity | None:
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > MAX_CREDENTIAL:
            return None

        def look_up() -> TokenIdentity | None:
            with self.context.transaction() as session:
                return authenticate_token(session, token, request_id=request_id)

        return await anyio.to_thread.run_sync(look_up)

    async def _session(self, request: Request, request_id: str) -> Actor:
        name = session_cookie_name(request)
        session_id = request.cookies.get(name) if name else None
        if not session_id or len(session_id) > MAX_CREDENTIAL:
            return ANONYMOUS

        def look_up() -> Actor | None:
            with self.context.transaction() as session:
                return actor_for_session(session, session_id, request_id=request_id)

        return await anyio.to_thread.run_sync(look_up) or ANONYMOUS


async def _unauthorized(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        401,
        "the API token is not valid (unknown, expired, revoked, or its account is "
        "disabled): ask an administrator for a new one (`devagenda tokens create`)",
    )
    response.headers["WWW-Authenticate"] = BEARER_CHALLENGE + ', error="invalid_token"'
    await response(scope, receive, send)
