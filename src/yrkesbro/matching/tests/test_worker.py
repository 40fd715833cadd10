"""Matches are recomputed by the real background worker (django-tasks database backend).

The worker closes database connections between tasks, so this test commits its data.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from yrkesbro.catalogue.models import OfferingStatus
from yrkesbro.matching import selectors
from yrkesbro.matching.models import MatchResult

from .conftest import Setup, make_need

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_writes_and_refreshes_match_results(setup: Setup) -> None:
    run_worker()  # the setup's own changes
    need = make_need(setup.world.a.org, ["demens"], people=4)
    assert not MatchResult.objects.filter(need=need).exists()  # nothing until the worker runs
    run_worker()
    ranked = list(MatchResult.objects.filter(need=need).order_by("rank"))
    assert [r.offering_id for r in ranked][:1] == [setup.near.pk]
    assert ranked[0].factors[0]["key"] == "area.covers"
    shown, precomputed = selectors.need_matches(need)
    assert precomputed and shown[0].offering == setup.near
    # A change in the catalogue marks the stored results it can move stale; they are shown
    # until the worker has recomputed them.
    setup.near.status = OfferingStatus.FULL
    setup.near.save()
    assert MatchResult.objects.filter(need=need, stale=True).exists()
    shown, precomputed = selectors.need_matches(need)
    assert precomputed and shown[0].offering == setup.near
    run_worker()
    assert not MatchResult.objects.filter(stale=True).exists()
    shown, precomputed = selectors.need_matches(need)
    assert precomputed and shown[0].offering != setup.near
