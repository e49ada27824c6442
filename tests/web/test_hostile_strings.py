"""Hostile text typed in by an editor stays text everywhere it is shown or exported.

An editor stores, through the API, strings that break out of HTML elements and
attributes, template syntax, SQL, spreadsheet formulas, very long, right-to-left and
invisible text, combining marks, emoji and CJK, as project titles (zh and en), output
titles and links, document titles, recommendation texts and change messages, over a
database of its own. Debian's headless Chromium then opens every page that shows them;
no injected script may run (the payloads set `window.__pwned` or call `alert`), no
injected element may exist, the page may report no CSP violation, and each string must be
in the page's text exactly. The CSV and XLSX exports of the projects and of the change log
must hold them as inert text. Text the API refuses by design (control characters, lone
surrogates) gets a 422 naming the field.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.conftest import DatabaseFactory
from tests.web.support import served, web_app

from devagenda.accounts.services import create_token, create_user
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.cells import FORMULA_STARTS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} not found", pytrace=False)
    pytest.skip(f"{CHROMIUM} not found", allow_module_level=True)
from playwright.sync_api import Page, sync_playwright  # noqa: E402

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
LONG_LINE = ("<b>长</b>" * 150)[:1000]  # a one-line field's limit (Line: 1000)
HOSTILE = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    '" onmouseover="window.__pwned = \'attribute\'" data-x="',
    "'><svg onload=window.__pwned='svg'>",
    "</textarea><script>alert('textarea')</script>",
    "</title><script>alert('title')</script>",
    "<!-- </main> --><iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\">",
    "{{7*7}} ${7*7} {% raw %} #{7*7} <%= 7*7 %>",
    "'; DROP TABLE project; --",
    "\" OR 1=1 -- \\' %_",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "\tTAB then =1+1",
    LONG_LINE,
    "abc\u202edocument.exe\u202c and \u200b\u200c\u200d\u2060\ufeff hidden",
    "Z\u0351\u0352\u0353\u0354a\u0300\u0301\u0302l\u0303g\u0304o",
    "👩🏽‍💻 🇰🇪 🏳️‍🌈 emoji",
    "发展议程 美食旅游 知识产权",
    "مرحبا بالعالم עברית",
    "&lt;script&gt; &amp; &#60;b&#62; entities stay entities",
]
# A word of some strings, and what the search page must show for it.
SEARCHES = {
    "HYPERLINK": '=HYPERLINK("http://x","y")',
    "onerror": "<img src=x onerror=\"window.__pwned = 'img'\">",
    "美食旅游": "发展议程 美食旅游 知识产权",
    "DROP": "'; DROP TABLE project; --",
}
HOSTILE_URL = "https://example.org/?q=\"><svg/onload=window.__pwned='url'>&x='"
# Text the API refuses, sent as raw JSON so that no client library repairs it.
REFUSED = {
    "lone high surrogate": '"bad \\ud800 text"',
    "lone low surrogate": '"bad \\udc00 text"',
    "bell": '"bad \\u0007 text"',
    "escape": '"bad \\u001b[31m text"',
    "NUL": '"bad \\u0000 text"',
    "C1 control": '"bad \\u009b31m text"',
}
INJECTED = "img[src='x'], svg[onload], iframe, script:not([src]), [onmouseover], [onerror]"


def stored(text: str) -> str:
    """`text` as the API keeps it: trimmed and in NFC (core.inputs)."""
    return unicodedata.normalize("NFC", text.strip())


@dataclass
class Site:
    """The app with the hostile strings stored, and where each one is shown."""

    api: TestClient
    headers: dict[str, str]
    base_url: str = ""
    project_ids: list[int] = field(default_factory=list)
    document_symbols: list[str] = field(default_factory=list)


def _write(site: Site, method: str, url: str, body: Any, etag: str | None = None) -> Any:
    headers = {**site.headers, **({"If-Match": etag} if etag else {})}
    response = site.api.request(method, url, json=body, headers=headers)
    assert response.status_code in (200, 201), (url, response.text[:500])
    return response


def _store(site: Site) -> None:
    """Every hostile string, in every kind of field that takes it."""
    outputs = [{"kind": "study", "title": text} for text in HOSTILE]
    outputs.append({"kind": "tool", "title": "hostile link", "url": HOSTILE_URL})
    _write(site, "POST", "/api/sessions", {"number": 99, "source": "editor"})
    for number, text in enumerate(HOSTILE, start=1):
        created = _write(
            site,
            "POST",
            "/api/projects",
            {
                "titles": {"zh": {"text": text}, "en": {"text": text}},
                "outputs": outputs if number == 1 else [],
                "source": "editor",
                "message": text,
            },
        )
        project_id = created.json()["id"]
        site.project_ids.append(project_id)
        # An edit, so that the History tab has a diff of the string: old and new.
        previous = HOSTILE[number - 2]
        _write(
            site,
            "PATCH",
            f"/api/projects/{project_id}",
            {"titles": {"fr": {"text": previous}}, "source": "editor", "message": previous},
            created.headers["ETag"],
        )
        symbol = f"CDIP/99/{number}"
        _write(
            site,
            "POST",
            "/api/documents",
            {
                "symbol": symbol,
                "titles": {"en": {"text": text}},
                "url": HOSTILE_URL if number == 1 else None,
                "source": "editor",
                "message": text,
            },
        )
        site.document_symbols.append(symbol)
        recommendation = site.api.get(f"/api/recommendations/{number}")
        _write(
            site,
            "PATCH",
            f"/api/recommendations/{number}",
            {
                "texts": {"fr": {"text": text, "status": "unofficial_translation"}},
                "source": "editor",
                "message": text,
            },
            recommendation.headers["ETag"],
        )


@pytest.fixture(scope="module")
def site(databases: DatabaseFactory) -> Iterator[Site]:
    with databases.report_copy() as context:
        with acting_as(ADMIN), context.transaction() as session:
            create_user(session, email="editor@example.org", role="editor", password="x" * 16)
            token = create_token(session, "editor@example.org").token
        app = web_app(context)
        with TestClient(app) as api:
            site = Site(api, {"Authorization": f"Bearer {token}"})
            _store(site)
            with served(app) as base_url:
                site.base_url = base_url
                yield site


@pytest.fixture(scope="module")
def page(site: Site) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(base_url=site.base_url)
            # Reports every CSP violation the page meets, ours or an injected one's.
            context.add_init_script(
                "window.__violations = [];"
                "document.addEventListener('securitypolicyviolation', e =>"
                " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            yield context.new_page()
        finally:
            browser.close()


class Inspector:
    """Opens pages and records what a successful injection would leave behind."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self, url: str, texts: list[str], heading: str | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        page = self.page
        assert page.locator("footer.site-footer").count() == 1, f"{url}: the page is broken"
        shown = page.evaluate("document.body.textContent")
        for text in texts:
            assert stored(text) in shown, f"{url} does not show {text!r} as text"
        if heading is not None:
            assert page.locator("h1").text_content() == stored(heading), url
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator(INJECTED).count() == 0, f"{url}: an injected element"
        assert page.evaluate("window.__violations") == [], url
        assert self.dialogs == [] and self.errors == [], (url, self.dialogs, self.errors)


