"""The regional view precomputed by the worker into a small table (``RegionalNeedCount``).

The counts are the same for every reader, so a page or an open-data download reads a few
dozen rows instead of aggregating every published need. A change to a need refreshes only
its county's rows and the nation's (``needs.tasks.refresh_regional``, enqueued after the
commit by the need services); the daily sweep refreshes every region. Each refresh
recomputes the rows it replaces from ``selectors.regional_counts`` (the live definition),
so running it twice is safe.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yrkesbro.needs.models import Need, RegionalNeedCount, RegionalRefresh
from yrkesbro.organisations.models import Kind, Organisation

FIELDS = ("needs", "people", "low", "medium", "high")


def county_of(organisation_id: int) -> int | None:
    """The county whose regional rows a need of this organisation counts in."""
    row = Organisation.objects.filter(pk=organisation_id).values("kind", "county_id").first()
    if row is None:
        return None
    return organisation_id if row["kind"] == Kind.COUNTY else row["county_id"]


def _rows(county: Organisation | None) -> list[RegionalNeedCount]:
    from yrkesbro.needs.selectors import regional_counts

    per_area, totals = regional_counts(county)
    out = [
        RegionalNeedCount(
            county=county,
            area_id=None,
            organisations=totals["organisations"],
            **{f: totals[f] for f in FIELDS},
        )
    ]
    out.extend(
        RegionalNeedCount(county=county, area_id=area, **{f: row[f] or 0 for f in FIELDS})
        for area, row in per_area.items()
    )
    return out


def refresh(counties: Iterable[int | None] | None = None) -> int:
    """Recompute the nation's rows and those of ``counties`` (ids; all counties when None).
    Returns the number of rows written."""
    started = time.perf_counter()
    all_counties = Organisation.objects.filter(kind=Kind.COUNTY)
    wanted = (
        list(all_counties)
        if counties is None
        else list(all_counties.filter(pk__in=[c for c in counties if c is not None]))
    )
    written = 0
    with transaction.atomic():
        # One refresh at a time (two workers): the row lock orders them.
        list(RegionalRefresh.objects.select_for_update())
        for county in [None, *wanted]:
            _of(county).delete()
            written += len(RegionalNeedCount.objects.bulk_create(_rows(county)))
        RegionalRefresh.objects.all().delete()
        RegionalRefresh.objects.create(
            finished_at=timezone.now(), seconds=time.perf_counter() - started
        )
    return written


def _of(county: Organisation | None) -> QuerySet[RegionalNeedCount]:
    if county is None:
        return RegionalNeedCount.objects.filter(county__isnull=True)
    return RegionalNeedCount.objects.filter(county=county)


def last_refresh() -> RegionalRefresh | None:
    return RegionalRefresh.objects.order_by("-finished_at").first()


def stored(county: Organisation | None) -> tuple[dict[int, dict], dict[str, int]]:
    """The stored counts of ``county`` (or the nation) in the shape of ``regional_counts``."""
    rows = _of(county)
    per_area: dict[int, dict] = {}
    totals = {"organisations": 0, **dict.fromkeys(FIELDS, 0)}
    for row in rows:
        values = {f: getattr(row, f) for f in FIELDS}
        if row.area_id is None:
            totals = {"organisations": row.organisations, **values}
        else:
            per_area[row.area_id] = values
    return per_area, totals


def enqueue_for(need: Need) -> None:
    """After the commit, refresh the rows ``need`` counts in (its county's and the nation's).
    One task per transaction and county."""
    from yrkesbro.needs.tasks import refresh_regional

    county = county_of(need.organisation_id)
    key = ("regional", county)
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if getattr(entry[1], "regional_key", None) == key:
            return

    def run() -> None:
        refresh_regional.enqueue([county] if county is not None else [])

    run.regional_key = key  # type: ignore[attr-defined]
    # robust: the need is saved; a lost enqueue is caught by the daily sweep.
    transaction.on_commit(run, robust=True)
