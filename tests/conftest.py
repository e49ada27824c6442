"""Fixtures shared by the whole suite.

Database tests run once per backend: SQLite (a file in a temporary folder) and PostgreSQL
(127.0.0.1:5432, trust authentication). Under CI=true an unreachable PostgreSQL fails the
run instead of skipping.

Loading the 2023 report is the slow part of most tests, so each backend builds two
templates once per run, the first time a test asks for them: a database after
`devagenda init`, and one after init and an ingest of the 2023 report. A test that wants
such a database gets a copy of a template, which takes milliseconds (SQLite: the backup
API; PostgreSQL: `CREATE DATABASE ... TEMPLATE`), instead of building its own:

- `empty_database`: a new, empty database (no schema yet), for tests of `init` itself;
- `initialized_database`: a new database after `init`, all the test's own;
- `reference_database` (with `session`): one database after `init` for the whole run;
- `loaded_report_database`: one database holding the 2023 report for the whole run,
  for tests that only read it or roll their writes back (`tests.helpers.rolled_back`);
- `report_copy`: a new database holding the 2023 report, all the test's own;
- `with databases.initialized_copy() as context:` / `with databases.report_copy() as
  context:`, for a module-scoped fixture whose tests write to one database in turn; the
  copy is removed when the block ends (`databases.initialized_url()` and
  `databases.report_url()` give just the URL of a copy, removed at the end of the run).

`tests.helpers.load_report` still ingests for real: use it only where the ingest itself
is under test. Every copy has a URL of its own, so nothing cached per URL in the process
(the facet columns of devagenda.search.facets) mistakes one copy for another.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from tests.helpers import ingest, rolled_back

from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext

REPO = Path(__file__).resolve().parents[1]
REPORT_2023 = REPO / "data" / "reports" / "dg-report-da-2023.zh.txt"
POSTGRES_SERVER = os.environ.get(
    "DEVAGENDA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")
DROPS_AT_ONCE = 8  # PostgreSQL databases and schemas dropped side by side


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
    """Makes databases of one backend and removes them, each when its test is done with it
    or at the end of the run.

    SQLite databases are files in `folder`. On PostgreSQL an empty database is a fresh
    schema inside the database `test`, while templates and their copies are databases of
    their own (named devagenda_t_...), since only a whole database can be a template.
    """

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self._made: dict[str, str] = {}  # URL -> the SQL that drops it ("" for a file)
        self._templates: dict[str, str] = {}
        self._shared: AppContext | None = None
        self._admin: Engine | None = None
        self._dropping: ThreadPoolExecutor | None = None
        self._drops: list[Future[None]] = []

    def new_url(self) -> str:
        """The URL of a new, empty database."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return self._remember(self._url(name), "")
        self._execute(f"CREATE SCHEMA {name}")
        url = f"{POSTGRES_SERVER}?options=-csearch_path%3D{name}"
        return self._remember(url, f"DROP SCHEMA IF EXISTS {name} CASCADE")

    def initialized_url(self) -> str:
        """The URL of a new database after `devagenda init`."""
        return self._copy(self._template("initialized"))

    def report_url(self) -> str:
        """The URL of a new database after `devagenda init` and an ingest of the 2023
        report, as `tests.helpers.load_report` leaves it."""
        return self._copy(self._template("report"))

    @contextmanager
    def opened(self, url: str) -> Iterator[AppContext]:
        """A context on `url`, one of this factory's databases, which is removed when the
        block ends."""
        context = AppContext.for_url(url)
        try:
            yield context
        finally:
            context.engine.dispose()
            self.remove(url)

    def initialized_copy(self) -> AbstractContextManager[AppContext]:
        return self.opened(self.initialized_url())

    def report_copy(self) -> AbstractContextManager[AppContext]:
        return self.opened(self.report_url())

    def loaded_report(self) -> AppContext:
        """The one database of the run holding the 2023 report, shared by the tests that
        only read it."""
        if self._shared is None:
            self._shared = AppContext.for_url(self.report_url())
        return self._shared

    def remove(self, url: str) -> None:
        """Remove a database of this factory's that no test uses any more. On PostgreSQL
        that happens in the background: every DROP DATABASE waits for a checkpoint of
        the whole server, seconds when other work keeps it busy."""
        drop = self._made.pop(url)
        if self.backend == "sqlite":
            database = Path(make_url(url).database or "")
            for path in (database, *(Path(f"{database}{end}") for end in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
            return
        if self._dropping is None:
            self._dropping = ThreadPoolExecutor(DROPS_AT_ONCE, thread_name_prefix="drop")
        self._drops.append(self._dropping.submit(self._execute, drop))

    def drop_all(self) -> None:
        if self._shared is not None:
            self._shared.engine.dispose()
        for url in list(self._made):
            self.remove(url)
        if self._dropping is not None:
            self._dropping.shutdown(wait=True)
        if self._admin is not None:
            self._admin.dispose()
        for drop in self._drops:
            drop.result()  # a drop that failed fails the run's teardown, naming it

    def _template(self, kind: str) -> str:
        """The URL of the template of this kind, built the first time it is asked for.
        The report template starts as a copy of the initialized one, so that `init` runs
        once per backend."""
        if kind not in self._templates:
            if kind == "initialized":
                url = self._new_database()
                context = AppContext.for_url(url)
                initialize(context)
            else:
                url = self._copy(self._template("initialized"))
                context = AppContext.for_url(url)
                ingest(context, REPORT_2023)
            # PostgreSQL copies a template only while nobody is connected to it.
            context.engine.dispose()
            self._templates[kind] = url
        return self._templates[kind]

    def _copy(self, template: str) -> str:
        """The URL of a new database with the contents of the one at `template`."""
        if self.backend == "postgresql":
            return self._new_database(make_url(template).database)
        url = self._new_database()
        source = sqlite3.connect(make_url(template).database or "")
        target = sqlite3.connect(make_url(url).database or "")
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return url

    def _new_database(self, template: str | None = None) -> str:
        name = f"devagenda_t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return self._remember(self._url(name), "")
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template or 'template1'}")
        # FORCE: a connection that a test left open must not keep the database alive.
        return self._remember(self._url(name), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _remember(self, url: str, drop: str) -> str:
        self._made[url] = drop
        return url

    def _url(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / name}.sqlite3"
        return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        """On the server's own database, outside a transaction (CREATE DATABASE needs it).
        One statement per schema or database: dropping many at once takes a lock per
        table and index of each, more than PostgreSQL's default lock table holds."""
        if self._admin is None:
            self._admin = create_engine(
                POSTGRES_SERVER, isolation_level="AUTOCOMMIT", pool_size=DROPS_AT_ONCE
            )
        with self._admin.connect() as connection:
            connection.execute(text(statement))


class DatabaseFactories:
    """One DatabaseFactory per backend, so that fixtures of a fixed backend (the SQLite
    browser tests) share the templates and databases of the parametrized ones."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp_path_factory = tmp_path_factory
        self._factories: dict[str, DatabaseFactory] = {}

    def __getitem__(self, backend: str) -> DatabaseFactory:
        if backend not in self._factories:
            folder = self._tmp_path_factory.mktemp(f"db-{backend}")
            self._factories[backend] = DatabaseFactory(backend, folder)
        return self._factories[backend]

    def drop_all(self) -> None:
        for factory in self._factories.values():
            factory.drop_all()


@pytest.fixture(scope="session")
def database_factories(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DatabaseFactories]:
    factories = DatabaseFactories(tmp_path_factory)
    yield factories
    factories.drop_all()


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
def databases(backend: str, database_factories: DatabaseFactories) -> DatabaseFactory:
    return database_factories[backend]


@pytest.fixture
def empty_database(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A new, empty database of the current backend (no schema yet)."""
    with databases.opened(databases.new_url()) as context:
        yield context


@pytest.fixture
def initialized_database(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A new database after `devagenda init`, for the test to write to as it likes."""
    with databases.initialized_copy() as context:
        yield context


@pytest.fixture(scope="session")
def reference_database(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A database after `devagenda init`, shared by the tests that only read it."""
    with databases.initialized_copy() as context:
        yield context


@pytest.fixture
def session(reference_database: AppContext) -> Iterator[Session]:
    """A session on the initialized database whose writes are rolled back after the test."""
    with rolled_back(reference_database) as session:
        yield session


@pytest.fixture(scope="session")
def loaded_report_database(databases: DatabaseFactory) -> AppContext:
    """The database holding the 2023 report that the whole run shares: read it, or write
    only inside `rolled_back(loaded_report_database)`."""
    return databases.loaded_report()


@pytest.fixture
def report_copy(databases: DatabaseFactory) -> Iterator[AppContext]:
    """A new database holding the 2023 report, for the test to write to as it likes."""
    with databases.report_copy() as context:
        yield context


@pytest.fixture(scope="session")
def report_2023_path() -> Path:
    return REPORT_2023
