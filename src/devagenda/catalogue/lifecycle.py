"""The rules that turn what sources say about a project into its current state.

A source asserts states of a project in three ways: a change the text states ("项目于
2023年12月实施完成", dated when the text dates it), the state at the end of a year (Annex II
groups projects as of 31 December), or a state a year's report gives without a date (a
project described under "已纳入主流的发展议程项目"). A project keeps every statement; its
stage of life and whether it was mainstreamed are derived from them, here only:

- the stage is that of the latest year stated; within one year, the most advanced stage
  wins, since a project never goes back, and a later stage dated in a year is something
  an earlier-stage statement of that year did not reflect; a year-end state outweighs
  the undated statements of its year;
- "mainstreamed" follows evaluation and does not replace it: it adds a state, and counts
  as the evaluated stage;
- a change the narrative dates in a year beyond that year's year-end state is a conflict
  between the two: the narrative's state stands, and the conflict is shown.

The loader and the checker use the same rules, so the page and `devagenda lint` agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from devagenda.catalogue.models import DatePrecision, ProjectStatus, StatementKind
from devagenda.reports.ingest.document import EventKind, ProjectGroup

GROUP_STATUS = {
    ProjectGroup.COMPLETED_EVALUATED: ProjectStatus.EVALUATED,
    ProjectGroup.ONGOING: ProjectStatus.ONGOING,
    ProjectGroup.APPROVED: ProjectStatus.APPROVED,
}
EVENT_STATUS = {
    EventKind.APPROVED: ProjectStatus.APPROVED,
    EventKind.ONGOING: ProjectStatus.ONGOING,
    EventKind.COMPLETED: ProjectStatus.COMPLETED,
    EventKind.EVALUATED: ProjectStatus.EVALUATED,
    EventKind.MAINSTREAMED: ProjectStatus.MAINSTREAMED,
}
STAGES = (
    ProjectStatus.PROPOSED,
    ProjectStatus.APPROVED,
    ProjectStatus.ONGOING,
    ProjectStatus.COMPLETED,
    ProjectStatus.EVALUATED,
)
_KIND_ORDER = {StatementKind.EVENT: 0, StatementKind.REPORTED: 1, StatementKind.YEAR_END: 2}


class Statement(Protocol):
    """What the rules read of a stored status statement (ProjectStatusChange)."""

    status: ProjectStatus
    kind: StatementKind | None
    on_date: date | None
    date_precision: DatePrecision | None
    as_of_year: int | None


S = TypeVar("S", bound=Statement)


def stage_rank(status: ProjectStatus) -> int:
    """Position in the life of a project; mainstreamed counts as evaluated."""
    if status is ProjectStatus.MAINSTREAMED:
        status = ProjectStatus.EVALUATED
    return STAGES.index(status)


def kind_of(statement: Statement) -> StatementKind:
    """Statements built in memory before their first flush carry no kind yet: a change."""
    return statement.kind or StatementKind.EVENT


def statement_year(statement: Statement) -> int | None:
    """The year a statement is about, or None for a change the text does not date."""
    if statement.on_date is not None:
        return statement.on_date.year
    return statement.as_of_year


def current_stage(statements: Iterable[Statement]) -> ProjectStatus | None:
    """The stage of the latest year stated; None when nothing is stated.

    Within that year the most advanced stage wins, except that a year-end state is the
    last word on its year but for a change the text dates in it: an undated statement
    of the year (a section heading) may speak of any moment of it.
    """
    statements = list(statements)
    if not statements:
        return None
    latest = max(statement_year(s) or 0 for s in statements)
    of_year = [s for s in statements if (statement_year(s) or 0) == latest]
    if any(kind_of(s) is StatementKind.YEAR_END for s in of_year):
        of_year = [s for s in of_year if kind_of(s) is StatementKind.YEAR_END or _dated(s)]
    return STAGES[max(stage_rank(s.status) for s in of_year)]


def _dated(statement: Statement) -> bool:
    return kind_of(statement) is StatementKind.EVENT and statement.on_date is not None


def is_mainstreamed(statements: Iterable[Statement]) -> bool:
    return any(s.status is ProjectStatus.MAINSTREAMED for s in statements)


def overtakes(stated: ProjectStatus, year_end: ProjectStatus) -> bool:
    """Whether a state stated during a year is beyond what that year's end records."""
    return stage_rank(stated) > stage_rank(year_end)


@dataclass(frozen=True)
class Conflict(Generic[S]):
    """A narrative statement of a year that the year-end state of that year does not
    reflect."""

    narrative: S
    year_end: S


def year_end_conflicts(statements: Sequence[S]) -> list[Conflict[S]]:
    """Each change the narrative dates beyond the year-end state of its own year."""
    year_ends = {s.as_of_year: s for s in statements if kind_of(s) is StatementKind.YEAR_END}
    conflicts = []
    for statement in statements:
        year_end = year_ends.get(statement_year(statement))
        if not _dated(statement) or year_end is None:
            continue
        if overtakes(statement.status, year_end.status):
            conflicts.append(Conflict(statement, year_end))
    return conflicts


def chronological(statements: Iterable[S]) -> list[S]:
    """Statements in the order of the years they are about: undated changes first, then
    by year, date, and with a year's end last in its year."""

    def key(s: S) -> tuple[int, date, int, int]:
        return (
            statement_year(s) or 0,
            s.on_date or date.max,
            _KIND_ORDER[kind_of(s)],
            stage_rank(s.status),
        )

    return sorted(statements, key=key)
