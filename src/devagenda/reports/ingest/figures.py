"""Quantitative statements: "108,292人", "超过600名与会者", "十一个联合硕士学位计划", "25%".

A Chinese count is a number, a measure word and the noun it counts. Numbers that are not
counts are left out: years, dates, ordinals ("第三十届"), durations ("两个月"), list and
recommendation numbers, document symbols and web addresses. Nothing separates words, so
the counted noun is cut at the first verb, preposition or conjunction after it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

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
# A count's number is not glued to letters, digits, slashes or dashes ("DL304", "COVID-19",
# "2024/25") and is not an ordinal ("第三十届").
NOT_BEFORE_NUMBER = re.compile(r"[A-Za-z0-9_/\-.#第]")
DURATION_AFTER_COUNTER = re.compile(r"^(?:月|小时|星期|工作日)")
# Numbers in these lists name things rather than count them.
NUMBER_LISTS = re.compile(
    r"(?:建议|细则|目标|条款|Recommendations?|Rules?|SDGs?|paragraphs?)\s*\d+"
    r"(?:\s*(?:[、，,]|和|及|以及|至|and|to)\s*\d+)*",
    re.IGNORECASE,
)
COUNTED_MAX_CHARS = 16
# Where the counted noun stops: verbs, prepositions, conjunctions ("与" but not in 参与, 与会).
COUNTED_STOPS = re.compile(
    r"参加|出席|提供|获得|接受|来自|得到|加入|开展|举办|组织了|组织并|进行|共同|正在|包括|其中|"
    r"涉及|实施|达到|增加|增至|完成|提交|支持|从事|帮助|受益|入选|利用|持续|建立|成功|带来|"
    r"分享|现场|可供|目前|首次|分配|开始|位于|关于|引入|制定|拥有|开发|制作|上传|通过|此前|"
    r"申请角逐|用于|中的|便|(?<!参)与(?!会)|中$|[以在于从向为被已将和及或等对使均都也还就了是有由占给之]"
)
COUNTED_END = re.compile(r"[\s，。；：、,.;:（）()“”\"《》\[\]0-9]")
# Before 的, these describe the noun after it ("七个新的项目提案", "经验丰富的专利法官").
DESCRIBING = re.compile(
    r"^(?:.|新|相关|不同|主要|其他|重要)$|^(?:做|拥有|从事|经|面向|针对|负责|具有)"
)
# A Chinese count starts with a digit or 十 ("十一个"); "千人" alone is not a count.
LEADING_CHINESE_DIGITS = "".join(CHINESE_DIGITS) + "十"
# "数千人", "上百个": not a figure.
VAGUE_BEFORE = re.compile(r"[数几上成]")
ZH_YEAR = re.compile(r"(?<![\d/\-－—～~至自从])(\d{4})年(?!代|以来|至)")
SENTENCE_STOPS = ("。", "！", "？", "；", "\n", ". ", "; ")
CLAUSE_STOPS = ("，", "：", ", ", ": ")

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
EN_NOT_COUNTED = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|session|st|nd|rd|th)\b",
    re.IGNORECASE,
)
EN_YEAR = re.compile(r"(?<![\d,./-])((?:19|20)\d{2})(?![\d,/-])")
SCALES = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
EN_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def find_figures(
    text: str,
    location: Location,
    year: int | None,
    *,
    english: bool = False,
    breaks: tuple[int, ...] = (),
) -> list[Figure]:
    """The figures in `text`; `year` is the report's, for sentences that name none;
    `breaks` are offsets where a footnote marker stood, which end a counted noun."""
    masked = _mask(text)
    finder = _english_figures if english else _chinese_figures
    return [
        replace(figure, year=_sentence_year(masked, start, year, english))
        for figure, start in finder(masked, location, breaks)
    ]


def _mask(text: str) -> str:
    """Blank out what holds numbers that are not figures, keeping offsets."""
    for pattern in (URL, SYMBOL, NUMBER_LISTS):
        text = pattern.sub(lambda found: " " * len(found.group()), text)
    return text


def _chinese_figures(
    text: str, location: Location, breaks: tuple[int, ...]
) -> list[tuple[Figure, int]]:
    figures = []
    for found in ZH_FIGURE.finditer(text):
        value = _chinese_value(found, text)
        if value is None:
            continue
        unit = found.group("unit") or ""
        start, end = _counted(text, found.end(), breaks, skip_of=unit in "%％")
        qualifier = found.group("qualifier") or found.group("after") or _more(found)
        printed = text[found.start() : max(end, found.end())]
        figure = Figure(value, printed, unit, text[start:end], location, qualifier=qualifier)
        figures.append((figure, found.start("number")))
    return figures


def _chinese_value(found: re.Match[str], text: str) -> float | None:
    """The value of a match that is a count, or None for numbers that are not."""
    number, unit, scale = found.group("number"), found.group("unit"), found.group("scale")
    start = found.start("number")
    before = text[start - 1] if start > 0 else ""
    if before and (NOT_BEFORE_NUMBER.match(before) or VAGUE_BEFORE.match(before)):
        return None
    if number[0].isdigit():
        value = Decimal(number.replace(",", ""))
        if unit is None and "," not in number and not re.search("[万亿千]", scale):
            return None
    else:
        if unit is None or number[0] not in LEADING_CHINESE_DIGITS or number in ("一", "〇", "零"):
            return None
        value = Decimal(chinese_to_int(number) or 0)
    if unit == "个" and DURATION_AFTER_COUNTER.match(text[found.end() :]):
        return None
    for char in scale:
        value *= SCALES.get(char, 1)
    return float(value)


def _more(found: re.Match[str]) -> str | None:
    return "多" if "多" in found.group("scale") else None


def _counted(text: str, start: int, breaks: tuple[int, ...], *, skip_of: bool) -> tuple[int, int]:
    """The span of the noun a count counts: "课程" in "580门课程，…"."""
    if skip_of and text.startswith("的", start):
        start += 1
    limit = min([start + COUNTED_MAX_CHARS, *(b for b in breaks if b > start)])
    window = text[start:limit]
    if window.startswith("来自") and "的" in window:
        skipped = window.index("的") + 1
        start, window = start + skipped, window[skipped:]
    for pattern in (COUNTED_END, COUNTED_STOPS):
        stop = pattern.search(window)
        window = window if stop is None else window[: stop.start()]
    head, of, tail = window.partition("的")
    if of and tail and DESCRIBING.search(head):
        return start + len(head) + 1, start + len(window)
    return start, start + len(head)


def _english_figures(
    text: str, location: Location, breaks: tuple[int, ...]
) -> list[tuple[Figure, int]]:
    figures = []
    for found in EN_FIGURE.finditer(text):
        number, scale, unit = found.group("number"), found.group("scale"), found.group("unit")
        start = found.start("number")
        if start > 0 and re.match(r"[A-Za-z0-9_/\-.#]", text[start - 1]):
            continue
        value = _english_value(number)
        after = text[found.end() : min([len(text), *(b for b in breaks if b > found.end())])]
        if value is None or EN_NOT_COUNTED.match(after.lstrip()):
            continue
        counted, counted_end = ("", 0) if unit else _english_counted(after)
        if not (unit or counted or scale) or _is_year(number, counted):
            continue
        value *= EN_SCALES.get((scale or "").lower(), 1)
        end = found.end() + counted_end
        printed = text[found.start() : end].strip()
        sign = "%" if unit else ""
        figure = Figure(value, printed, sign, counted, location, qualifier=found.group("qualifier"))
        figures.append((figure, start))
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


def _sentence_year(text: str, offset: int, default: int | None, english: bool) -> int | None:
    """The year the figure's sentence is about: the nearest one named before it in the
    sentence, else one named after it in the same clause, else the report's."""
    start = _last_stop(text, offset, SENTENCE_STOPS)
    pattern = EN_YEAR if english else ZH_YEAR
    before = [int(found.group(1)) for found in pattern.finditer(text, start, offset)]
    if before:
        return before[-1]
    clause_end = _next_stop(text, offset, SENTENCE_STOPS + CLAUSE_STOPS)
    after = pattern.search(text, offset, clause_end)
    return int(after.group(1)) if after else default


def _last_stop(text: str, offset: int, stops: tuple[str, ...]) -> int:
    found = [(text.rfind(stop, 0, offset), len(stop)) for stop in stops]
    return max((position + length for position, length in found if position >= 0), default=0)


def _next_stop(text: str, offset: int, stops: tuple[str, ...]) -> int:
    ends = [end for stop in stops if (end := text.find(stop, offset)) >= 0]
    return min(ends, default=len(text))
