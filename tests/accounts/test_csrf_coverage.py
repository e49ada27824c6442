"""No form or unsafe page route can miss the CSRF check: every route of the pages that
takes POST, PUT, PATCH or DELETE depends on `verify_csrf`, and every POST form of the
templates holds `csrf_field()`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from devagenda.api import create_app
from devagenda.api.problems import API_PREFIX
from devagenda.core.context import AppContext
from devagenda.web.csrf import SAFE_METHODS, verify_csrf

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "devagenda" / "web" / "templates"
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)


def _depends_on(dependant: Dependant, function: object) -> bool:
    return any(dep.call is function or _depends_on(dep, function) for dep in dependant.dependencies)


def _routes(routes: list[Any], prefix: str = "", inherited: tuple[Any, ...] = ()):  # type: ignore[no-untyped-def]
    """(path, route, dependencies of the routers that include it), through included
    routers however FastAPI nests them."""
    for item in routes:
        included = getattr(item, "original_router", None)
        if included is not None:
            context = item.include_context
            yield from _routes(
                included.routes,
                prefix + context.prefix,
                (*inherited, *(dep.dependency for dep in context.dependencies)),
            )
        elif isinstance(item, APIRoute):
            yield prefix + item.path, item, inherited


def test_every_unsafe_page_route_checks_csrf(tmp_path: Path) -> None:
    app = create_app(AppContext.for_url(f"sqlite:///{tmp_path / 'unused.sqlite3'}"))
    unsafe = [
        (path, route, inherited)
        for path, route, inherited in _routes(app.routes)
        if not path.startswith(API_PREFIX) and route.methods - SAFE_METHODS
    ]
    assert {path for path, _, _ in unsafe} >= {"/login", "/logout"}
    unchecked = [
        path
        for path, route, inherited in unsafe
        if verify_csrf not in inherited and not _depends_on(route.dependant, verify_csrf)
    ]
    assert unchecked == []


def test_every_post_form_of_the_templates_holds_the_csrf_field() -> None:
    forms = [
        (template.name, match)
        for template in sorted(TEMPLATES.glob("*.html"))
        for match in FORM.finditer(template.read_text(encoding="utf-8"))
    ]
    posted = [(name, form) for name, form in forms if POST.search(form["attributes"])]
    assert {name for name, _ in posted} >= {"base.html", "login.html"}
    missing = [name for name, form in posted if "{{ csrf_field() }}" not in form["body"]]
    assert missing == []
    # A form without a method is a GET form; a form whose method is computed cannot be
    # checked here, so none may have one.
    assert all("method" in form["attributes"] for _, form in forms)
    assert not any("{{" in form["attributes"].split("method", 1)[1][:12] for _, form in forms)
