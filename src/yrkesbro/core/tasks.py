"""Background tasks that belong to no single capability.

- ``heartbeat``: once a minute, records that a worker is alive and sends the
  e-mails whose retry is due; it reschedules itself, so no cron is needed.
- ``deliver_outbox``: sends stored e-mail now (enqueued when a message is stored).
- ``daily_sweep``: the daily jobs (reminders, SQLite's planner statistics, retention,
  pruning of sent e-mail, old idempotency answers and finished task rows).
  ``yrkesbro worker`` runs it at start and keeps a daily run of it queued.

Every task here is safe to run twice.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend, task

from yrkesbro.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(seconds=60)
SWEEP_EVERY = timedelta(days=1)
KEEP_FINISHED_TASKS = timedelta(days=7)
KEEP_IDEMPOTENCY = timedelta(hours=24)

# The daily jobs, by dotted path (a task or a plain function); apps add their own
# with ``register_daily`` in ``AppConfig.ready()``. Core's own come last.
DAILY: list[str] = [
    "yrkesbro.collaboration.tasks.reminder_sweep",
    # Catches up any match refresh whose after-commit enqueue was lost.
    "yrkesbro.matching.tasks.refresh_stale",
]


def register_daily(path: str) -> None:
    """Run ``path`` (a task or a function without arguments) in the daily sweep."""
    if path not in DAILY:
        DAILY.append(path)


@task()
def heartbeat(reschedule: bool = True) -> str:
    """Record that a worker is alive, send e-mail whose retry is due, then ask for the next beat."""
    from yrkesbro.core.outbox import deliver_due

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"beat_at": now, "worker": socket.gethostname()}
    )
    deliver_due()
    if reschedule:
        heartbeat.using(run_after=now + HEARTBEAT_EVERY).enqueue()
    return now.isoformat()


@task()
def deliver_outbox() -> int:
    from yrkesbro.core.outbox import deliver_due

    return deliver_due()


def queued(task_: Any, args: list[Any] | None = None) -> bool:
    """Whether a run of ``task_`` (with these positional ``args``, when given) already waits
    in the database backend's queue, so a caller asking for one more can leave it. False on
    backends without a queue to look at (they run or drop a task at once)."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task_.module_path, status="READY")
    if args is not None:
        waiting = waiting.filter(args_kwargs__args=args)
    return waiting.exists()


def enqueue_once(task_: Any, *args: Any) -> None:
    """Enqueue ``task_(*args)`` unless a run with the same arguments already waits (a page
    asking the worker for figures, a continuation): any number of asks, one run."""
    if not queued(task_, list(args) if args else None):
        task_.enqueue(*args)


def _call(path: str) -> Any:
    target: Any = import_string(path)
    func: Callable[[], Any] = target.call if hasattr(target, "call") else target
    return func()


def prune_finished_tasks(now: Any = None) -> int:
    """Forget task rows that finished more than a week ago (the table grew by a row per write)."""
    if not default_task_backend.supports_defer:
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - KEEP_FINISHED_TASKS
    deleted, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff
    ).delete()
    return deleted


def prune_idempotency(now: Any = None) -> int:
    from yrkesbro.core.models import IdempotencyRecord

    cutoff = (now or timezone.now()) - KEEP_IDEMPOTENCY
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def update_statistics() -> str:
    """Refresh the query planner's statistics of an SQLite database (PostgreSQL's autovacuum
    analyses on its own). SQLite keeps none until ANALYZE runs, and without them it answers
    a list's first page by sorting every visible row: the needs list read all 18,000 shared
    needs to show 25 (18 ms) instead of walking the deadline index (0.7 ms). Takes about
    0.2 s at national scale; safe to run any number of times."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return "left to the database"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return "analysed"


CORE_DAILY = (
    "yrkesbro.core.tasks.update_statistics",
    "yrkesbro.core.tasks.retention_sweep",
    "yrkesbro.core.outbox.prune_sent",
    "yrkesbro.core.tasks.prune_idempotency",
    "yrkesbro.core.tasks.prune_finished_tasks",
    "yrkesbro.core.figures.prune",
)


@task()
def daily_sweep(reschedule: bool = False) -> dict[str, Any]:
    """Run every daily job; one job's failure does not stop the others."""
    results: dict[str, Any] = {}
    for path in [*DAILY, *CORE_DAILY]:
        try:
            value = _call(path)
            results[path] = value if isinstance(value, int | str | None) else str(value)
        except Exception as exc:
            logger.exception("daily job %s failed", path)
            results[path] = f"failed: {type(exc).__name__}"
    if reschedule:
        enqueue_daily(timezone.now() + SWEEP_EVERY)
    return results


def enqueue_daily(when: Any) -> None:
    daily_sweep.using(run_after=when).enqueue(reschedule=True)


def ensure_schedules(*, batch: bool = False) -> None:
    """At worker start: a sweep now, and one heartbeat and one daily chain waiting.

    Only READY rows count as waiting: a RUNNING one may belong to a dead worker
    (lease recovery puts it back). Running the sweep once more is harmless.
    """
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status="READY")
    if not ready.filter(task_path=heartbeat.module_path).exists():
        heartbeat.enqueue(reschedule=not batch)
    daily_sweep.enqueue(reschedule=False)
    if (
        not batch
        and not ready.filter(
            task_path=daily_sweep.module_path, args_kwargs__kwargs__reschedule=True
        ).exists()
    ):
        enqueue_daily(timezone.now() + SWEEP_EVERY)


def worker_age(now: Any = None) -> float | None:
    """Seconds since a worker last beat, or None when no worker has ever run."""
    from yrkesbro.core.models import WorkerProcess

    beats = [
        WorkerProcess.objects.order_by("-beat_at").values_list("beat_at", flat=True).first(),
        WorkerHeartbeat.objects.values_list("beat_at", flat=True).first(),
    ]
    latest = max((b for b in beats if b is not None), default=None)
    if latest is None:
        return None
    return ((now or timezone.now()) - latest).total_seconds()


@task()
def retention_sweep() -> dict[str, int]:
    """Apply the personal-data registry's retention periods. Part of the daily sweep
    (``CORE_DAILY``); safe to run twice: a second run finds nothing left to do."""
    from yrkesbro.core.personal_data import enforce_retention

    return enforce_retention()
