"""Quantitative statements: "108,292人", "超过600名与会者", "十一个联合硕士学位计划", "25%".

A Chinese count is a number, a measure word and the noun it counts. Numbers that are not
counts are left out: years, dates, ordinals ("第三十届"), durations ("两个月"), list and
recommendation numbers, document symbols and web addresses. Nothing separates words, so
the counted noun is cut at the first verb or preposition after it; it runs on over "和"
and "、" to a second noun ("197个发明人和中小企业") and past a describing 的-clause
("40多名做刺绣生意的女企业家"). A number with no noun after it counts what its clause
names before it ("注册用户数量增至2,500人"), or, in a footnote to a total, the total's
noun, broken down by the region it names ("非洲2个", "三个来自非洲"). Each side of a
comparison gets its own year ("从2022年的53,262增至80,885"), totals since a start are
marked cumulative, and qualifiers (超过, 约, 近, 多…) are kept.

The work per figure is bounded: sentence and clause ends, years and cumulative markers
are indexed once per text, so one long sentence full of numbers reads in linear time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict, Unpack

from devagenda.core.numerals import (
    CHINESE_DIGITS,
    ENGLISH_TENS,
    ENGLISH_UNITS,
    chinese_to_int,
    english_number_to_int,
)
from devagenda.reports.ingest.document import Figure, Location
from devagenda.reports.ingest.mentions import SYMBOL, URL

ZH_QUALIFIERS = "超过|多达|将近|近|约为|约|逾|大约|至少|不到|不少于"
ZH_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+"
ZH_UNITS = (
    "瑞士法郎|美元|欧元|个|名|人|门|种|项|所|家|次|场|位|件|份|部|期|届|批|起|篇|册|套|台|座|倍"
    "|%|％"
)
ZH_FIGURE = re.compile(
    rf"(?P<qualifier>{ZH_QUALIFIERS})?(?P<number>{ZH_NUMBER})"
    rf"(?P<scale>[十百千]?多?[万亿]?多?)(?P<unit>{ZH_UNITS})?(?P<after>以上)?"
)
# A Chinese count starts with a digit or 十 ("十一个"); "千人" alone is not a count.
LEADING_CHINESE_DIGITS = "".join(CHINESE_DIGITS) + "十"
# "数千人", "上百个": not a figure.
VAGUE_BEFORE = re.compile(r"[数几上成]")
# "两个月", "三个工作日": a duration, not a count.
DURATION_AFTER_COUNTER = re.compile(r"^(?:月|小时|星期|工作日)")
# Numbers in these lists name things rather than count them.
NUMBER_LISTS = re.compile(
    r"(?:建议|细则|目标|条款|Recommendations?|Rules?|SDGs?|paragraphs?)\s*\d+"
    r"(?:\s*(?:[、，,]|和|及|以及|至|and|to)\s*\d+)*",
    re.IGNORECASE,
)
COUNTED_MAX_CHARS = 32
# Where the counted noun stops: verbs, prepositions, conjunctions ("与" but not in 参与, 与会;
# "受益" but not in 受益人, 受益国).
COUNTED_STOPS = re.compile(
    r"参加|出席|提供|获得|接受|来自|得到|加入|开展|举办|组织了|组织并|进行|共同|正在|包括|其中|"
    r"涉及|实施|达到|增加|增至|完成|提交|支持|从事|帮助|受益(?![人国者])|入选|利用|持续|建立|"
    r"成功(?!故事)|带来|分享|现场|可供|目前|首次|分配|开始|位于|关于|引入|制定|拥有|开发|制作|上传|"
    r"通过|此前|申请角逐|用于|中的|便|可在|活跃在|表示|计算|参与(?![者国方])|面向|"
    r"(?<!参)与(?!会)|中$|(?<=.)在|在(?!线)|被(?!授权)|[以于从向为已将等对使均都也还就了是有由占给之而]"
)
# Words that join two counted nouns ("发明人和中小企业"), unless a number follows.
CONJUNCTION = re.compile(r"以及|[和及或、]")
# What ends the counted noun's window: punctuation and digits; quoted words are kept whole.
COUNTED_END = re.compile(r"[\s，。；：,.;:（）()\[\]《》“”\"0-9]")
# Names with 的 inside are not a 的-clause.
QUOTED = re.compile(r"“[^”“\n]{0,20}”|波罗的海")
STARTS_WITH_NUMBER = re.compile(rf"^(?:\d|[{''.join(CHINESE_DIGITS)}十百千])")
# An age before the noun: "48名14至17岁的学生".
AGE_CLAUSE = re.compile(r"^\d+(?:至\d+)?岁(?:及以上)?的")
# Before 的, these describe the noun after it ("七个新的项目提案", "已公布的PCT申请").
DESCRIBING = re.compile(
    r"^(?:.|新|相关|不同|主要|其他|重要)$|^(?:做|拥有|从事|经|面向|针对|负责|具有|已|正在|此类|这些|该)"
)
# A measure word for people counts people, and 家 counts firms: a clause before 的 that does
# not end in such a noun describes the noun after it ("50名…农业企业的女企业家").
PEOPLE_UNITS = frozenset("名位人")
PEOPLE = re.compile(r"(?:[者人员家师官生手士女童工户]|代表|成员|青年|儿童|法官)$")
FIRM_UNITS = frozenset("家")
FIRMS = re.compile(r"(?:企业|公司|机构|企|商|所|厂|店|社)$")
# Determiners left out of what is counted: "16个不同国家" counts 国家.
DETERMINERS = re.compile(r"^(?:不同|其他|各)(?=..)")
# Measure words that name what they count when no noun follows: "108,292人", "两期".
SELF_COUNTING = frozenset("人期")
# "注册用户数量增至2,500人", "使合作伙伴总数达到152家", "申请数量最多为9,075件".
# "石墨报告的下载次数超过3,000次": a measure of the subject, with the qualifier as verb.
SUBJECT_BEFORE = re.compile(
    r"(?P<subject>[^，。；：、\s]{1,20}?)(?:的)?(?P<measure>数量|人数|总数|数目|次数)?"
    r"(?:也|已|均)?(?:显著|大幅)?(?:增加至|增加到|增至|增加|增长|达到|最多为|最少为|为|已|有|达)$"
    r"|(?P<measured>[^，。；：、\s]{1,20}?)(?:的)?(?:数量|次数|数目)$"
)
SUBJECT_TRIM = re.compile(r".*[的使而在从为将由对]")
SUBJECT_LOOKBACK_CHARS = 40
SUBJECT_MAX_CHARS = 12
PART_MAX_CHARS = 22
# "三十家企业入选…。其中12家…": a part of the count before it, of the same thing.
OF_WHICH = re.compile(r"其中$")
# A change named by its size refers to the figure before it: "增幅约为104%".
CHANGE_BEFORE = re.compile(r"(?:增幅|增长率|降幅)$")
# The sides of a comparison: "从2022年的53,262增至80,885".
FROM_SIDE = re.compile(r"从(?:(?P<year>\d{4})年(?:的)?)?$")
TO_SIDE = re.compile(r"(?:增至|增加至|增加到|升至|降至|减至)$")
# Breakdowns: "非洲2个" (the part before the number), "三个来自非洲" (after it), and
# "其中9项涉及商标" (a part by subject).
PART_BEFORE = re.compile(r"(?:^|[，；、。：])(?:以及|和|及|另)?(?P<part>[^，；、。：\d]{1,20})$")
PART_AFTER = re.compile(r"^(?:来自|面向)(?P<part>[^，；。、：\s]{1,20})")
SUBJECT_PART = re.compile(r"^涉及(?P<part>[^，；。、：\s]{1,20})")
# "一个来自亚洲和太平洋", "另一期面向加勒比": counts of one, which are otherwise articles.
ONE_BEFORE_PART = re.compile(r"^(?:来自|面向)")
# Totals since a start, said before the figure in its sentence.
CUMULATIVE = re.compile(r"自[^。；]{0,20}?以来|累计|总数|截至")

EN_QUALIFIERS = r"more than|over|nearly|almost|about|around|approximately|some|up to|at least"
# Spelt-out counts from two up ("one" is mostly an article).
EN_NUMBER_WORD = "|".join(ENGLISH_UNITS[2:]) + (
    f"|(?:{'|'.join(ENGLISH_TENS)})(?:-(?:{'|'.join(ENGLISH_UNITS[1:10])}))?"
)
EN_FIGURE = re.compile(
    rf"(?:(?P<qualifier>{EN_QUALIFIERS})\s+)?"
    rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:{EN_NUMBER_WORD})\b)"
    r"(?:\s*(?P<scale>million|billion|thousand)\b)?(?P<unit>\s*%|\s+per ?cent\b)?",
    re.IGNORECASE,
)
EN_WORDS = re.compile(r"\s+([A-Za-z][A-Za-z-]*)")
EN_STOPS = frozenset(
    (
        *("of", "in", "from", "to", "and", "with", "for", "at", "on", "by", "who", "which"),
        *("that", "were", "was", "have", "has", "had", "are", "is", "the", "a", "an"),
    )
)
EN_COUNTED_MAX_WORDS = 3
# How far after a number its counted words are looked for.
EN_AFTER_CHARS = 80
EN_NOT_COUNTED = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|session|st|nd|rd|th)\b",
    re.IGNORECASE,
)
EN_YEAR = re.compile(r"(?<![\d,./-])((?:19|20)\d{2})(?![\d,/-])")
SCALES = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
EN_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Script:
    """What reading figures does differently in Chinese and in English text."""

    figure: re.Pattern[str]  # a number, with its qualifier, scale and unit
    year: re.Pattern[str]  # a year a sentence names
    # Before a count's number, a character that glues it to a word or a code ("DL304",
    # "COVID-19", "2024/25") or, in Chinese, makes it an ordinal ("第三十届").
    glued_before: re.Pattern[str]
    cumulative: re.Pattern[str] | None  # a total since a start, said before the figure


CHINESE = Script(
    figure=ZH_FIGURE,
    year=re.compile(r"(?<![\d/\-－—～~至自从])(\d{4})年(?!代|以来|至)"),
    glued_before=re.compile(r"[A-Za-z0-9_/\-.#第]"),
    cumulative=CUMULATIVE,
)
ENGLISH = Script(
    figure=EN_FIGURE, year=EN_YEAR, glued_before=re.compile(r"[A-Za-z0-9_/\-.#]"), cumulative=None
)


@dataclass
class FigureReading:
    """The figures of one text and how many characters the reader's scans examined: the
    work done, counted the same way on every machine, so tests can bound its growth."""

    figures: list[Figure]
    scanned: int


class ReadOptions(TypedDict, total=False):
    """How to read a text: `english` for an English one; `breaks`, offsets where a
    footnote marker stood, which end a counted noun; `total`, the figure a footnote is
    attached to, which its parts break down."""

    english: bool
    breaks: tuple[int, ...]
    total: Figure | None


def find_figures(
    text: str, location: Location, year: int | None, **options: Unpack[ReadOptions]
) -> list[Figure]:
    """The figures in `text`; `year` is the report's, for sentences that name none."""
    return read_figures(text, location, year, **options).figures


