"""A school's demand: the published needs in its reach, by area, its leads, and a page of the
needs, all counted and paginated in SQL.

A need is in reach when the distance between the school's place and the need's place (each
organisation's municipality, from the table computed once per register,
``organisations.distances``) is within the need's maximum travel (kilometres, else minutes at
``scoring.KM_PER_MINUTE``, else ``scoring.DEFAULT_REACH_KM``). The distance is a join on the
table, so the needs out of reach are never loaded, and only one page of needs is.

The aggregates (totals, areas, leads) are the same for every reader of a school and cost
five scans of the needs in reach (about 400 ms at national scale on SQLite), so they are
kept in the cache per school under a version of everything they read: the published
needs (count, last change), their areas (count, last link), the organisations (last
change), the distance table (size), the taxonomy's version, and the school's covered
areas, online areas and partners, and the reader's language (area names). Any change to
one of those makes a new key; a page otherwise reads the aggregates from the cache.

The order of the needs in reach (most urgent, then nearest) is a sort of every published
need joined to the distances, as costly as the aggregates, so the cached figures also keep
the ids and distances of the first ``ORDER_KEPT`` needs in that order (compact arrays): the
first pages load their 25 needs by id, and only a page beyond those sorts in SQL.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.translation import get_language

from yrkesbro.core.caching import versioned
from yrkesbro.matching import scoring
from yrkesbro.needs.models import Need, Urgency
from yrkesbro.needs.selectors import published_needs
from yrkesbro.organisations import distances
from yrkesbro.organisations.models import Kind, MunicipalityDistance, Organisation
from yrkesbro.taxonomy.models import CompetenceArea, TaxonomyVersion


@dataclass
class DemandNeed:
    need: Need
    km: float | None
    areas: list[str]
    matching: bool  # one of its areas is covered by the school's programmes


@dataclass
class DemandArea:
    code: str
    name: str
    needs: int = 0
    people: int = 0
    high: int = 0
    covered: bool = False


LEADS_SHOWN = 25
# Needs in reach whose order is kept with the cached figures: the first 20 pages of 25.
ORDER_KEPT = 500


@dataclass
class Lead:
    organisation: Organisation
    needs: int = 0
    people: int = 0
    areas: set[str] = field(default_factory=set)
    km: float | None = None


@dataclass
class Demand:
    school: Organisation
    count: int = 0  # needs in reach
    people: int = 0
    areas: list[DemandArea] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)  # the first LEADS_SHOWN of lead_total
    lead_total: int = 0
    needs_in_reach: QuerySet[Need] = field(default_factory=Need.objects.none)
    covered: set[str] = field(default_factory=set)
    # The ids and distances (NaN for none) of the first needs in reach, in page order.
    first_ids: array = field(default_factory=lambda: array("q"))
    first_km: array = field(default_factory=lambda: array("d"))

    def page(self, number: Any, per_page: int = 25) -> Page:
        """One page of the needs in reach (most urgent, then nearest, first) as ``DemandNeed``:
        loaded by id when its order is kept with the figures, else sorted in SQL."""
        paginator = Paginator(self.needs_in_reach, per_page)
        paginator.__dict__["count"] = self.count  # known already: spare the COUNT
        page = paginator.get_page(number)
        start, end = page.start_index() - 1, page.end_index()
        needs: list[tuple[Need, float | None]]
        if self.count and end <= len(self.first_ids):
            needs = self._by_id(start, end)
        else:
            needs = [(need, need.km) for need in cast(Any, page.object_list)]
        rows: Any = [
            DemandNeed(
                need,
                km,
                [a.name for a in need.areas.all()],
                bool(self.covered.intersection(a.code for a in need.areas.all())),
            )
            for need, km in needs
        ]
        page.object_list = rows
        return page

    def _by_id(self, start: int, end: int) -> list[tuple[Need, float | None]]:
        """The kept needs ``start:end`` with their distances, read by id and still
        published (a write the version cannot see drops a need rather than showing it)."""
        ids = list(self.first_ids[start:end])
        kms = self.first_km[start:end]
        found = published_needs().filter(pk__in=ids).select_related("organisation")
        loaded = {n.pk: n for n in page_columns(found).prefetch_related("areas")}
        return [
            (loaded[pk], None if math.isnan(km) else km)
            for pk, km in zip(ids, kms, strict=True)
            if pk in loaded
        ]


def page_columns(qs: QuerySet[Need]) -> QuerySet[Need]:
    """The columns the page shows of a need and its organisation."""
    return qs.only("pk", "unit", "people", "urgency", "deadline", "organisation__name")


def reach_km() -> Case:
    """A need's reach in kilometres, as SQL (the rule of ``selectors.max_travel_km``)."""
    return Case(
        When(max_travel_km__gt=0, then=Cast("max_travel_km", FloatField())),
        When(
            max_travel_minutes__gt=0,
            then=Cast(F("max_travel_minutes") * scoring.KM_PER_MINUTE, FloatField()),
        ),
        default=Value(scoring.DEFAULT_REACH_KM),
        output_field=FloatField(),
    )


