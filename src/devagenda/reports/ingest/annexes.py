"""Annex I (recommendations and the expected results they link to) and Annex II (projects
by status), read from the table cells that follow the narrative.

Annex I rows are "建议N*" / "Recommendation N*", a header cell, the recommendation's text
(which may run over several lines, bullets included) and its expected results, one
"4.1 title" a line. Annex II has group headings with a stated count, "已完成…（40个）",
then rows of a number cell and a title cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devagenda.catalogue.titles import phase_of
from devagenda.reports.ingest.document import (
    AnnexGroup,
    AnnexProject,
    AnnexRecommendation,
    ExpectedResultLink,
    Location,
    ProjectGroup,
)
from devagenda.reports.ingest.source import MarkedText, SourceLine

ANNEX_TITLE = re.compile(r"^(?:附件\s*([一二])|annex\s+(I{1,2}))\b", re.IGNORECASE)
RECOMMENDATION = re.compile(r"^(?:建议|Recommendation)\s*(\d{1,2})\s*([*＊]?)$", re.IGNORECASE)
LINK_HEADER = re.compile(
    r"^(?:与预期成果的联系|links? (?:to|with) (?:the )?expected results?)$", re.IGNORECASE
)
EXPECTED_RESULT = re.compile(r"^(\d\.\d)\s+(\S.*)$")
GROUP = re.compile(
    r"^(?P<title>.*?(?:项目|projects?).*?)\s*[（(]\s*(?P<count>\d{1,3})\s*个?\s*[）)]$"
)
ROW_NUMBER = re.compile(r"^(\d{1,3})\s*[.．]?$")
ROW_WITH_TITLE = re.compile(r"^(\d{1,3})\s*[.．]\s+(\S.*)$")
GROUP_WORDS = (
    (ProjectGroup.ONGOING, re.compile(r"仍在实施|正在实施|ongoing|under implementation", re.I)),
    (ProjectGroup.APPROVED, re.compile(r"批准|approved", re.IGNORECASE)),
    (ProjectGroup.COMPLETED_EVALUATED, re.compile(r"已完成|completed", re.IGNORECASE)),
)


@dataclass
class Annexes:
    recommendations: list[AnnexRecommendation] = field(default_factory=list)
    groups: list[AnnexGroup] = field(default_factory=list)
    projects: list[AnnexProject] = field(default_factory=list)
    references: list[tuple[int, Location]] = field(default_factory=list)


@dataclass
class _State:
    annex: str | None = None
    recommendation: AnnexRecommendation | None = None
    text_lines: list[str] = field(default_factory=list)
    group: AnnexGroup | None = None
    row_number: int | None = None
    awaiting_title: bool = False


def read_annexes(lines: list[SourceLine]) -> Annexes:
    """Rows of both annexes from the lines after the narrative."""
    annexes = Annexes()
    state = _State()
    for line in lines:
        text = MarkedText.parse(line.text.strip())
        if text.text.strip():
            _read_line(text.text.strip(), line.number, annexes, state)
        row = _current_row(state)
        annexes.references.extend(
            (ref, Location(line.number, annex=state.annex, row=row)) for ref, _ in text.refs
        )
    _close_recommendation(state)
    return annexes


def _read_line(text: str, line: int, annexes: Annexes, state: _State) -> None:
    if found := ANNEX_TITLE.match(text):
        _close_recommendation(state)
        state.annex = "I" if found.group(1) == "一" or found.group(2) == "I" else "II"
        state.group = None
    elif found := RECOMMENDATION.match(text):
        _start_recommendation(int(found.group(1)), bool(found.group(2)), line, annexes, state)
    elif found := GROUP.match(text):
        _start_group(text, found.group("title"), int(found.group("count")), line, annexes, state)
    elif state.group is not None:
        _read_project_line(text, line, annexes, state)
    elif state.recommendation is not None:
        _read_recommendation_line(text, line, state)


def _current_row(state: _State) -> int | None:
    if state.recommendation is not None:
        return state.recommendation.number
    return state.row_number if state.group is not None else None


def _start_recommendation(
    number: int, immediate: bool, line: int, annexes: Annexes, state: _State
) -> None:
    _close_recommendation(state)
    state.annex = "I"
    state.recommendation = AnnexRecommendation(number, immediate, "", line)
    annexes.recommendations.append(state.recommendation)


def _read_recommendation_line(text: str, line: int, state: _State) -> None:
    recommendation = state.recommendation
    assert recommendation is not None
    if LINK_HEADER.match(text):
        return
    if found := EXPECTED_RESULT.match(text):
        link = ExpectedResultLink(found.group(1), found.group(2).strip(), line)
        recommendation.expected_results.append(link)
    elif recommendation.expected_results:
        # Text after the expected results ends the row: a title of what follows.
        _close_recommendation(state)
    else:
        state.text_lines.append(text)


def _close_recommendation(state: _State) -> None:
    if state.recommendation is not None:
        state.recommendation.text = "\n".join(state.text_lines)
    state.recommendation = None
    state.text_lines = []


def _start_group(
    heading: str, title: str, count: int, line: int, annexes: Annexes, state: _State
) -> None:
    _close_recommendation(state)
    state.annex = "II"
    kind = next((group for group, words in GROUP_WORDS if words.search(title)), None)
    if kind is None:
        order = list(ProjectGroup)
        kind = order[min(len(annexes.groups), len(order) - 1)]
    state.group = AnnexGroup(kind, heading, count, line)
    state.row_number, state.awaiting_title = None, False
    annexes.groups.append(state.group)


def _read_project_line(text: str, line: int, annexes: Annexes, state: _State) -> None:
    if found := ROW_NUMBER.match(text):
        state.row_number, state.awaiting_title = int(found.group(1)), True
    elif found := ROW_WITH_TITLE.match(text):
        state.row_number, state.awaiting_title = int(found.group(1)), True
        _add_project(found.group(2), line, annexes, state)
    elif state.awaiting_title:
        _add_project(text, line, annexes, state)


def _add_project(title: str, line: int, annexes: Annexes, state: _State) -> None:
    assert state.group is not None and state.row_number is not None
    project = AnnexProject(state.group.group, state.row_number, title, line, phase_of(title))
    annexes.projects.append(project)
    state.awaiting_title = False
