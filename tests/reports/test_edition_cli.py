"""`devagenda ingest --symbol` and `devagenda report build` on a real database: the symbol
reaches the cover, the extension decides the format, and refusals are one line with exit
status 2."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html
from tests.helpers import run_cli as run
from typer.testing import CliRunner

from devagenda.core.context import AppContext
from devagenda.reports.models import ReportSymbol

runner = CliRunner()


@pytest.fixture(scope="module")
def ingested(databases, report_2023_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """The 2023 report ingested by the CLI with a symbol, into a copy of an initialized
    database."""
    with databases.initialized_copy() as context:
        result = run(context, "ingest", str(report_2023_path), "--symbol", "cdip/32/2", "--json")
        assert result.exit_code == 0, result.output
        yield context


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    return lines[0]


def test_ingest_symbol_is_stored_and_printed_on_the_cover(
    ingested: AppContext, tmp_path: Path
) -> None:
    with ingested.sessions() as session:
        stored = session.get(ReportSymbol, 2023)
        assert stored is not None and stored.symbol == "CDIP/32/2"
    out = tmp_path / "edition.md"
    result = run(ingested, "report", "build", "--year", "2023", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == "md"  # the extension decided
    assert out.read_text(encoding="utf-8").startswith("CDIP/32/2<br>原文：未说明")


def test_a_bad_symbol_is_refused_before_anything_is_read(
    empty_database: AppContext, report_2023_path: Path
) -> None:
    result = run(empty_database, "ingest", str(report_2023_path), "--symbol", "32/2")
    assert "not a CDIP document symbol" in one_line_error(result)


def test_format_contradicting_the_extension_is_refused(
    ingested: AppContext, tmp_path: Path
) -> None:
    out = tmp_path / "edition.docx"
    result = run(
        ingested, "report", "build", "--year", "2023", "--out", str(out), "--format", "pdf"
    )
    assert "--format pdf contradicts the file's extension '.docx'" in one_line_error(result)
    assert not out.exists()
    result = run(ingested, "report", "build", "--year", "2023", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)


def test_english_body_needs_allow_fallback(ingested: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "en.html"
    base = ["report", "build", "--year", "2023", "--lang", "en", "--out", str(out)]
    assert "--allow-fallback" in one_line_error(run(ingested, *base))
    assert not out.exists()
    result = run(ingested, *base, "--allow-fallback")
    assert result.exit_code == 0, result.output
    page = html.fromstring(out.read_bytes())
    assert page.xpath('//section[@class="report"]')[0].get("lang") == "zh"
    assert "no English edition" in page.xpath('//p[@class="notice"]')[0].text_content()


def test_corrected_is_an_explicit_choice(ingested: AppContext, tmp_path: Path) -> None:
    printed, corrected = tmp_path / "printed.html", tmp_path / "corrected.html"
    for out, extra in ((printed, []), (corrected, ["--corrected"])):
        args = ["report", "build", "--year", "2023", "--part", "annexes", "--out", str(out)]
        result = run(ingested, *args, *extra)
        assert result.exit_code == 0, result.output
    assert not html.fromstring(printed.read_bytes()).xpath('//li[@class="corrected"]')
    assert len(html.fromstring(corrected.read_bytes()).xpath('//li[@class="corrected"]')) == 4
