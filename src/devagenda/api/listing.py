"""How every list endpoint answers: a page with a cursor by default, or every matching row
streamed as a JSON array (`?format=json`) or as CSV (`?format=csv`).

The streamed formats ignore `limit` and `cursor`: they exist so that a download is never
silently cut short.
"""

from __future__ import annotations

import csv
import enum
import io
import types
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from devagenda.api.problems import problem_responses
from devagenda.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Listing, Page

ROWS_PER_CHUNK = 100
LIST_SEPARATOR = "; "  # between the values of a list in one CSV cell
INNER_SEPARATOR = ", "  # between the values of a list inside a list item


class ListFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


class ListParams(BaseModel):
    limit: int
    cursor: str | None
    format: ListFormat | None


def list_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (ignored by `format`).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page."),
    ] = None,
    format: Annotated[
        ListFormat | None,
        Query(description="`json` or `csv`: every matching row, streamed, instead of a page."),
    ] = None,
) -> ListParams:
    return ListParams(limit=limit, cursor=cursor, format=format)


ListQuery = Annotated[ListParams, Depends(list_params)]


def list_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI extras of a list route: the CSV variant and the problems it may answer."""
    return {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(422),
    }


def list_response(
    listing: Listing[Any], params: ListParams, item: type[BaseModel], name: str
) -> Page[Any] | StreamingResponse:
    """The page asked for, or the whole list in the asked format; `name` names the file."""
    if params.format is ListFormat.JSON:
        return StreamingResponse(_json_array(listing.all()), media_type="application/json")
    if params.format is ListFormat.CSV:
        return StreamingResponse(
            _csv_rows(listing.all(), item),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return listing.page(limit=params.limit, cursor=params.cursor)


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == ROWS_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _json_array(items: Iterable[BaseModel]) -> Iterator[str]:
    yield "["
    first = True
    for chunk in _chunks(items):
        encoded = ",".join(item.model_dump_json() for item in chunk)
        yield encoded if first else "," + encoded
        first = False
    yield "]"


def _csv_rows(items: Iterable[BaseModel], model: type[BaseModel]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_columns(model), restval="")
    writer.writeheader()
    for chunk in _chunks(items):
        writer.writerows(csv_cells(item) for item in chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# -- flattening models into CSV columns ----------------------------------------------
# A nested model becomes columns "field.sub"; a list of models too, each cell joining the
# items' values with "; "; a list of plain values is one cell joined with "; ".


def csv_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The header of `model`'s rows, from its class, so that an empty list has one too."""
    columns: list[str] = []
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is None:
            columns.append(prefix + name)
        else:
            columns.extend(csv_columns(nested, f"{prefix}{name}."))
    return columns


def csv_cells(item: BaseModel, prefix: str = "", separator: str = LIST_SEPARATOR) -> dict[str, str]:
    """One row of cells, keyed by `csv_columns` names; absent nested records stay out."""
    cells: dict[str, str] = {}
    for name, field in type(item).model_fields.items():
        value = getattr(item, name)
        column = prefix + name
        if _nested_model(field.annotation) is None:
            cells[column] = _cell(value, separator)
        elif isinstance(value, BaseModel):
            cells.update(csv_cells(value, column + ".", separator))
        elif isinstance(value, list) and value:
            rows = [csv_cells(v, column + ".", INNER_SEPARATOR) for v in value]
            for key in rows[0]:
                cells[key] = separator.join(row.get(key, "") for row in rows)
    return cells


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X`, `X | None` or `list[X]`, if there is one."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _nested_model(inner[0]) if len(inner) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _cell(value: Any, separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return separator.join(_cell(v, INNER_SEPARATOR) for v in value)
    if isinstance(value, dict):
        return separator.join(f"{k}: {_cell(v, INNER_SEPARATOR)}" for k, v in value.items())
    return str(value)
