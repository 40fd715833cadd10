"""What the stand-alone benchmarks share: a scratch PostgreSQL database and a timer.

Imported by ``bench/health.py`` and ``bench/needs.py`` (run as scripts, so ``bench/`` is
on the import path)::

    url, drop = scratch_db(args.database_url, "healthbench")
    median, p95 = timed(lambda: client.get("/"), repeat=20)
    plain_static()  # after django.setup(), before the first page
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def scratch_db(url: str, tag: str) -> tuple[str, Callable[[], None]]:
    """Create ``<name>_<tag>_<pid>`` on the server of ``url``; return its URL and a dropper.

    The role needs CREATEDB. The dropper closes Django's connections first.
    """
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'yrkesbro'}_{tag}_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile wall time of ``fn`` in ms, over ``repeat`` warm calls."""
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def plain_static() -> None:
    """Serve pages with plain static storage (call after ``django.setup()``).

    Pages link their CSS through the static storage. The production storage needs
    ``collectstatic``, which compresses every vendored file (minutes); plain storage builds
    the same links without hashes, at the cost of one dictionary lookup less.
    """
    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
