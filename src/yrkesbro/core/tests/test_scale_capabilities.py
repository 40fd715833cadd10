"""``yrkesbro seed-scale`` builds every capability's data, deterministically, on both databases."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import Offering, Programme, SearchPosting
from yrkesbro.collaboration.models import (
    ActionItem,
    Agreement,
    AgreementVersion,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
)
from yrkesbro.core.scale import APP_SCALE_MODULES, Scale, all_steps, seed_scale, synthetic_counts
from yrkesbro.health import scale as health_scale
from yrkesbro.health.models import Answer, IndicatorValue, Response, Round
from yrkesbro.matching.models import MatchResult, Request, RequestEvent
from yrkesbro.needs import scale as needs_scale
from yrkesbro.needs.models import CompetencePlan, Need, Status
from yrkesbro.vet import scale as vet_scale
from yrkesbro.vet.models import Assessment, Demand, Hospitering, Offer, Placement, SupplyDemand
from yrkesbro.workforce import scale as workforce_scale
from yrkesbro.workforce.models import Employee, Enrolment, EnrolmentStatus, ProgrammeOutcome

pytestmark = pytest.mark.django_db

FACTOR = 0.02


def seed(factor: float = FACTOR) -> str:
    out = StringIO()
    call_command("seed_scale", factor=factor, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    return sorted(
        (
            need.organisation.number,
            need.unit,
            need.people,
            need.status,
            need.visibility,
            need.urgency,
            tuple(sorted(need.areas.values_list("code", flat=True))),
        )
        for need in Need.objects.filter(unit__contains=needs_scale.MARK).select_related(
            "organisation"
        )
    )


def later_fingerprint() -> dict[str, list[tuple]]:
    """The rows of the workforce, VET and survey steps, by their values (not their ids)."""
    return {
        "enrolments": sorted(
            Enrolment.objects.filter(employee__unit=workforce_scale.UNIT).values_list(
                "employee__full_name",
                "organisation__number",
                "programme__code",
                "status",
                "enrolled_on",
                "ended_on",
            )
        ),
        "placements": sorted(
            Placement.objects.filter(pupil_name__endswith=vet_scale.PUPIL_MARK).values_list(
                "pupil_name",
                "offer__organisation__name",
                "offer__trade__code",
                "school__name",
                "starts_on",
            )
        ),
        "rounds": sorted(
            (str(r.partnership), r.opened_at, r.closes_on)
            for r in Round.objects.filter(is_demo=True).select_related("partnership")
        ),
        "answers": sorted(
            (opened, code, -1 if value is None else value)
            for opened, code, value in Answer.objects.filter(
                response__round__is_demo=True
            ).values_list("response__round__opened_at", "item__code", "value")
        ),
    }


def test_every_capability_gets_its_rows_in_proportion() -> None:
    output = seed()
    counts = synthetic_counts()
    assert counts["programmes"] == 40
    assert counts["offerings"] == 80
    assert 0 < counts["programme_own_areas"] <= 40 * 2  # one in five names 1-2 own areas
    assert counts["plans"] == 20
    assert counts["needs"] == 400
    assert counts["partnerships"] == 100
    assert counts["forums"] == 200
    assert counts["meetings"] == 1000
    assert counts["agreements"] == 100
    assert counts["requests"] == 40
    # Matches are stored for round(2000·F) matched needs, 25 offerings at most each.
    matched = MatchResult.objects.values("need_id").distinct().count()
    assert matched == 40
    assert 0 < counts["match_results"] <= 40 * 25
    # Workforce: round(14,000·F) employees, each with one enrolment; the public figures.
    assert counts["employees"] == counts["enrolments"] == 280
    employees = Employee.objects.filter(unit=workforce_scale.UNIT)
    assert not employees.filter(is_demo=False).exists()
    statuses = set(
        Enrolment.objects.filter(employee__in=employees).values_list("status", flat=True)
    )
    assert EnrolmentStatus.COMPLETED in statuses and EnrolmentStatus.ENROLLED in statuses
    assert (
        not Enrolment.objects.filter(employee__in=employees)
        .exclude(programme__code__startswith="SCALE-P-")
        .exists()
    )
    assert ProgrammeOutcome.objects.exists()
    # VET: offers of the synthetic companies, demand of the synthetic schools, round(20,000·F)
    # placements in the school's county (some assessed by both sides), round(1,000·F)
    # exchanges, and the supply/demand table.
    assert counts["vet_offers"] > 0
    assert (
        Offer.objects.filter(organisation__name__startswith="Syntetisk ").count()
        == counts["vet_offers"]
    )
    assert Demand.objects.filter(school__name__startswith="Syntetisk ").exists()
    assert counts["vet_placements"] == 400
    for placement in Placement.objects.select_related("offer__organisation", "school")[:50]:
        assert placement.school.county_id == placement.offer.organisation.county_id
    assert (
        Assessment.objects.filter(side="school").count()
        == Assessment.objects.filter(side="workplace").count()
    )
    assert Assessment.objects.exists()
    assert counts["hospiterings"] == 20
    for item in Hospitering.objects.select_related("partnership")[:20]:
        assert item.partnership.parties.filter(organisation=item.school).exists()
        assert item.partnership.parties.filter(organisation=item.workplace).exists()
    assert SupplyDemand.objects.exists()
    # Surveys: round(20,000·F) responses in closed rounds of eight on synthetic partnerships,
    # one value per scale item; the indicators computed from them.
    assert counts["survey_responses"] == 400
    assert counts["survey_rounds"] == 50
    assert not Round.objects.filter(is_demo=True, closed_at__isnull=True).exists()
    assert Answer.objects.filter(response__round__is_demo=True).count() >= 400 * 5
    assert IndicatorValue.objects.filter(code__startswith="pulse:").exclude(value=None).exists()
    assert Response.objects.count() == 400

    # The progress bar is drawn, and every step reports.
    assert "[" in output and "#" in output
    for step in all_steps():
        assert f"  {step.name} " in output

    # Programmes are indexed for search as a save would index them, and can be found.
    programme = Programme.objects.filter(code__startswith="SCALE-P-").first()
    assert programme is not None
    assert SearchPosting.objects.filter(programme=programme).exists()
    assert programme.search_length > 0
    assert search.rank("demens")
    assert not Offering.objects.filter(code__startswith="SCALE-O-", is_demo=False).exists()

    # Needs have areas and, mostly, plans of their own organisation.
    needs = Need.objects.filter(unit__contains=needs_scale.MARK)
    assert not needs.filter(areas__isnull=True).exists()
    assert needs.filter(plan__isnull=False).exists()
    for need in needs.filter(plan__isnull=False).select_related("plan")[:50]:
        assert need.plan.organisation_id == need.organisation_id
    published = needs.filter(status=Status.PUBLISHED).count()
    assert 0.4 < published / 400 < 0.8
    assert CompetencePlan.objects.filter(is_demo=True).count() == 20

    # Partnerships carry forums with past and planned meetings, agreements with a version.
    partnership = Partnership.objects.filter(is_demo=True).first()
    assert partnership is not None
    assert partnership.parties.count() >= 2
    assert Forum.objects.filter(partnership=partnership).count() == 2
    assert Meeting.objects.filter(status=MeetingStatus.HELD).exists()
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).exists()
    assert ActionItem.objects.exists()
    assert AgreementVersion.objects.count() == Agreement.objects.count() == 100
    held = Meeting.objects.filter(status=MeetingStatus.HELD, attendees__isnull=False)
    assert held.exists()

    # Requests have the history their status implies.
    for request in Request.objects.filter(is_demo=True)[:20]:
        events = list(
            RequestEvent.objects.filter(request=request).values_list("to_status", flat=True)
        )
        assert events[0] == "requested"
        assert events[-1] == request.status


def test_stored_matches_are_bounded_by_the_pairs_scored(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Scoring grows with needs × offerings (the square of the factor): above the budget
    fewer needs get stored matches, so a large factor still seeds in minutes."""
    from yrkesbro.matching import scale as matching_scale
    from yrkesbro.matching.selectors import candidate_offerings

    monkeypatch.setattr(matching_scale, "SCORING_BUDGET", 700)
    seed()
    candidates = len(candidate_offerings())
    assert 700 // candidates < 40  # the budget, not round(2000·F), is the bound here
    assert MatchResult.objects.values("need_id").distinct().count() == 700 // candidates


