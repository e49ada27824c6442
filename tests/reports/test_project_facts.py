"""Project facts read against the real 2023 report, on SQLite and PostgreSQL: states,
events, dates, proposers, sectors and beneficiaries.

Each expectation quotes the line of data/reports/dg-report-da-2023.zh.txt it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.api import create_app
from devagenda.catalogue import lifecycle, services
from devagenda.catalogue.models import (
    DatePrecision,
    Project,
    ProjectStatus,
    ProjectStatusChange,
    StatementKind,
)
from devagenda.catalogue.schemas import ProjectFilter
from devagenda.core.context import AppContext
from devagenda.core.models import SourceLocation
from devagenda.reports.models import ReportFinding

# The projects the report's 已纳入主流的发展议程项目 sections name, by their Annex II title.
# Entries that name no phase are the latest phase, which continues the earlier one.
MAINSTREAMED = {
    # L50 "(i) 建立“初创”国家知识产权学院，目前称为知识产权培训机构（IPTI）项目：…"
    "建立“初创”国家知识产权学院——第二阶段",
    # L52 "(ii) 进行使用特定技术的适当信息方面的能力建设，以应对已查明的发展挑战：…"
    "进行使用特定技术的适当的信息方面的能力建设，以应对已查明的发展挑战——第二阶段",
    # L53 "(iii) 知识产权技术援助数据库（IP-TAD）…继续适应…"
    "知识产权技术援助数据库（IP TAD）",
    # (L55 "(iv) 产权组织顾问花名册数据库（IP-ROC）…": no Annex II row of its own)
    # L57 "(v) 知识产权发展资源牵线搭桥数据库，即目前的WIPO Match：…"
    "知识产权发展资源牵线搭桥数据库（IP DMD）",
    # L59 "(vi) 加强发展中国家和最不发达国家之间知识产权与发展问题南南合作：…"
    "加强发展中国家和最不发达国家之间知识产权与发展问题南南合作",
    # L61 "(vii) 成功的发展议程项目提案用工具项目已完成，并且…已纳入产权组织常规工作的主流"
    "成功的发展议程项目提案用工具",
    # L63 "(viii) 面向发展中国家和最不发达国家企业发展的知识产权与产品品牌建设项目活动已纳入…"
    "面向发展中国家和最不发达国家企业发展的知识产权与产品品牌建设",
    # L98 "37. 关于知识产权和外观设计管理促进发展中国家和最不发达国家企业发展的项目…"
    "知识产权和外观设计管理促进发展中国家和最不发达国家企业发展",
    # L122 "(i) 知识产权与公有领域：继续强调版权文件系统。"
    "知识产权与公有领域",
    # L123 "(ii) 知识产权、信息与通信技术（ICT）、数字鸿沟和知识获取项目，以及…"
    "知识产权、信息与通信技术（ICT）、数字鸿沟和获取知识",
    # L140 "50. 关于创建智能知识产权机构的发展议程项目：…"
    "创建智能知识产权机构项目",
    # L170 "62. 知识产权与竞争政策：[footnoteRef:131]工作重心仍然是…"
    "知识产权与竞争政策",
    # L192 "(i) 专业数据库接入和支持：…已纳入向TISC及其利益攸关方提供的常规活动的主流"
    "专业数据库接入和支持——第二阶段",
    # L194 "(ii) 开发专利信息查询工具：…"
    "开发专利信息查询工具——第二阶段",
    # L196 "(iii) 运用公有领域信息促进经济发展：…"
    "运用公有领域信息促进经济发展",
    # L198 "(iv) 知识产权管理与技术转让：促进发展中国家、最不发达国家和经济转型国家有效利用…"
    "知识产权管理与技术转让：促进发展中国家、最不发达国家和经济转型国家有效利用知识产权",
    # L200 "(v) “知识产权与技术转让：共同挑战——共同解决”：…"
    "知识产权与技术转让：共同挑战——共同解决",
    # L201 "(vi) 提升国家、次区域和区域知识产权机构和用户的能力：…"
    "提升国家、次区域和区域知识产权机构和用户的能力",
    # L203 "(vii) “知识产权与非正规经济”项目以及…"
    "知识产权与非正规经济",
    # L205 "(viii) 与发展中国家和最不发达国家司法培训机构在发展与知识产权教育和职业培训方面的…"
    "与发展中国家和最不发达国家司法培训机构在发展与知识产权教育和职业培训方面的合作",
    # L207 "(ix) 加大女性在创新创业方面的作用、鼓励发展中国家女性运用知识产权制度于2022年12月…"
    "加大女性在创新创业方面的作用、鼓励发展中国家女性运用知识产权制度",
    # L217 "73. 加强产权组织注重成果的管理（RBM）框架：…"
    "加强产权组织注重成果的管理（RBM）框架为监测和评价产权组织活动对发展产生的影响提供支持",
}
PUBLIC_DOMAIN_INVENTIONS = "识别和运用公有领域的发明"


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A copy of the 2023 report's database for this module, whose tests write to it."""
    with databases.report_copy() as context:
        yield context


