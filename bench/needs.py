"""Regional-view benchmark: published needs aggregated by competence area at national scale.

    .venv/bin/python bench/needs.py [--needs 20000] [--repeat 20] [--database-url postgres://…]

Builds a throw-away world (a temporary YRKESBRO_HOME with SQLite, or a scratch
database ``<name>_needsbench_<pid>`` on the PostgreSQL server given, created and
dropped again): the real register of 357 municipalities, the competence taxonomy,
and N synthetic needs spread over every municipality (1–3 areas each, about 60 %
published, the rest drafts, internal, being met, met or withdrawn). It then times,
warm, the aggregate for the nation and for the largest county, the whole regional
page (aggregate, two SVG charts, template) and the JSON open-data export, and
checks the national totals against a count done row by row in Python.

Budget: the national regional page answers within 500 ms (median) at 20,000 needs.
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

from benchkit import scratch_db, timed

BUDGET_MS = 500.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def seed(n: int) -> None:
    from django.db import transaction

    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.needs.models import Need, Status, Visibility
    from yrkesbro.organisations.models import Kind, Organisation
    from yrkesbro.organisations.reference import load_register
    from yrkesbro.taxonomy.models import CompetenceArea
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_register()
    load_national_plans()
    load_competence_areas()
    rng = random.Random(20)
    orgs = list(Organisation.objects.filter(kind=Kind.MUNICIPALITY).values_list("pk", flat=True))
    areas = list(CompetenceArea.objects.values_list("pk", flat=True))
    mix = [(Status.PUBLISHED, Visibility.SHARED)] * 12 + [
        (Status.DRAFT, Visibility.PRIVATE),
        (Status.DRAFT, Visibility.INTERNAL),
        (Status.BEING_MET, Visibility.SHARED),
        (Status.MET, Visibility.SHARED),
        (Status.WITHDRAWN, Visibility.INTERNAL),
    ] * 2
    deadline = "2030-06-30"
    through = Need.areas.through
    with transaction.atomic():
        batch = 2000
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                status, visibility = rng.choice(mix)
                rows.append(
                    Need(
                        organisation_id=rng.choice(orgs),
                        unit=f"Enhet {i}",
                        people=rng.randint(1, 40),
                        deadline=deadline,
                        urgency=rng.choice(["low", "medium", "high"]),
                        status=status,
                        visibility=visibility,
                    )
                )
            created = Need.objects.bulk_create(rows)
            links = []
            for need in created:
                for area in rng.sample(areas, rng.randint(1, 3)):
                    links.append(through(need_id=need.pk, competencearea_id=area))
            through.objects.bulk_create(links)


def main() -> int:
    args = parse_args()
    home = tempfile.mkdtemp(prefix="yrkesbro-needsbench-")
    os.environ["YRKESBRO_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    os.environ.setdefault("YRKESBRO_MODE", "demo")
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if args.database_url:
        url, drop = scratch_db(args.database_url, "needsbench")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        seed(args.needs)
        print(
            f"seeded {args.needs} needs in {time.perf_counter() - t0:.1f} s on {connection.vendor}"
        )

        from yrkesbro.needs.models import Need
        from yrkesbro.needs.selectors import regional_aggregate
        from yrkesbro.organisations.models import Kind, Organisation

        biggest = max(
            Organisation.objects.filter(kind=Kind.COUNTY),
            key=lambda c: Need.objects.filter(organisation__county=c).count(),
        )
        # Correctness at scale: the aggregate against a row-by-row count.
        published = [
            n
            for n in Need.objects.only("people", "status", "visibility").iterator()
            if n.status == "published" and n.visibility == "shared"
        ]
        aggregate = regional_aggregate()
        assert aggregate.needs == len(published), (aggregate.needs, len(published))
        assert aggregate.people == sum(n.people for n in published)
        print(
            f"published needs: {aggregate.needs}, people: {aggregate.people} (matches brute force)"
        )
        client = Client()
        cases = [
            ("aggregate, nation", lambda: regional_aggregate()),
            (f"aggregate, {biggest.name}", lambda: regional_aggregate(county=biggest)),
            ("page /needs/regional/", lambda: client.get("/needs/regional/")),
            (
                f"page ?county={biggest.number}",
                lambda: client.get(f"/needs/regional/?county={biggest.number}"),
            ),
            ("open data JSON, nation", lambda: client.get("/needs/regional/data.json")),
            ("open data CSV, nation", lambda: client.get("/needs/regional/data.csv")),
        ]
        print(f"{'case':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        worst_page = 0.0
        for name, fn in cases:
            median, p95 = timed(fn, args.repeat)
            with CaptureQueriesContext(connection) as ctx:
                fn()
            print(f"{name:40} {median:10.1f} {p95:8.1f} {len(ctx.captured_queries):8d}")
            if name == "page /needs/regional/":
                worst_page = median
        verdict = "within" if worst_page <= BUDGET_MS else "OVER"
        print(f"national page median {worst_page:.0f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
        return 0 if worst_page <= BUDGET_MS else 1
    finally:
        drop()


if __name__ == "__main__":
    sys.exit(main())
