"""The VET demo in Innlandet: eight trades in four programmes or more, a shortfall and a
surplus, placements assessed by both sides, a reported hospitering; idempotent."""

from __future__ import annotations

import pytest
from django.test import Client

from yrkesbro.collaboration.models import ContactEntry
from yrkesbro.core.demo import load_demo
from yrkesbro.vet.models import Assessment, Hospitering, Offer, Placement

pytestmark = pytest.mark.django_db


def test_demo_vet_data_in_innlandet():
    load_demo()
    offers = Offer.objects.filter(is_demo=True).select_related("organisation__county", "trade")
    assert {o.organisation.county.number for o in offers} == {"34"}
    assert len({o.trade.code for o in offers}) >= 8
    assert len({o.trade.programme_code for o in offers}) >= 4
    body = Client().get("/api/v1/vet/supply-demand?county=34").json()
    assert body["count"] >= 8
    shortfalls = {i["trade"]["code"]: i["shortfall"] for i in body["items"]}
    assert body["items"][0]["trade"]["code"] == "HSHEA3----" and shortfalls["HSHEA3----"] > 0
    assert shortfalls["ELELE3----"] < 0  # a surplus
    placements = Placement.objects.filter(is_demo=True)
    assert placements.count() >= 5
    assert (
        Assessment.objects.filter(placement__in=placements).values("side").distinct().count() == 2
    )
    item = Hospitering.objects.get(is_demo=True)
    assert item.status == "reported" and item.school_report and item.workplace_report
    assert ContactEntry.objects.filter(partnership=item.partnership, kind="visit").exists()
    load_demo()  # idempotent
    assert Offer.objects.filter(is_demo=True).count() == offers.count()
    assert Hospitering.objects.count() == 1
