"""No traceback reaches a user: every failure of the command line is one line (or one
JSON object under --json) on stderr with its documented exit status, on SQLite and
PostgreSQL; the loser of two ingests run at once is told to try again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext
from devagenda.core.errors import ExitStatus

REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "dg-report-da-2023.zh.txt"
runner = CliRunner()


def run(url: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database-url", url, *args], env=env)


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    """The error line; fails on a traceback or on more than one line."""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def cut_in_a_character(data: bytes, near: int = 50_000) -> bytes:
    """`data` cut before a UTF-8 continuation byte: its last character is incomplete."""
    return data[: next(i for i in range(near, len(data)) if data[i] & 0xC0 == 0x80)]


@pytest.fixture
def initialized(initialized_database: AppContext) -> str:
    return initialized_database.settings.database_url


def test_unreachable_database() -> None:
    result = run("postgresql://nobody@127.0.0.1:1/nowhere", "countries", "list")
    assert result.exit_code == ExitStatus.DATABASE
    line = one_line(result)
    assert "cannot use the database at postgresql://nobody@127.0.0.1:1/nowhere" in line
    assert "check that the server runs" in line


def test_malformed_database_url() -> None:
    result = run("postgresql://::no", "countries", "list")
    assert result.exit_code == ExitStatus.INPUT
    assert "not a database URL" in one_line(result)


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.sqlite3"
    result = run(f"sqlite:///{missing}", "ingest", str(REPORT))
    assert result.exit_code == ExitStatus.DATABASE
    line = one_line(result)
    assert f"the folder {missing.parent} does not exist" in line and "create it" in line


def test_errors_are_json_under_json(tmp_path: Path) -> None:
    missing = tmp_path / "absent" / "x.sqlite3"
    result = run(f"sqlite:///{missing}", "countries", "resolve", "中国", "--json")
    assert result.exit_code == ExitStatus.DATABASE
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert (error["error"], error["exit_status"]) == ("database", ExitStatus.DATABASE)
    assert "does not exist" in error["message"]


def test_countries_resolve_on_a_fresh_database(empty_database: AppContext) -> None:
    """Every command that opens the database creates it first."""
    result = run(empty_database.settings.database_url, "countries", "resolve", "坦桑尼亚", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["country"]["alpha3"] == "TZA"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.pdf", b"%PDF-1.6\n", "PDF is not supported: export the report to .docx or text"),
        ("cut.txt", cut_in_a_character(REPORT.read_bytes()), "ends in the middle of a character"),
        ("shopping.txt", b"milk\neggs\n", "not a Director General's report"),
    ],
    ids=["pdf", "cut-in-a-character", "not-a-report"],
)
def test_a_bad_report_file(
    initialized: str, tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run(initialized, "ingest", str(path))
    assert result.exit_code == ExitStatus.INPUT
    assert words in one_line(result)
    as_json = run(initialized, "ingest", str(path), "--json")
    assert json.loads(as_json.stderr)["exit_status"] == ExitStatus.INPUT


def test_replacing_needs_replace_and_lists_versions(initialized: str, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("\n".join(REPORT.read_text(encoding="utf-8").split("\n")[:60]), "utf-8")
    loaded = run(initialized, "ingest", str(draft), "--partial", "--json")
    assert loaded.exit_code == 0, loaded.output
    summary = json.loads(loaded.stdout)
    assert (summary["outcome"], summary["partial"], summary["version"]) == ("loaded", True, 1)
    assert summary["database"]
    whole = run(initialized, "ingest", str(REPORT), "--json")
    assert whole.exit_code == ExitStatus.NEEDS_CONFIRMATION
    error = json.loads(whole.stderr)
    assert error["error"] == "needs_replace"
    assert error["changes"]["counts_before"]["paragraphs"] == 22
    assert error["changes"]["counts_after"]["paragraphs"] == 80
    listing = run(initialized, "reports", "list", "--json")
    (edition,) = json.loads(listing.stdout)
    assert (edition["edition"], edition["partial"], edition["current_version"]) == (
        "dg-report/2023/zh",
        True,
        1,
    )
    bad = run(initialized, "reports", "restore", "2023/zh", "5")
    assert bad.exit_code == ExitStatus.INPUT
    assert "has no version 5" in one_line(bad)


def test_an_unexpected_error_is_one_line_unless_debugging(
    initialized: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import devagenda.reports.ingest_runs as ingest_runs

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(ingest_runs, "run_ingest", broken)
    result = run(initialized, "ingest", str(REPORT))
    assert result.exit_code == ExitStatus.BUG
    line = one_line(result)
    assert "unexpected RuntimeError: boom — this is a bug" in line
    assert "DEVAGENDA_DEBUG=1" in line
    debugging = run(initialized, "ingest", str(REPORT), env={"DEVAGENDA_DEBUG": "1"})
    assert isinstance(debugging.exception, RuntimeError)


def test_the_loser_of_two_ingests_is_told_to_try_again(initialized: str, backend: str) -> None:
    """One writer holds the database (SQLite: the write lock; PostgreSQL: the edition's
    row, not yet committed); the ingest that runs meanwhile fails in one line."""
    context = AppContext.for_url(initialized)
    release = _hold_the_database(context, backend)
    try:
        result = run(initialized, "ingest", str(REPORT))
    finally:
        release()
        context.engine.dispose()
    assert result.exit_code == ExitStatus.BUSY, result.output
    line = one_line(result)
    assert "another process" in line and ("try again" in line or "run the command again" in line)


def _hold_the_database(context: AppContext, backend: str):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        path = context.engine.url.database
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        return lambda: (holder.rollback(), holder.close())
    connection = context.engine.connect()
    transaction = connection.begin()
    connection.execute(
        text("INSERT INTO source (kind, key, title) VALUES ('report', :key, 'held')"),
        {"key": "dg-report/2023/zh"},
    )
    # Committed while the ingest waits on the same key: it then loses the race.
    timer = threading.Timer(6.0, transaction.commit)
    timer.start()

    def release() -> None:
        timer.join()
        connection.close()

    return release


def test_a_reader_that_stops_reading_is_not_an_error(loaded_report_database: AppContext) -> None:
    """`devagenda projects list | head -1`: the pipe closes before the command writes."""
    command = [sys.executable, "-m", "devagenda", "projects", "list"]
    environment = {
        **os.environ,
        "DEVAGENDA_DATABASE_URL": loaded_report_database.settings.database_url,
    }
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # nobody reads: every write the command makes hits a closed pipe
    errors = process.stderr.read().decode()
    assert process.wait() == ExitStatus.OK
    assert errors == ""


def test_an_import_run_again_in_a_new_process_changes_nothing_and_a_changed_file_asks(
    initialized: str, tmp_path: Path
) -> None:
    """Each command is its own process, as a user runs them: the second run of a file
    stores nothing new, and a file that changes a stored post is refused with status 3
    naming the row, until --replace (a process that had not loaded every table once broke
    the second run with a traceback-like bug line)."""
    first = tmp_path / "posts.csv"
    first.write_text(
        "key,side,title_en,owner,countries\nNEED-1,need,Training,KIPI,KE\n", encoding="utf-8"
    )
    changed = tmp_path / "changed.csv"
    changed.write_text("key,side,countries\nNEED-1,need,UG\n", encoding="utf-8")

    def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "devagenda", "--database-url", url, *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    for _ in range(2):
        again = run(initialized, "match", "import", str(first), "--json")
        assert again.returncode == ExitStatus.OK, again.stderr
    refused = run(initialized, "match", "import", str(changed), "--json")
    assert refused.returncode == ExitStatus.NEEDS_CONFIRMATION, refused.stderr
    problem = json.loads(refused.stderr)  # --json: the error is JSON on stderr
    assert problem["changes"]["replaced"][0]["changes"] == ["country KEN removed"]
    replaced = run(initialized, "match", "import", str(changed), "--replace", "--json")
    assert replaced.returncode == ExitStatus.OK, replaced.stderr
