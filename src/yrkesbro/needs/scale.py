"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): competence plans and
needs of the municipalities, with their competence areas and status history.

At factor 1: 1,000 plans (about three per municipality) and 20,000 needs. Needs are owned
by municipalities chosen with a skew (Oslo first), so a few municipalities have thousands
and most have a few dozen, as at national scale. About 60 % are published and shared with
schools; the rest are drafts, internal, being met, met or withdrawn. Synthetic rows are
marked by ``(syntetisk n)`` in the plan title and the need's unit.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yrkesbro.core.scale import BATCH, Scale, Step, indexed_rows, skewed_index
from yrkesbro.needs.models import (
    CompetencePlan,
    Driver,
    Need,
    NeedStatusChange,
    ServiceArea,
    Status,
    Urgency,
    Visibility,
)
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

PLANS = 1000
NEEDS = 20000
MARK = " (syntetisk "

UNITS = {
    ServiceArea.HEALTH: (
        "Hjemmetjenesten",
        "Sykehjemmet",
        "Rus og psykisk helse",
        "Bo- og aktivitetssenter",
        "Legevakten",
        "Rehabiliteringsavdelingen",
    ),
    ServiceArea.UPBRINGING: ("Barnehagene", "Skolefritidsordningen", "Helsestasjonen"),
}
DESCRIPTIONS = (
    "Flere brukere med demens bor hjemme lenger, og vi trenger mer kompetanse.",
    "Vi har mange nye medarbeidere uten fagutdanning innen dette feltet.",
    "Samhandlingsreformen gir oss mer komplekse pasienter i kommunen.",
    "Vi ønsker å bygge et fagmiljø for tidlig innsats og forebygging.",
    "Bruk av velferdsteknologi krever ny kompetanse hos de ansatte.",
    "",
)
# (status, visibility, weight): about 60 % published and shared.
MIX = (
    (Status.PUBLISHED, Visibility.SHARED, 12),
    (Status.DRAFT, Visibility.PRIVATE, 2),
    (Status.DRAFT, Visibility.INTERNAL, 2),
    (Status.BEING_MET, Visibility.SHARED, 2),
    (Status.MET, Visibility.SHARED, 1),
    (Status.WITHDRAWN, Visibility.INTERNAL, 1),
)


def _municipalities() -> list[int]:
    return list(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        .order_by("number")
        .values_list("pk", flat=True)
    )


def step_plans(scale: Scale) -> int:
    total = scale.count(PLANS)
    done = CompetencePlan.objects.filter(title__contains=MARK).count()
    municipalities = _municipalities()
    if done >= total or not municipalities:
        return 0
    now = timezone.now()
    new = []
    for i, rng in indexed_rows(scale, "plans", done, total):
        start = scale.today.year - rng.randint(0, 2)
        visibility = rng.choice([Visibility.SHARED, Visibility.SHARED, Visibility.INTERNAL])
        approved = rng.random() < 0.5
        new.append(
            CompetencePlan(
                organisation_id=municipalities[(i - 1) % len(municipalities)],
                title=f"Kompetanseplan helse og oppvekst{MARK}{i:05d})",
                start_year=start,
                end_year=start + rng.randint(1, 4),
                summary="Syntetisk kompetanseplan for ytelsestester.",
                visibility=visibility,
                approved_by_name="Syntetisk rådmann" if approved else "",
                approved_at=now if approved else None,
                is_demo=True,
            )
        )
    return len(CompetencePlan.objects.bulk_create(new, batch_size=BATCH))


def step_needs(scale: Scale) -> int:
    """round(20000·F) needs with one to three competence areas of their field."""
    total = scale.count(NEEDS)
    done = Need.objects.filter(unit__contains=MARK).count()
    municipalities = _municipalities()
    if done >= total or not municipalities:
        return 0
    plans: dict[int, list[int]] = {}
    for pk, org in (
        CompetencePlan.objects.filter(title__contains=MARK)
        .order_by("pk")
        .values_list("pk", "organisation_id")
    ):
        plans.setdefault(org, []).append(pk)
    areas = {
        field: list(
            CompetenceArea.objects.filter(field=field, is_active=True)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        for field in (ServiceArea.HEALTH, ServiceArea.UPBRINGING)
    }
    now = timezone.now()
    needs: list[Need] = []
    chosen_areas: list[list[int]] = []
    for i, rng in indexed_rows(scale, "needs", done, total):
        org = municipalities[skewed_index(rng, len(municipalities))]
        field = ServiceArea.HEALTH if rng.random() < 0.75 else ServiceArea.UPBRINGING
        status, visibility, _w = rng.choices(MIX, weights=[m[2] for m in MIX])[0]
        own_plans = plans.get(org, [])
        published = status != Status.DRAFT
        needs.append(
            Need(
                organisation_id=org,
                plan_id=rng.choice(own_plans) if own_plans and rng.random() < 0.8 else None,
                service_area=field,
                unit=f"{rng.choice(UNITS[field])}{MARK}{i:05d})",
                description=rng.choice(DESCRIPTIONS),
                people=rng.randint(1, 40),
                deadline=scale.today + dt.timedelta(days=rng.randint(60, 1000)),
                urgency=rng.choice(list(Urgency.values)),
                drivers=rng.sample(list(Driver.values)[:4], rng.randint(0, 2)),
                online_ok=rng.random() < 0.7,
                part_time_ok=rng.random() < 0.8,
                evenings_ok=rng.random() < 0.3,
                max_travel_km=rng.choice([None, None, 50, 100, 200]),
                status=status,
                visibility=visibility,
                published_at=now if published else None,
                is_demo=True,
            )
        )
        pool = areas[field] or areas[ServiceArea.HEALTH]
        chosen_areas.append(rng.sample(pool, min(len(pool), rng.randint(1, 3))) if pool else [])
    created = Need.objects.bulk_create(needs, batch_size=BATCH)
    through = Need.areas.through
    through.objects.bulk_create(
        (
            through(need_id=need.pk, competencearea_id=area)
            for need, picked in zip(created, chosen_areas, strict=True)
            for area in picked
        ),
        batch_size=5000,
    )
    NeedStatusChange.objects.bulk_create(
        (
            NeedStatusChange(
                need=need,
                from_status=Status.DRAFT,
                to_status=Status.PUBLISHED,
                actor_name="system",
                note="Syntetisk",
            )
            for need in created
            if need.published_at is not None
        ),
        batch_size=BATCH,
    )
    return len(created)


def counts() -> dict[str, int]:
    return {
        "plans": CompetencePlan.objects.filter(title__contains=MARK).count(),
        "needs": Need.objects.filter(unit__contains=MARK).count(),
    }


STEPS = [Step("plans", step_plans), Step("needs", step_needs)]
