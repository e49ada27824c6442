"""The traceability matrices: recommendations against the expected results Annex I links
them to, and against the projects approved to implement them; as a page, CSV and XLSX.

Both are read from the catalogue and reference services; this module only lays them out.
A cell is linked, not linked, or not stated: a project whose recommendations no loaded
source states has unknown cells, not empty ones (and a recommendation Annex I does not
list has unknown expected results). Totals count the links the sources state.

CSV is written with a byte-order mark so that spreadsheet programs read the Chinese right;
in both exports 1 is linked, 0 not linked, and an empty cell not stated.
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
from devagenda.core.schemas import Coverage
from devagenda.reference import services as reference
from devagenda.web.charts import fit
from devagenda.web.i18n import pick_text

EXPECTED_RESULTS = "recommendations-expected-results"
PROJECTS = "recommendations-projects"
NAMES = (EXPECTED_RESULTS, PROJECTS)
HEADER_WIDTH = 190  # pixels of a column header's short title (charts.fit estimates them)
ROW_TEXT_WIDTH = 180  # pixels of a row header's short text


@dataclass(frozen=True)
class Column:
    key: str  # expected result code or project id
    code: str  # what the header shows first: the result's code, the project's catalogue code
    label: str  # the full title, in the language asked for (else the other one)
    href: str
    known: bool = True  # False: no loaded source states this column's links

    @property
    def short(self) -> str:
        return fit(self.label, HEADER_WIDTH)


@dataclass(frozen=True)
class Row:
    number: int
    cluster: str
    immediate: bool
    text: str
    cells: tuple[bool | None, ...]  # one per column: linked, not linked, None: not stated

    @property
    def short(self) -> str:
        return fit(self.text, ROW_TEXT_WIDTH)

    @property
    def total(self) -> int:
        return sum(1 for cell in self.cells if cell)

    @property
    def known(self) -> bool:
        return any(cell is not None for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    name: str
    columns: list[Column]
    rows: list[Row]
    coverage: Coverage  # the columns (projects) or rows (recommendations) whose links are stated

    def column_totals(self) -> list[int]:
        return [sum(1 for row in self.rows if row.cells[i]) for i in range(len(self.columns))]

    @property
    def links(self) -> int:
        return sum(row.total for row in self.rows)

    def known_indexes(self) -> list[int]:
        """The columns the page shows one by one; the others share one "not stated" column."""
        return [index for index, column in enumerate(self.columns) if column.known]

    def unknown_columns(self) -> list[Column]:
        return [column for column in self.columns if not column.known]

    def unlinked_columns(self) -> list[Column]:
        """Known columns no row links to (an expected result no recommendation serves)."""
        totals = self.column_totals()
        return [c for c, total in zip(self.columns, totals, strict=True) if c.known and not total]


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
            code=result.code,
            label=pick_text(language, result.title_zh, result.title_en),
            href=f"/expected-results/{result.code}",
        )
        for result in reference.expected_result_listing(session).all()
    ]
    recommendations = list(catalogue.recommendation_listing(session).all())
    rows = [
        _row(language, r, columns, {e.code for e in r.expected_results}, bool(r.expected_results))
        for r in recommendations
    ]
    known = sum(1 for row in rows if row.known)
    return Matrix(EXPECTED_RESULTS, columns, rows, Coverage(known=known, total=len(rows)))


def _projects(session: Session, language: str) -> Matrix:
    projects = list(catalogue.project_listing(session).all())
    columns = [
        Column(
            key=str(project.id),
            code=project.code or f"#{project.id}",
            label=pick_text(language, project.title_zh, project.title_en),
            href=f"/projects/{project.id}",
            known=bool(project.recommendations),
        )
        for project in projects
    ]
    rows = [
        _row(language, r, columns, {str(p.id) for p in r.projects}, True)
        for r in catalogue.recommendation_listing(session).all()
    ]
    known = sum(1 for column in columns if column.known)
    return Matrix(PROJECTS, columns, rows, Coverage(known=known, total=len(columns)))


def _row(
    language: str,
    recommendation: RecommendationOut,
    columns: list[Column],
    linked: set[str],
    row_known: bool,
) -> Row:
    return Row(
        number=recommendation.number,
        cluster=recommendation.cluster.letter,
        immediate=recommendation.immediate,
        text=pick_text(language, recommendation.text_zh, recommendation.text_en),
        cells=tuple(
            (column.key in linked) if row_known and column.known else None for column in columns
        ),
    )


@dataclass(frozen=True)
class Summary:
    """A matrix on the index page: its size, its links, and what they rest on."""

    name: str
    rows: int
    columns: int
    links: int
    coverage: Coverage


def summaries(session: Session, language: str) -> list[Summary]:
    built = [build(session, name, language) for name in NAMES]
    return [Summary(m.name, len(m.rows), len(m.columns), m.links, m.coverage) for m in built]


def _table(matrix: Matrix, header: list[str]) -> list[list[str | int]]:
    """Header and rows as spreadsheet cells: 1 where linked, 0 where not, empty where
    no loaded source says."""
    table: list[list[str | int]] = [
        [*header, *(f"{column.code} {column.label}" for column in matrix.columns)]
    ]
    for row in matrix.rows:
        cells: list[str | int] = ["" if cell is None else int(cell) for cell in row.cells]
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
