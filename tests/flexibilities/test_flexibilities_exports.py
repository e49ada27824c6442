"""The comparison views exported to CSV, XLSX and PDF, in both languages."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.errors import InputError
from devagenda.flexibilities.schemas import ProvisionIn
from devagenda.flexibilities.services import create_provision, export_comparison

EDITOR = Actor(label="editor@example.org", role=Role.EDITOR)


@pytest.fixture
def recorded(session: Session) -> Session:
    with acting_as(EDITOR):
        create_provision(
            session,
            ProvisionIn(
                jurisdiction="CHN",
                category="research-exception",
                law_title="中华人民共和国专利法",
                law_number="主席令第五十五号",
                law_date=date(2020, 10, 17),
                articles="第七十五条第（四）项",
                texts={"zh": "专为科学研究和实验而使用有关专利的", "en": "Use for research"},
                in_force_date=date(2021, 6, 1),
            ),
        )
        create_provision(
            session,
            ProvisionIn(
                jurisdiction="KEN",
                category="research-exception",
                law_title='=HYPERLINK("http://evil")',
                texts={"fr": "Actes de recherche"},
            ),
        )
    return session


def test_one_category_across_jurisdictions_to_csv(recorded: Session) -> None:
    data = export_comparison(
        recorded, "csv", "en", category="research-exception", jurisdictions=["CHN", "PER", "KEN"]
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Jurisdiction", "Code", "Flexibility"]
    by_code = {row[1]: row for row in rows[1:]}
    assert list(by_code) == ["CHN", "PER", "KEN"]
    assert by_code["CHN"][7] == "Use for research"
    assert by_code["PER"][3] == "not stated"
    assert by_code["KEN"][3].startswith("'=")  # a formula stays text
    assert by_code["KEN"][7] == "[fr] Actes de recherche"
    assert by_code["KEN"][4] == "not stated"  # no law number: unknown, not empty


def test_one_jurisdiction_across_categories_to_xlsx_in_chinese(recorded: Session) -> None:
    data = export_comparison(recorded, "xlsx", "zh", jurisdiction="CHN")
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "法域"
    assert len(rows) == 1 + 14
    stated = [row for row in rows[1:] if row[3] != "未说明"]
    assert [(row[2], row[7]) for row in stated] == [
        ("研究例外", "专为科学研究和实验而使用有关专利的")
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_prints_the_chinese_text(recorded: Session, tmp_path: Path) -> None:
    data = export_comparison(
        recorded, "pdf", "zh", category="research-exception", jurisdictions=["CHN", "PER"]
    )
    assert data.startswith(b"%PDF")
    path = tmp_path / "comparison.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "研究例外" in text and "未说明" in text
    assert "中华人民共和国专利法" in text.replace("\n", "")


def test_an_unknown_format_or_language_is_one_clear_error(recorded: Session) -> None:
    with pytest.raises(InputError, match="use csv, xlsx, pdf"):
        export_comparison(recorded, "docx", "en", jurisdiction="CHN")
    with pytest.raises(InputError, match="use zh or en"):
        export_comparison(recorded, "csv", "fr", jurisdiction="CHN")
    with pytest.raises(InputError, match="one jurisdiction alone"):
        export_comparison(recorded, "csv", "en", category="exhaustion", jurisdiction="CHN")


def test_the_title_counts_one_jurisdiction_in_the_singular(recorded: Session) -> None:
    from devagenda.flexibilities.exporters import comparison_table
    from devagenda.flexibilities.services import compare_category

    titles = {
        (language, len(codes)): comparison_table(
            recorded,
            compare_category(recorded, "research-exception", codes),
            language,
            by="category",
        ).title
        for language in ("en", "zh")
        for codes in (["CHN"], ["CHN", "KEN"])
    }
    assert titles[("en", 1)] == "The research exception: 1 jurisdiction"
    assert titles[("en", 2)] == "The research exception: 2 jurisdictions compared"
    assert titles[("zh", 1)].endswith("1个法域") and titles[("zh", 2)].endswith("比较2个法域")
