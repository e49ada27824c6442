"""`devagenda search ...`: the full-text search index."""

from __future__ import annotations

import typer

from devagenda.cli import JsonOption, console, context_of, counted, emit_json, user_errors

app = typer.Typer()
search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)
app.add_typer(search_app, name="search")


@search_app.command("reindex")
def search_reindex(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Rebuild the search index from the database (after bulk changes made outside
    devagenda's services)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.search.sync import rebuild_index

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            entries = rebuild_index(session)
    if as_json:
        emit_json({"entries": entries})
        return
    console.print(f"Indexed {counted(entries, 'entry', 'entries')}")
