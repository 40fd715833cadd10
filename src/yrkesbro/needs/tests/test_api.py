"""/api/v1/needs and /api/v1/plans: shape, filters, visibility and writes."""

from __future__ import annotations

import pytest
from django.test import Client

from yrkesbro.needs.models import Need, Status
from yrkesbro.needs.tests.conftest import future, make_need
from yrkesbro.testing import PASSWORD, CountyFactory


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def setup(world, areas):  # type: ignore[no-untyped-def]
    county = CountyFactory(number="93", name="Vestfylke")
    world.a.org.county = county
    world.a.org.save()
    return {
        "a_draft": make_need(world.a.editor, world.a.org, codes=["demens"]),
        "a_pub": make_need(world.a.editor, world.a.org, codes=["demens", "kreft"], publish=True),
        "b_draft": make_need(world.b.editor, world.b.org, codes=["kreft"]),
        "b_pub": make_need(world.b.editor, world.b.org, codes=["ikt-digital"], publish=True),
    }


def ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_shape(world, setup):  # type: ignore[no-untyped-def]
    item = signed_in(world.b.viewer).get(f"/api/v1/needs/{setup['a_pub'].pk}").json()
    assert item["organisation"] == {
        "id": world.a.org.pk,
        "name": world.a.org.name,
        "county": {"number": "93", "name": "Vestfylke"},
    }
    assert item["areas"] == ["demens", "kreft"]
    assert item["people"] == 12 and item["urgency"] == "high" and item["status"] == "published"
    assert item["deadline"] == str(future())


def test_visibility_and_filters(world, setup):  # type: ignore[no-untyped-def]
    s = setup
    a = signed_in(world.a.viewer)
    b = signed_in(world.b.editor)
    assert ids(b.get("/api/v1/needs")) == {s["a_pub"].pk, s["b_pub"].pk, s["b_draft"].pk}
    assert ids(signed_in(world.a.editor).get("/api/v1/needs")) == {
        s["a_pub"].pk,
        s["b_pub"].pk,
        s["a_draft"].pk,
    }
    assert ids(a.get("/api/v1/needs")) == {
        s["a_pub"].pk,
        s["b_pub"].pk,
    }  # viewer: no private drafts
    assert ids(signed_in(world.outsider).get("/api/v1/needs")) == {s["a_pub"].pk, s["b_pub"].pk}
    assert ids(b.get("/api/v1/needs?area=kreft")) == {s["a_pub"].pk, s["b_draft"].pk}
    assert ids(b.get("/api/v1/needs?county=93")) == {s["a_pub"].pk}
    assert ids(b.get("/api/v1/needs?status=draft")) == {s["b_draft"].pk}
    assert ids(b.get("/api/v1/needs?status=draft&county=93")) == set()
    assert b.get("/api/v1/needs?status=bogus").status_code == 422
    assert b.get(f"/api/v1/needs/{s['a_draft'].pk}").status_code == 404
    assert Client().get("/api/v1/needs").status_code == 401


def test_create_update_publish(world, setup):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    body = {
        "organisation_id": world.a.org.pk,
        "areas": ["flerkulturell"],
        "unit": "Barnehagene",
        "service_area": "upbringing",
        "people": 30,
        "deadline": str(future(300)),
        "urgency": "medium",
        "drivers": ["other"],
    }
    response = client.post("/api/v1/needs", body, content_type="application/json")
    assert response.status_code == 201, response.content
    need_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = client.patch(
        f"/api/v1/needs/{need_id}",
        {"people": 25, "status": "published"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["people"] == 25 and response.json()["status"] == "published"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"people": -1}, 422),
        ({"people": 100000}, 422),
        ({"areas": ["nope"]}, 400),
        ({"deadline": "2020-01-01"}, 400),
    ],
)
def test_bad_input(world, setup, change, status):  # type: ignore[no-untyped-def]
    client = signed_in(world.a.editor)
    body = {
        "organisation_id": world.a.org.pk,
        "areas": ["demens"],
        "unit": "X",
        "people": 3,
        "deadline": str(future()),
    }
    body.update(change)
    response = client.post("/api/v1/needs", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["message"]
    assert Need.objects.count() == 4


def test_write_permissions(world, setup):  # type: ignore[no-untyped-def]
    s = setup
    # Another municipality's editor: drafts are invisible (404), published ones not theirs (403).
    b = signed_in(world.b.editor)
    assert (
        b.patch(
            f"/api/v1/needs/{s['a_draft'].pk}", {"people": 2}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        b.patch(
            f"/api/v1/needs/{s['a_pub'].pk}", {"people": 2}, content_type="application/json"
        ).status_code
        == 403
    )
    body = {
        "organisation_id": world.a.org.pk,
        "areas": ["demens"],
        "unit": "X",
        "people": 3,
        "deadline": str(future()),
    }
    assert b.post("/api/v1/needs", body, content_type="application/json").status_code == 404
    # A viewer cannot publish.
    viewer = signed_in(world.a.viewer)
    response = viewer.patch(
        f"/api/v1/needs/{s['a_draft'].pk}", {"status": "published"}, content_type="application/json"
    )
    assert response.status_code == 404  # private draft: the viewer cannot even see it
    s["a_draft"].visibility = "internal"
    s["a_draft"].save()
    response = viewer.patch(
        f"/api/v1/needs/{s['a_draft'].pk}", {"status": "published"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert viewer.post("/api/v1/needs", body, content_type="application/json").status_code == 403
    s["a_draft"].refresh_from_db()
    assert s["a_draft"].status == Status.DRAFT


def test_plans(world, setup):  # type: ignore[no-untyped-def]
    editor = signed_in(world.a.editor)
    body = {
        "organisation_id": world.a.org.pk,
        "title": "Kompetanseplan",
        "start_year": 2026,
        "end_year": 2029,
        "visibility": "internal",
        "needs": [setup["a_draft"].pk, setup["a_pub"].pk],
    }
    response = editor.post("/api/v1/plans", body, content_type="application/json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["organisation"]["county"]["number"] == "93"
    assert sorted(plan["needs"]) == sorted([setup["a_draft"].pk, setup["a_pub"].pk])
    assert ids(signed_in(world.a.viewer).get("/api/v1/plans")) == {plan["id"]}
    assert ids(signed_in(world.b.admin).get("/api/v1/plans")) == set()
    assert (
        editor.patch(
            f"/api/v1/plans/{plan['id']}", {"approve": True}, content_type="application/json"
        ).status_code
        == 403
    )
    admin = signed_in(world.a.admin)
    response = admin.patch(
        f"/api/v1/plans/{plan['id']}",
        {"approve": True, "visibility": "shared"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["approved_at"]
    assert ids(signed_in(world.b.admin).get("/api/v1/plans")) == {plan["id"]}
    # The list shows each plan's needs the reader may read, and only those.
    from yrkesbro.needs.models import Need

    for user in (world.b.admin, world.a.viewer, world.a.editor):
        [listed] = signed_in(user).get("/api/v1/plans").json()["items"]
        readable = Need.objects.visible_to(user).filter(plan_id=plan["id"])
        assert listed["needs"] == sorted(readable.values_list("id", flat=True)), user
    [outside] = signed_in(world.b.admin).get("/api/v1/plans").json()["items"]
    assert setup["a_draft"].pk not in outside["needs"]
    assert setup["a_pub"].pk in outside["needs"]
    bad = dict(body, needs=[setup["b_draft"].pk])
    assert editor.post("/api/v1/plans", bad, content_type="application/json").status_code == 400
    assert world.a.org.competence_plans.count() == 1  # nothing half-made
