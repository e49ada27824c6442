"""The command line: init, countries, the lists, the --json/--csv contract, piped output,
and start-up that imports only what the command needs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator

import pytest
from fastapi.testclient import TestClient
from tests.helpers import run_cli as run
from tests.reference.report_names import REPORT_COUNTRY_NAMES
from typer.testing import CliRunner

from devagenda import __version__
from devagenda.api import create_app
from devagenda.cli import COMMANDS, app, counted
from devagenda.core.context import AppContext
from devagenda.core.schema import current_revision, head_revision

runner = CliRunner()


@pytest.fixture
def cli_database(initialized_database: AppContext) -> AppContext:
    """A database of the test's own after `devagenda init`."""
    return initialized_database


def test_init_json_reports_what_it_loaded(empty_database: AppContext) -> None:
    first = run(empty_database, "init", "--json")
    assert first.exit_code == 0, first.output
    result = run(empty_database, "init", "--json")
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
        ["projects", "list"],
        ["recommendations", "list"],
        ["sessions", "list"],
        ["catalogue", "import"],
        ["catalogue", "template"],
        ["activities", "import"],
        ["activities", "template"],
        ["iati", "export"],
        ["consultants", "import"],
        ["consultants", "template"],
        ["consultants", "list"],
        ["consultants", "show"],
        ["consultants", "aggregates"],
        ["match", "import"],
        ["match", "template"],
        ["match", "list"],
        ["match", "suggest"],
        ["match", "interest"],
        ["match", "move"],
        ["match", "counts"],
        ["flexibilities", "import"],
        ["flexibilities", "template"],
        ["flexibilities", "categories"],
        ["flexibilities", "list"],
        ["flexibilities", "compare"],
        ["changes", "list"],
        ["changes", "show"],
        ["changes", "revert"],
        ["export"],
        ["import"],
        ["users", "create"],
        ["users", "list"],
        ["users", "disable"],
        ["users", "enable"],
        ["tokens", "create"],
        ["tokens", "list"],
        ["tokens", "revoke"],
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


