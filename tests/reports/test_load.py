"""Loading the real 2023 report into the knowledge base, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.helpers import snapshot
from tests.reports.english_sample import ENGLISH

from devagenda.catalogue.importers import read_project_titles, read_recommendations
from devagenda.catalogue.models import (
    CdipSession,
    Document,
    Project,
    ProjectStatus,
    Recommendation,
    RecommendationExpectedResult,
    StatementKind,
)
from devagenda.catalogue.services import get_recommendation
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError
from devagenda.core.models import SourceLocation, TextStatus
from devagenda.reference.importers import read_expected_results
from devagenda.reference.models import ExpectedResult
from devagenda.reports.content import report_findings
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest_runs import ingest_runs
from devagenda.reports.load import ingest_report
from devagenda.reports.models import (
    CountryMention,
    ReportFootnote,
    ReportHeading,
    ReportParagraph,
)

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A database with the 2023 report ingested once (a copy of the run's template), for
    this module's tests."""
    with databases.report_copy() as context:
        yield context


@pytest.fixture
def db(loaded: AppContext):  # type: ignore[no-untyped-def]
    with loaded.transaction() as session:
        yield session


def project_by_title(session: Session, fragment: str) -> Project:
    projects = [p for p in session.scalars(select(Project)) if fragment in (p.text_in("zh") or "")]
    assert len(projects) == 1, [p.text_in("zh") for p in projects]
    return projects[0]


def test_structure_counts(db: Session) -> None:
    assert db.scalar(select(func.count()).select_from(ReportParagraph)) == 80
    assert db.scalar(select(func.count()).select_from(ReportFootnote)) == 189
    unattached = db.scalars(
        select(ReportFootnote.number).where(ReportFootnote.paragraph_number.is_(None))
    ).all()
    assert sorted(unattached) == [188, 189]  # referenced from Annex I, not a paragraph
    chapters = db.scalars(
        select(ReportHeading.number)
        .where(ReportHeading.number.is_not(None))
        .order_by(ReportHeading.position)
    ).all()
    assert chapters == list(range(1, 10))


def test_annex_one(db: Session) -> None:
    recommendations = db.scalars(select(Recommendation)).all()
    assert len(recommendations) == 45
    assert all(r.text_in("zh", fallback=()) for r in recommendations)
    assert sum(r.immediate for r in recommendations) == 19
    codes = db.scalars(select(RecommendationExpectedResult.expected_result_code).distinct()).all()
    assert len(codes) == 15
    first = db.get_one(Recommendation, 1)
    assert [link.expected_result_code for link in first.expected_result_links] == [
        "2.1",
        "2.4",
        "4.1",
        "4.2",
        "4.3",
        "4.5",
    ]
    assert first.text_in("zh", fallback=()).startswith("WIPO的技术援助应尤其面向发展")


def test_projects_by_annex_group(db: Session) -> None:
    projects = db.scalars(select(Project)).all()
    assert len(projects) == 55
    statuses = Counter(p.status for p in projects)
    # Annex II: 40 completed and evaluated, 8 ongoing, 7 approved; but ¶71 (ii) says one
    # of the 8 "项目于2023年12月实施完成", and the narrative's state stands.
    assert statuses == {
        ProjectStatus.EVALUATED: 40,
        ProjectStatus.ONGOING: 7,
        ProjectStatus.COMPLETED: 1,
        ProjectStatus.APPROVED: 7,
    }
    year_ends = Counter(
        c.status for p in projects for c in p.status_history if c.kind is StatementKind.YEAR_END
    )
    assert year_ends == {
        ProjectStatus.EVALUATED: 40,
        ProjectStatus.ONGOING: 8,
        ProjectStatus.APPROVED: 7,
    }


def test_approvals_with_proposers_sessions_and_recommendations(db: Session) -> None:
    approved = [p for p in db.scalars(select(Project)) if p.status is ProjectStatus.APPROVED]
    facts = {
        p.text_in("zh"): (
            [x.country_alpha3 or x.group_code for x in p.proposers],
            p.approved_session_number,
            [r.number for r in p.recommendations],
            p.phase,
        )
        for p in approved
    }
    assert facts["制定战略和工具以解决非洲数字市场的在线版权盗版问题"] == (
        ["KEN"],
        30,
        [4, 10, 11, 45],
        1,
    )
    assert facts["为青年（K-12）赋能以便为更美好未来而创新"] == (
        ["USA", "KOR", "CAN"],
        30,
        [1, 3, 10, 19, 30],
        1,
    )
    gastronomy = project_by_title(db, "美食旅游业发展——第二阶段")
    assert [x.country_alpha3 for x in gastronomy.proposers] == ["PER", "CMR", "MYS", "MAR"]
    assert gastronomy.phase == 2
    assert gastronomy.predecessor is not None
    assert gastronomy.predecessor.status in {ProjectStatus.EVALUATED, ProjectStatus.MAINSTREAMED}
    mining = project_by_title(db, "文本和数据挖掘")
    assert mining.proposers[0].group is not None
    assert mining.proposers[0].group.name("zh") == "非洲集团"
    sessions = {p.approved_session_number for p in approved}
    assert sessions == {30, 31}
    cdip30 = db.get_one(CdipSession, 30)
    assert (cdip30.start_date.isoformat(), cdip30.end_date.isoformat()) == (
        "2023-04-24",
        "2023-04-28",
    )
    assert db.get_one(CdipSession, 31).end_date.isoformat() == "2023-12-01"


