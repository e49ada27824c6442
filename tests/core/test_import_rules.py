"""The rules every import shares (core/imports.py), on a small made-up spec: reading CSV
and XLSX, every bad row reported at once with row, column and reason, keys, templates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from devagenda.catalogue.codes import CodeError, normalize_code, recommendations_in_code
from devagenda.core.errors import InputError
from devagenda.core.imports import (
    Column,
    ImportSpec,
    Problem,
    amount,
    check_rows,
    items,
    read_table,
    reference,
    template,
    whole_number,
)

SPEC = ImportSpec(
    name="things",
    keys=("code", "name"),
    columns=(
        Column("code", "the code", "T1"),
        Column("name", "the name", "Thing one"),
        Column("count", "how many", "3", parse=whole_number),
        Column("budget", "in CHF", "1000", parse=amount),
        Column("source", "where stated", "CDIP/1/1", required=True, parse=str),
    ),
)


def _problems(table: list[list[str]]) -> list[tuple[int, str | None]]:
    return [(p.row, p.column) for p in check_rows(SPEC, table)[1]]


def test_every_bad_row_is_reported_at_once_with_row_column_and_reason() -> None:
    table = [
        ["code", "name", "count", "budget", "source"],
        ["T1", "", "3", "1000", "CDIP/1/1"],
        ["T2", "", "three", "1000", "CDIP/1/1"],  # row 3: count
        ["T3", "", "4", "-5", ""],  # row 4: budget and source
        ["", "", "4", "10", "CDIP/1/1"],  # row 5: no key
        ["T1", "", "5", "10", "CDIP/1/1"],  # row 6: key used on row 2
    ]
    rows, problems = check_rows(SPEC, table)
    assert [(p.row, p.column) for p in problems] == [
        (3, "count"),
        (4, "budget"),
        (4, "source"),
        (5, None),
        (6, "code"),
    ]
    assert str(problems[0]) == "row 3, column 'count': 'three' is not a whole number"
    assert "row 2" in problems[-1].reason
    assert [row.row for row in rows] == [2]


def test_the_header_is_checked_first() -> None:
    assert _problems([["code", "colour"], ["T1", "red"]]) == [(1, "colour"), (1, "source")]
    assert _problems([["count", "source"], ["3", "x"]]) == [(1, None)]  # no key column
    assert _problems([]) == [(1, None)]
    assert _problems([["code", "source", "", ""], ["T1", "x", "", ""]]) == []
    assert _problems([["code", "source", ""], ["T1", "x", "stray"]]) == [(2, None)]
    assert _problems([["code", "source"]]) == [(2, None)]  # no rows


def test_a_row_is_identified_by_its_first_filled_key() -> None:
    rows, problems = check_rows(
        SPEC, [["name", "code", "source"], ["Thing", "", "CDIP/1/1"], ["Other", "T9", "x"]]
    )
    assert problems == []
    assert [(row.key_column, row.values[row.key_column]) for row in rows] == [
        ("name", "Thing"),
        ("code", "T9"),
    ]
    assert not rows[0].has("code") and rows[1].has("code")


def test_csv_and_xlsx_read_alike(tmp_path: Path) -> None:
    csv_path = tmp_path / "things.csv"
    csv_path.write_text("code,count,source\nT1,12,CDIP/1/1\n", encoding="utf-8-sig")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "count", "source"])
    sheet.append(["T1", 12.0, "CDIP/1/1"])  # spreadsheets store numbers as floats
    xlsx_path = tmp_path / "things.xlsx"
    workbook.save(xlsx_path)
    assert (
        read_table(csv_path)
        == read_table(xlsx_path)
        == [
            ["code", "count", "source"],
            ["T1", "12", "CDIP/1/1"],
        ]
    )


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,source\nZ\xfcrich,x\n".encode("latin-1"))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    for path, expected in (
        (tmp_path / "things.ods", "save it as .csv or .xlsx"),
        (tmp_path / "missing.csv", "file not found"),
        (latin, "not UTF-8"),
        (fake, "not a readable XLSX"),
    ):
        with pytest.raises(InputError, match=expected) as caught:
            read_table(path)
        assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_cell_parsers() -> None:
    assert items("1, 10，12、40|5") == ["1", "10", "12", "40", "5"]
    assert amount("1,018,000") == 1018000 and str(amount("99.5")) == "99.5"
    for bad in ("1.005", "abc", "-1", "NaN"):
        with pytest.raises(ValueError):
            amount(bad)
    upper = " ".join  # a stand-in normaliser for the test
    assert reference("https://dacatalogue.wipo.int/projects", lambda s: s) == (
        "https://dacatalogue.wipo.int/projects"
    )
    assert reference("cdip/30/8  rev.", lambda s: upper(s.upper().split())) == "CDIP/30/8 REV."
    for bad in ("www.wipo.int", "the catalogue"):
        with pytest.raises(ValueError):
            reference(bad, lambda s: s.upper())


def test_templates_name_every_column() -> None:
    names = [column.name for column in SPEC.columns]
    csv_text = template(SPEC, "csv").decode("utf-8-sig")
    assert csv_text.strip() == ",".join(names)
    workbook = load_workbook(io.BytesIO(template(SPEC, "xlsx")))
    data, help_sheet = workbook.worksheets
    assert [cell.value for cell in data[1]] == names and data.max_row == 1
    explained = [row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True)]
    assert explained == names
    with pytest.raises(InputError):
        template(SPEC, "pdf")


def test_problem_text() -> None:
    assert str(Problem(4, "sector", "unknown sector code 'XX'")) == (
        "row 4, column 'sector': unknown sector code 'XX'"
    )
    assert str(Problem(2, None, "fill one of code, name")) == "row 2: fill one of code, name"


@pytest.mark.parametrize(
    ("code", "recommendations"),
    [
        ("DA_1_10_12_40", [1, 10, 12, 40]),
        ("DA_19_30_31_03", [19, 30, 31]),
        ("DA_01_05_01", [1, 5]),
        ("DA_8_01", [8]),
        ("da-16-20-01", [16, 20]),
    ],
)
def test_a_catalogue_code_names_its_recommendations(code: str, recommendations: list[int]) -> None:
    assert recommendations_in_code(normalize_code(code)) == recommendations


@pytest.mark.parametrize("code", ["DA_", "DA_46_01", "DA_10_5_12", "PROJECT_1", "DA_1_x"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(CodeError):
        normalize_code(code)
