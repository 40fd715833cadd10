"""Reads of the catalogue: filtered, searched programme lists and the overview by county."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import Delivery, NationalPlan, Offering, Programme
from yrkesbro.core.geo import haversine_km
from yrkesbro.core.policies import Actor
from yrkesbro.organisations.models import Kind, Organisation


@dataclass
class Filters:
    q: str = ""
    field: str = ""
    plan: str = ""  # national plan code
    county: str = ""  # county number ("34") or id
    municipality: str = ""  # municipality number ("3407") or id
    near: str = ""  # municipality number or id to measure distance from
    radius_km: int | None = None
    delivery: str = ""
    pace: str = ""
    funding: str = ""
    within_months: int | None = None
    school: int | None = None


@dataclass
class Result:
    programme: Programme
    score: float | None = None
    terms: set[str] = field(default_factory=set)
    matched: dict[str, str] = field(default_factory=dict)


def _place(value: str, kind: str) -> Organisation | None:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    qs = Organisation.objects.filter(kind=kind)
    width = 2 if kind == Kind.COUNTY else 4
    return (qs.filter(number=value) if len(value) == width else qs.filter(pk=int(value))).first()


def municipalities_within(origin: Organisation, radius_km: float) -> list[int]:
    if origin.latitude is None or origin.longitude is None:
        return [origin.pk]
    rows = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, latitude__isnull=False, longitude__isnull=False
    ).values_list("id", "latitude", "longitude")
    return [
        pk
        for pk, lat, lon in rows
        if haversine_km(origin.latitude, origin.longitude, lat, lon) <= radius_km
    ]


def filter_programmes(qs: QuerySet[Programme], f: Filters) -> QuerySet[Programme]:
    """Programme-level filters, and offering-level ones that one offering must meet together."""
    if f.field:
        qs = qs.filter(field=f.field)
    if f.plan:
        # Codes are short ASCII; anything else (NUL bytes included) matches nothing.
        valid = f.plan.isascii() and f.plan.replace("-", "").isalnum()
        qs = qs.filter(national_plan__code=f.plan) if valid else qs.none()
    if f.school:
        qs = qs.filter(school_id=f.school)
    offering_q = Q()
    has_offering_filter = False
    if f.county:
        county = _place(f.county, Kind.COUNTY)
        # Online offerings are open to people in every county, so they count in each.
        offering_q &= (
            Q(municipality__county=county) | Q(delivery=Delivery.ONLINE) if county else Q(pk__in=[])
        )
        has_offering_filter = True
    if f.municipality:
        municipality = _place(f.municipality, Kind.MUNICIPALITY)
        offering_q &= Q(municipality=municipality) if municipality else Q(pk__in=[])
        has_offering_filter = True
    if f.near and f.radius_km is not None:
        origin = _place(f.near, Kind.MUNICIPALITY)
        if origin is None:
            offering_q &= Q(pk__in=[])
        else:
            # Online offerings are within reach from everywhere.
            offering_q &= Q(municipality_id__in=municipalities_within(origin, f.radius_km)) | Q(
                delivery=Delivery.ONLINE
            )
        has_offering_filter = True
    if f.delivery:
        offering_q &= Q(delivery=f.delivery)
        has_offering_filter = True
    if f.pace:
        offering_q &= Q(pace=f.pace)
        has_offering_filter = True
    if f.funding:
        offering_q &= Q(funding=f.funding)
        has_offering_filter = True
    if f.within_months is not None:
        today = timezone.localdate()
        until = today + dt.timedelta(days=round(30.44 * f.within_months))
        offering_q &= Q(start_date__gte=today, start_date__lte=until)
        has_offering_filter = True
    if has_offering_filter:
        qs = qs.filter(id__in=Offering.objects.filter(offering_q).values("programme_id"))
    return qs


def _with_related(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return qs.select_related("school", "national_plan").prefetch_related(
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related("municipality__county").order_by(
                "start_date", "id"
            ),
        ),
        "competence_areas",
    )


class Results(Sequence[Result]):
    """Ranked results that load programmes only for the slice asked for (a page).

    ``len`` is the number of matches (a search counts up to ``search.MAX_HITS``;
    ``more`` says there were more); indexing or slicing ranks that far and fetches
    those programmes with their school, plan and offerings in three queries.
    """

    def __init__(self, hits: Sequence[search.Hit]):
        self.hits = hits

    @property
    def more(self) -> bool:
        return bool(getattr(self.hits, "more", False))

    def __len__(self) -> int:
        return len(self.hits)

    def count(self, value: Any = None) -> int:  # type: ignore[override]
        return len(self.hits)  # Paginator asks for count()

    @overload
    def __getitem__(self, index: int) -> Result: ...

    @overload
    def __getitem__(self, index: slice) -> list[Result]: ...

    def __getitem__(self, index: int | slice) -> Result | list[Result]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        return load(self.explained(index))

    def explained(self, index: slice) -> list[search.Hit]:
        """The hits of a slice with the terms each matched (worked out for these only)."""
        hits = list(self.hits[index])
        explain = getattr(self.hits, "explain", None)
        if explain is not None:
            explain(hits)
        return hits

    def hit_pages(self) -> Sequence[search.Hit]:
        """The hits themselves, explained a slice at a time, for a paginator: a page whose
        cards are cached loads no programme at all."""
        return _ExplainedHits(self)

    def ids(self) -> list[int]:
        """Every match in order, however many (exports)."""
        if isinstance(self.hits, (search.Ranking, TitleOrder)):
            return self.hits.all_ids()
        return [h.programme_id for h in self.hits]


def load(hits: list[search.Hit]) -> list[Result]:
    """The hits' programmes with their school, plan and offerings, in the hits' order."""
    by_id = {
        p.pk: p
        for p in _with_related(Programme.objects.filter(id__in=[h.programme_id for h in hits]))
    }
    return [
        Result(by_id[h.programme_id], h.score, h.terms, h.matched)
        for h in hits
        if h.programme_id in by_id
    ]


def card_versions(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """What a programme's card shows changed when this changed: the programme's and its
    school's last change, its plan, and the number and last change of its offerings (a
    deleted offering lowers the number). One grouped query over the page's programmes."""
    rows = (
        Programme.objects.filter(id__in=ids)
        .values_list("id", "updated_at", "school__updated_at", "national_plan_id")
        .annotate(n_offerings=Count("offerings"), offerings_at=Max("offerings__updated_at"))
        .order_by()
    )
    return {row[0]: row[1:] for row in rows}


