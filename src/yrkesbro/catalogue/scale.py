"""Synthetic programmes for benchmarks and scale tests (``generate_programmes``).

Texts are recombined from the programmes already in the catalogue (load the
reference catalogue first), so the vocabulary and term statistics stay
realistic. Rows are marked ``is_demo`` with codes ``SYN-<n>`` and written in
bulk, index included; ``remove_generated`` deletes them again.

``STEPS`` is this app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``):
programmes (codes ``SCALE-P-n``) of the synthetic schools, with their search index, and
their offerings (``SCALE-O-n``), and for one in five programmes one or two competence
areas of their own beyond their national plan.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import (
    SCHOOL_KINDS,
    Delivery,
    Funding,
    NationalPlan,
    Offering,
    OfferingStatus,
    Pace,
    Programme,
)
from yrkesbro.core.scale import Scale, Step
from yrkesbro.organisations.models import Kind, Organisation

PREFIX = "SYN-"
BATCH = 500


def _shuffle_words(rng: random.Random, texts: list[str], n_words: int) -> str:
    words = [w for t in rng.sample(texts, k=min(3, len(texts))) for w in t.split()]
    rng.shuffle(words)
    return " ".join(words[:n_words])


@transaction.atomic
def generate_programmes(n: int, *, seed: int = 1) -> int:
    """Add synthetic programmes until the catalogue holds ``n``; returns how many were added."""
    have = Programme.objects.count()
    if have >= n:
        return 0
    rng = random.Random(seed + have)  # noqa: S311 - synthetic benchmark data
    models = list(
        Programme.objects.exclude(code__startswith=PREFIX).select_related("national_plan")
    )
    if not models:
        raise ValueError("Load the reference catalogue first (yrkesbro demo).")
    descriptions = [p.description for p in models if p.description]
    areas = {
        p.national_plan.pk: search.plan_areas_text(p.national_plan)
        for p in models
        if p.national_plan
    }
    start = Programme.objects.filter(code__startswith=PREFIX).count()
    added = 0
    while added < n - have:
        batch = []
        for i in range(min(BATCH, n - have - added)):
            model = rng.choice(models)
            number = start + added + i + 1
            programme = Programme(
                school_id=model.school_id,
                national_plan=model.national_plan,
                code=f"{PREFIX}{number}",
                title=f"{model.title} {rng.choice(['', 'II', 'fordypning', 'videreutdanning'])}".strip(),
                field=model.field,
                credits=model.credits,
                nkr_level=model.nkr_level,
                description=_shuffle_words(rng, descriptions, rng.randint(30, 60)),
                outcomes_knowledge=model.outcomes_knowledge,
                outcomes_skills=model.outcomes_skills,
                outcomes_general_competence=model.outcomes_general_competence,
                is_demo=True,
            )
            programme._texts = search.document_fields(programme, areas)  # type: ignore[attr-defined]
            batch.append(programme)
        for programme in batch:
            programme._tenths, programme.search_length = search.document_terms(programme._texts)  # type: ignore[attr-defined]
        Programme.objects.bulk_create(batch)
        _add_postings(batch)
        added += len(batch)
    search.refresh_impacts()
    return added


def _add_postings(programmes: list[Programme]) -> None:
    """The search postings of freshly created programmes (``_tenths`` set by the caller)."""
    search.add_postings((p.pk, p._tenths, p.search_length) for p in programmes)  # type: ignore[attr-defined]


def remove_generated() -> int:
    deleted, _ = Programme.objects.filter(code__startswith=PREFIX).delete()
    search.recount_df()
    search.refresh_impacts()
    return deleted


# --- ``yrkesbro seed-scale``: programmes and offerings of the synthetic schools -------------

SCALE_PROGRAMMES = 2000  # per factor 1
OFFERINGS_PER_PROGRAMME = 2
SCALE_PROGRAMME_PREFIX = "SCALE-P-"
SCALE_OFFERING_PREFIX = "SCALE-O-"
VARIANTS = ("", "II", "fordypning", "videreutdanning", "deltid", "nettbasert")


def _synthetic_schools() -> list[Organisation]:
    from yrkesbro.core.scale import NAME_PREFIX

    return list(
        Organisation.objects.filter(
            is_demo=True, name__startswith=f"{NAME_PREFIX} ", kind__in=SCHOOL_KINDS
        )
        .select_related("municipality")
        .order_by("name")
    )


def step_programmes(scale: Scale) -> int:
    """round(2000·F) programmes of the synthetic schools, each following a national plan,
    with texts recombined from the national plans, indexed for search as a save would."""
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.core.scale import indexed_rows
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_national_plans()
    load_competence_areas()
    total = scale.count(SCALE_PROGRAMMES)
    done = Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).count()
    schools = _synthetic_schools()
    if done >= total or not schools:
        return 0
    plans = list(NationalPlan.objects.order_by("code"))
    areas = {plan.pk: search.plan_areas_text(plan) for plan in plans}
    texts = [
        " ".join([p.description_nb, p.outcomes_knowledge_nb, p.outcomes_skills_nb]) for p in plans
    ]
    made = 0
    batch: list[Programme] = []

    def flush() -> None:
        Programme.objects.bulk_create(batch)
        _add_postings(batch)
        batch.clear()

    for i, rng in indexed_rows(scale, "programmes", done, total):
        plan = plans[rng.randrange(len(plans))]
        programme = Programme(
            school=schools[rng.randrange(len(schools))],
            national_plan=plan,
            code=f"{SCALE_PROGRAMME_PREFIX}{i:05d}",
            title=f"{plan.title_nb} {rng.choice(VARIANTS)}".strip(),
            field=plan.field,
            credits=plan.credits,
            nkr_level=rng.choice(["5.1", "5.1", "5.2"]),
            description=_shuffle_words(rng, texts, rng.randint(30, 60)),
            outcomes_knowledge=plan.outcomes_knowledge_nb,
            outcomes_skills=plan.outcomes_skills_nb,
            outcomes_general_competence=plan.outcomes_general_competence_nb,
            is_demo=True,
        )
        programme._tenths, programme.search_length = search.document_terms(  # type: ignore[attr-defined]
            search.document_fields(programme, areas)
        )
        batch.append(programme)
        made += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    search.refresh_impacts()
    return made


def step_offerings(scale: Scale) -> int:
    """Two offerings per synthetic programme: mostly at or near the school, one in ten
    online; start dates from half a year ago to two years ahead."""
    from yrkesbro.core.scale import indexed_rows

    programmes = dict(
        Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).values_list(
            "code", "school__municipality_id"
        )
    )
    ids = dict(
        Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).values_list("code", "pk")
    )
    total = len(programmes) * OFFERINGS_PER_PROGRAMME
    done = Offering.objects.filter(code__startswith=SCALE_OFFERING_PREFIX).count()
    if done >= total:
        return 0
    municipalities = list(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    new = []
    for i, rng in indexed_rows(scale, "offerings", done, total):
        code = f"{SCALE_PROGRAMME_PREFIX}{(i - 1) // OFFERINGS_PER_PROGRAMME + 1:05d}"
        if code not in ids:
            continue
        online = rng.random() < 0.1
        if online:
            municipality = None
        elif rng.random() < 0.75 and programmes[code]:
            municipality = programmes[code]
        else:
            municipality = municipalities[rng.randrange(len(municipalities))]
        start = scale.today + dt.timedelta(days=rng.randint(-180, 720))
        semesters = rng.choice([2, 2, 3, 4])
        status = (
            OfferingStatus.RUNNING
            if start < scale.today
            else rng.choice(
                [
                    OfferingStatus.PLANNED,
                    OfferingStatus.OPEN,
                    OfferingStatus.OPEN,
                    OfferingStatus.FULL,
                ]
            )
        )
        new.append(
            Offering(
                programme_id=ids[code],
                code=f"{SCALE_OFFERING_PREFIX}{i:05d}",
                municipality_id=municipality,
                delivery=Delivery.ONLINE
                if online
                else rng.choice([Delivery.CAMPUS, Delivery.BLENDED]),
                pace=rng.choice([Pace.PART_TIME, Pace.PART_TIME, Pace.FULL_TIME]),
                start_date=start,
                end_date=start + dt.timedelta(days=182 * semesters),
                semesters=semesters,
                seats=rng.randint(10, 40),
                price_nok=rng.choice([0, 0, 15000, 30000, 60000]),
                funding=rng.choice(
                    [Funding.STATE_FUNDED, Funding.STATE_FUNDED, Funding.TUITION, Funding.EMPLOYER]
                ),
                application_deadline=start - dt.timedelta(days=60),
                status=status,
                is_demo=True,
            )
        )
    return len(Offering.objects.bulk_create(new, batch_size=BATCH))


OWN_AREAS_SHARE = 0.2  # programmes that name competence areas of their own


def step_own_areas(scale: Scale) -> int:
    """One in five synthetic programmes names one or two competence areas of its field that
    its national plan does not cover. Drawn per programme from its own stream, so the same
    programme gets the same areas at any factor; only missing links are added."""
    from yrkesbro.taxonomy.models import CompetenceArea

    areas = list(CompetenceArea.objects.filter(is_active=True).order_by("code"))
    plan_areas: dict[int, set[int]] = {}
    for area_id, plan_id in CompetenceArea.national_plans.through.objects.values_list(
        "competencearea_id", "nationalplan_id"
    ):
        plan_areas.setdefault(plan_id, set()).add(area_id)
    through = Programme.competence_areas.through
    rows = Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).values_list(
        "pk", "code", "field", "national_plan_id"
    )
    have = set(
        through.objects.filter(programme__code__startswith=SCALE_PROGRAMME_PREFIX).values_list(
            "programme_id", "competencearea_id"
        )
    )
    new = []
    for pk, code, field, plan_id in rows:
        rng = scale.rng("own-areas", int(code.removeprefix(SCALE_PROGRAMME_PREFIX)))
        if rng.random() >= OWN_AREAS_SHARE:
            continue
        covered = plan_areas.get(plan_id, set())
        choices = [a for a in areas if a.field in (field, "both") and a.pk not in covered]
        for area in rng.sample(choices, k=min(rng.randint(1, 2), len(choices))):
            if (pk, area.pk) not in have:
                new.append(through(programme_id=pk, competencearea_id=area.pk))
    return len(through.objects.bulk_create(new, batch_size=BATCH))


def counts() -> dict[str, int]:
    return {
        "programmes": Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).count(),
        "offerings": Offering.objects.filter(code__startswith=SCALE_OFFERING_PREFIX).count(),
        "programme_own_areas": Programme.competence_areas.through.objects.filter(
            programme__code__startswith=SCALE_PROGRAMME_PREFIX
        ).count(),
    }


STEPS = [
    Step("programmes", step_programmes),
    Step("offerings", step_offerings),
    Step("own_areas", step_own_areas),
]
