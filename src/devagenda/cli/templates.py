"""`devagenda {area} template --out FILE`: the empty import file of every database that
imports, written alike (CSV or XLSX by the file's extension, never over a file without
--force)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from devagenda.cli import console, counted, emit_json, user_errors

OutOption = Annotated[
    Path, typer.Option("--out", metavar="FILE", help="Where to write it: a .csv or .xlsx name.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def write_template(
    out: Path, make: Callable[[str], bytes], columns: list[str], *, force: bool, as_json: bool
) -> None:
    """Write `make(kind)` (the area's template service) to `out` and say what it holds."""
    from devagenda.core.errors import InputError
    from devagenda.core.imports import file_format

    with user_errors():
        kind = file_format(out)
        if out.exists() and not force:
            raise InputError("already exists; choose another name or add --force", path=str(out))
        try:
            out.write_bytes(make(kind))
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror}", path=str(out)) from None
    if as_json:
        emit_json({"file": str(out), "format": kind, "columns": columns})
        return
    console.print(f"Wrote {out} ({kind.upper()}, {counted(len(columns), 'column')}).")
