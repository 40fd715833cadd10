"""Page benchmark: each main page's median latency as a ratio to a trivial view, and its queries.

Run with ``make bench`` or ``.venv/bin/python bench/pages.py --factor 5 --repeat 30``.
See bench/README.md for how to read the figures.

The benchmark builds its own world in a temporary YRKESBRO_HOME (SQLite), or in a
scratch database on the PostgreSQL server named by --database-url (created and
dropped again), so it never touches a real instance. It then serves every page
in-process through django.test.Client, interleaving the pages round by round so
that noise falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results"
TRIVIAL = "/healthz"


@dataclass
class Page:
    name: str
    url: str
    signed_in: bool = False


@dataclass
class Row:
    name: str
    url: str
    median_ms: float
    ratio: float
    queries: int


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, default=1.0, help="seed-scale factor (default 1)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL server to use (a scratch database is created there and dropped)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary home/database")
    return parser.parse_args(argv)


def scratch_postgres(url: str) -> tuple[str, str, str]:
    """Create an empty database next to the one in ``url``; return (its URL, admin URL, name)."""
    import psycopg

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "postgres"
    name = f"{base}_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin, name


def drop_postgres(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(factor: float) -> dict[str, Any]:
    """Migrate, load reference and demo data, seed at scale; return the figures of the world."""
    from django.core.management import call_command

    from yrkesbro.core.demo import load_demo
    from yrkesbro.core.scale import seed_scale, synthetic_counts

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_demo()
    seed_scale(
        factor, report=lambda r: print(f"  {r.name:<14} {r.created:>7} rows  {r.seconds:.1f} s")
    )
    from yrkesbro.organisations.models import Organisation

    return {
        "organisations": Organisation.objects.count(),
        **synthetic_counts(),
        "setup_seconds": round(time.perf_counter() - started, 1),
    }


def choose_pages() -> tuple[list[Page], Any, dict[str, Any]]:
    """The pages to measure, the user to sign in as, and what was chosen (for the report)."""
    from django.db.models import Count

    from yrkesbro.accounts.models import Membership, User
    from yrkesbro.core.models import AuditEntry
    from yrkesbro.core.policies import Role
    from yrkesbro.organisations.models import Kind, Organisation

    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    # The municipality with the most organisations located in it.
    busiest = (
        Organisation.objects.exclude(kind=Kind.MUNICIPALITY)
        .filter(municipality__isnull=False)
        .values("municipality")
        .annotate(n=Count("id"))
        .order_by("-n", "municipality")
        .first()
    )
    municipality = Organisation.objects.get(pk=busiest["municipality"]) if busiest else county
    # The organisation with the most members, and the one with the longest audit log.
    top = (
        Membership.objects.values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    members_org = Organisation.objects.get(pk=top["organisation"])
    top_audit = (
        AuditEntry.objects.filter(organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    audit_org = Organisation.objects.get(pk=top_audit["organisation"])
    # One user who administers both, as an organisation's admin would (not a superuser,
    # whose queries skip the policy sub-queries).
    user = User.objects.create(username="bench-admin", full_name="Bench Admin")
    for org in {members_org, audit_org}:
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Role.ADMIN})
    from yrkesbro.accounts.services import token_create

    for n in range(3):
        token_create(actor=user, user=user, name=f"bench token {n}")
    chosen = {
        "county": county.name,
        "municipality": f"{municipality.name} ({busiest['n'] if busiest else 0} organisations)",
        "members_org": f"{members_org.name} ({members_org.memberships.count()} members)",
        "audit_org": f"{audit_org.name} ({audit_org.audit_entries.count()} entries)",
    }
    pages = [
        Page("home", "/"),
        Page("organisations", "/organisations/"),
        Page("organisations search", "/organisations/?q=skole"),
        Page("organisations filter", "/organisations/?kind=municipality&county=34"),
        Page("county page", county.get_absolute_url()),
        Page("municipality page", municipality.get_absolute_url()),
        Page("api organisations", "/api/v1/organisations?kind=municipality"),
        Page("api organisation", f"/api/v1/organisations/{members_org.pk}"),
        Page("api me", "/api/v1/me", signed_in=True),
        Page("home signed in", "/", signed_in=True),
        Page("account", "/account/", signed_in=True),
        Page("account tokens", "/account/tokens/", signed_in=True),
        Page("members", f"/organisations/{members_org.pk}/members/", signed_in=True),
        Page("audit log", f"/organisations/{audit_org.pk}/audit/", signed_in=True),
        Page(
            "api memberships",
            f"/api/v1/organisations/{members_org.pk}/memberships",
            signed_in=True,
        ),
        Page("health indicators", "/health/indicators/"),
        Page("health indicators county", "/health/indicators/?county=34"),
        Page("api indicators", "/api/v1/indicators?county=34"),
        Page("vet supply-demand county", "/vet/supply-demand/?county=34"),
        Page("vet supply-demand national", "/vet/supply-demand/"),
        Page("api vet supply-demand", "/api/v1/vet/supply-demand?county=34"),
    ]
    pages += workforce_pages(user)
    return pages, user, chosen


def workforce_pages(user: Any) -> list[Page]:
    """The employer with the most enrolments, administered by the bench user."""
    from django.db.models import Count

    from yrkesbro.accounts.models import Membership
    from yrkesbro.catalogue.models import Programme
    from yrkesbro.core.policies import Role
    from yrkesbro.workforce.models import Enrolment

    top = (
        Enrolment.objects.values("organisation", "programme")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    if top is None:
        return []
    Membership.objects.get_or_create(
        user=user, organisation_id=top["organisation"], defaults={"role": Role.ADMIN}
    )
    org, programme = top["organisation"], Programme.objects.get(pk=top["programme"])
    return [
        Page("workforce enrolments", f"/workforce/org/{org}/", signed_in=True),
        Page("workforce effect", f"/workforce/org/{org}/effect/", signed_in=True),
        Page("api enrolments", "/api/v1/enrolments", signed_in=True),
        Page("programme page with outcomes", programme.get_absolute_url()),
        Page("api programme outcomes", f"/api/v1/programmes/{programme.pk}/outcomes"),
    ]


def measure(pages: list[Page], user: Any, repeat: int) -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user)
    trivial = Page("trivial (/healthz)", TRIVIAL)
    everything = [trivial, *pages]

    def get(page: Page) -> float:
        client = signed_in if page.signed_in else anonymous
        started = time.perf_counter()
        response = client.get(page.url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{page.url} answered {response.status_code}")
        return elapsed

    queries = {}
    for page in everything:  # warm up caches and templates; count queries once
        get(page)
        with CaptureQueriesContext(connection) as ctx:
            get(page)
        queries[page.name] = len(ctx.captured_queries)
    timings: dict[str, list[float]] = {page.name: [] for page in everything}
    for _round in range(repeat):
        for page in everything:
            timings[page.name].append(get(page))
    base = statistics.median(timings[trivial.name])
    return [
        Row(
            name=page.name,
            url=page.url,
            median_ms=round(statistics.median(timings[page.name]) * 1000, 2),
            ratio=round(statistics.median(timings[page.name]) / base, 1),
            queries=queries[page.name],
        )
        for page in everything
    ]


def table(rows: list[Row]) -> str:
    lines = [f"{'page':<24} {'median ms':>10} {'× trivial':>10} {'queries':>8}"]
    lines += [
        f"{row.name:<24} {row.median_ms:>10.2f} {row.ratio:>10.1f} {row.queries:>8}" for row in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="yrkesbro-bench-"))
    (home / "static").mkdir()  # STATIC_ROOT; empty, but WhiteNoise wants it to exist
    os.environ["YRKESBRO_HOME"] = str(home)
    os.environ["YRKESBRO_MODE"] = "demo"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yrkesbro.settings"
    os.environ.pop("DATABASE_URL", None)
    scratch = None
    if args.database_url:
        url, admin, name = scratch_postgres(args.database_url)
        scratch = (admin, name)
        os.environ["DATABASE_URL"] = url
    try:
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import override_settings

        # Pages link their CSS through the static storage. The production storage needs
        # `collectstatic`, which compresses every vendored file (minutes); plain storage
        # builds the same links without hashes, at the cost of one dictionary lookup less.
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ).enable()

        print(f"Preparing a world at factor {args.factor:g} on {connection.vendor}…")
        world = prepare(args.factor)
        pages, user, chosen = choose_pages()
        print(f"  {world}\n  {chosen}")
        print(f"Measuring {len(pages)} pages, {args.repeat} requests each…\n")
        rows = measure(pages, user, args.repeat)
        print(table(rows))
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"pages-{connection.vendor}-f{args.factor:g}-{stamp}.json"
        out.write_text(
            json.dumps(
                {
                    "when": stamp,
                    "factor": args.factor,
                    "repeat": args.repeat,
                    "database": connection.vendor,
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "world": world,
                    "chosen": chosen,
                    "pages": [asdict(row) for row in rows],
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        print(
            f"\nWritten to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}"
        )
        connection.close()
    finally:
        if args.keep:
            print(f"Kept {home}" + (f" and database {scratch[1]}" if scratch else ""))
        else:
            shutil.rmtree(home, ignore_errors=True)
            if scratch:
                drop_postgres(*scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
