"""An API over a database holding the real 2023 report, made once per backend for all the
API tests: they only read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devagenda.api import create_app
from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext
from devagenda.reports.load import ingest_report


@pytest.fixture(scope="package")
def loaded_context(databases, report_2023_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.new_url())
    initialize(context)
    with context.transaction() as session:
        ingest_report(session, report_2023_path)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="package")
def api(loaded_context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_context)) as client:
        yield client