@pytest.fixture
def db(loaded: AppContext) -> Iterator[Session]:
    with loaded.transaction() as session:
        yield session


@pytest.fixture(scope="module")
def client(loaded: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(loaded)) as test_client:
        yield test_client


def project(session: Session, title: str) -> Project:
    """The project with exactly this Chinese (Annex II) title."""
    [found] = [p for p in session.scalars(select(Project)) if p.text_in("zh") == title]
    return found


def titles(projects: object) -> set[str]:
    return {p.title_zh for p in projects}  # type: ignore[attr-defined]


# -- states ----------------------------------------------------------------------------------


def test_mainstreamed_finds_the_22_the_report_names(db: Session) -> None:
    assert len(MAINSTREAMED) == 22
    listing = services.project_listing(db, ProjectFilter(status=ProjectStatus.MAINSTREAMED))
    mainstreamed = list(listing.all())
    assert titles(mainstreamed) == MAINSTREAMED
    # Mainstreaming follows evaluation and does not replace it: L587 "已完成且已经审评的
    # 发展议程项目（40个）" lists every one of them, and the evaluated filter finds them too.
    evaluated = list(
        services.project_listing(db, ProjectFilter(status=ProjectStatus.EVALUATED)).all()
    )
    assert len(evaluated) == 40
    assert titles(evaluated) >= MAINSTREAMED
    assert all(
        p.states == [ProjectStatus.EVALUATED, ProjectStatus.MAINSTREAMED] for p in mainstreamed
    )
    counts = services.state_counts(db)
    assert (counts[ProjectStatus.MAINSTREAMED], counts[ProjectStatus.EVALUATED]) == (22, 40)


def test_every_interface_filters_by_mainstreamed(client: TestClient) -> None:
    api = client.get("/api/projects", params={"status": "mainstreamed", "limit": 100}).json()
    assert {item["title_zh"] for item in api["items"]} == MAINSTREAMED
    pages, url = [], "/projects?status=mainstreamed&lang=zh"
    while url:
        html = client.get(url).text
        pages.append(html)
        following = re.search(r'href="([^"]+)" rel="next"', html)
        url = following.group(1).replace("&amp;", "&") if following else ""
    text = "".join(pages)
    assert re.search(r"共22条，显示第1至\d+条", pages[0])
    assert [title for title in MAINSTREAMED if title not in text] == []
    # L718 "发展布基纳法索…若干国家音乐领域和新音乐经济模式" is ongoing, not mainstreamed.
    assert "若干国家音乐领域和新音乐经济模式" not in text


def test_an_annex_group_is_a_state_at_the_end_of_the_year(db: Session, client: TestClient) -> None:
    # L620 "知识产权、信息与通信技术（ICT）、数字鸿沟和获取知识" under L587
    # "已完成且已经审评的发展议程项目（40个）": evaluated by the end of 2023, on no stated day.
    ict = project(db, "知识产权、信息与通信技术（ICT）、数字鸿沟和获取知识")
    [year_end] = [c for c in ict.status_history if c.kind is StatementKind.YEAR_END]
    assert (year_end.status, year_end.as_of_year, year_end.on_date) == (
        ProjectStatus.EVALUATED,
        2023,
        None,
    )
    assert db.get_one(SourceLocation, year_end.source_location_id).annex == "II"
    page = client.get(f"/projects/{ict.id}", params={"lang": "en"}).text
    assert "As of end of 2023" in page
    assert "31 December 2023" not in page
    chinese = client.get(f"/projects/{ict.id}", params={"lang": "zh"}).text
    assert "截至2023年底" in chinese and "2023年12月31日" not in chinese


