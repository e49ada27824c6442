"""Backup and restore of the whole knowledge base: `export --all` and `import --all`.

The source is a SQLite database holding the reference data, the 2023 report with its
stored version (the file's bytes) and ingest runs, and catalogue facts (budgets as
decimals, outputs, fact sources); each backend restores it, exports it again, and a new
SQLite database restores that: every file is the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from tests.conftest import POSTGRES_SERVER, REPORT_2023, DatabaseFactory
from tests.helpers import snapshot
from typer.testing import CliRunner

from devagenda.backup.archive import MANIFEST, ArchiveReader
from devagenda.backup.services import export_all, restore_all
from devagenda.bootstrap import initialize
from devagenda.catalogue.services import import_catalogue
from devagenda.cli import app
from devagenda.core.context import AppContext
from devagenda.core.errors import ExitStatus, ReplaceRefused
from devagenda.core.models import SourceLocation
from devagenda.reports.ingest_runs import run_ingest
from devagenda.reports.models import IngestRun, ReportVersion
from devagenda.search.models import SearchEntry

CATALOGUE = REPORT_2023.parents[1] / "catalogue" / "da-projects-sample.csv"
runner = CliRunner()


def cli(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database-url", url, *args])


# A budget with cents and an output with its address, beside the shipped sample's rows.
BUDGET = (
    "title_zh,budget_chf,outputs,source\n"
    "专业数据库接入和支持——第一阶段,1018000.50,"
    "guide: 使用指南 https://dacatalogue.wipo.int/projects,CDIP/10/6\n"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder = tmp_path_factory.mktemp("source")
    context = AppContext.for_url(f"sqlite:///{folder}/source.sqlite3")
    initialize(context)
    run_ingest(context, REPORT_2023)
    budget = folder / "budget.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    for facts in (CATALOGUE, budget):
        with context.transaction() as session:
            import_catalogue(session, facts)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def backup(source: AppContext, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backup") / "knowledge-base.zip"
    export_all(source, path)
    return path


@pytest.fixture(scope="module")
def restored(databases: DatabaseFactory, backup: Path) -> Iterator[AppContext]:
    """A database of the backend under test holding the restored backup."""
    context = AppContext.for_url(databases.new_url())
    restore_all(context, backup)
    yield context
    context.engine.dispose()


def _index(context: AppContext) -> list[tuple]:
    columns = [c for c in SearchEntry.__table__.columns if c.name != "id"]
    with context.engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(select(*columns)))


def test_round_trip_is_byte_identical(
    source: AppContext, backup: Path, restored: AppContext, tmp_path: Path
) -> None:
    """SQLite -> this backend -> SQLite: each export is the same bytes as the first."""
    again = tmp_path / "again.zip"
    export_all(restored, again)
    assert again.read_bytes() == backup.read_bytes()

    sqlite = AppContext.for_url(f"sqlite:///{tmp_path}/back.sqlite3")
    restore_all(sqlite, again)
    third = tmp_path / "third.zip"
    export_all(sqlite, third)
    sqlite.engine.dispose()
    assert third.read_bytes() == backup.read_bytes()

    with restored.transaction() as session:
        version = session.scalars(select(ReportVersion)).one()
        assert version.content == REPORT_2023.read_bytes()
        assert session.scalar(select(func.count()).select_from(IngestRun)) == 1
    # The search index is left out of the file and rebuilt: the same entries as the source's.
    assert _index(restored) == _index(source)
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = archive.namelist()
    assert not any(name.startswith("tables/search_") for name in names)
    assert "search_entry" in manifest["rebuilt"]
    by_name = {table["name"]: table for table in manifest["tables"]}
    assert by_name["project_budget"]["rows"] > 0 and by_name["report_version"]["rows"] == 1


def test_export_json_and_its_refusals(source: AppContext, backup: Path, tmp_path: Path) -> None:
    url = source.settings.database_url
    path = tmp_path / "cli.zip"
    result = cli(url, "export", "--all", str(path), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["sha256"] == hashlib.sha256(backup.read_bytes()).hexdigest()
    assert path.read_bytes() == backup.read_bytes()  # the same content, the same bytes
    assert summary["rows"] == sum(table["rows"] for table in summary["tables"]) > 3000

    for args, field in ((["export", str(path)], "--all"), (["export", "--all", str(path)], None)):
        refused = cli(url, *args, "--json")
        assert refused.exit_code == ExitStatus.INPUT
        error = json.loads(refused.stderr)
        assert error["field"] == field
        assert ("--all" in error["message"]) if field else ("exists" in error["message"])
    assert path.read_bytes() == backup.read_bytes()


def test_a_database_with_data_of_its_own_is_replaced_only_when_asked(
    restored: AppContext, backup: Path, tmp_path: Path
) -> None:
    before = snapshot(restored)
    with pytest.raises(ReplaceRefused, match="holds data of its own"):
        restore_all(restored, backup)
    assert snapshot(restored) == before

    # Data of its own: another ingest run (a later write works on the restored database).
    run_ingest(restored, REPORT_2023)
    url = restored.settings.database_url
    refused = cli(url, "import", "--all", str(backup), "--json")
    assert refused.exit_code == ExitStatus.NEEDS_CONFIRMATION
    error = json.loads(refused.stderr)
    assert "holds data of its own" in error["message"] and "--replace" in error["message"]
    assert {"name": "ingest_run", "rows": 2} in error["changes"]["replaced"]

    copy = tmp_path / "replaced.zip"
    result = cli(
        url, "import", "--all", str(backup), "--replace", "--keep-copy", str(copy), "--json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["replaced_copy"] == str(copy)
    assert {"name": "ingest_run", "rows": 2} in summary["replaced"]
    # What was replaced is kept: the copy is a whole backup holding both runs.
    with ArchiveReader(copy) as kept:
        kept.verify()
        runs = next(table for table in kept.manifest.tables if table.name == "ingest_run")
        assert runs.rows == 2
    exported = tmp_path / "after.zip"
    export_all(restored, exported)
    assert exported.read_bytes() == backup.read_bytes()


def _rewritten(backup: Path, change) -> bytes:  # type: ignore[no-untyped-def]
    """The backup with `change(name, data)` applied to every entry."""
    target = io.BytesIO()
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, change(info.filename, source.read(info)))
    return target.getvalue()


def _manifest(change):  # type: ignore[no-untyped-def]
    def edit(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()

    return edit


def _forged(table: str, column: int, value: object):  # type: ignore[no-untyped-def]
    """The backup with one value of the first row of `table` changed and the checksum made
    to match: found only while the rows are written, after the earlier tables."""

    def make(backup: Path) -> bytes:
        entry = f"tables/{table}.jsonl"
        with zipfile.ZipFile(backup) as source:
            lines = source.read(entry).split(b"\n")
        row = json.loads(lines[0])
        row[column] = value
        lines[0] = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()
        forged = b"\n".join(lines)

        def change(manifest: dict) -> None:  # type: ignore[type-arg]
            for data in manifest["tables"]:
                if data["name"] == table:
                    data["sha256"] = hashlib.sha256(forged).hexdigest()

        edit = _manifest(change)
        return _rewritten(backup, lambda name, data: forged if name == entry else edit(name, data))

    return make


DAMAGED = {
    # name: (the file from the backup's bytes, words of the error)
    "cut-off": (lambda backup: backup.read_bytes()[: backup.stat().st_size // 2], "not a zip"),
    "edited-table": (
        lambda backup: _rewritten(
            backup,
            lambda name, data: (
                data.replace("乌干达".encode(), b"X")
                if name == "tables/country_name.jsonl"
                else data
            ),
        ),
        "country_name does not match its SHA-256",
    ),
    "unknown-schema": (
        lambda backup: _rewritten(backup, _manifest(lambda m: m.update(schema_revision="0999"))),
        "schema revision 0999",
    ),
    # A project title of no project; a recommendation "immediate" that is not a boolean.
    "forged-row": (_forged("project_title", 0, 99_999), "rows 1-110 break a rule"),
    "forged-value": (_forged("recommendation", 2, "yes"), "column immediate: 'yes' is not"),
    "newer-format": (
        lambda backup: _rewritten(backup, _manifest(lambda m: m.update(format_version=2))),
        "upgrade devagenda",
    ),
}


def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_written(
    restored: AppContext, backup: Path, tmp_path: Path
) -> None:
    before = snapshot(restored)
    url = restored.settings.database_url
    for name, (make, words) in DAMAGED.items():
        path = tmp_path / f"{name}.zip"
        path.write_bytes(make(backup))
        copy = tmp_path / f"{name}-copy.zip"
        result = cli(
            url, "import", "--all", str(path), "--replace", "--keep-copy", str(copy), "--json"
        )
        assert result.exit_code == ExitStatus.INPUT, (name, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (name, result.stderr)
        error = json.loads(lines[0])
        assert error["error"] == "backup_file" and error["path"] == str(path)
        assert words in error["message"], (name, error["message"])
        if not name.startswith("forged"):  # refused before a database is even created
            fresh = tmp_path / f"{name}.sqlite3"
            assert cli(f"sqlite:///{fresh}", "import", "--all", str(path)).exit_code == 2
            assert not fresh.exists()
    assert snapshot(restored) == before


@pytest.fixture(scope="module")
def large_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup big enough that its import runs for seconds: 200,000 file locations."""
    folder = tmp_path_factory.mktemp("large")
    context = AppContext.for_url(f"sqlite:///{folder}/large.sqlite3")
    initialize(context)
    with context.engine.begin() as connection:
        first = connection.scalar(select(func.max(SourceLocation.id)))
        rows = [{"id": first + n, "source_id": 1, "line": n} for n in range(1, 200_001)]
        connection.execute(SourceLocation.__table__.insert(), rows)
    path = folder / "large.zip"
    export_all(context, path)
    context.engine.dispose()
    return path


