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
