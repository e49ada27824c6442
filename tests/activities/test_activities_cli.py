"""`devagenda activities import` and `activities template` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.activities.conftest import PAGES
from tests.helpers import run_cli as run
from tests.helpers import snapshot
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext

runner = CliRunner()


def test_import_of_several_files_is_all_or_nothing(initialized_database: AppContext) -> None:
    good = PAGES / "activity-3409.html"
    bad = PAGES / "bad" / "misspelt.txt"
    before = snapshot(initialized_database)
    refused = run(initialized_database, "activities", "import", str(good), str(bad))
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert lines[0] == "error: 3 problems in 1 file, nothing stored"
    assert lines[1].strip().startswith(f"{bad}: line 3, field 'Type': unknown activity type")
    assert snapshot(initialized_database) == before
    done = run(initialized_database, "activities", "import", str(good), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)[0]["rows"] == 1


def test_template_writes_every_column(tmp_path: Path) -> None:
    out = tmp_path / "activities.csv"
    result = runner.invoke(app, ["activities", "template", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    columns = json.loads(result.stdout)["columns"]
    assert out.read_text("utf-8-sig").strip().split(",") == columns
    assert "code" in columns and "source" in columns


def test_list_filters_as_the_api_does(initialized_database: AppContext, tmp_path: Path) -> None:
    from sqlalchemy import text
    from tests.activities.conftest import varied_rows, write_csv

    path = write_csv(tmp_path / "rows.csv", varied_rows())
    assert run(initialized_database, "activities", "import", str(path)).exit_code == 0
    with initialized_database.engine.connect() as connection:
        wanted = {
            row[0]
            for row in connection.execute(
                text("SELECT id FROM activity WHERE mode = 'virtual' AND type IS NULL")
            )
        }
    assert wanted
    listed = run(initialized_database, "activities", "list", "--mode", "virtual", "--type", "none")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.strip().endswith(
        f"{len(wanted)} activit{'y' if len(wanted) == 1 else 'ies'}"
    )
    as_json = run(
        initialized_database, "activities", "list", "--mode", "virtual", "--type", "none", "--json"
    )
    assert {item["id"] for item in json.loads(as_json.stdout)} == wanted
    as_csv = run(initialized_database, "activities", "list", "--sort", "-participants", "--csv")
    assert as_csv.stdout.splitlines()[0].startswith("id,code,version,title_en")
    assert len(as_csv.stdout.splitlines()) == 1 + len(varied_rows())
    bad = run(initialized_database, "activities", "list", "--mode", "bogus")
    assert bad.exit_code == 2
    assert "--mode 'bogus'" in bad.stderr and "'in_person', 'virtual' or 'hybrid'" in bad.stderr


def test_demo_generate_and_remove_from_the_command_line(
    initialized_database: AppContext,
) -> None:
    before = snapshot(initialized_database)
    made = run(initialized_database, "demo", "generate", "--activities", "30", "--json")
    assert made.exit_code == 0, made.output
    written = json.loads(made.stdout)
    assert written["written"] == {"activities": 30}
    assert written["tables"]["activity"] == {"create": 30}
    again = run(initialized_database, "demo", "generate", "--activities", "5", "--json")
    assert again.exit_code != 0
    assert "devagenda demo remove" in json.loads(again.stderr)["message"]
    refused = run(initialized_database, "demo", "generate", "--consultants", "5")
    assert refused.exit_code != 0 and "30 activities" in refused.stderr  # 1,000 by default
    roster = run(
        initialized_database, "demo", "generate", "--activities", "0", "--consultants", "5"
    )
    assert roster.exit_code == 0 and "5 consultants" in roster.stdout, roster.output
    removed = run(initialized_database, "demo", "remove", "--json")
    assert removed.exit_code == 0, removed.output
    assert json.loads(removed.stdout)["removed"] == {"activities": 30, "consultants": 5}
    changing = ("change_entry", "list_chunk")  # the log of both runs; chunk tokens
    assert snapshot(initialized_database, without=changing) == {
        k: v for k, v in before.items() if k not in changing
    }
