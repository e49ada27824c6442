"""Spreadsheet cells that stay what they are: text that a spreadsheet would run.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before looking) is a formula to Excel and LibreOffice, whatever file
it came in: an export of a project title such as `=HYPERLINK(...)` would run on the
reader's machine (OWASP "CSV injection"). Every CSV and XLSX the app writes passes its
text cells through here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"  # what spreadsheets themselves put before text that looks like a formula


def safe_text(value: str) -> str:
    """`value` for a CSV cell: marked as text when a spreadsheet would read a formula."""
    return TEXT_MARK + value if value.startswith(FORMULA_STARTS) else value


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook; every `str` is stored as a text cell, never as a formula.

    openpyxl takes a string starting with `=` for a formula, so the cell's type is set
    back to text after the value: the reader sees exactly the exported characters.
    """
    from openpyxl import Workbook  # imported here: only exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append([_text_cell(sheet, name) for name in header])
    for row in rows:
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
