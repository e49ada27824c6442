"""`devagenda match template` and `match list` from the command line: the empty file
imports as is once filled, and the list filters and exports as the API's does."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from tests.helpers import run_cli as run
from tests.match.conftest import load, post, write_csv
from typer.testing import CliRunner

from devagenda.api import create_app
from devagenda.cli import app
from devagenda.core.context import AppContext

runner = CliRunner()
ROWS = [
    post("NEED-1", "need", title_en="Examiner training", countries="KE", support="financial"),
    post("NEED-2", "need", title_zh="数据库建设", countries="PE", support="technical"),
    post("OFFER-1", "offer", title_en="Grants", countries="KE", support="financial"),
]


def test_the_template_has_the_import_columns_and_a_filled_copy_imports(
    context: AppContext, tmp_path: Path
) -> None:
    out = tmp_path / "posts.csv"
    made = runner.invoke(app, ["match", "template", "--out", str(out), "--json"])
    assert made.exit_code == 0, made.output
    columns = json.loads(made.stdout)["columns"]
    assert out.read_text("utf-8-sig").strip().split(",") == columns
    assert columns[:2] == ["key", "side"]
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerow({"key": "T-NEED-1", "side": "need", "title_en": "A", "owner": "An office"})
    assert run(context, "match", "import", str(filled)).exit_code == 0
    again = runner.invoke(app, ["match", "template", "--out", str(out)])
    assert again.exit_code == 2
    assert again.stderr.strip() == (
        f"error: {out}: already exists; choose another name or add --force"
    )


def test_the_list_filters_and_exports_as_the_api_does(context: AppContext, tmp_path: Path) -> None:
    load(context, write_csv(tmp_path / "posts.csv", ROWS))
    listed = run(context, "match", "list", "needs", "--country", "KEN", "--csv")
    assert listed.exit_code == 0, listed.output
    cli_rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert [row["key"] for row in cli_rows] == ["NEED-1"]
    with TestClient(create_app(context), base_url="http://127.0.0.1") as api:
        served = api.get("/api/match/needs", params={"country": "KEN", "format": "csv"})
    assert served.status_code == 200
    api_rows = list(csv.DictReader(io.StringIO(served.text)))
    # The same rows; the operator at the shell may read contacts, an anonymous reader not.
    assert [row["contact_shown"] for row in (*cli_rows, *api_rows)] == ["true", "false"]
    unshown = [{k: v for k, v in row.items() if k != "contact_shown"} for row in cli_rows]
    assert [{k: v for k, v in row.items() if k != "contact_shown"} for row in api_rows] == unshown
    offers = json.loads(run(context, "match", "list", "offers", "--json").stdout)
    assert [item["key"] for item in offers] == ["OFFER-1"]
    unstated = run(context, "match", "list", "needs", "--support", "none")
    assert unstated.exit_code == 0 and "0 needs" in unstated.stdout
    wrong = run(context, "match", "list", "both")
    assert wrong.exit_code == 2
    assert wrong.stderr.strip() == "error: field 'side': 'both' is not a side: list needs or offers"


def test_the_api_serves_the_same_template(context: AppContext) -> None:
    from devagenda.match.services import posts_template

    with TestClient(create_app(context), base_url="http://127.0.0.1") as api:
        for kind in ("csv", "xlsx"):
            answer = api.get(f"/api/match/template.{kind}")
            assert answer.status_code == 200
            assert answer.content == posts_template(kind)
            assert f'filename="match-template.{kind}"' in answer.headers["content-disposition"]
        assert api.get("/api/match/template.pdf").status_code == 422
