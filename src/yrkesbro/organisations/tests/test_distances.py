"""The distances between municipality points: stored once per register, equal to haversine."""

from __future__ import annotations

import random

import pytest

from yrkesbro.core.geo import haversine_km
from yrkesbro.organisations import distances
from yrkesbro.organisations.models import Kind, MunicipalityDistance, Organisation
from yrkesbro.testing import OrganisationFactory

pytestmark = pytest.mark.django_db


def _points(n: int) -> list[Organisation]:
    rng = random.Random(3)
    return [
        OrganisationFactory(latitude=58 + rng.random() * 12, longitude=5 + rng.random() * 25)
        for _ in range(n)
    ]


def test_the_table_equals_the_direct_computation() -> None:
    munis = _points(12)
    OrganisationFactory(name="Uten punkt", latitude=None, longitude=None)
    OrganisationFactory(kind=Kind.COMPANY, name="Bedrift")  # not a municipality: no row
    assert distances.rebuild() == 12 * 12
    stored = {(d.origin_id, d.target_id): d.km for d in MunicipalityDistance.objects.all()}
    assert len(stored) == 144
    for a in munis:
        for b in munis:
            expected = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
            assert stored[(a.pk, b.pk)] == pytest.approx(expected, abs=1e-9)
    assert distances.matrix() == distances.direct()
    assert distances.rebuild() == 144  # twice is safe
    assert MunicipalityDistance.objects.count() == 144


def test_a_municipality_added_outside_an_import_is_filled_in() -> None:
    _points(3)
    distances.rebuild()
    late = OrganisationFactory(latitude=69.65, longitude=18.96)
    distances.ensure(late.pk)
    assert MunicipalityDistance.objects.filter(origin=late).count() == 4
    assert distances.matrix()[late.pk] == distances.direct()[late.pk]


def test_importing_the_register_computes_its_distances() -> None:
    from yrkesbro.organisations.reference import load_register

    load_register()
    n = Organisation.objects.filter(kind=Kind.MUNICIPALITY, latitude__isnull=False).count()
    assert n > 300
    assert MunicipalityDistance.objects.count() == n * n
    oslo = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="0301")
    bergen = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="4601")
    km = MunicipalityDistance.objects.get(origin=oslo, target=bergen).km
    assert km == pytest.approx(
        haversine_km(oslo.latitude, oslo.longitude, bergen.latitude, bergen.longitude)
    )
    assert 300 < km < 320
