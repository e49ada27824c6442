"""The report reader on the real 2023 report (Chinese edition), on an English excerpt in
the same export format, and on inputs that are broken or not reports at all.

The counts asserted here were checked by reading the report line by line.
"""

from __future__ import annotations

import codecs
from collections import Counter
from pathlib import Path

import pytest
from tests.reports.english_sample import ENGLISH

from devagenda.core.errors import InputError, ReportFormatError
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import parse_text, read_report
from devagenda.reports.ingest.document import (
    EventKind,
    Language,
    ProjectEvent,
    ProjectGroup,
    ReportDocument,
)

REPORT = Path(__file__).parents[2] / "data/reports/dg-report-da-2023.zh.txt"
IMMEDIATE = {1, 3, 4, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 35, 37, 42, 44}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_reference_data()


@pytest.fixture(scope="module")
def doc(gazetteer: Gazetteer) -> ReportDocument:
    return read_report(REPORT, gazetteer=gazetteer)


def events(doc: ReportDocument, paragraph: int, label: str | None = None) -> list[ProjectEvent]:
    return [
        e
        for e in doc.project_events
        if e.location.paragraph == paragraph and e.location.sub_item == label
    ]


# ------------------------------------------------------------------ structure


def test_language_year_and_source(doc: ReportDocument) -> None:
    assert doc.language is Language.ZH
    assert doc.year == 2023
    assert doc.source == str(REPORT)
    assert doc.title is None


def test_eighty_numbered_paragraphs_in_order(doc: ReportDocument) -> None:
    assert [p.number for p in doc.paragraphs] == list(range(1, 81))
    assert doc.paragraph(1).line == 1
    assert doc.paragraph(1).text.startswith("本文件载有总干事关于2023年度")
    assert doc.paragraph(80).line == 237


def test_nine_numbered_chapters_even_with_a_digit_numeral(doc: ReportDocument) -> None:
    chapters = doc.chapters
    assert [h.number for h in chapters] == list(range(1, 10))
    assert [h.numeral for h in chapters] == ["一", "2", "三", "四", "五", "六", "七", "八", "九"]
    assert chapters[1].title == "专利和技术部门"
    assert chapters[1].line == 67


def test_introduction_and_conclusion_are_unnumbered_level_one(doc: ReportDocument) -> None:
    unnumbered = [h for h in doc.headings if h.level == 1 and h.number is None]
    assert [(h.title, h.line) for h in unnumbered] == [("导\u3000言", 4), ("结\u3000论", 236)]
    assert len([h for h in doc.headings if h.level == 2]) == 39


def test_paragraph_chapters_and_sections(doc: ReportDocument) -> None:
    chapters = {p.number: p.chapter for p in doc.paragraphs}
    assert [chapters[n] for n in range(1, 6)] == [None] * 5
    assert (chapters[6], chapters[23], chapters[24], chapters[79], chapters[80]) == (
        1,
        1,
        2,
        9,
        None,
    )
    assert doc.paragraph(7).section == "技术援助和能力建设"
    assert doc.paragraph(22).section == "已纳入主流的发展议程项目"
    assert doc.paragraph(6).section is None


def test_sub_item_counts(doc: ReportDocument) -> None:
    items = [(p, s) for p in doc.paragraphs for s in p.sub_items]
    assert len(items) == 104
    assert len([1 for p, s in items if s.line != p.line]) == 34


def test_approval_lines_belong_to_paragraph_19(doc: ReportDocument) -> None:
    items = doc.paragraph(19).sub_items
    assert [s.label for s in items] == ["i)", "ii)", "iii)", "iv)", "v)", "vi)", "vii)"]
    assert [s.line for s in items] == list(range(38, 45))
    assert {s.style for s in items} == {"i)"}
    assert doc.paragraph(20).line == 45