def modules_imported_by(*argv: str) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """The modules a command run imports (it must exit with 0 or 1), and the run."""
    probe = (
        "import json, sys\n"
        "from devagenda.cli import app\n"
        "try:\n"
        f"    app({list(argv)!r}, prog_name='devagenda')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (None, 0, 1), exit.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = cli_process("-c", probe)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def imported(modules: list[str], roots: Iterable[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in set(roots)]


# What `countries resolve` leaves out on a SQLite file: the database is read with plain
# sqlite3 (no SQLAlchemy, whose ORM is half a second), and a name found exactly needs no
# fuzzy matching (rapidfuzz).
QUICK_RESOLVE_SKIPS = (*HEAVY_MODULES, "sqlalchemy", "rapidfuzz", "numpy", "pycountry", "psycopg")


def test_resolving_a_name_imports_no_web_stack_alembic_or_writers(
    cli_database: AppContext, backend: str
) -> None:
    """`countries resolve` on a current database: the schema check reads the version by
    plain SQL (no Alembic), and nothing of the web UI, the API or the report writers. On
    SQLite it imports no SQLAlchemy either, nor rapidfuzz for a name found exactly."""
    url = cli_database.settings.database_url
    modules, result = modules_imported_by("--database-url", url, "countries", "resolve", "Uganda")
    assert "UGA" in result.stdout
    assert [m for m in modules if m.startswith(("devagenda.web", "devagenda.api"))] == []
    assert imported(modules, HEAVY_MODULES) == []
    if backend == "sqlite":
        assert imported(modules, QUICK_RESOLVE_SKIPS) == []
        assert "devagenda.reference.services" not in modules
    else:
        assert "sqlalchemy.orm" in modules  # PostgreSQL is read through the service


def test_an_unknown_name_loads_fuzzy_matching_but_not_sqlalchemy(
    cli_database: AppContext, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL the command reads through SQLAlchemy")
    url = cli_database.settings.database_url
    modules, result = modules_imported_by(
        "--database-url", url, "countries", "resolve", "乌干达", "Tanzanai"
    )
    assert "UGA" in result.stdout and "TZA" in result.stderr
    assert "rapidfuzz" in modules
    assert imported(modules, ("sqlalchemy", "jieba", "numpy", "psycopg", *HEAVY_MODULES)) == []


# What `search` leaves out on a SQLite file: no SQLAlchemy, no pkg_resources (which jieba
# would import), nor numpy's masked arrays; jieba's dictionary is read word by word from its
# copy (tests/search/test_dictionary.py), never loaded whole.
QUICK_SEARCH_SKIPS = (
    *(m for m in HEAVY_MODULES if m != "jieba"),
    "sqlalchemy",
    "rapidfuzz",
    "pycountry",
    "psycopg",
    "pkg_resources",
)


@pytest.mark.parametrize("query", ["乌干达", "women"])
def test_search_imports_no_sqlalchemy_on_sqlite(
    cli_database: AppContext, backend: str, query: str
) -> None:
    url = cli_database.settings.database_url
    modules, result = modules_imported_by("--database-url", url, "search", query)
    assert "found" in result.stdout
    assert [m for m in modules if m.startswith(("devagenda.web", "devagenda.api"))] == []
    assert imported(modules, ("fastapi", "uvicorn", "alembic", "openpyxl", "docx")) == []
    if backend == "sqlite":
        assert imported(modules, QUICK_SEARCH_SKIPS) == []
        assert "numpy.ma" not in modules
        assert "devagenda.search.sync" not in modules  # nothing is written
    else:
        assert "sqlalchemy.orm" in modules


def test_resolve_on_sqlite_answers_as_on_the_service_path(
    cli_database: AppContext, backend: str
) -> None:
    """The same names through the command (plain sqlite3 on SQLite) and through the
    service on a session: the same JSON, candidates included."""
    from devagenda.reference.services import resolve_names

    names = ["Uganda", "乌干达", "Tanzanai", "非洲集团", "Türkiye", "the Gambia", "Atlantis"]
    result = run(cli_database, "countries", "resolve", *names, "--json")
    assert result.exit_code == 1  # Tanzanai and Atlantis are unknown
    with cli_database.transaction() as session:
        expected = [r.model_dump(mode="json") for r in resolve_names(session, names)]
    assert json.loads(result.stdout) == expected


def test_python_dash_m_runs_the_cli() -> None:
    result = cli_process("-m", "devagenda.cli", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"devagenda {__version__}"


def every_command() -> Iterator[list[str]]:
    for name in COMMANDS:
        group = runner.invoke(app, [name, "--help"])
        if "Commands" not in group.stdout:
            yield [name]
            continue
        section = group.stdout.split("Commands", 1)[1]
        for line in section.splitlines():
            words = line.strip("│ ").split()
            if words and words[0].isidentifier():
                yield [name, words[0]]


def test_no_flag_shows_a_type() -> None:
    """`--json <bool>` reads as if the flag took a value; types are for options that do."""
    helps = [runner.invoke(app, ["--help"]).stdout]
    helps += [runner.invoke(app, [*command, "--help"]).stdout for command in every_command()]
    assert len(helps) > len(COMMANDS)
    assert all("<bool>" not in text for text in helps)
    assert all("<str>" in text or "--database-url" not in text for text in helps)


def test_counted_uses_the_right_plural() -> None:
    assert counted(1, "country", "countries") == "1 country"
    assert counted(0, "country", "countries") == "0 countries"
    assert counted(2, "project") == "2 projects"
    assert counted(1234, "entry", "entries") == "1,234 entries"


def test_piped_tables_are_tab_separated_and_not_cut(cli_database: AppContext) -> None:
    """CliRunner's stdout is not a terminal, as with a pipe: TSV with a header row, every
    value whole however long the line."""
    result = run(cli_database, "countries", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "alpha3",
        "alpha2",
        "M49",
        "English",
        "中文",
        "region",
        "status",
    ]
    rows = [line.split("\t") for line in lines[1:-1]]
    assert all(len(row) == 7 for row in rows)
    british = next(row for row in rows if row[0] == "GBR")
    assert british[3] == "United Kingdom of Great Britain and Northern Ireland"
    assert max(len(line) for line in lines) > 80
    assert lines[-1] == f"{len(rows)} countries"
    one = run(cli_database, "projects", "list")
    assert one.stdout.splitlines()[-1] == "0 projects"


@pytest.fixture(scope="module")
def report_database(loaded_report_database: AppContext) -> AppContext:
    """The 2023 report loaded, for the lists; read-only."""
    return loaded_report_database


@pytest.fixture(scope="module")
def api(report_database: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(report_database)) as client:
        yield client


LISTS = [
    ("projects", [], ""),
    ("projects", ["--region", "africa"], "region=africa"),
    ("projects", ["--session", "30"], "session=30"),
    ("projects", ["--year", "2023"], "year=2023"),
    ("projects", ["--beneficiary", "uga"], "beneficiary=uga"),
    ("projects", ["--cluster", "b"], "cluster=b"),
    ("recommendations", [], ""),
    ("recommendations", ["--cluster", "B", "--immediate"], "cluster=B&immediate=true"),
    ("recommendations", ["--not-immediate"], "immediate=false"),
    ("sessions", [], ""),
]


@pytest.mark.parametrize(("noun", "options", "query"), LISTS)
def test_lists_export_what_the_api_exports(  # type: ignore[no-untyped-def]
    report_database: AppContext, api: TestClient, noun: str, options: list[str], query: str
) -> None:
    """The same filters give the same rows as the API's format=json and format=csv."""
    as_json = run(report_database, noun, "list", *options, "--json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    expected = api.get(f"/api/{noun}?{query}&format=json")
    assert expected.status_code == 200
    assert rows == expected.json()
    assert rows, "every case in LISTS selects something on the 2023 data"

    as_csv = run(report_database, noun, "list", *options, "--csv")
    assert as_csv.exit_code == 0, as_csv.output
    # CliRunner reads with universal newlines; both write the RFC 4180 "\r\n".
    api_csv = api.get(f"/api/{noun}?{query}&format=csv").text
    assert as_csv.stdout == api_csv.replace("\r\n", "\n")
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == len(rows)

    table = run(report_database, noun, "list", *options)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert len(lines) == len(rows) + 2  # header, rows, count
    assert lines[-1] == counted(len(rows), noun[:-1], noun)


def test_filters_narrow_the_lists(report_database: AppContext) -> None:
    every = json.loads(run(report_database, "projects", "list", "--json").stdout)
    african = json.loads(
        run(report_database, "projects", "list", "--region", "africa", "--json").stdout
    )
    assert 0 < len(african) < len(every)
    cluster_b = json.loads(
        run(report_database, "recommendations", "list", "--cluster", "b", "--json").stdout
    )
    assert {r["cluster"]["letter"] for r in cluster_b} == {"B"}
    assert len(cluster_b) < 45


def test_list_options_mirror_the_api_filters() -> None:
    """Every filter the API takes is an option of the CLI list, under the same name."""
    from devagenda.catalogue.schemas import ProjectFilter, RecommendationFilter

    for noun, model in (("projects", ProjectFilter), ("recommendations", RecommendationFilter)):
        text = runner.invoke(app, [noun, "list", "--help"]).stdout
        for field in model.model_fields:
            assert "--" + field.replace("_", "-") in text, (noun, field)


def test_a_bad_filter_is_one_line_naming_the_option(cli_database: AppContext) -> None:
    result = run(cli_database, "projects", "list", "--cluster", "BB", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: --cluster 'BB'")
    assert "A-F" in lines[0]
    both = run(cli_database, "sessions", "list", "--json", "--csv")
    assert both.exit_code == 2
    assert "--json and --csv" in both.stderr


def test_list_commands_create_the_database_first(empty_database: AppContext) -> None:
    result = run(empty_database, "recommendations", "list", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 45
    assert current_revision(empty_database.engine) == head_revision()


def test_countries_commands_create_the_database_first(empty_database: AppContext) -> None:
    result = run(empty_database, "countries", "resolve", "乌干达", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["country"]["alpha3"] == "UGA"
    assert current_revision(empty_database.engine) == head_revision()


def test_a_mistyped_command_gets_a_suggestion() -> None:
    """Commands load lazily; suggestions still cover every one of them."""
    result = runner.invoke(app, ["projcts", "list"])
    assert result.exit_code == 2
    assert "No such command 'projcts'. Did you mean 'projects'?" in result.output
