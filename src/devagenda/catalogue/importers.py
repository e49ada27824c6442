"""Reading the catalogue's shipped data files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devagenda.core.csvdata import read_csv, require_unique
from devagenda.core.models import TextStatus
from devagenda.reference.importers import shipped_file


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


def read_recommendations(path: Path | str | None = None) -> list[RecommendationRecord]:
    path = path or shipped_file("recommendations.csv")
    records: list[RecommendationRecord] = []
    for row in read_csv(path, ("number", "cluster", "immediate", "text_en", "text_en_status")):
        number = row.integer("number")
        if not 1 <= number <= 45:
            raise row.error("number", f"{number} is not a recommendation number (1-45)")
        records.append(
            RecommendationRecord(
                number=number,
                cluster=row.one_of("cluster", "ABCDEF"),
                immediate=row.boolean("immediate"),
                text_en=row.text("text_en"),
                text_en_status=row.choice("text_en_status", TextStatus),
                line=row.line,
            )
        )
    require_unique(path, records, "number", lambda r: r.number)
    return records


def read_project_titles(path: Path | str | None = None) -> list[ProjectTitleRecord]:
    path = path or shipped_file("projects_en.csv")
    records = [
        ProjectTitleRecord(
            group=row.one_of("group", ("completed_evaluated", "ongoing", "approved")),
            row=row.integer("row"),
            title_zh=row.text("title_zh"),
            title_en=row.text("title_en"),
            title_en_status=row.choice("title_en_status", TextStatus),
            line=row.line,
        )
        for row in read_csv(path, ("group", "row", "title_zh", "title_en", "title_en_status"))
    ]
    require_unique(path, records, "title_zh", lambda r: (r.group, r.title_zh))
    return records