def test_line_sub_items_of_a_mainstreamed_section(doc: ReportDocument) -> None:
    items = doc.paragraph(22).sub_items
    assert [s.ordinal for s in items] == list(range(1, 9))
    assert items[2].label == "(iii)"
    assert items[2].line == 53
    assert items[2].text.startswith("知识产权技术援助数据库（IP-TAD）继续适应")
    assert items[2].footnotes == [36]
    assert items[2].raw_text.startswith("知识产权技术援助数据库（IP-TAD）[footnoteRef:36]继续")
    assert doc.paragraph(22).footnotes == list(range(32, 49))


def test_inline_sub_items_in_every_label_shape(doc: ReportDocument) -> None:
    para13 = doc.paragraph(13).sub_items
    assert [(s.label, s.text, s.footnotes) for s in para13] == [
        ("i)", "“内部和外部活动、战略方向”", [16]),
        ("ii)", "“数据汇编和分享”", [17]),
    ]
    assert para13[0].raw_text == "“内部和外部活动、战略方向”[footnoteRef:16]"
    para20 = doc.paragraph(20).sub_items
    assert [(s.label, s.style, s.line) for s in para20] == [
        ("i）", "i）", 45),
        ("ii）", "i）", 45),
        ("iii）", "i）", 45),
    ]
    assert para20[2].text == "版权与数字环境中的内容分发"


def test_a_marker_after_the_joiner_closes_the_item_before_it(doc: ReportDocument) -> None:
    items = doc.paragraph(7).sub_items
    assert [s.footnotes for s in items] == [[6], [7], [8], [], [9]]
    assert items[0].raw_text == "非洲知识产权与传统医药知识地区讲习班[footnoteRef:6]"


def test_slips_in_lists_are_kept_as_printed(doc: ReportDocument) -> None:
    para59 = [s.label for s in doc.paragraph(59).sub_items]
    assert para59 == ["i)", "ii)", "iii)", "iv)", "iv)"]
    para33 = [(s.label, s.style) for s in doc.paragraph(33).sub_items]
    assert para33 == [("(i)", "(i)"), ("（ii）", "（i）")]
    para31 = [s.ordinal for s in doc.paragraph(31).sub_items]
    assert para31 == [1, 2, 1, 2, 3]


# ------------------------------------------------------------------ footnotes


def test_every_footnote_has_its_body_and_its_reference(doc: ReportDocument) -> None:
    assert [f.number for f in doc.footnotes] == list(range(1, 190))
    assert [n for n, _ in doc.footnote_references] == list(range(1, 190))
    unattached = [f.number for f in doc.footnotes if f.paragraph is None]
    assert unattached == [188, 189]
    for number, location in doc.footnote_references:
        assert doc.footnote(number).paragraph == location.paragraph


def test_footnote_paragraphs_and_lines(doc: ReportDocument) -> None:
    assert (doc.footnote(1).paragraph, doc.footnote(1).line) == (4, 5)
    assert doc.footnote(1).text.startswith("WIPO Pulse报告可查阅")
    assert doc.footnote(36).paragraph == 22
    assert doc.footnote(187).paragraph == 79


def test_a_footnote_body_running_on_to_the_next_line(doc: ReportDocument) -> None:
    note = doc.footnote(185)
    assert note.line == 227
    assert note.text == (
        "外部独立影响评价由发展议程协调司与内部监督司评价科协作管理。\n"
        "见文件CDIP/31/8，可查阅：https://www.wipo.int/meetings/zh/doc_details.jsp?doc_id=620128"
    )
    assert note.symbols == ["CDIP/31/8"]
    assert 228 not in {h.line for h in doc.headings}


def test_footnotes_referenced_in_annex_one(doc: ReportDocument) -> None:
    located = dict(doc.footnote_references)
    for number, line in ((188, 240), (189, 242)):
        assert located[number].annex == "I"
        assert located[number].row == 1
        assert located[number].paragraph is None
        assert located[number].line == line