def test_the_same_seed_makes_the_same_rows_and_a_second_run_adds_nothing() -> None:
    seed()
    before = fingerprint()
    later = later_fingerprint()
    counts = synthetic_counts()
    second = seed()
    assert synthetic_counts() == counts
    assert re.search(r"partnerships +0 created", second)
    for step in all_steps():
        assert re.search(rf"  {step.name} +0 created", second), step.name

    # Throw the later capabilities' rows away and make them again: the same rows come back.
    Enrolment.objects.all().delete()
    Employee.objects.all().delete()
    Assessment.objects.all().delete()
    Placement.objects.all().delete()
    Round.objects.all().delete()
    seed_scale(
        FACTOR,
        steps=[*workforce_scale.STEPS, *vet_scale.STEPS, *health_scale.STEPS],
        report=lambda r: None,
    )
    assert later_fingerprint() == later

    # Throw the needs away and make them again: the same rows come back.
    MatchResult.objects.all().delete()
    Request.objects.all().delete()
    Need.objects.filter(unit__contains=needs_scale.MARK).delete()
    seed_scale(FACTOR, steps=needs_scale.STEPS, report=lambda r: None)
    assert fingerprint() == before


def test_another_seed_makes_other_rows() -> None:
    seed()
    before = fingerprint()
    Need.objects.filter(unit__contains=needs_scale.MARK).delete()
    seed_scale(FACTOR, steps=needs_scale.STEPS, report=lambda r: None, seed=7)
    assert fingerprint() != before


def test_a_larger_factor_adds_the_difference_of_the_later_capabilities() -> None:
    seed(0.01)
    small = later_fingerprint()
    seed(FACTOR)
    large = later_fingerprint()
    assert synthetic_counts()["vet_placements"] == 400
    assert synthetic_counts()["survey_responses"] == 400
    assert synthetic_counts()["employees"] == 280
    # Rows made at the small factor are still there, unchanged.
    for key in ("enrolments", "placements", "rounds"):
        assert set(small[key]) < set(large[key]), key


def test_the_benches_of_the_new_apps_still_seed_their_worlds() -> None:
    """bench/vet.py and bench/health.py build their worlds with these ``seed`` helpers."""
    steps: list[tuple[str, int]] = []
    health_scale.seed(factor=FACTOR, progress=lambda name, n: steps.append((name, n)))
    assert dict(steps)["survey_rounds"] == 50
    assert IndicatorValue.objects.exists()
    vet_scale.seed(factor=FACTOR, progress=lambda name, n: steps.append((name, n)))
    assert synthetic_counts()["vet_placements"] == 400


def test_every_registered_module_has_steps() -> None:
    from importlib import import_module

    for path in APP_SCALE_MODULES:
        module = import_module(path)
        assert module.STEPS, path
    assert Scale(factor=0.5).count(20000) == 10000
