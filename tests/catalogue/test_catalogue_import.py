"""`catalogue import` over a database holding the real 2023 report, on SQLite and
PostgreSQL: the real sample fills recommendation links (and the dashboard's coverage moves
with them), every imported fact cites its source, a second import updates rather than
duplicates, and a file with bad rows stores nothing and names each bad row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.helpers import rolled_back, snapshot
from tests.web.support import web_app

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.coverage import project_coverage
from devagenda.catalogue.models import ProjectRecommendation
from devagenda.core.context import AppContext
from devagenda.core.imports import ImportRefused, ImportWouldReplace
from devagenda.web.dashboard import dashboard

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "catalogue" / "da-projects-sample.csv"
PATENT_TOOLS = "开发专利信息查询工具"
HEADER = "code,title_zh,recommendations,approved_session,sector,proposers,budget_chf,source\n"


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A copy of the 2023 report's database for this module, whose tests write to it."""
    with databases.report_copy() as context:
        yield context


@pytest.fixture
def db(loaded: AppContext) -> Iterator[Session]:
    """A session whose writes are rolled back after the test, so tests do not interact."""
    with rolled_back(loaded) as session:
        yield session


def _project_id(session: Session, title: str) -> int:
    return next(p.id for p in catalogue.project_listing(session).all() if p.title_zh == title)


