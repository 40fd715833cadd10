"""Reads of needs and plans; every query goes through the visibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from yrkesbro.core.inputs import parse_id
from yrkesbro.core.policies import Actor, Capability, is_platform_admin, organisation_ids_with
from yrkesbro.needs.models import CompetencePlan, Need, Status, Urgency
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

OWNER_KINDS = (Kind.MUNICIPALITY, Kind.COMPANY, Kind.COUNTY)


def _county_filter(county: str) -> Q | None:
    """``county`` is a county number ("34") or an organisation id; None when it is neither."""
    if len(county) == 2 and county.isdigit():
        return Q(organisation__county__number=county) | Q(
            organisation__kind=Kind.COUNTY, organisation__number=county
        )
    number = parse_id(county)
    if number is not None:
        return Q(organisation__county_id=number) | Q(organisation_id=number)
    return None


def need_list(
    *,
    actor: Actor,
    area: str = "",
    county: str = "",
    status: str = "",
    organisation: int | None = None,
    q: str = "",
    mine: bool = False,
) -> QuerySet[Need]:
    qs = (
        Need.objects.visible_to(actor)
        .select_related("organisation", "organisation__county", "plan")
        .prefetch_related(Prefetch("areas", queryset=CompetenceArea.objects.order_by("code")))
    )
    if area:
        qs = qs.filter(areas__code=area)
    if county:
        condition = _county_filter(county)
        qs = qs.filter(condition) if condition is not None else qs.none()
    if status:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if q:
        qs = qs.filter(Q(unit__icontains=q) | Q(description__icontains=q))
    if mine:
        qs = qs.filter(organisation__in=organisation_ids_with(actor, Capability.VIEW_INTERNAL))
    qs = qs.order_by("deadline", "id")
    return qs.distinct() if area else qs


# What a row of the needs list shows (needs/partials/results.html and tags.html).
LIST_COLUMNS = (
    "id",
    "unit",
    "is_demo",
    "people",
    "deadline",
    "urgency",
    "status",
    "visibility",
    "organisation__name",
    "organisation__county__name",
)


def list_rows(qs: QuerySet[Need]) -> QuerySet[Need]:
    """``need_list`` narrowed to the list's columns: the page builds 25 needs with their
    organisation and county names, not every column of the need, its plan and both
    organisations (the download keeps them all)."""
    return qs.select_related(None).select_related("organisation__county").only(*LIST_COLUMNS)


def plan_list(*, actor: Actor, organisation: int | None = None) -> QuerySet[CompetencePlan]:
    qs = (
        CompetencePlan.objects.visible_to(actor)
        .select_related("organisation", "organisation__county", "owner")
        # Only the needs the actor may read are counted (a shared plan may hold
        # another organisation's private drafts). A correlated count per plan, so a page of
        # 25 plans counts 25 plans' needs through the plan index, not every visible plan's
        # (a GROUP BY over all 20,000 needs before the LIMIT at national scale).
        .annotate(
            need_count=Coalesce(
                Subquery(
                    Need.objects.visible_to(actor)
                    .filter(plan=OuterRef("pk"))
                    .order_by()
                    .values("plan")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-start_year", "title", "id")
    )
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    return qs


def with_readable_plan(qs: QuerySet[Need], actor: Actor) -> QuerySet[Need]:
    """Annotate ``readable_plan_id``: the need's plan id if ``actor`` may read that plan.

    A shared need may sit in a private plan; its id must not reach the caller.
    """
    readable = CompetencePlan.objects.visible_to(actor).values("pk")
    return qs.annotate(
        readable_plan_id=Case(When(plan__in=readable, then=F("plan_id")), default=Value(None))
    )


def readable_plan_needs(actor: Actor) -> Prefetch:
    """Prefetch a plan's needs limited to those ``actor`` may read (for ``plan.needs.all()``)."""
    # Only ids: the API lists a plan's needs by id, and a city's plan holds hundreds.
    return Prefetch(
        "needs", queryset=Need.objects.visible_to(actor).only("id", "plan_id").order_by("id")
    )


def plan_needs(*, actor: Actor, plan: CompetencePlan) -> QuerySet[Any]:
    """The plan's needs ``actor`` may read, by deadline, as plain rows (``PLAN_ROW_FIELDS``,
    no model instances): a Paginator reads a page of them, print reads them all; their
    areas come from ``area_names``."""
    return (
        Need.objects.visible_to(actor)
        .filter(plan=plan)
        .order_by("deadline", "id")
        .values(*PLAN_ROW_FIELDS)
    )


PLAN_ROW_FIELDS = ("pk", "unit", "people", "deadline", "urgency", "status")


def area_names(
    *, need_ids: list[int] | None = None, plan: CompetencePlan | None = None
) -> dict[int, list[str]]:
    """The competence area names of these needs (or of every need of ``plan``; look up only
    the needs the reader may see), by need, in code order, in the reader's language: two
    queries, pairs of ids and then the few areas they name, however many needs there are."""
    links = Need.areas.through.objects.all()
    if need_ids is not None:
        links = links.filter(need_id__in=need_ids)
    if plan is not None:
        links = links.filter(need__plan=plan)
    pairs = list(links.values_list("need_id", "competencearea_id"))
    areas = CompetenceArea.objects.filter(pk__in={area for _need, area in pairs})
    named = {area.pk: (area.code, area.name) for area in areas}
    by_need: dict[int, list[tuple[str, str]]] = {}
    for need, area in pairs:
        by_need.setdefault(need, []).append(named[area])
    return {need: [name for _code, name in sorted(found)] for need, found in by_need.items()}


