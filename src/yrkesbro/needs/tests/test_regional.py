"""The regional view counts exactly the published needs, compared with a brute-force count."""

from __future__ import annotations

import json
import random
from collections import defaultdict

import pytest
from django.test import Client

from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.needs.selectors import regional_aggregate
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.testing import CountyFactory, OrganisationFactory


@pytest.fixture
def spread(areas):  # type: ignore[no-untyped-def]
    """Needs of every status and visibility in two counties, written straight to the table."""
    rng = random.Random(4)
    counties = [
        CountyFactory(number="91", name="Nordfylke"),
        CountyFactory(number="92", name="Sørfylke"),
    ]
    orgs = [OrganisationFactory(county=counties[i % 2]) for i in range(6)]
    orgs.append(OrganisationFactory(kind=Kind.COMPANY, county=counties[0], number=""))
    codes = list(CompetenceArea.objects.values_list("pk", flat=True))
    combos = [
        (Status.DRAFT, Visibility.PRIVATE),
        (Status.DRAFT, Visibility.INTERNAL),
        (Status.PUBLISHED, Visibility.SHARED),
        (Status.BEING_MET, Visibility.SHARED),
        (Status.MET, Visibility.SHARED),
        (Status.WITHDRAWN, Visibility.INTERNAL),
    ]
    for i in range(160):
        status, visibility = combos[rng.randrange(len(combos))] if i % 3 else combos[2]
        need = Need.objects.create(
            organisation=rng.choice(orgs),
            unit=f"Enhet {i}",
            people=rng.randint(1, 60),
            deadline="2030-01-01",
            urgency=rng.choice(["low", "medium", "high"]),
            status=status,
            visibility=visibility,
        )
        need.areas.set(rng.sample(codes, rng.randint(1, 3)))
    return counties


def brute_force(county: Organisation | None) -> dict:
    """Independent of the selector: plain Python over every row."""
    per_area: dict = defaultdict(
        lambda: {"needs": 0, "people": 0, "low": 0, "medium": 0, "high": 0}
    )
    totals = {"needs": 0, "people": 0, "orgs": set()}
    for need in Need.objects.select_related("organisation").prefetch_related("areas"):
        if need.status != "published" or need.visibility != "shared":
            continue
        if county is not None and need.organisation.county_id != county.pk:
            continue
        totals["needs"] += 1
        totals["people"] += need.people
        totals["orgs"].add(need.organisation_id)
        for area in need.areas.all():
            row = per_area[area.code]
            row["needs"] += 1
            row["people"] += need.people
            row[need.urgency] += 1
    return {"areas": dict(per_area), **totals}


@pytest.mark.parametrize("which", [None, 0, 1])
def test_aggregate_matches_brute_force(spread, which):  # type: ignore[no-untyped-def]
    county = None if which is None else spread[which]
    expected = brute_force(county)
    result = regional_aggregate(county=county)
    assert result.needs == expected["needs"] > 0
    assert result.people == expected["people"]
    assert result.organisations == len(expected["orgs"])
    got = {
        r.code: {
            "needs": r.needs,
            "people": r.people,
            "low": r.low,
            "medium": r.medium,
            "high": r.high,
        }
        for r in result.rows
        if r.needs
    }
    assert got == expected["areas"]
    assert sum(result.by_urgency.values()) == result.needs


def test_open_data_exports(spread):  # type: ignore[no-untyped-def]
    client = Client()
    data = client.get("/needs/regional/data.json?county=91").json()
    expected = brute_force(spread[0])
    assert data["totals"]["needs"] == expected["needs"]
    assert data["region"]["county"] == "91"
    # Aggregates only: no organisation names, units or free text.
    text = json.dumps(data)
    assert "Enhet" not in text and "Testkommune" not in text
    csv_body = client.get("/needs/regional/data.csv").content.decode()
    assert (
        csv_body.splitlines()[0] == "area,name,needs,people,urgency_low,urgency_medium,urgency_high"
    )
    assert "Enhet" not in csv_body
    assert client.get("/needs/regional/?county=00").status_code == 404


def test_regional_page_has_chart_and_table(spread):  # type: ignore[no-untyped-def]
    body = Client().get("/needs/regional/?county=92").content.decode()
    assert body.count('class="yb-svg-chart"') == 2  # two inline charts from core.charts
    assert "<table" in body and "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("nb", "Kompetansebehov i Norge"),
        ("nn", "Kompetansebehov i Noreg"),
        ("en", "Competence needs in Norway"),
    ],
)
def test_regional_page_speaks_the_language(spread, language, heading):  # type: ignore[no-untyped-def]
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert heading in client.get("/needs/regional/").content.decode()


def test_the_worker_counts_equal_the_live_computation(
    spread, world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    from yrkesbro.needs import regional_tables, services
    from yrkesbro.needs.selectors import compute_regional_aggregate

    def same(county: Organisation | None) -> None:
        stored, live = regional_aggregate(county=county), compute_regional_aggregate(county=county)
        assert stored.refreshed_at is not None and live.refreshed_at is None
        stored.refreshed_at = None
        assert stored == live

    assert regional_tables.refresh() > 0
    assert regional_tables.refresh() > 0  # twice is safe
    for county in [None, *spread]:
        same(county)
    # A change to one need refreshes its county and the nation through the worker's task.
    org = world.a.org
    org.county = spread[1]
    org.save()
    need = Need.objects.create(
        organisation=org, unit="Ny", people=7, deadline="2030-01-01", status=Status.DRAFT
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.need_publish(actor=world.a.editor, need=need)
    assert regional_aggregate(county=spread[1]) != compute_regional_aggregate(county=spread[1])
    for callback in callbacks:  # after the commit: the task (run at once in tests) refreshes
        callback()
    same(spread[1])
    same(None)
    body = Client().get("/needs/regional/?county=92").content.decode()
    assert "Figures as of" in body or "Tal per" in body or "Tall per" in body
