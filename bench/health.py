"""Indicator benchmark: the national and county indicator pages at national scale.

    .venv/bin/python bench/health.py [--factors 0.1,1] [--repeat 20] [--database-url postgres://…]

Builds a throw-away world (a temporary YRKESBRO_HOME with SQLite, or a scratch database
``<name>_healthbench_<pid>`` on the PostgreSQL server given): the real register of 357
municipalities and the fagskoler, then ``yrkesbro.health.scale.seed`` at each factor in
turn (factor 1: 5,000 partnerships, 50,000 meetings, 20,000 survey responses of ten
answers each). At each factor it times the worker's refresh of every indicator once, and,
warm, the national indicator page, Innlandet's page and the public API, and counts their
queries. The query counts must not change with the factor.

Budget: the national indicator page answers within 1 s (median) at factor 1.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchkit import plain_static, scratch_db, timed

BUDGET_MS = 1000.0
PAGES = {
    "national page": "/health/indicators/",
    "Innlandet page": "/health/indicators/?county=34",
    "api county=34": "/api/v1/indicators?county=34",
    "open data json": "/health/indicators/data.json",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="0.1,1")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    home = tempfile.mkdtemp(prefix="yrkesbro-healthbench-")
    os.environ["YRKESBRO_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    os.environ.setdefault("YRKESBRO_MODE", "demo")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if args.database_url:
        url, drop = scratch_db(args.database_url, "healthbench")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plain_static()
    failed = False
    try:
        from yrkesbro.collaboration.models import Meeting, Partnership
        from yrkesbro.health import indicators, scale
        from yrkesbro.health.models import Answer, Response
        from yrkesbro.organisations.reference import load_all

        call_command("migrate", interactive=False, verbosity=0)
        load_all()
        client = Client()
        counts: dict[str, set[int]] = {name: set() for name in PAGES}
        for factor in [float(f) for f in args.factors.split(",")]:
            t0 = time.perf_counter()
            scale.seed(
                factor=factor,
                rng=random.Random(2026),
                progress=lambda name, n: print(f"  {name:<22} +{n}"),
            )
            print(f"factor {factor}: seeded in {time.perf_counter() - t0:.1f} s")
            print(
                f"  partnerships {Partnership.objects.count()}, meetings "
                f"{Meeting.objects.count()}, responses {Response.objects.count()}, "
                f"answers {Answer.objects.count()}"
            )
            t0 = time.perf_counter()
            rows = indicators.refresh()
            print(f"  refresh: {rows} figures in {(time.perf_counter() - t0) * 1000:.0f} ms")
            for name, url in PAGES.items():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                queries = len(ctx.captured_queries)  # read now: each request clears the log
                counts[name].add(queries)
                median, p95 = timed(lambda url=url: client.get(url), args.repeat)
                flag = ""
                if name == "national page" and factor >= 1 and median > BUDGET_MS:
                    flag, failed = "  OVER BUDGET", True
                print(
                    f"  {name:<16} {median:8.1f} ms  p95 {p95:8.1f} ms  {queries:3d} queries{flag}"
                )
        for name, seen in counts.items():
            if len(seen) > 1:
                print(f"queries of {name} changed with the factor: {sorted(seen)}")
                failed = True
    finally:
        drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
