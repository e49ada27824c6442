"""Where the narrative names a Development Agenda project, and which Annex II rows it means.

The sector chapters describe projects under the sections "已纳入主流的发展议程项目"
(mainstreamed) and "正在实施的发展议程项目" (ongoing), each item opening with the
project's name and a colon: "识别和运用公有领域的发明：项目于2023年12月实施完成。" The
checker reads those names itself, and matches them to Annex II by a fuzzy comparison, so
that a name printed differently is still found (and reported) rather than missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from devagenda.reports.ingest.document import AnnexProject, Location, ReportDocument
from devagenda.reports.lint.text import (
    TextUnit,
    depth_zero_index,
    line_sub_items,
    paragraph_unit,
    project_key,
    sub_item_unit,
)

MAINSTREAMED_SECTION = "已纳入主流的发展议程项目"
ONGOING_SECTION = "正在实施的发展议程项目"
# Below this similarity (0-100) of project keys a narrative name is not taken for a row.
MATCH_THRESHOLD = 85
_JOINED = re.compile(r"[，,]?以及")


@dataclass(frozen=True)
class Mention:
    """A project named in the narrative: its name as printed and the item describing it."""

    title: str
    section: str
    unit: TextUnit

    @property
    def location(self) -> Location:
        return self.unit.location


def leading_title(text: str) -> str | None:
    """The words before the first colon of the first sentence: "X：..." gives "X"."""
    first_sentence = text.split("。", 1)[0]
    colon = depth_zero_index(first_sentence, "：")
    return first_sentence[:colon].strip() if colon >= 4 else None


def narrative_mentions(doc: ReportDocument) -> Iterator[Mention]:
    """Projects named at the head of the items of the two project sections."""
    for paragraph in doc.paragraphs:
        section = paragraph.section or ""
        if section not in (MAINSTREAMED_SECTION, ONGOING_SECTION):
            continue
        items = line_sub_items(paragraph)
        units = [sub_item_unit(paragraph, item) for item in items] or [paragraph_unit(paragraph)]
        for unit in units:
            title = leading_title(unit.text)
            for part in _JOINED.split(title) if title else []:
                yield Mention(part.strip(), section, unit)


def similarity(key: str, other: str) -> float:
    """100 when one key is the other's start (a short name), else rapidfuzz's ratio."""
    if min(len(key), len(other)) >= 6 and (key.startswith(other) or other.startswith(key)):
        return 100.0
    return fuzz.ratio(key, other)


def matching_rows(title: str, rows: list[AnnexProject]) -> list[AnnexProject]:
    """The Annex II rows `title` most likely names, ignoring phases; [] when none is close.

    Phases of one project share the name, so several rows can match equally well.
    """
    key = project_key(title)
    if not key:
        return []
    scored = [(similarity(key, project_key(row.title)), row) for row in rows]
    best = max((score for score, _ in scored), default=0.0)
    if best < MATCH_THRESHOLD:
        return []
    return [row for score, row in scored if score == best]
