"""An API over a database holding the real 2023 report, made once per backend for all the
API tests: they only read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.helpers import load_report

from devagenda.api import create_app
from devagenda.core.context import AppContext


@pytest.fixture(scope="package")
def loaded_context(databases, report_2023_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = load_report(databases.new_url(), report_2023_path)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="package")
def api(loaded_context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_context)) as client:
        yield client
