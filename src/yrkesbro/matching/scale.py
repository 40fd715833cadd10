"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): requests from
municipalities to schools, and the stored matches of every need.

At factor 1: 2,000 requests for published synthetic needs, sent to synthetic schools
(half of them for a place on one of the school's offerings, half for a tailored cohort),
in every status with the history that status implies; then the stored matches
(``MatchResult``) of round(2000·F) matched needs (the first by id), computed as the worker
does (``matching.tasks.store``) against one shared index of candidate offerings
(``scoring.Candidates``). Storing one need's matches at factor 1 takes about 7 ms, so all
18,000 matched needs would take about two minutes more; the worker computes the rest
(``matching.tasks.refresh_stale``, a slice at a time) when it runs. The candidates a need
reads grow with the catalogue, so the needs stored here are also bounded by the pairs of
factor 1 (``SCORING_BUDGET``): about 240 needs against the 33,000 candidate offerings of
factor 10. Last, the gap tables (``gap_tables.refresh``) as the worker would keep them.
"""

from __future__ import annotations

from yrkesbro.catalogue.models import Offering
from yrkesbro.catalogue.scale import SCALE_OFFERING_PREFIX
from yrkesbro.core.scale import BATCH, NAME_PREFIX, Scale, Step, indexed_rows
from yrkesbro.matching import selectors, tasks
from yrkesbro.matching.models import (
    MatchResult,
    Request,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from yrkesbro.needs.models import Need, Status
from yrkesbro.needs.scale import MARK as NEED_MARK
from yrkesbro.organisations.models import Kind, Organisation

REQUESTS = 2000
MATCHED_NEEDS = 2000
# Need-offering pairs scored at most: factor 1's 2,000 needs against at most its
# 4,000 offerings, so factors up to 1 are not bounded by it.
SCORING_BUDGET = 8_000_000
MARK = "(syntetisk "
# Each status with the steps that lead to it, and its weight.
PATHS = (
    ((RequestStatus.REQUESTED,), 5),
    ((RequestStatus.REQUESTED, RequestStatus.OFFERED), 3),
    ((RequestStatus.REQUESTED, RequestStatus.REFUSED), 1),
    ((RequestStatus.REQUESTED, RequestStatus.OFFERED, RequestStatus.ACCEPTED), 2),
    ((RequestStatus.REQUESTED, RequestStatus.OFFERED, RequestStatus.DECLINED), 1),
)


def step_requests(scale: Scale) -> int:
    total = scale.count(REQUESTS)
    done = Request.objects.filter(message__contains=MARK).count()
    needs = list(
        Need.objects.filter(unit__contains=NEED_MARK, status=Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "people")
    )
    schools = list(
        Organisation.objects.filter(
            is_demo=True,
            name__startswith=f"{NAME_PREFIX} ",
            kind__in=[Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL],
        )
        .order_by("name")
        .values_list("pk", flat=True)
    )
    if done >= total or not needs or not schools:
        return 0
    offerings: dict[int, list[int]] = {}
    for pk, school in (
        Offering.objects.filter(code__startswith=SCALE_OFFERING_PREFIX)
        .order_by("pk")
        .values_list("pk", "programme__school_id")
    ):
        offerings.setdefault(school, []).append(pk)
    requests: list[Request] = []
    paths = []
    for i, rng in indexed_rows(scale, "requests", done, total):
        need, people = needs[rng.randrange(len(needs))]
        school = schools[rng.randrange(len(schools))]
        own = offerings.get(school, [])
        place = bool(own) and rng.random() < 0.5
        path = rng.choices(PATHS, weights=[p[1] for p in PATHS])[0][0]
        offered = RequestStatus.OFFERED in path
        requests.append(
            Request(
                need_id=need,
                school_id=school,
                offering_id=rng.choice(own) if place else None,
                kind=RequestKind.PLACE if place else RequestKind.COHORT,
                people=min(people, 40),
                message=f"Vi ønsker plass til våre ansatte {MARK}{i:05d}).",
                status=path[-1],
                offer_seats=people if offered else None,
                offer_price_nok=30000 if offered else None,
                offer_delivery="blended" if offered else "",
                offer_start=scale.today.replace(day=1) if offered else None,
                answer="Vi kan tilby et kull til høsten." if offered else "",
                is_demo=True,
            )
        )
        paths.append(path)
    created = Request.objects.bulk_create(requests, batch_size=BATCH)
    RequestEvent.objects.bulk_create(
        (
            RequestEvent(
                request=request,
                from_status=path[n - 1] if n else "",
                to_status=status,
                actor_name="system",
            )
            for request, path in zip(created, paths, strict=True)
            for n, status in enumerate(path)
        ),
        batch_size=BATCH,
    )
    return len(created)


def step_matches(scale: Scale) -> int:
    """Stored matches for the first round(2000·F) matched needs (as the worker would)."""
    matched = Need.objects.filter(status__in=selectors.MATCHED_NEED_STATUSES)
    have = matched.filter(matching__isnull=False).count()
    offerings = selectors.candidate_offerings()
    wanted = min(scale.count(MATCHED_NEEDS), SCORING_BUDGET // max(len(offerings), 1))
    total = wanted - have
    if total <= 0:
        return 0
    needs = (
        matched.select_related("organisation", "organisation__municipality")
        .filter(matching__isnull=True)
        .order_by("pk")[:total]
    )
    made = 0
    for n, need in enumerate(needs.iterator(chunk_size=500), start=1):
        made += tasks.store(need, offerings)
        if n % 200 == 0:
            scale.progress("matches", n, total)
    scale.progress("matches", total, total)
    return made


def counts() -> dict[str, int]:
    return {
        "requests": Request.objects.filter(message__contains=MARK).count(),
        "match_results": MatchResult.objects.count(),
    }


def step_gaps(scale: Scale) -> int:
    """The gap tables, as the worker keeps them (cells written), when anything changed."""
    from yrkesbro.matching import gap_tables

    if not scale.changed and gap_tables.last_refresh() is not None:
        return 0
    return gap_tables.refresh()


STEPS = [
    Step("requests", step_requests),
    Step("matches", step_matches),
    Step("gaps", step_gaps),
]
