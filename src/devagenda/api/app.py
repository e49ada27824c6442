"""The FastAPI application: the REST API under /api (routers, error handling, security
headers, offline docs) and the web UI's pages at /."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from devagenda import __version__
from devagenda.api import (
    accounts,
    activities,
    catalogue,
    changes,
    editing,
    flexibilities,
    iati,
    match,
    reference,
    reports,
    roster,
    search,
)
from devagenda.api.authentication import Authentication
from devagenda.api.docs import install_docs
from devagenda.api.params import StrictQuery
from devagenda.api.problems import (
    AdmissionLimit,
    BodySizeLimit,
    HeadAsGet,
    Problem,
    ServerErrorResponses,
    install_problem_handlers,
    problem_responses,
)
from devagenda.api.security import SecurityHeadersMiddleware
from devagenda.core.context import AppContext
from devagenda.core.settings import Settings
from devagenda.web import error_page
from devagenda.web import mount as mount_web

OPENAPI_PATH = "/api/openapi.json"


def create_app(context: AppContext | None = None) -> FastAPI:
    """The API over the database of `context` (by default the configured one).

    The app holds no state but the context, so several workers can serve one database:
    `uvicorn --factory devagenda.api:create_app --workers 4`.
    """
    app = FastAPI(
        title="devagenda",
        summary="How WIPO implements its Development Agenda: REST API to read and edit it.",
        version=__version__,
        openapi_url=OPENAPI_PATH,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.context = context or AppContext(Settings.from_environment())
    # changes before catalogue: its /documents/{symbol:path}/history would otherwise be
    # taken by the catalogue's /documents/{symbol:path}.
    for module in (
        accounts,
        changes,
        catalogue,
        editing,
        activities,
        roster,
        match,
        flexibilities,
        iati,
        reference,
        reports,
        search,
    ):
        # Any route answers 401 to a bad token (api.authentication), public ones too.
        app.include_router(
            module.router,
            prefix="/api",
            dependencies=[StrictQuery],
            responses=problem_responses(401),
        )
    install_problem_handlers(app, error_page)
    install_docs(app)
    # The last added is the outermost: HEAD is turned into GET before anything else, and
    # the security headers also go on the 500 that ServerErrorResponses makes of a bug
    # and on the 503 of a request that waited too long for its turn. Authentication runs
    # inside the admission limit, as it reads the database.
    settings = app.state.context.settings
    app.add_middleware(Authentication, context=app.state.context)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes, error_page=error_page)
    app.add_middleware(ServerErrorResponses, error_page=error_page)
    app.add_middleware(
        AdmissionLimit,
        slots=settings.threads,
        wait=settings.queue_timeout,
        error_page=error_page,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadAsGet)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    mount_web(app, app.state.context)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """As many worker threads as the pool has connections for (Settings.threads): a
    request never holds a thread while it waits for a connection another thread holds."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.context.settings.threads
    yield


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the Problem model that error responses refer to."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        app.openapi_schema = schema
    return app.openapi_schema
