"""The county overview's light figures equal the full health code, and the list is paged."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

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


def test_a_large_network_keeps_its_strongest_couplings(demo):  # type: ignore[no-untyped-def]
    qs = Partnership.objects.all()
    pulse = selectors.pulses(qs)
    full = selectors.county_network(qs, pulse)
    assert len(full.edges) > 3 and full.total_edges == len(full.edges)
    cut = selectors.county_network(qs, pulse, max_edges=3)
    assert cut.total_edges == len(full.edges)
    assert len(cut.edges) == 3
    weights = sorted((e["weight"] for e in full.edges), reverse=True)
    assert sorted((e["weight"] for e in cut.edges), reverse=True) == weights[:3]
    joined = {e["a"] for e in cut.edges} | {e["b"] for e in cut.edges}
    assert {n["name"] for n in cut.nodes} == joined  # no organisation without a line


def test_the_county_page_says_when_the_figure_is_cut(client, demo, monkeypatch):  # type: ignore[no-untyped-def]
    from yrkesbro.accounts.models import Membership
    from yrkesbro.collaboration.views import overview

    membership = Membership.objects.filter(organisation__kind="county").first()
    assert membership is not None
    client.force_login(membership.user)
    monkeypatch.setattr(overview, "NETWORK_EDGES", 1)
    html = client.get(f"/collaboration/counties/{membership.organisation_id}/").content.decode()
    assert "Figuren viser de 1 sterkeste av" in html


def test_county_figures_are_cached_and_follow_every_recorded_write(demo):  # type: ignore[no-untyped-def]
    """A second reading is served from the cache; a meeting marked held through the service
    (which records an audit entry) and a meeting loaded without one both give fresh figures."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yrkesbro.accounts.models import Membership
    from yrkesbro.collaboration.models import Forum, Meeting
    from yrkesbro.collaboration.services import meetings
    from yrkesbro.core.policies import Role

    county = Membership.objects.filter(organisation__kind="county").first().organisation
    qs = selectors.in_county(county).filter(is_active=True)
    with CaptureQueriesContext(connection) as cold:
        first = selectors.county_figures(county, {}, qs)
        pulse, graph = first.pulses, first.network
    with CaptureQueriesContext(connection) as warm:
        second = selectors.county_figures(county, {}, qs)
        again, graph_again = second.pulses, second.network
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert {pk: (p.forums, p.held) for pk, p in again.items()} == {
        pk: (p.forums, p.held) for pk, p in pulse.items()
    }
    assert graph_again.svg == graph.svg

    forum = Forum.objects.filter(partnership__in=qs).first()
    assert forum is not None
    held_before = pulse[forum.partnership_id].held
    now = timezone.now()
    meeting = Meeting.objects.create(
        forum=forum,
        title="Ekstra møte",
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=1),
        status="held",
    )
    # Loaded without a service (no audit entry): the row count gives a new version.
    assert (
        selectors.county_figures(county, {}, qs).pulses[forum.partnership_id].held
        == held_before + 1
    )
    editor = (
        Membership.objects.filter(
            organisation__partnership_parties__partnership=forum.partnership,
            role=Role.ADMIN,
        )
        .select_related("user")
        .first()
    )
    assert editor is not None
    # Changed through the service (same row count, one more audit entry).
    meetings.meeting_update(actor=editor.user, meeting=meeting, data={"status": "cancelled"})
    fresh = selectors.county_figures(county, {}, qs).pulses
    assert fresh[forum.partnership_id].held == held_before
    assert fresh == selectors.pulses(qs)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_at_national_scale_the_overview_shows_its_last_figures_while_the_worker_computes(
    demo, monkeypatch, client, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """A change anywhere moves the version; with more structures than ``LIVE_MAX_PARTNERSHIPS``
    the unfiltered overview answers its last figures at once, says so and asks the worker
    once; a filtered one is computed on the request."""
    from django_tasks_db.models import DBTaskResult

    from yrkesbro.accounts.models import Membership
    from yrkesbro.collaboration import tasks

    monkeypatch.setattr(selectors, "LIVE_MAX_PARTNERSHIPS", 0)
    membership = Membership.objects.filter(organisation__kind="county").first()
    county = membership.organisation
    client.force_login(membership.user)
    url = f"/collaboration/counties/{county.pk}/"
    first = client.get(url).context["figures"]
    assert not first.updating
    Partnership.objects.create(name="Nytt samarbeid", purpose="x")  # anywhere: a new version
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_county_figures.module_path)
    waiting.delete()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(url)
        shown = page.context["figures"]
        assert shown.updating and shown.computed_at == first.computed_at
        assert "nye tall blir beregnet i bakgrunnen" in page.content.decode()
    assert waiting.count() == 1  # asked once
    assert not client.get(url + "?q=a").context["figures"].updating  # filtered: live
    assert tasks.refresh_county_figures.call(county.pk, "nb")
    after = client.get(url).context["figures"]
    assert not after.updating and after.computed_at > first.computed_at
    assert after.pulses == first.pulses  # the new structure has no party in the county


def test_a_name_typed_into_the_filter_is_never_stored(demo, client):  # type: ignore[no-untyped-def]
    """Free text would make a stored row per string typed; the fixed filters are stored."""
    from yrkesbro.accounts.models import Membership
    from yrkesbro.core.models import StoredFigures

    membership = Membership.objects.filter(organisation__kind="county").first()
    client.force_login(membership.user)
    url = f"/collaboration/counties/{membership.organisation_id}/"
    for q in ("a", "b", "c"):
        assert client.get(url, {"q": q}).status_code == 200
    assert not StoredFigures.objects.exists()
    client.get(url, {"bindingness": "written"})
    client.get(url)
    assert StoredFigures.objects.count() == 2
