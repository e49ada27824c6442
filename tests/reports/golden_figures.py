"""Figures of the 2023 Chinese report, read by hand from data/reports/dg-report-da-2023.zh.txt.

Every figure of the chosen paragraphs and footnotes is listed, hard ones included; the
values come from reading the text, not from the reader's output. Conventions:

- `line` is the source line; `footnote` the footnote number when the figure is in a
  footnote body (which sits on its paragraph's line).
- `text` is the figure as printed, from its qualifier to the end of what it counts.
- `counts` is the counted noun without describing clauses ("13家做好出口准备的小企业"
  counts 小企业). When nothing follows the number, it is the thing the sentence says is
  counted ("注册用户数量增至2,500人"), or the measure word itself when that is the noun
  (人, 期). A part of a breakdown counts what its total counts.
- `year` is the year the figure is about; the from-side of "从2022年的…增至…" is 2022.
- `cumulative` is true for totals since a start: 自…以来, 累计, 总数, 截至….
- `breakdown` is the category a part of a total stands for ("非洲" in "非洲2个"), and
  `part_of` the printed text of that total when the report states it.
"""

from __future__ import annotations

from typing import NamedTuple


class GoldenFigure(NamedTuple):
    line: int
    footnote: int | None
    text: str
    value: float
    unit: str
    counts: str
    year: int | None = 2023
    qualifier: str | None = None
    cumulative: bool = False
    breakdown: str | None = None
    part_of: str | None = None


G = GoldenFigure
TOTAL_19 = "19个发展中国家、最不发达国家和转型期国家"
TOTAL_67 = "67场与PCT和ePCT有关的技术援助活动"
TOTAL_11 = "十一次能力建设和培训活动"
REQUESTS = "18项立法咨询请求"

