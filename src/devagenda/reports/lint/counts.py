"""Counts: a number the report states must agree with what it lists or sums elsewhere.

"以下三个发展议程项目：i）… ii）… iii）", "十个国家从讲习班中受益：斯威士兰、…", "来自八个国家
[footnote: 三个来自非洲；两个…]" and Annex II's "（40个）" all state a count next to what it
counts. A mismatch means an item was added or dropped in one place only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from devagenda.reports.ingest.document import (
    Figure,
    Location,
    Paragraph,
    ProjectGroup,
    ReportDocument,
)
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.text import (
    COUNT,
    MEASURE,
    NUMBER,
    TextUnit,
    all_units,
    inline_labels,
    line_sub_items,
    narrative_units,
    parse_number,
    quote,
    split_lists,
)
from devagenda.reports.messages import message

# Words before a count that make it approximate: "超过600名", "约180名", "近500万".
_APPROXIMATE = ("超过", "约", "近", "逾", "多达", "至少", "不到", "大约")
# "以下七个新的项目提案" announces the list that follows.
_ANNOUNCED = re.compile(rf"以下(?P<number>{NUMBER})(?P<measure>{MEASURE})")
# "两项协议：i)…", "四个受益国已选定：突尼斯、…": a count, a short noun, then a colon.
_BEFORE_COLON = re.compile(
    rf"(?P<number>{NUMBER})(?P<measure>{MEASURE})(?P<noun>[^，。；：、\s]{{1,12}})："
)
# "来自八个国家[footnoteRef:60]": a count with a footnote on its noun (which holds no
# other count).
_FOOTNOTED = re.compile(
    rf"(?P<number>{NUMBER})(?P<measure>{MEASURE})"
    r"(?P<noun>[^，。；：\[\]0-9零一二两三四五六七八九十百千万]{0,20})"
    r"\[footnoteRef:(?P<footnote>\d+)\]"
)


def not_a_count(text: str, start: int) -> bool:
    """An approximate figure ("超过600名") or an ordinal ("第四十三届") is no count to check."""
    before = text[max(0, start - 2) : start]
    return before.endswith(_APPROXIMATE) or before.endswith("第")


def country_names(context: LintContext, text: str) -> list[str]:
    """The countries a "、" list names; without a gazetteer, its items.

    Without the gazetteer the last item is split at its last "以及", or else at its last
    "和" that does not belong to "共和国" (so a list ending "…和特立尼达和多巴哥" miscounts).
    """
    if context.gazetteer is not None:
        found = context.gazetteer.find_in_text(text)
        return [match.text for match in found if match.entry.kind == "country"]
    items = [item for item in text.strip("。 ").split("、") if item]
    joiners = list(re.finditer("以及", items[-1])) or list(re.finditer("和(?!国)", items[-1]))
    if joiners:
        last, joiner = items[-1], joiners[-1]
        items[-1:] = [last[: joiner.start()], last[joiner.end() :]]
    return items


@dataclass(frozen=True)
class Listed:
    """What a stated count is compared with: how many, and what they are."""

    count: int
    what: str


def labelled_list_after(text: str, start: int, unit: TextUnit) -> Listed | None:
    """The first labelled list after position `start`: "i）… ii）… iii）"."""
    labels = split_lists(inline_labels(text[start:], unit.location))
    if not labels:
        return None
    return Listed(len(labels[0]), " ".join(label.printed for label in labels[0]))


def sub_item_list(paragraph: Paragraph) -> Listed | None:
    items = line_sub_items(paragraph)
    if not items:
        return None
    return Listed(len(items), f"{items[0].label}–{items[-1].label}")


def _mismatch(where: Location, stated: str, listed: Listed) -> Flag:
    return Flag(
        where, message("counts.list", stated=quote(stated), count=listed.count, listed=listed.what)
    )


def _announced_lists(
    unit: TextUnit, paragraph: Paragraph | None
) -> Iterator[tuple[re.Match[str], Listed]]:
    for found in _ANNOUNCED.finditer(unit.text):
        listed = labelled_list_after(unit.text, found.end(), unit)
        if listed is None and paragraph is not None and unit.text.rstrip().endswith("："):
            listed = sub_item_list(paragraph)
        if listed is not None:
            yield found, listed


def _colon_lists(context: LintContext, unit: TextUnit) -> Iterator[tuple[re.Match[str], Listed]]:
    for found in _BEFORE_COLON.finditer(unit.text):
        if _ANNOUNCED.match(unit.text, max(0, found.start() - 2)):
            continue
        rest = unit.text[found.end() :].split("。", 1)[0]
        listed = labelled_list_after(rest, 0, unit)
        if listed is None and "国" in found["noun"] and "、" in rest:
            names = country_names(context, rest)
            listed = Listed(len(names), "、".join(names))
        if listed is not None:
            yield found, listed


@check("DA-CNT-001", Severity.ERROR)
def stated_count_vs_list(context: LintContext) -> Iterator[Flag]:
    """A count announcing a list agrees with the list: "以下七个…：" then seven items,
    "十个国家…：" then ten countries, "两项协议：i)…ii)"."""
    paragraphs = {p.number: p for p in context.doc.paragraphs}
    for unit in all_units(context.doc):
        own = paragraphs.get(unit.location.paragraph or -1)
        paragraph = (
            own if unit.location.sub_item is None and unit.location.footnote is None else None
        )
        found_lists = [*_announced_lists(unit, paragraph), *_colon_lists(context, unit)]
        for found, listed in found_lists:
            stated = parse_number(found["number"])
            if stated is None or not_a_count(unit.text, found.start()) or stated == listed.count:
                continue
            yield _mismatch(unit.location, found.group(0).rstrip("："), listed)


def _breakdown(body: str, measure: str) -> list[int]:
    """The counts of a footnote that splits a total: "非洲2个，阿拉伯地区3个…"."""
    values = [parse_number(f["number"]) for f in COUNT.finditer(body) if f["measure"] == measure]
    return [value for value in values if value is not None]


@check("DA-CNT-002", Severity.ERROR)
def footnoted_count(context: LintContext) -> Iterator[Flag]:
    """A count with a footnote agrees with it: "与12个成员国[12]" and footnote 12 naming
    twelve countries; "十一次[120]" and footnote 120 adding up to eleven.

    Needs the text with footnote markers (Paragraph.raw_text, SubItem.raw_text).
    """
    doc = context.doc
    for unit in narrative_units(doc):
        for found in _FOOTNOTED.finditer(unit.raw_text):
            stated = parse_number(found["number"])
            note = doc.footnote(int(found["footnote"]))
            if stated is None or note is None or not_a_count(unit.raw_text, found.start()):
                continue
            body = note.text.split("。", 1)[0]
            listed = _footnote_listing(context, body, found["measure"], found["noun"])
            if listed is not None and listed.count != stated:
                stated_text = re.sub(r"\[footnoteRef:\d+\]", "", found.group(0))
                yield Flag(
                    unit.location,
                    message(
                        "counts.footnote",
                        stated=quote(stated_text),
                        footnote=note.number,
                        count=listed.count,
                        listed=listed.what,
                    ),
                )


def _footnote_listing(context: LintContext, body: str, measure: str, noun: str) -> Listed | None:
    parts = _breakdown(body, measure)
    if len(parts) >= 2:
        return Listed(sum(parts), " + ".join(str(part) for part in parts))
    if ("国" in noun or "成员" in noun) and "、" in body:
        names = country_names(context, body)
        return Listed(len(names), "、".join(names))
    return None


@check("DA-CNT-003", Severity.ERROR)
def annex_group_counts(context: LintContext) -> Iterator[Flag]:
    """Each Annex II group heading's count "（40个）" equals the rows under it."""
    doc = context.doc
    for group in doc.annex_groups:
        rows = [row for row in doc.annex_projects if row.group == group.group]
        if group.stated_count is not None and group.stated_count != len(rows):
            yield Flag(
                Location(line=group.line, annex="II", heading=group.heading),
                message(
                    "counts.annex_group",
                    heading=quote(group.heading),
                    stated=group.stated_count,
                    rows=len(rows),
                ),
            )


