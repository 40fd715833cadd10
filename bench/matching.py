"""Matching benchmark: one need against 2,000 and 20,000 offerings; the whole-country gap
analysis at 357 municipalities, 20,000 needs and 2,000 programmes (target under 1 s).

    .venv/bin/python bench/matching.py [--repeat 5]

Uses a throw-away SQLite database in a temporary YRKESBRO_HOME unless DATABASE_URL is set
(then use a scratch database: it adds synthetic rows). Rows are bulk-inserted, so the
recompute signals do not fire while the data is built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import benchkit


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["YRKESBRO_HOME"] = tempfile.mkdtemp(prefix="yb-bench-matching-")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yrkesbro.settings")
    import django

    django.setup()
    benchkit.plain_static()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yrkesbro.catalogue.reference import load_national_plans
    from yrkesbro.organisations.reference import load_all
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_all()
    load_national_plans()
    load_competence_areas()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def build(programmes: int, offerings: int, needs: int, rng: random.Random) -> None:
    from django.utils import timezone

    from yrkesbro.catalogue.models import NationalPlan, Offering, Programme
    from yrkesbro.needs.models import Need, Status, Visibility
    from yrkesbro.organisations.models import Kind, Organisation
    from yrkesbro.taxonomy.models import CompetenceArea

    Offering.objects.all().delete()
    Programme.objects.all().delete()
    Need.objects.all().delete()
    munis = list(Organisation.objects.filter(kind=Kind.MUNICIPALITY))
    plans = list(NationalPlan.objects.all())
    schools = [
        Organisation(kind=Kind.FAGSKOLE, name=f"Bench fagskole {i}", municipality=rng.choice(munis))
        for i in range(40)
    ]
    Organisation.objects.bulk_create(schools)
    schools = list(Organisation.objects.filter(kind=Kind.FAGSKOLE, name__startswith="Bench"))
    words = "demens omsorg pasient rehabilitering kreft lindrende velferdsteknologi barn eldre"
    Programme.objects.bulk_create(
        Programme(
            school=rng.choice(schools),
            national_plan=rng.choice(plans),
            title=f"Program {i}",
            field="health",
            credits=60,
            outcomes_knowledge=" ".join(rng.sample(words.split(), 5)),
        )
        for i in range(programmes)
    )
    progs = list(Programme.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    Offering.objects.bulk_create(
        Offering(
            programme_id=rng.choice(progs),
            municipality=None if i % 10 == 0 else rng.choice(munis),
            delivery="online" if i % 10 == 0 else rng.choice(["campus", "blended"]),
            pace=rng.choice(["part-time", "full-time"]),
            start_date=today + dt.timedelta(days=rng.randint(30, 700)),
            semesters=2,
            seats=rng.randint(10, 40),
            funding=rng.choice(["state-funded", "tuition"]),
            price_nok=rng.choice([0, 30000, 60000]),
            status=rng.choice(["open", "planned", "full"]),
        )
        for i in range(offerings)
    )
    if needs:
        now = timezone.now()
        Need.objects.bulk_create(
            Need(
                organisation=rng.choice(munis),
                unit="Hjemmetjenesten",
                description="Flere brukere med demens bor hjemme lenger.",
                people=rng.randint(1, 40),
                deadline=today + dt.timedelta(days=rng.randint(100, 900)),
                status=Status.PUBLISHED,
                visibility=Visibility.SHARED,
                published_at=now,
                max_travel_km=rng.choice([None, 60, 150]),
            )
            for _ in range(needs)
        )
        areas = list(CompetenceArea.objects.values_list("pk", flat=True))
        through = Need.areas.through
        through.objects.bulk_create(
            through(need_id=pk, competencearea_id=a)
            for pk in Need.objects.values_list("pk", flat=True)
            for a in rng.sample(areas, rng.randint(1, 2))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from yrkesbro.matching import scoring, selectors
    from yrkesbro.needs.models import Need

    rng = random.Random(42)
    print(f"database: {connection.vendor}, python {sys.version.split()[0]}")
    for size in (2000, 20000):
        build(2000, size, 1, rng)
        need = Need.objects.select_related("organisation").get()
        cands = selectors.candidate_offerings()
        ni = selectors.need_input(need)
        total = timed(lambda need=need: selectors.compute_matches(need), args.repeat)
        score_only = timed(lambda ni=ni, c=cands: scoring.rank(ni, c, 10), args.repeat)
        print(
            f"match one need against {size:>6,} offerings ({len(cands):,} candidates): "
            f"total {total[0] * 1000:.0f} ms (max {total[1] * 1000:.0f}), "
            f"scoring alone {score_only[0] * 1000:.0f} ms"
        )
    build(2000, 4000, 20000, rng)
    nation = selectors.Region()
    median, worst = timed(lambda: selectors.gaps(nation), args.repeat)
    rows = selectors.gaps(nation)
    print(
        f"gaps, whole country: 357 municipalities, 20,000 needs, 2,000 programmes, 4,000 "
        f"offerings, {len(rows)} areas: median {median * 1000:.0f} ms (max {worst * 1000:.0f})"
        f" – target < 1000 ms: {'OK' if median < 1 else 'MISSED'}"
    )
    county = selectors.region_from("34")
    median, _ = timed(lambda: selectors.gaps(county), args.repeat)
    print(f"gaps, one county (Innlandet): median {median * 1000:.0f} ms")
    pages(args.repeat)


def pages(repeat: int) -> None:
    """Pages at national scale, as a ratio to the trivial view (/healthz)."""
    from django.test import Client

    from yrkesbro.accounts.models import User
    from yrkesbro.matching import tasks
    from yrkesbro.needs.models import Need
    from yrkesbro.organisations.models import Kind, Organisation

    user = User.objects.create_superuser("bench-matching", "b@example.test", "x-bench-password")
    client = Client()
    client.force_login(user)
    need = Need.objects.order_by("pk").first()
    school = Organisation.objects.filter(kind=Kind.FAGSKOLE).order_by("pk").first()
    assert need is not None and school is not None

    def get(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    base, _ = timed(get("/healthz"), repeat)
    rows = [
        ("need matches, computed live", f"/matching/needs/{need.pk}/"),
        ("gaps, whole country", "/matching/gaps/"),
        ("school demand and leads", f"/matching/schools/{school.pk}/"),
    ]
    results = [(label, timed(get(path), repeat)[0]) for label, path in rows]
    tasks.store(need)
    results.insert(
        1, ("need matches, precomputed", timed(get(f"/matching/needs/{need.pk}/"), repeat)[0])
    )
    print(f"pages (trivial view {base * 1000:.1f} ms):")
    for label, median in results:
        print(f"  {label:<30} {median * 1000:>7.0f} ms  {median / base:>6.0f} × trivial")


if __name__ == "__main__":
    main()
