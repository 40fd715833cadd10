"""Search quality report: hit@3 and MRR on the labelled query set, ours beside plain BM25.

    .venv/bin/python bench/search_quality.py [--all]

Loads the reference catalogue (75 programmes) into a throw-away SQLite database
(or the DATABASE_URL database, which must be a scratch one), then ranks every
labelled query of ``catalogue/queries.py`` with Yrkesbro's search and with
textbook BM25 (lower-cased words: no stemming, compounds, synonyms or typo
tolerance). Prints each query the engines disagree on (every query with
``--all``): the position of the first relevant programme for each, then the totals
per kind of query and overall.
"""

from __future__ import annotations

import argparse
import os
import sys

from search import setup  # the same throw-away catalogue as the speed bench


def first_relevant(ranked: list[str | None], wanted: set[str]) -> int | None:
    return next((i for i, code in enumerate(ranked, start=1) if code in wanted), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every query")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from yrkesbro.catalogue import quality
    from yrkesbro.catalogue.models import Programme
    from yrkesbro.catalogue.queries import QUERIES

    plan_of = dict(Programme.objects.values_list("id", "national_plan__code"))
    ours, base = quality.ours(), quality.baseline()
    print(
        f"database: {connection.vendor}; {len(QUERIES)} labelled queries, {len(plan_of)} programmes"
    )
    print(f"{'query':<40} {'ours':>5} {'bm25':>5}")
    for query, wanted in QUERIES:
        a = first_relevant([plan_of.get(p) for p in ours(query)], wanted)
        b = first_relevant([plan_of.get(p) for p in base(query)], wanted)
        if args.all or a != b:
            print(f"{query[:40]:<40} {a or '-':>5} {b or '-':>5}")
    hit3, mrr, misses = quality.evaluate(ours, QUERIES)
    b_hit3, b_mrr, _ = quality.evaluate(base, QUERIES)
    print(f"\n{'':<16} {'hit@3':>6} {'MRR':>6}")
    print(f"{'yrkesbro search':<16} {hit3:>6.3f} {mrr:>6.3f}")
    print(f"{'plain BM25':<16} {b_hit3:>6.3f} {b_mrr:>6.3f}")
    if misses:
        print(f"ours, first hit not relevant: {', '.join(misses)}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    main()
