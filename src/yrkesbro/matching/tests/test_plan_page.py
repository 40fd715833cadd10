"""The plan page reads stored matches for a page of needs in a constant number of queries,
and never scores the catalogue for more than a few needs on a request."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesbro.matching import selectors, tasks
from yrkesbro.needs.models import CompetencePlan

from .conftest import Setup, make_need
from .test_pages_and_api import client_for


def plan_with_needs(setup: Setup, n: int) -> CompetencePlan:
    plan = CompetencePlan.objects.create(
        organisation=setup.world.a.org,
        title="Plan",
        start_year=2026,
        end_year=2029,
        visibility="internal",
    )
    for i in range(n):
        make_need(setup.world.a.org, ["demens"], people=i + 1, plan=plan)
    return plan


def test_needs_beyond_the_live_limit_wait_for_the_worker(setup: Setup) -> None:
    plan = plan_with_needs(setup, selectors.LIVE_PER_PAGE + 2)
    page = client_for(setup.world.a.viewer).get(reverse("matching:plan", args=[plan.pk]))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert sum(1 for _need, shown in rows if shown is None) == 2
    assert sum(1 for _need, shown in rows if shown) == selectors.LIVE_PER_PAGE
    assert "blir beregnet i bakgrunnen" in page.content.decode()


def test_a_national_catalogue_scores_nothing_live_on_the_plan_page(
    setup: Setup, monkeypatch
) -> None:
    """Above ``LIVE_MAX_OFFERINGS`` candidates every need without stored matches waits for
    the worker; the stored ones are still shown."""
    plan = plan_with_needs(setup, 3)
    stored = plan.needs.order_by("deadline", "pk").first()
    tasks.store(stored)
    monkeypatch.setattr(selectors, "LIVE_MAX_OFFERINGS", 0)

    def no_scoring(*args, **kwargs):
        raise AssertionError("a list page scored a need live at national scale")

    monkeypatch.setattr(selectors.scoring, "rank", no_scoring)
    page = client_for(setup.world.a.viewer).get(reverse("matching:plan", args=[plan.pk]))
    assert page.status_code == 200
    shown = {need.pk: found for need, found in page.context["rows"]}
    assert shown[stored.pk]
    assert [pk for pk, found in shown.items() if found is None] == [
        n.pk for n in plan.needs.order_by("deadline", "pk")[1:]
    ]
    assert "blir beregnet i bakgrunnen" in page.content.decode()


def test_stored_matches_are_read_in_constant_queries(setup: Setup) -> None:
    c = client_for(setup.world.a.viewer)

    def queries(plan: CompetencePlan) -> int:
        for need in plan.needs.all():
            tasks.store(need)
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(reverse("matching:plan", args=[plan.pk]))
        assert page.status_code == 200
        assert all(shown for _need, shown in page.context["rows"])
        return len(ctx.captured_queries)

    small = queries(plan_with_needs(setup, 2))
    large = queries(plan_with_needs(setup, 12))
    assert small == large


def test_the_programme_terms_cache_is_bounded(setup: Setup, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "MAX_CACHED_PROGRAMMES", 1)
    selectors._programme_terms.clear()
    ids = {setup.dementia.pk, setup.cancer.pk}
    terms = selectors.programme_terms(ids)
    assert set(terms) == ids and all(terms.values())  # the answer is whole
    assert len(selectors._programme_terms) == 1  # the memory is not
