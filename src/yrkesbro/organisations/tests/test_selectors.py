"""The places every catalogue and gaps filter offers: read once a minute per process."""

from __future__ import annotations

import pytest

from yrkesbro.core import lru
from yrkesbro.organisations import selectors
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_places_are_the_active_counties_and_municipalities_by_name(
    django_assert_num_queries,
) -> None:
    county = CountyFactory(name="Østfylke", number="97")
    OrganisationFactory(kind=Kind.MUNICIPALITY, name="Aby", number="9701", county=county)
    OrganisationFactory(kind=Kind.MUNICIPALITY, name="Gone", number="9702", is_active=False)
    OrganisationFactory(kind=Kind.COMPANY, name="Firma AS")
    expected = list(
        Organisation.objects.filter(kind__in=(Kind.COUNTY, Kind.MUNICIPALITY), is_active=True)
        .order_by("name")
        .values_list("kind", "number", "name")
    )
    assert selectors.places() == expected
    assert ("municipality", "9701", "Aby") in expected
    assert all(name not in ("Gone", "Firma AS") for _k, _n, name in expected)
    with django_assert_num_queries(0):  # the same process within the minute
        assert selectors.places() == expected


def test_a_renamed_municipality_shows_once_the_minute_is_over(monkeypatch) -> None:
    town = OrganisationFactory(kind=Kind.MUNICIPALITY, name="Gammelby", number="9801")
    assert ("municipality", "9801", "Gammelby") in selectors.places()
    Organisation.objects.filter(pk=town.pk).update(name="Nyby")
    later = lru.time.monotonic() + selectors.PLACES_SECONDS + 1
    monkeypatch.setattr(lru.time, "monotonic", lambda: later)
    assert ("municipality", "9801", "Nyby") in selectors.places()
