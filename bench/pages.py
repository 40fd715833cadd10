"""Page benchmark: every main page and API list, as each kind of user, at national scale.

Run with ``make bench`` or ``.venv/bin/python bench/pages.py --factors 0.1,1,10 --repeat 20``.
See bench/README.md for how to read the figures.

The benchmark builds its own world in a temporary YRKESBRO_HOME (SQLite), or in a
scratch database on the PostgreSQL server named by --database-url (created and
dropped again), so it never touches a real instance. For each factor, smallest first,
it tops the world up with ``seed-scale`` (which only adds the difference), signs in one
user of each kind, and serves every page in-process through django.test.Client,
interleaving the pages round by round so that noise falls on all of them alike.

``PAGES`` lists what is measured, by URL name (or API path) and user; ``EXCLUDED`` the
few URL names that are not pages to measure, with the reason. ``tests/test_bench_pages.py``
keeps the two together equal to the URL conf, so a new page cannot miss the bench.
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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchkit
import worker as bench_worker

RESULTS = Path(__file__).resolve().parent / "results"
HEALTHZ = "/healthz"
ACCESSIBILITY = "/accessibility/"

# The kinds of user (PRODUCT.md section 2) a page is measured as. "municipality" is an
# administrator of the municipality with the most needs, "employee" a viewer there,
# "school" an administrator of the synthetic school with the most partnerships, "county"
# an administrator of the county Innlandet, "platform" a platform administrator.
USERS = ("anonymous", "municipality", "employee", "school", "county", "platform")
SIGNED_IN = USERS[1:]
EVERYONE = USERS


@dataclass
class World:
    """The objects the pages are about, chosen after seeding (ids)."""

    municipality: int = 0
    county: int = 0
    school: int = 0
    need: int = 0
    plan: int = 0
    plan_need: int = 0  # a need in ``plan`` (the remove confirmation)
    programme: int = 0
    offering: int = 0
    partnership: int = 0
    forum: int = 0
    meeting: int = 0
    agreement: int = 0
    request: int = 0
    membership: int = 0
    vet_offer: int = 0
    placement: int = 0
    hospitering: int = 0
    survey_round: int = 0
    enrolment: int = 0
    area: str = ""
    national_plan: str = ""
    chosen: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    route: str  # URL name ("needs:list") or API path as declared ("/needs")
    users: tuple[str, ...]
    url: Callable[[World], str]
    label: str = ""  # a variant of the same route, e.g. a search

    @property
    def is_api(self) -> bool:
        return self.route.startswith("/")

    @property
    def name(self) -> str:
        return f"{self.route}{' ' + self.label if self.label else ''}"


def p(
    route: str, users: tuple[str, ...], url: Callable[[World], str] | str, label: str = ""
) -> Page:
    return Page(route, users, url if callable(url) else (lambda w, u=url: u), label)


def api(path: str, users: tuple[str, ...], query: str = "", label: str = "") -> Page:
    """An API list: ``path`` as declared in the router (``/needs``), ids filled from the world."""

    def url(w: World) -> str:
        filled = path.format(org_id=w.municipality, need_id=w.need)
        return f"/api/v1{filled}{query}"

    return Page(path, users, url, label)


MUNI = ("municipality", "employee")
SCHOOL = ("school",)
ADMIN = ("platform",)

PAGES: list[Page] = [
    # core and accounts
    p("core:home", EVERYONE, "/"),
    p("core:accessibility", ("anonymous",), ACCESSIBILITY),
    p("core:developers", ("anonymous",), "/developers/"),
    p("core:healthz", ("anonymous",), HEALTHZ),
    p("accounts:login", ("anonymous",), "/login/"),
    p("accounts:password_reset", ("anonymous",), "/password-reset/"),
    p("accounts:password_reset_done", ("anonymous",), "/password-reset/sent/"),
    p("accounts:password_reset_complete", ("anonymous",), "/password-reset/done/"),
    p("accounts:profile", SIGNED_IN, "/account/"),
    p("accounts:tokens", ("municipality",), "/account/tokens/"),
    # organisations
    p("organisations:list", EVERYONE, "/organisations/"),
    p("organisations:list", ("anonymous",), "/organisations/?q=skole", "search"),
    p(
        "organisations:list",
        ("anonymous",),
        "/organisations/?kind=municipality&county=34",
        "filter",
    ),
    p(
        "organisations:detail",
        ("anonymous", "municipality"),
        lambda w: f"/organisations/{w.municipality}/",
    ),
    p("organisations:detail", ("anonymous",), lambda w: f"/organisations/{w.county}/", "county"),
    p("organisations:create", ADMIN, "/organisations/new/"),
    p("organisations:register_import", ADMIN, "/organisations/import-register/"),
    p("organisations:edit", ("municipality",), lambda w: f"/organisations/{w.municipality}/edit/"),
    p(
        "organisations:members",
        ("municipality",),
        lambda w: f"/organisations/{w.municipality}/members/",
    ),
    p(
        "organisations:member_edit",
        ("municipality",),
        lambda w: f"/organisations/{w.municipality}/members/{w.membership}/",
    ),
    p(
        "organisations:audit",
        ("municipality",),
        lambda w: f"/organisations/{w.municipality}/audit/",
    ),
    # catalogue
    p("catalogue:list", EVERYONE, "/catalogue/"),
    p("catalogue:list", ("anonymous", "municipality"), "/catalogue/?q=demens", "search"),
    p("catalogue:list", ("anonymous",), "/catalogue/?q=demnes+omsorg", "typo"),
    p("catalogue:list", ("anonymous",), "/catalogue/?county=34&delivery=online", "filter"),
    p("catalogue:export", ("anonymous",), "/catalogue/export.csv?q=demens", "csv"),
    p("catalogue:overview", ("anonymous",), "/catalogue/overview/"),
    p("catalogue:plans", ("anonymous",), "/catalogue/plans/"),
    p("catalogue:plan", ("anonymous",), lambda w: f"/catalogue/plans/{w.national_plan}/"),
    p("catalogue:school", ("anonymous", "school"), lambda w: f"/catalogue/schools/{w.school}/"),
    p(
        "catalogue:programme",
        ("anonymous", "school"),
        lambda w: f"/catalogue/programmes/{w.programme}/",
    ),
    p("catalogue:programme_create", SCHOOL, lambda w: f"/catalogue/schools/{w.school}/new/"),
    p("catalogue:programme_edit", SCHOOL, lambda w: f"/catalogue/programmes/{w.programme}/edit/"),
    p(
        "catalogue:offering_create",
        SCHOOL,
        lambda w: f"/catalogue/programmes/{w.programme}/offerings/new/",
    ),
    p("catalogue:offering_edit", SCHOOL, lambda w: f"/catalogue/offerings/{w.offering}/edit/"),
    p(
        "catalogue:programme_delete",
        SCHOOL,
        lambda w: f"/catalogue/programmes/{w.programme}/delete/",
    ),
    p("catalogue:offering_delete", SCHOOL, lambda w: f"/catalogue/offerings/{w.offering}/delete/"),
    p("catalogue:import_upload", SCHOOL, lambda w: f"/catalogue/schools/{w.school}/import/"),
    # taxonomy
    p("taxonomy:list", ("anonymous", "platform"), "/taxonomy/"),
    p("taxonomy:create", ADMIN, "/taxonomy/new/"),
    p("taxonomy:edit", ADMIN, lambda w: f"/taxonomy/{w.area}/edit/"),
    # needs
    p("needs:list", ("municipality", "employee", "school", "county", "platform"), "/needs/"),
    p("needs:export", ("municipality", "school"), "/needs/export.csv", "csv"),
    p("needs:export", ("municipality",), "/needs/export.xlsx", "xlsx"),
    p("needs:create", ("municipality",), "/needs/new/"),
    p("needs:assessment", ("municipality",), "/needs/assessment/"),
    p("needs:import", ("municipality",), "/needs/import/"),
    p("needs:import_template", ("municipality",), "/needs/import/template.csv"),
    p("needs:detail", ("municipality", "school"), lambda w: f"/needs/{w.need}/"),
    p("needs:edit", ("municipality",), lambda w: f"/needs/{w.need}/edit/"),
    p("needs:regional", ("anonymous",), "/needs/regional/"),
    p("needs:regional", ("anonymous",), "/needs/regional/?county=34", "county"),
    p("needs:regional_csv", ("anonymous",), "/needs/regional/data.csv"),
    p("needs:regional_json", ("anonymous",), "/needs/regional/data.json"),
    p("needs:plan_list", MUNI, "/needs/plans/"),
    p("needs:plan_export", ("municipality",), "/needs/plans/export.csv", "csv"),
    p("needs:plan_create", ("municipality",), "/needs/plans/new/"),
    p("needs:plan_detail", MUNI, lambda w: f"/needs/plans/{w.plan}/"),
    p("needs:plan_edit", ("municipality",), lambda w: f"/needs/plans/{w.plan}/edit/"),
    p("needs:plan_print", ("municipality",), lambda w: f"/needs/plans/{w.plan}/print/"),
    p("needs:plan_internal", MUNI, lambda w: f"/needs/plans/{w.plan}/internal/"),
    p("needs:plan_add_needs", ("municipality",), lambda w: f"/needs/plans/{w.plan}/add-needs/"),
    p(
        "needs:plan_remove_need",
        ("municipality",),
        lambda w: f"/needs/plans/{w.plan}/needs/{w.plan_need}/remove/",
    ),
    # collaboration
    p("collaboration:index", EVERYONE, "/collaboration/"),
    p("collaboration:partnership_export", ("school",), "/collaboration/partnerships/export.csv"),
    p("collaboration:meeting_export", ("school",), "/collaboration/meetings/export.csv"),
    p("collaboration:structure_types", ("county",), "/collaboration/structure-types/"),
    p("collaboration:partnership_create", ("municipality",), "/collaboration/partnerships/new/"),
    p(
        "collaboration:partnership",
        ("anonymous", "school"),
        lambda w: f"/collaboration/partnerships/{w.partnership}/",
    ),
    p(
        "collaboration:partnership_edit",
        SCHOOL,
        lambda w: f"/collaboration/partnerships/{w.partnership}/edit/",
    ),
    p(
        "collaboration:partnership_people",
        SCHOOL,
        lambda w: f"/collaboration/partnerships/{w.partnership}/people/",
    ),
    p(
        "collaboration:agreement_create",
        SCHOOL,
        lambda w: f"/collaboration/partnerships/{w.partnership}/agreements/new/",
    ),
    p(
        "collaboration:forum_create",
        SCHOOL,
        lambda w: f"/collaboration/partnerships/{w.partnership}/forums/new/",
    ),
    p("collaboration:agreement", SCHOOL, lambda w: f"/collaboration/agreements/{w.agreement}/"),
    p(
        "collaboration:agreement_edit",
        SCHOOL,
        lambda w: f"/collaboration/agreements/{w.agreement}/edit/",
    ),
    p(
        "collaboration:agreement_diff",
        SCHOOL,
        lambda w: f"/collaboration/agreements/{w.agreement}/compare/",
    ),
    p(
        "collaboration:agreement_document",
        SCHOOL,
        lambda w: f"/collaboration/agreements/{w.agreement}/document/",
    ),
    p("collaboration:forum", SCHOOL, lambda w: f"/collaboration/forums/{w.forum}/"),
    p("collaboration:forum_edit", SCHOOL, lambda w: f"/collaboration/forums/{w.forum}/edit/"),
    p(
        "collaboration:meeting_create",
        SCHOOL,
        lambda w: f"/collaboration/forums/{w.forum}/meetings/new/",
    ),
    p("collaboration:meeting", SCHOOL, lambda w: f"/collaboration/meetings/{w.meeting}/"),
    p("collaboration:meeting_edit", SCHOOL, lambda w: f"/collaboration/meetings/{w.meeting}/edit/"),
    p(
        "collaboration:org_overview",
        ("municipality",),
        lambda w: f"/collaboration/organisations/{w.municipality}/",
    ),
    p(
        "collaboration:county_overview",
        ("county",),
        lambda w: f"/collaboration/counties/{w.county}/",
    ),
    p("collaboration:notifications", SIGNED_IN, "/collaboration/notifications/"),
    p("collaboration:calendars", ("municipality",), "/collaboration/calendars/"),
    # matching
    p("matching:index", ("municipality", "school", "county"), "/matching/"),
    p("matching:need", ("municipality",), lambda w: f"/matching/needs/{w.need}/"),
    p("matching:request_create", ("municipality",), lambda w: f"/matching/needs/{w.need}/request/"),
    p("matching:plan", ("municipality",), lambda w: f"/matching/plans/{w.plan}/"),
    p("matching:school", ("school",), lambda w: f"/matching/schools/{w.school}/"),
    p("matching:requests", ("municipality", "school"), "/matching/requests/"),
    p("matching:request_export", ("municipality", "school"), "/matching/requests/export.csv"),
    p("matching:request", ("school",), lambda w: f"/matching/requests/{w.request}/"),
    p("matching:gaps", ("anonymous",), "/matching/gaps/"),
    p("matching:gaps", ("anonymous",), "/matching/gaps/?county=34", "county"),
    p("matching:gaps_csv", ("anonymous",), "/matching/gaps/data.csv"),
    p("matching:gaps_json", ("anonymous",), "/matching/gaps/data.json"),
    # API lists (and the one-object reads that pages of other services call most)
    api("/me", SIGNED_IN),
    api("/organisations", ("anonymous",), "?kind=municipality"),
    api("/organisations/{org_id}/memberships", ("municipality",)),
    api("/programmes", ("anonymous",)),
    api("/programmes", ("anonymous",), "?q=demens", "search"),
    api("/national-plans", ("anonymous",)),
    api("/competence-areas", ("anonymous",)),
    api("/needs", ("municipality", "school", "platform")),
    api("/plans", ("municipality",)),
    api("/needs/{need_id}/matches", ("municipality",)),
    api("/partnerships", ("municipality", "school")),
    api("/agreements", ("school",)),
    api("/forums", ("school",)),
    api("/meetings", ("school",)),
    api("/action-items", ("school",)),
    api("/requests", ("municipality", "school")),
    api("/gaps", ("anonymous",)),
    # open data
    p("core:open_data", ("anonymous",), "/open-data/"),
    p("core:open_data_ttl", ("anonymous",), "/open-data/catalog.ttl"),
    p("core:open_data_jsonld", ("anonymous",), "/open-data/catalog.jsonld"),
    # collaboration health (C7)
    p("health:index", ("municipality", "school"), "/health/"),
    p("health:item_sets", ("platform",), "/health/item-sets/"),
    p("health:item_set_new", ("platform",), "/health/item-sets/new/"),
    p("health:indicators", ("anonymous",), "/health/indicators/"),
    p("health:indicators", ("anonymous",), "/health/indicators/?county=34", "county"),
    p("health:indicators_csv", ("anonymous",), "/health/indicators/data.csv"),
    p("health:indicators_xlsx", ("anonymous",), "/health/indicators/data.xlsx"),
    p("health:indicators_json", ("anonymous",), "/health/indicators/data.json"),
    p(
        "health:partnership",
        SCHOOL,
        lambda w: f"/health/partnerships/{w.partnership}/",
    ),
    p("health:answer", SCHOOL, lambda w: f"/health/rounds/{w.survey_round}/answer/"),
    api("/indicators", ("anonymous",), "?county=34"),
    # upper-secondary VET (C8)
    p("vet:index", ("school", "county"), "/vet/"),
    p("vet:supply_demand", ("anonymous",), "/vet/supply-demand/"),
    p("vet:supply_demand", ("anonymous", "county"), "/vet/supply-demand/?county=34", "county"),
    p("vet:supply_demand_csv", ("anonymous",), "/vet/supply-demand/data.csv"),
    p("vet:supply_demand_xlsx", ("anonymous",), "/vet/supply-demand/data.xlsx"),
    p("vet:supply_demand_json", ("anonymous",), "/vet/supply-demand/data.json"),
    p("vet:trades", ("anonymous",), "/vet/trades/"),
    p("vet:trades_import", ADMIN, "/vet/trades/import/"),
    p("vet:demand", ("school", "county"), "/vet/demand/"),
    p("vet:offer_create", ("municipality",), "/vet/offers/new/"),
    p("vet:offer_detail", ("county",), lambda w: f"/vet/offers/{w.vet_offer}/"),
    p("vet:placement_detail", SCHOOL, lambda w: f"/vet/placements/{w.placement}/"),
    p("vet:hospitering_create", SCHOOL, "/vet/hospitering/new/"),
    p("vet:hospitering_detail", SCHOOL, lambda w: f"/vet/hospitering/{w.hospitering}/"),
    p("vet:hospitering_print", SCHOOL, lambda w: f"/vet/hospitering/{w.hospitering}/print/"),
    api("/vet/supply-demand", ("anonymous",), "?county=34"),
    # workforce development (C6)
    p("workforce:me", SIGNED_IN, "/workforce/me/"),
    p("workforce:record", ("anonymous",), "/workforce/personal-data/"),
    p("workforce:org", ("municipality",), lambda w: f"/workforce/org/{w.municipality}/"),
    p("workforce:effect", ("municipality",), lambda w: f"/workforce/org/{w.municipality}/effect/"),
    p("workforce:policy", ("municipality",), lambda w: f"/workforce/org/{w.municipality}/policy/"),
    p("workforce:enrol", ("municipality",), lambda w: f"/workforce/org/{w.municipality}/enrol/"),
    p(
        "workforce:employee_create",
        ("municipality",),
        lambda w: f"/workforce/org/{w.municipality}/employees/new/",
    ),
    p("workforce:import", ("municipality",), lambda w: f"/workforce/org/{w.municipality}/import/"),
    p(
        "workforce:export",
        ("municipality",),
        lambda w: f"/workforce/org/{w.municipality}/enrolments.csv",
        "csv",
    ),
    p("workforce:enrolment", ("municipality",), lambda w: f"/workforce/enrolments/{w.enrolment}/"),
    p("workforce:deletions", ("municipality",), "/workforce/deletions/"),
    p("workforce:outcomes", ("anonymous",), "/workforce/outcomes/"),
    p("workforce:outcomes_csv", ("anonymous",), "/workforce/outcomes/data.csv"),
    p("workforce:outcomes_json", ("anonymous",), "/workforce/outcomes/data.json"),
    api("/employees", ("municipality",)),
    api("/enrolments", ("municipality",)),
    Page(
        "/programmes/{programme_id}/outcomes",
        ("anonymous",),
        lambda w: f"/api/v1/programmes/{w.programme}/outcomes",
    ),
    api("/health/item-sets", ("anonymous",)),
    api("/health/my-surveys", ("municipality",)),
    api("/health/rounds", ("municipality",)),
    Page(
        "/health/partnerships/{partnership_id}/divergence",
        ("school",),
        lambda w: f"/api/v1/health/partnerships/{w.partnership}/divergence",
    ),
    api("/partnership-invitations", ("municipality",)),
    *(
        Page(
            f"/partnerships/{{pk}}/{what}",
            SCHOOL,
            lambda w, what=what: f"/api/v1/partnerships/{w.partnership}/{what}",
        )
        for what in ("representatives", "liaisons", "contacts")
    ),
    Page(
        "/meetings/{pk}/attendance",
        SCHOOL,
        lambda w: f"/api/v1/meetings/{w.meeting}/attendance",
    ),
    api("/structure-types", ("county",)),
    Page(
        "/health/partnerships/{partnership_id}/settings",
        SCHOOL,
        lambda w: f"/api/v1/health/partnerships/{w.partnership}/settings",
    ),
    api("/organisations/{org_id}/incentive-policy", ("municipality",)),
    api("/notifications", ("municipality",)),
    api("/vet/offers", ("school",)),
    api("/vet/placements", ("school",)),
    api("/vet/trades", ("anonymous",)),
    api("/vet/demand", ("school",)),
    api("/vet/hospitering", ("school",)),
]

# URL names in the URL conf that are not measured, and why. Keep it short.
EXCLUDED: dict[str, str] = {
    "set_language": "POST only: switches the language",
    "accounts:logout": "POST only",
    "accounts:password_reset_confirm": "needs a fresh one-time token",
    "accounts:invitation": "needs a fresh one-time token",
    "accounts:token_revoke": "POST only",
    "catalogue:import_status": "one upload of a school, made by the page above",
    "organisations:member_remove": "POST only",
    "organisations:invitation_revoke": "POST only",
    "needs:status": "POST only",
    "needs:plan_approve": "POST only",
    "needs:plan_pdf": "WeasyPrint rendering, seconds by design; the print page is measured",
    "collaboration:agreement_pdf": "WeasyPrint rendering; the document page is measured",
    "collaboration:agreement_action": "POST only",
    "collaboration:contact_log": "POST only (HTMX)",
    "collaboration:forum_plan": "POST only",
    "collaboration:partnership_people_remove": "POST only",
    "collaboration:meeting_add": "POST only (HTMX)",
    "collaboration:action_status": "POST only (HTMX)",
    "collaboration:ical": "needs a feed token; a calendar file, not a page",
    "matching:request_action": "POST only",
    "workforce:index": "redirects to the reader's organisation page",
    "health:dcat": "a permanent redirect to /open-data/catalog.jsonld (benched there)",
    "core:readyz": "readiness probe: answers 503 without a worker heartbeat, by design",
    # Log-in with ID-porten and Feide: redirects to and from an identity provider.
    "accounts:oidc_invitation": "POST only, redirects to the identity provider",
    "accounts:oidc_not_invited": "a static message after a provider log-in",
    "openid_connect_login": "POST only, redirects to the identity provider",
    "openid_connect_callback": "needs a code from the identity provider",
    "socialaccount_login_cancelled": "a static message after a provider log-in",
    "socialaccount_login_error": "redirect",
    "socialaccount_connections": "redirect",
    "socialaccount_signup": "a static message after a provider log-in",
    "account_login": "redirect",
    "account_inactive": "a static message after a provider log-in",
    "collaboration:invitation_answer": "POST only",
    "collaboration:party_leave": "POST only",
    "health:round_close": "POST only",
    "health:round_start": "POST only",
    "health:settings": "POST only",
    "vet:placement_agree": "POST only",
    "vet:placement_assess": "POST only",
    "vet:hospitering_answer": "POST only",
    "vet:hospitering_report": "POST only",
    "vet:hospitering_pdf": "WeasyPrint rendering; the print page is the page",
    "workforce:deletion_carry_out": "POST only",
    "workforce:enrolment_action": "POST only",
    "workforce:me_delete": "POST only",
    "workforce:me_export": "a personal JSON file",
    "workforce:partnership_from_request": "POST only",
}


@dataclass
class Row:
    page: str
    user: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    cpu_ms: float
    queries: int
    x_healthz: float
    x_accessibility: float
    growth: float | None = None  # CPU at this factor / CPU at the first factor measured


# docs/decisions/0007-page-budget.md: what a page is held to at factor 1.
BUDGET_X_FLOOR = 10.0  # CPU at most this multiple of the same user's accessibility floor
BUDGET_MS = 50.0  # and at most this much CPU
BUDGET_GROWTH = 1.5  # and at most this multiple of its own CPU at the first factor
# Downloads and print views list every row by design; they are held to the query budget only.
DOWNLOAD_MARKERS = ("export", "csv", "xlsx", "json", "ttl", "print")


def is_download(page: str) -> bool:
    return any(marker in page for marker in DOWNLOAD_MARKERS)


def over_budget(rows: list[Row]) -> list[tuple[Row, str]]:
    """The pages over the budget of decision 7, each with what it exceeds."""
    found = []
    for row in rows:
        if row.page.startswith("floor:") or is_download(row.page):
            continue
        reasons = []
        if row.x_accessibility > BUDGET_X_FLOOR:
            reasons.append(f"{row.x_accessibility:.1f}x its floor")
        if row.cpu_ms > BUDGET_MS:
            reasons.append(f"{row.cpu_ms:.0f} ms")
        if row.growth is not None and row.growth > BUDGET_GROWTH:
            reasons.append(f"grew {row.growth:.1f}x")
        if reasons:
            found.append((row, ", ".join(reasons)))
    return found


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--factors",
        default="0.1",
        help="comma-separated seed-scale factors, smallest first (default 0.1, a quick run; "
        "the full run is 0.1,1,10)",
    )
    parser.add_argument("--factor", type=float, help="one factor (same as --factors F)")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page (default 5)")
    parser.add_argument(
        "--database-url",
        default="",
        help="PostgreSQL server to use (a scratch database is created there and dropped)",
    )
    parser.add_argument("--home", default="", help="use (and keep) this YRKESBRO_HOME (SQLite)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home/database")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="use the --database-url database itself (seeded before, topped up here; kept)",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="do not run the worker (no RSS or lag figures)"
    )
    parser.add_argument(
        "--worker-wait",
        type=float,
        default=900.0,
        help="seconds to wait for the worker to finish its start-up sweep before the lag "
        "is measured (default 900)",
    )
    args = parser.parse_args(argv)
    args.factor_list = (
        [args.factor]
        if args.factor is not None
        else [float(f) for f in args.factors.split(",") if f.strip()]
    )
    return args


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


def prepare(factor: float, *, demo: bool = True) -> dict[str, Any]:
    """Migrate, load reference and demo data, seed at scale; return the figures of the world.

    The demo is loaded once, before the synthetic data: loading it refreshes the stored
    matches of every need without them, which at scale is the worker's job, not set-up's.
    """
    from django.core.management import call_command

    from yrkesbro.core.demo import load_demo
    from yrkesbro.core.scale import seed_scale, synthetic_counts

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    from yrkesbro.needs.models import Need

    if demo and not Need.objects.exists():
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


def choose_world() -> tuple[World, dict[str, Any]]:
    """The objects to show and one user of each kind (signed-in users by kind)."""
    from django.db.models import Count

    from yrkesbro.accounts.models import Membership, User
    from yrkesbro.catalogue.models import NationalPlan, Offering, Programme
    from yrkesbro.collaboration.models import Agreement, Forum, Meeting, Partnership
    from yrkesbro.core.policies import Role
    from yrkesbro.matching.models import MatchResult, Request
    from yrkesbro.needs.models import CompetencePlan, Need, Status
    from yrkesbro.organisations.models import Kind, Organisation
    from yrkesbro.taxonomy.models import CompetenceArea

    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    top = (
        Need.objects.filter(organisation__kind=Kind.MUNICIPALITY)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    municipality = (
        Organisation.objects.get(pk=top["organisation"])
        if top
        else Organisation.objects.get(kind=Kind.MUNICIPALITY, number="3407")
    )
    # The school with the most partnerships among those with programmes and requests.
    schools = Organisation.objects.filter(
        kind__in=[Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL],
        pk__in=Programme.objects.values("school_id"),
    ).filter(pk__in=Request.objects.values("school_id"))
    busiest_school = (
        Partnership.objects.filter(parties__organisation__in=schools)
        .values("parties__organisation")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "parties__organisation")
        .first()
    )
    school = Organisation.objects.get(pk=busiest_school["parties__organisation"])
    needs = Need.objects.filter(organisation=municipality)
    need = (
        needs.filter(status=Status.PUBLISHED, pk__in=MatchResult.objects.values("need_id")).first()
        or needs.filter(status=Status.PUBLISHED).first()
        or needs.first()
    )
    plan = (
        CompetencePlan.objects.filter(organisation=municipality)
        .annotate(n=Count("needs"))
        .order_by("-n", "pk")
        .first()
    )
    programme = (
        Programme.objects.filter(school=school, offerings__isnull=False).order_by("pk").first()
        or Programme.objects.filter(school=school).order_by("pk").first()
    )
    offering = Offering.objects.filter(programme=programme).order_by("pk").first()
    partnership = (
        Partnership.objects.filter(
            parties__organisation=school, agreements__isnull=False, is_public=True
        )
        .order_by("pk")
        .first()
    )
    forum = Forum.objects.filter(partnership=partnership).order_by("pk").first()
    meeting = Meeting.objects.filter(forum=forum).order_by("starts_at", "pk").first()
    agreement = Agreement.objects.filter(partnership=partnership).order_by("pk").first()
    request = Request.objects.filter(school=school).order_by("pk").first()
    users = {}
    for kind, org, role in (
        ("municipality", municipality, Role.ADMIN),
        ("employee", municipality, Role.VIEWER),
        ("school", school, Role.ADMIN),
        ("county", county, Role.ADMIN),
    ):
        user, _ = User.objects.get_or_create(
            username=f"bench-{kind}", defaults={"full_name": f"Bench {kind}"}
        )
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
        users[kind] = user
    users["platform"], _ = User.objects.get_or_create(
        username="bench-platform",
        defaults={"full_name": "Bench platform", "is_superuser": True, "is_staff": True},
    )
    membership = Membership.objects.filter(organisation=municipality).order_by("pk").first()
    later = _later_objects(municipality, school, partnership, county)
    world = World(
        municipality=municipality.pk,
        county=county.pk,
        school=school.pk,
        need=need.pk if need else 0,
        plan=plan.pk if plan else 0,
        plan_need=(
            Need.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True).first() or 0
            if plan
            else 0
        ),
        programme=programme.pk if programme else 0,
        offering=offering.pk if offering else 0,
        partnership=partnership.pk if partnership else 0,
        forum=forum.pk if forum else 0,
        meeting=meeting.pk if meeting else 0,
        agreement=agreement.pk if agreement else 0,
        request=request.pk if request else 0,
        membership=membership.pk if membership else 0,
        **later,
        area=CompetenceArea.objects.order_by("code").values_list("code", flat=True).first() or "",
        national_plan=NationalPlan.objects.order_by("code").values_list("code", flat=True).first()
        or "",
        chosen={
            "municipality": f"{municipality.name} ({needs.count()} needs)",
            "school": f"{school.name} ({busiest_school['n']} partnerships)",
            "county": county.name,
        },
    )
    return world, users


def _later_objects(municipality: Any, school: Any, partnership: Any, county: Any) -> dict[str, int]:
    """The objects of the workforce, VET and survey pages: the county's busiest placement
    offer, the school's first assessed placement and first exchange, the latest survey
    round of a partnership of the school (the chosen one if it has rounds), and the
    municipality's first enrolment."""
    from django.db.models import Count

    from yrkesbro.health.models import Round
    from yrkesbro.vet.models import Hospitering, Offer, Placement
    from yrkesbro.workforce.models import Enrolment

    offer = (
        Offer.objects.filter(organisation__county=county)
        .annotate(n=Count("placements"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    placement = (
        Placement.objects.filter(school=school, assessments__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        or Placement.objects.filter(school=school)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    hospitering = (
        Hospitering.objects.filter(school=school)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    rounds = Round.objects.order_by("-opened_at", "-pk").values_list("pk", flat=True)
    survey_round = (
        rounds.filter(partnership=partnership).first()
        or rounds.filter(partnership__parties__organisation=school).first()
    )
    enrolment = (
        Enrolment.objects.filter(organisation=municipality)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "vet_offer": offer or 0,
        "placement": placement or 0,
        "hospitering": hospitering or 0,
        "survey_round": survey_round or 0,
        "enrolment": enrolment or 0,
    }


def measure(pages: list[Page], world: World, users: dict[str, Any], repeat: int) -> list[Row]:
    """Every (page, user) pair ``repeat`` times, round by round, with the two floors."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"anonymous": Client(raise_request_exception=False)}
    for kind, user in users.items():
        clients[kind] = Client(raise_request_exception=False)
        clients[kind].force_login(user)
    floors = [("floor:healthz", "anonymous", HEALTHZ)] + [
        ("floor:accessibility", kind, ACCESSIBILITY) for kind in USERS
    ]
    runs = floors + [(page.name, kind, page.url(world)) for page in pages for kind in page.users]

    def get(kind: str, url: str) -> tuple[int, float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        response = clients[kind].get(url)
        return response.status_code, time.perf_counter() - wall, time.process_time() - cpu

    statuses, queries = {}, {}
    for name, kind, url in runs:  # warm up caches and templates; count queries once
        get(kind, url)
        with CaptureQueriesContext(connection) as ctx:
            statuses[(name, kind)] = get(kind, url)[0]
        queries[(name, kind)] = len(ctx.captured_queries)
    walls: dict[tuple[str, str], list[float]] = {(n, k): [] for n, k, _u in runs}
    cpus: dict[tuple[str, str], list[float]] = {(n, k): [] for n, k, _u in runs}
    for _round in range(repeat):
        for name, kind, url in runs:
            _status, wall, cpu = get(kind, url)
            walls[(name, kind)].append(wall)
            cpus[(name, kind)].append(cpu)

    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    healthz = statistics.median(cpus[("floor:healthz", "anonymous")]) or 1e-6
    rows = []
    for name, kind, url in runs:
        cpu = statistics.median(cpus[(name, kind)])
        floor = statistics.median(cpus[("floor:accessibility", kind)]) or 1e-6
        rows.append(
            Row(
                page=name,
                user=kind,
                url=url,
                status=statuses[(name, kind)],
                median_ms=round(statistics.median(walls[(name, kind)]) * 1000, 2),
                p95_ms=round(p95(walls[(name, kind)]) * 1000, 2),
                cpu_ms=round(cpu * 1000, 2),
                queries=queries[(name, kind)],
                x_healthz=round(cpu / healthz, 1),
                x_accessibility=round(cpu / floor, 1),
            )
        )
    return rows


def measure_worker(process: Any, world: World, wait: float) -> dict[str, Any]:
    """The worker's RSS after the whole bench, and its lag once its queue is idle."""
    figures: dict[str, Any] = {"rss_after_bench": bench_worker.rss(process.pid)}
    if process.poll() is not None:
        return {**figures, "error": f"the worker exited with {process.returncode}"}
    waited, idle = bench_worker.wait_idle(wait)
    figures["waited_for_idle_s"] = round(waited, 1)
    figures["idle"] = idle
    # Lag, measured through the worker (None: not refreshed within the timeout, e.g. the
    # worker is still busy with its start-up sweep, which at scale computes the stored
    # matches the seed left to it), and the refresh tasks' own run time in this process,
    # which is the lag of a free worker less its poll interval (and, for the indicators,
    # less the deliberate REFRESH_DELAY).
    figures["lag_s"] = bench_worker.lag(world.municipality, timeout=120.0)
    figures["refresh_task_s"] = bench_worker.task_seconds(world.municipality)
    figures["rss_after_lag"] = bench_worker.rss(process.pid)
    return figures


def table(rows: list[Row]) -> str:
    head = (
        f"{'page':<44} {'user':<12} {'st':>3} {'med ms':>8} {'p95 ms':>8} {'cpu ms':>8} "
        f"{'q':>4} {'×hz':>6} {'×a11y':>6} {'growth':>6}"
    )
    lines = [head]
    for r in rows:
        growth = f"{r.growth:.1f}" if r.growth is not None else ""
        lines.append(
            f"{r.page[:44]:<44} {r.user:<12} {r.status:>3} {r.median_ms:>8.1f} {r.p95_ms:>8.1f} "
            f"{r.cpu_ms:>8.1f} {r.queries:>4} {r.x_healthz:>6.1f} {r.x_accessibility:>6.1f} "
            f"{growth:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="yrkesbro-bench-"))
    (home / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT; WhiteNoise wants it
    os.environ["YRKESBRO_HOME"] = str(home)
    os.environ["YRKESBRO_MODE"] = "demo"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yrkesbro.settings"
    os.environ.pop("DATABASE_URL", None)
    scratch = None
    worker_process = None
    if args.database_url and args.in_place:
        os.environ["DATABASE_URL"] = args.database_url
    elif args.database_url:
        url, admin, name = scratch_postgres(args.database_url)
        scratch = (admin, name)
        os.environ["DATABASE_URL"] = url
    try:
        import django

        django.setup()
        from django.db import connection

        benchkit.plain_static()  # no collectstatic needed
        pages = [p for p in PAGES if args.only in p.name]
        runs: list[dict[str, Any]] = []
        first: dict[tuple[str, str], float] = {}
        for factor in args.factor_list:
            print(f"Preparing a world at factor {factor:g} on {connection.vendor}…")
            world_figures = prepare(factor, demo=factor == args.factor_list[0])
            world, users = choose_world()
            if worker_process is None and not args.no_worker:
                worker_process = bench_worker.start(home / "worker.log")
                print(f"  worker started (pid {worker_process.pid}, log {home / 'worker.log'})")
            print(f"  {world_figures}\n  {world.chosen}")
            n = sum(len(p.users) for p in pages)
            print(f"Measuring {n} pages × users, {args.repeat} requests each…\n")
            rows = measure(pages, world, users, args.repeat)
            for row in rows:
                key = (row.page, row.user)
                if key in first:
                    row.growth = round(row.cpu_ms / (first[key] or 1e-6), 1)
                else:
                    first[key] = row.cpu_ms
            print(table(rows))
            over = over_budget(rows)
            within = sum(1 for r in rows if not r.page.startswith("floor:")) - len(over)
            print(
                f"\nBudget (decision 7: <= {BUDGET_X_FLOOR:g}x the floor, <= {BUDGET_MS:g} ms, "
                f"growth <= {BUDGET_GROWTH:g}x; downloads aside): {within} pairs within, "
                f"{len(over)} over" + "".join(f"\n  {r.page} ({r.user}): {why}" for r, why in over)
            )
            bad = [r for r in rows if r.status != 200]
            if bad:
                print(f"\n{len(bad)} pages did not answer 200: {[(r.page, r.user) for r in bad]}")
            runs.append(
                {
                    "factor": factor,
                    "world": world_figures,
                    "chosen": world.chosen,
                    "pages": [asdict(row) for row in rows],
                }
            )
        worker_figures: dict[str, Any] = {}
        if worker_process is not None:
            worker_figures = measure_worker(worker_process, world, args.worker_wait)
            print(f"\nWorker: {worker_figures}")
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        factors = "-".join(f"{f:g}" for f in args.factor_list)
        out = RESULTS / f"pages-{connection.vendor}-f{factors}-{stamp}.json"
        out.write_text(
            json.dumps(
                {
                    "when": stamp,
                    "repeat": args.repeat,
                    "database": connection.vendor,
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "runs": runs,
                    "worker": worker_figures,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        print(f"\nWritten to {out}")
        connection.close()
    finally:
        if worker_process is not None:
            bench_worker.stop(worker_process)
        if args.keep or args.home or args.in_place:
            print(f"Kept {home}" + (f" and database {scratch[1]}" if scratch else ""))
        else:
            shutil.rmtree(home, ignore_errors=True)
            if scratch:
                drop_postgres(*scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