def test_pages_show_hostile_strings_as_text(site: Site, page: Page) -> None:
    inspect = Inspector(page)
    for language in ("zh", "en"):
        first = site.project_ids[0]
        inspect.check(f"/projects/{first}?lang={language}", [HOSTILE[0], *HOSTILE])  # outputs
    assert page.locator(f"a[href={json.dumps(HOSTILE_URL)}]").count() == 1
    for number, (project_id, text) in enumerate(zip(site.project_ids, HOSTILE, strict=True)):
        previous = HOSTILE[number - 1]
        inspect.check(f"/projects/{project_id}?lang=en", [text], heading=text)
        # History: the creation's message, the edit's message and its new value.
        history = f"/projects/{project_id}/history?lang=en"
        inspect.check(history, [text, previous], heading=f"{stored(text)}: history")
        inspect.check(f"/documents/{site.document_symbols[number]}?lang=en", [text])
        inspect.check(f"/recommendations/{number + 1}?lang=en", [text])
    inspect.check("/recommendations/1/history?lang=en", [HOSTILE[0]])
    inspect.check(f"/documents/{site.document_symbols[0]}/history?lang=en", [HOSTILE[0]])
    inspect.check(f"/documents/{site.document_symbols[0]}?lang=en", [HOSTILE[0]])
    assert page.locator(f"a[href={json.dumps(HOSTILE_URL)}]").count() == 1
    inspect.check("/projects?lang=en&q=" + quote("pwned"), HOSTILE[:4])
    for query, text in SEARCHES.items():
        inspect.check(f"/search?lang=en&q={quote(query)}", [text])


