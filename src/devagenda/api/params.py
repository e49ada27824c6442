"""Path parameters shared by the routers.

Bounds and patterns reject what cannot name a record before it reaches the database,
where it would be an error rather than a miss (an integer beyond 64 bits on SQLite, a NUL
character on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from devagenda.core.errors import InputError
from devagenda.core.inputs import MAX_ID

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="Number or id of the record.")]
Code = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_.]{1,32}$",
        description="Code of the record, in any case: letters, digits, `_` and `.`.",
    ),
]
CountryCode = Annotated[
    str, Path(pattern=r"^[A-Za-z]{2,3}$", description="ISO 3166 alpha-2 or alpha-3 code.")
]
Year = Annotated[int, Path(ge=1900, le=2999, description="The year the report covers.")]
Language = Annotated[
    str, Path(pattern=r"^[a-z]{2}$", description="Language of the edition, e.g. zh or en.")
]
Symbol = Annotated[
    str,
    Path(
        pattern=r"^[^\x00]{1,64}$",
        description="Document symbol as printed, e.g. CDIP/31/4 or CDIP/30/8 REV.",
    ),
]


# -- query parameters a route does not know ------------------------------------------

# Accepted everywhere: the language switch of the pages (the API ignores it).
UNIVERSAL_PARAMETERS = frozenset({"lang"})
MAX_QUERY_STRING = 4096  # bytes; far beyond any filter combination, far below abuse


def known_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameters `route` declares, those of query-parameter models included."""
    cached = _KNOWN.get(id(route))
    if cached is None:
        names: set[str] = set()
        dependants = [route.dependant]
        while dependants:  # the route's own parameters and those of its dependencies
            dependant = dependants.pop()
            dependants.extend(dependant.dependencies)
            for param in dependant.query_params:
                annotation = param.field_info.annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    names.update(f.alias or n for n, f in annotation.model_fields.items())
                else:
                    names.add(param.alias)
        cached = _KNOWN[id(route)] = frozenset(names) | UNIVERSAL_PARAMETERS
    return cached


_KNOWN: dict[int, frozenset[str]] = {}  # by id: routes live as long as the process


def check_query_length(request: Request) -> None:
    if len(request.scope.get("query_string", b"")) > MAX_QUERY_STRING:
        raise InputError(f"longer than {MAX_QUERY_STRING} bytes", field="query")


def check_query_parameters(request: Request) -> None:
    """Refuse what a route would otherwise ignore: an unknown parameter is a typo or a
    probe, and answering it with the full list (or copying it into every link of a
    page) hides the typo or amplifies the probe."""
    check_query_length(request)
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        reject_unknown_parameters(request.query_params.multi_items(), known_parameters(route))


def reject_unknown_parameters(params: Iterable[tuple[str, str]], known: Collection[str]) -> None:
    """InputError naming the first parameters of `params` not in `known` (cut short: the
    name itself may be the long part of a probe)."""
    unknown = sorted({name for name, _ in params} - set(known))
    if unknown:
        shown = ", ".join(name[:40] for name in unknown[:5])
        raise InputError(f"unknown query parameter: {shown}", field=unknown[0][:40])


StrictQuery = Depends(check_query_parameters)
