"""Agreeing to a placement's local curriculum through the API, for each side."""

from __future__ import annotations

from django.test import Client

from yrkesbro.vet.models import Placement
from yrkesbro.vet.tests.conftest import VetWorld, book, yff_offer


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_each_side_agrees_for_itself(vet: VetWorld) -> None:
    placement = book(vet, yff_offer(vet))
    url = f"/api/v1/vet/placements/{placement.pk}/agree"
    assert _client(vet.outsider).post(url).status_code == 404
    assert _client(vet.company2.admin).post(url).status_code == 404
    response = _client(vet.company.admin).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == placement.pk
    assert placement.workplace_agreed_at is None
    assert Placement.objects.get(pk=placement.pk).workplace_agreed_at is not None
    assert _client(vet.school.editor).post(url).status_code == 200  # the school's side
    assert Placement.objects.get(pk=placement.pk).school_agreed_at is not None


def test_demand_through_the_api(vet: VetWorld) -> None:
    body = {
        "school_id": vet.school.org.pk,
        "trade_code": "HSHEA3----",
        "school_year": vet.year,
        "yff_pupils": 4,
        "apprenticeship_seekers": 9,
    }
    assert (
        _client(vet.school.viewer)
        .put("/api/v1/vet/demand", body, content_type="application/json")
        .status_code
        == 403
    )
    saved = _client(vet.school.editor).put(
        "/api/v1/vet/demand", body, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    again = _client(vet.school.editor).put(
        "/api/v1/vet/demand", {**body, "yff_pupils": 5}, content_type="application/json"
    )
    assert again.json()["id"] == saved.json()["id"] and again.json()["yff_pupils"] == 5
    listed = _client(vet.school.viewer).get("/api/v1/vet/demand").json()
    assert listed["count"] == 1 and listed["items"][0]["apprenticeship_seekers"] == 9
    assert _client(vet.outsider).get("/api/v1/vet/demand").json()["count"] == 0


def test_hospitering_through_the_api(vet: VetWorld) -> None:
    from yrkesbro.collaboration.models import Partnership, PartnershipParty
    from yrkesbro.vet.tests.conftest import days

    p = Partnership.objects.create(name="Skole og bedrift", purpose="Samarbeid")
    for org in (vet.school.org, vet.company.org):
        PartnershipParty.objects.create(partnership=p, organisation=org)
    body = {
        "partnership_id": p.pk,
        "school_id": vet.school.org.pk,
        "workplace_id": vet.company.org.pk,
        "asked_by_side": "school",
        "participant": "Lærer Lund",
        "starts_on": str(days(-14)),
        "ends_on": str(days(-8)),
        "days": 5,
        "goals": "Lære nye metoder",
    }
    assert (
        _client(vet.outsider)
        .post("/api/v1/vet/hospitering", body, content_type="application/json")
        .status_code
        == 404
    )
    asked = _client(vet.school.editor).post(
        "/api/v1/vet/hospitering", body, content_type="application/json"
    )
    assert asked.status_code == 201, asked.content
    item = asked.json()["id"]
    own = _client(vet.school.admin).post(
        f"/api/v1/vet/hospitering/{item}/answer", {"accept": True}, content_type="application/json"
    )
    assert own.status_code == 403  # the asking side does not answer itself
    accepted = _client(vet.company.admin).post(
        f"/api/v1/vet/hospitering/{item}/answer", {"accept": True}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    report = _client(vet.school.editor).post(
        f"/api/v1/vet/hospitering/{item}/report",
        {"side": "school", "report": "Nyttig"},
        content_type="application/json",
    )
    assert report.status_code == 200 and report.json()["school_report"] == "Nyttig"
    assert _client(vet.school.viewer).get("/api/v1/vet/hospitering").json()["count"] == 1
    assert _client(vet.outsider).get(f"/api/v1/vet/hospitering/{item}/answer").status_code == 405
