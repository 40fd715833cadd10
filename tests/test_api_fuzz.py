"""Property-based tests of every public GET endpoint against the OpenAPI document.

Schemathesis generates valid and invalid parameters from the schema; no
request may end in a server error, and every success must match the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from yrkesbro.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(method="GET")


@pytest.fixture(autouse=True)
def _data(db, register_loaded):  # type: ignore[no-untyped-def]
    """Real counties and municipalities to find."""


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Schemathesis calls the WSGI app directly, so Django's request signals close the
    database connection after each call, and inside the test's transaction that ends it
    on PostgreSQL. Django's own test client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_get_endpoints_never_fail(case):  # type: ignore[no-untyped-def]
    case.headers = {**(case.headers or {}), "Host": "testserver"}
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