class _Slices(Sequence[search.Hit]):
    """Hits read a slice at a time (``_slice``); an index is a slice of one."""

    def _slice(self, index: slice) -> list[search.Hit]:
        raise NotImplementedError

    def count(self, value: Any = None) -> int:  # type: ignore[override]
        return len(self)  # Paginator asks for count()

    @overload
    def __getitem__(self, index: int) -> search.Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[search.Hit]: ...

    def __getitem__(self, index: int | slice) -> search.Hit | list[search.Hit]:
        if isinstance(index, int):
            return self._slice(slice(index, index + 1 or None))[0]
        return self._slice(index)


class _ExplainedHits(_Slices):
    def __init__(self, results: Results):
        self.results = results

    def __len__(self) -> int:
        return len(self.results)

    def _slice(self, index: slice) -> list[search.Hit]:
        return self.results.explained(index)


class TitleOrder(_Slices):
    """Programmes in title order without a query: counted, and read a page at a time.

    Before, every id was read to build the list (linear in the catalogue: 5 ms at 2,000
    programmes); now ``len`` is one COUNT and a slice one LIMIT/OFFSET over the
    ``programme_title`` index.
    """

    def __init__(self, programmes: QuerySet[Programme]):
        self.ids = programmes.order_by("title", "id").values_list("id", flat=True)
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.ids.count()
        return self._count

    def _slice(self, index: slice) -> list[search.Hit]:
        return [search.Hit(pid, None, {}) for pid in self.ids[index]]

    def all_ids(self) -> list[int]:
        return list(self.ids)


def programme_search(*, actor: Actor, filters: Filters) -> Results:
    """Every programme matching the filters, ranked by the query (title order without one)."""
    base = Programme.objects.visible_to(actor)
    filtered = filter_programmes(base, filters)
    has_filters = any(
        getattr(filters, name) not in ("", None)
        for name in Filters.__dataclass_fields__
        if name != "q"
    )
    query = search.clean_query(filters.q)
    if not query or not search.analysis.analyse(query):
        return Results(TitleOrder(filtered))
    return Results(search.rank(query, candidates=filtered if has_filters else None))


def offerings_by_county() -> list[dict[str, Any]]:
    """Offerings per county (online ones counted apart), for the overview map and table."""
    counties = Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")
    counts = dict(
        Offering.objects.exclude(municipality=None)
        .values_list("municipality__county")
        .annotate(n=Count("id"))
        .values_list("municipality__county", "n")
    )
    return [{"county": c, "count": counts.get(c.pk, 0)} for c in counties]


def online_offering_count() -> int:
    return Offering.objects.filter(municipality=None).count()


def plans_with_counts() -> QuerySet[NationalPlan]:
    return NationalPlan.objects.annotate(
        programme_count=Count("programmes", distinct=True),
        school_count=Count("programmes__school", distinct=True),
    )
