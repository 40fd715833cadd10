"""The indicator pages and the divergence view run as many queries with ten times the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesbro.collaboration.models import Forum, Meeting, Partnership, PartnershipParty
from yrkesbro.health import indicators
from yrkesbro.health.tests.conftest import Pulse
from yrkesbro.organisations.models import Kind
from yrkesbro.testing import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/health/indicators/",
    "/health/indicators/?county=91",
    "/api/v1/indicators?county=91",
    "/health/indicators/data.json",
]


def grow(county, n: int) -> None:  # type: ignore[no-untyped-def]
    fagskole = OrganisationFactory(kind=Kind.FAGSKOLE, county=county)
    now = timezone.now()
    for _ in range(n):
        muni = OrganisationFactory(county=county)
        p = Partnership.objects.create(name="p", purpose="x")
        PartnershipParty.objects.create(partnership=p, organisation=muni)
        PartnershipParty.objects.create(partnership=p, organisation=fagskole)
        forum = Forum.objects.create(partnership=p, name="f", mandate="m")
        for days in (10, 100):
            start = now - timedelta(days=days)
            Meeting.objects.create(
                forum=forum,
                title="m",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                status="held",
            )
    indicators.refresh()


def counts(client: Client) -> list[int]:
    result = []
    for url in URLS:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        result.append(len(ctx.captured_queries))
    return result


def test_indicator_pages_do_not_grow_with_the_data(db) -> None:  # type: ignore[no-untyped-def]
    county = CountyFactory(number="91")
    CountyFactory(number="92")
    client = Client()
    grow(county, 3)
    small = counts(client)
    grow(county, 27)
    assert counts(client) == small
    assert max(small) <= 6


def test_divergence_view_does_not_grow_with_rounds(pulse: Pulse) -> None:
    client = Client()
    client.force_login(pulse.world.a.viewer)
    url = f"/health/partnerships/{pulse.partnership.pk}/"

    def one_round() -> None:
        r = pulse.start()
        for user in pulse.side_a[:3] + pulse.side_b[:3]:
            pulse.answer(r, user)
        pulse.close(r)

    one_round()
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(3):
        one_round()
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second.captured_queries) == len(first.captured_queries)
