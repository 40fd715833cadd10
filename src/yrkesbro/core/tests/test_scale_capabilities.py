"""``yrkesbro seed-scale`` builds every capability's data, deterministically, on both databases."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import Offering, Programme, SearchTerm
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
from yrkesbro.matching.models import MatchResult, Request, RequestEvent
from yrkesbro.needs import scale as needs_scale
from yrkesbro.needs.models import CompetencePlan, Need, Status

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
    # The progress bar is drawn, and every step reports.
    assert "[" in output and "#" in output
    for step in all_steps():
        assert f"  {step.name} " in output

    # Programmes are indexed for search as a save would index them, and can be found.
    programme = Programme.objects.filter(code__startswith="SCALE-P-").first()
    assert programme is not None
    assert SearchTerm.objects.filter(programme=programme).exists()
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


def test_the_same_seed_makes_the_same_rows_and_a_second_run_adds_nothing() -> None:
    seed()
    before = fingerprint()
    counts = synthetic_counts()
    second = seed()
    assert synthetic_counts() == counts
    assert re.search(r"partnerships +0 created", second)

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


def test_every_registered_module_has_steps() -> None:
    from importlib import import_module

    for path in APP_SCALE_MODULES:
        module = import_module(path)
        assert module.STEPS, path
    assert Scale(factor=0.5).count(20000) == 10000
