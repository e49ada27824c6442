"""Errors as RFC 9457 problem documents (application/problem+json)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from devagenda.core.errors import InputError, NotFoundError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class InvalidParam(BaseModel):
    name: str  # the query or path parameter, dotted for nested fields
    reason: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    invalid_params: list[InvalidParam] = []


def problem_response(
    status: int, detail: str | None = None, invalid: list[InvalidParam] | None = None
) -> JSONResponse:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        invalid_params=invalid or [],
    )
    return JSONResponse(
        problem.model_dump(mode="json"), status_code=status, media_type=PROBLEM_MEDIA_TYPE
    )


async def _not_found(_request: Request, error: Exception) -> JSONResponse:
    return problem_response(404, str(error))


async def _bad_input(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InputError)
    invalid = [InvalidParam(name=error.field, reason=error.message)] if error.field else []
    return problem_response(422, str(error), invalid)


async def _invalid_request(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    invalid = [_invalid_param(item) for item in error.errors()]
    detail = "; ".join(f"{p.name}: {p.reason}" for p in invalid)
    return problem_response(422, detail, invalid)


def _invalid_param(item: dict[str, Any]) -> InvalidParam:
    # loc is ("query", "year") or ("path", "number"); the place is implied by the name.
    location = [str(part) for part in item.get("loc", ())[1:]]
    return InvalidParam(name=".".join(location) or "request", reason=str(item.get("msg", "")))


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    response = problem_response(error.status_code, str(error.detail))
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _server_error(_request: Request, _error: Exception) -> JSONResponse:
    """A bug: say so in the same format, without details that could leak internals."""
    return problem_response(500)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(InputError, _bad_input)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for routes that may answer with these problem statuses."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
