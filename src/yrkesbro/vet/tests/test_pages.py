"""The VET pages and API through HTTP: the forms write through the services, bad input
answers a clear message and changes nothing, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from yrkesbro.collaboration.models import ContactEntry, Partnership, PartnershipParty
from yrkesbro.testing import PASSWORD
from yrkesbro.vet import register
from yrkesbro.vet.models import Assessment, Demand, Hospitering, Offer, Placement, Trade
from yrkesbro.vet.tests.conftest import VetWorld, book, days, yff_offer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_company_offers_places_through_the_form(vet: VetWorld):
    client = _client(vet.company.admin)
    assert client.get("/vet/offers/new/").status_code == 200
    response = client.post(
        "/vet/offers/new/",
        {
            "organisation": vet.company.org.pk,
            "kind": "apprenticeship",
            "trade": "HSHEA3----",
            "school_year": vet.year,
            "places": 2,
            "starts_on": str(days(200)),
            "approval": "approved",
            "instructor_name": "Per",
            "shared_with": [vet.school.org.pk],
        },
    )
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    assert list(offer.shared_with.all()) == [vet.school.org]


def test_offer_form_shows_the_hours_rule_and_keeps_nothing(vet: VetWorld):
    client = _client(vet.company.admin)
    response = client.post(
        "/vet/offers/new/",
        {
            "organisation": vet.company.org.pk,
            "kind": "yff",
            "trade": "HSHEA3----",
            "school_year": vet.year,
            "places": 2,
            "level": "vg1",
            "hours": 500,
            "instructor_name": "Per",
        },
    )
    assert response.status_code == 200
    assert "168" in response.content.decode()
    assert not Offer.objects.exists()


def test_school_records_demand_and_books_and_assesses_through_pages(vet: VetWorld):
    client = _client(vet.school.editor)
    response = client.post(
        "/vet/demand/",
        {
            "school": vet.school.org.pk,
            "trade": "HSHEA3----",
            "school_year": vet.year,
            "yff_pupils": 4,
            "apprenticeship_seekers": 6,
        },
    )
    assert response.status_code == 302 and Demand.objects.get().apprenticeship_seekers == 6
    offer = yff_offer(vet)
    response = client.post(
        offer.get_absolute_url(),
        {
            "school": vet.school.org.pk,
            "pupil_name": "Ola Elev",
            "starts_on": str(days(-10)),
            "ends_on": str(days(-1)),
            "hours": 40,
            "goals": "Mål",
        },
    )
    placement = Placement.objects.get()
    assert response["Location"] == placement.get_absolute_url()
    page = client.get(placement.get_absolute_url()).content.decode()
    assert "Ola Elev" in page and 'name="outcome"' in page
    client.post(f"/vet/placements/{placement.pk}/assess/", {"outcome": "completed"})
    company = _client(vet.company.editor)
    company.post(f"/vet/placements/{placement.pk}/agree/")
    company.post(
        f"/vet/placements/{placement.pk}/assess/",
        {"outcome": "partly", "comment": "Ok", "would_take_apprentice": "yes"},
    )
    assert Assessment.objects.count() == 2
    placement.refresh_from_db()
    assert placement.workplace_agreed_at is not None
    both = client.get(placement.get_absolute_url()).content.decode()
    assert "school-assessment" in both and "workplace-assessment" in both


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pupil_name", "Ola\x00Elev"),
        ("hours", "99999999999999999999999"),
        ("starts_on", "99999-01-01"),
        ("starts_on", "0001-01-01"),
        ("school", "9223372036854775808"),
    ],
)
def test_hostile_booking_input_is_refused(vet: VetWorld, field: str, value: str):
    offer = yff_offer(vet)
    data = {
        "school": vet.school.org.pk,
        "pupil_name": "Ola Elev",
        "starts_on": str(days(-10)),
        "ends_on": str(days(-1)),
        "hours": 40,
    }
    data[field] = value
    response = _client(vet.school.editor).post(offer.get_absolute_url(), data)
    assert response.status_code == 200
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/vet/offers/9223372036854775808/",
        "/vet/placements/99999999999999999999999/",
        "/vet/hospitering/9223372036854775807/",
        "/vet/supply-demand/?county=%00",
        "/vet/supply-demand/?year=99999",
        "/vet/hospitering/new/?partnership=99999999999999999999999",
        "/api/v1/vet/placements/9223372036854775808/assessments",
    ],
)
def test_huge_ids_and_odd_queries_never_answer_500(vet: VetWorld, url: str):
    client = _client(vet.school.admin)
    response = client.post(url, {}) if "assessments" in url else client.get(url)
    assert response.status_code in (200, 400, 404, 405, 422), url


def test_api_creates_offers_and_bookings_and_refuses_bad_ones(vet: VetWorld):
    company = _client(vet.company.editor)
    body = {
        "organisation_id": vet.company.org.pk,
        "trade_code": "HSHEA3----",
        "kind": "yff",
        "school_year": vet.year,
        "places": 1,
        "level": "vg2",
        "hours": 300,
        "instructor_name": "Ina",
        "instructor_id": vet.company.editor.pk,
        "shared_with": [vet.school.org.pk],
    }
    refused = company.post("/api/v1/vet/offers", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "hours"
    body["hours"] = 253
    made = company.post("/api/v1/vet/offers", body, content_type="application/json")
    assert made.status_code == 201 and "internal_note" not in made.json()
    school = _client(vet.school.editor)
    booking = {
        "offer_id": made.json()["id"],
        "school_id": vet.school.org.pk,
        "pupil_name": "Siri Elev",
        "starts_on": str(days(-5)),
        "ends_on": str(days(-1)),
        "hours": 20,
    }
    ok = school.post("/api/v1/vet/placements", booking, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["pupil"] == "Siri Elev"
    booking["pupil_name"] = "Tor Elev"
    full = school.post("/api/v1/vet/placements", booking, content_type="application/json")
    assert full.status_code == 400 and full.json()["field"] == "offer"
    assessed = company.post(
        f"/api/v1/vet/placements/{ok.json()['id']}/assessments",
        {"outcome": "completed", "would_take_apprentice": True},
        content_type="application/json",
    )
    assert assessed.status_code == 201, assessed.json()
    assert assessed.json()["side"] == "workplace"
    stranger = _client(vet.school2.admin).post(
        f"/api/v1/vet/placements/{ok.json()['id']}/assessments",
        {"outcome": "completed"},
        content_type="application/json",
    )
    assert stranger.status_code == 404


def test_hospitering_journey_through_pages_with_print_and_pdf(vet: VetWorld):
    p = Partnership.objects.create(name="Skole–bedrift", purpose="x")
    for org in (vet.school.org, vet.company.org):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    school = _client(vet.school.editor)
    response = school.post(
        "/vet/hospitering/new/",
        {
            "partnership": p.pk,
            "asked_by_side": "school",
            "school": vet.school.org.pk,
            "workplace": vet.company.org.pk,
            "participant": "Lærer Lund",
            "starts_on": str(days(-12)),
            "ends_on": str(days(-6)),
            "days": 5,
            "goals": "Nye metoder",
        },
    )
    item = Hospitering.objects.get()
    assert response["Location"] == item.get_absolute_url()
    company = _client(vet.company.admin)
    assert "answer" in company.get(item.get_absolute_url()).content.decode()
    company.post(f"/vet/hospitering/{item.pk}/answer/", {"answer": "accept"})
    school.post(f"/vet/hospitering/{item.pk}/report/", {"side": "school", "report": "Lærerikt"})
    company.post(f"/vet/hospitering/{item.pk}/report/", {"side": "workplace", "report": "Fint"})
    item.refresh_from_db()
    assert item.status == "reported" and ContactEntry.objects.filter(partnership=p).exists()
    printed = school.get(f"/vet/hospitering/{item.pk}/print/").content.decode()
    assert "Lærerikt" in printed and "Fint" in printed and "Lærer Lund" in printed
    pdf = school.get(f"/vet/hospitering/{item.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _client(vet.company2.admin).get(f"/vet/hospitering/{item.pk}/pdf/").status_code == 404


def test_trades_register_import_checks_first_and_lists_row_errors(vet: VetWorld, tmp_path):
    bad = "code,name_nb,programme_code,programme_name_nb\nHSHEA3----,,HS,Helse\nXX,Navn,QQ,Q\n"
    parsed = register.parse_file(bad.encode(), "bad.csv")
    assert [(e.row, e.column) for e in parsed.errors] == [
        (2, "name_nb"),
        (3, "code"),
        (3, "programme_code"),
    ]
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_trades", str(path))
    good = tmp_path / "good.csv"
    good.write_text(
        "code,name_nb,programme_code,programme_name_nb\n"
        "HSHEA3----,Helsearbeiderfaget (ny),HS,Helse- og oppvekstfag\n"
        "HSZZZ3----,Nytt fag,HS,Helse- og oppvekstfag\n",
        encoding="utf-8",
    )
    before = Trade.objects.filter(is_active=True).count()
    out = io.StringIO()
    call_command("import_trades", str(good), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert Trade.objects.filter(is_active=True).count() == before
    call_command("import_trades", str(good), stdout=io.StringIO())
    assert Trade.objects.get(code="HSHEA3----").name == "Helsearbeiderfaget (ny)"
    assert Trade.objects.filter(is_active=True).count() == 2


def test_trades_import_page_takes_xlsx_for_platform_admins_only(vet: VetWorld):
    book_ = Workbook()
    sheet = book_.active
    sheet.append(["code", "name_nb", "programme_code", "programme_name_nb"])  # type: ignore[union-attr]
    sheet.append(["ELELE3----", "Elektrikerfaget", "EL", "Elektro og datateknologi"])  # type: ignore[union-attr]
    sheet.append(["ELELE3----", "Dobbel", "EL", "Elektro og datateknologi"])  # type: ignore[union-attr]
    data = io.BytesIO()
    book_.save(data)

    def upload(client: Client, apply: bool):  # type: ignore[no-untyped-def]
        f = io.BytesIO(data.getvalue())
        f.name = "trades.xlsx"
        return client.post("/vet/trades/import/", {"file": f, "apply": "on" if apply else ""})

    assert upload(_client(vet.company.admin), True).status_code == 404
    response = upload(_client(vet.platform), True)
    assert response.status_code == 200
    assert "<td>3</td><td>code</td>" in response.content.decode()
    assert Trade.objects.filter(is_active=True).count() == 113


def test_hospitering_print_shows_days_dates_parties_and_reports(vet: VetWorld):
    offer = yff_offer(vet)
    book(vet, offer)
    assert _client(vet.school.admin).get("/vet/").status_code == 200
    assert Client().get("/vet/trades/").status_code == 200
    assert Client().get("/vet/supply-demand/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("yff_pupils", "-1"),
        ("yff_pupils", "99999999999999999999999999"),
        ("trade", "NOPE3-----"),
        ("school", "99999999999999999999"),
        ("school_year", "1e3"),
    ],
)
def test_hostile_demand_input_is_refused(vet: VetWorld, field: str, value: str):
    data = {
        "school": vet.school.org.pk,
        "trade": "HSHEA3----",
        "school_year": vet.year,
        "yff_pupils": 4,
        "apprenticeship_seekers": 6,
    }
    data[field] = value
    response = _client(vet.school.editor).post("/vet/demand/", data)
    assert response.status_code == 200
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("participant", "Lærer\x00Lund"),
        ("goals", "mål\x1b[31m"),
        ("days", "4"),
        ("starts_on", "20260-01-01"),
        ("workplace", "9223372036854775808"),
        ("agreement", "-1"),
    ],
)
def test_hostile_hospitering_input_is_refused(vet: VetWorld, field: str, value: str):
    p = Partnership.objects.create(name="P", purpose="x")
    for org in (vet.school.org, vet.company.org):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    data = {
        "partnership": p.pk,
        "asked_by_side": "school",
        "school": vet.school.org.pk,
        "workplace": vet.company.org.pk,
        "participant": "Lærer Lund",
        "starts_on": str(days(-12)),
        "ends_on": str(days(-6)),
        "days": 5,
        "goals": "Nye metoder",
    }
    data[field] = value
    response = _client(vet.school.editor).post("/vet/hospitering/new/", data)
    assert response.status_code == 200
    assert not Hospitering.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"instructor_name": "Ina\nInstruktør"},
        {"trade_code": "HSHEA3----\x00"},
        {"organisation_id": 9223372036854775808},
        {"shared_with": [0]},
        {"places": 10_001},
        {"starts_on": "99999-01-01"},
        {"internal_note": "x" * 4001},
    ],
)
def test_hostile_api_offers_are_refused(vet: VetWorld, change: dict):  # type: ignore[type-arg]
    body = {
        "organisation_id": vet.company.org.pk,
        "trade_code": "HSHEA3----",
        "kind": "apprenticeship",
        "school_year": vet.year,
        "places": 1,
        "approval": "approved",
        "starts_on": str(days(100)),
        "instructor_name": "Ina",
    }
    body.update(change)
    response = _client(vet.company.editor).post(
        "/api/v1/vet/offers", body, content_type="application/json"
    )
    assert response.status_code in (400, 404, 422)
    assert response.json()["message"]
    assert not Offer.objects.exists()


def test_the_arena_shows_each_list_a_page_at_a_time(vet: VetWorld):
    """No list on the arena stops silently at a fixed number: each is paged on its own."""
    import re

    from yrkesbro.vet.views import INDEX_PAGE_SIZE

    trades = list(Trade.objects.order_by("code")[: INDEX_PAGE_SIZE + 3])
    for i, trade in enumerate(trades):
        offer = yff_offer(vet, trade_code=trade.code, places=2)
        if i < 2:
            book(vet, offer, f"Elev {i}")
    client = _client(vet.company.viewer)

    def offers(html: str) -> set[str]:
        return set(re.findall(r'href="/vet/offers/(\d+)/"', html))

    first = client.get("/vet/").content.decode()
    assert len(offers(first)) == INDEX_PAGE_SIZE
    assert 'href="?offers_page=2"' in first
    second = client.get("/vet/?offers_page=2&placements_page=1").content.decode()
    assert len(offers(second)) == 3
    assert not offers(first) & offers(second)
    assert len(set(re.findall(r'href="/vet/placements/(\d+)/"', second))) == 2
    assert client.get("/vet/?offers_page=99999999999999999999").status_code == 200
