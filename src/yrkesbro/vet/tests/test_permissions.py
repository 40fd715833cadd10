"""Who may do what in VET, as a matrix over roles and organisations, and what a company may
never see: another company's internal notes, any pupil's full name."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from yrkesbro.collaboration.models import Partnership, PartnershipParty
from yrkesbro.core.errors import DomainError
from yrkesbro.testing import PASSWORD
from yrkesbro.vet import register, services
from yrkesbro.vet.models import Assessment, Demand, Hospitering, Offer, Placement, Side
from yrkesbro.vet.tests.conftest import VetWorld, book, days, yff_offer

pytestmark = pytest.mark.django_db

ACTORS = [
    "school.admin",
    "school.editor",
    "school.viewer",
    "school2.admin",
    "company.admin",
    "company.editor",
    "company.viewer",
    "company2.admin",
    "county",
    "outsider",
    "anonymous",
    "platform",
]


def _offer(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    yff_offer(w, actor=actor, instructor=None)


def _demand(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    services.demand_set(
        actor=actor,
        school=w.school.org,
        trade_code="HSHEA3----",
        school_year=w.year,
        yff_pupils=1,
        apprenticeship_seekers=1,
    )


def _book(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    book(w, w.offer, actor=actor, teacher=None)


def _assess(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    services.assessment_submit(actor=actor, placement=w.placement, outcome="completed")


def _answer(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    services.hospitering_answer(actor=actor, hospitering=w.hospitering, accept=True)


def _import(w: VetWorld, actor) -> None:  # type: ignore[no-untyped-def]
    parsed = register.parse_file(register.TRADES_FILE.read_bytes(), "trades.csv")
    services.trades_import(actor=actor, parsed=parsed)


SCHOOL_WRITERS = {"school.admin", "school.editor", "platform"}
COMPANY_WRITERS = {"company.admin", "company.editor", "platform"}
RULES = {
    "offer": (_offer, COMPANY_WRITERS, lambda: Offer.objects.count()),
    "demand": (_demand, SCHOOL_WRITERS, lambda: Demand.objects.count()),
    "book": (_book, SCHOOL_WRITERS, lambda: Placement.objects.count()),
    # Only the placement's own teacher (school.editor) and instructor (company.editor).
    "assess": (
        _assess,
        {"school.editor", "company.editor"},
        lambda: Assessment.objects.count(),
    ),
    "answer_hospitering": (
        _answer,
        COMPANY_WRITERS,
        lambda: Hospitering.objects.filter(status="accepted").count(),
    ),
    "import_trades": (_import, {"platform"}, lambda: -1),
}


@pytest.fixture
def w(vet: VetWorld) -> VetWorld:
    vet.offer = yff_offer(vet, places=50)  # type: ignore[attr-defined]
    vet.placement = book(vet, vet.offer, "Fast Elev")  # type: ignore[attr-defined]
    p = Partnership.objects.create(name="P", purpose="x")
    for org in (vet.school.org, vet.company.org):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    vet.hospitering = services.hospitering_ask(  # type: ignore[attr-defined]
        actor=vet.school.editor,
        partnership=p,
        school=vet.school.org,
        workplace=vet.company.org,
        asked_by_side=Side.SCHOOL,
        participant="Lærer",
        starts_on=days(10),
        ends_on=days(20),
        days=5,
        goals="Mål",
    )
    return vet


@pytest.mark.parametrize("action", list(RULES))
@pytest.mark.parametrize("name", ACTORS)
def test_permission_matrix(w: VetWorld, action: str, name: str):
    run, allowed, count = RULES[action]
    before = count()
    if action == "book":  # a fresh pupil name each time, so only the rule can refuse
        w.offer.refresh_from_db()  # type: ignore[attr-defined]
    try:
        run(w, w.who(name))
    except DomainError:
        assert name not in allowed, f"{name} was refused {action}"
        assert count() == before, f"a refused {action} changed something"
    else:
        assert name in allowed, f"{name} may not {action}"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_company_never_sees_pupil_full_names_in_pages_or_api(vet: VetWorld, caplog):
    caplog.set_level(logging.DEBUG)
    offer = yff_offer(vet)
    placement = book(vet, offer, "Kari Hemmeligsen")
    company = _client(vet.company.viewer)
    for url in (
        "/vet/",
        offer.get_absolute_url(),
        placement.get_absolute_url(),
        "/api/v1/vet/placements",
        "/api/v1/vet/offers",
    ):
        response = company.get(url)
        assert response.status_code == 200, url
        assert "Hemmeligsen" not in response.content.decode(), url
    assert "Kari" in company.get(placement.get_absolute_url()).content.decode()
    api = company.get("/api/v1/vet/placements").json()
    assert api["items"][0]["pupil"] == "Kari"
    school = _client(vet.school.viewer)
    assert "Kari Hemmeligsen" in school.get(placement.get_absolute_url()).content.decode()
    assert school.get("/api/v1/vet/placements").json()["items"][0]["pupil"] == "Kari Hemmeligsen"
    for url in ("/vet/supply-demand/data.csv", "/vet/supply-demand/data.json"):
        assert "Hemmeligsen" not in Client().get(url).content.decode()
    assert "Hemmeligsen" not in caplog.text


def test_internal_notes_stay_inside_the_offering_organisation(vet: VetWorld):
    offer = yff_offer(vet, internal_note="HEMMELIG-NOTAT")
    assert (
        "HEMMELIG-NOTAT"
        in _client(vet.company.viewer).get(offer.get_absolute_url()).content.decode()
    )
    school_page = _client(vet.school.viewer).get(offer.get_absolute_url())
    assert school_page.status_code == 200
    assert "HEMMELIG-NOTAT" not in school_page.content.decode()
    assert "ina@example.test" in school_page.content.decode()  # the instructor is shown
    assert _client(vet.company2.admin).get(offer.get_absolute_url()).status_code == 404
    assert _client(vet.school2.admin).get(offer.get_absolute_url()).status_code == 404
    assert "HEMMELIG" not in _client(vet.company2.admin).get("/api/v1/vet/offers").content.decode()
    assert "HEMMELIG" not in _client(vet.school.admin).get("/api/v1/vet/offers").content.decode()


def test_outsiders_get_404_on_every_private_page(vet: VetWorld):
    offer = yff_offer(vet)
    placement = book(vet, offer)
    outsider = _client(vet.outsider)
    for url in (offer.get_absolute_url(), placement.get_absolute_url(), "/vet/offers/new/"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.get("/vet/trades/import/").status_code == 404
    assert Client().get(placement.get_absolute_url()).status_code == 302  # to sign-in
