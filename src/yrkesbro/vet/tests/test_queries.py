"""The VET lists do not run more queries as their rows grow (3 → 30): no N+1."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.testing import PASSWORD
from yrkesbro.vet import services, tasks
from yrkesbro.vet.models import Trade
from yrkesbro.vet.tests.conftest import VetWorld, book, days, yff_offer

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(vet: VetWorld) -> Callable[[int], None]:
    state = {"n": 0}
    trades = list(Trade.objects.order_by("code")[:40])

    def grow(n: int) -> None:
        for _ in range(n):
            i = state["n"]
            state["n"] += 1
            offer = yff_offer(vet, trade_code=trades[i].code, places=3)
            book(vet, offer, f"Elev {i}", starts_on=days(-30 + i), ends_on=days(-29 + i))
            services.demand_set(
                actor=vet.school.editor,
                school=vet.school.org,
                trade_code=trades[i].code,
                school_year=vet.year,
                yff_pupils=i,
                apprenticeship_seekers=i,
            )
        tasks.recompute_supply_demand()

    return grow


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("school", "/vet/"),
        ("company", "/vet/"),
        ("county", "/vet/demand/"),
        ("school", "/api/v1/vet/placements"),
        ("company", "/api/v1/vet/offers"),
        ("county", "/vet/supply-demand/?county=34"),
        ("anonymous", "/vet/supply-demand/"),
        ("anonymous", "/api/v1/vet/supply-demand?county=34"),
        ("anonymous", "/vet/supply-demand/data.json?county=34"),
    ],
)
def test_queries_do_not_grow_with_the_rows(vet: VetWorld, who: str, url: str):
    client = Client()
    user = {"school": vet.school.viewer, "company": vet.company.viewer, "county": vet.county_user}
    if who in user:
        assert client.login(username=user[who].username, password=PASSWORD)
    grow = _grow(vet)
    grow(3)
    small = _count(client, url)
    grow(27)
    assert _count(client, url) == small
