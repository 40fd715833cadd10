"""A school's demand: the published needs in its reach, by area, its leads, and a page of the
needs, all counted and paginated in SQL.

A need is in reach when the distance between the school's place and the need's place (each
organisation's municipality, from the table computed once per register,
``organisations.distances``) is within the need's maximum travel (kilometres, else minutes at
``scoring.KM_PER_MINUTE``, else ``scoring.DEFAULT_REACH_KM``). The distance is a join on the
table, so the needs out of reach are never loaded, and only one page of needs is.

The aggregates (totals, areas, leads) are the same for every reader of a school and cost
five scans of the needs in reach (about 160 ms at factor 1 and 1.6 s at factor 10 on
SQLite), so they are stored per school (``core.figures``, shared by every process) under a
version of everything they read: the published needs (count, last change), their areas
(count, last link), the organisations (last change), the distance table (size), the
taxonomy's version, and the school's covered areas, online areas and partners. They hold
ids, not names: areas and organisations are looked up in the reader's language when shown.
When the version has moved, a small country computes them again on the request; above
``LIVE_MAX_NEEDS`` published needs the page shows the last figures with their time and the
worker computes new ones (``matching.tasks.refresh_school_demand``), so a need changed
anywhere never costs a school's next view the full scan.

The order of the needs in reach (most urgent, then nearest) is a sort of every published
need joined to the distances, as costly as the aggregates, so the cached figures also keep
the ids and distances of the first ``ORDER_KEPT`` needs in that order (compact arrays): the
first pages load their 25 needs by id, and only a page beyond those sorts in SQL.
"""

from __future__ import annotations

import datetime as dt
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

from yrkesbro.core import figures
from yrkesbro.core.lru import BoundedCache
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
    computed_at: dt.datetime | None = None  # when these figures were computed
    updating: bool = False  # the needs have changed since; the worker is computing anew

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
    *,
    refresh: bool = False,
) -> Demand:
    """Published needs within reach of the school, by area; leads are needing organisations
    with an area the school covers (``covered``, area codes) and no partnership with it yet
    (``partners``, organisation ids). A fixed number of queries, whatever the number of needs;
    only the page asked for is loaded (``Demand.page``). ``refresh`` (the worker) computes
    out-of-date figures whatever the size of the country."""
    qs = needs_in_reach(school, online_areas)
    demand = Demand(school=school, covered=covered)
    demand.needs_in_reach = page_columns(qs.select_related("organisation")).prefetch_related(
        "areas"
    )
    data, published = data_version(fresh=refresh)
    version = (
        data,
        sorted(covered),
        sorted(partners),
        sorted(online_areas),
        LEADS_SHOWN,
        ORDER_KEPT,
    )
    key = f"matching:demand:{school.pk}"
    if refresh:
        found = figures.refresh(key, version, lambda: _aggregate(qs, covered, partners))
    else:
        found = figures.read(
            key,
            version,
            lambda: _aggregate(qs, covered, partners),
            live=published <= LIVE_MAX_NEEDS,
            ask_worker=lambda: request_refresh(school.pk),
        )
    _read(demand, found.data)
    demand.computed_at, demand.updating = found.computed_at, found.updating
    return demand


# Published needs in the country above which out-of-date figures are shown while the
# worker computes new ones (a school's figures cost about 160 ms at factor 1's 15,000).
LIVE_MAX_NEEDS = 5_000


def request_refresh(school_id: int) -> None:
    """Ask the worker for a school's figures once, however often the page is read meanwhile."""
    from yrkesbro.core.tasks import enqueue_once
    from yrkesbro.matching.tasks import refresh_school_demand

    enqueue_once(refresh_school_demand, school_id)


