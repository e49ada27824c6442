"""Accounts over a database with the reference data (countries) and no report: logging
in needs no projects. Each module gets its own database, so that the failed logins one
module makes do not throttle another's."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn

from devagenda.accounts.services import create_user
from devagenda.api import create_app
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext

PASSWORD = "correct horse battery staple"
ADMIN = Actor(label="operator:test", role=Role.ADMIN)
# One account of each role; the focal point speaks for Kenya.
ACCOUNTS = {
    "reader@example.org": ("reader", ()),
    "focal@example.org": ("focal-point", ("KEN",)),
    "editor@example.org": ("editor", ()),
    "admin@example.org": ("admin", ()),
}


@pytest.fixture(scope="module")
def accounts_database(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    with acting_as(ADMIN), context.transaction() as session:
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
    yield context
    context.engine.dispose()


@pytest.fixture
def as_admin() -> Iterator[Actor]:
    with acting_as(ADMIN) as actor:
        yield actor


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[[AppContext], str]]:
    """Serves an app over `context` with uvicorn on a free port of 127.0.0.1, in a
    background thread, and returns its base URL; stopped at the end of the module."""
    servers: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(context: AppContext) -> str:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(context), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        servers.append((server, thread, listener))
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for server, thread, listener in servers:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