def needs_in_reach(
    school: Organisation, online_areas: set[int] | frozenset[int] = frozenset()
) -> QuerySet[Need]:
    """Published needs in reach of ``school``, annotated with ``km``, most urgent and nearest
    first. A need in one of ``online_areas`` (what the school's online offerings serve) is in
    reach wherever it is when its staff can attend online teaching."""
    origin = distances.place_of(school.kind, school.pk, school.municipality_id)
    if origin is None and not online_areas:
        return Need.objects.none()
    qs = published_needs()
    if origin is not None:
        distances.ensure(origin)
        # Two joins on the distance table, filtered to the school's row: one for needs of a
        # municipality (its own place), one for the others (their municipality's).
        own = FilteredRelation(
            "organisation__distances_in",
            condition=Q(organisation__distances_in__origin_id=origin),
        )
        theirs = FilteredRelation(
            "organisation__municipality__distances_in",
            condition=Q(organisation__municipality__distances_in__origin_id=origin),
        )
        qs = qs.annotate(own_distance=own, their_distance=theirs)
        km: Any = Case(
            When(organisation__kind=Kind.MUNICIPALITY, then=F("own_distance__km")),
            default=F("their_distance__km"),
            output_field=FloatField(),
        )
    else:
        km = Value(None, output_field=FloatField())
    in_reach = Q(km__lte=F("reach"))
    if online_areas:
        in_reach |= Q(
            online_ok=True,
            pk__in=Need.areas.through.objects.filter(
                competencearea_id__in=list(online_areas)
            ).values("need_id"),
        )
    urgency = Case(
        When(urgency=Urgency.HIGH, then=Value(0)),
        When(urgency=Urgency.MEDIUM, then=Value(1)),
        When(urgency=Urgency.LOW, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        qs.annotate(km=km, reach=reach_km())
        .filter(in_reach)
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", F("km").asc(nulls_last=True), "pk")
    )


def school_demand(
    school: Organisation,
    covered: set[str],
    partners: set[int],
    online_areas: set[int] | frozenset[int] = frozenset(),
) -> Demand:
    """Published needs within reach of the school, by area; leads are needing organisations
    with an area the school covers (``covered``, area codes) and no partnership with it yet
    (``partners``, organisation ids). A fixed number of queries, whatever the number of needs;
    only the page asked for is loaded (``Demand.page``)."""
    qs = needs_in_reach(school, online_areas)
    demand = Demand(school=school, covered=covered)
    demand.needs_in_reach = page_columns(qs.select_related("organisation")).prefetch_related(
        "areas"
    )
    figures = versioned(
        f"matching:demand:{school.pk}",
        # The area names are in the reader's language.
        (
            data_version(),
            sorted(covered),
            sorted(partners),
            sorted(online_areas),
            get_language(),
            LEADS_SHOWN,
            ORDER_KEPT,
        ),
        lambda: _aggregate(qs, covered, partners),
        CACHE_SECONDS,
    )
    (
        demand.count,
        demand.people,
        demand.areas,
        demand.leads,
        demand.lead_total,
        demand.first_ids,
        demand.first_km,
    ) = figures
    return demand


CACHE_SECONDS = 3600  # an upper bound on staleness should a change escape the version


def data_version() -> str:
    """What every school's demand reads, in six aggregate queries (the taxonomy's version
    for the area names: every change to an area bumps it). The links are counted with a
    bare COUNT(*), which the databases answer from the smallest index (SQLite without
    reading a row), and their last id is one look-up."""
    needs = published_needs().aggregate(n=Count("pk"), at=Max("updated_at"))
    links = {
        "n": Need.areas.through.objects.count(),
        "last": Need.areas.through.objects.aggregate(last=Max("pk"))["last"],
    }
    orgs = Organisation.objects.aggregate(at=Max("updated_at"))
    distances_n = MunicipalityDistance.objects.count()
    taxonomy = TaxonomyVersion.objects.aggregate(at=Max("number"))["at"]
    return (
        f"{needs['n']}|{needs['at']}|{links['n']}|{links['last']}|{orgs['at']}|{distances_n}"
        f"|{taxonomy}"
    )


Figures = tuple[int, int, list[DemandArea], list[Lead], int, array, array]


def _aggregate(qs: QuerySet[Need], covered: set[str], partners: set[int]) -> Figures:
    """Totals, areas, the first leads and the order of the first needs in reach, in six
    queries."""
    totals = qs.aggregate(n=Count("pk"), people=Sum("people"))
    count, people = totals["n"] or 0, totals["people"] or 0
    if not count:
        return 0, 0, [], [], 0, array("q"), array("d")
    first = list(cast(Any, qs).values_list("pk", "km")[:ORDER_KEPT])
    first_ids = array("q", (pk for pk, _ in first))
    first_km = array("d", (math.nan if km is None else km for _, km in first))
    in_reach = qs.values("pk")
    through = Need.areas.through.objects.filter(need__in=in_reach)
    by_area = {
        row["competencearea_id"]: row
        for row in through.values("competencearea_id").annotate(
            needs=Count("need_id"),
            people=Sum("need__people"),
            high=Count("need_id", filter=Q(need__urgency=Urgency.HIGH)),
        )
    }
    areas = CompetenceArea.objects.in_bulk(list(by_area))
    area_rows = sorted(
        (
            DemandArea(
                a.code,
                a.name,
                row["needs"],
                row["people"] or 0,
                row["high"],
                covered=a.code in covered,
            )
            for pk, row in by_area.items()
            if (a := areas.get(pk)) is not None
        ),
        key=lambda a: (-a.people, a.code),
    )
    # Leads: organisations (not yet partners) with a need in reach in an area the school covers.
    matching = qs.filter(
        pk__in=Need.areas.through.objects.filter(competencearea__code__in=covered).values("need_id")
    ).exclude(organisation__in=partners)
    # The leads with the most people first, cut in SQL: a school with an online offering
    # reaches the whole country, where every needing organisation is a lead.
    grouped = (
        matching.order_by()
        .values("organisation")
        .annotate(n=Count("pk"), people=Sum("people"), nearest=Min("km"))
    )
    lead_total = grouped.count()
    lead_rows = list(grouped.order_by("-people", "organisation__name")[:LEADS_SHOWN])
    orgs = Organisation.objects.in_bulk([row["organisation"] for row in lead_rows])
    lead_areas: dict[int, set[str]] = defaultdict(set)
    covered_areas = {a.pk: a for a in CompetenceArea.objects.filter(code__in=covered)}
    for org, area in (
        Need.areas.through.objects.filter(
            need__in=matching.filter(organisation__in=list(orgs)).values("pk"),
            competencearea_id__in=list(covered_areas),
        )
        .values_list("need__organisation_id", "competencearea_id")
        .distinct()
    ):
        lead_areas[org].add(covered_areas[area].name)
    leads = sorted(
        (
            Lead(
                orgs[row["organisation"]],
                row["n"],
                row["people"] or 0,
                lead_areas[row["organisation"]],
                row["nearest"],
            )
            for row in lead_rows
        ),
        key=lambda lead: (-lead.people, lead.organisation.name),
    )
    return count, people, area_rows, leads, lead_total, first_ids, first_km
