"""The trend: each past quarter is recomputed as of its last moment from the recorded dates.

The figures of past quarters must equal a brute-force count over the raw rows as of the
quarter's end, and must move when back-dated data changes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
    Signature,
)
from yrkesbro.collaboration.selectors import expected_meetings
from yrkesbro.health import indicators
from yrkesbro.health.models import IndicatorValue
from yrkesbro.health.tests.test_indicators import landscape  # noqa: F401 - a fixture
from yrkesbro.matching.models import Request, RequestEvent, RequestStatus
from yrkesbro.needs.models import CompetencePlan, Need, NeedStatusChange, Status
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture
def history(landscape) -> dict[str, Any]:  # type: ignore[no-untyped-def] # noqa: F811
    """The landscape with a past: creation times, signed agreement versions, status histories."""
    rng = random.Random(11)
    now = timezone.now()
    today = timezone.localdate()

    def ago(low: int, high: int) -> datetime:
        return now - timedelta(days=rng.randint(low, high), hours=rng.randint(0, 23))

    for p in Partnership.objects.all():
        Partnership.objects.filter(pk=p.pk).update(created_at=ago(0, 700))
    for plan in CompetencePlan.objects.all():
        CompetencePlan.objects.filter(pk=plan.pk).update(created_at=ago(0, 700))
    signer = User.objects.create(username="signer")
    for agreement in Agreement.objects.all():
        start = today - timedelta(days=rng.randint(-30, 600))
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            purpose="p",
            starts_on=start,
            ends_on=start + timedelta(days=rng.randint(90, 500)),
        )
        party = agreement.partnership.parties.first()
        assert party is not None
        signature = Signature.objects.create(
            version=version, organisation_id=party.organisation_id, user=signer
        )
        Signature.objects.filter(pk=signature.pk).update(signed_at=ago(0, 650))
        Agreement.objects.filter(pk=agreement.pk).update(updated_at=ago(0, 400))
    for need in Need.objects.all():
        Need.objects.filter(pk=need.pk).update(created_at=ago(200, 700))
        if rng.random() < 0.7:
            steps = [("", Status.DRAFT), (Status.DRAFT, Status.PUBLISHED)]
            if need.status != Status.PUBLISHED:
                steps.append((Status.PUBLISHED, need.status))
            for days, (before, after) in zip(
                sorted(rng.sample(range(0, 400), len(steps)), reverse=True), steps, strict=True
            ):
                change = NeedStatusChange.objects.create(
                    need=need, from_status=before, to_status=after
                )
                NeedStatusChange.objects.filter(pk=change.pk).update(
                    created_at=now - timedelta(days=days)
                )
    for request in Request.objects.all():
        Request.objects.filter(pk=request.pk).update(created_at=ago(100, 500))
        if request.status == RequestStatus.ACCEPTED and rng.random() < 0.8:
            event = RequestEvent.objects.create(
                request=request, from_status=RequestStatus.OFFERED, to_status=RequestStatus.ACCEPTED
            )
            RequestEvent.objects.filter(pk=event.pk).update(created_at=ago(0, 300))
    return landscape


def status_then(obj: Any, changes: list[Any], at: datetime) -> str:
    changes = sorted(changes, key=lambda c: (c.created_at, c.pk))
    before = [c for c in changes if c.created_at <= at]
    if before:
        return str(before[-1].to_status)
    if changes:
        return str(changes[0].from_status)
    return str(obj.status)


def brute_force_as_of(county: Organisation | None, at: datetime) -> dict[str, tuple[float, float]]:
    """The past-quarter definitions, counted row by row in Python."""
    day = timezone.localdate(at)
    year_before = at - timedelta(days=365)

    def in_region(org: Organisation) -> bool:
        region = org.pk if org.kind == Kind.COUNTY else org.county_id
        return county is None or region == county.pk

    munis = [
        o
        for o in Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True)
        if in_region(o)
    ]
    parties: dict[int, list[Organisation]] = defaultdict(list)
    for party in PartnershipParty.objects.select_related("organisation"):
        parties[party.partnership_id].append(party.organisation)
    out: dict[str, tuple[float, float]] = {}

    def held_in_window(meeting: Meeting) -> bool:
        return meeting.status == MeetingStatus.HELD and year_before <= meeting.starts_at <= at

    met = 0
    for muni in munis:
        held = sum(
            1
            for m in Meeting.objects.select_related("forum")
            if held_in_window(m)
            and muni in parties[m.forum.partnership_id]
            and any(o.kind == Kind.FAGSKOLE for o in parties[m.forum.partnership_id])
        )
        met += held >= 2
    out["met_fagskole"] = (met, len(munis))

    def in_force(a: Agreement) -> bool:
        signed = a.status in indicators.ONCE_SIGNED or (
            a.status == AgreementStatus.TERMINATED and a.updated_at > at
        )
        return signed and any(
            v.starts_on <= day <= v.ends_on and any(s.signed_at <= at for s in v.signatures.all())
            for v in a.versions.all()
        )

    agreements = [a for a in Agreement.objects.all() if in_force(a)]
    out["written_agreement"] = (
        sum(
            any(
                muni in parties[a.partnership_id]
                and any(o.kind in indicators.SCHOOLS for o in parties[a.partnership_id])
                for a in agreements
            )
            for muni in munis
        ),
        len(munis),
    )
    out["plan_shared"] = (
        sum(
            any(
                p.organisation_id == m.pk
                and p.visibility == "shared"
                and p.end_year >= day.year
                and p.created_at <= at
                for p in CompetencePlan.objects.all()
            )
            for m in munis
        ),
        len(munis),
    )
    needs = [n for n in Need.objects.select_related("organisation") if n.created_at <= at]
    then = {n.pk: status_then(n, list(n.history.all()), at) for n in needs}

    def published(n: Need) -> bool:
        return n.visibility == "shared" and then[n.pk] in ("published", "being_met", "met")

    out["needs_published"] = (
        sum(any(n.organisation_id == m.pk and published(n) for n in needs) for m in munis),
        len(munis),
    )
    counted = [n for n in needs if published(n) and in_region(n.organisation)]

    def accepted_then(n: Need) -> bool:
        return any(
            r.created_at <= at and status_then(r, list(r.history.all()), at) == "accepted"
            for r in Request.objects.filter(need=n)
        )

    met_needs = [
        n
        for n in counted
        if then[n.pk] == "met"
        or accepted_then(n)
        or any(m.computed_at <= at for m in n.match_results.all())
    ]
    out["needs_met"] = (len(met_needs), len(counted))
    active = [
        p
        for p in Partnership.objects.filter(is_active=True)
        if p.created_at <= at and (county is None or any(in_region(o) for o in parties[p.pk]))
    ]
    kept = total = 0
    for forum in Forum.objects.filter(partnership__in=active, started_on__lte=day):
        held = sum(1 for m in forum.meetings.all() if held_in_window(m))
        total += 1
        kept += held >= expected_meetings(forum.cadence, forum.started_on, day)
    out["cadence_kept"] = (kept, total)
    for b in ("informal", "cadence", "written"):
        out[f"structures_{b}"] = (sum(p.bindingness == b for p in active), len(active))
    return out


def stored(county: Organisation | None, period: str) -> dict[str, tuple[float, float]]:
    return {
        v.code: (v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(county=county, period=period)
    }


def test_past_quarters_equal_a_brute_force_count_as_of_their_end(history) -> None:  # type: ignore[no-untyped-def]
    indicators.refresh()
    ends = indicators.past_quarter_ends(timezone.now())
    assert len(ends) == indicators.TREND_QUARTERS - 1
    periods = set(IndicatorValue.objects.values_list("period", flat=True))
    assert len(periods) == indicators.TREND_QUARTERS
    seen_nonzero = set()
    for end in ends[:4]:
        period = indicators.period_of(timezone.localdate(end))
        assert timezone.localdate(end + timedelta(microseconds=1)).day == 1  # a quarter's end
        for county in [None, *history["counties"]]:
            expected = brute_force_as_of(county, end)
            figures = stored(county, period)
            for code, pair in expected.items():
                assert figures[code] == pytest.approx(pair), (code, period, county)
                if pair[0]:
                    seen_nonzero.add(code)
    # The past is not empty: the comparison exercises the dated branches.
    assert {"met_fagskole", "written_agreement", "needs_published", "needs_met"} <= seen_nonzero


def test_a_back_dated_meeting_moves_the_past_quarter_and_refresh_is_safe_twice(history) -> None:  # type: ignore[no-untyped-def]
    end = indicators.past_quarter_ends(timezone.now())[1]  # two quarters ago
    period = indicators.period_of(timezone.localdate(end))
    first = indicators.refresh()
    assert indicators.refresh() == first == IndicatorValue.objects.count()
    before = IndicatorValue.objects.get(code="met_fagskole", county=None, period=period)

    # A new municipality that met a fagskole twice in that quarter, recorded only now.
    muni = OrganisationFactory(county=history["counties"][0])
    fagskole = Organisation.objects.filter(kind=Kind.FAGSKOLE).first()
    p = Partnership.objects.create(name="Tilbakedatert", purpose="x")
    for org in (muni, fagskole):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    forum = Forum.objects.create(partnership=p, name="f", mandate="m")
    for days in (10, 40):
        start = end - timedelta(days=days)
        Meeting.objects.create(
            forum=forum,
            title="m",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=MeetingStatus.HELD,
        )
    indicators.refresh()
    after = IndicatorValue.objects.get(code="met_fagskole", county=None, period=period)
    assert (after.numerator, after.denominator) == (before.numerator + 1, before.denominator + 1)
    assert (after.numerator, after.denominator) == brute_force_as_of(None, end)["met_fagskole"]
    # Moving the meetings after the quarter's end takes the municipality out again.
    Meeting.objects.filter(forum=forum).update(starts_at=end + 5 * DAY, ends_at=end + 6 * DAY)
    indicators.refresh()
    again = IndicatorValue.objects.get(code="met_fagskole", county=None, period=period)
    assert (again.numerator, again.denominator) == (before.numerator, before.denominator + 1)