def test_reference_locations_name_inline_items(doc: ReportDocument) -> None:
    located = dict(doc.footnote_references)
    assert located[16].sub_item == "i)"
    assert located[36].sub_item == "(iii)"
    assert located[12].sub_item is None
    assert located[12].heading == "技能和知识建设"


# ------------------------------------------------------------------ urls and symbols


def test_urls_with_and_without_scheme(doc: ReportDocument) -> None:
    assert doc.footnote(1).urls == [
        "www.wipo.int/edocs/pubdocs/en/wipo-pub-rn2023-36-en-wipo-pulse.pdf"
    ]
    assert doc.footnote(2).urls == [
        "https://www.wipo.int/meetings/zh/doc_details.jsp?doc_id=541373"
    ]
    assert doc.footnote(41).urls == ["dacatalogue.wipo.int/projects"]
    assert doc.footnote(57).urls == [
        "https://www.wipo.int/edocs/mdocs/mdocs/zh/scp_35/scp_35_10.pdf"
    ]
    assert sum(len(f.urls) for f in doc.footnotes) == 121
    assert all(not p.urls for p in doc.paragraphs)


def test_document_symbols(doc: ReportDocument) -> None:
    assert doc.paragraph(12).symbols == ["CDIP/31/4"]
    assert doc.paragraph(14).symbols == ["CDIP/20/5"]
    assert doc.footnote(16).symbols == ["CDIP/30/12"]
    assert doc.footnote(180).symbols == ["CDIP/30/8REV."]
    assert doc.footnote(70).symbols == ["WO/GA/55/12"]
    assert doc.footnote(84).symbols == ["SCCR/43/INF/2"]
    assert doc.footnote(55).symbols == ["PCT/WG/17/19"]


def test_symbol_revisions_with_a_space() -> None:
    text = "1. 见文件CDIP/30/8 REV.和CDIP/30/8 Rev.，以及CDIP/31/INF/5。\n"
    assert parse_text(text).paragraph(1).symbols == [
        "CDIP/30/8 REV.",
        "CDIP/30/8 Rev.",
        "CDIP/31/INF/5",
    ]


# ------------------------------------------------------------------ annexes


def test_annex_one_recommendations(doc: ReportDocument) -> None:
    rows = doc.annex_recommendations
    assert [r.number for r in rows] == list(range(1, 46))
    assert {r.number for r in rows if r.immediate} == IMMEDIATE
    assert rows[0].line == 240
    assert rows[0].text.startswith("WIPO的技术援助应尤其面向发展")
    assert "与预期成果的联系" not in "".join(r.text for r in rows)
    codes = [(e.code, e.line) for e in rows[0].expected_results]
    assert codes == [
        ("2.1", 246),
        ("2.4", 247),
        ("4.1", 248),
        ("4.2", 249),
        ("4.3", 250),
        ("4.5", 251),
    ]


def test_annex_one_texts_over_several_lines(doc: ReportDocument) -> None:
    rec15 = doc.annex_recommendations[14].text.splitlines()
    assert rec15[0] == "准则制定活动应："
    assert rec15[1] == "· 具有包容性，并受成员国驱动；"
    assert rec15[-1] == "-\t符合WIPO秘书处保持中立的原则。"
    assert len(rec15) == 6
    rec22 = doc.annex_recommendations[21].text.splitlines()
    assert len(rec22) == 7
    assert rec22[2] == "(a)为国家执行知识产权规则提供保障；"


def test_annex_one_expected_results_as_printed(doc: ReportDocument) -> None:
    links = [e for r in doc.annex_recommendations for e in r.expected_results]
    assert len(links) == 109
    assert len({e.code for e in links}) == 15
    titles_21 = {e.title for e in links if e.code == "2.1"}
    assert titles_21 == {
        "兼顾各方利益的有效知识产权国际准则制定框架得到发展。",
        "发展兼顾各方利益的、有效的国际知识产权准则制定框架。",
    }
    rec45 = doc.annex_recommendations[44].expected_results
    assert (rec45[0].code, rec45[0].title) == (
        "2.3",
        "为树立尊重知识产权的风尚开展国际对话与合作。",
    )


