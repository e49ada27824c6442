"""Property test: generated requests, valid and invalid, get answers that match the
OpenAPI schema (status codes, media types, bodies) and never a server error, for the
public and for accounts.

Anonymously, every operation is exercised. With a reader's token and an editor's, the
operations that take one (the accounts and editing routes, which declare the bearer
scheme) are exercised again, so that the writes are driven past authentication: a
reader's are refused (403), an editor's reach validation, the version check and the
database. The editor writes to a database of its own.

Schemathesis drives Hypothesis directly here rather than through its pytest plugin, which
cannot rename test nodes under pytest 9.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import positive_data_acceptance
from tests.conftest import DatabaseFactory

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.core.actor import Actor, Role, acting_as

MAX_EXAMPLES = 5  # per operation and mode: keeps each run well under a minute
# A cursor is an opaque token that only the API makes: no schema can tell a valid one from
# a string of the same shape, so "schema-valid but rejected" is expected of cursors.
EXCLUDED = [positive_data_acceptance]
ADMIN = Actor(label="operator:test", role=Role.ADMIN)
WRITES = {"POST", "PATCH", "PUT", "DELETE"}
# Writes only a jurisdiction's focal point may make (a member-state update): an editor's
# 403 there is the rule, not a failure to get past authentication.
FOCAL_POINT_WRITES = {("POST", "/api/flexibilities/updates")}
# Writes any account makes for itself (matchmaking: its posts, their interest and moves,
# its notices): a reader's may succeed there.
ACCOUNT_WRITES = {
    ("POST", "/api/match/posts"),
    ("PATCH", "/api/match/posts/{key}"),
    ("DELETE", "/api/match/posts/{key}"),
    ("POST", "/api/match/posts/{key}/interest"),
    ("POST", "/api/match/connections/{connection_id}/moves"),
    ("POST", "/api/match/notices/{notice_id}/read"),
}
# Writes of the installation's settings: an editor's 403 there is the rule too.
ADMIN_WRITES = {("PUT", "/api/match/mail-settings")}


class Run:
    """What one run sent and got, for the assertions that it drove what it should."""

    def __init__(self) -> None:
        self.if_match: Counter[str] = Counter()  # "missing", "tag or *", "malformed"
        self.write_statuses: Counter[int] = Counter()
        self.focal_point_statuses: Counter[int] = Counter()  # FOCAL_POINT_WRITES
        self.account_statuses: Counter[int] = Counter()  # ACCOUNT_WRITES
        self.admin_statuses: Counter[int] = Counter()  # ADMIN_WRITES

    def record(self, case: schemathesis.Case, status: int, *, generated: bool = True) -> None:
        """`generated`: the case as schemathesis made it, not resent with `If-Match: *`."""
        if case.method.upper() not in WRITES:
            return
        route = (case.method.upper(), case.operation.path)
        if route in FOCAL_POINT_WRITES:
            self.focal_point_statuses[status] += 1
            return
        if route in ADMIN_WRITES:
            self.admin_statuses[status] += 1
            return
        if route in ACCOUNT_WRITES:
            self.account_statuses[status] += 1
        self.write_statuses[status] += 1
        if generated and "If-Match" in _declared_headers(case.operation):
            self.if_match[_if_match_kind(case.headers.get("If-Match"))] += 1


def _declared_headers(operation: APIOperation) -> set[str]:
    return {p.name for p in operation.iter_parameters() if p.location == "header"}


def _if_match_kind(value: str | None) -> str:
    if value is None:
        return "missing"
    stripped = value.strip(" \t")
    digits = stripped[1:-1]
    tag = stripped.startswith('"') and stripped.endswith('"') and digits.isdigit()
    return "tag or *" if stripped == "*" or tag else "malformed"


def _check(operation: APIOperation, mode: GenerationMode, run: Run) -> None:
    takes_version = "If-Match" in _declared_headers(operation)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(excluded_checks=EXCLUDED)
        run.record(case, response.status_code)
        if takes_version and mode is GenerationMode.POSITIVE and not case.headers.get("If-Match"):
            # Left out, If-Match stops every write at 428: send the case again with `*`,
            # as valid, to drive it on to the service.
            case.headers["If-Match"] = "*"
            response = case.call_and_validate(excluded_checks=EXCLUDED)
            run.record(case, response.status_code, generated=False)

    try:
        check()
    except Unsatisfiable:
        # Where almost any text is a valid path parameter (a document symbol), Hypothesis
        # may find no invalid one that a URL can carry: no request, so nothing to check.
        if mode is not GenerationMode.NEGATIVE or "{symbol}" not in operation.path:
            raise


def _run(
    client: TestClient, mode: GenerationMode, token: str | None, run: Run
) -> list[APIOperation]:
    """Exercise the operations: all of them anonymously, those that take a token with
    one. Returns the operations exercised."""
    auth = {"auth": {"openapi": {"HTTPBearer": {"bearer": token}}}}
    config = SchemathesisConfig.from_dict(auth) if token else None
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    if token:
        operations = [o for o in operations if o.definition.raw.get("security")]
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # a request without parameters (/api/coverage) cannot be made invalid
        _check(operation, mode, run)
    return operations


@pytest.fixture(params=["reader", "editor"])
def signed_in(
    request: pytest.FixtureRequest, databases: DatabaseFactory
) -> Iterator[tuple[TestClient, str]]:
    """A client over a database of its own, and the token of an account of the role."""
    role = request.param
    with databases.report_copy() as context:
        with acting_as(ADMIN), context.transaction() as session:
            email = f"{role}@example.org"
            create_user(session, email=email, role=role, password="long enough password")
            token = create_token(session, email).token
        with TestClient(create_app(context)) as client:
            yield client, token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api: TestClient, mode: GenerationMode) -> None:
    run = Run()
    operations = _run(api, mode, None, run)
    # Every operation the app declares is exercised (schemathesis read them all).
    declared = sum(len(methods) for methods in api.app.openapi()["paths"].values())
    assert len(operations) == declared >= 28
    # Anonymous writes never succeed: refused as unauthenticated, or as malformed first.
    assert set(run.write_statuses) <= {400, 401, 422, 428}, run.write_statuses
    assert set(run.admin_statuses) <= {400, 401, 422}, run.admin_statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema_with_a_token(
    signed_in: tuple[TestClient, str], mode: GenerationMode
) -> None:
    client, token = signed_in
    role = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["role"]
    run = Run()
    operations = _run(client, mode, token, run)
    assert len([o for o in operations if o.method.upper() in WRITES]) >= 12
    if mode is GenerationMode.POSITIVE:
        # Schema-valid If-Match values and none at all: the version check and the 428.
        assert run.if_match["tag or *"] > 0 and run.if_match["missing"] > 0, run.if_match
    else:
        assert run.if_match["malformed"] > 0, run.if_match
    if mode is GenerationMode.POSITIVE:  # negative cases may spoil the credentials too
        assert set(run.admin_statuses) <= {400, 403, 422}, run.admin_statuses
        assert 401 not in run.account_statuses, run.account_statuses
    others = run.write_statuses - run.account_statuses
    succeeded = any(200 <= status < 300 for status in run.write_statuses)
    if role == "reader":
        assert not any(200 <= status < 300 for status in others), run.write_statuses
        assert 403 in run.write_statuses or mode is GenerationMode.NEGATIVE, run.write_statuses
    else:
        # Past authentication: to the services' own answers (or a write that succeeded).
        assert 403 not in run.write_statuses, run.write_statuses
        focal = run.focal_point_statuses
        assert not any(200 <= status < 300 for status in focal), focal  # theirs alone
        reached = succeeded or bool({404, 412} & set(run.write_statuses))
        assert reached or mode is GenerationMode.NEGATIVE, run.write_statuses
