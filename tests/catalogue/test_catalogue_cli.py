"""`devagenda catalogue import` and `catalogue template` from the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.helpers import run_cli as run
from tests.helpers import snapshot
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "catalogue" / "da-projects-sample.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A copy of the 2023 report's database for this module, whose tests write to it."""
    with databases.report_copy() as context:
        yield context


def test_a_bad_file_lists_every_problem_and_stores_nothing(
    loaded: AppContext, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,title_zh,recommendations,source\n"
        ',知识产权与竞争政策,"7, 46",CDIP/4/2\n'
        ",没有这个项目,8,CDIP/4/2\n",
        encoding="utf-8",
    )
    before = snapshot(loaded)
    result = run(loaded, "catalogue", "import", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {bad}: 2 problems, nothing stored"
    assert lines[1].strip().startswith(f"{bad}: row 2, column 'recommendations': 46 is not")
    assert lines[2].strip().startswith(f"{bad}: row 3, column 'title_zh': no stored project")
    assert "Traceback" not in result.output
    as_json = run(loaded, "catalogue", "import", str(bad), "--json")
    assert as_json.exit_code == 2
    problems = json.loads(as_json.stdout)["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "recommendations"), (3, "title_zh")]
    assert snapshot(loaded) == before


def test_the_sample_imports_and_says_what_it_stored(loaded: AppContext) -> None:
    result = run(loaded, "catalogue", "import", str(SAMPLE), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 7 and summary["facts"]["recommendation_links"] == 14
    assert summary["links"] == {"known": 14, "total": 55, "unknown": 41, "complete": False}
    text = run(loaded, "catalogue", "import", str(SAMPLE))
    assert text.exit_code == 0
    assert "Imported 7 rows" in text.stdout and "14 recommendation links" in text.stdout
    assert "known for 14 of 55 projects" in text.stdout  # the second import changed nothing


def test_templates(tmp_path: Path) -> None:
    xlsx = tmp_path / "catalogue.xlsx"
    result = runner.invoke(app, ["catalogue", "template", "--out", str(xlsx), "--json"])
    assert result.exit_code == 0, result.output
    columns = json.loads(result.stdout)["columns"]
    sheet = load_workbook(xlsx).worksheets[0]
    assert [cell.value for cell in sheet[1]] == columns and "source" in columns
    again = runner.invoke(app, ["catalogue", "template", "--out", str(xlsx)])
    assert again.exit_code == 2 and "already exists" in again.stderr  # never overwritten
    csv_file = tmp_path / "catalogue.csv"
    assert runner.invoke(app, ["catalogue", "template", "--out", str(csv_file)]).exit_code == 0
    assert csv_file.read_text(encoding="utf-8-sig").strip().split(",") == columns
    wrong = runner.invoke(app, ["catalogue", "template", "--out", str(tmp_path / "c.ods")])
    assert wrong.exit_code == 2 and "save it as .csv or .xlsx" in wrong.stderr
