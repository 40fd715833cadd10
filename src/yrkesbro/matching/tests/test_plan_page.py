"""The plan page reads stored matches for a page of needs in a constant number of queries,
and never scores the catalogue for more than a few needs on a request; at national scale
neither it nor a single need's page and API scores anything on a request."""

from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

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


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_a_need_without_stored_matches_waits_for_the_worker_at_national_scale(
    setup: Setup, monkeypatch
) -> None:
    """Its page and API score nothing, say the matches are coming, and put the need in the
    worker's queue once however often they are asked; stored matches are then shown."""
    need = make_need(setup.world.a.org, ["demens"], people=4)
    monkeypatch.setattr(selectors, "LIVE_MAX_OFFERINGS", 0)
    rank = selectors.scoring.rank

    def no_scoring(*args, **kwargs):
        raise AssertionError("a page scored a need live at national scale")

    monkeypatch.setattr(selectors.scoring, "rank", no_scoring)
    c = client_for(setup.world.a.viewer)
    for _ in range(2):
        page = c.get(reverse("matching:need", args=[need.pk]))
        assert page.status_code == 200
        assert page.context["waiting"] and not page.context["matches"]
        assert "blir beregnet i bakgrunnen" in page.content.decode()
        api = c.get(f"/api/v1/needs/{need.pk}/matches")
        assert api.status_code == 200 and api.json()["items"] == []
    queued = DBTaskResult.objects.filter(task_path=tasks.refresh_need.module_path)
    assert [(r.status, r.args_kwargs["args"]) for r in queued] == [("READY", [need.pk])]

    monkeypatch.setattr(selectors.scoring, "rank", rank)
    tasks.refresh_need.call(need.pk)  # what the worker does with the queued task
    monkeypatch.setattr(selectors.scoring, "rank", no_scoring)
    page = c.get(reverse("matching:need", args=[need.pk]))
    assert not page.context["waiting"] and page.context["precomputed"]
    assert page.context["matches"][0].offering == setup.near
    assert c.get(f"/api/v1/needs/{need.pk}/matches").json()["items"][0]["offering_id"] == (
        setup.near.pk
    )


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