def test_annex_two_groups_and_rows(doc: ReportDocument) -> None:
    groups = [(g.group, g.stated_count, g.heading, g.line) for g in doc.annex_groups]
    assert groups == [
        (ProjectGroup.COMPLETED_EVALUATED, 40, "已完成且已经审评的发展议程项目（40个）", 587),
        (ProjectGroup.ONGOING, 8, "截至2023年12月仍在实施的发展议程项目（8个）", 709),
        (ProjectGroup.APPROVED, 7, "2023年批准的发展议程项目（7个）", 735),
    ]
    counts = Counter(p.group for p in doc.annex_projects)
    assert counts == {
        ProjectGroup.COMPLETED_EVALUATED: 40,
        ProjectGroup.ONGOING: 8,
        ProjectGroup.APPROVED: 7,
    }
    for group in ProjectGroup:
        rows = [p.row for p in doc.annex_projects if p.group is group]
        assert rows == list(range(1, counts[group] + 1))


def test_annex_two_titles_and_phases(doc: ReportDocument) -> None:
    first = doc.annex_projects[0]
    assert (first.row, first.title, first.line, first.phase) == (
        1,
        "“调动资源促进发展”会议",
        590,
        None,
    )
    phases = {(p.group, p.row): p.phase for p in doc.annex_projects if p.phase}
    assert phases == {
        (ProjectGroup.COMPLETED_EVALUATED, 3): 1,
        (ProjectGroup.COMPLETED_EVALUATED, 19): 2,
        (ProjectGroup.COMPLETED_EVALUATED, 20): 2,
        (ProjectGroup.COMPLETED_EVALUATED, 22): 2,
        (ProjectGroup.COMPLETED_EVALUATED, 29): 2,
        (ProjectGroup.COMPLETED_EVALUATED, 30): 2,
        (ProjectGroup.COMPLETED_EVALUATED, 31): 2,
        (ProjectGroup.ONGOING, 7): 2,
        (ProjectGroup.APPROVED, 4): 2,
        (ProjectGroup.APPROVED, 7): 2,
    }


# ------------------------------------------------------------------ approvals


def test_seven_approvals_with_every_field(doc: ReportDocument) -> None:
    got = [
        (a.proposers, a.session, a.recommendations, a.phase, a.annex_row, a.location.sub_item)
        for a in doc.approvals
    ]
    assert got == [
        (["肯尼亚"], 30, [4, 10, 11, 45], None, 1, "i)"),
        (["非洲集团"], 30, [4, 10, 16, 25, 27], None, 2, "ii)"),
        (["美利坚合众国", "大韩民国", "加拿大"], 30, [1, 3, 10, 19, 30], None, 3, "iii)"),
        (["秘鲁", "喀麦隆", "马来西亚", "摩洛哥"], 30, [1, 10, 12, 40], 2, 4, "iv)"),
        (["菲律宾"], 31, [10, 23, 31, 36], None, 5, "v)"),
        (["印度"], 31, [1, 4, 11, 34, 35, 37], None, 6, "vi)"),
        (["巴西", "秘鲁", "阿根廷"], 31, [1, 3, 4, 10, 11, 16, 25, 30], 2, 7, "vii)"),
    ]
    assert doc.approvals[2].title == "关于为青年（K-12）赋能以便为更美好未来而创新"
    assert doc.approvals[0].title == "制定战略和工具以解决非洲数字市场的在线版权盗版问题"
    assert {(a.location.paragraph, a.location.line) for a in doc.approvals[:1]} == {(19, 38)}


# ------------------------------------------------------------------ project events


