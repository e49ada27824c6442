"""Finding the Annex II row a project name in the narrative refers to.

The narrative rarely prints a title exactly as Annex II does: it adds "关于…的项目", drops
a bracketed acronym, shortens a long title to its first words, or writes 与 for 和. Titles
are compared after taking those differences out, whole and by their first or last
characters; a match must be close and must not be as close to a different project.
Phases of one project tie, and are told apart by the phase the text names, the group the
statement points to (an evaluation is of a completed project) and, failing those, the
latest phase.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from devagenda.catalogue.titles import title_key
from devagenda.reports.ingest.document import AnnexProject, ProjectGroup

MIN_SCORE = 90
# Candidates this close to the best one are as good as the best one.
TIE_MARGIN = 5
# Below this, two candidate rows are different projects, not phases of one.
SAME_PROJECT = 85
# Prefix and suffix comparisons need enough characters to mean something.
MIN_AFFIX_CHARS = 8


def match_project(
    projects: Iterable[AnnexProject],
    names: Iterable[str] = (),
    head: str = "",
    *,
    phase: int | None = None,
    group: ProjectGroup | None = None,
) -> AnnexProject | None:
    """The row `names` (titles the text gives) or `head` (text that starts with a
    title) refer to, if one is clearly meant."""
    keys = [key for key in map(title_key, names) if key]
    head_key = title_key(head)
    scored = [(project, _score(title_key(project.title), keys, head_key)) for project in projects]
    best = max((score for _, score in scored), default=0)
    if best < MIN_SCORE:
        return None
    near = [project for project, score in scored if score >= best - TIE_MARGIN]
    lead = next(project for project, score in scored if score == best)
    if any(fuzz.ratio(title_key(p.title), title_key(lead.title)) < SAME_PROJECT for p in near):
        return None
    return min(near, key=lambda project: _preference(project, phase, group))


def _score(key: str, names: list[str], head: str) -> float:
    scores = [fuzz.ratio(key, name) for name in names]
    scores += [_affix_ratio(key, name) for name in names]
    if head and len(key) >= MIN_AFFIX_CHARS:
        scores.append(fuzz.ratio(key, head[: len(key)]))
    return max(scores, default=0)


def _affix_ratio(first: str, second: str) -> float:
    """How well the shorter title matches the start or the end of the longer one."""
    short, long = sorted((first, second), key=len)
    if len(short) < MIN_AFFIX_CHARS:
        return 0
    return max(fuzz.ratio(short, long[: len(short)]), fuzz.ratio(short, long[-len(short) :]))


def _preference(
    project: AnnexProject, phase: int | None, group: ProjectGroup | None
) -> tuple[bool, bool, int]:
    """Sort key: the named phase first, then the expected group, then the latest phase."""
    own_phase = project.phase or 1
    return (phase is not None and own_phase != phase, project.group is not group, -own_phase)
