"""Building the app the web tests drive."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from devagenda.api import create_app
from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext
from devagenda.reports.load import ingest_report


def load_report(url: str, report: Path) -> AppContext:
    """A new database at `url` holding `report`."""
    context = AppContext.for_url(url)
    initialize(context)
    with context.transaction() as session:
        ingest_report(session, report)
    return context


def web_app(context: AppContext) -> FastAPI:
    """The app the server runs: the API with the pages mounted."""
    return create_app(context)