def test_event_counts_by_kind(doc: ReportDocument) -> None:
    assert Counter(e.kind for e in doc.project_events) == {
        EventKind.MAINSTREAMED: 22,
        # 6 entries under "正在实施的" headings, ¶23's start and the start in footnote 169;
        # the entries that state the project's own stage do not count the heading.
        EventKind.ONGOING: 8,
        EventKind.COMPLETED: 7,
        EventKind.EVALUATED: 6,
        EventKind.APPROVED: 1,
    }
    # Only the committee's paragraph on several evaluations reports on no project itself.
    assert {e.location.paragraph for e in doc.project_events if e.chapter is None} == {20}


def test_completion_in_the_narrative_against_the_annex(doc: ReportDocument) -> None:
    completed = [e for e in events(doc, 71, "(ii)") if e.kind is EventKind.COMPLETED]
    assert len(completed) == 1
    event = completed[0]
    assert (event.year, event.month, event.chapter) == (2023, 12, 7)
    assert (event.annex_group, event.annex_row) == (ProjectGroup.ONGOING, 1)
    assert event.title == "识别和运用公有领域的发明"


def test_phases_of_one_project_go_to_their_own_rows(doc: ReportDocument) -> None:
    found = {e.kind: e for e in events(doc, 47, "(i)")}
    approved, completed, evaluated = (
        found[EventKind.APPROVED],
        found[EventKind.COMPLETED],
        found[EventKind.EVALUATED],
    )
    assert (approved.year, approved.annex_group, approved.annex_row) == (
        2023,
        ProjectGroup.APPROVED,
        7,
    )
    assert (completed.year, completed.month, completed.annex_row) == (2023, 7, 40)
    assert (evaluated.year, evaluated.month, evaluated.annex_row) == (2023, 10, 40)
    assert completed.beneficiaries == ["BRA", "CRI", "ARG", "ECU", "PER", "URY"]


def test_evaluations_discussed_by_the_committee(doc: ReportDocument) -> None:
    evaluated = [e for e in doc.project_events if e.location.paragraph == 20]
    assert {(e.location.footnote, e.location.heading) for e in evaluated} == {
        (None, "产权组织机构")
    }
    # The paragraph dates none of the evaluations and decides no sector.
    assert [(e.kind, e.year, e.chapter, e.annex_group, e.annex_row) for e in evaluated] == [
        (EventKind.EVALUATED, None, None, ProjectGroup.COMPLETED_EVALUATED, 39),
        (EventKind.EVALUATED, None, None, ProjectGroup.COMPLETED_EVALUATED, 38),
        (EventKind.EVALUATED, None, None, ProjectGroup.COMPLETED_EVALUATED, 40),
    ]


def test_mainstreamed_projects_match_their_latest_phase(doc: ReportDocument) -> None:
    ipti = events(doc, 22, "(i)")
    assert [(e.kind, e.annex_group, e.annex_row) for e in ipti] == [
        (EventKind.MAINSTREAMED, ProjectGroup.COMPLETED_EVALUATED, 20)
    ]
    rbm = events(doc, 73)
    assert [(e.title, e.annex_row) for e in rbm] == [("加强产权组织注重成果的管理（RBM）框架", 13)]
    older = {e.kind: e for e in events(doc, 37)}
    assert (older[EventKind.COMPLETED].year, older[EventKind.COMPLETED].month) == (2016, 4)
    assert (older[EventKind.EVALUATED].year, older[EventKind.EVALUATED].month) == (2017, 3)


def test_beneficiaries_named_in_the_item_or_its_footnotes(doc: ReportDocument) -> None:
    assert events(doc, 23)[0].beneficiaries == ["TUN", "CMR", "GMB", "IRN"]
    assert events(doc, 38, "(i)")[0].beneficiaries == ["DZA", "BRA", "PAK", "UGA"]
    assert events(doc, 47, "(iii)")[0].beneficiaries == ["URY", "CHL", "IDN", "ARE"]
    assert events(doc, 71, "(i)")[0].beneficiaries == ["SLV", "BTN"]


