"""The web UI over the run's shared database holding the real 2023 report: the page tests
only read. The browser tests run on SQLite alone, over the same shared SQLite database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.support import web_app

from devagenda.core.context import AppContext


@pytest.fixture(scope="session")
def sqlite_with_report(database_factories) -> AppContext:  # type: ignore[no-untyped-def]
    return database_factories["sqlite"].loaded_report()


@pytest.fixture(scope="module")
def web_context(loaded_report_database: AppContext) -> AppContext:
    return loaded_report_database


@pytest.fixture(scope="module")
def client(web_context: AppContext) -> Iterator[TestClient]:
    with TestClient(web_app(web_context)) as test_client:
        yield test_client