def test_every_fact_has_provenance(db: Session) -> None:
    gastronomy = project_by_title(db, "美食旅游业发展——第二阶段")
    approval = next(
        c
        for c in gastronomy.status_history
        if c.status is ProjectStatus.APPROVED and c.kind is StatementKind.EVENT
    )
    where = db.get_one(SourceLocation, approval.source_location_id)
    assert (where.paragraph, where.sub_item) == (19, "iv)")
    annex_row = next(c for c in gastronomy.status_history if c.kind is StatementKind.YEAR_END)
    assert (annex_row.as_of_year, annex_row.on_date) == (2023, None)
    assert db.get_one(SourceLocation, annex_row.source_location_id).annex == "II"


def test_country_mentions_are_all_resolved(db: Session) -> None:
    mentions = db.scalars(select(CountryMention)).all()
    assert len(mentions) > 50
    assert all(m.country_alpha3 or m.group_code for m in mentions)
    footnote_6 = {m.country_alpha3 for m in mentions if m.location.footnote == 6}
    assert footnote_6 == {"SWZ", "ETH", "GMB", "LBR", "MLI", "NAM", "NER", "NGA", "TZA", "UGA"}


def test_documents_cited(db: Session) -> None:
    symbols = set(db.scalars(select(Document.symbol)))
    assert {"CDIP/31/4", "CDIP/31/3", "CDIP/31/2", "CDIP/31/8"} <= symbols


def test_ingest_twice_changes_nothing(initialized_database: AppContext) -> None:
    with initialized_database.transaction() as session:
        first = ingest_report(session, REPORT)
    before = snapshot(initialized_database, without=("ingest_run",))
    with initialized_database.transaction() as session:
        second = ingest_report(session, REPORT)
    assert first.outcome == "loaded" and second.outcome == "unchanged"
    assert second.counts == first.counts
    assert second.version == first.version == 1
    # Only the record of the second ingest is new.
    assert snapshot(initialized_database, without=("ingest_run",)) == before
    with initialized_database.transaction() as session:
        runs = ingest_runs(session)
    assert [run.outcome for run in runs] == ["unchanged", "loaded"]


