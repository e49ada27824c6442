"""The traceability matrices: recommendations against the expected results Annex I links
them to, and against the projects approved to implement them; as a page, CSV and XLSX.

Both are read from the catalogue and reference services; this module only lays them out.
CSV is written with a byte-order mark so that spreadsheet programs read the Chinese right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.schemas import RecommendationOut
from devagenda.core.cells import safe_text, xlsx_bytes
from devagenda.reference import services as reference
from devagenda.web.i18n import pick_text

EXPECTED_RESULTS = "recommendations-expected-results"
PROJECTS = "recommendations-projects"
NAMES = (EXPECTED_RESULTS, PROJECTS)


@dataclass(frozen=True)
class Column:
    key: str  # expected result code or project id
    label: str  # code or project title, in the language asked for (else the other one)
    href: str


@dataclass(frozen=True)
class Row:
    number: int
    cluster: str
    immediate: bool
    text: str
    cells: tuple[bool, ...]  # one per column: linked or not


@dataclass(frozen=True)
class Matrix:
    name: str
    columns: list[Column]
    rows: list[Row]

    def unlinked_columns(self) -> list[Column]:
        """Columns no row links to (projects whose recommendations no report states)."""
        return [
            column
            for index, column in enumerate(self.columns)
            if not any(row.cells[index] for row in self.rows)
        ]


def build(session: Session, name: str, language: str) -> Matrix:
    """The matrix called `name` (one of NAMES), labelled in `language`."""
    builders: dict[str, Callable[[Session, str], Matrix]] = {
        EXPECTED_RESULTS: _expected_results,
        PROJECTS: _projects,
    }
    return builders[name](session, language)


def _expected_results(session: Session, language: str) -> Matrix:
    columns = [
        Column(
            key=result.code,
            label=pick_text(language, result.title_zh, result.title_en),
            href=f"/expected-results/{result.code}",
        )
        for result in reference.expected_result_listing(session).all()
    ]
    return Matrix(
        EXPECTED_RESULTS,
        columns,
        _rows(session, language, columns, lambda r: {e.code for e in r.expected_results}),
    )


def _projects(session: Session, language: str) -> Matrix:
    columns = [
        Column(
            key=str(project.id),
            label=pick_text(language, project.title_zh, project.title_en),
            href=f"/projects/{project.id}",
        )
        for project in catalogue.project_listing(session).all()
    ]
    return Matrix(
        PROJECTS,
        columns,
        _rows(session, language, columns, lambda r: {str(p.id) for p in r.projects}),
    )


def _rows(
    session: Session,
    language: str,
    columns: list[Column],
    linked: Callable[[RecommendationOut], set[str]],
) -> list[Row]:
    rows = []
    for recommendation in catalogue.recommendation_listing(session).all():
        keys = linked(recommendation)
        rows.append(
            Row(
                number=recommendation.number,
                cluster=recommendation.cluster.letter,
                immediate=recommendation.immediate,
                text=pick_text(language, recommendation.text_zh, recommendation.text_en),
                cells=tuple(column.key in keys for column in columns),
            )
        )
    return rows


def _table(matrix: Matrix, header: list[str]) -> list[list[str | int]]:
    """Header and rows as spreadsheet cells: 1 where linked, 0 where not."""
    table: list[list[str | int]] = [
        [*header, *(f"{column.key} {column.label}" for column in matrix.columns)]
    ]
    for row in matrix.rows:
        cells = [1 if cell else 0 for cell in row.cells]
        table.append([row.number, row.cluster, 1 if row.immediate else 0, row.text, *cells])
    return table


def to_csv(matrix: Matrix, header: list[str]) -> bytes:
    buffer = io.StringIO()
    rows = _table(matrix, header)
    csv.writer(buffer).writerows(
        [safe_text(v) if isinstance(v, str) else v for v in row] for row in rows
    )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(matrix: Matrix, header: list[str]) -> bytes:
    table = _table(matrix, header)
    return xlsx_bytes(matrix.name, table[0], table[1:])
