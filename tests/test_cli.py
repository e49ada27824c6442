"""The command line: init, countries resolve/list, and the --json contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.reference.report_names import REPORT_COUNTRY_NAMES
from typer.testing import CliRunner

from devagenda import __version__
from devagenda.cli import COMMANDS, app
from devagenda.core.context import AppContext

runner = CliRunner()


def run(context: AppContext, *args: str):  # type: ignore[no-untyped-def]
    url = context.settings.database_url
    return runner.invoke(app, ["--database-url", url, *args])


@pytest.fixture
def cli_database(empty_database: AppContext) -> AppContext:
    result = run(empty_database, "init", "--json")
    assert result.exit_code == 0, result.output
    return empty_database


def test_init_json_reports_what_it_loaded(cli_database: AppContext) -> None:
    result = run(cli_database, "init", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["loaded"]["recommendations"] == 45
    assert summary["loaded"]["countries"] >= 193
    assert summary["schema_revision"]


def test_resolve_chinese_and_english_names(cli_database: AppContext) -> None:
    names = ["坦桑尼亚联合共和国", "Bolivia", "多民族玻利维亚国", "土耳其", "Türkiye", "TZA"]
    result = run(cli_database, "countries", "resolve", *names[:-1], "--json")
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)
    assert [a["country"]["alpha3"] for a in answers] == ["TZA", "BOL", "BOL", "TUR", "TUR"]
    assert answers[0]["country"]["development_status"] == "ldc"


def test_resolve_a_group(cli_database: AppContext) -> None:
    result = run(cli_database, "countries", "resolve", "非洲集团", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)[0]
    assert answer["country"] is None
    assert answer["group"]["name_en"] == "African Group"


def test_misspelled_name_is_an_error_with_candidates(cli_database: AppContext) -> None:
    result = run(cli_database, "countries", "resolve", "Tanzanai")
    assert result.exit_code == 1
    assert "no country or group is called 'Tanzanai'" in result.stderr
    assert "TZA" in result.stderr

    result = run(cli_database, "countries", "resolve", "坦桑尼亚联合共国", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)[0]
    assert answer["country"] is None
    assert answer["candidates"][0]["key"] == "TZA"


def test_list_filters_and_json_only(cli_database: AppContext) -> None:
    result = run(cli_database, "countries", "list", "--status", "ldc", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)  # fails if anything but JSON was printed
    assert len(rows) == 45
    assert {row["development_status"] for row in rows} == {"ldc"}
    table = run(cli_database, "countries", "list", "--region", "arab")
    assert table.exit_code == 0
    assert "EGY" in table.stdout and "countries" in table.stdout


def test_bad_database_url_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--database-url", "mysql://nowhere/db", "init"])
    assert result.exit_code == 2
    assert "unsupported database 'mysql'" in result.stderr


def test_every_command_has_help() -> None:
    commands = (
        ["init"],
        ["ingest"],
        ["lint"],
        ["report", "build"],
        ["reports", "list"],
        ["reports", "restore"],
        ["search", "reindex"],
        ["countries", "resolve"],
        ["countries", "list"],
    )
    for command in commands:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "--json" in result.stdout


def test_resolve_every_country_the_2023_report_names(cli_database: AppContext) -> None:
    """The names collected from the report (tests/reference) resolve through the command,
    that is through the database, not only through the shipped files."""
    names = sorted(REPORT_COUNTRY_NAMES)
    result = run(cli_database, "countries", "resolve", *names, "--json")
    assert result.exit_code == 0, result.stderr
    answers = json.loads(result.stdout)
    assert {a["query"]: a["country"]["alpha3"] for a in answers} == REPORT_COUNTRY_NAMES


def test_search_reindex_rebuilds_the_index(cli_database: AppContext) -> None:
    result = run(cli_database, "search", "reindex", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    again = json.loads(run(cli_database, "search", "reindex", "--json").stdout)["entries"]
    assert entries == again > 300  # countries, recommendations, expected results, sectors...


def test_the_root_lists_each_command_with_its_own_help() -> None:
    """The root help lists commands from COMMANDS without importing them; the line shown
    there must be the one the command itself declares."""
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert " ".join(COMMANDS[name].help.split()) in " ".join(result.stdout.split())
    listing = runner.invoke(app, ["--help"])
    for name in COMMANDS:
        assert name in listing.stdout


def cli_process(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environment, check=False
    )


HEAVY_MODULES = ("fastapi", "uvicorn", "alembic", "openpyxl", "docx", "weasyprint", "jieba")


def test_help_imports_nothing_heavy() -> None:
    """`devagenda --help` must start fast: it loads no command module and nothing heavy."""
    probe = (
        "import sys\n"
        "from devagenda.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='devagenda')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY_MODULES)!r}\n"
        "             or m.startswith(('sqlalchemy', 'devagenda.web', 'devagenda.api'))))\n"
    )
    result = cli_process("-c", probe)
    assert result.returncode == 0, result.stderr
    assert "Commands" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m_runs_the_cli() -> None:
    result = cli_process("-m", "devagenda.cli", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"devagenda {__version__}"
