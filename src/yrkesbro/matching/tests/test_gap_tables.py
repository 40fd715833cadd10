"""The gap tables the worker keeps give the same figures as computing them on the spot,
also after incremental refreshes, and the pages read them and say when they were made."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from django.utils import timezone

from yrkesbro.catalogue.models import OfferingStatus, Programme
from yrkesbro.core import lru
from yrkesbro.matching import gap_tables, selectors, signals, tasks
from yrkesbro.matching.models import GapCell, GapRefresh, GapSummary
from yrkesbro.needs.models import Need, Status
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import OrganisationFactory

from .conftest import Setup, make_need, offering

CODES = ["demens", "kreft", "aldring", "flerkulturell", "rehabilitering"]


def figures(rows: list[selectors.GapRow]) -> list[tuple]:
    return [(r.code, r.needs, r.people_needed, r.offerings_in_reach, r.people_unmet) for r in rows]


def live(region: selectors.Region) -> list[tuple]:
    return figures(selectors.compute_gaps(region))


def stored(region: selectors.Region) -> list[tuple]:
    return figures(selectors.gaps(region))


def world(setup: Setup, rng: random.Random) -> list[Organisation]:
    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    munis = [setup.world.a.org, setup.world.b.org] + [
        OrganisationFactory(
            name=f"K{i}",
            latitude=58 + rng.random() * 10,
            longitude=5 + rng.random() * 20,
            county=county if i % 2 else None,
        )
        for i in range(8)
    ]
    # Own areas count as the plan's do: one beyond the dementia plan, one without a plan.
    setup.dementia.competence_areas.add(CompetenceArea.objects.get(code="flerkulturell"))
    planless = Programme.objects.create(
        school=setup.school.org, title="Rehabilitering", field="health", credits=60
    )
    planless.competence_areas.add(CompetenceArea.objects.get(code="rehabilitering"))
    for i in range(12):
        offering(
            rng.choice([setup.dementia, setup.cancer, planless]),
            None if i % 5 == 0 else rng.choice(munis),
            status=rng.choice(["open", "full", "planned"]),
        )
    for _ in range(40):
        make_need(
            rng.choice(munis),
            rng.sample(CODES, rng.randint(1, 2)),
            people=rng.randint(1, 30),
            max_travel_km=rng.choice([None, 50, 150, 400]),
            status=rng.choice([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]),
        )
    return munis


@pytest.mark.django_db
def test_tables_equal_the_live_count_for_the_nation_and_a_county(setup: Setup) -> None:
    world(setup, random.Random(3))
    nation, county = selectors.Region(), selectors.region_from("34")
    expected = (live(nation), live(county))
    assert expected[0] and expected[1]
    assert gap_tables.last_refresh() is None  # nothing stored yet: computed live
    assert gap_tables.refresh() > 0
    assert gap_tables.last_refresh() is not None
    assert (stored(nation), stored(county)) == expected
    # Running it twice changes nothing.
    cells = GapCell.objects.count()
    gap_tables.refresh()
    assert GapCell.objects.count() == cells
    assert (stored(nation), stored(county)) == expected
    # The tables answer with a few queries, whatever the data.
    assert GapSummary.objects.filter(county__isnull=True).count() == len(expected[0])


@pytest.mark.django_db
def test_incremental_refreshes_equal_a_full_one(setup: Setup) -> None:
    rng = random.Random(5)
    munis = world(setup, rng)
    gap_tables.refresh()
    nation = selectors.Region()
    # A need changes: only its organisation's cells are recomputed.
    need = make_need(munis[3], ["demens", "kreft"], people=17, status=Status.PUBLISHED)
    other = GapCell.objects.exclude(organisation=munis[3]).order_by("pk").first()
    gap_tables.refresh(organisations=[need.organisation_id])
    assert GapCell.objects.filter(pk=other.pk).exists()  # untouched
    assert stored(nation) == live(nation)
    Need.objects.filter(pk=need.pk).update(status=Status.WITHDRAWN)
    gap_tables.refresh(organisations=[need.organisation_id])
    assert stored(nation) == live(nation)
    # An offering of a plan changes: the cells of that plan's areas are recomputed.
    new = offering(setup.dementia, munis[4], status=OfferingStatus.OPEN)
    gap_tables.refresh(plans=[new.programme.national_plan_id])
    assert stored(nation) == live(nation)
    assert stored(selectors.region_from("34")) == live(selectors.region_from("34"))


@pytest.mark.django_db
def test_a_refresh_from_another_day_is_not_read_and_the_next_one_is_full(setup: Setup) -> None:
    world(setup, random.Random(9))
    gap_tables.refresh()
    GapRefresh.objects.update(valid_on=timezone.localdate() - timezone.timedelta(days=1))
    assert gap_tables.last_refresh() is None
    GapCell.objects.all().delete()  # an organisation-only refresh still rebuilds everything
    gap_tables.refresh(organisations=[setup.world.a.org.pk])
    assert stored(selectors.Region()) == live(selectors.Region())


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def enqueue(self, *args: object) -> None:
        self.calls.append(args)


@pytest.mark.django_db
def test_changes_enqueue_the_narrowest_refresh(
    setup: Setup, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(tasks, "refresh_gaps", recorder)
    # The fixture's writes left their own refreshes waiting for a commit that never comes
    # in a test; one refresh per scope and transaction would hide ours behind them.
    transaction.get_connection().run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_need(setup.world.a.org, ["demens"], people=3)
    assert ([setup.world.a.org.pk], None) in recorder.calls
    recorder.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offering(setup.dementia, setup.world.a.org)
    assert recorder.calls == [(None, [setup.dementia.national_plan_id])]
    assert signals  # the receivers are connected by the app


@pytest.mark.django_db
def test_the_page_and_export_say_when_the_figures_were_made(setup: Setup, client) -> None:
    world(setup, random.Random(11))
    page = client.get("/matching/gaps/")
    assert page.status_code == 200
    assert "refreshed" not in page.context or page.context["refreshed"] is None
    gap_tables.refresh()
    page = client.get("/matching/gaps/")
    assert page.context["refreshed"] is not None
    assert [(r.code, r.people_unmet) for r in page.context["rows"]] == [
        (r.code, r.people_unmet) for r in selectors.compute_gaps(selectors.Region())
    ]
    body = client.get("/matching/gaps/data.json").json()
    assert body["refreshed"]
    # A region of the reader's own choice is computed on the spot.
    muni = setup.world.a.org
    muni.number = "3407"
    muni.save()
    lru.clear_all()  # the filters' places are kept a minute per process; as a minute later
    chosen = client.get(f"/matching/gaps/?municipality={muni.number}")
    assert chosen.status_code == 200
    assert chosen.context["refreshed"] is None
