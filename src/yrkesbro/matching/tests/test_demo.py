"""The demo: Gjøvik's dementia need, Fagskolen Innlandet's demand and lead, a request with an offer."""

from __future__ import annotations

import pytest
from django.utils import translation

from yrkesbro.core.demo import load_demo
from yrkesbro.matching import selectors
from yrkesbro.matching.models import MatchResult, Request, RequestStatus
from yrkesbro.needs.models import Need
from yrkesbro.organisations.models import Organisation


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_demo()
        yield
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_gjovik_dementia_need_shows_dementia_offerings_first(demo) -> None:  # type: ignore[no-untyped-def]
    need = Need.objects.filter(
        organisation__number="3407", areas__code="demens", status="published"
    ).first()
    assert need is not None
    with translation.override("nb"):
        shown, _ = selectors.need_matches(need, limit=3)
        first = shown[0]
        assert first.offering.programme.national_plan.code == "DEMENS"
        texts = [f.text for f in first.factors]
    assert any(t.startswith("Dekker") and "DEMENS" in t for t in texts)
    assert any("km fra Gjøvik" in t or "Nettbasert" in t for t in texts)
    assert MatchResult.objects.filter(need=need).exists()


@pytest.mark.django_db
def test_fagskolen_innlandet_sees_demand_a_lead_and_an_offered_request(demo) -> None:  # type: ignore[no-untyped-def]
    finn = Organisation.objects.get(kind="fagskole", code="FINN")
    demand = selectors.school_demand(finn)
    assert demand.count and demand.leads
    request = Request.objects.get(school=finn, is_demo=True)
    assert request.status == RequestStatus.OFFERED
    assert list(request.history.values_list("to_status", flat=True)) == ["requested", "offered"]


@pytest.mark.django_db
def test_multicultural_programme_without_a_plan_ranks_top_three_for_oslos_need(demo) -> None:  # type: ignore[no-untyped-def]
    """The issue's example: a new programme in multicultural health follows no national plan
    but names its own competence area; it used to rank 12th for Oslo's multicultural need."""
    need = Need.objects.get(
        organisation__number="0301", unit="Bydel Grünerløkka, hjemmetjenesten", is_demo=True
    )
    assert {a.code for a in need.areas.all()} >= {"flerkulturell"}
    with translation.override("nb"):
        shown, _ = selectors.need_matches(need, limit=3)
        codes = [s.offering.programme.code for s in shown]
        assert "FOSLO-FLERKULT" in codes, codes
        mine = shown[codes.index("FOSLO-FLERKULT")]
        assert mine.offering.programme.national_plan is None
        area = next(f for f in mine.factors if f.code == "area")
        assert area.key == "area.own" and area.score > 0
    # Stored by the demo's refresh too, not only computed live.
    stored = MatchResult.objects.filter(need=need, rank__lte=3).values_list(
        "offering__programme__code", flat=True
    )
    assert "FOSLO-FLERKULT" in set(stored)
