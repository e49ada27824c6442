"""Per-request resources that route handlers declare as parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from devagenda.core.context import AppContext


def app_context(request: Request) -> AppContext:
    context = request.app.state.context
    assert isinstance(context, AppContext)
    return context


def database_session(request: Request) -> Iterator[Session]:
    """One session per request, closed (never committed: the API only reads) after the
    response is sent, so that streamed lists can keep reading from it."""
    with app_context(request).sessions() as session:
        yield session


DatabaseSession = Annotated[Session, Depends(database_session)]
