"""The figure reader's rules, one sentence each (the golden set checks them on the report)."""

from __future__ import annotations

import pytest

from devagenda.reports.ingest.document import Figure, Location
from devagenda.reports.ingest.figures import find_figures

HERE = Location(line=1, paragraph=1)


def read(text: str, total: Figure | None = None) -> list[tuple[str, float, str, int | None]]:
    return [
        (f.text, f.value, f.counts, f.year) for f in find_figures(text, HERE, 2023, total=total)
    ]


def test_each_side_of_a_comparison_has_its_year() -> None:
    assert read("2023年，网页浏览量从2022年的53,262次增至80,885次。") == [
        ("53,262次", 53262, "网页浏览量", 2022),
        ("80,885次", 80885, "网页浏览量", 2023),
    ]


def test_a_from_side_without_a_year_is_not_given_the_reports() -> None:
    assert read("访问量显著增加，从71,567次增至146,269次。") == [
        ("71,567次", 71567, "访问量", None),
        ("146,269次", 146269, "访问量", 2023),
    ]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("为至少30名学员提供培训。", "至少"),
        ("超过600名与会者出席。", "超过"),
        ("约180名与会者出席。", "约"),
        ("近680起争议得到解决。", "近"),
        ("1,000多名学生参加。", "多"),
        ("多达20种语言。", "多达"),
    ],
)
def test_qualifiers_are_kept(text: str, qualifier: str) -> None:
    [figure] = find_figures(text, HERE, 2023)
    assert figure.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "cumulative"),
    [
        ("自启动以来，IAP已为197个发明人提供支持。", True),
        ("目前（累计）有250项技术解决方案上传。", True),
        ("截至2023年底，已建立了93个TISC国家网络。", True),
        ("使合作伙伴总数达到152家。", True),
        ("2023年，两家私营机构加入，使合作伙伴总数达到152家。", False),
        ("2023年，IAP在九个成员国开展。", False),
    ],
)
def test_totals_since_a_start_are_cumulative(text: str, cumulative: bool) -> None:
    assert find_figures(text, HERE, 2023)[0].cumulative is cumulative


def test_the_noun_after_a_verb_or_a_clause() -> None:
    assert read("触及400名受益人。") == [("400名受益人", 400, "受益人", 2023)]
    assert read("向13家做好出口准备的小企业提供援助。")[0][2] == "小企业"
    assert read("举办了30次关于PATENTSCOPE的免费网络研讨会。")[0][2] == "免费网络研讨会"


def test_a_footnote_breaks_its_total_down_by_region() -> None:
    [total] = find_figures("该部门回应了来自八个国家的请求。", HERE, 2023)
    parts = find_figures(
        "三个来自非洲；两个来自阿拉伯地区；一个来自亚洲和太平洋；以及两个来自转型期国家。",
        Location(line=1, paragraph=1, footnote=60),
        2023,
        total=total,
    )
    assert [(f.value, f.counts, f.breakdown) for f in parts] == [
        (3, "国家", "非洲"),
        (2, "国家", "阿拉伯地区"),
        (1, "国家", "亚洲和太平洋"),
        (2, "国家", "转型期国家"),
    ]
    assert all(f.part_of is total for f in parts)
    assert sum(f.value for f in parts) == total.value


def test_one_is_a_count_only_in_a_breakdown() -> None:
    assert read("会议围绕一个介绍性小组展开。") == []
    assert read("一个来自亚洲和太平洋。")[0][1] == 1
