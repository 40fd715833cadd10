"""A school's demand aggregates are served from the cache, and every change they depend on
gives a fresh answer (``matching.demand.school_demand``, ``core.caching``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from yrkesbro.matching import selectors
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import CompetenceArea

from .conftest import Setup, make_need


def test_the_second_reading_is_served_from_the_cache(setup: Setup) -> None:
    school = setup.school.org
    with CaptureQueriesContext(connection) as first:
        cold = selectors.school_demand(school)
    with CaptureQueriesContext(connection) as second:
        warm = selectors.school_demand(school)
    assert len(second.captured_queries) < len(first.captured_queries)
    assert (warm.count, warm.people, warm.lead_total) == (cold.count, cold.people, cold.lead_total)
    assert [a.code for a in warm.areas] == [a.code for a in cold.areas]
    assert warm.page(1).object_list  # the needs themselves are read for the page


def test_every_change_it_reads_gives_a_fresh_answer(setup: Setup) -> None:
    school = setup.school.org
    before = selectors.school_demand(school)
    hamar = Organisation.objects.get(name="Hamar")

    # A new published need in reach.
    need = make_need(hamar, ["kreft"], people=5)
    after_need = selectors.school_demand(school)
    assert after_need.count == before.count + 1
    assert after_need.people == before.people + 5

    # Its areas changed, the need itself untouched.
    need.areas.set(CompetenceArea.objects.filter(code="demens"))
    areas = {a.code: a.people for a in selectors.school_demand(school).areas}
    assert areas.get("kreft", 0) == sum(a.people for a in before.areas if a.code == "kreft")

    # A partnership with the needing organisation: no longer a lead.
    from yrkesbro.collaboration.models import Partnership, PartnershipParty

    assert hamar in {lead.organisation for lead in selectors.school_demand(school).leads}
    p = Partnership.objects.create(name="Kreftløftet", purpose="Samarbeid")
    PartnershipParty.objects.create(partnership=p, organisation=school)
    PartnershipParty.objects.create(partnership=p, organisation=hamar)
    assert hamar not in {lead.organisation for lead in selectors.school_demand(school).leads}

    # The need withdrawn from publication.
    need.delete()
    assert selectors.school_demand(school).count == before.count


def test_area_names_follow_the_readers_language(setup: Setup) -> None:
    school = setup.school.org
    with translation.override("nb"):
        nb = {a.code: a.name for a in selectors.school_demand(school).areas}
    with translation.override("en"):
        en = {a.code: a.name for a in selectors.school_demand(school).areas}
    demens = CompetenceArea.objects.get(code="demens")
    assert nb["demens"] == demens.name_nb and en["demens"] == demens.name_en
    assert demens.name_nb != demens.name_en


def test_a_renamed_area_shows_its_new_name_at_once(setup: Setup) -> None:
    """Area names are part of the cached figures; a taxonomy change (each bumps the
    taxonomy version) gives a fresh answer instead of the old name for up to an hour."""
    from yrkesbro.taxonomy import services as taxonomy

    school = setup.school.org
    with translation.override("nb"):
        assert "demens" in {a.code for a in selectors.school_demand(school).areas}
        taxonomy.area_update(
            actor=setup.world.platform_admin,
            area=CompetenceArea.objects.get(code="demens"),
            data={"name_nb": "Demens og kognitiv svikt"},
        )
        names = {a.code: a.name for a in selectors.school_demand(school).areas}
    assert names["demens"] == "Demens og kognitiv svikt"


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_at_national_scale_the_last_figures_are_shown_while_the_worker_computes(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """Above ``LIVE_MAX_NEEDS`` a change anywhere does not cost the next view the full scan:
    the page shows the last figures, says so, and asks the worker once."""
    from django_tasks_db.models import DBTaskResult

    from yrkesbro.matching import demand, tasks

    monkeypatch.setattr(demand, "LIVE_MAX_NEEDS", 0)
    school = setup.school.org
    first = selectors.school_demand(school)  # nothing stored yet: computed now
    assert not first.updating and first.computed_at is not None
    hamar = Organisation.objects.get(name="Hamar")
    make_need(hamar, ["kreft"], people=5)
    demand._shared_version.clear()  # VERSION_SECONDS later (see the test below)
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_school_demand.module_path)
    waiting.delete()

    client = Client()
    client.force_login(setup.school.admin)
    url = f"/matching/schools/{school.pk}/"
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.get(url)
    assert page.status_code == 200
    shown = page.context["demand"]
    assert shown.updating and (shown.count, shown.people) == (first.count, first.people)
    assert "nye tall blir beregnet i bakgrunnen" in page.content.decode()  # bokmål by default
    assert not any("SUM" in q["sql"] for q in queries.captured_queries)  # no aggregate ran
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert waiting.count() == 1  # asked once, however often the page is read

    assert tasks.refresh_school_demand.call(school.pk)
    after = selectors.school_demand(school)
    assert not after.updating
    assert (after.count, after.people) == (first.count + 1, first.people + 5)
    stamp = after.computed_at
    tasks.refresh_school_demand.call(school.pk)  # twice: nothing to do
    assert selectors.school_demand(school).computed_at == stamp


def test_at_national_scale_every_school_shares_the_version_for_a_few_seconds(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version's aggregates over every published need are read once per
    ``VERSION_SECONDS`` in a process; a change is seen after that, and the worker's refresh
    always reads them afresh."""
    from yrkesbro.matching import demand

    monkeypatch.setattr(demand, "LIVE_MAX_NEEDS", 0)
    school = setup.school.org
    first = selectors.school_demand(school)

    def version_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.school_demand(school)
        return sum('MAX("needs_need"."updated_at")' in q["sql"] for q in queries.captured_queries)

    assert version_reads() == 0  # within the interval: shared
    make_need(Organisation.objects.get(name="Hamar"), ["kreft"], people=5)
    assert selectors.school_demand(school).count == first.count  # not seen yet
    refreshed = selectors.school_demand(school, refresh=True)
    assert refreshed.count == first.count + 1  # the worker reads the version afresh
    demand._shared_version.clear()  # the interval over
    assert version_reads() == 1
    assert selectors.school_demand(school).count == first.count + 1

    monkeypatch.setattr(demand, "LIVE_MAX_NEEDS", 10_000)  # a small country: every view
    assert version_reads() == 1


def test_a_small_country_computes_out_of_date_figures_on_the_request(setup: Setup) -> None:
    school = setup.school.org
    before = selectors.school_demand(school)
    make_need(Organisation.objects.get(name="Hamar"), ["kreft"], people=5)
    after = selectors.school_demand(school)
    assert not after.updating and after.count == before.count + 1
    assert after.computed_at is not None and after.computed_at >= before.computed_at


def test_figures_older_than_the_bound_are_computed_again(setup: Setup) -> None:
    """A change the version cannot see (a write past the signals) lasts an hour at most."""
    import datetime as dt

    from yrkesbro.core.models import StoredFigures

    school = setup.school.org
    selectors.school_demand(school)
    old = timezone.now() - dt.timedelta(hours=2)
    StoredFigures.objects.filter(key=f"matching:demand:{school.pk}").update(computed_at=old)
    again = selectors.school_demand(school)
    assert again.computed_at is not None and again.computed_at > old
