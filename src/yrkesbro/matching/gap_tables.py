"""Gaps precomputed by the worker into small tables, so pages and the API read them in
milliseconds instead of measuring every need against every offering on each request.

``GapCell`` holds, per organisation and competence area, the published needs' counts and the
ids of the offerings in reach (the same rules as ``selectors.gaps``, which stays the
definition and the path for regions of the reader's own choice; an offering covers its
plan's areas and its programme's own). ``GapSummary`` holds the
rows of the nation and of each county, built from the cells. ``GapRefresh`` says when.

Refreshes are incremental: a changed need recomputes its organisation's cells; a changed
offering or programme recomputes the cells of the areas its national plan covers and of the
own areas of that plan's programmes (all cells for a programme without a plan); both then
rebuild the summaries from the cells (a few thousand small rows). Reach uses the distances
between municipality places computed once per register (``organisations.distances``).
Every refresh is a recomputation, so running it twice is safe.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from operator import itemgetter

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.matching import scoring
from yrkesbro.matching.models import GapCell, GapRefresh, GapSummary
from yrkesbro.needs.models import Need
from yrkesbro.needs.selectors import published_needs
from yrkesbro.organisations import distances
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea


def _cells(
    organisations: Iterable[int] | None, areas: Iterable[int] | None, today: dt.date
) -> Iterator[GapCell]:
    needs_qs = published_needs()
    if organisations is not None:
        needs_qs = needs_qs.filter(organisation__in=list(organisations))
    need_rows: dict[int, tuple[int, int, int | None, float]] = {}
    for pk, org, people, kind, muni, km, mins in needs_qs.values_list(
        "pk",
        "organisation_id",
        "people",
        "organisation__kind",
        "organisation__municipality_id",
        "max_travel_km",
        "max_travel_minutes",
    ):
        reach = (
            float(km)
            if km
            else (mins * scoring.KM_PER_MINUTE if mins else scoring.DEFAULT_REACH_KM)
        )
        need_rows[pk] = (org, people, distances.place_of(kind, org, muni), reach)
    links = Need.areas.through.objects.filter(need__in=needs_qs.values("pk"))
    if areas is not None:
        links = links.filter(competencearea_id__in=list(areas))
    by_cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    for need_id, area_id in links.values_list("need_id", "competencearea_id"):
        if need_id in need_rows:
            by_cell[(need_rows[need_id][0], area_id)].append(need_id)
    plans_by_area: dict[int, set[int]] = defaultdict(set)
    for area_id, plan_id in CompetenceArea.national_plans.through.objects.values_list(
        "competencearea_id", "nationalplan_id"
    ):
        plans_by_area[area_id].add(plan_id)
    from yrkesbro.matching.selectors import REACH_STATUSES, own_area_key, own_area_offerings

    # A programme's own areas count as its plan's do (plan areas and own areas).
    for area_id in {area_id for _org, area_id in by_cell}:
        plans_by_area[area_id].add(own_area_key(area_id))
    # Reach between municipality places, from the table computed once per register.
    matrix = distances.matrix()
    online: dict[int, list[int]] = defaultdict(list)
    located: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, plan_id, delivery, place in [
        *Offering.objects.filter(
            status__in=REACH_STATUSES, start_date__gte=today, programme__national_plan__isnull=False
        ).values_list("pk", "programme__national_plan_id", "delivery", "municipality_id"),
        *own_area_offerings(REACH_STATUSES, today),
    ]:
        if delivery == "online":
            online[plan_id].append(pk)
        elif place in matrix:
            located[plan_id][place].append(pk)

    def near(place: int | None, km: float, places: set[int]) -> list[int]:
        row = matrix.get(place) if place is not None else None
        if row is None:
            return []
        return [p for p in places if row[p] <= km]

    for (org, area_id), need_ids in by_cell.items():
        area_online: set[int] = set()
        area_points: dict[int, list[int]] = defaultdict(list)
        for plan_id in plans_by_area.get(area_id, ()):
            area_online.update(online.get(plan_id, ()))
            for point, ids in located.get(plan_id, {}).items():
                area_points[point].extend(ids)
        point_set = set(area_points)
        cell = GapCell(organisation_id=org, area_id=area_id, needs=len(need_ids))
        in_reach = set(area_online)
        for need_id in need_ids:
            _org, people, place, reach_km = need_rows[need_id]
            cell.people_needed += people
            reached = near(place, reach_km, point_set)
            for p in reached:
                in_reach.update(area_points[p])
            if not area_online and not reached:
                cell.people_unmet += people
        cell.offerings = sorted(in_reach)
        yield cell  # inserted a batch at a time: every cell's offering ids at once is big


def _summaries() -> Iterator[GapSummary]:
    """The nation's and every county's rows, summed and united from the cells.

    One area at a time, the cells read in chunks: the cells' offering lists hold millions
    of ids at factor 10 (27 MB of JSON), and reading them all at once, with a set of ids
    per region and area, took the worker to 400 MB. Now only one area's regions' sets
    are alive at a time."""
    county_of = {
        pk: (pk if kind == Kind.COUNTY else county)
        for pk, kind, county in Organisation.objects.values_list("pk", "kind", "county_id")
    }
    rows = (
        GapCell.objects.order_by("area_id", "organisation_id")
        .values_list(
            "organisation_id", "area_id", "needs", "people_needed", "people_unmet", "offerings"
        )
        .iterator(chunk_size=200)
    )
    for area, cells in groupby(rows, key=itemgetter(1)):
        totals: dict[int | None, list] = {}
        for org, _area, needs, people, unmet, offerings in cells:
            regions = [None] + ([county_of[org]] if county_of.get(org) else [])
            for region in regions:
                row = totals.setdefault(region, [0, 0, 0, set()])
                row[0] += needs
                row[1] += people
                row[2] += unmet
                row[3].update(offerings)
        for county, (needs, people, unmet, ids) in totals.items():
            yield GapSummary(
                county_id=county,
                area_id=area,
                needs=needs,
                people_needed=people,
                people_unmet=unmet,
                offerings_in_reach=len(ids),
            )


def _insert(model: type[Model], rows: Iterable[Model], batch: int = 500) -> int:
    """Insert rows from a generator a batch at a time (``bulk_create`` lists them all)."""
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        model.objects.bulk_create(chunk)  # type: ignore[attr-defined]
        written += len(chunk)
    return written


def refresh(
    *,
    organisations: Iterable[int] | None = None,
    plans: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute the cells of ``organisations`` (or of the areas of national ``plans``; or
    all when neither is given), then the summaries. Returns the number of cells written.

    A refresh for another day than the last one recomputes everything, because offerings
    that have started since no longer count.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic():
        # The row lock makes concurrent refreshes (two workers) run one after the other, so
        # the last summary written is built from every committed cell.
        last = GapRefresh.objects.select_for_update().first()
        if last is None or last.valid_on != today:
            organisations = plans = None
        areas = None
        if plans is not None:
            plans = list(plans)
            areas = set(
                CompetenceArea.national_plans.through.objects.filter(
                    nationalplan_id__in=plans
                ).values_list("competencearea_id", flat=True)
            )
            # and the own areas of the plans' programmes (an offering covers both)
            areas |= set(
                Programme.competence_areas.through.objects.filter(
                    programme__national_plan_id__in=plans
                ).values_list("competencearea_id", flat=True)
            )
        old = GapCell.objects.all()
        if organisations is not None:
            organisations = list(organisations)
            old = old.filter(organisation__in=organisations)
        if areas is not None:
            old = old.filter(area__in=areas)
        old.delete()
        cells = _insert(GapCell, _cells(organisations, areas, today))
        GapSummary.objects.all().delete()
        _insert(GapSummary, _summaries())
        GapRefresh.objects.all().delete()
        GapRefresh.objects.create(
            finished_at=timezone.now(), valid_on=today, seconds=time.perf_counter() - started
        )
    return cells


def last_refresh(today: dt.date | None = None) -> GapRefresh | None:
    """The last refresh if it counted today's offerings; else None (read live instead)."""
    last = GapRefresh.objects.first()
    if last is None or last.valid_on != (today or timezone.localdate()):
        return None
    return last


def summary_rows(county: Organisation | None, area: str = "") -> list[tuple]:
    """(code, name, needs, people needed, offerings in reach, people unmet) per area."""
    qs = GapSummary.objects.filter(
        Q(county=county) if county is not None else Q(county__isnull=True)
    ).select_related("area")
    if area:
        qs = qs.filter(area__code=area)
    return [
        (s.area.code, s.area.name, s.needs, s.people_needed, s.offerings_in_reach, s.people_unmet)
        for s in qs
    ]
