"""The web UI: server-rendered pages in Chinese and English over the same services as the
API, with every asset served by the app itself, so it works with no internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from devagenda.core.context import AppContext
from devagenda.web import auth, editing, flexibilities, match, match_forms
from devagenda.web.rendering import WebState, error_page
from devagenda.web.routes import list_router, router

STATIC_DIR = Path(__file__).parent / "static"


def mount(app: FastAPI, context: AppContext) -> None:
    """Add the pages and their static files to `app`, reading the database of `context`."""
    app.state.devagenda_web = WebState(context=context)
    app.include_router(list_router)
    # Before the record pages, whose paths would take "new" or "CDIP/31/4/edit" for a key.
    app.include_router(editing.router)
    app.include_router(flexibilities.router)
    app.include_router(match.router)
    app.include_router(match_forms.router)
    app.include_router(router)
    app.include_router(auth.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="web-static")


__all__ = ["error_page", "mount"]
