"""Stored figures (``core.figures``): read while current, computed on the request when live,
else answered as they were while the worker is asked for new ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from yrkesbro.core import figures
from yrkesbro.core.models import StoredFigures

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self) -> None:
        self.builds = 0
        self.asked = 0

    def build(self) -> dict[str, int]:
        self.builds += 1
        return {"n": self.builds}

    def ask(self) -> None:
        self.asked += 1


def test_current_figures_are_read_not_built() -> None:
    c = Counter()
    first = figures.read("k", ("v", 1), c.build, live=True, ask_worker=c.ask)
    again = figures.read("k", ("v", 1), c.build, live=True, ask_worker=c.ask)
    assert first.data == again.data == {"n": 1} and c.builds == 1 and not again.updating


def test_out_of_date_figures_are_built_when_live_and_kept_while_the_worker_works() -> None:
    c = Counter()
    figures.read("k", 1, c.build, live=False, ask_worker=c.ask)  # first ever: built
    live = figures.read("k", 2, c.build, live=True, ask_worker=c.ask)
    assert live.data == {"n": 2} and not live.updating and c.asked == 0
    waiting = figures.read("k", 3, c.build, live=False, ask_worker=c.ask)
    assert waiting.data == {"n": 2} and waiting.updating and c.asked == 1 and c.builds == 2
    done = figures.refresh("k", 3, c.build)
    assert done.data == {"n": 3} and c.builds == 3
    figures.refresh("k", 3, c.build)  # twice: nothing to do
    assert c.builds == 3
    assert figures.read("k", 3, c.build, live=False, ask_worker=c.ask).data == {"n": 3}


def test_figures_older_than_the_bound_count_as_out_of_date() -> None:
    c = Counter()
    figures.read("k", 1, c.build, live=True, ask_worker=c.ask)
    old = timezone.now() - figures.MAX_AGE - dt.timedelta(minutes=1)
    StoredFigures.objects.filter(key="k").update(computed_at=old)
    assert figures.read("k", 1, c.build, live=True, ask_worker=c.ask).data == {"n": 2}


def test_figures_nobody_computed_for_a_week_are_pruned_by_the_daily_sweep() -> None:
    from yrkesbro.core.tasks import daily_sweep

    c = Counter()
    figures.read("old", 1, c.build, live=True, ask_worker=c.ask)
    figures.read("new", 1, c.build, live=True, ask_worker=c.ask)
    week_ago = timezone.now() - figures.KEEP - dt.timedelta(minutes=1)
    StoredFigures.objects.filter(key="old").update(computed_at=week_ago)
    results = daily_sweep.call()
    assert results["yrkesbro.core.figures.prune"] == 1
    assert list(StoredFigures.objects.values_list("key", flat=True)) == ["new"]
