"""The web UI over a database holding the real 2023 report.

The SQLite database is built once per run and shared by the page tests and the browser
test; the PostgreSQL one once per module that asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.helpers import load_report
from tests.web.support import web_app

from devagenda.core.context import AppContext


@pytest.fixture(scope="session")
def sqlite_with_report(
    tmp_path_factory: pytest.TempPathFactory, report_2023_path: Path
) -> Iterator[AppContext]:
    folder = tmp_path_factory.mktemp("web-sqlite")
    context = load_report(f"sqlite:///{folder / 'web.sqlite3'}", report_2023_path)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def web_context(
    request: pytest.FixtureRequest,
    backend: str,
    databases,
    report_2023_path: Path,  # type: ignore[no-untyped-def]
) -> Iterator[AppContext]:
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_with_report")
        return
    context = load_report(databases.new_url(), report_2023_path)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def client(web_context: AppContext) -> Iterator[TestClient]:
    with TestClient(web_app(web_context)) as test_client:
        yield test_client
