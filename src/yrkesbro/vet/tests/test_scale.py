"""Visibility that reads indexes and lists that page: an offer seen by several ways is listed
once with its bookings, the demand list pages, and on SQLite the visible offers, placements,
demand and exchanges are found through indexes rather than by reading every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from yrkesbro.core.policies import Role
from yrkesbro.testing import PASSWORD, MembershipFactory
from yrkesbro.vet import selectors, services
from yrkesbro.vet.models import Trade
from yrkesbro.vet.tests.conftest import VetWorld, book, yff_offer

pytestmark = pytest.mark.django_db


def test_an_offer_seen_several_ways_is_listed_once_with_its_bookings(vet: VetWorld):
    # A member of both schools, an offer shared with both, booked twice.
    MembershipFactory(user=vet.school.viewer, organisation=vet.school2.org, role=Role.VIEWER)
    offer = yff_offer(vet, shared_with=[vet.school.org, vet.school2.org], places=3)
    book(vet, offer, "Kari Elevsen")
    book(vet, offer, "Ola Elevsen")
    other = yff_offer(
        vet, organisation=vet.company2.org, actor=vet.company2.editor, instructor=None
    )
    for user in (vet.school.viewer, vet.company.viewer, vet.county_user, vet.platform):
        seen = [(o.pk, o.booked) for o in selectors.offers(user) if o.pk == offer.pk]
        assert seen == [(offer.pk, 2)], user
    # The other company's offer is shared with school (the default) and lies in the county.
    assert {o.pk for o in selectors.offers(vet.school.viewer)} == {offer.pk, other.pk}
    assert {o.pk for o in selectors.offers(vet.county_user)} == {offer.pk, other.pk}
    assert {o.pk for o in selectors.offers(vet.company.viewer)} == {offer.pk}
    assert list(selectors.offers(vet.outsider)) == []
    assert selectors.placements(vet.company.viewer).count() == 2
    assert selectors.placements(vet.company2.viewer).count() == 0
    assert selectors.placements(vet.school2.viewer).count() == 0


def test_the_demand_list_pages(vet: VetWorld):
    trades = list(Trade.objects.order_by("code")[:30])
    for school in (vet.school, vet.school2):
        for i, trade in enumerate(trades):
            services.demand_set(
                actor=school.editor,
                school=school.org,
                trade_code=trade.code,
                school_year=vet.year,
                yff_pupils=i,
                apprenticeship_seekers=i,
            )
    client = Client()
    assert client.login(username=vet.county_user.username, password=PASSWORD)
    first = client.get("/vet/demand/").content.decode()
    second = client.get("/vet/demand/?page=2").content.decode()
    assert first.count('<th scope="row">') == 50 and 'rel="next"' in first
    assert second.count('<th scope="row">') == 10 and 'rel="prev"' in second
    # The school's own editor sees its 30 rows on one page.
    assert client.login(username=vet.school.editor.username, password=PASSWORD)
    own = client.get("/vet/demand/").content.decode()
    assert own.count('<th scope="row">') == 30 and 'rel="next"' not in own


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_visibility_reads_indexes_not_every_row(vet: VetWorld):
    offer = yff_offer(vet)
    book(vet, offer)

    def plan(qs) -> str:  # type: ignore[no-untyped-def]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " | ".join(str(row[-1]) for row in cursor.fetchall())

    for user in (vet.school.viewer, vet.company.viewer, vet.county_user):
        for qs, table in (
            (selectors.offers(user), "vet_offer"),
            (selectors.placements(user), "vet_placement"),
            (selectors.demand(user), "vet_demand"),
            (selectors.hospiterings(user), "vet_hospitering"),
        ):
            found = plan(qs)
            assert f"SCAN {table}" not in found, found
            assert "SCAN vet_offer" not in found, found
