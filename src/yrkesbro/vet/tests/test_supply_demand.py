"""Supply against demand: the precomputed figures equal a brute-force count, in the page,
the open data and the public API."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict

import pytest
from django.test import Client
from openpyxl import load_workbook

from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import CountyFactory, OrganisationFactory
from yrkesbro.vet import selectors, tasks
from yrkesbro.vet.models import Demand, Offer, OfferKind, SupplyDemand, Trade
from yrkesbro.vet.tests.conftest import VetWorld

pytestmark = pytest.mark.django_db


def _random_world(vet: VetWorld, seed: int) -> None:
    """Offers and demand straight into the tables, in two counties, two school years."""
    rng = random.Random(seed)
    other = CountyFactory(name="Andrefylket", number="03")
    orgs = [vet.company.org, vet.company2.org]
    orgs.append(OrganisationFactory(kind=Kind.TRAINING_OFFICE, name="OK Oslo", county=other))
    orgs.append(OrganisationFactory(kind=Kind.COMPANY, name="Uten fylke", county=None))
    schools = [vet.school.org, vet.school2.org]
    schools.append(OrganisationFactory(kind=Kind.UPPER_SECONDARY_SCHOOL, county=other))
    trades = list(Trade.objects.order_by("?")[:12])
    trades[0].is_active = False  # a deactivated trade counts nowhere
    trades[0].save()
    for _ in range(60):
        Offer.objects.create(
            organisation=rng.choice(orgs),
            trade=rng.choice(trades),
            kind=rng.choice(OfferKind.values),
            school_year=rng.choice([vet.year, vet.year - 1]),
            places=rng.randint(1, 9),
            instructor_name="X",
        )
    for school in schools:
        for trade in rng.sample(trades, 8):
            for year in (vet.year, vet.year - 1):
                Demand.objects.create(
                    school=school,
                    trade=trade,
                    school_year=year,
                    yff_pupils=rng.randint(0, 9),
                    apprenticeship_seekers=rng.randint(0, 9),
                )


def brute_force(county: Organisation | None, year: int) -> dict[str, tuple[int, int, int, int]]:
    """Sum every row by hand: trade code -> (offered, seeking, yff places, yff pupils)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for o in Offer.objects.select_related("organisation", "trade"):
        if o.school_year != year or not o.trade.is_active or o.organisation.county_id is None:
            continue
        if county is not None and o.organisation.county_id != county.pk:
            continue
        out[o.trade.code][0 if o.kind == OfferKind.APPRENTICESHIP else 2] += o.places
    for d in Demand.objects.select_related("school", "trade"):
        if d.school_year != year or not d.trade.is_active or d.school.county_id is None:
            continue
        if county is not None and d.school.county_id != county.pk:
            continue
        out[d.trade.code][1] += d.apprenticeship_seekers
        out[d.trade.code][3] += d.yff_pupils
    return {code: (a, b, c, d) for code, (a, b, c, d) in out.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precomputed_figures_equal_a_brute_force_count(vet: VetWorld, seed: int):
    _random_world(vet, seed)
    tasks.recompute_supply_demand()
    assert tasks.recompute_supply_demand() == SupplyDemand.objects.count()  # idempotent
    for county in (vet.county, None, Organisation.objects.get(number="03", kind=Kind.COUNTY)):
        for year in (vet.year, vet.year - 1):
            view = selectors.supply_demand(county=county, school_year=year)
            got = {
                r.code: (r.places_offered, r.pupils_seeking, r.yff_places, r.yff_pupils)
                for r in view.rows
            }
            assert got == brute_force(county, year)
            shortfalls = [r.shortfall for r in view.rows]
            assert shortfalls == sorted(shortfalls, reverse=True)


def test_api_answers_the_documented_shape_with_the_same_figures(vet: VetWorld, client: Client):
    _random_world(vet, 7)
    tasks.recompute_supply_demand()
    body = client.get(f"/api/v1/vet/supply-demand?county=34&year={vet.year}").json()
    expected = brute_force(vet.county, vet.year)
    assert body["count"] == len(body["items"]) == len(expected)
    names = dict(Trade.objects.values_list("code", "name"))
    for item in body["items"]:
        assert set(item) == {"trade", "programme", "places_offered", "pupils_seeking", "shortfall"}
        code = item["trade"]["code"]
        assert item["trade"] == {"code": code, "name": names[code]}
        assert item["programme"] == {"code": code[:2]}
        offered, seeking, _y1, _y2 = expected[code]
        assert (item["places_offered"], item["pupils_seeking"]) == (offered, seeking)
        assert item["shortfall"] == seeking - offered
    assert [i["shortfall"] for i in body["items"]] == sorted(
        (i["shortfall"] for i in body["items"]), reverse=True
    )


@pytest.mark.parametrize(
    "query", ["county=99", "county=3", "county=abc", "year=1", "year=99999999999999999999"]
)
def test_api_refuses_bad_filters_without_a_500(vet: VetWorld, client: Client, query: str):
    response = client.get(f"/api/v1/vet/supply-demand?{query}")
    assert response.status_code in (404, 422)
    assert "message" in response.json()


def test_page_and_open_data_show_the_same_figures(vet: VetWorld, client: Client):
    _random_world(vet, 11)
    tasks.recompute_supply_demand()
    expected = brute_force(vet.county, vet.year)
    query = f"?county=34&year={vet.year}"
    page = client.get(f"/vet/supply-demand/{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="supply-demand"' in html and "<svg" in html
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/vet/supply-demand/data.csv{query}").content.decode())
        )
    )
    assert {r["trade"]: int(r["places_offered"]) for r in rows} == {
        code: v[0] for code, v in expected.items()
    }
    book = load_workbook(io.BytesIO(client.get(f"/vet/supply-demand/data.xlsx{query}").content))
    sheet_rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert sheet_rows[0][0] == "trade" and len(sheet_rows) == len(expected) + 1
    data = json.loads(client.get(f"/vet/supply-demand/data.json{query}").content)
    assert data["region"]["county"] == "34"
    assert {t["trade"]: t["pupils_seeking"] for t in data["trades"]} == {
        code: v[1] for code, v in expected.items()
    }
    assert data["computed_at"]


