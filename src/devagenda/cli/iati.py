"""`devagenda iati export`: the IATI 2.03 activity file of the DA projects and the
technical-assistance activities (devagenda.iati)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from devagenda.cli import JsonOption, console, context_of, counted, emit_json, user_errors

app = typer.Typer()
PUBLIC = 0o644  # the file is for publishing: anyone may read it
LISTED = 20  # held-back records printed; --json gives every one
iati_app = typer.Typer(
    help="IATI 2.03 XML: export the DA projects and their activities.", no_args_is_help=True
)
app.add_typer(iati_app, name="iati")


@iati_app.command("export")
def iati_export(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", metavar="FILE", help="Where to write the XML file.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it exists (once the new one is whole).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the IATI 2.03 activity file: projects as parents, activities as children.

    Only stated facts are written. A record that lacks a fact IATI requires (a start or
    end date) is held back and listed, so that it can be completed in the data. The
    reporting organisation is DEVAGENDA_IATI_REPORTING_ORG (default XM-DAC-41308, WIPO).
    """
    from devagenda.core.files import new_file
    from devagenda.iati.export import export_iati

    context = context_of(ctx)
    with (
        user_errors(),
        context.sessions() as session,
        new_file(out, overwrite=force, overwrite_option="--force", mode=PUBLIC) as target,
    ):
        summary = export_iati(session, target, reporting_org=context.settings.iati_reporting_org)
    if as_json:
        emit_json({"file": str(out), **summary.model_dump(mode="json")})
        return
    console.print(
        f"Wrote {escape(str(out))}: {counted(summary.projects, 'project')} and "
        f"{counted(summary.activities, 'activity', 'activities')} "
        f"(IATI 2.03, reporting organisation {escape(summary.reporting_org)})."
    )
    if summary.held_back:
        console.print(
            f"Held back {counted(len(summary.held_back), 'record')}, which lack a fact IATI "
            "requires; complete them and export again:"
        )
        for note in summary.held_back[:LISTED]:
            console.print(
                f"  {note.kind} {note.id} ({escape(note.identifier)}): {escape(note.reason)}"
            )
        if len(summary.held_back) > LISTED:
            console.print(f"  and {len(summary.held_back) - LISTED:,} more: --json lists them all.")
    if summary.warnings:
        console.print(
            f"{counted(len(summary.warnings), 'caveat')} on records written "
            "(a date known to the month only, no description, no code): --json lists them."
        )
