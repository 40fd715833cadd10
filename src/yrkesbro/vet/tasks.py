"""VET work done by the background worker; every task is safe to run twice.

- ``refresh_supply_demand`` recomputes the public supply/demand table (enqueued after a
  commit that changed offers, demand or the register);
- ``vet_sweep`` asks both sides for an assessment when a placement has ended, and removes
  pupil names a configurable number of days after the school year ended. It runs in the
  worker's daily sweep (``core.tasks.register_daily``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from yrkesbro.core.outbox import queue_email
from yrkesbro.vet.models import (
    Demand,
    Offer,
    OfferKind,
    Outcome,
    Placement,
    PlacementRate,
    Side,
    SupplyDemand,
)


def recompute_supply_demand() -> int:
    """Replace the table with fresh sums: four grouped queries and one bulk insert.

    Offers count in the county of the offering organisation, demand in the county of the
    school; organisations without a county are left out.
    """
    now = timezone.now()
    figures: dict[tuple[int, int, int], dict[str, int]] = {}

    def add(rows: object, field: str) -> None:
        for county_id, trade_id, year, total in rows:  # type: ignore[attr-defined]
            key = (county_id, trade_id, year)
            figures.setdefault(key, {})[field] = (figures.get(key, {}).get(field, 0)) + (total or 0)

    offers = Offer.objects.filter(organisation__county__isnull=False, trade__is_active=True)
    for kind, field in (
        (OfferKind.APPRENTICESHIP, "places_offered"),
        (OfferKind.YFF, "yff_places"),
    ):
        add(
            offers.filter(kind=kind)
            .values_list("organisation__county_id", "trade_id", "school_year")
            .annotate(total=Sum("places"))
            .order_by(),
            field,
        )
    demand = Demand.objects.filter(school__county__isnull=False, trade__is_active=True)
    for source, field in (
        ("apprenticeship_seekers", "pupils_seeking"),
        ("yff_pupils", "yff_pupils"),
    ):
        add(
            demand.values_list("school__county_id", "trade_id", "school_year")
            .annotate(total=Sum(source))
            .order_by(),
            field,
        )
    rows = [
        SupplyDemand(
            county_id=county_id,
            trade_id=trade_id,
            school_year=year,
            computed_at=now,
            **values,
        )
        for (county_id, trade_id, year), values in figures.items()
    ]
    rates = _rates(now)
    with transaction.atomic():
        SupplyDemand.objects.all().delete()
        SupplyDemand.objects.bulk_create(rows, batch_size=1000)
        PlacementRate.objects.all().delete()
        PlacementRate.objects.bulk_create(rates, batch_size=1000)
    return len(rows)


def _rates(now: datetime) -> list[PlacementRate]:
    """Assessment counts per county, school year and trade or workplace: two grouped queries.

    ``completed`` counts the school's assessments saying completed; ``would_take`` the
    workplace's saying yes, out of those that answered the question."""
    school = Q(assessments__side=Side.SCHOOL)
    workplace = Q(assessments__side=Side.WORKPLACE)
    counts = {
        "n": Count("id", distinct=True),
        "school_assessed": Count("assessments", filter=school),
        "completed": Count(
            "assessments", filter=school & Q(assessments__outcome=Outcome.COMPLETED)
        ),
        "workplace_assessed": Count(
            "assessments",
            filter=workplace & Q(assessments__would_take_apprentice__isnull=False),
        ),
        "would_take": Count(
            "assessments", filter=workplace & Q(assessments__would_take_apprentice=True)
        ),
    }
    placements = Placement.objects.filter(offer__organisation__county__isnull=False)
    rows: list[PlacementRate] = []
    for group, key, label in (
        ("trade", "offer__trade_id", "offer__trade__name"),
        ("workplace", "offer__organisation_id", "offer__organisation__name"),
    ):
        grouped = (
            placements.values("offer__organisation__county_id", "offer__school_year", key, label)
            .annotate(**counts)
            .order_by()
        )
        for r in grouped:
            rows.append(
                PlacementRate(
                    county_id=r["offer__organisation__county_id"],
                    school_year=r["offer__school_year"],
                    group=group,
                    key=r[key],
                    label=r[label][:200],
                    placements=r["n"],
                    school_assessed=r["school_assessed"],
                    completed=r["completed"],
                    workplace_assessed=r["workplace_assessed"],
                    would_take=r["would_take"],
                    computed_at=now,
                )
            )
    return rows


@task()
def refresh_supply_demand() -> int:
    return recompute_supply_demand()


def school_year_end(school_year: int) -> date:
    return date(school_year + 1, 7, 31)


def request_assessments(today: date | None = None) -> int:
    """Ask the teacher and the instructor of each ended placement for an assessment, once."""
    today = today or timezone.localdate()
    sent = 0
    due = Placement.objects.filter(ends_on__lt=today, assessment_requested_at=None).select_related(
        "offer__trade", "offer__instructor", "teacher"
    )
    for placement in due:
        with transaction.atomic():
            # Claimed first, so a second run (or worker) sends nothing twice.
            claimed = Placement.objects.filter(
                pk=placement.pk, assessment_requested_at=None
            ).update(assessment_requested_at=timezone.now())
            if not claimed:
                continue
            subject = _("Assess the workplace practice in %(trade)s") % {
                "trade": placement.offer.trade.name
            }
            body = _(
                "The placement %(start)s–%(end)s has ended. Give your short assessment: "
                "completed or not, how it went, and whether the workplace would take the "
                "pupil as an apprentice."
            ) % {"start": placement.starts_on, "end": placement.ends_on}
            for who, person in (
                ("instructor", placement.offer.instructor),
                ("teacher", placement.teacher),
            ):
                email = getattr(person, "email", "") or (
                    placement.offer.instructor_email if who == "instructor" else ""
                )
                queue_email(
                    to=email,
                    subject=subject,
                    body=body,
                    url=placement.get_absolute_url(),
                    key=f"vet-assess-{placement.pk}-{who}",
                )
            sent += 1
    return sent


def remove_pupil_names(today: date | None = None) -> int:
    """Blank pupil names once the school year ended more than the configured days ago.

    The placements (and so the counts and assessments) stay."""
    today = today or timezone.localdate()
    days = int(getattr(settings, "VET_PUPIL_NAMES_KEPT_DAYS", 90))
    # The school year of a placement is that of its offer; it ends on 31 July.
    cutoff = today - timedelta(days=days)
    latest_year = cutoff.year - 1  # the school year that ended on 31 July of cutoff's year
    if cutoff <= school_year_end(latest_year):
        latest_year -= 1
    return (
        Placement.objects.filter(offer__school_year__lte=latest_year, names_removed_at=None)
        .filter(~Q(pupil_name="") | ~Q(pupil_first_name=""))
        .update(pupil_name="", pupil_first_name="", names_removed_at=timezone.now())
    )


@task()
def vet_sweep() -> dict[str, int]:
    """Ask for assessments of ended placements and remove expired pupil names; run by the
    worker's daily sweep (registered in ``VetConfig.ready``), safe to run twice."""
    with translation.override(settings.LANGUAGE_CODE):
        return {"asked": request_assessments(), "names_removed": remove_pupil_names()}
