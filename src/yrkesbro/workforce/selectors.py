"""Reads for workforce development, always through ``visible_to``/``editable_by``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from yrkesbro.core.caching import versioned
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Actor, Capability, has_capability, organisation_ids_with
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


def enrolments(actor: Actor, organisation: Organisation, status: str = "") -> QuerySet:
    """The employer's enrolments for its editors, newest first, with only what the list
    shows. Through ``editable_by`` (the employer's page is for its editors): no join to the
    employee for the condition, so a page walks the (organisation, enrolled on) index and
    stops after its rows instead of sorting all of them."""
    qs = (
        Enrolment.objects.editable_by(actor)
        .filter(organisation=organisation)
        .select_related("employee", "programme")
        .only(
            "id",
            "status",
            "enrolled_on",
            "ended_on",
            "employee__full_name",
            "programme__title",
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-enrolled_on", "-id")


def seats_taken(request_ids: list[int]) -> dict[int, int]:
    """Seats held on each of these accepted offers (interrupted enrolments free theirs), in
    one grouped query; offers without enrolments are missing from the answer."""
    if not request_ids:
        return {}
    return dict(
        Enrolment.objects.filter(request_id__in=request_ids)
        .exclude(status=EnrolmentStatus.INTERRUPTED)
        .order_by()
        .values_list("request_id")
        .annotate(n=Count("id"))
        .values_list("request_id", "n")
    )


def accepted_offers(organisation: Organisation, limit: int = 20) -> list[Any]:
    """The organisation's latest accepted offers, each with ``seats_taken`` (two queries)."""
    from yrkesbro.matching.models import Request, RequestStatus

    accepted = list(
        Request.objects.filter(need__organisation=organisation, status=RequestStatus.ACCEPTED)
        .select_related("need", "school", "offer_programme")
        .order_by("-updated_at")[:limit]
    )
    taken = seats_taken([req.pk for req in accepted])
    for req in accepted:
        req.seats_taken = taken.get(req.pk, 0)  # type: ignore[attr-defined]
    return accepted


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


class Year(ExtractYear):
    """The year of a date. On SQLite it is read from the stored ISO text in SQL, instead of
    Django's ``django_date_extract``, a Python function called for every row."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


_ENDED = ("completed", "interrupted", "new_tasks", "new_job_group", "salary")


def _grouped(qs: QuerySet, *group_fields: str) -> tuple[list[dict], list[dict]]:
    """Enrolments by the year they started; completions, interruptions and outcomes by the
    year they ended; per ``group_fields``. Two grouped queries."""
    started = list(
        qs.annotate(y=Year("enrolled_on"))
        .order_by()
        .values("y", *group_fields)
        .annotate(enrolled=Count("id"))
    )
    ended = list(
        qs.filter(ended_on__isnull=False)
        .annotate(y=Year("ended_on"))
        .order_by()
        .values("y", *group_fields)
        .annotate(
            completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
            interrupted=Count("id", filter=Q(status=EnrolmentStatus.INTERRUPTED)),
            new_tasks=Count("id", filter=Q(outcome__gave_new_tasks=True)),
            new_job_group=Count("id", filter=Q(outcome__gave_new_job_group=True)),
            salary=Count("id", filter=Q(outcome__salary_step_nok__gt=0)),
        )
    )
    return started, ended


def _rows(started: list[dict], ended: list[dict], label: Any) -> list[EffectRow]:
    """The grouped figures summed per year and ``label(item)``, sorted by year and label."""
    rows: dict[tuple[int, str], EffectRow] = {}

    def row(item: dict) -> EffectRow:
        key = (item["y"], label(item))
        return rows.setdefault(key, EffectRow(*key))

    for item in started:
        row(item).enrolled += item["enrolled"]
    for item in ended:
        r = row(item)
        for name in _ENDED:
            setattr(r, name, getattr(r, name) + item[name])
    return sorted(rows.values(), key=lambda r: (r.year, r.group))


# An upper bound on how long a change the version cannot see (a renamed programme, rows
# loaded past the services) stays unseen.
EFFECT_CACHE_SECONDS = 3600


def effect_version(organisation: Organisation) -> tuple[Any, ...]:
    """What the effect figures read changed when this changed: every write of the
    workforce services records an audit entry for the employer (the last one's id, read
    from the (organisation, created) index), and the number of its enrolments catches
    rows loaded past the services; the group labels are in the reader's language."""
    last = (
        AuditEntry.objects.filter(organisation=organisation)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    enrolments = Enrolment.objects.filter(organisation=organisation).count()
    return (last, enrolments, get_language())


def effect(actor: Actor, organisation: Organisation) -> Effect:
    """The employer's effect figures, computed once per version of its enrolments.

    They are sums over every enrolment of the employer (200 ms of SQL for 20,000 at factor
    10), the same for everyone who may edit its enrolments, so they are kept in the cache
    for them; anyone else gets what they may see, computed each time."""
    if not has_capability(actor, Capability.EDIT_CONTENT, organisation):
        return _effect(actor, organisation)
    return versioned(
        f"workforce:effect:{organisation.pk}",
        effect_version(organisation),
        lambda: _effect(actor, organisation),
        EFFECT_CACHE_SECONDS,
    )


def _effect(actor: Actor, organisation: Organisation) -> Effect:
    """The employer's effect figures, from the enrolments the actor may edit.

    Four grouped queries whatever the number of enrolments: two by service area, two by
    programme title and national plan (which give both the per-programme and the per-plan
    table). They still read every enrolment of the employer: the figures are sums over all
    of them."""
    qs = Enrolment.objects.editable_by(actor).filter(organisation=organisation)
    areas = {k: str(v) for k, v in ServiceArea.choices}
    started, ended = _grouped(qs, "employee__service_area")
    result = Effect(
        by_service_area=_rows(
            started,
            ended,
            lambda item: areas.get(
                item["employee__service_area"], str(item["employee__service_area"])
            ),
        )
    )
    started, ended = _grouped(qs, "programme__title", "programme__national_plan__title_nb")
    result.by_programme = _rows(started, ended, lambda item: item["programme__title"])
    # The competence area a programme serves is its national plan (none: its own plan).
    result.by_plan = _rows(
        started,
        ended,
        lambda item: (
            "–"
            if item["programme__national_plan__title_nb"] is None
            else item["programme__national_plan__title_nb"]
        ),
    )
    result.years = sorted({r.year for r in result.by_service_area})
    totals = EffectRow(0, "")
    for r in result.by_service_area:
        totals.enrolled += r.enrolled
        for name in _ENDED:
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
