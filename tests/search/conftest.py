"""The search tests read the run's shared database holding the reference data and the
real 2023 report (or roll their writes back)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session
from tests.helpers import rolled_back

from devagenda.core.context import AppContext


@pytest.fixture(scope="session")
def report(loaded_report_database: AppContext) -> AppContext:
    return loaded_report_database


@pytest.fixture
def db(report: AppContext) -> Iterator[Session]:
    """A session on `report` whose writes are rolled back."""
    with rolled_back(report) as session:
        yield session
