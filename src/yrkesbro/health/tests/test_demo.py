"""The demo: two partnerships with three closed rounds, one agreeing and one with a wide gap
on communication and commitments; indicators for every county, Innlandet higher."""

from __future__ import annotations

import pytest

from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.demo import load_demo
from yrkesbro.health import selectors
from yrkesbro.health.demo import AGREE_NAME, GAP_NAME
from yrkesbro.health.models import IndicatorValue, Response, Round
from yrkesbro.organisations.models import Kind, Organisation

pytestmark = pytest.mark.django_db


def test_demo_rounds_gaps_and_indicators() -> None:
    load_demo()
    gap = selectors.divergence(Partnership.objects.get(name=GAP_NAME))
    agree = selectors.divergence(Partnership.objects.get(name=AGREE_NAME))
    for div in (gap, agree):
        assert (
            Round.objects.filter(partnership=div.partnership, closed_at__isnull=False).count() == 3
        )
        assert all(side.shown for side in div.sides)
    assert {row.code for row in gap.rows[:2]} == {"communication", "commitments"}
    assert gap.rows[0].gap is not None and gap.rows[1].gap >= 1.0
    assert max(row.gap or 0 for row in agree.rows) < 1.0
    assert gap.open_round is not None and gap.free_texts
    counties = Organisation.objects.filter(kind=Kind.COUNTY)
    demo = IndicatorValue.objects.filter(is_demo=True, code="met_fagskole")
    assert demo.filter(county__isnull=True).exists()
    for county in counties:
        assert demo.filter(county=county).count() == 4
    innlandet = demo.filter(county__number="34").order_by("period").last()
    others = demo.filter(period=innlandet.period).exclude(county__number="34")
    assert innlandet.value > max(v.value for v in others if v.county_id)
    # Loading again adds nothing.
    before = (Round.objects.count(), Response.objects.count(), IndicatorValue.objects.count())
    load_demo()
    assert (
        Round.objects.count(),
        Response.objects.count(),
        IndicatorValue.objects.count(),
    ) == before