def test_the_change_log_keeps_every_string_exactly(site: Site) -> None:
    entries = site.api.get("/api/changes", params={"format": "json"}).json()
    messages = {entry["message"] for entry in entries}
    assert {stored(text) for text in HOSTILE} <= messages


def _formula_texts() -> list[str]:
    return [stored(t) for t in HOSTILE if stored(t).startswith(FORMULA_STARTS)]


@pytest.mark.parametrize(
    "url", ["/api/projects?format=csv", "/projects.csv", "/api/changes?format=csv"]
)
def test_csv_exports_keep_formulas_inert(site: Site, url: str) -> None:
    response = site.api.get(url)
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), cell
    for text in _formula_texts():
        assert "'" + text in cells, f"{url} lacks {text!r}"


@pytest.mark.parametrize(
    "url", ["/api/projects?format=xlsx", "/projects.xlsx", "/api/changes?format=xlsx"]
)
def test_xlsx_exports_hold_text_cells_never_formulas(site: Site, url: str) -> None:
    response = site.api.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "f" not in {cell.data_type for cell in cells}
    values = {cell.value for cell in cells}
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            assert cell.data_type == "s", cell.value
    for text in _formula_texts():
        assert text in values, f"{url} lacks {text!r}"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


PLACEHOLDER = "__refused__"
TITLE = {"en": {"text": "a fine title"}}
# The field each refused text goes into, by the name the 422 must give it.
REFUSED_FIELDS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "titles.en.text": ("POST", "/api/projects", {"titles": {"en": {"text": PLACEHOLDER}}}),
    "outputs.0.title": (
        "POST",
        "/api/projects",
        {"titles": TITLE, "outputs": [{"kind": "study", "title": PLACEHOLDER}]},
    ),
    "message": ("POST", "/api/projects", {"titles": TITLE, "message": PLACEHOLDER}),
    "texts.en.text": ("PATCH", "/api/recommendations/1", {"texts": {"en": {"text": PLACEHOLDER}}}),
    "symbol": ("POST", "/api/documents", {"symbol": PLACEHOLDER}),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_refused_text_is_a_422_naming_the_field(site: Site, kind: str) -> None:
    for name, (method, url, body) in REFUSED_FIELDS.items():
        raw = json.dumps({**body, "source": "editor"}).replace(f'"{PLACEHOLDER}"', REFUSED[kind])
        response = site.api.request(
            method,
            url,
            content=raw.encode(),
            headers={**site.headers, "Content-Type": "application/json", "If-Match": "*"},
        )
        assert response.status_code == 422, (kind, name, response.text[:300])
        problem = response.json()
        assert [p["name"] for p in problem["invalid_params"]] == [name], (kind, problem)
        assert name in problem["detail"]
