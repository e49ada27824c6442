"""Logging in and out of the web UI.

The session cookie is `Secure` except over plain HTTP to 127.0.0.1 or localhost (a
developer's own machine); over plain HTTP to any other address login is refused, since
the cookie would cross the network in clear. Behind a proxy that terminates TLS, run
uvicorn with --proxy-headers (its default trusts a proxy on the same machine) so that
requests are seen as https. A failed login is one message, whatever failed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from devagenda.accounts.logins import SESSION_LIFETIME, attempt_login, end_session
from devagenda.api.authentication import LOCAL_SESSION_COOKIE, session_cookie_name
from devagenda.api.params import StrictQuery
from devagenda.core.errors import TooManyAttempts
from devagenda.web.csrf import CsrfChecked
from devagenda.web.rendering import Page
from devagenda.web.routes import PageOf, PageRoute, web_state

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[StrictQuery, CsrfChecked]
)

Email = Annotated[str, Form(max_length=254)]
Password = Annotated[str, Form(max_length=4096)]
Next = Annotated[str | None, Form(max_length=500)]


def safe_next(target: str | None) -> str:
    """Where to go after login: a path of this site only (never another site's URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]


@router.get("/login")
def login_form(
    request: Request, page: PageOf, next: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    failure = None if session_cookie_name(request) else "login_needs_https"
    return _login_page(page, safe_next(next), failure)


@router.post("/login")
def login(
    request: Request, page: PageOf, email: Email, password: Password, next: Next = None
) -> Response:
    cookie_name = session_cookie_name(request)
    target = safe_next(next)
    if cookie_name is None:
        return _login_page(page, target, "login_needs_https", email, status_code=403)
    address = request.client.host if request.client else "unknown"
    try:
        with web_state(request).context.transaction() as session:
            outcome = attempt_login(session, email, password, address)
    except TooManyAttempts as error:
        response = _login_page(
            page, target, "login_throttled", email, status_code=429, retry_after=error.retry_after
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if outcome.session_id is None:
        return _login_page(page, target, "login_failed", email, status_code=400)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        cookie_name,
        outcome.session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=cookie_name != LOCAL_SESSION_COOKIE,
        samesite="lax",
        path="/",
    )
    page.csrf.set_cookie(response, renew=True)
    return response


@router.post("/logout")
def logout(request: Request, page: PageOf) -> Response:
    """Ends the session in the database (a copied cookie is worthless after) and in the
    browser."""
    cookie_name = session_cookie_name(request)
    session_id = request.cookies.get(cookie_name) if cookie_name else None
    if session_id:
        with web_state(request).context.transaction() as session:
            end_session(session, session_id)
    response = RedirectResponse("/", status_code=303)
    if cookie_name:
        response.delete_cookie(
            cookie_name, path="/", secure=cookie_name != LOCAL_SESSION_COOKIE, httponly=True
        )
    page.csrf.set_cookie(response, renew=True)
    return response


def _login_page(
    page: Page,
    next: str,
    failure: str | None = None,
    email: str = "",
    *,
    status_code: int = 200,
    retry_after: int | None = None,
) -> Response:
    response = page.render(
        "login.html",
        status_code=status_code,
        next=next,
        failure=failure,
        email=email,
        retry_after=retry_after,
    )
    # A login page is never stored: it carries this browser's form token.
    response.headers["Cache-Control"] = "no-store"
    return response