def _write(tmp_path: Path, text: str, name: str = "facts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_sample_fills_links_and_moves_the_dashboard(db: Session) -> None:
    before = dashboard(db)
    assert before.links.known == 7 and before.links.total == 55
    assert 8 in {r.number for r in before.gaps}

    result = catalogue.import_catalogue(db, SAMPLE)

    assert result.rows == 7
    assert result.facts["recommendation_links"] == 14
    after = dashboard(db)
    assert after.links.known == 14
    gaps = {r.number for r in after.gaps}
    assert {5, 7, 8, 20, 32} & gaps == set()  # these have a known project now
    assert len(gaps) == len(before.gaps) - 5
    tools = catalogue.get_project(db, _project_id(db, PATENT_TOOLS))
    assert [r.number for r in tools.recommendations] == [19, 30, 31]
    assert {r.source.source for r in tools.recommendations if r.source} == {"CDIP/10/6"}
    assert [d.symbol for d in tools.documents] == ["CDIP/10/6"]
    proposals = catalogue.get_project(db, _project_id(db, "成功的发展议程项目提案用工具"))
    assert proposals.code == "DA_01_05_01"
    assert [r.number for r in proposals.recommendations] == [1, 5]  # named by the code
    assert proposals.fact_sources["code"].source.startswith("https://dacatalogue.wipo.int/")


def test_a_second_import_updates_rather_than_duplicates(db: Session, tmp_path: Path) -> None:
    catalogue.import_catalogue(db, SAMPLE)
    links = db.scalar(select(func.count()).select_from(ProjectRecommendation))
    catalogue.import_catalogue(db, SAMPLE)
    assert db.scalar(select(func.count()).select_from(ProjectRecommendation)) == links
    corrected = _write(tmp_path, HEADER + f',{PATENT_TOOLS},"19, 31",,,,,CDIP/10/6\n')
    with pytest.raises(ImportWouldReplace) as refused, db.begin_nested():
        catalogue.import_catalogue(db, corrected)
    assert [item.changes for item in refused.value.replaced] == [("recommendation 30 removed",)]
    catalogue.import_catalogue(db, corrected, replace=True)
    tools = catalogue.get_project(db, _project_id(db, PATENT_TOOLS))
    assert [r.number for r in tools.recommendations] == [19, 31]  # the source's new statement


def test_single_facts_budget_and_proposers_carry_their_source(db: Session, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + f',{PATENT_TOOLS},,CDIP/4,IES,"Brazil, 秘鲁","1,018,000",CDIP/4/2\n',
    )
    tools_id = _project_id(db, PATENT_TOOLS)  # loaded before the import changes it
    assert catalogue.get_project(db, tools_id).approved_session is None
    result = catalogue.import_catalogue(db, path)
    assert result.facts["approved_session"] == 1 and result.facts["proposers"] == 2
    tools = catalogue.get_project(db, tools_id)
    assert tools.approved_session is not None and tools.approved_session.number == 4
    assert tools.sector is not None and tools.sector.code == "IES"
    assert [(a.key, a.source.source if a.source else None) for a in tools.proposers] == [
        ("BRA", "CDIP/4/2"),
        ("PER", "CDIP/4/2"),
    ]
    assert str(tools.budget_chf) == "1018000.00"
    assert {fact: p.source for fact, p in tools.fact_sources.items()} == {
        "approved_session": "CDIP/4/2",
        "sector": "CDIP/4/2",
        "budget_chf": "CDIP/4/2",
    }
    assert project_coverage(db).budget.known == 1


GASTRONOMY_II = (
    "秘鲁及其他发展中国家的知识产权和美食旅游业：通过知识产权促进美食旅游业发展——第二阶段"
)


def test_a_bad_file_stores_nothing_and_names_every_bad_row(
    loaded: AppContext, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        HEADER
        + f',{PATENT_TOOLS},"19, 30, 31",,,,,CDIP/10/6\n'  # row 2: good
        + ',知识产权与竞争政策,"7, 46",,,,,CDIP/4/2\n'
        + ",没有这个项目,8,,,,,CDIP/4/2\n"
        + "DA_8_01,知识产权与公有领域,9,,,,,CDIP/4/2\n"
        + f",{GASTRONOMY_II},,31,,,,CDIP/31/1\n"  # the report says CDIP/30
        + ",专利与公有领域,,,XYZ,,,CDIP/4/2\n"
        + ",知识产权与人才流失,,,,Atlantis,,CDIP/4/2\n"
        + ",知识产权与非正规经济,34,,,,,\n",
    )
    before = snapshot(loaded)
    with pytest.raises(ImportRefused) as caught, loaded.transaction() as session:
        catalogue.import_catalogue(session, path)
    assert snapshot(loaded) == before, "nothing stored, not even the good row 2"
    problems = {(p.row, p.column): p.reason for p in caught.value.problems}
    assert list(problems) == [
        (3, "recommendations"),
        (4, "title_zh"),
        (5, "recommendations"),
        (6, "approved_session"),
        (7, "sector"),
        (8, "proposers"),
        (9, "source"),
    ]
    assert "46 is not a recommendation number (1-45)" in problems[(3, "recommendations")]
    assert "no stored project" in problems[(4, "title_zh")]
    assert "names 8, the column 9" in problems[(5, "recommendations")]
    assert problems[(6, "approved_session")].startswith(
        "the ingested reports state 30, the file 31"
    )
    assert "unknown sector code 'XYZ'" in problems[(7, "sector")]
    assert "unknown country or group 'Atlantis'" in problems[(8, "proposers")]
    assert problems[(9, "source")] == "value is empty"
    message = str(caught.value)
    assert message.startswith(f"{path}: 7 problems, nothing stored: row 3, column")
    assert "\n" not in message
    assert caught.value.lines()[0].startswith(f"{path}: row 3, column 'recommendations': ")


def test_xlsx_template_filled_in_imports(db: Session, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "filled.xlsx"
    path.write_bytes(catalogue.catalogue_template("xlsx"))
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = dict.fromkeys(header, None)
    row.update(
        {"title_zh": "知识产权与人才流失", "recommendations": "39, 40", "source": "CDIP/5/4"}
    )
    sheet.append([row[name] for name in header])
    workbook.save(path)
    catalogue.import_catalogue(db, path)
    brain_drain = catalogue.get_project(db, _project_id(db, "知识产权与人才流失"))
    assert [r.number for r in brain_drain.recommendations] == [39, 40]


def test_pages_say_what_changed(report_copy: AppContext) -> None:
    """The dashboard and a recommendation page over a database after the sample import."""
    context = report_copy
    with TestClient(web_app(context)) as client:
        home = client.get("/?lang=en").text
        assert "for 7 of the 55 projects" in home
        assert "No project in the loaded sources" in client.get("/recommendations/8").text
        with context.transaction() as session:
            catalogue.import_catalogue(session, SAMPLE)
        home = client.get("/?lang=en").text
        assert "for 14 of the 55 projects" in home
        assert "Recommendation links known for 14 of 55 projects." in home
        eight = client.get("/recommendations/8?lang=en").text
        assert "Specialized Databases" in eight
        assert "No project in the loaded sources" not in eight
        assert (
            'href="/documents/CDIP/10/6"'
            in client.get(f"/projects/{_id_in(context, PATENT_TOOLS)}").text
        )


def _id_in(context: AppContext, title: str) -> int:
    with context.sessions() as session:
        return _project_id(session, title)
