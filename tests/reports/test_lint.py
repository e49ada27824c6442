"""The report checker on the real 2023 report and on excerpts of it.

Every check is run on a real excerpt that must pass, and on a doctored copy that must
fail with the check's code at the doctored place. Excerpts keep their real line numbers:
lines left out are blank, which the reader skips. The whole report must give exactly the
findings verified by reading it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reports.message_words import english_words

from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import parse_text, read_report
from devagenda.reports.ingest.document import Location, ReportDocument
from devagenda.reports.lint import (
    CHECKS,
    Finding,
    LintReport,
    Severity,
    lint_document,
    lint_report,
)
from devagenda.reports.lint.findings import Check, LintContext
from devagenda.reports.messages import Message

REPORT = Path(__file__).parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"
LINES = REPORT.read_text(encoding="utf-8").splitlines()
BY_CODE = {check.code: check for check in CHECKS}

# Line ranges (first, last) of parts of the report several tests need. The reader wants
# a numbered paragraph before the annexes, hence the last one with the annexes.
LAST_PARAGRAPH = (237, 238)
# A chapter heading before a section, or the reader takes the section for the title.
CHAPTER_1 = (8, 8)
CHAPTER_7 = (172, 172)
ANNEX_I = (238, 585)
ANNEX_II = (586, 756)
ONGOING_GROUP = (709, 734)
APPROVED_GROUP = (735, 756)


def excerpt(*spans: tuple[int, int]) -> str:
    """The report's lines in `spans` (1-based, inclusive), other lines left blank."""
    keep = {n for first, last in spans for n in range(first, last + 1)}
    last_line = max(last for _, last in spans)
    return "\n".join(LINES[n - 1] if n in keep else "" for n in range(1, last_line + 1))


