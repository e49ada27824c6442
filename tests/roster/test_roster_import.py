"""Importing consultants: CSV, XLSX and JSON alike; a file with bad rows stores nothing
and names every problem with its row, column and reason; a stored code updates; and the
command line's privacy rule for each role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from tests.roster.conftest import (
    ACTIVITY_CODE,
    ADMIN,
    add_activity,
    varied_rows,
    write_csv,
    write_json,
    write_xlsx,
)
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.actor import acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.core.imports import ImportWouldReplace
from devagenda.roster.services import ConsultantsImportRefused, import_consultants


@pytest.fixture
def context(databases) -> AppContext:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    add_activity(context)
    return context


def count(context: AppContext, sql: str) -> Any:
    with context.engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def run_import(context: AppContext, *paths: Path, replace: bool = False) -> Any:
    with acting_as(ADMIN), context.transaction() as session:
        return import_consultants(session, list(paths), replace=replace)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_each_format_stores_the_same_roster(context: AppContext, tmp_path: Path, kind: str) -> None:
    rows = varied_rows(12)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[kind]
    path = writer(tmp_path / f"roster.{kind}", rows)  # type: ignore[operator]
    (result,) = run_import(context, path)
    assert result.rows == 12
    assert count(context, "SELECT count(*) FROM consultant") == 12
    expected_assignments = sum(len(r["assignments"].splitlines()) for r in rows)
    assert count(context, "SELECT count(*) FROM assignment") == expected_assignments
    assert count(context, "SELECT count(*) FROM consultant WHERE gender IS NULL") == sum(
        1 for r in rows if not r["gender"]
    )
    linked = count(
        context,
        "SELECT count(*) FROM assignment a JOIN activity x ON x.id = a.activity_id"
        f" WHERE x.code = '{ACTIVITY_CODE}'",
    )
    assert linked == sum(ACTIVITY_CODE in r["assignments"] for r in rows)
    sourced = count(context, "SELECT count(*) FROM consultant_fact_source WHERE fact = 'gender'")
    assert sourced == sum(1 for r in rows if r["gender"])


def test_json_assignments_may_be_objects(context: AppContext, tmp_path: Path) -> None:
    record = {
        "code": "IPROC-J",
        "name_latin": "Kofi Mensah",
        "assignments": [
            {"year": 2023, "countries": ["Ghana", "TG"], "activity": ACTIVITY_CODE, "task": "A"},
            "2021: Kenya::",
        ],
        "source": "CDIP/31/2",
    }
    run_import(context, write_json(tmp_path / "one.json", [record]))  # type: ignore[list-item]
    found = count(
        context,
        "SELECT count(*) FROM assignment_country c JOIN assignment a ON a.id = c.assignment_id",
    )
    assert found == 3


def test_a_file_with_bad_rows_stores_nothing_and_names_every_problem(
    context: AppContext, tmp_path: Path
) -> None:
    good = varied_rows(3)
    bad = [
        {**good[0], "code": "B-1", "nationalities": "Kenia"},
        {**good[0], "code": "B-2", "languages": "Klingon"},
        {**good[0], "code": "B-3", "gender": "unknown-ish"},
        {**good[0], "code": "B-4", "name_latin": ""},
        {**good[0], "code": "B-5", "assignments": "2023: Kenya: IPTAD-404: task"},
        {**good[0], "code": "B-6", "assignments": "1800: Kenya::"},
        {**good[0], "code": "B-7", "email": "not-an-address"},
        # Two problems of one row are both named.
        {
            **good[0],
            "code": "B-8",
            "nationalities": "Kenia",
            "assignments": "2023: Kenya: IPTAD-404: x",
        },
    ]
    path = write_csv(tmp_path / "bad.csv", [*good, *bad])
    with pytest.raises(ConsultantsImportRefused) as refused:
        run_import(context, path)
    problems = {(p.row, p.column): p.reason for p in refused.value.refusals[0].problems}
    assert set(problems) == {
        (5, "nationalities"),
        (6, "languages"),
        (7, "gender"),
        (8, "name_latin"),
        (9, "assignments"),
        (10, "assignments"),
        (11, "email"),
        (12, "nationalities"),
        (12, "assignments"),
    }
    assert "did you mean" in problems[(5, "nationalities")]
    assert "Kenya" in problems[(5, "nationalities")]
    assert "IPTAD-404" in problems[(9, "assignments")]
    assert count(context, "SELECT count(*) FROM consultant") == 0
    assert count(context, "SELECT count(*) FROM assignment") == 0


def test_a_stored_code_updates(context: AppContext, tmp_path: Path) -> None:
    rows = varied_rows(4)
    run_import(context, write_csv(tmp_path / "first.csv", rows))
    changed = [{"code": rows[1]["code"], "gender": "other", "source": "CDIP/31/2"}]
    header = ["code", "gender", "source"]
    second = write_csv(tmp_path / "second.csv", changed, header)
    with pytest.raises(ImportWouldReplace) as refused:
        run_import(context, second)
    assert [str(item) for item in refused.value.replaced] == [
        f"second.csv row 2 (code {rows[1]['code']}): gender (was {rows[1]['gender']!r})"
    ]
    run_import(context, second, replace=True)
    # What was replaced is logged in full: the entry holds the old gender to restore.
    with context.transaction() as session:
        (entry,) = session.scalars(
            select(ChangeEntry).where(
                ChangeEntry.record_type == "consultant", ChangeEntry.action == "update"
            )
        )
    assert entry.before is not None and entry.after is not None
    assert (entry.before["gender"], entry.after["gender"]) == (rows[1]["gender"], "other")
    assert count(context, "SELECT count(*) FROM consultant") == 4
    gender = count(context, f"SELECT gender FROM consultant WHERE code = '{rows[1]['code']}'")
    assert gender == "other"
    name = count(context, f"SELECT name_latin FROM consultant WHERE code = '{rows[1]['code']}'")
    assert name == rows[1]["name_latin"]  # a column the file leaves out stays


@pytest.mark.parametrize(
    ("role", "personal"),
    [
        ("anonymous", False),
        ("reader", False),
        ("focal-point", False),
        ("editor", True),
        ("admin", True),
        (None, True),  # the operator: an administrator
    ],
)
def test_the_command_line_shows_what_each_role_may_see(
    databases,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    role: str | None,
    personal: bool,
) -> None:
    url = databases.initialized_url()
    add_activity(AppContext.for_url(url))
    runner = CliRunner()
    base = ["--database-url", url, "consultants"]
    source = write_csv(tmp_path / "roster.csv", varied_rows(6))
    assert runner.invoke(app, [*base, "import", str(source)]).exit_code == 0
    as_role = ["--as-role", role] if role else []
    listed = runner.invoke(app, [*base, "list", "--json", *as_role])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)
    assert len(items) == 6
    assert all(("gender" in item) is personal and ("email" in item) is personal for item in items)
    shown = runner.invoke(app, [*base, "show", str(items[0]["id"]), "--json", *as_role])
    assert ("nationalities" in json.loads(shown.stdout)) is personal
    filtered = runner.invoke(app, [*base, "list", "--gender", "female", "--json", *as_role])
    assert (filtered.exit_code == 0) is personal
    if not personal:
        assert "personal data" in filtered.output


def test_a_bad_file_is_refused_on_the_command_line(databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = databases.initialized_url()
    path = write_csv(tmp_path / "bad.csv", [{**varied_rows(1)[0], "languages": "Klingon"}])
    result = CliRunner().invoke(app, ["--database-url", url, "consultants", "import", str(path)])
    assert result.exit_code == 2
    assert "row 2, column 'languages'" in result.output and "nothing stored" in result.output
