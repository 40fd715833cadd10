"""Search benchmark: quality on the labelled query set and latency at 2,000 and 20,000 programmes.

    .venv/bin/python bench/search.py [--sizes 2000 20000] [--repeat 3]

Uses a throw-away SQLite database in a temporary YRKESBRO_HOME unless
DATABASE_URL is set (then it runs there: use a scratch database, as it adds
synthetic programmes and removes them afterwards). Prints hit@3 and MRR for
Yrkesbro's search and for plain BM25 on the reference catalogue, then the
search's CPU time and latency per query (median and 95th percentile, warm, ranking
plus the count and the words that matched for a page of 20) at each size, and the CPU ratio between
the largest and smallest size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

LATENCY_QUERIES = [
    "demens",
    "palliative care",
    "eldreomsorg i heimetenesta",
    "rehabiliteirng",
    "psykisk helse og rus",
    "kurs for de som jobber med demente",
    "velferdsteknologi",
    "barn med særskilte behov",
]


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["YRKESBRO_HOME"] = tempfile.mkdtemp(prefix="yb-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yrkesbro.catalogue import demo
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.organisations.reference import load_all
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_all()
    load_national_plans()
    load_competence_areas()
    demo.load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from yrkesbro.catalogue import quality, scale, search
    from yrkesbro.catalogue.queries import QUERIES

    print(f"database: {connection.vendor}")
    hit3, mrr, misses = quality.evaluate(quality.ours(), QUERIES)
    b_hit3, b_mrr, b_misses = quality.evaluate(quality.baseline(), QUERIES)
    print(f"quality on {len(QUERIES)} labelled queries (75 reference programmes):")
    print(f"  yrkesbro search  hit@3 {hit3:.3f}  MRR {mrr:.3f}  not first: {misses}")
    print(f"  plain BM25       hit@3 {b_hit3:.3f}  MRR {b_mrr:.3f}  not first: {len(b_misses)}")
    medians: dict[int, float] = {}
    try:
        for size in sorted(args.sizes):
            started = time.perf_counter()
            scale.generate_programmes(size)
            built = time.perf_counter() - started
            # Planner statistics, as autovacuum (PostgreSQL) or the worker's daily sweep
            # (SQLite) would take them soon after such a load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            started = time.perf_counter()
            search.rank("demens")[:20]  # the first search after the catalogue grew
            cold = time.perf_counter() - started
            timings = []
            cpu = []
            for _ in range(args.repeat):
                for query in LATENCY_QUERIES:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    results = search.rank(query)
                    # What a page shows: how many match (up to search.MAX_HITS), and the
                    # first 20 hits with the words that matched.
                    len(results)
                    results.explain(results[:20])
                    cpu.append((time.process_time() - started_cpu) * 1000)
                    timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            cpu.sort()
            p95 = timings[int(0.95 * (len(timings) - 1))]
            medians[size] = statistics.median(cpu)
            print(
                f"{size:>6} programmes: CPU median {statistics.median(cpu):.1f} ms, "
                f"p95 {cpu[int(0.95 * (len(cpu) - 1))]:.1f} ms; wall median "
                f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
                f"over {len(timings)} searches (first search after a change {cold * 1000:.0f} ms; "
                f"generating took {built:.0f} s)"
            )
        if len(medians) > 1:
            small, large = min(medians), max(medians)
            print(
                f"CPU ratio {large}/{small}: {medians[large] / medians[small]:.2f}x "
                "(in-process CPU: on PostgreSQL the server's share is not counted, see wall)"
            )
    finally:
        scale.remove_generated()


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    main()