def plan_totals(*, actor: Actor, plan: CompetencePlan) -> dict[str, int]:
    """How many of the plan's needs ``actor`` may read, and how many people they name:
    one aggregate query, whatever the size of the plan."""
    totals = (
        Need.objects.visible_to(actor)
        .filter(plan=plan)
        .aggregate(needs=Count("pk"), people=Sum("people"))
    )
    return {"needs": totals["needs"] or 0, "people": totals["people"] or 0}


def plan_addable_needs(*, actor: Actor, plan: CompetencePlan, q: str = "") -> QuerySet[Need]:
    """What may be added to ``plan``: the plan's organisation's needs that ``actor`` may
    edit, not in this plan and not withdrawn, optionally matching ``q`` (unit or
    description). Needs in another plan are included (adding moves them)."""
    qs = (
        Need.objects.editable_by(actor)
        .filter(organisation=plan.organisation)
        .exclude(status=Status.WITHDRAWN)
        .exclude(plan=plan)
        .select_related("plan")
        .prefetch_related(Prefetch("areas", queryset=CompetenceArea.objects.order_by("code")))
    )
    if q:
        qs = qs.filter(Q(unit__icontains=q) | Q(description__icontains=q))
    return qs.order_by("deadline", "id")


def editable_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Where the actor may record needs and plans."""
    qs = Organisation.objects.filter(kind__in=OWNER_KINDS, is_active=True).select_related("county")
    if is_platform_admin(actor):
        return qs
    return qs.filter(id__in=organisation_ids_with(actor, Capability.EDIT_CONTENT))


def member_organisations(actor: Actor) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind__in=OWNER_KINDS)
    return qs.filter(id__in=organisation_ids_with(actor, Capability.VIEW_INTERNAL))


# The regional view ------------------------------------------------------------------


@dataclass
class AreaRow:
    code: str
    name: str
    field: str
    needs: int = 0
    people: int = 0
    low: int = 0
    medium: int = 0
    high: int = 0


@dataclass
class Aggregate:
    county: Organisation | None
    rows: list[AreaRow] = field(default_factory=list)
    needs: int = 0
    people: int = 0
    organisations: int = 0
    by_urgency: dict[str, int] = field(default_factory=dict)
    refreshed_at: Any = None  # when read from the worker's counts


def published_needs(county: Organisation | None = None) -> QuerySet[Need]:
    """What the regional view counts: needs shared with schools and still open (published).

    Built on ``public()``, the same rule that decides what anyone signed in may read.
    """
    qs = Need.objects.public().filter(status=Status.PUBLISHED)
    if county is not None:
        qs = qs.filter(Q(organisation__county=county) | Q(organisation=county))
    return qs


def regional_aggregate(*, county: Organisation | None = None) -> Aggregate:
    """Published needs by competence area: needs, people and urgency. A need with two areas
    counts in both rows; the totals count each need once.

    Read from the counts the worker keeps (``regional_tables``) once they have been
    refreshed; computed here before that."""
    from yrkesbro.needs import regional_tables

    refreshed = regional_tables.last_refresh()
    if refreshed is None:
        return compute_regional_aggregate(county=county)
    per_area, totals = regional_tables.stored(county)
    result = _aggregate(county, per_area, totals)
    result.refreshed_at = refreshed.finished_at
    return result


def compute_regional_aggregate(*, county: Organisation | None = None) -> Aggregate:
    """``regional_aggregate`` computed from the needs now (the definition the stored counts
    follow). Three queries at any scale."""
    per_area, totals = regional_counts(county)
    return _aggregate(county, per_area, totals)


def regional_counts(county: Organisation | None) -> tuple[dict[int, dict], dict[str, int]]:
    """Counts by area id (needs, people, low, medium, high) and in total (also
    organisations) of the published needs of ``county`` (or the nation)."""
    needs = published_needs(county)
    through = Need.areas.through
    per_area = {
        row["competencearea_id"]: row
        for row in through.objects.filter(need__in=needs.values("pk"))
        .values("competencearea_id")
        .annotate(
            needs=Count("need_id"),
            people=Sum("need__people"),
            low=Count("need_id", filter=Q(need__urgency=Urgency.LOW)),
            medium=Count("need_id", filter=Q(need__urgency=Urgency.MEDIUM)),
            high=Count("need_id", filter=Q(need__urgency=Urgency.HIGH)),
        )
    }
    totals = needs.aggregate(
        needs=Count("pk"),
        people=Sum("people"),
        organisations=Count("organisation", distinct=True),
        low=Count("pk", filter=Q(urgency=Urgency.LOW)),
        medium=Count("pk", filter=Q(urgency=Urgency.MEDIUM)),
        high=Count("pk", filter=Q(urgency=Urgency.HIGH)),
    )
    return per_area, {key: value or 0 for key, value in totals.items()}


def _aggregate(
    county: Organisation | None, per_area: dict[int, dict], totals: dict[str, int]
) -> Aggregate:
    result = Aggregate(
        county=county,
        needs=totals["needs"] or 0,
        people=totals["people"] or 0,
        organisations=totals["organisations"] or 0,
        by_urgency={u: totals[u] or 0 for u in Urgency.values},
    )
    for area in CompetenceArea.objects.order_by("field", "code"):
        row = per_area.get(area.pk)
        if row is None and not area.is_active:
            continue
        item = AreaRow(code=area.code, name=area.name, field=area.get_field_display())
        if row:
            item.needs, item.people = row["needs"], row["people"] or 0
            item.low, item.medium, item.high = row["low"], row["medium"], row["high"]
        result.rows.append(item)
    result.rows.sort(key=lambda r: (-r.people, r.name))
    return result


def counties() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")