def test_no_event_for_what_is_not_the_project(doc: ReportDocument) -> None:
    # "乌干达的国家项目已于2023年完成": a national project, not the DA project.
    assert [e.kind for e in events(doc, 22, "(ii)")] == [EventKind.MAINSTREAMED]
    # IP-ROC names no project of its own: better left out than guessed.
    assert events(doc, 22, "(iv)") == []
    # "委员会将审议该项目的完成报告": a report still to be considered.
    assert EventKind.EVALUATED not in {e.kind for e in events(doc, 71, "(ii)")}


# ------------------------------------------------------------------ countries and figures


def test_country_mentions_with_locations(doc: ReportDocument) -> None:
    footnote6 = [m.alpha3 for m in doc.country_mentions if m.location.footnote == 6]
    assert footnote6 == ["SWZ", "ETH", "GMB", "LBR", "MLI", "NAM", "NER", "NGA", "TZA", "UGA"]
    para16 = [
        m for m in doc.country_mentions if m.location.paragraph == 16 and not m.location.footnote
    ]
    assert [m.text for m in para16][:4] == ["纳米比亚", "约旦", "巴基斯坦", "纳米比亚"]
    assert para16[0].location.line == 31
    line_item = [
        m.alpha3
        for m in doc.country_mentions
        if (m.location.paragraph, m.location.sub_item, m.location.footnote) == (38, "(ii)", None)
    ]
    assert line_item == ["BOL", "BRA", "PHL", "TUN"]
    assert len(doc.country_mentions) > 300
    assert all(len(m.alpha3) == 3 for m in doc.country_mentions)


def figure(doc: ReportDocument, printed: str):
    found = [f for f in doc.figures if f.text == printed]
    assert len(found) == 1, (printed, found)
    return found[0]


def test_figures_as_printed_with_value_unit_and_counted_noun(doc: ReportDocument) -> None:
    cases = {
        "108,292人": (108292, "人", "人", None),
        "1,000多名学生": (1000, "名", "学生", "多"),
        "十个国家": (10, "个", "国家", None),
        "七个新的项目提案": (7, "个", "项目提案", None),
        "十一个联合硕士学位计划": (11, "个", "联合硕士学位计划", None),
        "580门课程": (580, "门", "课程", None),
        "超过600名与会者": (600, "名", "与会者", "超过"),
        "多达20种语言": (20, "种", "语言", "多达"),
        "近680起争议": (680, "起", "争议", "近"),
        "超过1.15亿可检索发明": (115_000_000, "", "可检索发明", "超过"),
        "2千多万次浏览": (20_000_000, "次", "浏览", "多"),
        "五百万份科学文章": (5_000_000, "份", "科学文章", None),
    }
    for printed, (value, unit, counts, qualifier) in cases.items():
        found = figure(doc, printed)
        assert (found.value, found.unit, found.counts, found.qualifier) == (
            value,
            unit,
            counts,
            qualifier,
        )
    share = [f for f in doc.figures if f.text == "超过25%的产权组织成员国"]
    assert [(f.location.paragraph, f.value, f.unit, f.qualifier) for f in share] == [
        (8, 25, "%", "超过"),
        (72, 25, "%", "超过"),
    ]
    nineteen = [f for f in doc.figures if f.text.startswith("十九个")]
    assert [f.value for f in nineteen] == [19]


def test_figure_years_and_locations(doc: ReportDocument) -> None:
    assert figure(doc, "63件商标注册").year == 2024
    assert figure(doc, "75名女企业家").year == 2023
    assert figure(doc, "19所中学").year == 2022
    ten = figure(doc, "十个国家")
    assert (ten.location.footnote, ten.location.paragraph, ten.location.line) == (6, 7, 12)


def test_no_figures_from_years_dates_ordinals_symbols_or_lists(doc: ReportDocument) -> None:
    # 290 counts, and 4 counts of one that make breakdowns add up ("一个来自亚洲和太平洋").
    assert len(doc.figures) == 294
    values = {f.value for f in doc.figures}
    assert not values & {2007.0, 2016.0, 2022.0, 2023.0, 2024.0}
    assert not [f for f in doc.figures if f.text.startswith("第")]
    para19 = [
        f.text for f in doc.figures if f.location.paragraph == 19 and f.location.footnote is None
    ]
    assert para19 == ["两届会议", "七个新的项目提案", "55个"]
    assert not [f for f in doc.figures if f.location.paragraph == 12 and f.value in (31, 4)]


