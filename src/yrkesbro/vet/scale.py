"""National-scale VET data for benchmarks (wired into ``yrkesbro seed-scale`` by the lead).

At factor F, in every county: round(200·F) synthetic training companies ("Syntetisk
lærebedrift 34-0001"), each offering apprenticeship places and YFF practice in one to
three trades; every upper-secondary school that seed-scale made records demand in eight
trades; round(20,000·F) placements on the YFF offers across the country, 40 % of them
assessed by both sides. Rows are bulk-created (no services, no audit entries: this is
benchmark data) and clearly fictional (``is_demo``, "Syntetisk" names, pupils "Elev
00001"). Running it again creates only what is missing. Finally the supply/demand table
is recomputed once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from yrkesbro.organisations.models import Kind, Organisation, fold
from yrkesbro.vet import services
from yrkesbro.vet.models import (
    Approval,
    Assessment,
    Demand,
    Level,
    Offer,
    OfferKind,
    Outcome,
    Placement,
    Side,
    Trade,
)
from yrkesbro.vet.register import load_trades
from yrkesbro.vet.tasks import recompute_supply_demand

COMPANIES_PER_COUNTY = 200
PLACEMENTS = 20_000
DEMAND_TRADES = 8
ASSESSED_SHARE = 0.4
PREFIX = "Syntetisk lærebedrift"
BATCH = 2000


def _rng(key: str) -> random.Random:
    """One row's own random stream, so a row looks the same at any factor."""
    return random.Random(key)  # noqa: S311 - benchmark data, not secrets


def _companies(factor: float, rng: random.Random) -> list[Organisation]:
    per_county = round(COMPANIES_PER_COUNTY * factor)
    counties = list(Organisation.objects.filter(kind=Kind.COUNTY).order_by("number"))
    existing = set(
        Organisation.objects.filter(name__startswith=PREFIX).values_list("name", flat=True)
    )
    municipalities: dict[int, list[Organisation]] = {}
    for m in Organisation.objects.filter(kind=Kind.MUNICIPALITY).exclude(county=None):
        municipalities.setdefault(m.county_id, []).append(m)  # type: ignore[arg-type]
    new = []
    for county in counties:
        local = municipalities.get(county.pk, [])
        for i in range(1, per_county + 1):
            name = f"{PREFIX} {county.number}-{i:04d}"
            if name in existing or not local:
                continue
            m = local[i % len(local)]
            new.append(
                Organisation(
                    kind=Kind.COMPANY,
                    name=name,
                    county=county,
                    municipality=m,
                    latitude=m.latitude,
                    longitude=m.longitude,
                    is_demo=True,
                    search_name=fold(name),
                )
            )
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    return list(Organisation.objects.filter(name__startswith=PREFIX).order_by("pk"))


def seed(*, factor: float, rng: random.Random, progress: Callable[[str, int], None]) -> None:
    load_trades()
    year = services.current_school_year()
    trades = list(Trade.objects.filter(is_active=True).order_by("code"))
    with transaction.atomic():
        companies = _companies(factor, rng)
        progress("vet companies", len(companies))
        have = set(
            Offer.objects.filter(organisation__in=companies).values_list(
                "organisation_id", flat=True
            )
        )
        offers = []
        for company in companies:
            if company.pk in have:
                continue
            own = _rng(f"vet-offer:{company.name}")  # the same offers at any factor
            for trade in own.sample(trades, own.randint(1, 3)):
                offers.append(
                    Offer(
                        organisation=company,
                        trade=trade,
                        kind=OfferKind.APPRENTICESHIP,
                        school_year=year,
                        places=own.randint(1, 4),
                        starts_on=date(year + 1, 8, 15),
                        approval=Approval.APPROVED,
                        instructor_name="Syntetisk instruktør",
                        is_demo=True,
                    )
                )
                offers.append(
                    Offer(
                        organisation=company,
                        trade=trade,
                        kind=OfferKind.YFF,
                        school_year=year,
                        places=own.randint(2, 12),
                        level=own.choice([Level.VG1, Level.VG2]),
                        hours=60,
                        weeks="36–41",
                        instructor_name="Syntetisk instruktør",
                        is_demo=True,
                    )
                )
        Offer.objects.bulk_create(offers, batch_size=BATCH)
        progress("vet offers", len(offers))
    schools = list(
        Organisation.objects.filter(kind=Kind.UPPER_SECONDARY_SCHOOL)
        .exclude(county=None)
        .order_by("pk")
    )
    with transaction.atomic():
        have_demand = set(Demand.objects.values_list("school_id", flat=True).distinct())
        demand = []
        for school in schools:
            if school.pk in have_demand:
                continue
            own = _rng(f"vet-demand:{school.pk}")
            for trade in own.sample(trades, DEMAND_TRADES):
                demand.append(
                    Demand(
                        school=school,
                        trade=trade,
                        school_year=year,
                        yff_pupils=own.randint(0, 30),
                        apprenticeship_seekers=own.randint(0, 25),
                        is_demo=True,
                    )
                )
        Demand.objects.bulk_create(demand, batch_size=BATCH)
        progress("vet demand", len(demand))
    _placements(factor, rng, schools, year, progress)
    progress("vet supply/demand rows", recompute_supply_demand())


def _placements(
    factor: float,
    rng: random.Random,
    schools: list[Organisation],
    year: int,
    progress: Callable[[str, int], None],
) -> None:
    wanted = round(PLACEMENTS * factor)
    have = Placement.objects.filter(pupil_name__startswith="Elev ").count()
    yff = list(
        Offer.objects.filter(kind=OfferKind.YFF, organisation__name__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", "organisation__county_id")
    )
    by_county: dict[int, list[int]] = {}
    for school in schools:
        by_county.setdefault(school.county_id, []).append(school.pk)  # type: ignore[arg-type]
    yff = [(pk, county) for pk, county in yff if county in by_county]
    if not yff or have >= wanted:
        progress("vet placements", 0)
        return
    start = date(year, 9, 1)
    made = 0
    for first in range(have, wanted, BATCH):
        with transaction.atomic():
            rows = []
            for n in range(first, min(first + BATCH, wanted)):
                own = _rng(f"vet-placement:{n}")
                offer_id, county_id = yff[own.randrange(len(yff))]
                begins = start + timedelta(days=own.randint(0, 60))
                rows.append(
                    Placement(
                        offer_id=offer_id,
                        school_id=own.choice(by_county[county_id]),
                        pupil_name=f"Elev {n + 1:06d}",
                        pupil_first_name="Elev",
                        starts_on=begins,
                        ends_on=begins + timedelta(days=10),
                        hours=60,
                        is_demo=True,
                    )
                )
            Placement.objects.bulk_create(rows, batch_size=BATCH)
            assessments = []
            for p in rows:
                own = _rng(f"vet-assessment:{p.pupil_name}")
                if own.random() >= ASSESSED_SHARE:
                    continue
                outcome = own.choice([Outcome.COMPLETED, Outcome.COMPLETED, Outcome.PARTLY])
                assessments.append(Assessment(placement=p, side=Side.SCHOOL, outcome=outcome))
                assessments.append(
                    Assessment(
                        placement=p,
                        side=Side.WORKPLACE,
                        outcome=outcome,
                        would_take_apprentice=own.random() < 0.6,
                    )
                )
            Assessment.objects.bulk_create(assessments, batch_size=BATCH)
            made += len(rows)
    progress("vet placements", made)
