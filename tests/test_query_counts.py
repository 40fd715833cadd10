"""Query-count baselines: a list or dashboard must not run more queries as its data grows.

Each scenario builds a small world, counts the queries of one request, grows the
varying data tenfold (3 → 30 rows: organisations, members, audit entries, tokens …)
and counts again. The two counts must be equal (otherwise it is an N+1) and not
above the baseline stored in ``tests/query_counts.json``.

To add a page: write a function decorated with ``@scenario("page name")`` that
builds its world and returns a ``Case``; run
``UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/test_query_counts.py`` once to store
its count, and commit the JSON. Rerun the same way on purpose when a page really
needs another query, and say why in the commit.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesbro.accounts.models import ApiToken, Invitation, hash_secret
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import CountyFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASELINES = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
SMALL, BIG = 3, 30


@dataclass
class Case:
    url: str
    grow: Callable[[int], object]  # adds n more of the rows the page lists or counts
    user: object = None  # signed in as this user, or anonymous


SCENARIOS: dict[str, Callable[[], Case]] = {}


def scenario(name: str) -> Callable[[Callable[[], Case]], Callable[[], Case]]:
    def register(build: Callable[[], Case]) -> Callable[[], Case]:
        SCENARIOS[name] = build
        return build

    return register


def read_baselines() -> dict[str, int]:
    return json.loads(BASELINES.read_text(encoding="utf-8")) if BASELINES.exists() else {}


def store_baseline(name: str, count: int) -> None:
    """Write one page's count; tests run in parallel workers, so under a file lock."""
    with open(Path(tempfile.gettempdir()) / "yrkesbro-query-counts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = read_baselines()
        data[name] = count
        BASELINES.write_text(
            json.dumps(dict(sorted(data.items())), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries)


# --- Worlds -----------------------------------------------------------------------------


class Counter:
    """Numbers rows across grow() calls so names and numbers stay unique."""

    def __init__(self) -> None:
        self.n = 0

    def take(self, count: int) -> range:
        start = self.n
        self.n += count
        return range(start, self.n)


def place() -> tuple[Organisation, Organisation]:
    county = CountyFactory()
    municipality = OrganisationFactory(county=county)
    return county, municipality


def organisations_grower(
    kind: str = Kind.COMPANY, word: str = "bedrift"
) -> Callable[[int], object]:
    county, municipality = place()
    counter = Counter()

    def grow(count: int) -> None:
        for i in counter.take(count):
            OrganisationFactory(
                kind=kind,
                name=f"Test {word} {i}",
                number="",
                county=county,
                municipality=municipality,
            )

    return grow


def memberships_grower(user: object) -> Callable[[int], object]:
    county, _municipality = place()
    counter = Counter()

    def grow(count: int) -> None:
        for i in counter.take(count):
            org = OrganisationFactory(county=county, name=f"Kommune {i}")
            MembershipFactory(user=user, organisation=org, role=Role.EDITOR)

    return grow


def org_with_admin() -> tuple[Organisation, object]:
    _county, municipality = place()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=municipality, role=Role.ADMIN)
    return municipality, admin


def members_grower(org: Organisation, admin: object) -> Callable[[int], object]:
    """Members of every role, and as many pending invitations."""
    counter = Counter()
    roles = [Role.ADMIN, Role.EDITOR, Role.VIEWER]

    def grow(count: int) -> None:
        for i in counter.take(count):
            MembershipFactory(organisation=org, role=roles[i % 3])
            Invitation.objects.create(
                organisation=org,
                email=f"invited{i}@example.test",
                role=roles[i % 3],
                token_hash=hash_secret(f"invitation-{org.pk}-{i}"),
                invited_by=admin,  # type: ignore[misc]
                expires_at=timezone.now() + timedelta(days=7),
            )

    return grow


# --- Scenarios: public pages ------------------------------------------------------------


@scenario("home")
def _home() -> Case:
    return Case("/", organisations_grower(Kind.FAGSKOLE, "fagskole"))


@scenario("organisations")
def _organisations() -> Case:
    return Case("/organisations/", organisations_grower())


@scenario("organisations search")
def _organisations_search() -> Case:
    return Case(
        "/organisations/?q=skole", organisations_grower(Kind.UPPER_SECONDARY_SCHOOL, "skole")
    )


@scenario("organisations filter")
def _organisations_filter() -> Case:
    county = CountyFactory()
    counter = Counter()

    def grow(count: int) -> None:
        for _i in counter.take(count):
            OrganisationFactory(county=county)

    return Case(f"/organisations/?kind=municipality&county={county.number}", grow)


@scenario("county page")
def _county_page() -> Case:
    county = CountyFactory()

    def grow(count: int) -> None:
        OrganisationFactory.create_batch(count, county=county)

    return Case(county.get_absolute_url(), grow)


@scenario("municipality page")
def _municipality_page() -> Case:
    county, municipality = place()
    counter = Counter()

    def grow(count: int) -> None:
        for i in counter.take(count):
            OrganisationFactory(
                kind=Kind.COMPANY,
                name=f"Bedrift {i}",
                number="",
                county=county,
                municipality=municipality,
            )

    return Case(municipality.get_absolute_url(), grow)


@scenario("api organisations")
def _api_organisations() -> Case:
    return Case("/api/v1/organisations?limit=100", organisations_grower())


@scenario("api organisation")
def _api_organisation() -> Case:
    county, municipality = place()
    org = OrganisationFactory(
        kind=Kind.COMPANY, number="", county=county, municipality=municipality
    )
    return Case(f"/api/v1/organisations/{org.pk}", organisations_grower())


# --- Scenarios: signed-in pages ---------------------------------------------------------


@scenario("home signed in")
def _home_signed_in() -> Case:
    user = UserFactory()
    return Case("/", memberships_grower(user), user)


@scenario("organisation page as admin")
def _organisation_page() -> Case:
    org, admin = org_with_admin()
    return Case(org.get_absolute_url(), members_grower(org, admin), admin)


@scenario("account")
def _account() -> Case:
    user = UserFactory()
    return Case("/account/", memberships_grower(user), user)


@scenario("account tokens")
def _account_tokens() -> Case:
    user = UserFactory()
    counter = Counter()

    def grow(count: int) -> None:
        for i in counter.take(count):
            ApiToken.objects.create(
                user=user, name=f"token {i}", prefix="ybt_test", key_hash=hash_secret(f"k{i}")
            )

    return Case("/account/tokens/", grow, user)


@scenario("members")
def _members() -> Case:
    org, admin = org_with_admin()
    return Case(f"/organisations/{org.pk}/members/", members_grower(org, admin), admin)


@scenario("audit log")
def _audit_log() -> Case:
    org, admin = org_with_admin()
    counter = Counter()

    def grow(count: int) -> None:
        for i in counter.take(count):
            actor = UserFactory()
            AuditEntry.objects.create(
                actor=actor,
                actor_name=actor.username,
                organisation=org,
                action="organisation.update",
                object_type="organisations.organisation",
                object_id=str(org.pk),
                object_repr=org.name,
                before={"website": f"https://{i}.example.test/"},
                after={"website": f"https://{i}-new.example.test/"},
            )

    return Case(f"/organisations/{org.pk}/audit/", grow, admin)


@scenario("api me")
def _api_me() -> Case:
    user = UserFactory()
    return Case("/api/v1/me", memberships_grower(user), user)


@scenario("api memberships")
def _api_memberships() -> Case:
    org, admin = org_with_admin()
    return Case(
        f"/api/v1/organisations/{org.pk}/memberships?limit=100", members_grower(org, admin), admin
    )


def test_every_baseline_has_a_scenario() -> None:
    """A page removed from the tests must leave the JSON too, or its baseline guards nothing."""
    if UPDATE:
        pytest.skip("updating baselines")
    assert set(read_baselines()) <= set(SCENARIOS)


# --- The test ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_query_count_does_not_grow(name: str) -> None:
    case = SCENARIOS[name]()
    client = Client()
    if case.user is not None:
        client.force_login(case.user)  # type: ignore[arg-type]
    case.grow(SMALL)
    client.get(case.url)  # the first request may fill caches (content types, sessions)
    small = count_queries(client, case.url)
    case.grow(BIG - SMALL)
    big = count_queries(client, case.url)
    assert big == small, f"{name}: {small} queries with {SMALL} rows, {big} with {BIG} (N+1?)"
    if UPDATE:
        store_baseline(name, big)
        return
    baseline = read_baselines().get(name)
    assert baseline is not None, f"No baseline for {name!r}: run with UPDATE_QUERY_COUNTS=1"
    assert big <= baseline, f"{name}: {big} queries, baseline {baseline}"