# What the narrative says about Annex II's groups, which rows it counts, and the message
# key naming those rows.
_PROJECT_TOTALS: list[tuple[re.Pattern[str], tuple[ProjectGroup, ...], str]] = [
    (
        re.compile(rf"批准的发展议程项目总数(?:增加至|达到|为)(?P<number>{NUMBER})个"),
        tuple(ProjectGroup),
        "counts.all_of_annex_two",
    ),
    (
        re.compile(rf"(?P<number>{NUMBER})个发展议程项目持续实施"),
        (ProjectGroup.ONGOING,),
        "counts.ongoing_group",
    ),
    (
        re.compile(rf"批准了以下(?P<number>{NUMBER})个新的?项目"),
        (ProjectGroup.APPROVED,),
        "counts.approved_group",
    ),
    (
        re.compile(rf"(?P<number>{NUMBER})项新发展议程项目"),
        (ProjectGroup.APPROVED,),
        "counts.approved_group",
    ),
]


@check("DA-CNT-004", Severity.ERROR)
def narrative_project_totals(context: LintContext) -> Iterator[Flag]:
    """Project totals in the narrative match Annex II: "总数增加至55个" its rows, "有8个
    发展议程项目持续实施" the ongoing group, "七项新发展议程项目" the approved group."""
    doc = context.doc
    if not doc.annex_projects:
        return
    for unit in narrative_units(doc):
        for pattern, groups, what in _PROJECT_TOTALS:
            for found in pattern.finditer(unit.text):
                rows = sum(1 for row in doc.annex_projects if row.group in groups)
                stated = parse_number(found["number"])
                if stated is not None and stated != rows:
                    yield Flag(
                        unit.location,
                        message(
                            "counts.project_total",
                            stated=quote(found.group(0)),
                            rows_of=message(what),
                            rows=rows,
                        ),
                    )


