"""The worker's part: rounds on a cadence, reminders, closing, and the public indicators.

``pulse_sweep`` is idempotent: it closes rounds whose last day has passed, sends each
open round's one reminder once half its time has gone, starts rounds for partnerships
whose cadence has come round, then refreshes the indicators: the current quarter and,
as of each one's end, the earlier quarters of the trend. It runs in the worker's daily
sweep (``core.tasks.register_daily``). ``refresh`` is enqueued after a commit that
changes what the indicators count; it recomputes the current quarter only (a back-dated
change reaches the earlier quarters at the next daily sweep).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.errors import DomainError
from yrkesbro.health import indicators, services
from yrkesbro.health.models import PulseSettings, Round, Trigger

log = logging.getLogger(__name__)
AGREEMENT_QUIET = timedelta(days=30)  # no new round after a signature if one opened recently
DEFAULT_CADENCE_MONTHS = 6


def add_months(moment: datetime, months: int) -> datetime:
    return moment + timedelta(days=round(months * 365 / 12))


def close_due(now: datetime) -> int:
    today = timezone.localdate(now)
    done = 0
    for round_ in Round.objects.filter(closed_at__isnull=True, closes_on__lt=today):
        services.round_close(actor=None, round_=round_)
        done += 1
    return done


def remind_due(now: datetime) -> int:
    sent = 0
    for round_ in Round.objects.filter(
        closed_at__isnull=True, reminded_at__isnull=True
    ).select_related("partnership"):
        halfway = (
            round_.opened_at
            + (
                timezone.make_aware(datetime.combine(round_.closes_on, datetime.min.time()))
                - round_.opened_at
            )
            / 2
        )
        if now >= halfway:
            sent += services.round_remind(round_)
    return sent


def start_due(now: datetime) -> int:
    """Rounds for active partnerships whose cadence has passed since their last round
    (or since they were created, when they have none)."""
    cadence = dict(PulseSettings.objects.values_list("partnership_id", "cadence_months"))
    last = dict(
        Round.objects.values("partnership_id")
        .annotate(at=Max("opened_at"))
        .values_list("partnership_id", "at")
    )
    open_ = set(Round.objects.open().values_list("partnership_id", flat=True))
    started = 0
    for partnership in Partnership.objects.filter(is_active=True).exclude(pk__in=open_):
        since = last.get(partnership.pk) or partnership.created_at
        months = cadence.get(partnership.pk, DEFAULT_CADENCE_MONTHS)
        if now < add_months(since, months):
            continue
        try:
            services.round_start(actor=None, partnership=partnership, trigger=Trigger.CADENCE)
        except DomainError:
            continue  # nobody to ask, or a round opened meanwhile
        started += 1
    return started


def sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        result = {
            "closed": close_due(now),
            "reminded": remind_due(now),
            "started": start_due(now),
        }
    result["indicators"] = indicators.refresh()
    return result


@task()
def pulse_sweep() -> dict[str, int]:
    """Close, remind and start rounds, then refresh the indicators; run by the worker's
    daily sweep (registered in ``HealthConfig.ready``), safe to run twice."""
    return sweep()


@task()
def refresh() -> int:
    """The current quarter, soon after a change; the daily sweep redoes the past ones."""
    return indicators.refresh(past=False)


# Half a minute: a burst of changes shares one refresh, and the figures are still fresh
# within a minute of a change (issue 16; the refresh itself takes seconds at national scale).
REFRESH_DELAY = timedelta(seconds=30)


def enqueue_refresh() -> None:
    """Refresh the indicators soon; a burst of changes shares one refresh (it takes
    seconds at national scale). Backends without deferral refresh at once."""
    from yrkesbro.core.tasks import queued

    if not default_task_backend.supports_defer:
        refresh.enqueue()
    elif not queued(refresh):
        refresh.using(run_after=timezone.now() + REFRESH_DELAY).enqueue()


@task()
def start_after_agreement(partnership_id: int) -> bool:
    """A round after an agreement is signed, unless one is open or opened recently."""
    partnership = Partnership.objects.filter(pk=partnership_id, is_active=True).first()
    if partnership is None:
        return False
    recent = Round.objects.filter(
        partnership=partnership, opened_at__gte=timezone.now() - AGREEMENT_QUIET
    )
    if recent.exists():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        try:
            services.round_start(actor=None, partnership=partnership, trigger=Trigger.AGREEMENT)
        except DomainError as exc:
            log.info("No pulse round after the agreement of %s: %s", partnership_id, exc)
            return False
    return True
