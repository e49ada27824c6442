"""Annex I as a year's report printed it, or corrected to the standard titles.

The knowledge base keeps one title per expected result, but a report may print another
wording in some rows (the 2023 report does in four cells). An edition reproduces the source
by default: every cell the report printed shows its printed wording. A corrected edition is
the reader's explicit choice: it prints the standard title and says, in each cell it
changes, what the report printed.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.core.models import Source, SourceKind, SourceLocation, TextStatus
from devagenda.reports import services
from devagenda.reports.models import AnnexOneCell
from devagenda.reports.schemas import AnnexExpectedResult, AnnexOneRow, LocalizedText


def annex_one(
    session: Session, year: int, language: str, *, corrected: bool = False
) -> list[AnnexOneRow]:
    """Annex I of the `year` edition in `language`: as printed in that year's report in that
    language where it is loaded, with the standard titles otherwise."""
    rows = services.annex_one(session, language)
    printed = printed_cells(session, year, language)
    return [_row(row, printed.get(row.number), corrected=corrected) for row in rows]


def printed_cells(session: Session, year: int, language: str) -> dict[int, list[AnnexOneCell]]:
    """Recommendation number -> the cells of its Annex I row as the `year` report in
    `language` printed them, in order (empty when no such report is loaded)."""
    cells = session.scalars(
        select(AnnexOneCell)
        .join(SourceLocation, SourceLocation.id == AnnexOneCell.source_location_id)
        .join(Source, Source.id == SourceLocation.source_id)
        .where(Source.kind == SourceKind.REPORT, Source.year == year, Source.language == language)
        .order_by(AnnexOneCell.recommendation_number, AnnexOneCell.position)
    )
    by_row: dict[int, list[AnnexOneCell]] = defaultdict(list)
    for cell in cells:
        by_row[cell.recommendation_number].append(cell)
    return by_row


def _row(row: AnnexOneRow, cells: list[AnnexOneCell] | None, *, corrected: bool) -> AnnexOneRow:
    if not cells:
        return row
    standard = {result.code: result.title for result in row.expected_results}
    language = cells[0].location.source.language or row.text.language
    results = []
    for cell in cells:
        printed = LocalizedText(
            text=cell.printed_title, language=language, status=TextStatus.OFFICIAL, fallback=False
        )
        usual = standard.get(cell.expected_result_code)
        if corrected and usual is not None and usual.text != cell.printed_title:
            results.append(
                AnnexExpectedResult(
                    code=cell.expected_result_code, title=usual, corrected_from=cell.printed_title
                )
            )
        else:
            results.append(AnnexExpectedResult(code=cell.expected_result_code, title=printed))
    return row.model_copy(update={"expected_results": results})


def corrections(rows: list[AnnexOneRow]) -> int:
    """How many cells a corrected edition changed."""
    return sum(result.corrected_from is not None for row in rows for result in row.expected_results)