def test_a_dated_change_the_annex_does_not_reflect(
    db: Session, client: TestClient, loaded: AppContext
) -> None:
    # L212 "(ii) 识别和运用公有领域的发明：项目于2023年12月实施完成。…在本届会议上，委员会将
    # 审议该项目的完成报告" against L712, row 1 of L709 "截至2023年12月仍在实施的发展议程项目".
    found = project(db, PUBLIC_DOMAIN_INVENTIONS)
    assert found.states == [ProjectStatus.COMPLETED]
    assert (found.end_date, found.end_precision) == (date(2023, 12, 31), DatePrecision.MONTH)
    detail = services.get_project(db, found.id)
    [conflict] = detail.status_conflicts
    assert (conflict.narrative.status, conflict.narrative.date) == (
        ProjectStatus.COMPLETED,
        date(2023, 12, 31),
    )
    assert conflict.narrative.source is not None and conflict.narrative.source.paragraph == 71
    assert (conflict.year_end.status, conflict.year_end.as_of_year) == (ProjectStatus.ONGOING, 2023)
    page = client.get(f"/projects/{found.id}", params={"lang": "en"}).text
    assert "The sources disagree" in page and "December 2023" in page
    # The checker reports the same conflict where the narrative states it.
    findings = db.execute(
        select(ReportFinding.code, SourceLocation.line)
        .join(SourceLocation, SourceLocation.id == ReportFinding.source_location_id)
        .where(ReportFinding.code == "DA-STA-001")
    ).all()
    assert [tuple(row) for row in findings] == [("DA-STA-001", 212)]
    # The annex as printed still lists it as ongoing.
    assert not services.get_project(db, project(db, "知识产权与公有领域").id).status_conflicts


# -- events ----------------------------------------------------------------------------------


def test_no_default_year_where_the_text_gives_none(db: Session) -> None:
    # L127 "(i) 版权与数字环境中的内容分发[footnoteRef:94]：项目第二阶段在CDIP第三十一届会议上
    # 批准。" under the heading L125 "正在实施的发展议程项目": approved, not ongoing.
    phase_two = project(db, "版权与数字环境中的内容分发项目——第二阶段")
    assert phase_two.states == [ProjectStatus.APPROVED]
    assert ProjectStatus.ONGOING not in {c.status for c in phase_two.status_history}
    # …dated by the session, which L44 and ¶19 say ended on 1 December 2023.
    narrative = [c for c in phase_two.status_history if c.kind is StatementKind.EVENT]
    assert {(c.on_date, c.date_precision) for c in narrative} == {
        (date(2023, 12, 1), DatePrecision.DAY)
    }
    # L61 "(vii) 成功的发展议程项目提案用工具项目已完成": completed, on no date the text gives.
    tools = project(db, "成功的发展议程项目提案用工具")
    completed = [c for c in tools.status_history if c.status is ProjectStatus.COMPLETED]
    assert [(c.kind, c.on_date, c.as_of_year) for c in completed] == [
        (StatementKind.REPORTED, None, 2023)
    ]
    # L45 "委员会讨论并审议了以下三个发展议程项目的完成和最终独立评价报告": no date either.
    gastronomy = project(
        db, "秘鲁及其他发展中国家的知识产权与美食旅游业：通过知识产权促进美食旅游业发展"
    )
    assert all(c.on_date is None for c in gastronomy.status_history)


def test_events_in_footnotes_give_start_and_end_dates(db: Session) -> None:
    # L205 footnote 169: "该项目由WIPO学院从2016年至2018年在四个试点国家实施。项目于2018年
    # 12月完成后，纳入由产权组织司法研究所协调的继续司法教育（CJE）计划的主流。"
    judicial = project(
        db, "与发展中国家和最不发达国家司法培训机构在发展与知识产权教育和职业培训方面的合作"
    )
    assert (judicial.start_date.year, judicial.start_precision) == (2016, DatePrecision.YEAR)
    assert (judicial.end_date, judicial.end_precision) == (date(2018, 12, 31), DatePrecision.MONTH)
    dated = [c for c in judicial.status_history if c.on_date is not None]
    footnotes = {db.get_one(SourceLocation, c.source_location_id).footnote for c in dated}
    assert footnotes == {169}
    assert judicial.states == [ProjectStatus.EVALUATED, ProjectStatus.MAINSTREAMED]


def test_a_proposer_written_x_proposed(db: Session) -> None:
    # L66 "23. 该部门负责实施突尼斯提议的通过创新和知识产权减少与工作有关的事故和职业病项目。…
    # 项目于2023年开始实施。"
    accidents = project(db, "通过创新和知识产权减少与工作有关的事故和职业病")
    assert [(p.country_alpha3, p.name_as_printed) for p in accidents.proposers] == [
        ("TUN", "突尼斯")
    ]
    where = db.get_one(SourceLocation, accidents.proposers[0].source_location_id)
    assert (where.paragraph, where.line) == (23, 66)
    assert (accidents.start_date.year, accidents.start_precision) == (2023, DatePrecision.YEAR)
    assert accidents.end_date is None


# -- sector and beneficiaries ----------------------------------------------------------------


