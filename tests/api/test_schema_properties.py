"""Property test: generated requests, valid and invalid, get answers that match the
OpenAPI schema (status codes, media types, bodies) and never a server error.

Schemathesis drives Hypothesis directly here rather than through its pytest plugin, which
cannot rename test nodes under pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import positive_data_acceptance

MAX_EXAMPLES = 5  # per operation and mode: keeps each run well under a minute
# A cursor is an opaque token that only the API makes: no schema can tell a valid one from
# a string of the same shape, so "schema-valid but rejected" is expected of cursors.
EXCLUDED = [positive_data_acceptance]


def _check(operation: APIOperation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=EXCLUDED)

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api: TestClient, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation the app declares is exercised (schemathesis read them all).
    declared = sum(len(methods) for methods in api.app.openapi()["paths"].values())
    assert len(operations) == declared >= 28
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # a request without parameters (/api/coverage) cannot be made invalid
        _check(operation, mode)
