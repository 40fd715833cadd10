"""VET benchmark: the county and national supply/demand pages at national scale.

    .venv/bin/python bench/vet.py [--factors 1 10] [--repeat 20]

For each factor (in increasing order, in one throw-away SQLite database under a temporary
YRKESBRO_HOME) it runs seed-scale's steps, which include this app's (``yrkesbro.vet.scale``:
offers of the 400·F synthetic companies, demand of the synthetic schools, 20,000·F
placements), then serves each page
in-process and reports its median latency as a ratio to the trivial view (/healthz) and
its number of queries. The queries per page must not grow with the factor; the script
exits 1 if they do.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import benchkit

PAGES = [
    ("trivial (/healthz)", "/healthz", False),
    ("vet supply-demand county", "/vet/supply-demand/?county=34", False),
    ("vet supply-demand national", "/vet/supply-demand/", False),
    (
        "vet supply-demand county (county adviser, with rates)",
        "/vet/supply-demand/?county=34",
        True,
    ),
    ("api vet supply-demand county", "/api/v1/vet/supply-demand?county=34", False),
    ("api vet supply-demand national", "/api/v1/vet/supply-demand", False),
    ("vet open data csv", "/vet/supply-demand/data.csv?county=34", False),
]


def setup() -> None:
    home = Path(tempfile.mkdtemp(prefix="yb-bench-vet-"))
    (home / "static").mkdir()
    os.environ["YRKESBRO_HOME"] = str(home)
    os.environ["YRKESBRO_MODE"] = "demo"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yrkesbro.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()

    benchkit.plain_static()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yrkesbro.core.demo import load_demo

    load_demo()


def grow(factor: float) -> dict[str, int]:
    from yrkesbro.core.scale import seed_scale
    from yrkesbro.vet import scale
    from yrkesbro.vet.models import Offer, Placement, SupplyDemand

    started = time.perf_counter()
    seed_scale(
        factor, report=lambda r: print(f"  {r.name:<14} {r.created:>7} rows  {r.seconds:.1f} s")
    )
    scale.seed(
        factor=factor,
        rng=random.Random(factor),
        progress=lambda name, n: print(f"  {name:<24} {n:>7}"),
    )
    print(f"  seeded in {time.perf_counter() - started:.0f} s")
    return {
        "offers": Offer.objects.count(),
        "placements": Placement.objects.count(),
        "supply_demand_rows": SupplyDemand.objects.count(),
    }


def measure(repeat: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yrkesbro.accounts.models import User

    anonymous, county = Client(), Client()
    county.force_login(User.objects.get(username="demo-fylke"))

    def get(url: str, signed_in: bool) -> float:
        client = county if signed_in else anonymous
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed

    queries = {}
    for name, url, signed_in in PAGES:
        get(url, signed_in)
        with CaptureQueriesContext(connection) as ctx:
            get(url, signed_in)
        queries[name] = len(ctx.captured_queries)
    timings: dict[str, list[float]] = {name: [] for name, _u, _s in PAGES}
    for _round in range(repeat):
        for name, url, signed_in in PAGES:
            timings[name].append(get(url, signed_in))
    base = statistics.median(timings[PAGES[0][0]])
    return {
        name: (
            round(statistics.median(t) * 1000, 2),
            round(statistics.median(t) / base, 1),
            queries[name],
        )
        for name, t in timings.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    setup()
    results = {}
    for factor in sorted(args.factors):
        print(f"factor {factor:g}:")
        counts = grow(factor)
        print("  " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        results[factor] = measure(args.repeat)
        print(f"  {'page':<56} {'median ms':>10} {'× trivial':>10} {'queries':>8}")
        for name, (ms, ratio, queries) in results[factor].items():
            print(f"  {name:<56} {ms:>10.2f} {ratio:>10.1f} {queries:>8}")
    factors = sorted(results)
    grew = [name for name, _u, _s in PAGES if len({results[f][name][2] for f in factors}) > 1]
    if grew:
        print(f"queries grew with the factor on: {', '.join(grew)}")
        return 1
    print(f"queries per page constant over factors {', '.join(f'{f:g}' for f in factors)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