def test_failure_leaves_the_database_as_it_was(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    before = snapshot(initialized_database, without=("ingest_run",))
    broken = tmp_path / "broken.txt"
    broken.write_text(
        REPORT.read_text(encoding="utf-8").replace("i) 肯尼亚提交的", "i) 火星共和国提交的"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised, initialized_database.transaction() as session:
        ingest_report(session, broken)
    assert "paragraph 19" in str(raised.value)
    assert "火星共和国" in str(raised.value)
    assert raised.value.line == 38
    assert snapshot(initialized_database, without=("ingest_run",)) == before


def _later_report(tmp_path: Path) -> Path:
    """The 2023 report redated to 2024, with one ongoing project moved to completed."""
    text = REPORT.read_text(encoding="utf-8").replace("2023年度", "2024年度", 1)
    text = text.replace("\t1.\n\t识别和运用公有领域的发明\n", "")
    text = text.replace(
        "\t40.\n\t版权与数字环境中的内容分发\n",
        "\t40.\n\t版权与数字环境中的内容分发\n\n\t41.\n\t识别和运用公有领域的发明\n",
    )
    later = tmp_path / "dg-report-da-2024.zh.txt"
    later.write_text(text, encoding="utf-8")
    return later


def test_a_later_report_moves_projects_along(report_copy: AppContext, tmp_path: Path) -> None:
    with report_copy.transaction() as session:
        before = project_by_title(session, "识别和运用公有领域的发明")
        # Ongoing at the end of 2023 by Annex II; completed in December 2023 by ¶71 (ii).
        assert before.status is ProjectStatus.COMPLETED
        project_id = before.id
    with report_copy.transaction() as session:
        summary = ingest_report(session, _later_report(tmp_path), year=2024)
    assert summary.source == "dg-report/2024/zh"
    with report_copy.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == 55
        moved = project_by_title(session, "识别和运用公有领域的发明")
        assert moved.id == project_id
        assert moved.status is ProjectStatus.EVALUATED
        history = {(c.status, c.kind, c.as_of_year) for c in moved.status_history}
        assert (ProjectStatus.ONGOING, StatementKind.YEAR_END, 2023) in history
        assert (ProjectStatus.EVALUATED, StatementKind.YEAR_END, 2024) in history


def test_a_corrected_edition_replaces_the_earlier_one(
    initialized_database: AppContext, tmp_path: Path
) -> None:
    with initialized_database.transaction() as session:
        first = ingest_report(session, REPORT)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(
        REPORT.read_text(encoding="utf-8").replace("2、 专利和技术部门", "二、专利和技术部门"),
        encoding="utf-8",
    )
    with initialized_database.transaction() as session:
        second = ingest_report(session, corrected, replace=True)
    assert second.outcome == "replaced"
    # The corrected chapter numeral removes the checker's finding on it, and nothing else.
    assert second.counts == {**first.counts, "findings": first.counts["findings"] - 1}


def test_recommendation_citations_are_stored(db: Session) -> None:
    detail = get_recommendation(db, 10)
    places = {(m.paragraph, m.sub_item) for m in detail.mentions}
    assert {(19, "i)"), (19, "ii)"), (19, "iii)")} <= places
    assert all("建议" in m.snippet for m in detail.mentions)


def test_the_checker_findings_are_stored_in_place(db: Session) -> None:
    findings = report_findings(db, 2023, "zh")
    assert len(findings) == 16
    chapter_numeral = next(f for f in findings if f.code == "DA-NUM-003")
    assert chapter_numeral.location.heading_position is not None
    ip_tad = next(f for f in findings if f.code == "DA-NAM-002" and f.location.annex == "II")
    assert (ip_tad.location.annex_group, ip_tad.location.row) == ("completed_evaluated", 2)


def _english_edition(tmp_path: Path) -> Path:
    """An English edition of the 2023 report: a short narrative (the reader's English test
    excerpt) and full annexes in the same order as the Chinese edition's, worded with the
    shipped English texts."""
    chinese = read_report(REPORT)
    texts = {r.number: r for r in read_recommendations()}
    titles = {r.code: r.title_en for r in read_expected_results()}
    lines = [ENGLISH.split("LINKING THE 45")[0].rstrip("\n")]
    lines.append("LINKING THE 45 DEVELOPMENT AGENDA RECOMMENDATIONS WITH THE WIPO EXPECTED RESULTS")
    for row in chinese.annex_recommendations:
        star = "*" if texts[row.number].immediate else ""
        note = "[footnoteRef:4] [4: \tStarred recommendations: immediate implementation.]"
        lines.append(f"\tRecommendation {row.number}{star}{note if row.number == 1 else ''}")
        lines.append("\tLink to Expected Results")
        lines.append("\t" + texts[row.number].text_en)
        links = [f"{link.code} {titles[link.code]}" for link in row.expected_results]
        lines.append("\t" + "\n".join(links))
    lines.append("LIST OF DA PROJECTS AS OF 2023")
    headings = {
        "completed_evaluated": "Completed and evaluated DA projects",
        "ongoing": "Ongoing DA projects as of December 2023",
        "approved": "DA projects approved in 2023",
    }
    rows = read_project_titles()
    for group, heading in headings.items():
        in_group = [r for r in rows if r.group == group]
        lines.append(f"\t{heading} ({len(in_group)})")
        for record in in_group:
            lines += [f"\t{record.row}.", f"\t{record.title_en}"]
    edition = tmp_path / "dg-report-da-2023.en.txt"
    edition.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return edition


def test_an_english_edition_replaces_our_translations(
    report_copy: AppContext, tmp_path: Path
) -> None:
    with report_copy.transaction() as session:
        summary = ingest_report(session, _english_edition(tmp_path))
    assert summary.source == "dg-report/2023/en"
    with report_copy.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == 55

        def wording(texts, language):  # type: ignore[no-untyped-def]
            text = next(t for t in texts if t.language == language)
            where = session.get_one(SourceLocation, text.source_location_id)
            return text.status, where.source.key, where.annex, where.row

        first = session.get_one(Recommendation, 1)
        assert wording(first.texts, "en") == (TextStatus.OFFICIAL, "dg-report/2023/en", "I", 1)
        assert wording(first.texts, "zh") == (TextStatus.OFFICIAL, "dg-report/2023/zh", "I", 1)
        gastronomy = next(
            p
            for p in session.scalars(select(Project))
            if p.text_in("zh") == "秘鲁及其他发展中国家的知识产权与美食旅游业："
            "通过知识产权促进美食旅游业发展"
        )
        assert wording(gastronomy.texts, "en") == (
            TextStatus.OFFICIAL,
            "dg-report/2023/en",
            "II",
            39,
        )
        assert "Gastronomic Tourism" in gastronomy.text_in("en")
        result = session.get_one(ExpectedResult, "4.1")
        assert {t.language: t.status for t in result.texts}["en"] is TextStatus.OFFICIAL


def test_the_same_text_in_another_encoding_is_the_same_edition(
    report_copy: AppContext, tmp_path: Path
) -> None:
    windows = tmp_path / "dg-report-da-2023.gb18030.txt"
    text = REPORT.read_text(encoding="utf-8")
    windows.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    with report_copy.transaction() as session:
        assert ingest_report(session, windows).outcome == "unchanged"
