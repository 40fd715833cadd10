"""The county overview's light figures equal the full health code, and the list is paged."""

from __future__ import annotations

import re

import pytest

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.models import Partnership


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    from yrkesbro.core.demo import load_demo

    load_demo()


def test_pulses_and_network_equal_the_full_health_code(demo):  # type: ignore[no-untyped-def]
    qs = Partnership.objects.all()
    rows = selectors.with_health(qs.prefetch_related("parties__organisation"))
    assert rows
    pulse = selectors.pulses(qs)
    for partnership, health in rows:
        light = pulse[partnership.pk]
        assert (light.forums, light.held, light.expected) == (
            health.forums,
            health.held,
            health.expected,
        )
        assert light.cadence_kept == health.cadence_kept
        assert light.anchored == health.anchored
        assert light.tightness == health.tightness
    full, light_net = selectors.network(rows), selectors.county_network(qs, pulse)
    assert light_net.nodes == full.nodes
    strip = [{k: v for k, v in e.items() if k != "names"} for e in full.edges]
    assert [{k: v for k, v in e.items() if k != "names"} for e in light_net.edges] == strip
    chart_ids = re.compile(r"ybc\d+")  # each chart on a page gets its own id prefix
    assert chart_ids.sub("ybc", light_net.svg) == chart_ids.sub("ybc", full.svg)