def _wait_until(condition, process: subprocess.Popen[bytes], what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the import ended before {what}: {process.stderr.read()!r}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the import never got to {what}")
        time.sleep(0.02)


def test_a_killed_import_leaves_the_database_unchanged(
    backend: str, databases: DatabaseFactory, large_backup: Path
) -> None:
    """SIGKILL once the import has written (SQLite: pages in its WAL; PostgreSQL: its
    transaction holds an id, given at the first write): nothing of it stays."""
    url = databases.new_url()
    if backend == "postgresql":
        url += "&application_name=devagenda-kill-test-" + url.rsplit("%3D", 1)[1]
    target = AppContext.for_url(url)
    initialize(target)
    before = snapshot(target)
    target.engine.dispose()
    if backend == "sqlite":
        assert not Path(url.removeprefix("sqlite:///") + "-wal").exists()

    command = [sys.executable, "-m", "devagenda.cli", "--database-url", url]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [*command, "import", "--all", str(large_backup)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if backend == "sqlite":
        # Closed, the database has no write-ahead log left; the import's pages reach it
        # before its commit only when they outgrow SQLite's page cache, mid-way.
        wal = Path(url.removeprefix("sqlite:///") + "-wal")
        _wait_until(lambda: wal.exists() and wal.stat().st_size > 0, process, "writing")
    else:
        name = url.rsplit("application_name=", 1)[1]
        server = create_engine(POSTGRES_SERVER)
        query = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = :name AND backend_xid IS NOT NULL"
        )

        def writing() -> bool:
            with server.connect() as connection:
                return bool(connection.scalar(query, {"name": name}))

        _wait_until(writing, process, "writing")
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    if backend == "postgresql":
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with server.connect() as connection:
                if not connection.scalar(gone, {"name": name}):
                    break
            time.sleep(0.05)
        server.dispose()
    after = AppContext.for_url(url)
    assert snapshot(after) == before
    after.engine.dispose()
