"""Building the app the web tests drive."""

from __future__ import annotations

from fastapi import FastAPI

from devagenda.api import create_app
from devagenda.core.context import AppContext


def web_app(context: AppContext) -> FastAPI:
    """The app the server runs: the API with the pages mounted."""
    return create_app(context)
