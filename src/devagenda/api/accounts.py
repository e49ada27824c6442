"""Routes of accounts: who the request acts as, and the accounts (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Security
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPBearer

from devagenda.accounts import services
from devagenda.accounts.schemas import MeOut, UserOut
from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import ListQuery, list_response, list_responses
from devagenda.api.problems import problem_responses
from devagenda.core.pagination import Page

# Declares that these routes need the credential, in the OpenAPI schema (and Swagger UI's
# "Authorize"); checking it is api.authentication's, before any route runs. Public routes
# take a token too but do not need one, which OpenAPI cannot say per route simply.
BEARER = HTTPBearer(auto_error=False, description="An API token: `devagenda tokens create`.")
router = APIRouter(tags=["accounts"], dependencies=[Security(BEARER)])


@router.get("/me")
def get_me(request: Request, session: DatabaseSession) -> MeOut:
    """Who the request acts as: the account, its role and countries, and the token's
    expiry. Without a token: 401."""
    return services.describe_actor(session, token_id=getattr(request.state, "token_id", None))


@router.get(
    "/users",
    response_model=Page[UserOut] | list[UserOut],
    responses={**list_responses(), **problem_responses(403)},
)
def list_users(params: ListQuery, session: DatabaseSession) -> Page[UserOut] | StreamingResponse:
    """Every account (administrators only), with its role, countries and last login."""
    return list_response(services.user_listing(session), params, UserOut, "users")