def test_sector_is_the_chapter_that_reports_on_the_project(db: Session) -> None:
    # L207 "(ix) 加大女性在创新创业方面的作用…" in chapter 七 (L172 "七、知识产权和创新生态系统
    # 部门"), although L45 (¶20, chapter 一) lists its evaluation with two others.
    women = project(db, "加大女性在创新创业方面的作用、鼓励发展中国家女性运用知识产权制度")
    assert women.sector_code == "IES"
    # L127 "(i) 版权与数字环境中的内容分发" in chapter 四 (L104 "四、版权和创意产业部门").
    assert project(db, "版权与数字环境中的内容分发").sector_code == "CCIS"
    # L45 alone names "秘鲁及其他发展中国家的知识产权与美食旅游业…": no sector is stated.
    gastronomy = project(
        db, "秘鲁及其他发展中国家的知识产权与美食旅游业：通过知识产权促进美食旅游业发展"
    )
    assert gastronomy.sector_code is None


def test_beneficiaries_are_the_projects_own(db: Session) -> None:
    # L52 "(ii) 进行使用特定技术的适当信息方面的能力建设…2023年，在不丹和马拉维启动了试点项目":
    # activities that continue the mainstreamed project, not its beneficiaries.
    technology = project(
        db, "进行使用特定技术的适当的信息方面的能力建设，以应对已查明的发展挑战——第二阶段"
    )
    assert technology.beneficiaries == []
    # L207 "(ix) 加大女性…于2022年12月在墨西哥、乌干达、阿曼和巴基斯坦圆满完成": the project itself.
    women = project(db, "加大女性在创新创业方面的作用、鼓励发展中国家女性运用知识产权制度")
    assert [b.country_alpha3 for b in women.beneficiaries] == ["MEX", "UGA", "OMN", "PAK"]
    # L66 "项目的四个受益国已选定：突尼斯、喀麦隆、冈比亚和伊朗伊斯兰共和国。"
    accidents = project(db, "通过创新和知识产权减少与工作有关的事故和职业病")
    assert [b.country_alpha3 for b in accidents.beneficiaries] == ["TUN", "CMR", "GMB", "IRN"]


# -- the rules, on statements made by hand -----------------------------------------------------


def statement(
    status: ProjectStatus,
    kind: StatementKind,
    *,
    on: date | None = None,
    year: int | None = None,
) -> ProjectStatusChange:
    return ProjectStatusChange(status=status, kind=kind, on_date=on, as_of_year=year)


EVENT, YEAR_END, REPORTED = StatementKind.EVENT, StatementKind.YEAR_END, StatementKind.REPORTED


@pytest.mark.parametrize(
    ("statements", "stage", "conflicts"),
    [
        # ¶71 (ii) against Annex II: the narrative's later stage of the same year stands.
        (
            [
                statement(ProjectStatus.ONGOING, YEAR_END, year=2023),
                statement(ProjectStatus.COMPLETED, EVENT, on=date(2023, 12, 31)),
            ],
            ProjectStatus.COMPLETED,
            1,
        ),
        # Completed in July, evaluated by the year's end: the annex is ahead, no conflict.
        (
            [
                statement(ProjectStatus.COMPLETED, EVENT, on=date(2023, 7, 31)),
                statement(ProjectStatus.EVALUATED, YEAR_END, year=2023),
            ],
            ProjectStatus.EVALUATED,
            0,
        ),
        # A later year's annex moves the project on; last year's narrative is no conflict.
        (
            [
                statement(ProjectStatus.COMPLETED, EVENT, on=date(2023, 12, 31)),
                statement(ProjectStatus.ONGOING, YEAR_END, year=2023),
                statement(ProjectStatus.EVALUATED, YEAR_END, year=2024),
            ],
            ProjectStatus.EVALUATED,
            1,
        ),
        # Mainstreamed counts as evaluated and is no conflict with an evaluated annex row.
        (
            [
                statement(ProjectStatus.EVALUATED, YEAR_END, year=2023),
                statement(ProjectStatus.MAINSTREAMED, REPORTED, year=2023),
            ],
            ProjectStatus.EVALUATED,
            0,
        ),
        # An undated heading of the year does not outweigh the year's end: approved.
        (
            [
                statement(ProjectStatus.APPROVED, YEAR_END, year=2023),
                statement(ProjectStatus.ONGOING, REPORTED, year=2023),
            ],
            ProjectStatus.APPROVED,
            0,
        ),
        ([], None, 0),
    ],
)
def test_stage_and_conflicts_from_statements(
    statements: list[ProjectStatusChange], stage: ProjectStatus | None, conflicts: int
) -> None:
    assert lifecycle.current_stage(statements) is stage
    assert len(lifecycle.year_end_conflicts(statements)) == conflicts