# ------------------------------------------------------------------ encodings and errors


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("gb18030"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "gb18030", "crlf", "cr-gb18030"],
)
def test_encodings_and_line_ends(encode, gazetteer: Gazetteer) -> None:
    text = REPORT.read_text(encoding="utf-8")
    got = read_report(encode(text), gazetteer=gazetteer)
    assert len(got.paragraphs) == 80
    assert len(got.footnotes) == 189
    assert got.footnote(185).text.count("\n") == 1
    assert len(got.annex_projects) == 55


def test_undecodable_bytes_name_their_line() -> None:
    data = REPORT.read_bytes()
    broken = data.replace("导\u3000言".encode(), b"\xff\xfe\xff", 1)
    with pytest.raises(ReportFormatError) as caught:
        read_report(broken, source="broken.txt")
    assert caught.value.line == 4
    assert caught.value.path == "broken.txt"
    assert "0xff" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", 1),
        (b"  \n\n", 1),
        (b"1. text\x00\x01\x02 binary", 1),
        (b"just a line\nand another, no numbered paragraph\n", 3),
        (b"PK\x03\x04 not really a zip", 1),
    ],
    ids=["empty", "blank", "binary", "no-paragraphs", "bad-docx"],
)
def test_input_that_is_not_a_report(data: bytes, line: int) -> None:
    with pytest.raises(ReportFormatError) as caught:
        read_report(data)
    assert caught.value.line == line


def test_broken_structure_is_recorded_not_raised() -> None:
    text = (
        "1. 第一段[footnoteRef:1]。 [1: 注一。] \n"
        "3. 跳过了第二段[footnoteRef:2]。\n"
        "3. 重复的第三段。 [7: 没有人引用的脚注。] \n"
    )
    got = parse_text(text, year=2023)
    assert [p.number for p in got.paragraphs] == [1, 3, 3]
    assert [f.number for f in got.footnotes] == [1, 7]
    assert got.footnote(7).paragraph is None
    assert [n for n, _ in got.footnote_references] == [1, 2]


def test_language_and_year_can_be_given(gazetteer: Gazetteer) -> None:
    """Where the text says nothing (too few letters, no year) the flags stand; where it
    says otherwise they are refused, as a wrong language, not as a missing year."""
    got = parse_text("1. 本文件载有报告。\n", language="en", year=1999, gazetteer=gazetteer)
    assert (got.language, got.year) == (Language.EN, 1999)
    assert (got.stated_language, got.stated_year) == (None, None)
    with pytest.raises(InputError) as caught:
        parse_text("1. 本文件载有报告。\n", language="fr", gazetteer=gazetteer)
    assert caught.value.field == "language"
    chinese = "1. 本文件载有总干事关于2023年度发展议程落实情况的报告，概述所开展的活动。\n"
    with pytest.raises(InputError) as wrong:
        parse_text(chinese, language="en", gazetteer=gazetteer)
    assert wrong.value.field == "language" and "wrong language" in str(wrong.value)
    with pytest.raises(InputError) as year:
        parse_text(chinese, year=2022, gazetteer=gazetteer)
    assert (year.value.field, year.value.line) == ("year", 1)


# ------------------------------------------------------------------ English edition


@pytest.fixture(scope="module")
def english(gazetteer: Gazetteer) -> ReportDocument:
    return parse_text(ENGLISH, gazetteer=gazetteer)


