"""Property-based tests of every API operation against the OpenAPI document.

Schemathesis generates valid and invalid requests from the schema and runs all
its checks on every answer: no server error, every answer (errors too) matches
its documented schema and status code, invalid input is refused, valid input
is not. Each operation runs as a visitor and as an organisation admin with a
token, on whichever database the suite runs on (CI runs both).

The number of examples is bounded so this file stays within a couple of minutes
on two cores; ``YRKESBRO_FUZZ_EXAMPLES`` raises it for a deeper local run.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from yrkesbro.accounts.services import token_create
from yrkesbro.wsgi import application

EXAMPLES = int(os.environ.get("YRKESBRO_FUZZ_EXAMPLES", "6"))

#: A 400 is the documented answer when a rule of the platform refuses well-formed input
#: (the last admin cannot leave, a partnership needs two organisations), so valid data
#: may meet it; everything else schemathesis expects stays as it is.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
            }
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

# Dates and date-times as the document allows them (format plus the year-range pattern),
# generated directly instead of filtered out of years 1-9999.
_OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
schemathesis.openapi.format(
    "date",
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2199, 12, 31)).map(str),
)
schemathesis.openapi.format(
    "date-time",
    st.builds(
        lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
        st.datetimes(min_value=dt.datetime(1901, 1, 2), max_value=dt.datetime(2199, 12, 30)),
        _OFFSETS,
    ),
)

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture(scope="module")
def _register(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The shipped register (15 counties, 357 municipalities and their 127,449 distances),
    loaded once for this module's 252 tests instead of once per test (that was ~4 s each,
    about half of the suite's test time on SQLite), and removed again when the module is
    done, so no other test sees it."""
    from yrkesbro.core.models import AuditEntry
    from yrkesbro.organisations import distances
    from yrkesbro.organisations.models import Kind, MunicipalityDistance, Organisation
    from yrkesbro.organisations.reference import load_register

    with django_db_blocker.unblock():
        organisations = set(Organisation.objects.values_list("pk", flat=True))
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        load_register()
    yield
    with django_db_blocker.unblock():
        AuditEntry.objects.filter(pk__gt=last_entry).delete()
        # Before the organisations: a cascade would load all 127,449 rows to delete them.
        MunicipalityDistance.objects.all().delete()
        loaded = Organisation.objects.exclude(pk__in=organisations)
        loaded.exclude(kind=Kind.COUNTY).delete()  # municipalities protect their county
        loaded.delete()
        distances.rebuild()  # empty again, and the per-process matrix forgotten


@pytest.fixture(autouse=True)
def _data(db, _register):  # type: ignore[no-untyped-def]
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


@pytest.fixture
def admin_token(world):  # type: ignore[no-untyped-def]
    """A token of an organisation admin (municipality A in the permission-matrix world)."""
    _token, key = token_create(actor=world.a.admin, user=world.a.admin, name="fuzz")
    return key


def _run(case, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    # Credentials go in as explicit headers, so the auth checks know them for valid ones
    # and probe the operation without them and with invalid ones.
    case.headers = {**(case.headers or {}), "Host": "testserver"}
    case.call_and_validate(headers=headers or None)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_a_visitor(case):  # type: ignore[no-untyped-def]
    _run(case, {})


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_an_organisation_admin(case, admin_token):  # type: ignore[no-untyped-def]
    _run(case, {"Authorization": f"Bearer {admin_token}"})
