"""Every list page the same way: facets that toggle filters, sorting by column, a total
with previous and next pages, a text filter, and downloads of exactly that list.

A page describes its list once, as a `ListSpec` (columns, facets, sort keys, the service
listing it reads); `ListView` does the rest from the query string. One URL convention
serves every list, after Datasette's twins: `/projects?status=ongoing&sort=-approval_date`
is the page, `/projects.csv?status=ongoing&sort=-approval_date` (`.json`, `.xlsx`) the
same rows as a file, all of them rather than one page.

Parameters:
- `q`: the service's text filter (names, titles, codes);
- one per facet (`status=ongoing`): the rows having that value; a facet's counts are
  over the rows the *other* filters let through, so a value's count is what choosing it
  would give, as search's facets do;
- the fields of the service's filter model that are not facets (`beneficiary=UGA`):
  passed to the service, shown as removable filters;
- `sort` (`name`, `-name`), `page` (from 1) and `lang`.
Any other parameter is refused (422): a typo must not silently show the whole list, and
nothing a client invents is copied into the page's links.

Facets, totals, orders and pages are counted by the database (devagenda.core.listing), so
a list of a million rows pages as fast as one of fifty: the spec names the service's
`ListSource`, and adds what only a page knows (titles, labels, the order of values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from devagenda.api.listing import ListFormat, download
from devagenda.api.params import reject_unknown_parameters
from devagenda.core.errors import InputError
from devagenda.core.listing import NOT_STATED, ListSource, Selection, value_key

__all__ = ["NOT_STATED", "Column", "Facet", "ListSpec", "ListView", "list_download", "read_list"]
PAGE_SIZE = 50
MAX_PAGE = 100_000
SHOWN_FACET_VALUES = 8  # the others fold under "more"
BASE_PARAMETERS = ("q", "sort", "page")

Item = Any  # an output model of the service (CountryOut, ProjectSummary...)


@dataclass(frozen=True)
class Column:
    """A column of the table: `cell` names the macro in list_cells.html that renders it.
    A column whose name is one of the source's sorts is sortable, by that `sort` value;
    `order`, when given, orders the sort's values in Python (names in the page language,
    which no database collation here gives)."""

    name: str
    title: str  # already in the page language
    cell: str
    order: Callable[[Any], Any] | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Facet:
    """How one of the source's facets reads on the page: its title, how each value reads
    in the page language and the order of its values."""

    name: str  # the query parameter, and the source's facet
    title: str
    label: Callable[[str], str] = str
    order: Callable[[tuple[str, int]], Any] = lambda pair: (-pair[1], pair[0])


@dataclass(frozen=True)
class ListSpec:
    path: str  # "/projects"; the downloads are path + ".csv" etc.
    title: str
    item: type[BaseModel]  # what the downloads hold
    source: Callable[[BaseModel | None], ListSource[Any]]  # the service's list for a filter
    columns: Sequence[Column]
    facets: Sequence[Facet] = ()
    # The service's filters; those that are also facets are applied as facets.
    filter_model: type[BaseModel] | None = None
    filter_labels: Callable[[str, str], str] = lambda _name, value: value
    default_sort: str = ""
    note: str = ""  # what the list's figures rest on, said above it where it matters
    file_name: str = ""
    # More values the page's template and cells read (names by code); pages only.
    extras: Callable[[], Mapping[str, Any]] = dict

    def parameters(self) -> set[str]:
        names = {*BASE_PARAMETERS, *(f.name for f in self.facets)}
        if self.filter_model is not None:
            names.update(self.filter_model.model_fields)
        return names


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    href: str


@dataclass(frozen=True)
class FacetView:
    name: str
    title: str
    shown: list[FacetValue]
    folded: list[FacetValue]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_href: str


@dataclass(frozen=True)
class HeaderView:
    column: Column
    href: str | None  # sorts by this column (or reverses it); None when not sortable
    direction: str | None  # "ascending"/"descending" when the list is sorted by it


@dataclass
class ListView:
    """One list page's state, read from its query string."""

    spec: ListSpec
    query: list[tuple[str, str]]  # the accepted parameters, in their order
    source: ListSource[Any] | None = None
    selection: Selection = field(default_factory=Selection)
    items: list[Item] = field(default_factory=list)  # this page's rows
    total: int = 0
    page: int = 1
    pages: int = 1
    facets: list[FacetView] = field(default_factory=list)
    active: list[ActiveFilter] = field(default_factory=list)
    headers: list[HeaderView] = field(default_factory=list)
    q: str = ""

    @property
    def previous_href(self) -> str | None:
        if self.page == 1:
            return None
        return self.href(page=str(self.page - 1) if self.page > 2 else None)

    @property
    def next_href(self) -> str | None:
        return self.href(page=str(self.page + 1)) if self.page < self.pages else None

    @property
    def first_row(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)

    def export_href(self, format: ListFormat) -> str:
        """The same list as a file: every row, this order, without the page number."""
        return self.href(path=f"{self.spec.path}.{format.value}", page=None)

    def exports(self) -> list[tuple[str, str]]:
        return [(f.value.upper(), self.export_href(f)) for f in ListFormat]

    def hidden_fields(self, *inputs: str) -> list[tuple[str, str]]:
        """What a filter form must carry along: every filter and the sort, less the
        form's own `inputs` (by default the text filter's)."""
        own = {*(inputs or ("q",)), "page"}
        return [(k, v) for k, v in self.query if k not in own]

    def value(self, name: str) -> str:
        """The value the query gives a parameter ("" when none)."""
        return next((v for k, v in self.query if k == name), "")

    def href(self, *, path: str | None = None, **changes: str | None) -> str:
        """This list's URL with some parameters set (None removes one). Changing a filter
        or the order goes back to the first page."""
        if any(name != "page" for name in changes):
            changes.setdefault("page", None)
        kept = [(k, v) for k, v in self.query if k not in changes]
        kept += [(k, v) for k, v in changes.items() if v is not None]
        encoded = urlencode(kept)
        return (path or self.spec.path) + (f"?{encoded}" if encoded else "")


