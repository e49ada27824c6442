"""The projects approved in the year, from the paragraph that lists them.

Each item reads like "美利坚合众国、大韩民国和加拿大提交的关于“…”的项目提案。该提案由
CDIP第三十届会议批准，旨在落实发展议程建议1、3、10、19和30。" (or its English
counterpart): who proposed it, the title in quotes, the session, the recommendations and,
for a second phase, "项目第二阶段提案".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from devagenda.core.numerals import numeral_to_int, session_number
from devagenda.reports.ingest.document import (
    AnnexProject,
    Approval,
    Location,
    Paragraph,
    ProjectGroup,
    SubItem,
)
from devagenda.reports.ingest.titles import match_project

Resolver = Callable[[str], bool]


@dataclass(frozen=True)
class ApprovalGrammar:
    """How one language words the approvals paragraph and its items."""

    paragraph: re.Pattern[str]
    proposers: re.Pattern[str]
    title: re.Pattern[str]
    session: re.Pattern[str]
    recommendations: re.Pattern[str]
    phase: re.Pattern[str]
    separators: re.Pattern[str]
    conjunction: re.Pattern[str]
    split_unknown: bool  # whether an unknown name is split at its last conjunction


CHINESE = ApprovalGrammar(
    paragraph=re.compile(r"批准了以下.{0,4}个?新的?项目提案"),
    proposers=re.compile(r"^(.+?)提交的"),
    title=re.compile(r"“(.+)”"),
    session=re.compile(r"第([一二三四五六七八九十]+|\d+)届会议"),
    recommendations=re.compile(r"建议((?:\d+\s*(?:、|，|,|和|及|以及)\s*)*\d+)"),
    phase=re.compile(r"第([一二三四五])阶段"),
    separators=re.compile(r"、|，"),
    conjunction=re.compile(r"以及|和|及"),
    split_unknown=False,
)
ENGLISH = ApprovalGrammar(
    paragraph=re.compile(r"approved the following [\w-]+ new (?:DA )?project proposals", re.I),
    proposers=re.compile(r"submitted by (.+?)(?=,? (?:on|for|entitled)\b|[.;])", re.I),
    title=re.compile(r"[“\"](.+?)[”\"]"),
    session=re.compile(r"\b([\w-]+) session", re.I),
    recommendations=re.compile(r"Recommendations? ((?:\d+(?:,\s*|\s+and\s+))*\d+)", re.I),
    phase=re.compile(r"\bphase (II|III|IV|2|3|4)\b", re.I),
    separators=re.compile(r",\s*(?:and\s+)?"),
    conjunction=re.compile(r"\s+and\s+"),
    split_unknown=True,
)


def read_approvals(
    paragraphs: list[Paragraph],
    annex: list[AnnexProject],
    resolve: Resolver,
    *,
    english: bool = False,
) -> list[Approval]:
    """The approvals listed in the first paragraph that announces them, matched to the
    APPROVED group of Annex II."""
    grammar = ENGLISH if english else CHINESE
    paragraph = next((p for p in paragraphs if grammar.paragraph.search(p.text)), None)
    if paragraph is None:
        return []
    approved = [project for project in annex if project.group is ProjectGroup.APPROVED]
    approvals = []
    for item in paragraph.sub_items:
        approval = _read_item(item, paragraph.number, grammar, resolve, approved)
        if approval is not None:
            approvals.append(approval)
    return approvals


def _read_item(
    item: SubItem,
    paragraph: int,
    grammar: ApprovalGrammar,
    resolve: Resolver,
    approved: list[AnnexProject],
) -> Approval | None:
    title = grammar.title.search(item.text)
    session = grammar.session.search(item.text, title.end() if title else 0)
    number = session_number(session.group(1)) if session else None
    if title is None or number is None:
        return None
    rest = item.text[: title.start()] + item.text[title.end() :]
    phase_found = grammar.phase.search(rest)
    phase = numeral_to_int(phase_found.group(1)) if phase_found else None
    found = grammar.recommendations.search(rest)
    recommendations = [int(n) for n in re.findall(r"\d+", found.group(1))] if found else []
    proposers = grammar.proposers.search(rest)
    names = split_names(proposers.group(1), grammar, resolve) if proposers else []
    row = match_project(approved, [title.group(1)], phase=phase, group=ProjectGroup.APPROVED)
    return Approval(
        title=title.group(1).strip(),
        proposers=names,
        session=number,
        recommendations=recommendations,
        location=Location(item.line, paragraph, item.label),
        phase=phase,
        annex_row=row.row if row else None,
    )


def split_names(text: str, grammar: ApprovalGrammar, resolve: Resolver) -> list[str]:
    """Names in a list: "巴西、秘鲁和阿根廷" gives three; "圣多美和普林西比" stays one, since
    the gazetteer knows it."""
    names: list[str] = []
    for part in grammar.separators.split(text):
        names.extend(_split_conjoined(_strip_article(part), grammar, resolve))
    return [name for name in names if name]


def _split_conjoined(name: str, grammar: ApprovalGrammar, resolve: Resolver) -> list[str]:
    """One name, or two joined by "和"/"and": split where the gazetteer knows both sides,
    else where it knows one. Chinese names contain 和 (共和国), so an unknown Chinese name
    stays whole; an unknown English one splits at its last "and"."""
    joints = list(grammar.conjunction.finditer(name))
    if not joints or resolve(name):
        return [name]
    splits = [(name[: j.start()], _strip_article(name[j.end() :])) for j in joints]
    for needed in (2, 1):
        for left, right in splits:
            if resolve(left) + resolve(right) >= needed:
                return [left, right]
    return list(splits[-1]) if grammar.split_unknown else [name]


def _strip_article(name: str) -> str:
    name = name.strip()
    return name[4:] if name.lower().startswith("the ") else name


def proposer_names(text: str, resolve: Resolver, *, english: bool = False) -> list[str]:
    """The names in a proposers phrase printed elsewhere than the approvals paragraph."""
    return split_names(text, ENGLISH if english else CHINESE, resolve)
