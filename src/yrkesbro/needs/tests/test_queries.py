"""List pages and API lists run the same number of queries for 3 and 30 rows (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.needs import services
from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.needs.tests.conftest import future
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import PASSWORD, CountyFactory, OrganisationFactory

# Upper bounds, so a new query on a list page is a decision, not an accident.
BASELINE = {
    "/needs/": 8,
    "/needs/?area=demens&county=94&status=published": 8,
    "/needs/plans/": 5,
    # one query more than live: whether the worker's counts exist (then three fewer)
    "/needs/regional/": 7,
    "/needs/regional/data.json": 5,
    "/api/v1/needs": 5,
    "/api/v1/plans": 5,
    "/api/v1/competence-areas": 5,
    "/taxonomy/": 5,
}


def grow(n: int, county, areas) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        org = OrganisationFactory(county=county)
        need = Need.objects.create(
            organisation=org,
            unit=f"Enhet {i}",
            people=3,
            deadline=future(),
            status=Status.PUBLISHED,
            visibility=Visibility.SHARED,
        )
        need.areas.set(areas[i % 3 : i % 3 + 2])
        plan = services.plan_create(
            actor=_admin(),
            organisation=org,
            data={
                "title": f"Plan {i}",
                "start_year": 2026,
                "end_year": 2028,
                "visibility": "shared",
            },
        )
        need.plan = plan
        need.save()


def _admin():  # type: ignore[no-untyped-def]
    from yrkesbro.accounts.models import User

    return User.objects.get(username="platform")


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", list(BASELINE))
def test_query_counts_do_not_grow(world, areas, url):  # type: ignore[no-untyped-def]
    county = CountyFactory(number="94", name="Testfylke")
    codes = list(CompetenceArea.objects.order_by("code")[:5])
    client = Client()
    client.login(username=world.b.viewer.username, password=PASSWORD)
    grow(3, county, codes)
    small = count(client, url)
    grow(27, county, codes)
    big = count(client, url)
    assert small == big, f"{url}: {small} queries for 3 rows, {big} for 30"
    assert big <= BASELINE[url], f"{url}: {big} queries, baseline {BASELINE[url]}"
