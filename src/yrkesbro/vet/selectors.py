"""Reads for upper-secondary VET, always through ``visible_to``; aggregates from the
precomputed ``SupplyDemand`` table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet, Sum

from yrkesbro.core.policies import (
    Actor,
    Capability,
    has_capability,
    is_platform_admin,
    organisation_ids_with,
)
from yrkesbro.core.queries import count_per_row
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet.models import (
    Demand,
    Hospitering,
    Offer,
    Placement,
    PlacementRate,
    SupplyDemand,
    Trade,
)

MIN_PLACEMENTS_FOR_RATE = 5


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    programme_code: str
    programme_name: str
    places_offered: int
    pupils_seeking: int
    yff_places: int
    yff_pupils: int

    @property
    def shortfall(self) -> int:
        """Pupils seeking an apprenticeship minus places offered; negative is a surplus."""
        return self.pupils_seeking - self.places_offered

    @property
    def yff_shortfall(self) -> int:
        return self.yff_pupils - self.yff_places


@dataclass(frozen=True)
class SupplyDemandView:
    county: Organisation | None
    school_year: int
    rows: list[Row]
    computed_at: datetime | None

    @property
    def totals(self) -> dict[str, int]:
        return {
            "places_offered": sum(r.places_offered for r in self.rows),
            "pupils_seeking": sum(r.pupils_seeking for r in self.rows),
            "yff_places": sum(r.yff_places for r in self.rows),
            "yff_pupils": sum(r.yff_pupils for r in self.rows),
        }


def school_years() -> list[int]:
    return list(
        SupplyDemand.objects.values_list("school_year", flat=True)
        .distinct()
        .order_by("-school_year")
    )


def supply_demand(*, county: Organisation | None, school_year: int) -> SupplyDemandView:
    """Per trade (from the register): the sums over the county (or every county), trades
    with the largest apprenticeship shortfall first. Two queries."""
    qs = SupplyDemand.objects.filter(school_year=school_year)
    if county is not None:
        qs = qs.filter(county=county)
    sums = (
        qs.values("trade__code", "trade__name", "trade__programme_code", "trade__programme_name")
        .annotate(
            offered=Sum("places_offered"),
            seeking=Sum("pupils_seeking"),
            yff_p=Sum("yff_places"),
            yff_d=Sum("yff_pupils"),
            at=Max("computed_at"),
        )
        .order_by()
    )
    rows: list[Row] = []
    computed_at = None
    for s in sums:
        rows.append(
            Row(
                code=s["trade__code"],
                name=s["trade__name"],
                programme_code=s["trade__programme_code"],
                programme_name=s["trade__programme_name"],
                places_offered=s["offered"] or 0,
                pupils_seeking=s["seeking"] or 0,
                yff_places=s["yff_p"] or 0,
                yff_pupils=s["yff_d"] or 0,
            )
        )
        computed_at = max(filter(None, [computed_at, s["at"]]), default=None)
    if computed_at is None:
        computed_at = SupplyDemand.objects.aggregate(at=Max("computed_at"))["at"]
    rows.sort(key=lambda r: (-r.shortfall, -r.yff_shortfall, r.name))
    return SupplyDemandView(
        county=county, school_year=school_year, rows=rows, computed_at=computed_at
    )


def counties() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")


def trades() -> QuerySet[Trade]:
    return Trade.objects.filter(is_active=True)


def offers(actor: Actor) -> QuerySet[Offer]:
    # ``booked`` per row by a sub-query, so a page of offers counts only its own placements.
    return (
        Offer.objects.visible_to(actor)
        .select_related("organisation", "trade")
        .annotate(booked=count_per_row(Placement.objects.all(), "offer_id"))
    )


def demand(actor: Actor) -> QuerySet[Demand]:
    return Demand.objects.visible_to(actor).select_related("school", "trade")


def placements(actor: Actor) -> QuerySet[Placement]:
    return Placement.objects.visible_to(actor).select_related(
        "offer__trade", "offer__organisation", "school"
    )


def hospiterings(actor: Actor) -> QuerySet[Hospitering]:
    return Hospitering.objects.visible_to(actor).select_related("school", "workplace")


def pupil_label(actor: Actor, placement: Placement) -> str:
    """What this reader may see of the pupil: the school its full name, the workplace the
    first name the school shared; nothing once the names are removed."""
    return pupil_labeller(actor)(placement)


def pupil_labeller(actor: Actor) -> Callable[[Placement], str]:
    """``pupil_label`` for many placements, with one query for the reader's organisations."""
    if is_platform_admin(actor):
        return lambda p: p.pupil_name
    schools = set(
        organisation_ids_with(actor, Capability.VIEW_INTERNAL).values_list(
            "organisation_id", flat=True
        )
    )
    return lambda p: p.pupil_name if p.school_id in schools else p.pupil_first_name


def can_see_pupil_name(actor: Actor, placement: Placement) -> bool:
    return has_capability(actor, Capability.VIEW_INTERNAL, placement.school_id)


@dataclass(frozen=True)
class Rate:
    label: str
    placements: int
    completed: int | None  # percent, None when fewer than MIN_PLACEMENTS_FOR_RATE
    would_take: int | None


def county_rates(county: Organisation, school_year: int) -> dict[str, list[Rate]]:
    """Completion (the school's assessment) and "would take as apprentice" (the workplace's)
    per trade and per workplace, from the precomputed counts (one query); a rate only where
    at least five assessed placements lie behind it."""

    def pct(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole >= MIN_PLACEMENTS_FOR_RATE else None

    out: dict[str, list[Rate]] = {"trades": [], "workplaces": []}
    # Every trade, but only the workplaces with a figure to show: a county has thousands.
    enough = Q(school_assessed__gte=MIN_PLACEMENTS_FOR_RATE) | Q(
        workplace_assessed__gte=MIN_PLACEMENTS_FOR_RATE
    )
    rows = (
        PlacementRate.objects.filter(county=county, school_year=school_year)
        .filter(Q(group="trade") | enough)
        .order_by("group", "label", "key")
    )
    for r in rows:
        out["trades" if r.group == "trade" else "workplaces"].append(
            Rate(
                label=r.label,
                placements=r.placements,
                completed=pct(r.completed, r.school_assessed),
                would_take=pct(r.would_take, r.workplace_assessed),
            )
        )
    return out


def is_county_member(actor: Actor, county: Organisation | None) -> bool:
    return county is not None and has_capability(actor, Capability.VIEW_INTERNAL, county)


def editable(actor: Actor, kinds: tuple[str, ...]) -> QuerySet[Organisation]:
    if is_platform_admin(actor):
        return Organisation.objects.filter(kind__in=kinds, is_active=True)
    return Organisation.objects.filter(
        kind__in=kinds, pk__in=organisation_ids_with(actor, Capability.EDIT_CONTENT)
    )
