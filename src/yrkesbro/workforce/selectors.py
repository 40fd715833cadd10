"""Reads for workforce development, always through ``visible_to``/``editable_by``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from yrkesbro.core.policies import Actor, Capability, organisation_ids_with
from yrkesbro.needs.models import ServiceArea
from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce.models import (
    Employee,
    Enrolment,
    EnrolmentStatus,
    IncentivePolicy,
    ProgrammeOutcome,
)


def employer_orgs(actor: Actor) -> QuerySet:
    """Organisations whose staff the actor may enrol (editors and administrators)."""
    return Organisation.objects.filter(
        id__in=organisation_ids_with(actor, Capability.EDIT_CONTENT)
    ).order_by("name")


def enrolments(actor: Actor, organisation: Organisation | None = None) -> QuerySet:
    qs = Enrolment.objects.visible_to(actor).select_related(
        "employee", "programme", "programme__school", "offering", "outcome"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-enrolled_on", "-id")


def employees(actor: Actor, organisation: Organisation) -> QuerySet:
    return Employee.objects.visible_to(actor).filter(organisation=organisation)


def my_enrolments(actor: Actor) -> QuerySet:
    """Only the rows about the actor themselves, whatever their role."""
    if not actor.is_authenticated:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(employee__user=actor)
        .select_related("employee", "organisation", "programme", "programme__school", "outcome")
        .order_by("-enrolled_on", "-id")
    )


def policy_for(actor: Actor, organisation: Organisation | int) -> IncentivePolicy | None:
    return IncentivePolicy.objects.visible_to(actor).filter(organisation=organisation).first()


def school_orgs(actor: Actor) -> QuerySet:
    """Schools whose members the actor is (they see seat counts, never names)."""
    from yrkesbro.organisations.models import Kind

    return Organisation.objects.filter(
        id__in=organisation_ids_with(actor, Capability.VIEW_INTERNAL),
        kind__in=[Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL],
    ).order_by("name")


def seats_by_municipality(actor: Actor, school: Organisation) -> list[dict[str, Any]]:
    """What a school sees: seats taken on its programmes per employer, counts only."""
    if not Organisation.objects.filter(
        pk=school.pk, pk__in=organisation_ids_with(actor, Capability.VIEW_INTERNAL)
    ).exists() and not getattr(actor, "is_superuser", False):
        return []
    return list(
        Enrolment.objects.filter(programme__school=school)
        .exclude(status=EnrolmentStatus.INTERRUPTED)
        .values("organisation__name", "programme__title")
        .annotate(seats=Count("id"))
        .order_by("organisation__name", "programme__title")
    )


@dataclass
class EffectRow:
    year: int
    group: str
    enrolled: int = 0
    completed: int = 0
    interrupted: int = 0
    new_tasks: int = 0
    new_job_group: int = 0
    salary: int = 0


@dataclass
class Effect:
    by_service_area: list[EffectRow] = field(default_factory=list)
    by_programme: list[EffectRow] = field(default_factory=list)
    by_plan: list[EffectRow] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    totals: EffectRow = field(default_factory=lambda: EffectRow(0, ""))


def _rows(qs: QuerySet, group_field: str, labels: dict[Any, str] | None) -> list[EffectRow]:
    """Enrolments by the year they started; completions, interruptions and outcomes by the
    year they ended. Two grouped queries."""
    rows: dict[tuple[int, str], EffectRow] = {}

    def row(year: int, key: Any) -> EffectRow:
        label = str(labels.get(key, key)) if labels is not None else str(key)
        return rows.setdefault((year, label), EffectRow(year, label))

    for item in (
        qs.annotate(y=ExtractYear("enrolled_on")).values("y", group_field).annotate(n=Count("id"))
    ):
        row(item["y"], item[group_field]).enrolled += item["n"]
    ended = (
        qs.filter(ended_on__isnull=False)
        .annotate(y=ExtractYear("ended_on"))
        .values("y", group_field)
        .annotate(
            completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
            interrupted=Count("id", filter=Q(status=EnrolmentStatus.INTERRUPTED)),
            new_tasks=Count("id", filter=Q(outcome__gave_new_tasks=True)),
            new_job_group=Count("id", filter=Q(outcome__gave_new_job_group=True)),
            salary=Count("id", filter=Q(outcome__salary_step_nok__gt=0)),
        )
    )
    for item in ended:
        r = row(item["y"], item[group_field])
        for name in ("completed", "interrupted", "new_tasks", "new_job_group", "salary"):
            setattr(r, name, getattr(r, name) + item[name])
    return sorted(rows.values(), key=lambda r: (r.year, r.group))


def effect(actor: Actor, organisation: Organisation) -> Effect:
    """The employer's effect figures, from the enrolments the actor may edit."""
    qs = Enrolment.objects.editable_by(actor).filter(organisation=organisation)
    result = Effect(
        by_service_area=_rows(
            qs, "employee__service_area", {k: str(v) for k, v in ServiceArea.choices}
        ),
        by_programme=_rows(qs, "programme__title", None),
        # The competence area a programme serves is its national plan (none: its own plan).
        by_plan=_rows(qs, "programme__national_plan__title_nb", {None: "–"}),
    )
    result.years = sorted({r.year for r in result.by_service_area})
    totals = EffectRow(0, "")
    for r in result.by_service_area:
        for name in (
            "enrolled",
            "completed",
            "interrupted",
            "new_tasks",
            "new_job_group",
            "salary",
        ):
            setattr(totals, name, getattr(totals, name) + getattr(r, name))
    result.totals = totals
    return result


def programme_outcome(programme_id: int) -> ProgrammeOutcome | None:
    return ProgrammeOutcome.objects.filter(programme_id=programme_id).first()


def public_outcomes() -> QuerySet:
    """The open per-programme figures: only programmes with at least ``THRESHOLD``
    completions behind them (below it every figure is withheld), by title."""
    from yrkesbro.workforce.models import THRESHOLD

    return (
        ProgrammeOutcome.objects.filter(completions__gte=THRESHOLD)
        .select_related("programme__school")
        .order_by("programme__title", "programme_id")
    )