GOLDEN: tuple[GoldenFigure, ...] = (
    # paragraph 10
    G(18, None, "多达20种语言", 20, "种", "语言", qualifier="多达"),
    G(18, None, "580门课程", 580, "门", "课程"),
    G(18, None, "108,292人", 108292, "人", "人"),
    G(18, None, "12个成员国", 12, "个", "成员国"),
    G(18, None, "1,000多名学生", 1000, "名", "学生", qualifier="多"),
    # paragraph 16
    G(31, None, "50名时尚、化妆品和农业企业的女企业家", 50, "名", "女企业家"),
    G(31, None, "10名杰出女企业家", 10, "名", "杰出女企业家"),
    G(31, None, "10名学员", 10, "名", "学员"),
    G(31, None, "35名拥有不同手工艺产品的女企业家群体", 35, "名", "女企业家群体"),
    G(31, None, "40多名做刺绣生意的女企业家", 40, "名", "女企业家", qualifier="多"),
    G(31, None, "21名女企业家", 21, "名", "女企业家"),
    G(31, None, "10个商业计划", 10, "个", "商业计划"),
    G(31, None, "18项商标申请", 18, "项", "商标申请"),
    G(31, None, "两项外观设计申请", 2, "项", "外观设计申请"),
    G(31, None, "40名“非洲黑奴后裔”女企业家", 40, "名", "“非洲黑奴后裔”女企业家"),
    G(31, None, "25名女企业家群体", 25, "名", "女企业家群体"),
    G(
        31,
        None,
        "50多名在埃及索哈杰从事塔利“刺绣”制作的女性手工艺人",
        50,
        "名",
        "女性手工艺人",
        qualifier="多",
    ),
    # paragraph 18 and footnote 29
    G(34, None, "25个国家", 25, "个", "国家"),
    G(34, None, "30名女企业家", 30, "名", "女企业家"),
    G(34, None, "400名受益人", 400, "名", "受益人"),
    G(34, None, "两期", 2, "期", "期"),
    G(34, 29, "一期", 1, "期", "期", breakdown="拉丁美洲", part_of="两期"),
    G(34, 29, "一期", 1, "期", "期", breakdown="加勒比", part_of="两期"),
    # footnote 35
    G(50, 35, "19个已建立的IPTI", 19, "个", "IPTI"),
    G(50, 35, "九个正在实施的项目", 9, "个", "项目"),
    G(50, 35, "54个国家", 54, "个", "国家"),
    G(50, 35, "10个成员国", 10, "个", "成员国"),
    G(50, 35, "22名成员", 22, "名", "成员"),
    # paragraph 25 and its breakdown by region, footnote 49
    G(70, None, TOTAL_19, 19, "个", "发展中国家、最不发达国家和转型期国家"),
    *(
        G(
            70,
            49,
            f"{n}个",
            n,
            "个",
            "发展中国家、最不发达国家和转型期国家",
            breakdown=region,
            part_of=TOTAL_19,
        )
        for region, n in (
            ("非洲", 2),
            ("阿拉伯地区", 3),
            ("亚洲及太平洋地区", 5),
            ("拉丁美洲及加勒比地区", 6),
            ("转型期国家", 3),
        )
    ),
    # paragraph 26 and footnote 52
    G(72, None, "超过1.15亿可检索发明", 115_000_000, "", "可检索发明", qualifier="超过"),
    G(72, None, "480万已公布的PCT申请", 4_800_000, "", "PCT申请"),
    G(72, None, "超过266,500件新的PCT申请", 266500, "件", "PCT申请", qualifier="超过"),
    G(72, None, "5,126件新PCT申请", 5126, "件", "新PCT申请"),
    G(72, None, "近500万份非专利文献", 5_000_000, "份", "非专利文献", qualifier="近"),
    G(72, None, "30次关于PATENTSCOPE的免费网络研讨会", 30, "次", "免费网络研讨会"),
    G(72, None, "超过4,800名与会者", 4800, "名", "与会者", qualifier="超过"),
    G(72, 52, "9,075件", 9075, "件", "申请"),
    G(72, 52, "3,176件", 3176, "件", "申请"),
    # paragraph 27 and its breakdown by region, footnote 54
    G(74, None, TOTAL_67, 67, "场", "技术援助活动"),
    G(74, None, "99个国家", 99, "个", "国家"),
    G(74, None, "5,200名与会者", 5200, "名", "与会者"),
    G(74, None, "90%的优惠", 90, "%", "优惠"),
    *(
        G(74, 54, f"{n}个", n, "个", "技术援助活动", breakdown=region, part_of=TOTAL_67)
        for region, n in (
            ("非洲", 14),
            ("阿拉伯地区", 16),
            ("亚洲和太平洋", 11),
            ("拉丁美洲和加勒比地区", 9),
            ("转型期国家", 17),
        )
    ),
    # paragraph 33: requests and activities by subject, countries by region (footnote 60)
    G(88, None, "八个国家", 8, "个", "国家"),
    G(88, None, REQUESTS, 18, "项", "立法咨询请求"),
    G(88, None, "9项", 9, "项", "立法咨询请求", breakdown="商标", part_of=REQUESTS),
    G(88, None, "4项", 4, "项", "立法咨询请求", breakdown="工业品外观设计", part_of=REQUESTS),
    G(88, None, "3项", 3, "项", "立法咨询请求", breakdown="地理标志", part_of=REQUESTS),
    G(88, None, "2项", 2, "项", "立法咨询请求", breakdown="知识产权战略", part_of=REQUESTS),
    G(88, None, "20项活动", 20, "项", "活动", breakdown="工业品外观设计"),
    G(88, None, "28项", 28, "项", "活动", breakdown="商标"),
    G(88, None, "11项", 11, "项", "活动", breakdown="地理标志"),
    G(88, None, "两份商标手册", 2, "份", "商标手册"),
    G(88, None, "17个中欧、波罗的海国家和地中海国家", 17, "个", "中欧、波罗的海国家和地中海国家"),
    *(
        G(88, 60, f"{n}个", v, "个", "国家", breakdown=region, part_of="八个国家")
        for n, v, region in (
            ("三", 3, "非洲"),
            ("两", 2, "阿拉伯地区"),
            ("一", 1, "亚洲和太平洋"),
            ("两", 2, "转型期国家"),
        )
    ),
    # paragraph 35 and footnote 69
    G(92, None, "七个成员国", 7, "个", "成员国"),
    G(92, None, "六个成员国", 6, "个", "成员国"),
    G(92, 69, "一个", 1, "个", "成员国", breakdown="拉丁美洲及加勒比地区", part_of="七个成员国"),
    G(92, 69, "六个", 6, "个", "成员国", breakdown="非洲", part_of="七个成员国"),
    # paragraph 57 and footnote 111
    G(156, None, "两家私营和公共机构", 2, "家", "私营和公共机构"),
    G(156, None, "152家", 152, "家", "合作伙伴", cumulative=True),
    G(156, None, "2,500人", 2500, "人", "注册用户"),
    G(156, None, "超过600项气候减缓和适应技术", 600, "项", "气候减缓和适应技术", qualifier="超过"),
    G(156, 111, "1,000多次联系", 1000, "次", "联系", qualifier="多", cumulative=True),
    # paragraph 59 and its breakdown by region, footnote 120
    G(161, None, "六个成员国", 6, "个", "成员国"),
    G(161, None, TOTAL_11, 11, "次", "能力建设和培训活动"),
    G(161, None, "十个政府间组织", 10, "个", "政府间组织"),
    G(
        161,
        None,
        "24个活跃在知识产权执法和树立尊重知识产权风尚领域的私营部门协会",
        24,
        "个",
        "私营部门协会",
    ),
    G(161, None, "48名14至17岁的学生", 48, "名", "学生"),
    G(161, None, "19所中学", 19, "所", "中学", year=2022),
    G(161, None, "312名学生", 312, "名", "学生", year=2022),
    *(
        G(161, 120, f"{n}次", n, "次", "能力建设和培训活动", breakdown=region, part_of=TOTAL_11)
        for region, n in (
            ("非洲地区", 1),
            ("阿拉伯地区", 2),
            ("亚洲及太平洋地区", 3),
            ("拉丁美洲和加勒比地区", 2),
            ("经济转型国家", 3),
        )
    ),
    # paragraph 65: cumulative totals since a start
    G(177, None, "九个成员国", 9, "个", "成员国"),
    G(177, None, "30名受益人", 30, "名", "受益人"),
    G(177, None, "197个发明人和中小企业", 197, "个", "发明人和中小企业", cumulative=True),
    G(177, None, "52项授权专利", 52, "项", "授权专利", cumulative=True),
    G(177, None, "1,300多名参与者", 1300, "名", "参与者", qualifier="多", cumulative=True),
    G(177, None, "20多个国家", 20, "个", "国家", qualifier="多"),
    G(177, None, "30名学员", 30, "名", "学员"),
    G(177, None, "两个区域", 2, "个", "区域讲习班"),
    G(177, None, "两个国家讲习班", 2, "个", "国家讲习班"),
    G(177, None, "110个成员国", 110, "个", "成员国"),
    G(177, None, "871名成员", 871, "名", "成员"),
    G(177, None, "超过1400次下载", 1400, "次", "下载", qualifier="超过"),
    G(177, None, "120多个国家", 120, "个", "国家", qualifier="多"),
    G(177, None, "超过2,200人", 2200, "人", "人", qualifier="超过"),
    # paragraph 70 (v): both sides of two comparisons
    G(
        200,
        None,
        "超过692个知识产权政策、指导方针、模板和协议实例",
        692,
        "个",
        "知识产权政策、指导方针、模板和协议实例",
        qualifier="超过",
    ),
    G(200, None, "52%", 52, "%", "独立访问者"),
    G(200, None, "53,262", 53262, "", "独立访问者", year=2022),
    G(200, None, "80,885", 80885, "", "独立访问者"),
    G(200, None, "71,567次", 71567, "次", "页面浏览量", year=2022),
    G(200, None, "146,269次", 146269, "次", "页面浏览量"),
    G(200, None, "约为104%", 104, "%", "页面浏览量", qualifier="约为"),
)
