"""Background recomputation of the precomputed matches (``MatchResult``).

``refresh_need`` is enqueued (after the commit) when a need is saved or its areas change;
``refresh_stale`` when an offering or programme changes (which marks the results it can
affect stale), and recomputes every matched need whose results are missing, stale or older
than the need. Both are idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Min
from django_tasks import task

from yrkesbro.matching import scoring, selectors
from yrkesbro.matching.models import MatchResult
from yrkesbro.needs.models import Need


def store(need: Need, offerings: Sequence[scoring.OfferingInput] | None = None) -> int:
    """Recompute one need's best matches and replace its stored rows."""
    matches = selectors.compute_matches(need, selectors.STORED, offerings)
    with transaction.atomic():
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
        return 0
    return store(need)


def request_refresh(need_id: int) -> None:
    """Make sure the worker will compute one need's matches: a page that found none stored
    at national scale asks for them, and a reload while the task waits asks nothing more."""
    from yrkesbro.core.tasks import queued

    if not queued(refresh_need, [need_id]):
        refresh_need.enqueue(need_id)


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


@task()
def refresh_stale() -> int:
    """Every matched need whose results are missing, marked stale, or older than the need."""
    return refresh_stale_now()


def refresh_stale_now() -> int:
    oldest = dict(
        MatchResult.objects.values("need_id")
        .annotate(at=Min("computed_at"))
        .values_list("need_id", "at")
    )
    stale = set(MatchResult.objects.filter(stale=True).values_list("need_id", flat=True))
    offerings = selectors.candidate_offerings()
    done = 0
    needs = Need.objects.select_related("organisation", "organisation__municipality").filter(
        status__in=selectors.MATCHED_NEED_STATUSES
    )
    for need in needs.iterator(chunk_size=500):
        at = oldest.get(need.pk)
        if at is not None and at >= need.updated_at and need.pk not in stale:
            continue
        store(need, offerings)
        done += 1
    return done


@task()
def refresh_gaps(
    organisation_ids: list[int] | None = None, plan_ids: list[int] | None = None
) -> int:
    """Recompute the gap tables for these organisations or national plans (or all)."""
    from yrkesbro.matching import gap_tables

    return gap_tables.refresh(organisations=organisation_ids, plans=plan_ids)
