"""Health endpoints for load balancers and operators, both JSON and never cached.

- ``/healthz``: liveness. The process answers; no database, no session, so it
  stays fast under load and says nothing about dependencies.
- ``/readyz``: readiness. A database round trip (with Django's connection
  health checks, so a connection broken by a restart is replaced rather than
  trusted), pending migrations, and the age of the worker's last beat. 503 when
  the database is unreachable or migrations are pending; a stale worker is
  reported but does not take the web process out of rotation.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from yrkesbro import __version__

# The worker beats every 10 s; after this long without a beat it is reported stale.
WORKER_STALE_AFTER = 120.0
# The migration plan is read from disk and the database; once it is empty it stays
# empty for the life of the process, so it is checked again only while pending.
_migrations_done = False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": __version__})


def _pending_migrations() -> list[str]:
    global _migrations_done
    if _migrations_done:
        return []
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_done = not pending
    return pending


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    from yrkesbro.core.tasks import worker_age

    body: dict[str, Any] = {"status": "ok", "version": __version__}
    started = time.monotonic()
    try:
        # Drops a connection that a database restart broke, then a real round trip.
        # (Never inside a transaction: there the connection is not ours to close.)
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
        pending = _pending_migrations()
        body["migrations"] = {"ok": not pending, "pending": pending}
        age = worker_age()
        body["worker"] = {
            "ok": age is not None and age < WORKER_STALE_AFTER,
            "last_beat_seconds": None if age is None else round(age, 1),
        }
    except DatabaseError as exc:
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        body["database"] = {"ok": False, "error": type(exc).__name__}
    ready = body["database"]["ok"] and body.get("migrations", {}).get("ok", False)
    body["status"] = "ok" if ready else "unavailable"
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response
