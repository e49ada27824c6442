"""A database holding the reference data and the real 2023 report, built once per backend
for the search tests that only read it (or roll their writes back)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.helpers import load_report, rolled_back

from devagenda.core.context import AppContext


@pytest.fixture(scope="session")
def report(databases, report_2023_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = load_report(databases.new_url(), report_2023_path)
    yield context
    context.engine.dispose()


@pytest.fixture
def db(report: AppContext) -> Iterator[Session]:
    """A session on `report` whose writes are rolled back."""
    with rolled_back(report) as session:
        yield session
