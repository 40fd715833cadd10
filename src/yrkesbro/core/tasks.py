"""Background tasks that belong to no single capability."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from yrkesbro.core.models import WorkerHeartbeat

HEARTBEAT_EVERY = timedelta(seconds=60)


@task()
def heartbeat(reschedule: bool = True) -> str:
    """Record that a worker is alive, then ask for the next beat.

    The worker keeps itself on schedule this way; no cron entry is needed.
    """
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"beat_at": now, "worker": socket.gethostname()}
    )
    if reschedule:
        heartbeat.using(run_after=now + HEARTBEAT_EVERY).enqueue()
    return now.isoformat()


RETENTION_EVERY = timedelta(days=1)


@task()
def retention_sweep(reschedule: bool = False) -> dict[str, int]:
    """Apply the personal-data registry's retention periods, then (in a chain) run again
    the next day. Safe to run twice: a second run finds nothing left to do."""
    from yrkesbro.core.personal_data import enforce_retention

    counts = enforce_retention()
    if reschedule:
        retention_sweep.using(run_after=timezone.now() + RETENTION_EVERY).enqueue(reschedule=True)
    return counts


def ensure_retention_chain() -> None:
    """Start the daily retention chain unless one is already waiting (database backend)."""
    from django_tasks import default_task_backend
    from django_tasks_db.models import DBTaskResult

    if not default_task_backend.supports_defer:
        return
    waiting = DBTaskResult.objects.filter(
        task_path=retention_sweep.module_path, status__in=["READY", "RUNNING"]
    )
    if not waiting.exists():
        retention_sweep.enqueue(reschedule=True)
