"""What the load test and odd requests found (issue 8 §4-5), on SQLite and PostgreSQL:
text filters on every list, unknown parameters, forged cursors, formula cells in the
downloads, HEAD, a bug's 500 with its headers, and a busy pool answered with 503."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pydantic import BaseModel
from sqlalchemy import text
from tests.api.test_api import LIST_URLS, get, problem

from devagenda.api import create_app
from devagenda.api.listing import ListFormat, csv_cells, download
from devagenda.core.cells import safe_text, xlsx_bytes
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError
from devagenda.core.pagination import encode_cursor
from devagenda.core.settings import Settings

SEARCH_URL = "/api/search?q=women"
FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x","y")']
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- text filters and unknown parameters ------------------------------------------------


def test_countries_take_a_text_filter_in_either_language(api: TestClient) -> None:
    for query in ("Uganda", "乌干达", "uganda"):
        items = get(api, f"/api/countries?q={query}")["items"]
        assert [c["alpha3"] for c in items] == ["UGA"], query
    assert get(api, "/api/countries?q=nowhere-land")["total"] == 0
    assert get(api, "/api/countries")["total"] > 190


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_takes_q(api: TestClient, url: str) -> None:
    everything = get(api, f"{url}?limit=500")["total"]
    narrowed = get(api, f"{url}?q=%25_no such text_%25")
    assert narrowed["total"] == 0 < everything, "% and _ are literal, not wildcards"


def test_q_narrows_projects_and_the_csv_alike(api: TestClient) -> None:
    page = get(api, "/api/projects?q=Gastronomic")
    assert page["total"] == 2
    rows = list(csv.DictReader(io.StringIO(api.get("/api/projects?q=Gastronomic&format=csv").text)))
    assert sorted(int(r["id"]) for r in rows) == sorted(p["id"] for p in page["items"])


@pytest.mark.parametrize("url", [*LIST_URLS, SEARCH_URL, "/api/reports/2023/zh/findings"])
def test_an_unknown_parameter_is_a_422_that_names_it(api: TestClient, url: str) -> None:
    separator = "&" if "?" in url else "?"
    body = problem(api, f"{url}{separator}colour=red", 422)
    assert body["invalid_params"][0]["name"] == "colour"
    assert "unknown query parameter: colour" in body["detail"]


def test_a_long_unknown_parameter_is_refused_cheaply(api: TestClient) -> None:
    probe = "p" * 63_000
    response = api.get(f"/api/projects?{probe}=1")
    assert response.status_code == 422
    assert len(response.content) < 2_000


# -- CSV wherever a list is returned ------------------------------------------------------


@pytest.mark.parametrize("url", [SEARCH_URL, "/api/reports/2023/zh/findings"])
def test_search_and_findings_as_csv_json_and_xlsx(api: TestClient, url: str) -> None:
    separator = "&" if "?" in url else "?"
    as_json = get(api, f"{url}{separator}format=json")
    rows = list(csv.DictReader(io.StringIO(api.get(f"{url}{separator}format=csv").text)))
    assert len(rows) == len(as_json) > 0
    workbook = api.get(f"{url}{separator}format=xlsx")
    assert workbook.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == len(rows) + 1


def test_search_csv_holds_every_hit_not_one_page(api: TestClient) -> None:
    results = get(api, "/api/search?q=&limit=5")
    rows = list(csv.DictReader(io.StringIO(api.get("/api/search?q=&format=csv&limit=5").text)))
    assert len(rows) == results["total"] > 5


# -- forged cursors -------------------------------------------------------------------------

FORGED = [2**31, 2**63, -(2**63) - 1, 10**30]


@pytest.mark.parametrize("key", FORGED)
@pytest.mark.parametrize("url", [*LIST_URLS, SEARCH_URL])
def test_a_forged_cursor_is_a_422(api: TestClient, url: str, key: int) -> None:
    separator = "&" if "?" in url else "?"
    body = problem(api, f"{url}{separator}cursor={encode_cursor(key)}", 422)
    assert body["invalid_params"][0]["name"] == "cursor"


def test_a_forged_page_number_is_a_422_page(api: TestClient) -> None:
    response = api.get(f"/projects?page={2**63}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


# -- formula cells ------------------------------------------------------------------------------


class Titled(BaseModel):
    id: int
    title: str
    tags: list[str]


def test_csv_cells_starting_a_formula_stay_text() -> None:
    for formula in FORMULAS:
        cells = csv_cells(Titled(id=-5, title=formula, tags=[formula]))
        assert cells["title"] == "'" + formula
        assert cells["tags"] == "'" + formula
        assert cells["id"] == "-5", "numbers are numbers, not formulas"
    assert safe_text("plain =not a formula") == "plain =not a formula"


def test_downloaded_csv_and_xlsx_keep_formulas_as_text() -> None:
    items = [Titled(id=i, title=f, tags=[]) for i, f in enumerate(FORMULAS)]
    response = download(items, Titled, "titled", ListFormat.CSV)
    body = b"".join(
        chunk if isinstance(chunk, bytes) else chunk.encode()
        for chunk in _drain(response.body_iterator)  # type: ignore[attr-defined]
    ).decode()
    assert [row["title"] for row in csv.DictReader(io.StringIO(body))] == [
        "'" + f for f in FORMULAS
    ]
    workbook = download(items, Titled, "titled", ListFormat.XLSX)
    _assert_text_cells(workbook.body, FORMULAS, column=1)


def test_xlsx_cells_are_never_formulas(tmp_path: Path) -> None:
    content = xlsx_bytes("sheet", ["=header"], [[f] for f in FORMULAS])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(1, 1).value == "=header" and sheet.cell(1, 1).data_type == "s"
    _assert_text_cells(content, FORMULAS, column=0)


@pytest.mark.parametrize("name", ["recommendations-expected-results", "recommendations-projects"])
def test_matrix_workbooks_hold_no_formulas(api: TestClient, name: str) -> None:
    sheet = load_workbook(io.BytesIO(api.get(f"/matrices/{name}.xlsx").content)).active
    types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "f" not in types and "s" in types


def _assert_text_cells(content: bytes, values: list[str], column: int) -> None:
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert {c.data_type for c in cells} == {"s"}, "stored as text, not as formulas"


def _drain(iterator):  # type: ignore[no-untyped-def]
    import asyncio

    async def collect():  # type: ignore[no-untyped-def]
        return [chunk async for chunk in iterator]

    return asyncio.run(collect())


# -- HEAD, 500 and a busy pool ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/projects", "/projects.csv", "/api/projects", "/static/site.css"]
)
def test_head_is_get_without_the_body(api: TestClient, url: str) -> None:
    got = api.get(url)
    head = api.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["x-frame-options"] == "DENY"


def test_a_bug_is_an_html_page_for_a_browser_with_the_security_headers(
    loaded_context: AppContext,
) -> None:
    app = create_app(loaded_context)

    @app.get("/broken-page")
    def broken_page() -> None:
        raise RuntimeError("secret internals")

    @app.get("/api/broken")
    def broken_api() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/broken-page?lang=zh", headers={"accept": "text/html"})
        api = client.get("/api/broken", headers={"accept": "text/html"})
    assert page.status_code == api.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>出错了</h1>" in page.text and "secret" not in page.text
    assert api.headers["content-type"] == "application/problem+json"
    assert "secret" not in api.text
    for response in (page, api):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_a_busy_pool_answers_503_with_retry_after(loaded_context: AppContext) -> None:
    """Every connection held elsewhere: the request waits the bounded time, then 503."""
    settings = Settings(loaded_context.settings.database_url, threads=1, pool_timeout=0.2)
    busy = AppContext(settings)
    held = [busy.engine.connect() for _ in range(2)]  # pool_size 1 + overflow 1
    try:
        for connection in held:
            connection.execute(text("SELECT 1"))
        with TestClient(create_app(busy)) as client:
            api = client.get("/api/projects")
            page = client.get("/projects", headers={"accept": "text/html"})
            download = client.get("/api/projects?format=csv")
        assert api.status_code == page.status_code == download.status_code == 503
        assert api.headers["retry-after"] == page.headers["retry-after"] == "2"
        assert api.headers["content-type"] == "application/problem+json"
        assert page.headers["content-type"].startswith("text/html")
    finally:
        for connection in held:
            connection.close()
        busy.engine.dispose()
    with TestClient(create_app(loaded_context)) as client:
        assert client.get("/api/projects").status_code == 200


def test_the_pool_is_sized_from_the_thread_count(loaded_context: AppContext) -> None:
    context = AppContext(Settings(loaded_context.settings.database_url, threads=7))
    try:
        assert context.engine.pool.size() == 7  # type: ignore[attr-defined]
        assert context.engine.pool.timeout() == 10.0  # type: ignore[attr-defined]
    finally:
        context.engine.dispose()


def test_thread_and_timeout_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEVAGENDA_DATABASE_URL", "sqlite:///x.sqlite3")
    monkeypatch.setenv("DEVAGENDA_THREADS", "24")
    monkeypatch.setenv("DEVAGENDA_POOL_TIMEOUT", "2.5")
    settings = Settings.from_environment()
    assert (settings.threads, settings.pool_timeout) == (24, 2.5)
    monkeypatch.setenv("DEVAGENDA_THREADS", "many")
    with pytest.raises(InputError, match=r"DEVAGENDA_THREADS.*positive whole number"):
        Settings.from_environment()


def test_requests_beyond_the_slots_wait_their_turn_then_get_503(
    loaded_context: AppContext,
) -> None:
    settings = Settings(loaded_context.settings.database_url, threads=1, queue_timeout=0.3)
    app = create_app(AppContext(settings))

    @app.get("/api/slow")
    async def slow() -> dict[str, bool]:
        await asyncio.sleep(1.5)
        return {"done": True}

    async def both() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(client.get("/api/slow"))
            await asyncio.sleep(0.1)
            turned_away = await client.get("/api/clusters")
            page = await client.get("/projects", headers={"accept": "text/html"})
            return await first, turned_away, page

    finished, turned_away, page = asyncio.run(both())
    assert finished.status_code == 200
    assert turned_away.status_code == page.status_code == 503
    assert turned_away.headers["retry-after"] == "2"
    assert turned_away.headers["content-type"] == "application/problem+json"
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"


def test_a_body_over_the_limit_is_refused_before_the_app_holds_it(
    loaded_context: AppContext,
) -> None:
    settings = Settings(loaded_context.settings.database_url, max_body_bytes=1000)
    with TestClient(create_app(AppContext(settings))) as client:
        form = {"email": "a@example.org", "password": "x" * 2000}
        declared = client.post("/login", data=form, headers={"Accept": "application/json"})
        assert declared.status_code == 413
        assert declared.headers["content-type"].startswith("application/problem+json")
        assert "1,000 bytes" in declared.json()["detail"]
        page = client.post("/login", data=form, headers={"Accept": "text/html"})
        assert page.status_code == 413 and "<html" in page.text
        assert "content-security-policy" in page.headers

        def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted
            for _ in range(5):
                yield b"email=a%40example.org&password=" + b"x" * 300

        chunked = client.post(
            "/login",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
        )
        assert chunked.status_code == 413
        small = client.post("/login", data={"email": "a@example.org", "password": "short"})
        assert small.status_code != 413
