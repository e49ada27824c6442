"""Reading the catalogue's shipped data files."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from devagenda.core.csvdata import read_csv, require_unique
from devagenda.core.models import TextStatus

RECOMMENDATIONS_FILE = files("devagenda.reference") / "data" / "recommendations.csv"
PROJECT_TITLES_FILE = files("devagenda.reference") / "data" / "projects_en.csv"


@dataclass(frozen=True)
class RecommendationRecord:
    number: int
    cluster: str
    immediate: bool
    text_en: str
    text_en_status: TextStatus
    line: int


@dataclass(frozen=True)
class ProjectTitleRecord:
    """An English title for a project, keyed by its Chinese title as Annex II prints it."""

    group: str
    row: int
    title_zh: str
    title_en: str
    title_en_status: TextStatus
    line: int


_STATUSES = {status.value for status in TextStatus}


def read_recommendations(path: Path | str | None = None) -> list[RecommendationRecord]:
    path = path or str(RECOMMENDATIONS_FILE)
    records: list[RecommendationRecord] = []
    for row in read_csv(path, ("number", "cluster", "immediate", "text_en", "text_en_status")):
        number = row.integer("number")
        if not 1 <= number <= 45:
            raise row.error("number", f"{number} is not a recommendation number (1-45)")
        records.append(
            RecommendationRecord(
                number=number,
                cluster=row.choice("cluster", set("ABCDEF")),
                immediate=row.boolean("immediate"),
                text_en=row.text("text_en"),
                text_en_status=TextStatus(row.choice("text_en_status", _STATUSES)),
                line=row.line,
            )
        )
    require_unique(path, records, "number", lambda r: r.number)
    return records


def read_project_titles(path: Path | str | None = None) -> list[ProjectTitleRecord]:
    path = path or str(PROJECT_TITLES_FILE)
    records = [
        ProjectTitleRecord(
            group=row.choice("group", {"completed_evaluated", "ongoing", "approved"}),
            row=row.integer("row"),
            title_zh=row.text("title_zh"),
            title_en=row.text("title_en"),
            title_en_status=TextStatus(row.choice("title_en_status", _STATUSES)),
            line=row.line,
        )
        for row in read_csv(path, ("group", "row", "title_zh", "title_en", "title_en_status"))
    ]
    require_unique(path, records, "title_zh", lambda r: (r.group, r.title_zh))
    return records
