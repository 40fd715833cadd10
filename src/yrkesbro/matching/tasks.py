"""Background recomputation of the precomputed matches (``MatchResult``).

``refresh_need`` is enqueued (after the commit) when a need is saved or its areas change;
``refresh_stale`` when an offering or programme changes (which marks the results it can
affect stale), and recomputes every matched need whose results are missing, stale or older
than the need. Both are idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django_tasks import task

from yrkesbro.matching import scoring, selectors
from yrkesbro.matching.models import MatchResult, NeedMatching
from yrkesbro.needs.models import Need


def store(need: Need, offerings: Sequence[scoring.OfferingInput] | None = None) -> int:
    """Recompute one need's best matches and replace its stored rows."""
    matches = selectors.compute_matches(need, selectors.STORED, offerings)
    with transaction.atomic():
        NeedMatching.objects.update_or_create(
            need=need, defaults={"computed_at": timezone.now(), "stale": False}
        )
        MatchResult.objects.filter(need=need).delete()
        MatchResult.objects.bulk_create(
            MatchResult(
                need=need,
                offering_id=m.offering_id,
                rank=i,
                score=m.score,
                factors=[f.as_dict() for f in m.factors],
            )
            for i, m in enumerate(matches, start=1)
        )
    return len(matches)


@task()
def refresh_need(need_id: int) -> int:
    need = (
        Need.objects.select_related("organisation", "organisation__municipality")
        .filter(pk=need_id, status__in=selectors.MATCHED_NEED_STATUSES)
        .first()
    )
    if need is None:
        MatchResult.objects.filter(need_id=need_id).delete()
        NeedMatching.objects.filter(need_id=need_id).delete()
        return 0
    return store(need)


def request_refresh(need_id: int) -> None:
    """Make sure the worker will compute one need's matches: a page that found none stored
    at national scale asks for them, and a reload while the task waits asks nothing more."""
    from yrkesbro.core.tasks import enqueue_once

    enqueue_once(refresh_need, need_id)


def need_matches_or_wait(need: Need, limit: int) -> tuple[list[selectors.Shown], bool, bool]:
    """A need's best offerings for its page and API: (shown, precomputed, waiting).

    With a national-size catalogue (``selectors.live_budget()`` is 0) nothing is scored on
    the request: a need without stored matches is ``waiting``, and the worker is asked for
    them. A small catalogue still scores one need live."""
    live = selectors.live_budget() > 0
    shown, precomputed = selectors.need_matches(need, limit, live=live)
    waiting = not precomputed and not live
    if waiting:
        request_refresh(need.pk)
    return shown, precomputed, waiting


# One run of ``refresh_stale`` works this long at most, then queues the rest behind what
# else waits: the worker is one process, and e-mail or a gap refresh must not wait for a
# national catalogue's rescoring (about 200,000 needs at factor 10).
SLICE_SECONDS = 20.0
SLICE_NEEDS = 2_000


@task()
def refresh_stale() -> int:
    """Every matched need whose results are missing, marked stale, or older than the need:
    a slice of them per run, the rest queued as another run."""
    from yrkesbro.core.tasks import enqueue_once

    done, more = refresh_stale_slice(SLICE_SECONDS)
    if more:
        enqueue_once(refresh_stale)
    return done


def stale_needs() -> QuerySet[Need]:
    """The matched needs to recompute, decided in SQL: marked stale or changed since their
    matches were computed first (their pages show results a change has overtaken), then
    those never computed."""
    return (
        Need.objects.filter(status__in=selectors.MATCHED_NEED_STATUSES)
        .annotate(
            outdated=Case(
                When(
                    Q(matching__stale=True)
                    | Q(matching__computed_at__lt=F("updated_at"))
                    | Exists(MatchResult.objects.filter(need=OuterRef("pk"), stale=True)),
                    then=Value(True),
                ),
                default=Value(False),
            )
        )
        .filter(Q(matching__isnull=True) | Q(outdated=True))
        .order_by("-outdated", "pk")
    )


def refresh_stale_slice(seconds: float | None) -> tuple[int, bool]:
    """Recompute stale needs for about ``seconds`` (all of them with None): (done, more)."""
    started = time.monotonic()
    offerings = selectors.candidate_offerings()
    done = 0
    seen: set[int] = set()  # a need still stale after its turn (a clock ahead) ends the run
    while True:
        ids = [
            pk for pk in stale_needs().values_list("pk", flat=True)[:SLICE_NEEDS] if pk not in seen
        ]
        if not ids:
            return done, False
        seen.update(ids)
        for start in range(0, len(ids), 100):
            chunk = ids[start : start + 100]
            needs = Need.objects.select_related(
                "organisation", "organisation__municipality"
            ).in_bulk(chunk)
            for need in (needs[pk] for pk in chunk if pk in needs):
                store(need, offerings)
                done += 1
                if seconds is not None and time.monotonic() - started > seconds:
                    return done, stale_needs().exists()


def refresh_stale_now() -> int:
    """Recompute every stale need in this process (the demo and tests)."""
    return refresh_stale_slice(None)[0]


@task()
def refresh_gaps(
    organisation_ids: list[int] | None = None, plan_ids: list[int] | None = None
) -> int:
    """Recompute the gap tables for these organisations or national plans (or all)."""
    from yrkesbro.matching import gap_tables

    return gap_tables.refresh(organisations=organisation_ids, plans=plan_ids)


@task()
def refresh_school_demand(school_id: int) -> bool:
    """Compute one school's demand figures if the needs or the school changed since (asked
    for by its page at national scale). Safe to run twice: the second finds them current."""
    from yrkesbro.organisations.models import Organisation

    school = Organisation.objects.filter(pk=school_id).first()
    if school is None:
        return False
    selectors.school_demand(school, refresh=True)
    return True
