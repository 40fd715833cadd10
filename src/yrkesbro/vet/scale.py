"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): upper-secondary VET.

At factor 1: every synthetic company and training office of the core steps (400) offers
apprenticeship places and YFF practice in one to three trades of the shipped register;
every synthetic upper-secondary school records its demand in eight trades; 20,000
placements of pupils of those schools on YFF offers in the school's county, 40 % of them
assessed by both sides; 1,000 hospitering exchanges between the school and the company
of synthetic partnerships that have both. Last, the supply/demand table and the
placement rates as the worker keeps them.

Rows are drawn from per-row random streams (``scale.rng(step, index)``; a company's or a
school's index is the number in its synthetic name), so a seed gives the same rows at any
factor, and each step creates only what is missing. Synthetic rows are ``is_demo`` and
belong to synthetic organisations; pupils are "Elev 000001 (syntetisk)", hospitering
participants "Syntetisk lærer 00001".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from yrkesbro.collaboration.models import PartnershipParty
from yrkesbro.collaboration.scale import MARK as PARTNERSHIP_MARK
from yrkesbro.core.scale import BATCH, NAME_PREFIX, Scale, Step, indexed_rows
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet import services
from yrkesbro.vet.models import (
    Approval,
    Assessment,
    Demand,
    Hospitering,
    HospiteringStatus,
    Level,
    Offer,
    OfferKind,
    Outcome,
    Placement,
    Side,
    SupplyDemand,
    Trade,
)
from yrkesbro.vet.register import load_trades

PLACEMENTS = 20_000
HOSPITERINGS = 1_000
DEMAND_TRADES = 8
ASSESSED_SHARE = 0.4
PUPIL_MARK = " (syntetisk)"
PARTICIPANT = "Syntetisk lærer"
COMPANY_KINDS = (Kind.COMPANY, Kind.TRAINING_OFFICE)
SCHOOL_KINDS = (Kind.UPPER_SECONDARY_SCHOOL, Kind.FAGSKOLE)


def _synthetic(kinds: tuple[str, ...]) -> list[tuple[int, int, int | None]]:
    """(index in the name, pk, county) of the synthetic organisations of ``kinds``."""
    rows = (
        Organisation.objects.filter(
            is_demo=True, name__startswith=f"{NAME_PREFIX} ", kind__in=kinds
        )
        .order_by("name")
        .values_list("name", "pk", "county_id")
    )
    out = []
    for name, pk, county in rows:
        number = name.rsplit(" ", 1)[-1]
        if number.isdigit():
            out.append((int(number), pk, county))
    return sorted(out)


def _trades() -> list[int]:
    load_trades()  # idempotent: the shipped register
    return list(Trade.objects.filter(is_active=True).order_by("code").values_list("pk", flat=True))


def step_offers(scale: Scale) -> int:
    """Apprenticeship places and YFF practice of each synthetic company without offers."""
    trades = _trades()
    companies = _synthetic(COMPANY_KINDS)
    have = set(
        Offer.objects.filter(
            is_demo=True,
            organisation__is_demo=True,
            organisation__name__startswith=f"{NAME_PREFIX} ",
            organisation__kind__in=COMPANY_KINDS,
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    year = services.current_school_year(scale.today)
    new = []
    for n, (index, pk, _county) in enumerate(companies, start=1):
        if n % BATCH == 0:
            scale.progress("vet_offers", n, len(companies))
        if pk in have or not trades:
            continue
        rng = scale.rng("vet_offers", index)
        for trade in rng.sample(trades, min(len(trades), rng.randint(1, 3))):
            new.append(
                Offer(
                    organisation_id=pk,
                    trade_id=trade,
                    kind=OfferKind.APPRENTICESHIP,
                    school_year=year,
                    places=rng.randint(1, 4),
                    starts_on=dt.date(year + 1, 8, 15),
                    approval=Approval.APPROVED,
                    instructor_name="Syntetisk instruktør",
                    is_demo=True,
                )
            )
            new.append(
                Offer(
                    organisation_id=pk,
                    trade_id=trade,
                    kind=OfferKind.YFF,
                    school_year=year,
                    places=rng.randint(2, 12),
                    level=rng.choice([Level.VG1, Level.VG2]),
                    hours=60,
                    weeks="36–41",
                    instructor_name="Syntetisk instruktør",
                    is_demo=True,
                )
            )
    scale.progress("vet_offers", len(companies), len(companies))
    return len(Offer.objects.bulk_create(new, batch_size=BATCH))


def step_demand(scale: Scale) -> int:
    """Eight trades of demand for each synthetic upper-secondary school without any."""
    trades = _trades()
    schools = _synthetic((Kind.UPPER_SECONDARY_SCHOOL,))
    have = set(Demand.objects.values_list("school_id", flat=True).distinct())
    year = services.current_school_year(scale.today)
    new = []
    for index, pk, _county in schools:
        if pk in have or not trades:
            continue
        rng = scale.rng("vet_demand", index)
        for trade in rng.sample(trades, min(len(trades), DEMAND_TRADES)):
            new.append(
                Demand(
                    school_id=pk,
                    trade_id=trade,
                    school_year=year,
                    yff_pupils=rng.randint(0, 30),
                    apprenticeship_seekers=rng.randint(0, 25),
                    is_demo=True,
                )
            )
    scale.progress("vet_demand", len(schools), len(schools))
    return len(Demand.objects.bulk_create(new, batch_size=BATCH))


def _synthetic_placements() -> int:
    # Not by the pupil's name: the worker removes names after the school year.
    return Placement.objects.filter(
        is_demo=True, offer__is_demo=True, offer__organisation__name__startswith=f"{NAME_PREFIX} "
    ).count()


def step_placements(scale: Scale) -> int:
    """Placements n = 1 … round(20,000·F) on YFF offers in the county of the pupil's school."""
    total = scale.count(PLACEMENTS)
    done = _synthetic_placements()
    if done >= total:
        return 0
    by_county: dict[int, list[int]] = {}
    for _index, pk, county in _synthetic((Kind.UPPER_SECONDARY_SCHOOL,)):
        if county is not None:
            by_county.setdefault(county, []).append(pk)
    yff = [
        (pk, county)
        for pk, county in Offer.objects.filter(
            kind=OfferKind.YFF,
            is_demo=True,
            organisation__is_demo=True,
            organisation__name__startswith=f"{NAME_PREFIX} ",
        )
        .order_by("pk")
        .values_list("pk", "organisation__county_id")
        if county in by_county
    ]
    if not yff:
        return 0
    start = dt.date(services.current_school_year(scale.today), 9, 1)
    placements: list[Placement] = []
    assessments: list[Assessment] = []
    made = 0

    def flush() -> None:
        nonlocal made
        created = Placement.objects.bulk_create(placements, batch_size=BATCH)
        for placement, row in zip(created, pending, strict=True):
            for assessment in row:
                assessment.placement = placement
                assessments.append(assessment)
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        made += len(created)
        placements.clear()
        pending.clear()
        assessments.clear()

    pending: list[list[Assessment]] = []
    for i, rng in indexed_rows(scale, "vet_placements", done, total):
        offer, county = yff[rng.randrange(len(yff))]
        begins = start + dt.timedelta(days=rng.randint(0, 60))
        placements.append(
            Placement(
                offer_id=offer,
                school_id=rng.choice(by_county[county]),
                pupil_name=f"Elev {i:06d}{PUPIL_MARK}",
                pupil_first_name="Elev",
                starts_on=begins,
                ends_on=begins + dt.timedelta(days=10),
                hours=60,
                is_demo=True,
            )
        )
        row = []
        if rng.random() < ASSESSED_SHARE:
            outcome = rng.choice([Outcome.COMPLETED, Outcome.COMPLETED, Outcome.PARTLY])
            row = [
                Assessment(side=Side.SCHOOL, outcome=outcome),
                Assessment(
                    side=Side.WORKPLACE, outcome=outcome, would_take_apprentice=rng.random() < 0.6
                ),
            ]
        pending.append(row)
        if len(placements) >= BATCH:
            flush()
    flush()
    return made


def step_hospitering(scale: Scale) -> int:
    """Exchanges n = 1 … round(1,000·F) between the school and the company of a synthetic
    partnership that has both; a third of them reported, the rest asked or accepted."""
    total = scale.count(HOSPITERINGS)
    done = Hospitering.objects.filter(is_demo=True, participant__startswith=PARTICIPANT).count()
    if done >= total:
        return 0
    sides: dict[int, dict[str, int]] = {}
    for partnership, org, kind in (
        PartnershipParty.objects.filter(partnership__name__contains=PARTNERSHIP_MARK)
        .order_by("partnership_id", "organisation_id")
        .values_list("partnership_id", "organisation_id", "organisation__kind")
    ):
        side = "workplace" if kind in COMPANY_KINDS else "school" if kind in SCHOOL_KINDS else ""
        if side:
            sides.setdefault(partnership, {}).setdefault(side, org)
    pairs = [(pk, s["school"], s["workplace"]) for pk, s in sides.items() if len(s) == 2]
    if not pairs:
        return 0
    new = []
    for i, rng in indexed_rows(scale, "vet_hospitering", done, total):
        partnership, school, workplace = pairs[rng.randrange(len(pairs))]
        status = rng.choice(
            [HospiteringStatus.REQUESTED, HospiteringStatus.ACCEPTED, HospiteringStatus.REPORTED]
        )
        starts = scale.today + dt.timedelta(days=rng.randint(-300, 120))
        days = rng.randint(1, 5)
        reported = status == HospiteringStatus.REPORTED
        new.append(
            Hospitering(
                partnership_id=partnership,
                school_id=school,
                workplace_id=workplace,
                asked_by_side=rng.choice([Side.SCHOOL, Side.WORKPLACE]),
                participant=f"{PARTICIPANT} {i:05d}",
                status=status,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=days - 1),
                days=days,
                goals="Bli kjent med arbeidsoppgavene i faget og oppdatere undervisningen.",
                school_report="Nyttige dager; vi tar med oss eksempler." if reported else "",
                workplace_report="God dialog om hva lærlingene trenger." if reported else "",
                is_demo=True,
            )
        )
    return len(Hospitering.objects.bulk_create(new, batch_size=BATCH))


def step_supply_demand(scale: Scale) -> int:
    """The public supply/demand table and placement rates, as the worker keeps them."""
    from yrkesbro.vet.tasks import recompute_supply_demand

    if not scale.changed and SupplyDemand.objects.exists():
        return 0
    return recompute_supply_demand()


def counts() -> dict[str, int]:
    return {
        "vet_offers": Offer.objects.filter(
            is_demo=True, organisation__name__startswith=f"{NAME_PREFIX} "
        ).count(),
        "vet_placements": _synthetic_placements(),
        "hospiterings": Hospitering.objects.filter(participant__startswith=PARTICIPANT).count(),
    }


STEPS = [
    Step("vet_offers", step_offers),
    Step("vet_demand", step_demand),
    Step("vet_placements", step_placements),
    Step("vet_hospitering", step_hospitering),
    Step("supply_demand", step_supply_demand),
]


def seed(
    *,
    factor: float,
    rng: random.Random | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """The organisation and user steps, then this app's (what bench/vet.py builds on).

    ``rng`` is not used: every row has its own stream from seed-scale's seed.
    """
    from yrkesbro.core.scale import STEPS as CORE_STEPS
    from yrkesbro.core.scale import seed_scale

    report = (lambda r: progress(r.name, r.created)) if progress else (lambda r: None)
    seed_scale(factor, steps=[*CORE_STEPS, *STEPS], report=report)
