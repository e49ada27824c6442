"""`devagenda activities ...`: load technical-assistance activities (IP-TAD)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from devagenda.cli import JsonOption, console, context_of, counted, emit_json, errors, user_errors

app = typer.Typer()
activities_app = typer.Typer(
    help="Technical-assistance activities (IP-TAD): import files and pages, template.",
    no_args_is_help=True,
)
app.add_typer(activities_app, name="activities")


@activities_app.command("import")
def activities_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="CSV, XLSX or JSON files laid out as the template, or IP-TAD activity "
            "pages saved as HTML or text; told apart by their content.",
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Load activities from files and IP-TAD pages, all of them or nothing.

    A CSV file of any size is read as it is stored (a progress bar shows how far on a
    terminal). A row's `code` (an IP-TAD page's id) names its activity: a stored code is updated,
    a new one created. Countries, languages, subject areas and recommendations are checked
    against the knowledge base. If any row or page is bad, nothing is stored and every
    problem of every file is listed. `devagenda activities template` writes an empty file.
    """
    from devagenda.activities.services import ActivitiesImportRefused, import_activities
    from devagenda.bootstrap import ensure_initialized
    from devagenda.cli.progress import counting

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        try:
            with counting(enabled=not as_json) as start, context.transaction() as session:
                results = import_activities(
                    session, files, started=lambda name, rows: start(f"import {name}", rows)
                )
        except ActivitiesImportRefused as refused:
            _refused(refused, as_json)
    if as_json:
        emit_json([{"file": r.file, "rows": r.rows, "facts": r.facts} for r in results])
        return
    for result in results:
        console.print(
            f"Imported {counted(result.rows, 'activity', 'activities')} from {result.file}."
        )


def _refused(refused: object, as_json: bool) -> None:
    from rich.markup import escape

    from devagenda.activities.services import ActivitiesImportRefused

    assert isinstance(refused, ActivitiesImportRefused)
    if as_json:
        emit_json(
            {
                "error": str(refused),
                "files": [
                    {
                        "file": r.path,
                        "problems": [
                            {"row": p.row, "column": p.column, "reason": p.reason}
                            for p in r.problems
                        ],
                    }
                    for r in refused.refusals
                ],
            }
        )
    else:
        errors.print(f"[bold red]error:[/] {escape(str(refused))}")
        for line in refused.lines():
            errors.print(f"  {escape(line)}")
    raise typer.Exit(2)


@activities_app.command("template")
def activities_template(
    out: Annotated[
        Path,
        typer.Option("--out", metavar="FILE", help="Where to write it: a .csv or .xlsx name."),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write an empty activities import file, CSV or XLSX by the extension of FILE."""
    from devagenda.activities.importers import ACTIVITY_SPEC
    from devagenda.activities.services import activities_template as template_bytes
    from devagenda.core.errors import InputError
    from devagenda.core.imports import file_format

    with user_errors():
        kind = file_format(out)
        if out.exists() and not force:
            raise InputError("already exists; choose another name or add --force", path=str(out))
        try:
            out.write_bytes(template_bytes(kind))
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror}", path=str(out)) from None
    columns = [column.name for column in ACTIVITY_SPEC.columns]
    if as_json:
        emit_json({"file": str(out), "format": kind, "columns": columns})
        return
    console.print(f"Wrote {out} ({kind.upper()}, {counted(len(columns), 'column')}).")