def test_english_structure(english: ReportDocument) -> None:
    assert (english.language, english.year) == (Language.EN, 2023)
    assert english.title == "REPORT ON THE IMPLEMENTATION OF THE DEVELOPMENT AGENDA"
    assert [p.number for p in english.paragraphs] == list(range(1, 9))
    assert [(h.title, h.number) for h in english.chapters] == [
        ("REGIONAL AND NATIONAL DEVELOPMENT SECTOR", 1)
    ]
    assert [h.title for h in english.headings if h.level == 1 and h.number is None] == [
        "Introduction",
        "Conclusion",
    ]
    items = english.paragraph(3).sub_items
    assert [(s.label, s.footnotes) for s in items] == [("(i)", [2]), ("(ii)", []), ("(iii)", [])]
    assert items[1].text == "a pilot project on IP and think tanks in the Arab region"
    assert english.paragraph(4).symbols == ["CDIP/31/4"]
    assert english.footnote(1).urls == [
        "www.wipo.int/edocs/pubdocs/en/wipo-pub-rn2023-36-en-wipo-pulse.pdf"
    ]
    assert english.footnote(4).paragraph is None


def test_english_annexes(english: ReportDocument) -> None:
    recommendations = english.annex_recommendations
    assert [(r.number, r.immediate) for r in recommendations] == [(1, True), (2, False)]
    assert [e.code for e in recommendations[0].expected_results] == ["4.1", "4.3"]
    assert [(g.group, g.stated_count) for g in english.annex_groups] == [
        (ProjectGroup.COMPLETED_EVALUATED, 2),
        (ProjectGroup.ONGOING, 1),
        (ProjectGroup.APPROVED, 3),
    ]
    assert english.annex_projects[-1].phase == 2


def test_english_approvals_and_events(english: ReportDocument) -> None:
    got = [
        (a.proposers, a.session, a.recommendations, a.phase, a.annex_row) for a in english.approvals
    ]
    assert got == [
        (["Kenya"], 30, [4, 10, 11, 45], None, 1),
        (
            ["United States of America", "Republic of Korea", "Canada"],
            30,
            [1, 3, 10, 19, 30],
            None,
            2,
        ),
        (["Brazil", "Peru", "Argentina"], 31, [1, 3, 4, 10, 11, 16, 25, 30], 2, 3),
    ]
    kinds = [(e.kind, e.year, e.month, e.annex_group, e.annex_row) for e in english.project_events]
    # The "ongoing" heading gives way to what the entries state of their projects; the
    # committee's paragraph dates no evaluation.
    assert kinds == [
        (EventKind.COMPLETED, 2023, 12, ProjectGroup.ONGOING, 1),
        (EventKind.APPROVED, 2023, None, ProjectGroup.APPROVED, 3),
        (EventKind.COMPLETED, 2023, 7, ProjectGroup.COMPLETED_EVALUATED, 2),
        (EventKind.EVALUATED, 2023, 10, ProjectGroup.COMPLETED_EVALUATED, 2),
        (EventKind.EVALUATED, None, None, ProjectGroup.COMPLETED_EVALUATED, 1),
        (EventKind.EVALUATED, None, None, ProjectGroup.COMPLETED_EVALUATED, 2),
    ]
    assert english.project_events[1].beneficiaries == ["BRA", "CRI", "ARG", "ECU", "PER", "URY"]


def test_english_figures_and_countries(english: ReportDocument) -> None:
    got = [(f.text, f.value, f.counts, f.qualifier) for f in english.figures]
    assert got[:4] == [
        ("580 courses", 580, "courses", None),
        ("up to 20 languages", 20, "languages", "up to"),
        ("108,292 people", 108292, "people", None),
        ("More than 600 participants", 600, "participants", "More than"),
    ]
    assert ("three new project proposals", 3, "new project proposals", None) in got
    assert "Ten countries" in [text for text, *_ in got]
    footnote2 = [m.alpha3 for m in english.country_mentions if m.location.footnote == 2]
    assert footnote2 == ["SWZ", "ETH", "GMB", "LBR", "MLI", "NAM", "NER", "NGA", "TZA", "UGA"]
