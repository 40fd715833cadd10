"""Filtering the catalogue by county keeps the online offerings: they are open everywhere."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from yrkesbro.catalogue.models import Delivery, Offering
from yrkesbro.catalogue.selectors import Filters, programme_search


def test_online_offerings_count_in_every_county(catalogue_loaded) -> None:  # type: ignore[no-untyped-def]
    online = Offering.objects.filter(delivery=Delivery.ONLINE).select_related("programme")
    assert online.exists()
    programme_ids = {o.programme_id for o in online}
    for county in ("03", "34", "56"):  # Oslo, Innlandet, Finnmark
        found = {
            r.programme.pk
            for r in programme_search(actor=AnonymousUser(), filters=Filters(county=county))
        }
        assert programme_ids <= found, county
    # An unknown county still finds nothing, online or not.
    assert len(programme_search(actor=AnonymousUser(), filters=Filters(county="99"))) == 0
