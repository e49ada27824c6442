"""An API over the run's shared database holding the real 2023 report: the API tests only
read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devagenda.api import create_app
from devagenda.core.context import AppContext


@pytest.fixture(scope="package")
def loaded_context(loaded_report_database: AppContext) -> AppContext:
    return loaded_report_database


@pytest.fixture(scope="package")
def api(loaded_context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_context)) as client:
        yield client
