"""The permission matrix over the API: role, own or other organisation, and action."""

from __future__ import annotations

import pytest
from django.test import Client

from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.needs.tests.conftest import future, make_need
from yrkesbro.testing import PASSWORD

ACTORS = [
    ("a", "admin"),
    ("a", "editor"),
    ("a", "viewer"),
    ("b", "admin"),
    ("b", "editor"),
    ("b", "viewer"),
    ("outsider", ""),
]
WRITERS = {("a", "admin"), ("a", "editor")}
INTERNAL_READERS = {("a", "admin"), ("a", "editor"), ("a", "viewer")}


def client_for(world, side: str, role: str) -> Client:  # type: ignore[no-untyped-def]
    user = world.outsider if side == "outsider" else getattr(world, side).member(role)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def rows(world, areas):  # type: ignore[no-untyped-def]
    a = world.a
    return {
        "private": make_need(a.editor, a.org),
        "internal": make_need(a.editor, a.org, visibility=Visibility.INTERNAL),
        "published": make_need(a.editor, a.org, publish=True),
    }


@pytest.mark.parametrize(("side", "role"), ACTORS)
def test_read(world, rows, side, role):  # type: ignore[no-untyped-def]
    client = client_for(world, side, role)
    expected = {
        "private": (side, role) in WRITERS,
        "internal": (side, role) in INTERNAL_READERS,
        "published": True,
    }
    for kind, need in rows.items():
        status = client.get(f"/api/v1/needs/{need.pk}").status_code
        assert status == (200 if expected[kind] else 404), (kind, status)
    listed = {item["id"] for item in client.get("/api/v1/needs").json()["items"]}
    assert listed == {rows[k].pk for k, ok in expected.items() if ok}


@pytest.mark.parametrize(("side", "role"), ACTORS)
@pytest.mark.parametrize("action", ["create", "edit", "publish", "withdraw"])
def test_write(world, rows, side, role, action):  # type: ignore[no-untyped-def]
    client = client_for(world, side, role)
    before = {n.pk: (n.people, n.status) for n in Need.objects.all()}
    if action == "create":
        body = {
            "organisation_id": world.a.org.pk,
            "areas": ["demens"],
            "unit": "Ny",
            "people": 2,
            "deadline": str(future()),
        }
        response = client.post("/api/v1/needs", body, content_type="application/json")
        ok_status = 201
    else:
        need = rows["internal"] if action in ("edit", "publish") else rows["published"]
        change = {
            "edit": {"people": 99},
            "publish": {"status": "published"},
            "withdraw": {"status": "withdrawn"},
        }[action]
        response = client.patch(f"/api/v1/needs/{need.pk}", change, content_type="application/json")
        ok_status = 200
    if (side, role) in WRITERS:
        assert response.status_code == ok_status, response.content
    else:
        # Members who can see the row get 403; everyone else 404 (they may not know it exists).
        visible = (side, role) in INTERNAL_READERS or action == "withdraw"
        assert response.status_code == (403 if visible else 404), response.content
        assert response.json()["message"]
        assert {n.pk: (n.people, n.status) for n in Need.objects.all()} == before
        assert Need.objects.filter(status=Status.PUBLISHED).count() == 1
