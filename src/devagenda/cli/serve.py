"""`devagenda serve`: the web UI and the REST API."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from devagenda.cli import console, context_of, user_errors

app = typer.Typer()


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes; they share the one database.")
    ] = 1,
) -> None:
    """Serve the web UI and the REST API (docs at /api/docs)."""
    import uvicorn

    from devagenda.api import create_app
    from devagenda.bootstrap import ensure_initialized
    from devagenda.core.settings import DATABASE_URL_VARIABLE

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
    console.print(f"devagenda on http://{host}:{port}/ (API docs: /api/docs)")
    if workers == 1:
        uvicorn.run(create_app(context), host=host, port=port)
        return
    # Each worker builds its own app from the environment: pass the database on.
    os.environ[DATABASE_URL_VARIABLE] = context.settings.database_url
    uvicorn.run("devagenda.api:create_app", factory=True, host=host, port=port, workers=workers)
