"""An ingest never destroys what is stored: refusals, partial drafts, replacing and
restoring an edition, and the record of every ingest, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import snapshot
from tests.test_cli_errors import cut_in_a_character

from devagenda.api import create_app
from devagenda.core.context import AppContext
from devagenda.core.errors import (
    ContradictionError,
    DevagendaError,
    NotAReportError,
    ReplaceRefused,
    ReportFormatError,
)
from devagenda.reports.content import report_listing
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import Language
from devagenda.reports.ingest_runs import ingest_runs, list_editions, restore_version, run_ingest
from devagenda.reports.models import ReportHeading, ReportParagraph, ReportVersion

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"
TEXT = REPORT.read_text(encoding="utf-8")
# What a refused ingest may add: its own record.
RECORD = ("ingest_run",)


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A database holding the 2023 report, for ingests that must be refused."""
    with databases.initialized_copy() as context:
        run_ingest(context, REPORT)
        yield context


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _first_lines(count: int) -> str:
    return "\n".join(TEXT.split("\n")[:count]) + "\n"


REFUSALS = {
    # name: (file name, content, flags, error type, words the message must have)
    "not-a-report": (
        "shopping.txt",
        "milk\neggs\nbread\n",
        {"year": 2024},
        ReportFormatError,
        ("not a Director General's report", "numbered paragraphs", "Annex I", "Annex II"),
    ),
    "truncated": (
        "first-60-lines.txt",
        _first_lines(60),
        {},
        NotAReportError,
        ("missing Annex I", "Annex II", "--partial"),
    ),
    "year-contradicts-the-text": (
        "report.txt",
        TEXT,
        {"year": 2024},
        ContradictionError,
        ("says it covers 2023", "2023年度", "not 2024", "--year 2023"),
    ),
    "wrong-language": (
        "report.txt",
        TEXT,
        {"language": "en"},
        ContradictionError,
        ("wrong language", "Chinese, not English", "--language zh"),
    ),
    "pdf": (
        "report.pdf",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        {},
        ReportFormatError,
        ("PDF is not supported: export the report to .docx or text",),
    ),
    "cut-in-a-character": (
        "cut.txt",
        cut_in_a_character(TEXT.encode("utf-8")),
        {},
        ReportFormatError,
        ("ends in the middle of a character", "cut off"),
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_ingest_changes_nothing_and_is_recorded(
    loaded: AppContext, tmp_path: Path, case: str
) -> None:
    name, data, flags, error_type, words = REFUSALS[case]
    path = _write(tmp_path, name, data)
    before = snapshot(loaded, without=RECORD)
    with pytest.raises(error_type) as raised:
        run_ingest(loaded, path, **flags)
    message = str(raised.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert snapshot(loaded, without=RECORD) == before
    with loaded.transaction() as session:
        last = ingest_runs(session, limit=1)[0]
    assert (last.outcome, last.file_name, last.message) == ("refused", name, message)
    assert last.checksum is not None and last.size == len(path.read_bytes())


def test_the_contradicting_flag_names_the_line_and_field(loaded: AppContext) -> None:
    with pytest.raises(ContradictionError) as year:
        run_ingest(loaded, REPORT, year=2024)
    assert (year.value.field, year.value.line) == ("year", 1)
    with pytest.raises(ContradictionError) as language:
        run_ingest(loaded, REPORT, language="en", year=2023)
    assert (language.value.field, language.value.line) == ("language", 1)


def test_lint_reports_the_same_missing_parts(tmp_path: Path) -> None:
    from devagenda.reports.lint import lint_report

    report = lint_report(_write(tmp_path, "draft.txt", _first_lines(60)))
    structural = [f for f in report.findings if f.code == "DA-STR-001"]
    assert [f.severity.value for f in structural] == ["error", "error"]
    assert "Annex I (" in structural[0].message and "Annex II" in structural[1].message
    whole = lint_report(REPORT)
    assert not [f for f in whole.findings if f.code == "DA-STR-001"]


def test_language_is_read_from_the_whole_text() -> None:
    """200 addresses in paragraph 1 do not make the Chinese report English."""
    addresses = " ".join(
        f"https://www.wipo.int/ip-development/en/agenda/page{i}.html" for i in range(200)
    )
    first, rest = TEXT.split("\n", 1)
    document = read_report(f"{first} {addresses}\n{rest}".encode())
    assert document.language is Language.ZH
    assert document.year == 2023
    assert len(document.figures) == len(read_report(REPORT).figures)


def test_a_draft_loads_only_as_partial_and_is_marked(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    draft = _write(tmp_path, "draft.txt", _first_lines(60))
    with pytest.raises(NotAReportError):
        run_ingest(initialized_database, draft)
    summary = run_ingest(initialized_database, draft, partial=True)
    assert (summary.outcome, summary.partial, summary.version) == ("loaded", True, 1)
    assert summary.report["paragraphs"] == 22
    assert summary.report["projects"] == 0
    with initialized_database.transaction() as session:
        (listed,) = report_listing(session).all()
        assert listed.partial
        (edition,) = list_editions(session)
        assert edition.partial and edition.versions[0].partial
    with TestClient(create_app(initialized_database)) as client:
        assert client.get("/api/reports/2023/zh").json()["partial"] is True
        assert client.get("/api/reports").json()["items"][0]["partial"] is True
        page = client.get("/reports/2023/zh", headers={"Accept-Language": "en"})
        assert page.status_code == 200
        assert "badge-partial" in page.text and "loaded as a partial report" in page.text
        listing = client.get("/reports", headers={"Accept-Language": "en"})
        assert "badge-partial" in listing.text


def _headings(context: AppContext) -> list[str]:
    with context.transaction() as session:
        rows = session.scalars(select(ReportHeading).order_by(ReportHeading.position))
        return [f"{h.numeral or ''} {h.title}" for h in rows]


def _paragraph_texts(context: AppContext) -> list[str]:
    with context.transaction() as session:
        return list(session.scalars(select(ReportParagraph.text).order_by(ReportParagraph.number)))


def test_replace_and_restore_an_edition(initialized_database: AppContext, tmp_path: Path) -> None:
    first = run_ingest(initialized_database, REPORT)
    original = (_headings(initialized_database), _paragraph_texts(initialized_database))
    corrected = _write(
        tmp_path,
        "corrected.txt",
        TEXT.replace("2、 专利和技术部门", "二、专利和技术部门").replace(
            "80. 为了激励创新与创造", "80. 为了激励创造与创新"
        ),
    )
    before = snapshot(initialized_database, without=RECORD)
    with pytest.raises(ReplaceRefused) as refused:
        run_ingest(initialized_database, corrected)
    changes = refused.value.changes
    assert changes["headings_changed"] == ["二 专利和技术部门"]
    assert changes["paragraphs_changed"] == [80]
    assert changes["paragraphs_added"] == changes["paragraphs_removed"] == []
    assert changes["counts_before"]["paragraphs"] == changes["counts_after"]["paragraphs"] == 80
    assert "--replace" in str(refused.value) and "1 paragraph changed (80)" in str(refused.value)
    assert snapshot(initialized_database, without=RECORD) == before

    replaced = run_ingest(initialized_database, corrected, replace=True)
    assert (replaced.outcome, replaced.version) == ("replaced", 2)
    assert replaced.changes is not None and replaced.changes.paragraphs_changed == [80]
    assert (
        _headings(initialized_database)[original[0].index("2 专利和技术部门")]
        == "二 专利和技术部门"
    )

    with initialized_database.transaction() as session:
        (edition,) = list_editions(session)
        assert [(v.number, v.current) for v in edition.versions] == [(1, False), (2, True)]
        kept = session.scalar(select(ReportVersion).filter_by(number=1))
        assert kept is not None and kept.content == REPORT.read_bytes()

    with pytest.raises(DevagendaError) as unknown:
        restore_version(initialized_database, "dg-report/2023/zh", 7)
    assert "no version 7" in str(unknown.value) and "versions: 1, 2" in str(unknown.value)
    restored = restore_version(initialized_database, "2023/zh", 1)
    assert (restored.outcome, restored.version) == ("restored", 1)
    assert restored.counts == first.counts
    assert (_headings(initialized_database), _paragraph_texts(initialized_database)) == original
    with initialized_database.transaction() as session:
        (edition,) = list_editions(session)
        # The text it replaced stays, so the restore is undone by restoring version 2.
        assert [(v.number, v.current) for v in edition.versions] == [(1, True), (2, False)]
        outcomes = [run.outcome for run in ingest_runs(session)]
    assert outcomes == ["restored", "replaced", "needs_replace", "loaded"]


def test_every_ingest_is_recorded_and_shown(loaded: AppContext, tmp_path: Path) -> None:
    run_ingest(loaded, REPORT)  # the same text again: unchanged
    with pytest.raises(NotAReportError):
        run_ingest(loaded, _write(tmp_path, "draft.txt", _first_lines(30)))
    with TestClient(create_app(loaded)) as client:
        history = client.get("/api/reports/2023/zh/history").json()
        every = client.get("/api/reports/ingests").json()
        page = client.get("/reports/2023/zh", headers={"Accept-Language": "en"}).text
    assert history["current_version"] == 1
    assert [v["number"] for v in history["versions"]] == [1]
    runs = history["ingests"]
    assert [run["outcome"] for run in runs][:1] == ["unchanged"]
    assert runs[-1]["outcome"] == "loaded"
    loaded_run = runs[-1]
    assert loaded_run["file_name"] == REPORT.name
    assert len(loaded_run["checksum"]) == 64
    assert loaded_run["counts"]["report"]["projects_by_group"] == {
        "completed_evaluated": 40,
        "ongoing": 8,
        "approved": 7,
    }
    assert loaded_run["counts"]["stored"]["paragraphs"] == 80
    refused = every[0]
    assert (refused["outcome"], refused["file_name"], refused["edition"]) == (
        "refused",
        "draft.txt",
        None,
    )
    assert "Versions and ingests" in page and REPORT.name in page and "unchanged" in page


def test_the_summary_counts_what_the_report_holds(loaded: AppContext) -> None:
    summary = run_ingest(loaded, REPORT)
    report = summary.report
    assert (report["recommendations"], report["immediate_recommendations"]) == (45, 19)
    assert report["expected_results"] == 15
    assert report["projects_by_group"] == {"completed_evaluated": 40, "ongoing": 8, "approved": 7}
    assert (report["paragraphs"], report["footnotes"], report["chapters"]) == (80, 189, 9)
    assert summary.findings == {"error": 1, "warning": 11, "advisory": 4}
