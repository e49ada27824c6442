"""What keeps injected text from running, checked where it is declared: the security
headers of every kind of response, templates with no inline script or event handler
attribute (the CSP refuses them, so one would be broken and a reason to loosen it), no
filter that switches escaping off, and messages that keep a markup value's tags while
escaping the rest."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

import devagenda.web
from devagenda.search.services import snippet
from devagenda.web.i18n import Messages

TEMPLATES = Path(devagenda.web.__file__).parent / "templates"
STATIC = Path(devagenda.web.__file__).parent / "static"
SAFE_AS_IS = {"search.html": ["hit.snippet|safe"]}
URLS = [
    "/",
    "/projects",
    "/projects/1",
    "/projects/1/history",
    "/projects.csv",
    "/search?q=women",
    "/login",
    "/projects/99999",  # an error page
    "/static/site.css",
    "/api/projects",
    "/api/projects/99999",  # a problem
    "/api/docs",
    "/api/openapi.json",
]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404)
    policy = _directives(response.headers["content-security-policy"])
    scripts = policy.get("script-src", policy["default-src"])
    assert scripts == ["'self'"], "scripts only from this server: no inline, no eval"
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin")


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_inline_script_and_no_event_handlers(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    for script in re.finditer(r"<script\b([^>]*)>(.*?)</script>", source, re.S | re.I):
        assert "src=" in script.group(1) and not script.group(2).strip(), script.group()
    handler = re.search(r"<[^>]*\son[a-z]+\s*=", source, re.I)
    assert handler is None, handler.group() if handler else ""
    assert "javascript:" not in source.lower()
    # Escaping stays on: markup comes only from helpers that escape what they wrap, and
    # from the search snippets, which search.services.snippet builds escaped.
    unescaped = re.findall(r"[\w.]+\s*\|\s*safe\b|autoescape\s+false|Markup\(", source)
    assert unescaped == SAFE_AS_IS.get(template.name, []), unescaped


def test_the_script_never_turns_text_into_markup() -> None:
    for script in STATIC.glob("*.js"):
        source = script.read_text(encoding="utf-8")
        found = re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", source)
        assert found is None, f"{script.name}: {found.group() if found else ''}"


def test_snippets_are_escaped_around_their_marks() -> None:
    text = '<img src=x onerror="alert(1)"> gastronomic & <b>tourism</b>'
    found = snippet(text, {"tourism"})
    assert "&lt;b&gt;<mark>tourism</mark>&lt;/b&gt;" in found
    unmarked = found.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in unmarked and '"' not in unmarked
    assert html.unescape(unmarked).strip("…") in text


def test_a_message_keeps_a_markup_value_and_escapes_the_rest() -> None:
    title = Markup('<span lang="zh">{}</span>').format("<script>x</script> & co")
    heading = Messages("en")("history_title", title=title)
    assert heading == Markup(
        '<span lang="zh">&lt;script&gt;x&lt;/script&gt; &amp; co</span>: history'
    )
    # Plain values stay plain text: the template escapes them on output.
    plain = Messages("en")("history_title", title="<b>")
    assert plain == "<b>: history" and not isinstance(plain, Markup)
