"""How every list endpoint answers: a page with a cursor by default, or every matching row
streamed as a JSON array (`?format=json`) or as CSV (`?format=csv`), or as one XLSX
workbook (`?format=xlsx`). `q` narrows any list to the rows whose text contains it.

The downloads ignore `limit` and `cursor`: they exist so that a download is never
silently cut short. Their text cells never start a formula (devagenda.core.cells).
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import types
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Depends, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel

from devagenda.api.problems import problem_responses
from devagenda.core.cells import safe_text, xlsx_bytes
from devagenda.core.listing import FacetedPage, ListSource, Selection, facet_selection
from devagenda.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_TEXT_FILTER, Listing, Page

ROWS_PER_CHUNK = 100
LIST_SEPARATOR = "; "  # between the values of a list in one CSV cell
INNER_SEPARATOR = ", "  # between the values of a list inside a list item


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ListParams(BaseModel):
    q: str | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    format: ListFormat | None = None


TextQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_TEXT_FILTER,
        pattern=r"^[^\x00]*$",
        description="Only rows whose text (names, titles, codes) contains this, in any case.",
    ),
]


def list_params(
    q: TextQuery = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (ignored by `format`).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page."),
    ] = None,
    format: Annotated[
        ListFormat | None,
        Query(description="`json`, `csv` or `xlsx`: every matching row instead of a page."),
    ] = None,
) -> ListParams:
    return ListParams(q=q, limit=limit, cursor=cursor, format=format)


ListQuery = Annotated[ListParams, Depends(list_params)]
SortQuery = Annotated[
    str | None,
    Query(
        max_length=41,
        pattern=r"^-?[a-z_]{1,40}$",
        description="Order by this field (`-field`: descending; not stated last either "
        "way). Without it, the list's key order.",
    ),
]


def list_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI extras of a list route: the download variants and the problems it may answer."""
    return {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **problem_responses(422),
    }


def list_response(
    listing: Listing[Any], params: ListParams, item: type[BaseModel], name: str
) -> Page[Any] | Response:
    """The page asked for, or the whole list in the asked format; `name` names the file."""
    listing = listing.matching(params.q)
    if params.format is not None:
        return download(listing.all(), item, name, params.format)
    return listing.page(limit=params.limit, cursor=params.cursor)


def faceted_response(
    source_of: Callable[[BaseModel | None], ListSource[Any]],
    filters: BaseModel,
    params: ListParams,
    sort: str | None,
    item: type[BaseModel],
    name: str,
) -> FacetedPage[Any] | Response:
    """A list counted by the database: the page asked for with its total and facets, or
    the whole filtered list in the asked format. The filters that are facets are applied
    as facets, so that each facet's counts leave its own choice out."""
    service_filters, chosen = facet_selection(filters, source_of(None).facets)
    source = source_of(service_filters)
    selection = Selection(q=params.q, facets=chosen, sort=sort or "")
    source.order(selection.sort)
    if params.format is not None:
        return download(source.all(selection), item, name, params.format)
    return source.page_after(selection, cursor=params.cursor, limit=params.limit)


def download(
    items: Iterable[BaseModel], item: type[BaseModel], name: str, format: ListFormat
) -> Response:
    """Every item as a file named `name` in `format`: the one way the API, the pages and
    search export a list. JSON and CSV are streamed; a workbook is built whole."""
    attachment = {"Content-Disposition": f'attachment; filename="{name}.{format.value}"'}
    items = _started(items)
    if format is ListFormat.JSON:
        return StreamingResponse(_json_array(items), media_type="application/json")
    if format is ListFormat.CSV:
        return StreamingResponse(
            _csv_rows(items, item), media_type="text/csv; charset=utf-8", headers=attachment
        )
    columns = csv_columns(item)
    rows = ([cells.get(c) for c in columns] for cells in map(typed_cells, items))
    return Response(xlsx_bytes(name, columns, rows), media_type=XLSX_MEDIA_TYPE, headers=attachment)


def _started(items: Iterable[Any]) -> Iterator[Any]:
    """`items` with the first one already read: the first query runs before the response
    starts, so that a database error or a busy pool is still answered with its status
    instead of a download that breaks off."""
    iterator = iter(items)
    first = list(itertools.islice(iterator, 1))
    return itertools.chain(first, iterator)


def every_page(fetch: Callable[[str | None], tuple[list[Any], str | None]]) -> Iterator[Any]:
    """Every item of a paged answer that is not a Listing (search): `fetch(cursor)` gives
    one page's items and the next cursor."""
    cursor: str | None = None
    while True:
        items, cursor = fetch(cursor)
        yield from items
        if cursor is None:
            return


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


def csv_cells(item: BaseModel) -> dict[str, str]:
    """One row of CSV cells, keyed by `csv_columns` names; absent nested records stay out.
    Text that a spreadsheet would take for a formula is marked as text."""
    return {
        column: safe_text(value) if isinstance(value, str) else _cell(value, LIST_SEPARATOR)
        for column, value in typed_cells(item).items()
    }


def typed_cells(
    item: BaseModel, prefix: str = "", separator: str = LIST_SEPARATOR
) -> dict[str, str | int | float]:
    """The same cells, numbers kept as numbers (for a workbook) and text unmarked."""
    cells: dict[str, str | int | float] = {}
    for name, field in type(item).model_fields.items():
        value = getattr(item, name)
        column = prefix + name
        if _nested_model(field.annotation) is None:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            cells[column] = value if number else _cell(value, separator)
        elif isinstance(value, BaseModel):
            cells.update(typed_cells(value, column + ".", separator))
        elif isinstance(value, list) and value:
            rows = [typed_cells(v, column + ".", INNER_SEPARATOR) for v in value]
            for key in rows[0]:
                cells[key] = separator.join(_cell(row.get(key, ""), "") for row in rows)
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