def doctor(text: str, old: str, new: str) -> str:
    """`text` with its one `old` replaced by `new`: the test fails if `old` is not there."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def doctor_line(text: str, line: int, old: str, new: str) -> str:
    """`text` with `old` replaced by `new` in line `line` only."""
    lines = text.split("\n")
    lines[line - 1] = doctor(lines[line - 1], old, new)
    return "\n".join(lines)


def read(text: str) -> ReportDocument:
    return parse_text(text, language="zh", year=2023)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_reference_data()


def run(code: str, text: str, gazetteer: Gazetteer | None = None) -> list[Finding]:
    """The findings of one check; each must read in Chinese as well as in English."""
    check: Check = BY_CODE[code]
    findings = check.run(LintContext(read(text), gazetteer))
    for finding in findings:
        assert english_words(finding.text) == [], finding.message_in("zh")
    return findings


def places(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(finding.code, finding.location.line) for finding in findings}


def assert_clean(code: str, text: str, gazetteer: Gazetteer | None = None) -> None:
    assert run(code, text, gazetteer) == []


def assert_flags(
    code: str, text: str, lines: set[int], gazetteer: Gazetteer | None = None
) -> list[Finding]:
    findings = run(code, text, gazetteer)
    assert places(findings) == {(code, line) for line in lines}
    return findings


# ------------------------------------------------------------------ numbering


def test_paragraph_sequence() -> None:
    text = excerpt((1, 9))
    assert_clean("DA-NUM-001", text)
    findings = assert_flags(
        "DA-NUM-001", doctor(text, "5. 在报告所涉期间", "15. 在报告所涉期间"), {7, 9}
    )
    assert "15 comes where 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 should be" in findings[0].message


def test_chapter_sequence() -> None:
    text = excerpt((8, 9), (67, 68), (85, 86), (104, 105))
    assert_clean("DA-NUM-002", text)
    findings = assert_flags("DA-NUM-002", doctor(text, "三、品牌", "四、品牌"), {85, 104})
    assert "4 comes where 3 should be" in findings[0].message


def test_chapter_numeral_style() -> None:
    text = excerpt((8, 9), (85, 86), (104, 105))
    assert_clean("DA-NUM-003", text)
    [finding] = assert_flags("DA-NUM-003", doctor(text, "三、品牌", "3、品牌"), {85})
    assert finding.location.heading == "品牌和外观设计部门"


def test_list_sequence_on_inline_list() -> None:
    text = excerpt((45, 45))
    assert_clean("DA-NUM-004", text)
    assert_flags("DA-NUM-004", doctor(text, "和iii）版权", "和iv）版权"), {45})


def test_list_sequence_on_line_items() -> None:
    text = excerpt((36, 44))
    assert_clean("DA-NUM-004", text)
    doctored = doctor(text, "v) 菲律宾提交", "vi) 菲律宾提交")
    assert places(run("DA-NUM-004", doctored)) == {("DA-NUM-004", 42), ("DA-NUM-004", 43)}


def test_list_style_compares_within_one_list_only() -> None:
    # Paragraph 67 has a "(i)" list and then an "i)" list: two lists, no finding.
    for text in (excerpt((83, 83)), excerpt((182, 182))):
        assert_clean("DA-NUM-005", text)
    [finding] = assert_flags(
        "DA-NUM-005", doctor(excerpt((83, 83)), "和ii）其内容", "和(ii)其内容"), {83}
    )
    assert finding.location.paragraph == 31


def test_bullet_style() -> None:
    text = excerpt(LAST_PARAGRAPH, ANNEX_I)
    fixed = doctor(text, "-\t符合WIPO秘书处", "· 符合WIPO秘书处")
    assert_clean("DA-NUM-006", fixed)
    [finding] = assert_flags("DA-NUM-006", text, {348})
    assert finding.location.row == 15


def test_annex_sequence() -> None:
    text = excerpt(LAST_PARAGRAPH, ANNEX_II)
    assert_clean("DA-NUM-007", text)
    findings = assert_flags(
        "DA-NUM-007", doctor(text, "\t3.\n\t专业数据库", "\t2.\n\t专业数据库"), {596, 599}
    )
    # The second "2." is used twice, and so 3 is missing before row 4.
    assert [(f.location.annex, f.location.row) for f in findings] == [("II", 2), ("II", 4)]


# ------------------------------------------------------------------ footnotes


def test_reference_without_body() -> None:
    text = excerpt((18, 18))
    assert_clean("DA-FTN-001", text)
    body = LINES[17][LINES[17].index(" [12:") :]
    [finding] = assert_flags("DA-FTN-001", doctor(text, body, ""), {18})
    assert finding.location.footnote == 12


def test_body_without_reference() -> None:
    text = excerpt((18, 18))
    assert_clean("DA-FTN-002", text)
    [finding] = assert_flags("DA-FTN-002", doctor(text, "[footnoteRef:12]", ""), {18})
    assert finding.location.footnote == 12


def test_footnote_sequence() -> None:
    text = excerpt((5, 9))
    assert_clean("DA-FTN-003", text)
    swapped = text.replace("[footnoteRef:4]", "[footnoteRef:X]").replace(
        "[footnoteRef:5]", "[footnoteRef:4]"
    )
    swapped = swapped.replace("[footnoteRef:X]", "[footnoteRef:5]")
    swapped = doctor(
        doctor(swapped, "[4: \t产权组织在", "[5: \t产权组织在"),
        "[5:  \t发展故事",
        "[4:  \t发展故事",
    )
    assert_flags("DA-FTN-003", swapped, {9})


def test_reference_repeated() -> None:
    text = excerpt((18, 18))
    assert_clean("DA-FTN-004", text)
    doctored = doctor(text, "1,000多名学生提供。", "1,000多名学生提供。[footnoteRef:12]")
    [finding] = assert_flags("DA-FTN-004", doctored, {18})
    assert finding.location.footnote == 12


# ------------------------------------------------------------------ names


VARIANT_2_1 = "发展兼顾各方利益的、有效的国际知识产权准则制定框架。"


def test_expected_result_titles() -> None:
    text = excerpt(LAST_PARAGRAPH, (239, 294))
    assert_clean("DA-NAM-001", text)
    doctored = doctor_line(
        text, 271, "兼顾各方利益的有效知识产权国际准则制定框架得到发展。", VARIANT_2_1
    )
    [finding] = assert_flags("DA-NAM-001", doctored, {271})
    assert (finding.location.annex, finding.location.row) == ("I", 4)


def test_programme_names_by_hyphen() -> None:
    text = excerpt((49, 49), (53, 53))
    assert_clean("DA-NAM-002", text)
    doctored = doctor(text, "数据库（IP-TAD）", "数据库（IP TAD）")
    [finding] = assert_flags("DA-NAM-002", doctored, {53})
    assert "“IP TAD”" in finding.message and "“IP-TAD”" in finding.message


def test_programme_names_by_typo() -> None:
    text = excerpt((72, 72))
    fixed = doctor(text, "被纳入PATENSCOPE", "被纳入PATENTSCOPE")
    assert_clean("DA-NAM-002", fixed)
    assert_flags("DA-NAM-002", text, {72})
    # A name one letter longer at either end is another name: IPO GREEN is not WIPO GREEN.
    assert_clean("DA-NAM-002", excerpt((155, 158)))


def test_project_names() -> None:
    text = excerpt(CHAPTER_7, (209, 212), LAST_PARAGRAPH, ANNEX_II)
    assert_clean("DA-NAM-003", text)
    doctored = doctor(text, "(i) 系统化统计数据", "(i) 系统整理统计数据")
    [finding] = assert_flags("DA-NAM-003", doctored, {211})
    assert finding.severity is Severity.WARNING


def test_project_names_in_particles_only_are_advisory() -> None:
    [finding] = assert_flags(
        "DA-NAM-003", excerpt(CHAPTER_1, (48, 52), LAST_PARAGRAPH, ANNEX_II), {52}
    )
    assert finding.severity is Severity.ADVISORY


def test_unknown_countries(gazetteer: Gazetteer) -> None:
    text = excerpt((12, 12))
    assert_clean("DA-NAM-004", text, gazetteer)
    doctored = doctor(text, "斯威士兰、埃塞俄比亚、", "斯威士兰、埃赛俄比亚、")
    [finding] = assert_flags("DA-NAM-004", doctored, {12}, gazetteer)
    assert finding.location.footnote == 6 and "埃塞俄比亚" in finding.message


def test_unknown_countries_needs_the_gazetteer() -> None:
    assert_clean(
        "DA-NAM-004", doctor(excerpt((12, 12)), "埃塞俄比亚、冈比亚", "埃赛俄比亚、冈比亚")
    )


# ------------------------------------------------------------------ counts


def test_stated_count_vs_labelled_list() -> None:
    text = excerpt((36, 45))
    assert_clean("DA-CNT-001", text)
    doctored = doctor(text, "以下三个发展议程项目", "以下四个发展议程项目")
    [finding] = assert_flags("DA-CNT-001", doctored, {45})
    assert "“以下四个”" in finding.message and "3" in finding.message
    dropped = text.replace(LINES[43], "")
    assert_flags("DA-CNT-001", dropped, {37})


def test_stated_count_vs_countries(gazetteer: Gazetteer) -> None:
    text = excerpt((12, 12))
    assert_clean("DA-CNT-001", text, gazetteer)
    [finding] = assert_flags(
        "DA-CNT-001",
        doctor(text, "十个国家从讲习班中受益", "九个国家从讲习班中受益"),
        {12},
        gazetteer,
    )
    assert finding.location.footnote == 6


def test_footnoted_count_lists_countries(gazetteer: Gazetteer) -> None:
    text = excerpt((18, 18))
    assert_clean("DA-CNT-002", text, gazetteer)
    assert_flags("DA-CNT-002", doctor(text, "佛得角、古巴、", "佛得角、"), {18}, gazetteer)


def test_footnoted_count_adds_up() -> None:
    text = excerpt((88, 88))
    assert_clean("DA-CNT-002", text)
    [finding] = assert_flags(
        "DA-CNT-002", doctor(text, "两个来自阿拉伯地区", "三个来自阿拉伯地区"), {88}
    )
    assert "3 + 3 + 1 + 2" in finding.message


def test_annex_group_counts() -> None:
    text = excerpt(LAST_PARAGRAPH, ANNEX_II)
    assert_clean("DA-CNT-003", text)
    assert_flags("DA-CNT-003", doctor(text, "（7个）", "（6个）"), {735})


def test_narrative_project_totals() -> None:
    text = excerpt((36, 46), (237, 238), ANNEX_II)
    assert_clean("DA-CNT-004", text)
    assert_flags("DA-CNT-004", doctor(text, "增加至55个", "增加至54个"), {37})
    assert_flags("DA-CNT-004", doctor(text, "2023年有8个", "2023年有9个"), {46})


def test_recommendation_totals() -> None:
    text = excerpt((46, 46), ANNEX_I)
    assert_clean("DA-CNT-005", text)
    assert_flags("DA-CNT-005", doctor(text, "实施45项发展议程建议", "实施44项发展议程建议"), {46})
    starred = doctor(text, "经修订的结构，", "经修订的结构（其中19项须予立即落实），")
    assert_clean("DA-CNT-005", starred)
    assert_flags("DA-CNT-005", doctor(starred, "19项须予", "18项须予"), {46})


def test_figure_stated_twice() -> None:
    text = excerpt((179, 179), (192, 192))
    assert_clean("DA-CNT-006", doctor(text, "1,536个TISC", "1,530个TISC"))
    [finding] = assert_flags("DA-CNT-006", text, {192})
    assert "1,530" in finding.message and "1,536" in finding.message


def test_breakdown_adds_up() -> None:
    text = excerpt((85, 88))
    assert_clean("DA-CNT-007", text)
    doctored = doctor(text, "4项涉及工业品外观设计", "5项涉及工业品外观设计")
    [finding] = assert_flags("DA-CNT-007", doctored, {88})
    assert "18项立法咨询请求" in finding.message and "= 19" in finding.message


# ------------------------------------------------------------------ status


def test_narrative_status() -> None:
    text = excerpt(CHAPTER_7, (209, 211), LAST_PARAGRAPH, ANNEX_II)
    assert_clean("DA-STA-001", text)
    doctored = doctor(text, "正在实施的发展议程项目\n71.", "已纳入主流的发展议程项目\n71.")
    [finding] = assert_flags("DA-STA-001", doctored, {211})
    assert finding.severity is Severity.ERROR


def test_narrative_status_completed_but_listed_ongoing() -> None:
    text = excerpt(CHAPTER_7, (209, 212), LAST_PARAGRAPH, ANNEX_II)
    [finding] = assert_flags("DA-STA-001", text, {212})
    assert finding.severity is Severity.WARNING
    assert_clean("DA-STA-001", doctor(text, "项目于2023年12月实施完成。", ""))


def test_approvals_in_annex() -> None:
    text = excerpt((36, 44), ANNEX_II)
    assert_clean("DA-STA-002", text)
    doctored = doctor(
        text, "\t制定战略和工具以解决非洲数字市场的在线版权盗版问题", "\t加强非洲集体管理组织"
    )
    assert_flags("DA-STA-002", doctored, {38})


# ------------------------------------------------------------------ the whole report

# Every finding on the 2023 report, verified by reading it (see the module docstrings).
EXPECTED_2023 = {
    ("DA-NAM-003", Location(41, 19, "iv)")),  # 与 in the narrative, 和 in Annex II
    ("DA-NAM-003", Location(52, 22, "(ii)")),  # 适当信息 / 适当的信息
    ("DA-NUM-003", Location(67, heading="专利和技术部门")),  # "2、" among "一、", "三、"
    ("DA-NAM-002", Location(72, 26)),  # PATENSCOPE
    ("DA-NUM-005", Location(88, 33)),  # (i) … （ii）
    ("DA-NUM-005", Location(101, 38, "(i)")),  # (i) (ii) (iii) iv) v)
    ("DA-NAM-003", Location(123, 46, "(ii)")),  # 知识获取 / 获取知识
    ("DA-NAM-003", Location(129, 47, "(ii)")),  # 所有其他国家 / 若干国家
    ("DA-NUM-004", Location(161, 59)),  # iv) twice
    ("DA-CNT-006", Location(192, 70, "(i)")),  # 1,530 / 1,536 TISCs at the end of 2023
    ("DA-STA-001", Location(212, 71, "(ii)")),  # completed December 2023, listed ongoing
    ("DA-NAM-001", Location(302, annex="I", row=8)),  # 4.4 "…运用知识。"
    ("DA-NUM-006", Location(348, annex="I", row=15)),  # "·" bullets and one "-"
    ("DA-NAM-001", Location(400, annex="I", row=21)),  # 2.1 in recommendations 21, 25
    ("DA-NAM-001", Location(452, annex="I", row=27)),  # 4.1 in recommendation 27
    ("DA-NAM-002", Location(593, annex="II", row=2)),  # IP TAD
}


@pytest.fixture(scope="module")
def report_2023() -> LintReport:
    return lint_report(REPORT)


def test_whole_report_gives_exactly_the_verified_findings(report_2023: LintReport) -> None:
    found = {(finding.code, finding.location) for finding in report_2023.findings}
    assert found == EXPECTED_2023


def test_whole_report_severities_and_summary(report_2023: LintReport) -> None:
    summary = report_2023.summary
    assert summary["by_severity"] == {"error": 1, "warning": 11, "advisory": 4}
    assert summary["by_code"]["DA-NAM-001"] == 3
    assert report_2023.has_errors
    lines = [finding.location.line for finding in report_2023.findings]
    assert lines == sorted(lines)


def test_to_dict_shape(report_2023: LintReport) -> None:
    data = report_2023.to_dict()
    assert set(data) == {"findings", "summary"}
    first = data["findings"][0]
    assert set(first) == {
        "severity",
        "code",
        "location",
        "message",
        "message_zh",
        "message_key",
        "message_params",
    }
    assert (
        Message.from_json({"key": first["message_key"], "params": first["message_params"]}).render(
            "zh"
        )
        == (first["message_zh"])
    )
    assert set(first["location"]) == {
        "line",
        "paragraph",
        "sub_item",
        "footnote",
        "heading",
        "annex",
        "row",
    }
    assert first["location"]["footnote"] is None


def test_messages_quote_the_chinese_text(report_2023: LintReport) -> None:
    for finding in report_2023.findings:
        assert "“" in finding.message, finding.message


def test_every_check_is_documented_and_coded() -> None:
    codes = [check.code for check in CHECKS]
    assert len(codes) == len(set(codes))
    for check in CHECKS:
        assert check.description, check.name
        assert check.code.startswith("DA-") and check.severity in Severity


def test_lint_document_without_gazetteer(report_2023: LintReport) -> None:
    # The 2023 report has no unknown country name, so the country index changes nothing.
    doc = read_report(REPORT)
    assert lint_document(doc).findings == report_2023.findings