def test_a_change_enqueues_a_refresh_after_the_commit(
    vet: VetWorld, django_capture_on_commit_callbacks
):
    from yrkesbro.vet import services

    with django_capture_on_commit_callbacks(execute=True):
        services.demand_set(
            actor=vet.school.editor,
            school=vet.school.org,
            trade_code="HSHEA3----",
            school_year=vet.year,
            yff_pupils=3,
            apprenticeship_seekers=4,
        )
    row = SupplyDemand.objects.get(trade__code="HSHEA3----", county=vet.county)
    assert (row.pupils_seeking, row.yff_pupils) == (4, 3)


def test_supply_demand_page_queries_stay_few(
    vet: VetWorld, client: Client, django_assert_max_num_queries
):
    _random_world(vet, 5)
    tasks.recompute_supply_demand()
    with django_assert_max_num_queries(8):
        assert client.get(f"/vet/supply-demand/?year={vet.year}").status_code == 200


def test_county_rates_equal_a_brute_force_count_and_hide_small_groups(vet: VetWorld):
    from yrkesbro.vet import services
    from yrkesbro.vet.models import Placement
    from yrkesbro.vet.tests.conftest import book, days, yff_offer

    big = yff_offer(vet, places=20)
    small = yff_offer(vet, trade_code="ELELE3----", places=20)
    outcomes = ["completed", "completed", "partly", "no_show", "completed", "completed", "partly"]
    for i, outcome in enumerate(outcomes):
        p = book(vet, big, f"Elev {i}", starts_on=days(-30 + 2 * i), ends_on=days(-29 + 2 * i))
        services.assessment_submit(actor=vet.school.editor, placement=p, outcome=outcome)
        services.assessment_submit(
            actor=vet.company.editor,
            placement=p,
            outcome=outcome,
            would_take_apprentice=None if i == 6 else i % 2 == 0,
        )
    for i in range(3):
        p = book(vet, small, f"Liten {i}", starts_on=days(-30 + 2 * i), ends_on=days(-29 + 2 * i))
        services.assessment_submit(actor=vet.school.editor, placement=p, outcome="completed")
    tasks.recompute_supply_demand()
    rates = selectors.county_rates(vet.county, vet.year)
    by_trade = {r.label: r for r in rates["trades"]}
    # brute force, straight from the rows
    placements = Placement.objects.filter(offer=big)
    school = [p.assessments.get(side="school").outcome for p in placements]
    answers = [p.assessments.get(side="workplace").would_take_apprentice for p in placements]
    answered = [a for a in answers if a is not None]
    heal = by_trade["Helsearbeiderfaget"]
    assert heal.placements == 7
    assert heal.completed == round(100 * school.count("completed") / len(school))
    assert heal.would_take == round(100 * answered.count(True) / len(answered))
    elektro = by_trade["Elektrikerfaget"]
    assert (elektro.placements, elektro.completed, elektro.would_take) == (3, None, None)
    assert [r.placements for r in rates["workplaces"]] == [10]
    few = yff_offer(vet, organisation=vet.company2.org, actor=vet.company2.admin, instructor=None)
    book(vet, few, "Enslig Elev", starts_on=days(-5), ends_on=days(-4))
    tasks.recompute_supply_demand()
    assert [r.placements for r in selectors.county_rates(vet.county, vet.year)["workplaces"]] == [
        10
    ]  # a workplace with fewer than five assessed placements is not listed
