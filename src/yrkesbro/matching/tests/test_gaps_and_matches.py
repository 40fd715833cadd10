"""Gap figures against an independent brute-force count; matches stored and read back."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from yrkesbro.catalogue.models import NationalPlan, Offering, OfferingStatus, Programme
from yrkesbro.matching import scoring, selectors, tasks
from yrkesbro.matching.models import MatchResult
from yrkesbro.needs.models import Need, Status
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import OrganisationFactory

from .conftest import Setup, future, make_need, offering


def brute_force(needs: list[Need]) -> dict[str, tuple[int, int, int]]:
    """For each area: people needed, offerings in reach, people unmet — one pair at a time."""
    today = timezone.localdate()
    offerings = [
        o
        for o in Offering.objects.select_related("programme", "municipality")
        if o.status in ("planned", "open") and o.start_date >= today
    ]
    out: dict[str, tuple[int, int, int]] = {}
    for area in CompetenceArea.objects.all():
        plans = set(area.national_plans.values_list("pk", flat=True))
        own = set(area.own_programmes.values_list("pk", flat=True))
        mine = [n for n in needs if area in n.areas.all()]
        if not mine:
            continue
        people = reach_ids = unmet = 0
        reached: set[int] = set()
        for need in mine:
            people += need.people
            limit = float(
                need.max_travel_km or (need.max_travel_minutes or 0) or scoring.DEFAULT_REACH_KM
            )
            found = False
            for o in offerings:
                if o.programme.national_plan_id not in plans and o.programme_id not in own:
                    continue
                if o.delivery == "online":
                    ok = True
                elif o.municipality is None or o.municipality.latitude is None:
                    ok = False
                else:
                    org = need.organisation
                    ok = (
                        scoring.haversine_km(
                            org.latitude,
                            org.longitude,
                            o.municipality.latitude,
                            o.municipality.longitude,
                        )
                        <= limit
                    )
                if ok:
                    found = True
                    reached.add(o.pk)
            if not found:
                unmet += need.people
        reach_ids = len(reached)
        out[area.code] = (people, reach_ids, unmet)
    return out


def test_gaps_equal_a_brute_force_count(setup: Setup) -> None:
    rng = random.Random(7)
    munis = [setup.world.a.org, setup.world.b.org] + [
        OrganisationFactory(
            name=f"K{i}", latitude=58 + rng.random() * 10, longitude=5 + rng.random() * 20
        )
        for i in range(12)
    ]
    codes = ["demens", "kreft", "aldring", "flerkulturell", "rehabilitering", "velferdsteknologi"]
    # Own areas: one beyond the cancer plan, and a programme with no plan at all.
    setup.cancer.competence_areas.add(CompetenceArea.objects.get(code="flerkulturell"))
    planless = Programme.objects.create(
        school=setup.school.org, title="Rehabilitering i hjemmet", field="health", credits=60
    )
    planless.competence_areas.add(CompetenceArea.objects.get(code="rehabilitering"))
    progs = [setup.dementia, setup.cancer, planless]
    for i in range(20):
        offering(
            rng.choice(progs),
            None if i % 7 == 0 else rng.choice(munis),
            status=rng.choice(["open", "open", "full", "planned"]),
        )
    for _ in range(60):
        make_need(
            rng.choice(munis),
            rng.sample(codes, rng.randint(1, 3)),
            people=rng.randint(1, 40),
            max_travel_km=rng.choice([None, 50, 150, 400]),
            status=rng.choice([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]),
        )
    published = list(
        selectors.published_needs().select_related("organisation").prefetch_related("areas")
    )
    expected = brute_force(published)
    got = {
        r.code: (r.people_needed, r.offerings_in_reach, r.people_unmet)
        for r in selectors.gaps(selectors.Region())
    }
    assert got == expected
    assert any(v[2] for v in got.values()) and any(v[1] for v in got.values())
    # A region of the user's choice counts only its needs.
    region = selectors.Region(municipalities=[munis[2], munis[3]])
    mine = [n for n in published if n.organisation_id in (munis[2].pk, munis[3].pk)]
    got_region = {
        r.code: (r.people_needed, r.offerings_in_reach, r.people_unmet)
        for r in selectors.gaps(region)
    }
    assert got_region == brute_force(mine)


def test_gaps_by_county_and_area(setup: Setup) -> None:
    make_need(setup.world.b.org, ["flerkulturell"], people=9)  # Beta is not in the county
    region = selectors.region_from("34")
    rows = selectors.gaps(region)
    assert [(r.code, r.people_needed) for r in rows] == [("demens", 12)]
    assert rows[0].offerings_in_reach == 2  # Hamar and online; Bergen is beyond 100 km
    assert rows[0].people_unmet == 0
    nation = {r.code: r for r in selectors.gaps(selectors.Region())}
    assert nation["flerkulturell"].people_unmet == 9
    assert [r.code for r in selectors.gaps(selectors.Region(), area="demens")] == ["demens"]


def test_dementia_offerings_rank_first_with_reasons(setup: Setup) -> None:
    shown, precomputed = selectors.need_matches(setup.need)
    assert not precomputed
    first = shown[0]
    assert first.offering == setup.near
    texts = [f.text for f in first.factors]
    assert "Covers Dementia via national plan DEMENS" in texts
    assert "20 km from Alfa to Hamar" in texts
    assert shown[-1].offering in (setup.far, setup.cancer_near)
    far = next(s for s in shown if s.offering == setup.far)
    assert far.match.factor("distance").score == scoring.FAR_PENALTY


def test_stored_results_are_read_until_something_changes(setup: Setup) -> None:
    tasks.store(setup.need)
    # The cancer course has nothing in common with the dementia need: not stored at all.
    assert MatchResult.objects.filter(need=setup.need).count() == 3
    assert not MatchResult.objects.filter(need=setup.need, offering=setup.cancer_near).exists()
    shown, precomputed = selectors.need_matches(setup.need)
    assert precomputed and shown[0].offering == setup.near
    setup.near.status = OfferingStatus.FULL
    setup.near.save()
    shown, precomputed = selectors.need_matches(setup.need)
    # The change is marked, not computed on the page: the old ranking is shown until the
    # worker has run.
    assert precomputed and shown[0].offering == setup.near
    assert MatchResult.objects.filter(need=setup.need, stale=True).exists()
    assert tasks.refresh_stale_now() == 1
    assert not MatchResult.objects.filter(stale=True).exists()
    shown, precomputed = selectors.need_matches(setup.need)
    assert precomputed and shown[0].offering != setup.near


def test_refresh_drops_results_of_a_withdrawn_need(setup: Setup) -> None:
    tasks.store(setup.need)
    Need.objects.filter(pk=setup.need.pk).update(status=Status.WITHDRAWN)
    tasks.refresh_need.call(setup.need.pk)
    assert not MatchResult.objects.filter(need=setup.need).exists()


def test_school_demand_and_leads(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    hamar = Organisation.objects.get(name="Hamar")
    make_need(hamar, ["kreft"], people=5, urgency="high")
    # Bergen: beyond reach of Innlandet's campus offerings, and its staff cannot attend the
    # online one (which would reach it from anywhere).
    make_need(setup.world.b.org, ["demens"], people=3, online_ok=False)
    demand = selectors.school_demand(setup.school.org)
    needs = demand.page(1).object_list
    assert demand.count == len(needs)
    assert {d.need.organisation.name for d in needs} == {"Alfa", "Hamar"}
    assert demand.people == 17
    assert {lead.organisation.name for lead in demand.leads} == {"Alfa", "Hamar"}
    kreft = next(a for a in demand.areas if a.code == "kreft")
    assert (kreft.people, kreft.high, kreft.covered) == (5, 1, True)
    assert needs[0].need.urgency == "high"
    # A school that reaches the whole country sees the leads with the most people first,
    # cut in SQL, with the total.
    from yrkesbro.matching import demand as demand_module

    monkeypatch.setattr(demand_module, "LEADS_SHOWN", 1)
    cut = selectors.school_demand(setup.school.org)
    assert cut.lead_total == 2
    assert [lead.organisation.name for lead in cut.leads] == [
        max(demand.leads, key=lambda lead: lead.people).organisation.name
    ]


@pytest.mark.parametrize("partner", [True, False])
def test_a_partner_is_no_lead(setup: Setup, partner: bool) -> None:
    from yrkesbro.collaboration.models import Partnership, PartnershipParty

    if partner:
        p = Partnership.objects.create(name="Demensløftet", purpose="Samarbeid")
        PartnershipParty.objects.create(partnership=p, organisation=setup.school.org)
        PartnershipParty.objects.create(partnership=p, organisation=setup.world.a.org)
    leads = {lead.organisation for lead in selectors.school_demand(setup.school.org).leads}
    assert (setup.world.a.org in leads) is not partner


def test_a_need_past_its_future_deadline_still_matches(setup: Setup) -> None:
    need = make_need(setup.world.a.org, ["kreft"], deadline=future(30))
    shown, _ = selectors.need_matches(need)
    start = next(f for f in shown[0].factors if f.code == "start")
    assert start.score == 0.0 and "after your deadline" in start.text


def test_a_catalogue_change_marks_only_the_needs_it_can_affect(setup: Setup) -> None:
    cancer_need = make_need(setup.world.b.org, ["kreft"], people=5)
    tasks.store(setup.need)
    tasks.store(cancer_need)
    dementia_rows = MatchResult.objects.filter(need=setup.need)
    cancer_rows = MatchResult.objects.filter(need=cancer_need)
    # A new dementia offering can move the dementia need, not a cancer need that does not
    # rank it.
    new = offering(setup.dementia, setup.world.b.org)
    assert not cancer_rows.filter(offering=new).exists()
    assert dementia_rows.filter(stale=True).count() == dementia_rows.count()
    ranked_by_cancer = set(cancer_rows.values_list("offering_id", flat=True))
    assert new.pk not in ranked_by_cancer
    assert not cancer_rows.filter(stale=True).exists()
    assert tasks.refresh_stale_now() == 1  # the dementia need only
    # An offering the cancer need ranks marks it, whatever its plan.
    ranked = Offering.objects.get(pk=cancer_rows.order_by("rank").first().offering_id)
    ranked.seats = 3
    ranked.save()
    assert cancer_rows.filter(stale=True).exists()


def _uncovered_area() -> tuple[CompetenceArea, NationalPlan]:
    """A competence area no programme of the setup covers, and a plan that covers it."""
    area = (
        CompetenceArea.objects.filter(national_plans__isnull=False)
        .exclude(national_plans__code__in=["DEMENS", "KREFT"])
        .order_by("code")
        .first()
    )
    assert area is not None
    return area, area.national_plans.order_by("code").first()


def test_a_need_nothing_fits_is_computed_once_until_the_catalogue_can_fit_it(
    setup: Setup,
) -> None:
    tasks.refresh_stale_now()
    area, plan = _uncovered_area()
    lonely = make_need(
        setup.world.a.org, [area.code], description="Brøyting av veier om vinteren.", unit="Vei"
    )
    assert tasks.refresh_stale_now() == 1
    assert not MatchResult.objects.filter(need=lonely).exists()
    assert tasks.refresh_stale_now() == 0  # computed, none found: not computed again
    # The page answers "none" from what was computed instead of waiting for the worker.
    assert selectors.need_matches(lonely, live=False) == ([], True)
    # A programme of a plan covering its area can fit it: the need is computed again.
    prog = Programme.objects.create(
        school=setup.school.org, national_plan=plan, title="Ny", field="health", credits=30
    )
    new = offering(prog, None)
    assert tasks.refresh_stale_now() == 1
    assert list(MatchResult.objects.filter(need=lonely).values_list("offering_id", flat=True)) == [
        new.pk
    ]


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_refresh_stale_works_a_slice_at_a_time_and_queues_the_rest(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.refresh_stale.call()

    tasks.refresh_stale_now()
    needs = [make_need(setup.world.a.org, ["demens"]) for _ in range(3)]
    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(tasks, "SLICE_SECONDS", 0.0)  # one need per run
    assert run() == 1
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_stale.module_path)
    assert waiting.count() == 1  # the rest, behind whatever else waits
    assert run() == 1
    assert waiting.count() == 1  # not queued twice
    assert run() == 1
    assert MatchResult.objects.filter(need__in=needs).values("need").distinct().count() == 3
    waiting.delete()
    assert run() == 0
    assert not waiting.exists()  # nothing left, nothing queued


def test_a_need_that_stays_stale_does_not_keep_the_worker_busy(setup: Setup) -> None:
    """A need changed 'in the future' (a clock ahead) is still stale after its turn: the run
    ends instead of scoring it again and again."""
    tasks.refresh_stale_now()
    ahead = timezone.now() + dt.timedelta(days=1)
    Need.objects.filter(pk=setup.need.pk).update(updated_at=ahead)
    assert tasks.refresh_stale_now() == 1
    assert tasks.stale_needs().filter(pk=setup.need.pk).exists()  # as the clock says
