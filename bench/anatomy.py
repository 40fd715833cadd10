"""Where a page's CPU goes: SQL, building SQL, building objects, templates, the rest.

Run on a world that ``bench/pages.py --home DIR`` built and kept::

    .venv/bin/python bench/anatomy.py --home /tmp/world                 # every benched page
    .venv/bin/python bench/anatomy.py --home /tmp/world --only needs:list --repeat 50

Each (page, user) pair of ``bench/pages.py`` is requested ``--repeat`` times in-process, as
there. A handful of Django's functions are timed, each exclusive of the others nested in
it (a query a template runs counts as SQL, not as template):

| part | what is timed |
|---|---|
| sql | the database call (``CursorWrapper._execute``): on SQLite the engine's own work |
| compile | building SQL from a query set (``SQLCompiler.as_sql``) |
| objects | the rest of fetching rows: converters, model instances, prefetches (``QuerySet._fetch_all``, ``.count()``, ``.exists()``, ``.aggregate()``) |
| templates | rendering (``Template.render``), outside the above |
| rest | everything else: middleware, session, view code, forms, URL routing |

The floor (the accessibility statement for the same user) is measured in the same rounds
and split the same way, so the table says what a page adds to it. Timing costs about 1 µs
a call; the bench's own figures (``bench/pages.py``) stay the reference for totals.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchkit

PARTS = ("sql", "compile", "objects", "templates", "rest")


class Clock:
    """Exclusive CPU time per part: a part nested in another is taken out of the outer."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._stack: list[list[Any]] = []  # [part, started, nested]

    def wrap(self, owner: Any, name: str, part: str) -> None:
        original = getattr(owner, name)
        clock = self

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [part, time.process_time(), 0.0]
            clock._stack.append(frame)
            try:
                return original(*args, **kwargs)
            finally:
                clock._stack.pop()
                took = time.process_time() - frame[1]
                clock.spent[part] += took - frame[2]
                if clock._stack:
                    clock._stack[-1][2] += took

        setattr(owner, name, timed)

    def reset(self) -> dict[str, float]:
        spent, self.spent = dict(self.spent), defaultdict(float)
        return spent


def instrument() -> Clock:
    from django.db.backends import utils
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.template import base

    clock = Clock()
    clock.wrap(utils.CursorWrapper, "_execute", "sql")
    clock.wrap(compiler.SQLCompiler, "as_sql", "compile")
    for method in ("_fetch_all", "count", "exists", "aggregate", "_prefetch_related_objects"):
        clock.wrap(query.QuerySet, method, "objects")
    clock.wrap(base.Template, "render", "templates")
    return clock


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", required=True, help="a YRKESBRO_HOME that pages.py kept")
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--repeat", type=int, default=10)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["YRKESBRO_HOME"] = args.home
    os.environ["YRKESBRO_MODE"] = "demo"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yrkesbro.settings"
    import django

    django.setup()
    import pages as bench_pages
    from django.test import Client

    benchkit.plain_static()
    world, users = bench_pages.choose_world()
    clients = {"anonymous": Client(raise_request_exception=False)}
    for kind, user in users.items():
        clients[kind] = Client(raise_request_exception=False)
        clients[kind].force_login(user)
    chosen = [p for p in bench_pages.PAGES if args.only in p.name]
    runs = [(p.name, kind, p.url(world)) for p in chosen for kind in p.users]
    kinds = sorted({kind for _n, kind, _u in runs})
    runs = [("floor", kind, bench_pages.ACCESSIBILITY) for kind in kinds] + runs
    for _name, kind, url in runs:  # warm up
        clients[kind].get(url)

    clock = instrument()
    samples: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
    for _round in range(args.repeat):
        for name, kind, url in runs:
            clock.reset()
            started = time.process_time()
            clients[kind].get(url)
            total = time.process_time() - started
            spent = clock.reset()
            spent["rest"] = total - sum(spent.values())
            spent["total"] = total
            samples[(name, kind)].append(spent)

    def medians(key: tuple[str, str]) -> dict[str, float]:
        return {
            part: statistics.median(s.get(part, 0.0) for s in samples[key]) * 1000
            for part in (*PARTS, "total")
        }

    head = f"{'page':<40} {'user':<12}" + "".join(f"{p:>10}" for p in (*PARTS, "total"))
    print(head + "   (median CPU ms)")
    sums: dict[str, float] = defaultdict(float)
    for name, kind, _url in runs:
        row = medians((name, kind))
        if name != "floor":
            floor = medians(("floor", kind))
            for part in (*PARTS, "total"):
                sums[part] += row[part] - floor[part]
        print(f"{name[:40]:<40} {kind:<12}" + "".join(f"{row[p]:>10.2f}" for p in row))
    pairs = len(runs) - len(kinds)
    if pairs:
        print(f"\nWhat {pairs} pages add to their floor, summed (ms) and as a share:")
        total = sums["total"] or 1e-9
        for part in PARTS:
            print(f"  {part:<10} {sums[part]:>9.1f}  {sums[part] / total:>6.0%}")
        print(f"  {'total':<10} {sums['total']:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
