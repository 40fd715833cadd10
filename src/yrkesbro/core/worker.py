"""The background worker that survives faults.

django-tasks-db's worker loop, with three things added:

- a database error (restart, network, failover) is waited out with backoff
  and the loop starts again; the process never exits on it;
- every process beats (``WorkerProcess.beat_at``) from a small thread, also
  while a long task runs;
- a lease: a RUNNING task whose worker has not beaten for ``LEASE`` is put
  back in the queue and runs once more (tasks are written to be safe to run
  twice). After its own reconnect a worker also requeues the task it was
  running when the database went away, because its result was never saved.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("yrkesbro.worker")

BEAT_EVERY = 10.0  # seconds
LEASE = timedelta(seconds=60)
MAX_BACKOFF = 30.0
TRANSIENT = (OperationalError, InterfaceError)


def recover_orphans(*, own_id: str | None = None, now: Any = None) -> int:
    """Requeue RUNNING tasks whose worker stopped beating; returns how many."""
    from yrkesbro.core.models import WorkerProcess

    now = now or timezone.now()
    beats = dict(WorkerProcess.objects.values_list("worker_id", "beat_at"))
    requeued = 0
    for row in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids", "started_at"):
        owner = row.worker_ids[-1] if row.worker_ids else None
        beat = beats.get(owner) if owner else None
        if owner == own_id:
            dead = True  # we are not running anything while we recover
        elif beat is not None:
            dead = beat < now - LEASE
        else:
            # A worker that never registered (an older version, plain db_worker):
            # only a task older than the lease counts as orphaned.
            dead = row.started_at is None or row.started_at < now - LEASE
        if not dead:
            continue
        requeued += DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
            status="READY", started_at=None
        )
    if requeued:
        logger.warning("requeued %s task(s) left RUNNING by a stopped worker", requeued)
    return requeued


class ResilientWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()

    # -- liveness -----------------------------------------------------------
    def beat(self) -> None:
        from yrkesbro.core.models import WorkerProcess

        WorkerProcess.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "beat_at": timezone.now(),
                "host": socket.gethostname()[:100],
                "pid": os.getpid(),
            },
        )

    def _beat_loop(self) -> None:
        beats = 0
        while not self._stop.wait(BEAT_EVERY):
            try:
                self.beat()
                beats += 1
                if beats % 3 == 0:
                    recover_orphans()
            except DatabaseError as exc:
                logger.warning("worker beat failed: %s", exc)
            finally:
                connection.close()

    # -- start and run ------------------------------------------------------
    def start_up(self, *, first: bool) -> None:
        from yrkesbro.core.tasks import ensure_schedules

        self.beat()
        recover_orphans(own_id=self.worker_id)
        if first:
            ensure_schedules(batch=self.batch)

    def run_forever(self) -> None:
        """Run until stopped (or, in batch mode, until the queue is empty)."""
        delay = 1.0
        first = True
        beater = None
        if not self.batch:
            beater = threading.Thread(target=self._beat_loop, name="worker-beat", daemon=True)
            beater.start()
        try:
            while True:
                try:
                    self.start_up(first=first)
                    first = False
                    delay = 1.0
                    self.run()
                    return
                except TRANSIENT as exc:
                    if not self.running:
                        return
                    logger.warning("database unavailable (%s); retrying in %.0f s", exc, delay)
                    connections.close_all()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_BACKOFF)
        finally:
            self._stop.set()
            self._unregister()

    def _unregister(self) -> None:
        from yrkesbro.core.models import WorkerProcess

        # If this fails the row goes stale and the lease recovers its tasks.
        with contextlib.suppress(DatabaseError):
            WorkerProcess.objects.filter(worker_id=self.worker_id).delete()
