"""Live public indicators by county and for the nation, computed by the worker.

What is counted (the tests compare each figure with a brute-force count):

- ``met_fagskole``: municipalities with at least two *held* meetings in the last 365
  days, in forums of partnerships where the municipality and a fagskole are parties;
  of all active municipalities.
- ``written_agreement``: municipalities that are party to a partnership with an
  agreement that is active or up for renewal, where a school (fagskole or
  upper-secondary) is also a party; of all active municipalities.
- ``plan_shared``: municipalities with a competence plan shared with schools whose
  period has not ended; of all active municipalities.
- ``needs_published``: municipalities with at least one need published to schools;
  of all active municipalities.
- ``needs_met``: published needs (shared, and published, being met or met) that are
  marked met, have an accepted offer, or have an offering in reach (a precomputed
  match); of all published needs of organisations in the region.
- ``cadence_kept``: forums of active partnerships with a party in the region that held
  at least the meetings their cadence asks for in the last 12 months; of all such forums.
- ``structures_<bindingness>``: active partnerships with a party in the region, by how
  binding they are (value = count; denominator = all of them).
- ``pulse:<item>``: the average answer (1–5) to each survey item in rounds closed in
  the last 365 days, counting only a side's answers to an item when at least
  ``threshold()`` people of that side answered the round and at least that many gave
  the item a value; the side belongs to the region of its organisation.

A partnership with parties in two counties counts in both; the nation counts it once.

The trend: the current quarter reads the live state (statuses the worker keeps up to
date). Each of the ``TREND_QUARTERS - 1`` quarters before it is recomputed on every
refresh *as of its last moment*, from the dates the platform records (``compute(end,
past=True)``): meetings by ``starts_at``; agreements by the validity of a version signed
by then (a terminated one until its last change); plans and needs created by then, a
need's status as of then from its status history (``NeedStatusChange``), an offer's from
its events (``RequestEvent``), an offering in reach if its stored match was computed by
then; partnerships created and forums started by then; rounds closed in the year before.
What the platform does not date (visibility, whether a partnership or municipality is
active, who is party to a partnership) is read as it is now. So a back-dated meeting or
status change moves the past quarter's figure at the next refresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    Bindingness,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
    Signature,
)
from yrkesbro.collaboration.selectors import expected_meetings
from yrkesbro.health.models import Answer, Indicator, IndicatorValue, Response, threshold
from yrkesbro.matching.models import MatchResult, Request, RequestEvent, RequestStatus
from yrkesbro.needs.models import CompetencePlan, Need, NeedStatusChange, Status, Visibility
from yrkesbro.organisations.models import Kind, Organisation

YEAR = timedelta(days=365)
SCHOOLS = (Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL)
PUBLISHED = (Status.PUBLISHED, Status.BEING_MET, Status.MET)
LIVE_AGREEMENTS = (AgreementStatus.ACTIVE, AgreementStatus.RENEWAL)
# Statuses an agreement can only have after every party signed (terminated: see below).
ONCE_SIGNED = (
    AgreementStatus.SIGNED,
    AgreementStatus.ACTIVE,
    AgreementStatus.RENEWAL,
    AgreementStatus.EXPIRED,
)
NATION = None
TREND_QUARTERS = 8  # the current quarter and the seven before it

EXPLANATIONS: dict[str, Any] = {
    Indicator.MET_FAGSKOLE: _(
        "Share of municipalities that held at least two meetings with a fagskole in the "
        "last twelve months, in a forum of a partnership they are party to."
    ),
    Indicator.WRITTEN_AGREEMENT: _(
        "Share of municipalities with an active written agreement in a partnership with a school."
    ),
    Indicator.PLAN_SHARED: _(
        "Share of municipalities with a current competence plan shared with schools."
    ),
    Indicator.NEEDS_PUBLISHED: _(
        "Share of municipalities that have published at least one competence need to schools."
    ),
    Indicator.NEEDS_MET: _(
        "Share of published needs that are met, have an accepted offer, or an offering in reach."
    ),
    Indicator.CADENCE_KEPT: _(
        "Share of forums that held the meetings their cadence asks for in the last twelve months."
    ),
    Indicator.STRUCTURES_INFORMAL: _("Active partnerships that are informal (a count)."),
    Indicator.STRUCTURES_CADENCE: _(
        "Active partnerships with an agreed meeting cadence (a count)."
    ),
    Indicator.STRUCTURES_WRITTEN: _("Active partnerships with a written agreement (a count)."),
}
SHARES = (
    Indicator.MET_FAGSKOLE,
    Indicator.WRITTEN_AGREEMENT,
    Indicator.PLAN_SHARED,
    Indicator.NEEDS_PUBLISHED,
    Indicator.NEEDS_MET,
    Indicator.CADENCE_KEPT,
)
COUNTS = (
    Indicator.STRUCTURES_INFORMAL,
    Indicator.STRUCTURES_CADENCE,
    Indicator.STRUCTURES_WRITTEN,
)


def period_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def past_quarter_ends(now: datetime, count: int = TREND_QUARTERS - 1) -> list[datetime]:
    """The last moment of each of the ``count`` quarters before ``now``'s, newest first."""
    today = timezone.localdate(now)
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)  # this quarter's first day
    ends = []
    for _quarter in range(count):
        start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
        ends.append(start - timedelta(microseconds=1))
        previous = first - timedelta(days=1)
        first = date(previous.year, 3 * ((previous.month - 1) // 3) + 1, 1)
    return ends


def _status_as_of(history: Any, at: datetime, current: str) -> Any:
    """A row's status at ``at``: the last recorded change by then; before the first
    change, that change's starting status; without any recorded change, the current one."""
    last = history.filter(created_at__lte=at).order_by("-created_at", "-id").values("to_status")
    first_later = (
        history.filter(created_at__gt=at).order_by("created_at", "id").values("from_status")
    )
    return Coalesce(Subquery(last[:1]), Subquery(first_later[:1]), F(current))


@dataclass
class Tally:
    """Numerators and denominators per region (county id, or None for the nation)."""

    num: dict[int | None, float] = field(default_factory=lambda: defaultdict(float))
    den: dict[int | None, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, regions: Iterable[int | None], num: float, den: float) -> None:
        for region in set(regions):
            self.num[region] += num
            self.den[region] += den


def _org_counties() -> dict[int, int | None]:
    """Each organisation's county (a county is its own)."""
    return {
        row["pk"]: row["pk"] if row["kind"] == Kind.COUNTY else row["county_id"]
        for row in Organisation.objects.values("pk", "kind", "county_id")
    }


def _municipality_shares(
    municipalities: dict[int, int | None], flagged: dict[str, set[int]]
) -> dict[str, Tally]:
    result = {}
    for code, ids in flagged.items():
        tally = Tally()
        for muni, county in municipalities.items():
            tally.add((county, NATION), 1 if muni in ids else 0, 1)
        result[code] = tally
    return result


@dataclass
class Dated:
    """The dated rows the time-window indicators need, read once per refresh and then
    windowed per quarter in Python (one query each instead of one per quarter)."""

    held: list[tuple[int, int, datetime]]  # forum, partnership, start of a held meeting
    sides: list[tuple[int, int, datetime, int]]  # round, side, closed, responses
    cells: list[tuple[int, int, datetime, str, int, float]]  # round, side, closed, item, n, sum


def read_dated(since: datetime, until: datetime) -> Dated:
    held = Meeting.objects.filter(
        status=MeetingStatus.HELD, starts_at__gte=since, starts_at__lte=until
    ).values_list("forum_id", "forum__partnership_id", "starts_at")
    sides = (
        Response.objects.filter(round__closed_at__gte=since, round__closed_at__lte=until)
        .values("round_id", "organisation_id", "round__closed_at")
        .annotate(n=Count("id"))
        .values_list("round_id", "organisation_id", "round__closed_at", "n")
    )
    cells = (
        Answer.objects.filter(
            value__isnull=False,
            response__round__closed_at__gte=since,
            response__round__closed_at__lte=until,
        )
        .values(
            "response__round_id",
            "response__organisation_id",
            "response__round__closed_at",
            "item__code",
        )
        .annotate(n=Count("id"), total=Sum("value"))
        .values_list(
            "response__round_id",
            "response__organisation_id",
            "response__round__closed_at",
            "item__code",
            "n",
            "total",
        )
    )
    # Hundreds of thousands of rows at national scale (500,000 answer cells at factor 10):
    # read in chunks, not as a second list, and with one object per distinct id, time and
    # item code (``same``), not one per row, which took a refresh to 250 MB.
    shared: dict[Any, Any] = {}
    same = shared.setdefault
    return Dated(
        held=[
            (same(f, f), same(p, p), same(at, at)) for f, p, at in held.iterator(chunk_size=5000)
        ],
        # The filters above leave no open round (closed_at is never empty here).
        sides=[
            (same(r, r), same(o, o), same(closed, closed), n)
            for r, o, closed, n in sides.iterator(chunk_size=5000)
            if closed is not None
        ],
        cells=[
            (same(r, r), same(o, o), same(closed, closed), same(c, c), n, t)
            for r, o, closed, c, n, t in cells.iterator(chunk_size=5000)
            if closed is not None
        ],
    )


def _held_in_year(dated: Dated, now: datetime) -> list[tuple[int, int, datetime]]:
    start = now - YEAR
    return [row for row in dated.held if start <= row[2] <= now]


def _met_fagskole(now: datetime, dated: Dated) -> set[int]:
    with_fagskole = set(
        PartnershipParty.objects.filter(organisation__kind=Kind.FAGSKOLE).values_list(
            "partnership_id", flat=True
        )
    )
    held: dict[int, int] = defaultdict(int)
    for _forum, partnership, _start in _held_in_year(dated, now):
        if partnership in with_fagskole:
            held[partnership] += 1
    per_muni: dict[int, int] = defaultdict(int)
    for partnership, muni in PartnershipParty.objects.filter(
        organisation__kind=Kind.MUNICIPALITY
    ).values_list("partnership_id", "organisation_id"):
        per_muni[muni] += held.get(partnership, 0)
    return {muni for muni, n in per_muni.items() if n >= 2}


def _live_agreements(at: datetime | None) -> Q:
    """Agreements in force now (their status), or at ``at`` (their dates)."""
    if at is None:
        return Q(agreements__status__in=LIVE_AGREEMENTS)
    day = timezone.localdate(at)
    valid_and_signed = Signature.objects.filter(
        version__agreement_id=OuterRef("pk"),
        version__starts_on__lte=day,
        version__ends_on__gte=day,
        signed_at__lte=at,
    )
    in_force = (
        Agreement.objects.filter(
            Q(status__in=ONCE_SIGNED) | Q(status=AgreementStatus.TERMINATED, updated_at__gt=at)
        )
        .filter(Exists(valid_and_signed))
        .values("partnership_id")
    )
    return Q(id__in=in_force)


def _written_agreement(at: datetime | None = None) -> set[int]:
    with_school = PartnershipParty.objects.filter(organisation__kind__in=SCHOOLS).values(
        "partnership_id"
    )
    live = Partnership.objects.filter(_live_agreements(at), id__in=with_school).values("id")
    return set(
        PartnershipParty.objects.filter(
            organisation__kind=Kind.MUNICIPALITY, partnership_id__in=live
        ).values_list("organisation_id", flat=True)
    )


def _published_needs() -> Q:
    return Q(visibility=Visibility.SHARED, status__in=PUBLISHED)


def _needs(at: datetime | None) -> Any:
    """Needs with ``then``: their status now, or at ``at`` (created by then only)."""
    if at is None:
        return Need.objects.annotate(then=F("status"))
    history = NeedStatusChange.objects.filter(need_id=OuterRef("pk"))
    return Need.objects.filter(created_at__lte=at).annotate(
        then=_status_as_of(history, at, "status")
    )


def _published_then() -> Q:
    return Q(visibility=Visibility.SHARED, then__in=PUBLISHED)


def _needs_met(org_county: dict[int, int | None], at: datetime | None = None) -> Tally:
    if at is None:
        accepted = Request.objects.filter(status=RequestStatus.ACCEPTED)
        in_reach = MatchResult.objects.all()
    else:
        events = RequestEvent.objects.filter(request_id=OuterRef("pk"))
        accepted = (
            Request.objects.filter(created_at__lte=at)
            .annotate(then=_status_as_of(events, at, "status"))
            .filter(then=RequestStatus.ACCEPTED)
        )
        in_reach = MatchResult.objects.filter(computed_at__lte=at)
    tally = Tally()
    # Correlated EXISTS, not ``id IN (sub-select)``: inside an aggregate's FILTER,
    # PostgreSQL runs an IN as a plain sub-plan that scans every stored match once per
    # need (143 s at national scale, factor 1); EXISTS uses the need_id index (0.9 s).
    met = (
        Q(then=Status.MET)
        | Q(Exists(accepted.filter(need_id=OuterRef("pk"))))
        | Q(Exists(in_reach.filter(need_id=OuterRef("pk"))))
    )
    rows = (
        _needs(at)
        .filter(_published_then())
        .values("organisation_id")
        .annotate(n=Count("id"), met=Count("id", filter=met))
    )
    for row in rows:
        tally.add((org_county.get(row["organisation_id"]), NATION), row["met"] or 0, row["n"])
    return tally


def _active_partnerships(at: datetime | None) -> Q:
    """Active partnerships (as far as the platform knows), created by ``at`` if given."""
    return Q(is_active=True) if at is None else Q(is_active=True, created_at__lte=at)


def _partnership_regions(
    org_county: dict[int, int | None], at: datetime | None = None
) -> dict[int, set[int | None]]:
    regions: dict[int, set[int | None]] = defaultdict(lambda: {NATION})
    active = Partnership.objects.filter(_active_partnerships(at)).values("pk")
    # In chunks, as are the other per-row reads here: 110,000 parties at factor 10.
    for partnership, organisation in (
        PartnershipParty.objects.filter(partnership_id__in=active)
        .values_list("partnership_id", "organisation_id")
        .iterator(chunk_size=5000)
    ):
        regions[partnership].add(org_county.get(organisation))
    return regions


def _structures(
    regions: dict[int, set[int | None]], at: datetime | None = None
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {code.value: Tally() for code in COUNTS}
    codes = {str(b.value): f"structures_{b.value}" for b in Bindingness}
    for pk, bindingness in (
        Partnership.objects.filter(_active_partnerships(at))
        .values_list("pk", "bindingness")
        .iterator(chunk_size=5000)
    ):
        where = regions.get(pk, {NATION})
        for code in tallies:
            tallies[code].add(where, 1 if codes[bindingness] == code else 0, 1)
    return tallies


def _cadence_kept(
    regions: dict[int, set[int | None]], now: datetime, dated: Dated, *, past: bool = False
) -> Tally:
    today = timezone.localdate(now)
    tally = Tally()
    held: dict[int, int] = defaultdict(int)
    for forum_id, _partnership, _start in _held_in_year(dated, now):
        held[forum_id] += 1
    forums = Forum.objects.filter(partnership__is_active=True)
    if past:
        forums = forums.filter(partnership__created_at__lte=now, started_on__lte=today)
    for pk, partnership, cadence, started_on in forums.values_list(
        "pk", "partnership_id", "cadence", "started_on"
    ).iterator(chunk_size=5000):
        expected = expected_meetings(cadence, started_on, today)
        kept = 1 if held.get(pk, 0) >= expected else 0
        tally.add(regions.get(partnership, {NATION}), kept, 1)
    return tally


def _pulse(org_county: dict[int, int | None], now: datetime, dated: Dated) -> dict[str, Tally]:
    """Item averages from whole (round, side, item) cells above the threshold only, of
    rounds closed in the year up to ``now``."""
    limit = threshold()
    start = now - YEAR
    sides = {
        (round_id, org)
        for round_id, org, closed, n in dated.sides
        if start <= closed <= now and n >= limit
    }
    tallies: dict[str, Tally] = defaultdict(Tally)
    for round_id, org, closed, code, n, total in dated.cells:
        if not start <= closed <= now or (round_id, org) not in sides or n < limit:
            continue
        tallies[f"pulse:{code}"].add((org_county.get(org), NATION), total, n)
    return tallies


def compute(
    now: datetime | None = None, *, past: bool = False, dated: Dated | None = None
) -> dict[str, Tally]:
    """Every indicator's tally, by region: live at ``now``, or with ``past`` as of ``now``
    reconstructed from the recorded dates (see the module's docstring). ``dated`` must
    cover the year up to ``now`` (``refresh`` reads it once for every quarter)."""
    now = now or timezone.now()
    at = now if past else None
    dated = dated or read_dated(now - YEAR, now)
    org_county = _org_counties()
    municipalities = dict(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY, is_active=True).values_list(
            "pk", "county_id"
        )
    )
    this_year = timezone.localdate(now).year
    flagged = {
        Indicator.MET_FAGSKOLE.value: _met_fagskole(now, dated),
        Indicator.WRITTEN_AGREEMENT.value: _written_agreement(at),
        Indicator.PLAN_SHARED.value: set(
            CompetencePlan.objects.filter(
                Q(created_at__lte=at) if past else Q(),
                visibility=Visibility.SHARED,
                end_year__gte=this_year,
            ).values_list("organisation_id", flat=True)
        ),
        Indicator.NEEDS_PUBLISHED.value: set(
            _needs(at).filter(_published_then()).values_list("organisation_id", flat=True)
        ),
    }
    tallies: dict[str, Tally] = dict(_municipality_shares(municipalities, flagged))
    tallies[Indicator.NEEDS_MET.value] = _needs_met(org_county, at)
    regions = _partnership_regions(org_county, at)
    tallies[Indicator.CADENCE_KEPT.value] = _cadence_kept(regions, now, dated, past=past)
    tallies.update(_structures(regions, at))
    tallies.update(_pulse(org_county, now, dated))
    return tallies


def _rows(
    tallies: dict[str, Tally], period: str, counties: list[int], now: datetime
) -> list[IndicatorValue]:
    rows = []
    for code, tally in tallies.items():
        is_count = code in COUNTS
        for region in [NATION, *counties]:
            num, den = tally.num.get(region, 0.0), tally.den.get(region, 0.0)
            if is_count:
                value: float | None = num
            else:
                value = (num / den) if den else None
            rows.append(
                IndicatorValue(
                    code=code,
                    county_id=region,
                    period=period,
                    value=value,
                    numerator=num,
                    denominator=den,
                    computed_at=now,
                )
            )
    return rows


def refresh(now: datetime | None = None, *, past: bool = True) -> int:
    """Recompute the current quarter's figures for every county and the nation, and (with
    ``past``) each earlier quarter of the trend as of its end. Safe to run twice: each
    quarter's rows are replaced in one transaction. Quarters that hold the demo's marked
    figures are left to the demo."""
    now = now or timezone.now()
    counties = list(Organisation.objects.filter(kind=Kind.COUNTY).values_list("pk", flat=True))
    ends = past_quarter_ends(now) if past else []
    dated = read_dated(min([now, *ends]) - YEAR, now)
    quarters: list[tuple[str, dict[str, Tally]]] = [
        (period_of(timezone.localdate(now)), compute(now, dated=dated))
    ]
    demo = set(IndicatorValue.objects.filter(is_demo=True).values_list("period", flat=True))
    for end in ends:
        period = period_of(timezone.localdate(end))
        if period not in demo:
            quarters.append((period, compute(end, past=True, dated=dated)))
    total = 0
    with transaction.atomic():
        for period, tallies in quarters:
            rows = _rows(tallies, period, counties, now)
            IndicatorValue.objects.filter(period=period, is_demo=False).delete()
            IndicatorValue.objects.bulk_create(rows, batch_size=500)
            total += len(rows)
    return total
