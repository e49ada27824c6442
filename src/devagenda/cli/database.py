"""`devagenda init`: the database schema and the reference data."""

from __future__ import annotations

import typer

from devagenda.cli import JsonOption, console, context_of, emit_json, print_table, user_errors

app = typer.Typer()


@app.command()
def init(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create or upgrade the database schema and load the reference data (safe to repeat)."""
    from devagenda.bootstrap import initialize

    with user_errors():
        summary = initialize(context_of(ctx))
    if as_json:
        emit_json(summary)
        return
    console.print(
        f"Database [bold]{summary.database}[/] at schema revision {summary.schema_revision}"
    )
    rows = [(name.replace("_", " "), str(count)) for name, count in summary.loaded.items()]
    print_table(("reference data", "records"), rows, title="Loaded")
