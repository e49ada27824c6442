"""Importing provisions (the shared import rules) and the `devagenda flexibilities` CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext

runner = CliRunner()
HEADER = [
    "code",
    "jurisdiction",
    "category",
    "law_title",
    "law_number",
    "law_date",
    "articles",
    "text_en",
    "text_zh",
    "link",
    "in_force_date",
    "source",
]
SOURCE = "https://www.wipo.int/ip-development/en/agenda/flexibilities/"
KENYA = [
    "KEN-RE-1",
    "Kenya",
    "research-exception",
    "Industrial Property Act",
    "No. 3 of 2001",
    "2001-08-10",
    "s. 58(1)",
    "Acts done for research",
    "为研究目的的行为",
    "https://example.org/ke",
    "2002-05-01",
    SOURCE,
]
PERU = [
    "PER-CL-1",
    "秘鲁",
    "强制许可和政府使用",
    "Decisión 486",
    "",
    "",
    "Art. 61",
    "",
    "",
    "",
    "",
    SOURCE,
]


def _write(path: Path, *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _run(context: AppContext, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database-url", context.settings.database_url, *args])


def test_import_then_compare_both_ways(initialized_database: AppContext, tmp_path: Path) -> None:
    path = _write(tmp_path / "provisions.csv", KENYA, PERU)
    imported = _run(initialized_database, "flexibilities", "import", str(path), "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["rows"] == 2

    result = _run(
        initialized_database,
        "flexibilities",
        "compare",
        "--category",
        "compulsory-licences",
        "--jurisdictions",
        "KEN,PER",
        "--json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["jurisdiction"], r["stated"]) for r in rows] == [("KEN", False), ("PER", True)]
    assert rows[1]["provisions"][0]["articles"] == "Art. 61"

    across = _run(initialized_database, "flexibilities", "compare", "--jurisdiction", "KEN")
    assert across.exit_code == 0, across.output
    assert "not stated" in across.stdout and "Industrial Property Act" in across.stdout


def test_every_bad_row_is_reported_and_nothing_stored(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    bad_country = [*KENYA[:1], "Kenia Republik", *KENYA[2:]]
    bad_category = ["X-2", "Kenya", "research exemption", *KENYA[3:5], "2001-13-40", *KENYA[6:]]
    path = _write(tmp_path / "bad.csv", bad_country, bad_category, PERU)
    result = _run(initialized_database, "flexibilities", "import", str(path))
    assert result.exit_code == 2
    assert "row 2, column 'jurisdiction'" in result.stderr and "did you mean" in result.stderr
    assert "row 3, column 'category'" in result.stderr and "research-exception" in result.stderr
    assert "row 3, column 'law_date'" in result.stderr
    listed = _run(initialized_database, "flexibilities", "list", "--json")
    assert json.loads(listed.stdout) == []


def test_a_changed_row_replaces_only_when_asked(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    _run(initialized_database, "flexibilities", "import", str(_write(tmp_path / "a.csv", KENYA)))
    changed = [*KENYA[:7], "Acts done for experimental purposes", *KENYA[8:]]
    path = _write(tmp_path / "b.csv", changed)
    refused = _run(initialized_database, "flexibilities", "import", str(path), "--json")
    assert refused.exit_code != 0
    assert refused.exit_code == 3  # needs confirmation
    problem = json.loads(refused.output)
    assert problem["changes"]["replaced"] == [
        {
            "file": str(path),
            "row": 2,
            "key": "code KEN-RE-1",
            "changes": ["text en: text (was 'Acts done for research')"],
        }
    ]
    assert "--replace" in problem["message"]
    listed = json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout)
    assert listed[0]["texts"]["en"] == "Acts done for research"

    again = _run(initialized_database, "flexibilities", "import", str(path), "--replace")
    assert again.exit_code == 0, again.output
    listed = json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout)
    assert listed[0]["texts"]["en"] == "Acts done for experimental purposes"
    assert listed[0]["texts"]["zh"] == "为研究目的的行为"


def test_the_same_file_twice_changes_nothing(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.csv", KENYA)
    for _ in range(2):
        result = _run(initialized_database, "flexibilities", "import", str(path))
        assert result.exit_code == 0, result.output
    listed = json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout)
    assert len(listed) == 1


def test_categories_are_listed_in_both_languages(initialized_database: AppContext) -> None:
    result = _run(initialized_database, "flexibilities", "categories", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 14
    assert {"code": "utility-models", "name_en": "Utility models"}.items() <= rows[-1].items()


def test_compare_needs_a_category_or_a_jurisdiction(initialized_database: AppContext) -> None:
    result = _run(initialized_database, "flexibilities", "compare", "--category", "exhaustion")
    assert result.exit_code == 2
    assert "--jurisdictions" in result.stderr


def test_compare_exports_to_the_file_asked_for(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    _run(initialized_database, "flexibilities", "import", str(_write(tmp_path / "a.csv", KENYA)))
    out = tmp_path / "kenya.csv"
    args = ("flexibilities", "compare", "--jurisdiction", "KEN", "--out", str(out), "--lang", "zh")
    result = _run(initialized_database, *args)
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8-sig").splitlines()
    assert len(lines) == 1 + 14 and "为研究目的的行为" in out.read_text("utf-8-sig")
    wrong = _run(initialized_database, *args[:4], "--out", str(tmp_path / "k.docx"))
    assert wrong.exit_code == 2 and "k.docx" in wrong.stderr


def _json_records(*rows: list[str]) -> list[dict[str, str]]:
    return [{key: value for key, value in zip(HEADER, row, strict=True) if value} for row in rows]


def test_a_json_file_imports_like_a_csv(initialized_database: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "provisions.json"
    path.write_text(json.dumps({"provisions": _json_records(KENYA, PERU)}), "utf-8")
    imported = _run(initialized_database, "flexibilities", "import", str(path), "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["rows"] == 2
    listed = json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout)
    assert {p["code"]: p["jurisdiction"] for p in listed} == {"KEN-RE-1": "KEN", "PER-CL-1": "PER"}
    assert listed[0]["texts"] == {"en": "Acts done for research", "zh": "为研究目的的行为"}
    again = tmp_path / "again.json"  # a bare array, the same rows: nothing changes
    again.write_text(json.dumps(_json_records(KENYA)), "utf-8")
    assert _run(initialized_database, "flexibilities", "import", str(again)).exit_code == 0
    assert (
        len(json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout)) == 2
    )


def test_every_bad_json_record_is_reported_and_nothing_stored(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    records = _json_records(KENYA, PERU)
    records[0]["jurisdiction"] = "Kenia Republik"
    records[1]["law_date"] = "2001-13-40"
    records[1]["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records), "utf-8")
    result = _run(initialized_database, "flexibilities", "import", str(path))
    assert result.exit_code == 2
    assert "colour" in result.stderr
    records[1].pop("colour")
    path.write_text(json.dumps(records), "utf-8")
    result = _run(initialized_database, "flexibilities", "import", str(path))
    assert result.exit_code == 2
    assert "row 2, column 'jurisdiction'" in result.stderr
    assert "row 3, column 'law_date'" in result.stderr
    truncated = tmp_path / "cut.json"
    truncated.write_text(json.dumps(records)[:40], "utf-8")
    cut = _run(initialized_database, "flexibilities", "import", str(truncated))
    assert (
        cut.exit_code == 2 and "malformed JSON" in cut.stderr and len(cut.stderr.splitlines()) == 1
    )
    missing = _run(initialized_database, "flexibilities", "import", str(tmp_path / "none.json"))
    assert missing.exit_code == 2 and "file not found" in missing.stderr
    assert json.loads(_run(initialized_database, "flexibilities", "list", "--json").stdout) == []