def read_figures(
    text: str, location: Location, year: int | None, **options: Unpack[ReadOptions]
) -> FigureReading:
    """As `find_figures`, with the work done. Each figure costs a bounded amount of work:
    sentence and clause ends, years and cumulative markers are indexed once per text."""
    english = options.get("english", False)
    scan = _Scan(_mask(text), ENGLISH if english else CHINESE, sorted(options.get("breaks", ())))
    if english:
        figures = _english_figures(scan, location, year)
    else:
        figures = _ChineseReader(scan, location, year, options.get("total")).read()
    return FigureReading(figures, scan.scanned)


def figures_at_markers(
    figures: list[Figure], text: str, refs: tuple[tuple[int, int], ...]
) -> dict[int, Figure]:
    """The figure each footnote marker (number, offset) is attached to: the one it stands
    in or right after ("八个国家[footnoteRef:60]", "…技术援助活动。[footnoteRef:54]")."""
    starts = [figure.span[0] for figure in figures]
    attached: dict[int, Figure] = {}
    for number, offset in refs:
        index = bisect.bisect_left(starts, offset) - 1
        if index < 0:
            continue
        figure = figures[index]
        end = figure.span[1]
        if offset <= end or (offset == end + 1 and text[end : end + 1] in ("。", "，", "；")):
            attached.setdefault(number, figure)
    return attached


