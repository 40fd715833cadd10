"""Pages and API: who sees what, the request round trip over HTTP, and the API's shapes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from yrkesbro.matching import services
from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.needs.models import Visibility

from .conftest import Setup, make_need


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


@pytest.mark.parametrize(
    ("who", "status"),
    [("a_viewer", 200), ("b_viewer", 200), ("school_viewer", 200), ("outsider", 200)],
)
def test_published_need_matches_are_seen_by_anyone_signed_in(
    setup: Setup, who: str, status: int
) -> None:
    user = {
        "a_viewer": setup.world.a.viewer,
        "b_viewer": setup.world.b.viewer,
        "school_viewer": setup.school.viewer,
        "outsider": setup.world.outsider,
    }[who]
    r = client_for(user).get(reverse("matching:need", args=[setup.need.pk]))
    assert r.status_code == status
    assert "Covers Dementia via national plan DEMENS" not in r.content.decode()  # bokmål page
    assert "Dekker Demens via nasjonal plan DEMENS" in r.content.decode()


def test_internal_need_matches_are_hidden_from_others(setup: Setup) -> None:
    need = make_need(setup.world.a.org, ["demens"], visibility=Visibility.INTERNAL)
    url = reverse("matching:need", args=[need.pk])
    assert client_for(setup.world.a.viewer).get(url).status_code == 200
    assert client_for(setup.world.b.admin).get(url).status_code == 404
    assert client_for(setup.school.admin).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page


def test_request_button_only_for_editors_of_the_owner(setup: Setup) -> None:
    url = reverse("matching:need", args=[setup.need.pk])
    create = reverse("matching:request_create", args=[setup.need.pk])
    assert create in client_for(setup.world.a.editor).get(url).content.decode()
    assert create not in client_for(setup.world.a.viewer).get(url).content.decode()
    assert client_for(setup.world.a.viewer).get(create).status_code == 404
    assert (
        client_for(setup.world.b.editor).post(create, {"school": setup.school.org.pk}).status_code
        == 404
    )


def test_round_trip_over_the_pages(setup: Setup) -> None:
    s = setup
    muni, school = client_for(s.world.a.editor), client_for(s.school.editor)
    create = reverse("matching:request_create", args=[s.need.pk])
    page = muni.get(f"{create}?school={s.school.org.pk}&offering={s.near.pk}")
    assert page.status_code == 200
    r = muni.post(
        create,
        {
            "school": s.school.org.pk,
            "offering": s.near.pk,
            "kind": "place",
            "people": 12,
            "message": "Hei",
        },
    )
    req = Request.objects.get()
    assert r.status_code == 302 and r["Location"] == req.get_absolute_url()
    detail = req.get_absolute_url()
    assert client_for(s.other_school.editor).get(detail).status_code == 404
    offer = reverse("matching:request_action", args=[req.pk, "offer"])
    bad = school.post(
        offer, {"programme": s.dementia.pk, "seats": 0, "price_nok": 0, "delivery": "blended"}
    )
    assert bad.status_code == 400
    r = school.post(
        offer,
        {
            "programme": s.dementia.pk,
            "offering": s.near.pk,
            "seats": 12,
            "price_nok": 0,
            "delivery": "blended",
        },
    )
    assert r.status_code == 302
    accept = reverse("matching:request_action", args=[req.pk, "accept"])
    assert muni.post(accept, {"note": ""}).status_code == 302
    again = muni.post(accept, {"note": ""}, follow=True)
    assert "allerede gjort" in again.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.history.count() == 3
    for name in ("index", "requests", "gaps"):
        assert muni.get(reverse(f"matching:{name}")).status_code == 200
    assert school.get(reverse("matching:school", args=[s.school.org.pk])).status_code == 200
    assert muni.get(reverse("matching:school", args=[s.school.org.pk])).status_code == 404
    plan_page = muni.get(reverse("matching:index"))
    assert reverse("matching:need", args=[s.need.pk]) in plan_page.content.decode()


def test_gap_page_and_open_data_are_public(setup: Setup) -> None:
    c = Client()
    page = c.get(reverse("matching:gaps"), {"county": "34"})
    assert page.status_code == 200 and "<svg" not in page.content.decode()[:100]
    csv = c.get(reverse("matching:gaps_csv"), {"county": "34"}).content.decode()
    assert csv.splitlines()[0] == "area,name,needs,people_needed,offerings_in_reach,people_unmet"
    assert csv.splitlines()[1].startswith("demens,")
    data = json.loads(c.get(reverse("matching:gaps_json")).content)
    assert data["items"][0]["area"] == "demens" and "Hjemmetjenesten" not in json.dumps(data)


def test_api_matches_and_gaps_shape(setup: Setup) -> None:
    c = client_for(setup.world.b.viewer)
    body = c.get(f"/api/v1/needs/{setup.need.pk}/matches").json()
    assert body["count"] == 3  # the irrelevant cancer course is not a match
    first = body["items"][0]
    assert first["offering_id"] == setup.near.pk and first["rank"] == 1
    assert {f["code"] for f in first["factors"]} == {
        "area",
        "content",
        "delivery",
        "distance",
        "start",
        "seats",
        "funding",
    }
    gaps = Client().get("/api/v1/gaps", {"county": "34"}).json()
    assert gaps == {
        "count": 1,
        "items": [
            {
                "area": {"code": "demens", "name": "Demens"},
                "needs": 1,
                "people_needed": 12,
                "offerings_in_reach": 2,
                "people_unmet": 0,
            }
        ],
    }
    assert Client().get("/api/v1/gaps", {"area": "kreft"}).json()["count"] == 0
    assert Client().get(f"/api/v1/needs/{setup.need.pk}/matches").status_code == 401


def test_api_request_round_trip_and_errors(setup: Setup) -> None:
    s = setup
    muni, school = client_for(s.world.a.editor), client_for(s.school.editor)
    r = muni.post(
        "/api/v1/requests",
        {"need_id": s.need.pk, "school_id": s.school.org.pk, "offering_id": s.near.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["status"] == "requested" and r.json()["offer"] is None
    offer = {"programme_id": s.dementia.pk, "seats": 12, "price_nok": 0, "delivery": "blended"}
    wrong = client_for(s.other_school.editor).post(
        f"/api/v1/requests/{rid}/offer", offer, content_type="application/json"
    )
    assert wrong.status_code == 404  # the other school cannot even see the request
    r = school.post(f"/api/v1/requests/{rid}/offer", offer, content_type="application/json")
    assert r.status_code == 200 and r.json()["offer"]["seats"] == 12
    r = muni.post(f"/api/v1/requests/{rid}/accept", {}, content_type="application/json")
    assert r.json()["status"] == "accepted" and len(r.json()["history"]) == 3
    r = muni.post(f"/api/v1/requests/{rid}/accept", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "wrong_status"
    assert muni.get("/api/v1/requests").json()["count"] == 1
    assert client_for(s.world.b.admin).get("/api/v1/requests").json()["count"] == 0


def test_demo_like_request_messages_are_translated(setup: Setup) -> None:
    req = services.request_create(
        actor=setup.world.a.editor, need=setup.need, school=setup.school.org
    )
    r = client_for(setup.world.a.editor).post(
        reverse("matching:request_action", args=[req.pk, "accept"]), {"note": ""}, follow=True
    )
    assert "Skolen har ikke gitt et tilbud ennå." in r.content.decode()


def test_gaps_ignore_numbers_that_are_no_ids(setup: Setup) -> None:
    r = Client().get("/api/v1/gaps", {"county": "9" * 30, "municipality": ["8" * 25]})
    assert r.status_code == 200
    assert Client().get(reverse("matching:gaps"), {"county": "9" * 30}).status_code == 200


def test_plan_page_lists_each_needs_best_offerings(setup: Setup) -> None:
    from yrkesbro.needs.models import CompetencePlan

    plan = CompetencePlan.objects.create(
        organisation=setup.world.a.org,
        title="Plan",
        start_year=2026,
        end_year=2029,
        visibility="internal",
    )
    setup.need.plan = plan
    setup.need.save()
    c = client_for(setup.world.a.viewer)
    index = c.get(reverse("matching:index")).content.decode()
    assert reverse("matching:plan", args=[plan.pk]) in index
    page = c.get(reverse("matching:plan", args=[plan.pk])).content.decode()
    assert "Demensomsorg og alderspsykiatri" in page and "Dekker Demens" in page
    assert (
        client_for(setup.world.b.admin).get(reverse("matching:plan", args=[plan.pk])).status_code
        == 404
    )