def read_list(
    spec: ListSpec, params: Sequence[tuple[str, str]], *, for_download: bool = False
) -> ListView:
    """Validate the query string of `spec`'s page and compute what the page shows (for a
    download, only what selects its rows: no facets, headers or page)."""
    reject_unknown_parameters(params, spec.parameters() | {"lang"})
    query = [(k, v) for k, v in params if k != "lang" and v.strip()]
    values = _single_values(query)
    view = ListView(spec=spec, query=query, q=values.get("q", ""))
    chosen = {f.name: values[f.name] for f in spec.facets if f.name in values}
    stated = {k: v for k, v in values.items() if not (k in chosen and v == NOT_STATED)}
    validated = _validated_filter(spec, stated)
    filters = None
    if validated is not None:  # facets take the filter's normalized value (codes in caps)
        fields = type(validated).model_fields
        chosen.update(
            {
                name: value_key(getattr(validated, name))
                for name in chosen
                if name in fields and name in stated
            }
        )
        filters = validated.model_copy(update=dict.fromkeys(n for n in chosen if n in fields))
    orders = {c.name: c.order for c in spec.columns if c.order is not None}
    view.source = spec.source(filters).ordered_by(orders)
    sort = values.get("sort", spec.default_sort)
    view.source.order(sort)  # an unknown sort is refused before anything is counted
    view.selection = Selection(q=view.q, facets=chosen, sort=sort)
    if for_download:
        return view
    view.total, counts = view.source.counted(view.selection)
    view.facets = [_facet_view(view, f, counts[f.name], chosen.get(f.name)) for f in spec.facets]
    view.pages = max(1, -(-view.total // PAGE_SIZE))
    view.page = _page_number(values.get("page"), view.pages)
    offset = (view.page - 1) * PAGE_SIZE
    view.items = view.source.page_at(view.selection, offset=offset, limit=PAGE_SIZE)
    view.headers = _headers(view, sort)
    view.active = _active_filters(view, values, filters)
    return view


def list_download(view: ListView, format: ListFormat) -> Any:
    """The rows of the view, every page of them, streamed as a file."""
    assert view.source is not None
    name = view.spec.file_name or view.spec.path.strip("/")
    return download(view.source.all(view.selection), view.spec.item, name, format)


def _single_values(query: Sequence[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in query:
        if key in values:
            raise InputError("given more than once", field=key)
        values[key] = value
    return values


def _validated_filter(spec: ListSpec, values: dict[str, str]) -> BaseModel | None:
    """The service's filter model from the query, facets included (a malformed value is
    a 422 either way); the facets are then applied by the view, the rest by the service."""
    if spec.filter_model is None:
        return None
    fields = spec.filter_model.model_fields
    try:
        return spec.filter_model.model_validate({k: v for k, v in values.items() if k in fields})
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors()]
        ) from None


def _facet_view(
    view: ListView, facet: Facet, found: Mapping[str, int], chosen: str | None
) -> FacetView:
    counts = dict(found)
    if chosen is not None and not any(v.casefold() == chosen.casefold() for v in counts):
        counts[chosen] = 0  # still shown, so that it can be removed
    values = [
        FacetValue(
            value=value,
            label=facet.label(value),
            count=count,
            selected=chosen is not None and value.casefold() == chosen.casefold(),
            href=view.href(
                **{
                    facet.name: None
                    if chosen is not None and value.casefold() == chosen.casefold()
                    else value
                }
            ),
        )
        for value, count in sorted(counts.items(), key=facet.order)
    ]
    # The selected value stays in sight, whatever its rank.
    shown = values[:SHOWN_FACET_VALUES]
    folded = values[SHOWN_FACET_VALUES:]
    shown += [v for v in folded if v.selected]
    folded = [v for v in folded if not v.selected]
    return FacetView(facet.name, facet.title, shown, folded)


def _page_number(raw: str | None, pages: int) -> int:
    if raw is None:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InputError(f"a page number from 1 to {MAX_PAGE}", field="page")
    if int(raw) > pages:
        raise InputError(f"this list has {pages} page(s)", field="page")
    return int(raw)


def _headers(view: ListView, sort: str) -> list[HeaderView]:
    headers = []
    name = sort.removeprefix("-")
    assert view.source is not None
    for column in view.spec.columns:
        if column.name not in view.source.sorts:
            headers.append(HeaderView(column, None, None))
            continue
        current = column.name == name
        descending = current and sort.startswith("-")
        direction = ("descending" if descending else "ascending") if current else None
        target = column.name if not current or descending else "-" + column.name
        headers.append(HeaderView(column, view.href(sort=target), direction))
    return headers


def _active_filters(
    view: ListView, values: dict[str, str], filters: BaseModel | None
) -> list[ActiveFilter]:
    """The filters in force, each with the link that removes it."""
    active = []
    if view.q:
        active.append(ActiveFilter(f"“{view.q}”", view.href(q=None)))
    for facet in view.spec.facets:
        if facet.name in values:
            label = f"{facet.title}: {facet.label(values[facet.name])}"
            active.append(ActiveFilter(label, view.href(**{facet.name: None})))
    if filters is not None:
        for name, value in filters.model_dump(exclude_none=True).items():
            label = view.spec.filter_labels(name, value_key(value))
            active.append(ActiveFilter(label, view.href(**{name: None})))
    return active
