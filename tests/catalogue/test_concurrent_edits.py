"""Edits that cross, through two real `devagenda serve` processes on one database
(SQLite file and PostgreSQL): two editors read the same version of a project and write
it at the same moment with the same `If-Match`. Exactly one wins; the other gets 412 with
the winner's state, whether they change the same field or two different parts of the
project. And a server killed in the middle of a large edit leaves the database as it was
(PostgreSQL; for SQLite a write cannot be held open from outside, and the atomicity of
a killed write is shown by tests/backup's killed import).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from tests.conftest import DatabaseFactory
from tests.helpers import snapshot

from devagenda.accounts.services import create_token, create_user
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
PROJECT = 52
ROUNDS = 10
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One `devagenda serve` process on a port of its own."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        command = [sys.executable, "-m", "devagenda.cli", "--database-url", url, "serve"]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.base_url = f"http://127.0.0.1:{self.port}"

    def wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"devagenda serve ended: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.base_url}/api/sectors?limit=1").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"devagenda serve never answered: {self.log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def editor_token(context: AppContext) -> str:
    with acting_as(ADMIN), context.transaction() as session:
        create_user(
            session, email="editor@example.org", role="editor", password="x" * 20, countries=()
        )
        return create_token(session, "editor@example.org").token


@pytest.fixture(scope="module")
def shared(
    databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppContext, list[httpx.Client]]]:
    """The 2023 report served by two processes, with a client of each holding an
    editor's token."""
    url = databases.report_url()
    context = AppContext.for_url(url)
    token = editor_token(context)
    folder = tmp_path_factory.mktemp("serve")
    servers = [Server(url, folder / f"serve-{n}.log") for n in (1, 2)]
    clients: list[httpx.Client] = []
    try:
        for server in servers:
            server.wait_until_it_answers()
            clients.append(
                httpx.Client(
                    base_url=server.base_url,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
            )
        yield context, clients
    finally:
        for client in clients:
            client.close()
        for server in servers:
            server.stop()
        context.engine.dispose()


def at_once(*requests: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Send the requests from threads released together."""
    barrier = threading.Barrier(len(requests))
    responses: list[Any] = [None] * len(requests)

    def send(position: int) -> None:
        barrier.wait()
        responses[position] = requests[position]()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def same_etag(clients: list[httpx.Client]) -> str:
    tags = {client.get(f"/api/projects/{PROJECT}").headers["etag"] for client in clients}
    assert len(tags) == 1, f"the two processes read different versions: {tags}"
    return tags.pop()


def last_entry(context: AppContext) -> int:
    with context.sessions() as session:
        return session.scalar(select(func.max(ChangeEntry.id))) or 0


def test_the_same_field_written_at_once_one_wins(
    shared: tuple[AppContext, list[httpx.Client]],
) -> None:
    context, clients = shared
    for round_ in range(ROUNDS):
        etag = same_etag(clients)
        values = [str(date(2030, 1, 1) + timedelta(days=2 * round_ + n)) for n in (0, 1)]
        logged = last_entry(context)
        responses = at_once(
            *(
                partial(
                    client.patch,
                    f"/api/projects/{PROJECT}",
                    json={"end_date": value, "source": "editor"},
                    headers={"If-Match": etag},
                )
                for client, value in zip(clients, values, strict=True)
            )
        )
        statuses = [response.status_code for response in responses]
        assert sorted(statuses) == [200, 412], f"round {round_}: {statuses}"
        winner = values[statuses.index(200)]
        refused = responses[statuses.index(412)].json()
        assert refused["current"]["end_date"] == winner, f"round {round_}"
        for client in clients:
            assert client.get(f"/api/projects/{PROJECT}").json()["end_date"] == winner
        with context.sessions() as session:
            changed = session.scalars(
                select(ChangeEntry).where(
                    ChangeEntry.id > logged,
                    ChangeEntry.record_type == "project",
                    ChangeEntry.record_key == str(PROJECT),
                )
            ).all()
        assert [
            entry.after["end_date"] for entry in changed if "end_date" in entry.changed_fields
        ] == [winner], f"round {round_}"


def test_two_parts_written_at_once_one_wins(
    shared: tuple[AppContext, list[httpx.Client]],
) -> None:
    """A title through one process, a status statement through the other."""
    _, clients = shared
    title_client, status_client = clients
    for round_ in range(ROUNDS // 2):
        etag = same_etag(clients)
        title = f"Gastronomic tourism, round {round_}"
        source = f"https://www.wipo.int/crossing/{round_}"
        title_response, status_response = at_once(
            partial(
                title_client.patch,
                f"/api/projects/{PROJECT}",
                json={"titles": {"fr": {"text": title}}, "source": "editor"},
                headers={"If-Match": etag},
            ),
            partial(
                status_client.post,
                f"/api/projects/{PROJECT}/statuses",
                json={"status": "ongoing", "date": "2023-09-01", "source": source},
                headers={"If-Match": etag},
            ),
        )
        statuses = (title_response.status_code, status_response.status_code)
        assert statuses in {(200, 412), (412, 201)}, f"round {round_}: {statuses}"
        stored = title_client.get(f"/api/projects/{PROJECT}").json()
        titles = {t["language"]: t["text"] for t in stored["titles"]}
        sources = {s["source"]["source"] for s in stored["status_history"] if s["source"]}
        assert (titles.get("fr") == title) is (statuses[0] == 200), f"round {round_}"
        assert (source in sources) is (statuses[1] == 201), f"round {round_}"
        refused = title_response if statuses[0] == 412 else status_response
        assert refused.json()["current"] == stored, f"round {round_}"


# -- a server killed mid-write ----------------------------------------------------------------

HOLDING_THE_PROJECT_ROW = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE a.application_name = :name AND a.wait_event_type = 'Lock' "
    "AND c.relname = 'project' AND l.mode = 'RowExclusiveLock' AND l.granted"
)


def test_a_server_killed_mid_edit_leaves_the_database_unchanged(
    backend: str, databases: DatabaseFactory, tmp_path: Path
) -> None:
    """The edit is held mid-way: the change log's table is locked from outside, so the
    server has updated the project's rows and waits to log them. Killed there, nothing of
    the edit stays."""
    if backend != "postgresql":
        pytest.skip("a SQLite write cannot be held open from another process")
    url = databases.report_url()
    database = make_url(url).database
    name = f"devagenda-kill-edit-{database}"
    context = AppContext.for_url(url)
    token = editor_token(context)
    server = Server(f"{url}?application_name={name}", tmp_path / "serve.log")
    outside = create_engine(url)
    watcher = create_engine(url)  # pg_class, which names the locked tables, is per database
    try:
        server.wait_until_it_answers()
        headers = {"Authorization": f"Bearer {token}", "If-Match": "*"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            assert client.get("/api/me").status_code == 200  # the token's last use is noted
            with context.sessions() as session:
                countries = session.scalars(text("SELECT alpha3 FROM country ORDER BY alpha3"))
                beneficiaries = list(countries)[:300]
            large = {
                "beneficiaries": beneficiaries,
                "outputs": [{"kind": "study", "title": f"Study {n}"} for n in range(200)],
                "titles": {"fr": {"text": "Tourisme gastronomique " * 200}},
                "sector": "IES",
                "source": "editor",
            }
            # The request's authentication notes the token's use in a transaction of its
            # own, before the edit: that is no part of the edit.
            before = snapshot(context, without=("api_token",))
            with outside.connect() as lock:
                lock.execute(text("LOCK TABLE change_entry IN SHARE ROW EXCLUSIVE MODE"))
                answered: list[httpx.Response] = []
                sending = threading.Thread(
                    target=lambda: _send_ignoring_the_kill(client, large, answered), daemon=True
                )
                sending.start()
                deadline = time.monotonic() + 60
                with watcher.connect() as watch:
                    while not watch.scalar(HOLDING_THE_PROJECT_ROW, {"name": name}):
                        assert not answered, f"the edit was not held: {answered[0].text}"
                        assert time.monotonic() < deadline, "the edit never reached its log"
                        assert server.process.poll() is None, server.log.read_text()
                        time.sleep(0.02)
                server.process.send_signal(signal.SIGKILL)
                assert server.process.wait() == -signal.SIGKILL
                sending.join(timeout=30)
                lock.rollback()
        # The server died before it sent COMMIT: the transaction it left on the server can
        # only roll back (PostgreSQL ends it once it notices the lost client; the database
        # is dropped at the end of the run in any case), and none of the edit is stored.
        assert snapshot(context, without=("api_token",)) == before
    finally:
        server.stop()
        outside.dispose()
        watcher.dispose()
        context.engine.dispose()


def _send_ignoring_the_kill(
    client: httpx.Client, body: dict[str, Any], answered: list[httpx.Response]
) -> None:
    with suppress(httpx.TransportError):  # killed before it answers, as the test wants
        answered.append(client.patch(f"/api/projects/{PROJECT}", json=body))
