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