def _read(demand: Demand, stored: dict[str, Any]) -> None:
    """Fill ``demand`` from stored figures: areas and leads named in the reader's language
    (two look-ups), the covered flag from the school's areas."""
    demand.count, demand.people = stored["count"], stored["people"]
    demand.lead_total = stored["lead_total"]
    demand.first_ids = array("q", stored["ids"])
    demand.first_km = array("d", (math.nan if km is None else km for km in stored["km"]))
    area_ids = {row[0] for row in stored["areas"]}
    area_ids.update(pk for lead in stored["leads"] for pk in lead[3])
    areas = CompetenceArea.objects.in_bulk(list(area_ids))
    demand.areas = [
        DemandArea(a.code, a.name, needs, people, high, covered=a.code in demand.covered)
        for pk, needs, people, high in stored["areas"]
        if (a := areas.get(pk)) is not None
    ]
    orgs = Organisation.objects.in_bulk([lead[0] for lead in stored["leads"]])
    demand.leads = [
        Lead(orgs[org], n, people, {areas[pk].name for pk in pks if pk in areas}, km)
        for org, n, people, pks, km in stored["leads"]
        if org in orgs
    ]


# At national scale the version's part shared by every school (six aggregates over every
# published need and link: about 40 ms of SQL at factor 10) is read at most once per
# VERSION_SECONDS in a process, and every school's view in between reuses it: a change is
# seen up to that much later, on a page that shows its figures' time anyway. A small
# country (at most LIVE_MAX_NEEDS published needs) reads it on every view.
VERSION_SECONDS = 10.0
_shared_version: BoundedCache[tuple[str, int]] = BoundedCache(1, max_age=VERSION_SECONDS)


def data_version(*, fresh: bool = False) -> tuple[str, int]:
    """``read_data_version``, reused for ``VERSION_SECONDS`` at national scale unless
    ``fresh`` (the worker's refresh)."""
    if not fresh:
        last = _shared_version.get("version")
        if last is not None and last[1] > LIVE_MAX_NEEDS:
            return last
    version = read_data_version()
    _shared_version.set("version", version)
    return version


def read_data_version() -> tuple[str, int]:
    """What every school's demand reads, in six aggregate queries (the taxonomy's version
    for the area codes: every change to an area bumps it), and how many needs are published.
    The links are counted with a bare COUNT(*), which the databases answer from the
    smallest index (SQLite without reading a row), and their last id is one look-up."""
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
    ), needs["n"]


def _aggregate(qs: QuerySet[Need], covered: set[str], partners: set[int]) -> dict[str, Any]:
    """Totals, areas, the first leads and the order of the first needs in reach, in six
    queries, as ids and numbers (JSON)."""
    totals = qs.aggregate(n=Count("pk"), people=Sum("people"))
    count, people = totals["n"] or 0, totals["people"] or 0
    out: dict[str, Any] = {
        "count": count,
        "people": people,
        "areas": [],
        "leads": [],
        "lead_total": 0,
        "ids": [],
        "km": [],
    }
    if not count:
        return out
    first = list(cast(Any, qs).values_list("pk", "km")[:ORDER_KEPT])
    out["ids"] = [pk for pk, _ in first]
    out["km"] = [km for _, km in first]
    in_reach = qs.values("pk")
    through = Need.areas.through.objects.filter(need__in=in_reach)
    by_area = through.values("competencearea_id").annotate(
        needs=Count("need_id"),
        people=Sum("need__people"),
        high=Count("need_id", filter=Q(need__urgency=Urgency.HIGH)),
    )
    codes = dict(CompetenceArea.objects.values_list("pk", "code"))
    out["areas"] = [
        [row["competencearea_id"], row["needs"], row["people"] or 0, row["high"]]
        for row in sorted(
            by_area, key=lambda r: (-(r["people"] or 0), codes.get(r["competencearea_id"], ""))
        )
        if row["competencearea_id"] in codes
    ]
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
    out["lead_total"] = grouped.count()
    lead_rows = list(grouped.order_by("-people", "organisation__name")[:LEADS_SHOWN])
    shown = [row["organisation"] for row in lead_rows]
    lead_areas: dict[int, set[int]] = defaultdict(set)
    covered_ids = [pk for pk, code in codes.items() if code in covered]
    for org, area in (
        Need.areas.through.objects.filter(
            need__in=matching.filter(organisation__in=shown).values("pk"),
            competencearea_id__in=covered_ids,
        )
        .values_list("need__organisation_id", "competencearea_id")
        .distinct()
    ):
        lead_areas[org].add(area)
    out["leads"] = [
        [
            row["organisation"],
            row["n"],
            row["people"] or 0,
            sorted(lead_areas[row["organisation"]]),
            row["nearest"],
        ]
        for row in lead_rows
    ]
    return out