_RECOMMENDATION_TOTALS = [
    (re.compile(rf"(?P<number>{NUMBER})项发展议程建议"), False),
    (re.compile(rf"(?P<number>{NUMBER})项(?:须予|应予)?立即(?:落实|执行)"), True),
]


@check("DA-CNT-005", Severity.ERROR)
def recommendation_totals(context: LintContext) -> Iterator[Flag]:
    """Counts of recommendations match Annex I: all of them, and those starred for
    immediate implementation."""
    doc = context.doc
    recommendations = doc.annex_recommendations
    if not recommendations:
        return
    headings = [(h.title, Location(line=h.line, heading=h.title)) for h in doc.headings]
    texts = [(u.text, u.location) for u in narrative_units(doc)] + headings
    for text, location in texts:
        for pattern, starred_only in _RECOMMENDATION_TOTALS:
            rows = [r for r in recommendations if r.immediate or not starred_only]
            for found in pattern.finditer(text):
                stated = parse_number(found["number"])
                if stated is not None and stated != len(rows):
                    key = (
                        "counts.starred_recommendations"
                        if starred_only
                        else "counts.recommendations"
                    )
                    stated_text = quote(found.group(0))
                    yield Flag(location, message(key, stated=stated_text, count=len(rows)))


# A count of a named thing: "1,530个TISC被列入…", "93个TISC国家网络".
_NAMED_COUNT = re.compile(
    rf"(?P<number>{NUMBER})(?P<measure>{MEASURE})(?P<name>[A-Za-z][A-Za-z\-]*[^，。；：、（）()被提的在是为和与及中包将已]*)"
)
_YEAR = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class NamedFigure:
    value: int
    printed: str
    location: Location


def named_figures(doc: ReportDocument) -> dict[tuple[str, str, str | None], list[NamedFigure]]:
    """Counts of acronym-named things, keyed by (thing, measure word, year of the sentence)."""
    figures: dict[tuple[str, str, str | None], list[NamedFigure]] = defaultdict(list)
    for unit in narrative_units(doc):
        for sentence in re.findall(r"[^。]+", unit.text):
            year = _YEAR.search(sentence)
            for found in _NAMED_COUNT.finditer(sentence):
                value = parse_number(found["number"])
                if value is None or not_a_count(sentence, found.start()):
                    continue
                key = (found["name"], found["measure"], year.group(1) if year else None)
                figures[key].append(NamedFigure(value, found.group(0), unit.location))
    return figures


@check("DA-CNT-006", Severity.ERROR)
def figure_stated_twice(context: LintContext) -> Iterator[Flag]:
    """The same count of the same named thing in the same year is stated with one value
    ("1,530个TISC" in one paragraph, "1,536个TISC" in another, both at the end of 2023)."""
    for (name, _, year), figures in named_figures(context.doc).items():
        values = {figure.value for figure in figures}
        if len(values) < 2:
            continue
        first = figures[0]
        for figure in figures[1:]:
            if figure.value != first.value:
                yield Flag(
                    figure.location,
                    message(
                        "counts.figure_differs_in_year" if year else "counts.figure_differs",
                        printed=quote(figure.printed),
                        name=name,
                        **({"year": year} if year else {}),
                        first=quote(first.printed),
                        paragraph=first.location.paragraph,
                        line=first.location.line,
                    ),
                )


@check("DA-CNT-007", Severity.ERROR)
def breakdown_adds_up(context: LintContext) -> Iterator[Flag]:
    """The parts a sentence breaks a total into add up to it: "18项立法咨询请求，其中9项涉及
    商标，4项…，3项…和2项…". Footnote breakdowns are DA-CNT-002's."""
    parts: dict[int, list[Figure]] = defaultdict(list)
    totals: dict[int, Figure] = {}
    for figure in context.doc.figures:
        total = figure.part_of
        if total is not None and figure.location.footnote is None:
            parts[id(total)].append(figure)
            totals[id(total)] = total
    for key, found in parts.items():
        total = totals[key]
        added = sum(part.value for part in found)
        if added != total.value:
            listed = " + ".join(f"{part.text}（{part.breakdown}）" for part in found)
            yield Flag(
                total.location,
                message(
                    "counts.breakdown",
                    total=quote(total.text),
                    parts=listed,
                    added=added,
                    value=total.value,
                ),
            )


CHECKS = [
    stated_count_vs_list,
    footnoted_count,
    annex_group_counts,
    narrative_project_totals,
    recommendation_totals,
    figure_stated_twice,
    breakdown_adds_up,
]
