"""Every indicator equals a brute-force count over the raw rows, per county and nationally."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    Bindingness,
    Cadence,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
)
from yrkesbro.collaboration.selectors import expected_meetings
from yrkesbro.health import indicators
from yrkesbro.health.models import IndicatorValue
from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def landscape() -> dict[str, list[Organisation]]:
    """Two counties of municipalities, fagskoler and schools, with random collaboration."""
    rng = random.Random(7)
    counties = [CountyFactory(number="91"), CountyFactory(number="92")]
    munis = [OrganisationFactory(county=counties[i % 2]) for i in range(12)]
    fagskoler = [
        OrganisationFactory(kind=Kind.FAGSKOLE, county=counties[i], name=f"Fagskole {i}")
        for i in range(2)
    ]
    vgs = [OrganisationFactory(kind=Kind.UPPER_SECONDARY_SCHOOL, county=counties[1])]
    company = OrganisationFactory(kind=Kind.COMPANY, county=counties[0])
    user = User.objects.create(username="owner")
    now = timezone.now()
    for i in range(14):
        school = rng.choice(fagskoler + vgs + [company])
        parties = [rng.choice(munis), school] + ([rng.choice(munis)] if i % 4 == 0 else [])
        p = Partnership.objects.create(
            name=f"P{i}",
            purpose="x",
            bindingness=rng.choice(Bindingness.values),
            is_active=i % 7 != 0,
        )
        for org in {o.pk: o for o in parties}.values():
            PartnershipParty.objects.create(partnership=p, organisation=org)
        for f in range(rng.randint(0, 2)):
            forum = Forum.objects.create(
                partnership=p,
                name=f"F{i}.{f}",
                mandate="m",
                cadence=rng.choice(Cadence.values),
                started_on=date.today() - timedelta(days=rng.randint(10, 900)),
            )
            for _m in range(rng.randint(0, 5)):
                start = now - timedelta(days=rng.randint(-60, 500))
                Meeting.objects.create(
                    forum=forum,
                    title="m",
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    status=rng.choice(MeetingStatus.values),
                )
        if rng.random() < 0.5:
            Agreement.objects.create(
                partnership=p, title="a", status=rng.choice(AgreementStatus.values)
            )
    year = date.today().year
    for muni in munis:
        if rng.random() < 0.5:
            CompetencePlan.objects.create(
                organisation=muni,
                title="plan",
                start_year=year - 2,
                end_year=year + rng.choice([-1, 0, 1]),
                visibility=rng.choice(Visibility.values),
            )
        for _n in range(rng.randint(1, 4)):
            need = Need.objects.create(
                organisation=rng.choice([muni, company]),
                unit="u",
                people=2,
                deadline=date.today() + timedelta(days=90),
                status=rng.choice(Status.values),
                visibility=rng.choice(Visibility.values),
            )
            if rng.random() < 0.4:
                Request.objects.create(
                    need=need,
                    school=fagskoler[0],
                    people=1,
                    status=rng.choice([RequestStatus.ACCEPTED, *RequestStatus.values]),
                    created_by=user,
                )
    return {"counties": counties, "munis": munis}


def brute_force(county: Organisation | None) -> dict[str, tuple[float, float]]:
    """The same definitions, counted row by row in Python."""
    now = timezone.now()
    today = timezone.localdate()

    def region_of(org: Organisation) -> int | None:
        return org.pk if org.kind == Kind.COUNTY else org.county_id

    def in_region(org: Organisation) -> bool:
        return county is None or region_of(org) == county.pk

    munis = [
        o
        for o in Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True)
        if in_region(o)
    ]
    parties: dict[int, list[Organisation]] = defaultdict(list)
    for party in PartnershipParty.objects.select_related("organisation"):
        parties[party.partnership_id].append(party.organisation)
    out: dict[str, tuple[float, float]] = {}

    met = 0
    for muni in munis:
        held = 0
        for meeting in Meeting.objects.select_related("forum"):
            orgs = parties[meeting.forum.partnership_id]
            if (
                meeting.status == MeetingStatus.HELD
                and now - timedelta(days=365) <= meeting.starts_at <= now
                and muni in orgs
                and any(o.kind == Kind.FAGSKOLE for o in orgs)
            ):
                held += 1
        met += held >= 2
    out["met_fagskole"] = (met, len(munis))

    agreed = 0
    for muni in munis:
        agreed += any(
            a.status in ("active", "renewal")
            and muni in parties[a.partnership_id]
            and any(o.kind in indicators.SCHOOLS for o in parties[a.partnership_id])
            for a in Agreement.objects.all()
        )
    out["written_agreement"] = (agreed, len(munis))
    out["plan_shared"] = (
        sum(
            any(
                p.organisation_id == m.pk and p.visibility == "shared" and p.end_year >= today.year
                for p in CompetencePlan.objects.all()
            )
            for m in munis
        ),
        len(munis),
    )

    def published(n: Need) -> bool:
        return n.visibility == "shared" and n.status in ("published", "being_met", "met")

    out["needs_published"] = (
        sum(
            any(n.organisation_id == m.pk and published(n) for n in Need.objects.all())
            for m in munis
        ),
        len(munis),
    )
    needs = [
        n
        for n in Need.objects.select_related("organisation")
        if published(n) and in_region(n.organisation)
    ]
    met_needs = [
        n
        for n in needs
        if n.status == "met"
        or Request.objects.filter(need=n, status="accepted").exists()
        or n.match_results.exists()
    ]
    out["needs_met"] = (len(met_needs), len(needs))

    active = [
        p
        for p in Partnership.objects.filter(is_active=True)
        if county is None or any(in_region(o) for o in parties[p.pk])
    ]
    kept = total = 0
    for forum in Forum.objects.filter(partnership__in=active):
        held = sum(
            1
            for m in forum.meetings.all()
            if m.status == "held" and now - timedelta(days=365) <= m.starts_at <= now
        )
        total += 1
        kept += held >= expected_meetings(forum.cadence, forum.started_on, today)
    out["cadence_kept"] = (kept, total)
    for b in Bindingness.values:
        out[f"structures_{b}"] = (sum(p.bindingness == b for p in active), len(active))
    return out


def test_each_indicator_equals_a_brute_force_count(landscape) -> None:  # type: ignore[no-untyped-def]
    indicators.refresh()
    period = indicators.period_of(timezone.localdate())
    for county in [None, *landscape["counties"]]:
        expected = brute_force(county)
        stored = {
            v.code: (v.numerator, v.denominator)
            for v in IndicatorValue.objects.filter(county=county, period=period)
        }
        for code, pair in expected.items():
            assert stored[code] == pytest.approx(pair), (code, county)
    # The figures are not all zero: the test exercises every branch.
    nation = brute_force(None)
    assert all(nation[c][0] > 0 for c in ("met_fagskole", "written_agreement", "needs_met")), nation


def test_api_answers_in_the_shape_of_the_issue(landscape) -> None:  # type: ignore[no-untyped-def]
    indicators.refresh()
    county = landscape["counties"][0]
    body = Client().get(f"/api/v1/indicators?county={county.number}").json()
    assert set(body) == {"count", "items"} and body["count"] == len(body["items"]) > 0
    expected = brute_force(county)
    for item in body["items"]:
        assert set(item) == {"indicator", "value", "numerator", "denominator", "period"}
        assert set(item["indicator"]) == {"code", "name"}
        code = item["indicator"]["code"]
        if code in expected:
            num, den = expected[code]
            assert (item["numerator"], item["denominator"]) == (num, den)
            if code in [c.value for c in indicators.SHARES]:
                assert item["value"] == (pytest.approx(num / den) if den else None)


def test_refresh_twice_keeps_one_row_per_figure(landscape) -> None:  # type: ignore[no-untyped-def]
    first = indicators.refresh()
    second = indicators.refresh()
    assert first == second == IndicatorValue.objects.count()


@pytest.mark.parametrize("county", ["abc", "9", "999", "1" * 40, "00"])
def test_bad_county_gives_a_clear_answer(db, county: str) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(f"/api/v1/indicators?county={county}")
    assert response.status_code in (404, 422)
    assert "message" in response.json()
    page = Client().get(f"/health/indicators/?county={county}")
    assert page.status_code == 404


def test_a_held_meeting_refreshes_the_figures_after_commit(
    landscape, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    indicators.refresh()
    period = indicators.period_of(timezone.localdate())
    before = IndicatorValue.objects.get(code="met_fagskole", county=None, period=period)
    muni = OrganisationFactory(county=landscape["counties"][0])
    fagskole = Organisation.objects.filter(kind=Kind.FAGSKOLE).first()
    # The fixture's writes would have committed long ago; drop their pending callbacks.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        p = Partnership.objects.create(name="Ny", purpose="x")
        PartnershipParty.objects.create(partnership=p, organisation=muni)
        PartnershipParty.objects.create(partnership=p, organisation=fagskole)
        forum = Forum.objects.create(partnership=p, name="f", mandate="m")
        for days in (5, 50):
            start = timezone.now() - timedelta(days=days)
            Meeting.objects.create(
                forum=forum,
                title="m",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                status=MeetingStatus.HELD,
            )
    assert len(callbacks) == 1  # one refresh for the whole transaction
    after = IndicatorValue.objects.get(code="met_fagskole", county=None, period=period)
    assert (after.numerator, after.denominator) == (before.numerator + 1, before.denominator + 1)
