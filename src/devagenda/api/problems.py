"""Errors as RFC 9457 problem documents (application/problem+json) for API clients, and
as the site's own pages for browsers.

Which one a request gets depends on where it went: under /api always a problem; elsewhere
a page, unless the client asked for JSON and not HTML. A bug (500) is answered the same
way by `ServerErrorResponses`, inside the security headers middleware so that it gets them
too (Starlette's own last-resort handler sits outside every middleware).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from devagenda.core.errors import (
    EditConflict,
    InputError,
    InvalidEdit,
    NotFoundError,
    PermissionDenied,
    StaleVersion,
    TooManyAttempts,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api"
# Seconds a client should wait when every database connection is busy: long enough for
# the requests ahead of it to finish, short enough for a person to retry.
RETRY_AFTER_SECONDS = 2
BEARER_CHALLENGE = 'Bearer realm="devagenda"'
log = logging.getLogger(__name__)


class InvalidParam(BaseModel):
    name: str  # the query or path parameter, dotted for nested fields
    reason: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    invalid_params: list[InvalidParam] = []
    # An edit that crossed another (409, 412): the record's version and state now.
    version: int | None = None
    current: dict[str, Any] | None = None


def problem_response(
    status: int,
    detail: str | None = None,
    invalid: list[InvalidParam] | None = None,
    conflict: EditConflict | None = None,
) -> JSONResponse:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        invalid_params=invalid or [],
    )
    body = problem.model_dump(mode="json", exclude={"version", "current"})
    if conflict is not None:
        body.update(version=conflict.version, current=conflict.current)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


# What renders an error as a page: (request, status, error) -> response. The error is the
# exception itself (None for a bug), so that the page can word it in its own language.
ErrorPage = Callable[[Request, int, Exception | None], Response]


def wants_html(request: Request) -> bool:
    """A browser's request for a page: outside /api, unless it accepts JSON but not HTML."""
    if request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "json" not in accept


def invalid_params(error: Exception) -> list[InvalidParam]:
    """The parameters an input error names, as problem documents list them."""
    if isinstance(error, RequestValidationError):
        return [_invalid_param(item) for item in error.errors()]
    if isinstance(error, InvalidEdit):
        return [InvalidParam(name=name, reason=reason) for name, reason in error.problems.items()]
    if isinstance(error, InputError) and error.field:
        return [InvalidParam(name=error.field, reason=error.message)]
    return []


def _invalid_param(item: Any) -> InvalidParam:
    # loc is ("query", "year") or ("path", "number"); the place is implied by the name.
    location = [str(part) for part in item.get("loc", ())[1:]]
    return InvalidParam(name=".".join(location) or "request", reason=str(item.get("msg", "")))


def _status_and_detail(error: Exception) -> tuple[int, str | None, dict[str, str]]:
    """The status an error answers with, its detail and extra headers."""
    if isinstance(error, NotFoundError):
        return 404, str(error), {}
    if isinstance(error, PermissionDenied):
        if error.authenticated:
            return 403, str(error), {}
        # Anonymous: an account could be allowed, so the client is told how to send one.
        return 401, str(error), {"WWW-Authenticate": BEARER_CHALLENGE}
    if isinstance(error, TooManyAttempts):
        return 429, str(error), {"Retry-After": str(error.retry_after)}
    if isinstance(error, InputError):
        return 422, str(error), {}
    if isinstance(error, StaleVersion):
        headers = {"ETag": f'"{error.version}"'} if error.version is not None else {}
        return 412, str(error), headers
    if isinstance(error, EditConflict):
        return 409, str(error), {}
    if isinstance(error, RequestValidationError):
        detail = "; ".join(f"{p.name}: {p.reason}" for p in invalid_params(error))
        return 422, detail, {}
    if isinstance(error, PoolTimeout):
        detail = "every database connection is busy: retry shortly"
        return 503, detail, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    assert isinstance(error, HTTPException)
    return error.status_code, str(error.detail), dict(error.headers or {})


def _handler(error_page: ErrorPage | None) -> Callable[[Request, Exception], Any]:
    async def handle(request: Request, error: Exception) -> Response:
        status, detail, headers = _status_and_detail(error)
        if error_page is not None and wants_html(request):
            response = error_page(request, status, error)
        else:
            conflict = error if isinstance(error, EditConflict) else None
            response = problem_response(status, detail, invalid_params(error), conflict)
        response.headers.update(headers)
        return response

    return handle


def install_problem_handlers(app: FastAPI, error_page: ErrorPage | None = None) -> None:
    """Answer the errors a client can cause; `error_page` renders them for browsers."""
    handle = _handler(error_page)
    for kind in (
        NotFoundError,
        InputError,
        EditConflict,
        PermissionDenied,
        TooManyAttempts,
        RequestValidationError,
        HTTPException,
        PoolTimeout,
    ):
        app.add_exception_handler(kind, handle)


class ServerErrorResponses:
    """Turns a bug into a 500 without details that could leak internals: a problem for the
    API, the site's error page for a browser. The traceback goes to the log. If the
    response had already started (a stream broke off), nothing more can be said."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage | None = None) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            request = Request(scope)
            if self.error_page is not None and wants_html(request):
                response = self.error_page(request, 500, None)
            else:
                response = problem_response(500)
            await response(scope, receive, send)


class HeadAsGet:
    """HEAD is GET without the body (RFC 9110): every page and list answers it with the
    same status and headers, rather than 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for routes that may answer with these problem statuses."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


class AdmissionLimit:
    """At most `slots` requests inside the app at once, the others waiting their turn for
    `wait` seconds at most, then answered 503 with Retry-After.

    With as many slots as the pool has connections, no admitted request ever waits for a
    connection, however slow the clients that read its response: the wait happens here,
    once, bounded, and in the open, instead of in every worker thread at the pool.
    """

    def __init__(
        self, app: ASGIApp, slots: int, wait: float, error_page: ErrorPage | None = None
    ) -> None:
        self.app = app
        self.slots = slots
        self.wait = wait
        self.error_page = error_page
        self._semaphore: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = anyio.Semaphore(self.slots)
        try:
            with anyio.fail_after(self.wait):
                await self._semaphore.acquire()
        except TimeoutError:
            await self._busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._semaphore.release()

    async def _busy(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if self.error_page is not None and wants_html(request):
            response = self.error_page(request, 503, None)
        else:
            response = problem_response(503, "the server is busy: retry shortly")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        await response(scope, receive, send)


class BodySizeLimit:
    """Refuses a request body over `limit` bytes with 413, before the app reads it when
    the client declares its length, and as soon as a chunked body grows past it
    otherwise: no handler ever holds more than `limit` bytes of one request."""

    def __init__(self, app: ASGIApp, limit: int, error_page: ErrorPage | None = None) -> None:
        self.app = app
        self.limit = limit
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Request(scope).headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            # Past the limit the client is answered here and now, and the app is told the
            # client went away; whatever it makes of that is dropped.
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit and not started:
                    refused = True
                    await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if self.error_page is not None and wants_html(request):
            response = self.error_page(request, 413, None)
        else:
            response = problem_response(
                413, f"the request body is over {self.limit:,} bytes: send less at a time"
            )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
