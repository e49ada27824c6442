"""Fixtures shared by the whole suite.

Database tests run once per backend: SQLite (a file in a temporary folder) and PostgreSQL
(127.0.0.1:5432, database `test`, one fresh schema per database fixture so that runs never
collide). Under CI=true an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from tests.helpers import rolled_back

from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext

REPO = Path(__file__).resolve().parents[1]
REPORT_2023 = REPO / "data" / "reports" / "dg-report-da-2023.zh.txt"
POSTGRES_SERVER = os.environ.get(
    "DEVAGENDA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=(*BACKENDS, "all"),
        default="all",
        help="run database tests on this backend only",
    )


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(POSTGRES_SERVER)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "not available"
        return f"PostgreSQL not reachable at {POSTGRES_SERVER}: {error}"
    return None


class DatabaseFactory:
    """Makes empty databases of one backend and removes them at the end of the run."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.schemas: list[str] = []

    def new_url(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / name}.sqlite3"
        self.schemas.append(name)
        admin = create_engine(POSTGRES_SERVER)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {name}"))
        admin.dispose()
        return f"{POSTGRES_SERVER}?options=-csearch_path%3D{name}"

    def drop_all(self) -> None:
        if not self.schemas:
            return
        admin = create_engine(POSTGRES_SERVER)
        # One transaction per schema: dropping them all at once takes a lock per table and
        # index of every schema, more than PostgreSQL's default lock table holds.
        for name in self.schemas:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    chosen = request.config.getoption("--backend")
    if chosen not in ("all", request.param):
        pytest.skip(f"--backend={chosen}")
    if request.param == "postgresql":
        problem = _postgres_unavailable()
        if problem and os.environ.get("CI") == "true":
            pytest.fail(problem)
        if problem:
            pytest.skip(problem)
    return request.param


@pytest.fixture(scope="session")
def databases(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(backend, tmp_path_factory.mktemp(f"db-{backend}"))
    yield factory
    factory.drop_all()


@pytest.fixture
def empty_database(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A new, empty database of the current backend (no schema yet)."""
    context = AppContext.for_url(databases.new_url())
    yield context
    context.engine.dispose()


@pytest.fixture(scope="session")
def reference_database(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A database after `devagenda init`, shared by the tests that only read it."""
    context = AppContext.for_url(databases.new_url())
    initialize(context)
    yield context
    context.engine.dispose()


@pytest.fixture
def session(reference_database: AppContext) -> Iterator[Session]:
    """A session on the initialized database whose writes are rolled back after the test."""
    with rolled_back(reference_database) as session:
        yield session


@pytest.fixture(scope="session")
def report_2023_path() -> Path:
    return REPORT_2023
