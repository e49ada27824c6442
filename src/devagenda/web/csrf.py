"""The CSRF check every unsafe page request passes, and the field every form holds.

The browser holds a random value in an HttpOnly, SameSite=Strict cookie (named
with the __Host- prefix over HTTPS, so no subdomain can plant one); every form carries
an HMAC of it (`csrf_field()` in templates), which another site can neither read nor
compute. `verify_csrf` is a dependency of every page router; a test checks that each
unsafe route has it and that each POST form in the templates has the field. The value
is renewed at login and logout (web/auth.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from devagenda.api.authentication import is_local_http
from devagenda.core.errors import DevagendaError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"  # for scripts that post without a form
SECURE_CSRF_COOKIE = "__Host-devagenda_csrf"
LOCAL_CSRF_COOKIE = "devagenda_csrf"
MAX_FIELD = 1024


class CsrfRefused(DevagendaError):
    """An unsafe request without the form token of this browser: answered 403."""

    kind = "csrf_refused"


def _csrf_cookie_name(request: Request) -> str:
    return SECURE_CSRF_COOKIE if request.url.scheme == "https" else LOCAL_CSRF_COOKIE


def form_token_of(cookie: str) -> str:
    return hmac.new(cookie.encode(), b"devagenda form", hashlib.sha256).hexdigest()


class Csrf:
    """This request's CSRF cookie (made if the browser has none) and its form token."""

    def __init__(self, request: Request) -> None:
        self.cookie_name = _csrf_cookie_name(request)
        existing = request.cookies.get(self.cookie_name, "")
        self.is_new = not (16 <= len(existing) <= 128)
        self.cookie = secrets.token_urlsafe(32) if self.is_new else existing
        self.secure = not is_local_http(request)
        self.token = form_token_of(self.cookie)

    def field(self) -> Markup:
        """The hidden input every POST form holds (templates call `csrf_field()`)."""
        return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, self.token)

    def set_cookie(self, response: Response, *, renew: bool = False) -> None:
        if renew:
            self.cookie = secrets.token_urlsafe(32)
            self.token = form_token_of(self.cookie)
        elif not self.is_new:
            return
        response.set_cookie(
            self.cookie_name,
            self.cookie,
            httponly=True,
            secure=self.secure,
            samesite="strict",
            path="/",
        )


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form field (or X-CSRF-Token header) is not the
    token of this browser's CSRF cookie, or that comes from another origin."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and _origin_of(origin) != _origin_of(str(request.base_url)):
        raise CsrfRefused(f"refused: a form of another site ({origin[:100]}) posted here")
    cookie = request.cookies.get(_csrf_cookie_name(request), "")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or len(sent) > MAX_FIELD:
        raise CsrfRefused("refused: the form has expired; reload the page and submit it again")
    if not hmac.compare_digest(form_token_of(cookie), sent):
        raise CsrfRefused("refused: the form has expired; reload the page and submit it again")


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


CsrfChecked = Depends(verify_csrf)