def _mask(text: str) -> str:
    """Blank out what holds numbers that are not figures, keeping offsets."""
    for pattern in (URL, SYMBOL, NUMBER_LISTS):
        text = pattern.sub(lambda found: " " * len(found.group()), text)
    return text


class _Scan:
    """A text with the indexes every figure needs, each built in one pass, and a count
    of the characters examined."""

    # Where sentences and clauses end, in either script.
    SENTENCE_STOP = re.compile(r"[。！？；\n]|[.;] ")
    CLAUSE_STOP = re.compile(r"[。！？；\n，：]|[.;,:] ")

    def __init__(self, text: str, script: Script, breaks: list[int]) -> None:
        self.text = text
        self.script = script
        # The three masking passes and the indexing passes below.
        self.scanned = 3 * len(text)
        self.breaks = breaks
        self.sentence_starts = [0, *(m.end() for m in self.finditer(self.SENTENCE_STOP))]
        self.clause_stops = [m.start() for m in self.finditer(self.CLAUSE_STOP)]
        self.clause_starts = [0, *(m.end() for m in self.finditer(self.CLAUSE_STOP))]
        years = [(m.start(), int(m.group(1))) for m in self.finditer(script.year)]
        self.year_offsets = [offset for offset, _ in years]
        self.years = [value for _, value in years]
        cumulative = script.cumulative
        self.cumulative_ends = [m.end() for m in self.finditer(cumulative)] if cumulative else []

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        self.scanned += len(self.text)
        return list(pattern.finditer(self.text))

    def window(self, start: int, end: int) -> str:
        start, end = max(start, 0), min(end, len(self.text))
        self.scanned += max(end - start, 0)
        return self.text[start:end]

    def search(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """`pattern` searched in text[start:end], where "^" is the text's own start."""
        start = max(start, 0)
        self.scanned += max(end - start, 0)
        return pattern.search(self.text, start, end)

    def next_break(self, offset: int) -> int:
        """The first footnote marker after `offset`, or the end of the text."""
        index = bisect.bisect_right(self.breaks, offset)
        return self.breaks[index] if index < len(self.breaks) else len(self.text)

    def sentence_start(self, offset: int) -> int:
        return self.sentence_starts[bisect.bisect_right(self.sentence_starts, offset) - 1]

    def clause_start(self, offset: int) -> int:
        return self.clause_starts[bisect.bisect_right(self.clause_starts, offset) - 1]

    def clause_end(self, offset: int) -> int:
        index = bisect.bisect_left(self.clause_stops, offset)
        return self.clause_stops[index] if index < len(self.clause_stops) else len(self.text)

    def year(self, offset: int, default: int | None) -> int | None:
        """The year the figure's sentence is about: the nearest one named before it in the
        sentence, else one named after it in the same clause, else the report's."""
        index = bisect.bisect_left(self.year_offsets, offset)
        if index > 0 and self.year_offsets[index - 1] >= self.sentence_start(offset):
            return self.years[index - 1]
        if index < len(self.years) and self.year_offsets[index] < self.clause_end(offset):
            return self.years[index]
        return default

    def cumulative(self, offset: int) -> bool:
        """Whether the sentence says, before `offset`, that it counts since a start."""
        index = bisect.bisect_right(self.cumulative_ends, offset)
        return index > 0 and self.cumulative_ends[index - 1] > self.sentence_start(offset)


class _ChineseReader:
    """Reads Chinese counts left to right; a figure's context (the figure before it in
    its sentence, the from-side of a comparison) is kept as it goes."""

    def __init__(
        self, scan: _Scan, location: Location, year: int | None, total: Figure | None
    ) -> None:
        self.scan = scan
        self.location = location
        self.default_year = year
        self.total = total
        self.figures: list[Figure] = []
        self.from_year: int | None = None  # the year of the last comparison's from-side
        self.from_side: Figure | None = None
        self.last_by_unit: dict[str, Figure] = {}

    def read(self) -> list[Figure]:
        for found in self.scan.finditer(self.scan.script.figure):
            figure = self._figure(found)
            if figure is not None:
                self.figures.append(figure)
                self.last_by_unit[figure.unit] = figure
        return self.figures

    def _figure(self, found: re.Match[str]) -> Figure | None:
        text = self.scan.text
        value = _chinese_value(found, self.scan)
        if value is None:
            return None
        unit = found.group("unit") or ""
        start = found.start()
        counts, end = _counted(self.scan, found.end(), unit)
        qualifier = found.group("qualifier") or found.group("after") or _more(found)
        figure = Figure(
            value,
            text[start : max(end, found.end())],
            unit,
            counts,
            self.location,
            year=self.scan.year(found.start("number"), self.default_year),
            qualifier=qualifier,
            cumulative=self.scan.cumulative(start),
            span=(start, max(end, found.end())),
        )
        self._context(figure, found)
        return figure

    def _context(self, figure: Figure, found: re.Match[str]) -> None:
        """What the figure's neighbours say about it: the noun a bare number counts, the
        sides of a comparison, and the part of a total it stands for."""
        start = figure.span[0]
        before = self.scan.window(
            max(self.scan.clause_start(start), start - SUBJECT_LOOKBACK_CHARS), start
        )
        previous = self._previous_in_sentence(start)
        from_side = FROM_SIDE.search(before)
        if from_side:
            stated = from_side.group("year")
            self.from_year = int(stated) if stated else self.from_year
            figure.year = self.from_year
            self.from_side = figure
        if not figure.counts:
            figure.counts = self._bare_counts(figure, before, previous, from_side is not None)
        self._breakdown(figure, found)
        if not figure.counts and figure.unit in SELF_COUNTING:
            figure.counts = figure.unit

    def _previous_in_sentence(self, start: int) -> Figure | None:
        if self.figures and self.figures[-1].span[0] >= self.scan.sentence_start(start):
            return self.figures[-1]
        return None

    def _bare_counts(
        self, figure: Figure, before: str, previous: Figure | None, is_from_side: bool
    ) -> str:
        """What a number with no noun after it counts, from what precedes it."""
        if is_from_side:
            # "网页浏览量从2022年的53,262次…", else the figure or clause before it.
            same_clause = _noun_before(FROM_SIDE.sub("", before))
            if same_clause:
                return same_clause
            if previous is not None and previous.counts:
                return previous.counts
            clause_start = self.scan.clause_start(figure.span[0])
            earlier = self.scan.window(
                max(
                    self.scan.clause_start(clause_start - 1), clause_start - SUBJECT_LOOKBACK_CHARS
                ),
                max(clause_start - 1, 0),
            )
            return _subject(earlier)
        if previous is not None and previous is self.from_side and TO_SIDE.search(before):
            return previous.counts
        if previous is not None and CHANGE_BEFORE.search(before):
            return previous.counts
        same_unit = self.last_by_unit.get(figure.unit)
        if same_unit is not None and OF_WHICH.search(before):
            return same_unit.counts
        return _subject(before)

    def _breakdown(self, figure: Figure, found: re.Match[str]) -> None:
        """A part of a total: "9项涉及商标" after "18项立法咨询请求，其中", or "非洲2个" in
        a footnote to a total."""
        start, end = figure.span
        after = self.scan.window(end, end + PART_MAX_CHARS)
        by_subject = SUBJECT_PART.match(after)
        if by_subject:
            figure.breakdown = by_subject.group("part")
            anchor = self._same_unit_before(figure)
            if anchor is not None and figure.counts in ("", anchor.counts):
                figure.counts = anchor.counts
                figure.part_of = anchor.part_of if anchor.breakdown else anchor
            return
        if self.total is None or figure.counts:
            return
        part = PART_AFTER.match(self.scan.window(found.end(), found.end() + PART_MAX_CHARS))
        if part is None:
            lookback = self.scan.window(start - PART_MAX_CHARS, start)
            part = (
                PART_BEFORE.search(lookback)
                if start > PART_MAX_CHARS
                else PART_BEFORE.search("，" + lookback)
            )
        if part is None:
            return
        figure.breakdown = part.group("part")
        figure.counts = self.total.counts
        figure.part_of = self.total

    def _same_unit_before(self, figure: Figure) -> Figure | None:
        earlier = self.last_by_unit.get(figure.unit)
        if earlier is None or earlier.span[0] < self.scan.sentence_start(figure.span[0]):
            return None
        return earlier


def _subject(before: str) -> str:
    """The noun a clause names before its verb: "注册用户" in "数据库的注册用户数量增至"."""
    found = SUBJECT_BEFORE.search(before)
    if found is None:
        return ""
    if found.group("measure") == "人数":
        return "人"
    return _noun_before(found.group("subject") or found.group("measured"))


def _noun_before(before: str) -> str:
    """The clause's words before a comparison, if they are a short noun: "网页浏览量"."""
    noun = SUBJECT_TRIM.sub("", before)
    if not noun or len(noun) > SUBJECT_MAX_CHARS or re.search(r"[\d\s]", noun):
        return ""
    return noun


def _chinese_value(found: re.Match[str], scan: _Scan) -> float | None:
    """The value of a match that is a count, or None for numbers that are not."""
    text = scan.text
    number, unit, scale = found.group("number"), found.group("unit"), found.group("scale")
    start = found.start("number")
    before = text[start - 1] if start > 0 else ""
    if before and (scan.script.glued_before.match(before) or VAGUE_BEFORE.match(before)):
        return None
    if number[0].isdigit():
        value = Decimal(number.replace(",", ""))
        if unit is None and "," not in number and not re.search("[万亿千]", scale):
            return None
    else:
        if unit is None or number[0] not in LEADING_CHINESE_DIGITS or number in ("〇", "零"):
            return None
        if number == "一" and not ONE_BEFORE_PART.match(scan.window(found.end(), found.end() + 2)):
            return None
        value = Decimal(chinese_to_int(number) or 0)
    if unit == "个" and DURATION_AFTER_COUNTER.match(scan.window(found.end(), found.end() + 3)):
        return None
    for char in scale:
        value *= SCALES.get(char, 1)
    return float(value)


def _more(found: re.Match[str]) -> str | None:
    return "多" if "多" in found.group("scale") else None


def _counted(scan: _Scan, start: int, unit: str) -> tuple[str, int]:
    """What a count counts and where its printed form ends: "课程" in "580门课程，…",
    "女企业家" in "40多名做刺绣生意的女企业家", "发明人和中小企业" in "197个发明人和中小企业"."""
    raw = scan.window(start, min(start + COUNTED_MAX_CHARS, scan.next_break(start)))
    window = QUOTED.sub(lambda quoted: "Ｑ" * len(quoted.group()), raw)
    offset = 0
    if unit in "%％" and window.startswith("的"):
        offset = 1
    age = AGE_CLAUSE.match(window, offset)
    offset = age.end() if age else offset
    cut = COUNTED_END.search(window, offset)
    limit = cut.start() if cut else len(window)
    by_bracket = cut is not None and cut.group() in "（("
    phrase = window[:limit]
    if COUNTED_STOPS.match(phrase, offset) and "的" in phrase[offset:]:
        # A clause before the noun: "来自不同国家的获胜者", "与PCT有关的技术援助活动".
        of = phrase.index("的", offset) + 1
        noun_end = _noun_end(phrase, of, by_bracket)
        if noun_end > of:
            return _without_determiner(raw[of:noun_end]), start + noun_end
        return "", start
    noun_end = _noun_end(phrase, offset, by_bracket)
    head_end = phrase.find("的", offset, noun_end)
    if head_end < 0:
        return _without_determiner(raw[offset:noun_end]), start + noun_end
    if head_end == offset:
        # "2.5万人的答复": the measure word is the noun; what follows is another's.
        return "", start
    head = phrase[offset:head_end]
    if head_end + 1 < noun_end and _describes(head, unit):
        return _without_determiner(raw[head_end + 1 : noun_end]), start + noun_end
    return _without_determiner(raw[offset:head_end]), start + head_end


def _noun_end(phrase: str, start: int, by_bracket: bool) -> int:
    """Where a noun starting at `start` ends: at the first verb or preposition, or at a
    conjunction followed by a number ("18项商标申请和两项…")."""
    end = _stop(phrase, start)
    position = start
    first_conjunction: int | None = None
    while (conjunction := CONJUNCTION.search(phrase, position, end)) is not None:
        if conjunction.start() == position:
            return position
        rest = phrase[conjunction.end() : end]
        if not rest or STARTS_WITH_NUMBER.match(rest):
            return conjunction.start()
        if first_conjunction is None:
            first_conjunction = conjunction.start()
        position = conjunction.end()
    if first_conjunction is not None and by_bracket and end == len(phrase):
        # "10个成员国和非洲地区知识产权组织（ARIPO）的22名成员": the last part owns what
        # follows the bracket; only the first is counted.
        return first_conjunction
    return end


def _stop(phrase: str, start: int) -> int:
    stop = COUNTED_STOPS.search(phrase, start)
    return stop.start() if stop else len(phrase)


def _describes(head: str, unit: str) -> bool:
    """Whether the words before 的 describe the noun after it rather than own it."""
    if DESCRIBING.search(head):
        return True
    if unit in PEOPLE_UNITS:
        return PEOPLE.search(head) is None
    if unit in FIRM_UNITS:
        return FIRMS.search(head) is None
    return False


def _without_determiner(noun: str) -> str:
    return DETERMINERS.sub("", noun)


def _english_figures(scan: _Scan, location: Location, year: int | None) -> list[Figure]:
    text = scan.text
    figures = []
    for found in scan.finditer(scan.script.figure):
        number, scale, unit = found.group("number"), found.group("scale"), found.group("unit")
        start = found.start("number")
        if start > 0 and scan.script.glued_before.match(text[start - 1]):
            continue
        value = _english_value(number)
        after = scan.window(
            found.end(), min(found.end() + EN_AFTER_CHARS, scan.next_break(found.end()))
        )
        if value is None or EN_NOT_COUNTED.match(after.lstrip()):
            continue
        counted, counted_end = ("", 0) if unit else _english_counted(after)
        if not (unit or counted or scale) or _is_year(number, counted):
            continue
        value *= EN_SCALES.get((scale or "").lower(), 1)
        end = found.end() + counted_end
        printed = text[found.start() : end].strip()
        sign = "%" if unit else ""
        figure = Figure(
            value,
            printed,
            sign,
            counted,
            location,
            year=scan.year(start, year),
            qualifier=found.group("qualifier"),
            span=(found.start(), end),
        )
        figures.append(figure)
    return figures


def _english_counted(after: str) -> tuple[str, int]:
    """The words a count counts ("new project proposals") and where they end; a verb
    in "-ed" after the first word ends them ("courses offered")."""
    words: list[str] = []
    end = 0
    position = 0
    while len(words) < EN_COUNTED_MAX_WORDS and (found := EN_WORDS.match(after, position)):
        word = found.group(1)
        if word.lower() in EN_STOPS or (words and word.endswith("ed")):
            break
        words.append(word)
        end = position = found.end()
    return " ".join(words), end


def _english_value(number: str) -> float | None:
    if number[0].isdigit():
        return float(number.replace(",", ""))
    value = english_number_to_int(number)
    return None if value is None else float(value)


def _is_year(number: str, counted: str) -> bool:
    return EN_YEAR.fullmatch(number) is not None and not counted.endswith("s")
