"""The API foundation: pagination, filters, authentication, and errors in the caller's language."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from yrkesbro.accounts.services import token_create
from yrkesbro.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "/api/v1/organisations" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_public_list_of_municipalities(client, register_loaded):
    body = client.get("/api/v1/organisations?kind=municipality").json()
    assert body["count"] == 357
    assert len(body["items"]) == 25  # the default page
    assert set(body) == {"count", "items"}
    everything = []
    for offset in range(0, 357, 100):
        page = client.get(f"/api/v1/organisations?kind=municipality&limit=100&offset={offset}")
        everything += page.json()["items"]
    assert len({item["id"] for item in everything}) == 357
    item = everything[0]
    assert {"id", "kind", "name", "number", "org_number", "county", "latitude"} <= set(item)


def test_filters_by_county_and_query(client, register_loaded):
    innlandet = client.get("/api/v1/organisations?kind=municipality&county=34").json()
    assert innlandet["count"] == 46
    assert {i["county"]["number"] for i in innlandet["items"]} == {"34"}
    by_name = client.get("/api/v1/organisations?q=gjøvik").json()
    assert [i["name"] for i in by_name["items"]] == ["Gjøvik"]
    by_number = client.get("/api/v1/organisations?q=0301").json()
    assert [i["name"] for i in by_number["items"]] == ["Oslo"]
    by_org_number = client.get("/api/v1/organisations?q=958 935 420").json()
    assert [i["number"] for i in by_org_number["items"]] == ["0301"]
    sami = client.get("/api/v1/organisations?q=kárášjohka").json()
    assert [i["name"] for i in sami["items"]] == ["Karasjok"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "offset=-1",
        "offset=1000001",
        "limit=abc",
        "kind=planet",
        "q=" + "x" * 201,
    ],
)
def test_bad_list_parameters_get_a_json_message(client, query):
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation" and body["message"] and body["errors"]


@pytest.mark.parametrize(
    "hostile",
    ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", "x\x00y", "🙂" * 50, "34; DROP TABLE x"],
)
def test_hostile_queries_find_nothing_and_break_nothing(client, register_loaded, hostile):
    response = client.get("/api/v1/organisations", {"q": hostile})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["count"] == 0


def test_control_characters_in_queries_are_refused(client, register_loaded):
    # PostgreSQL refuses NUL in text; the API refuses it first, in its documented shape.
    response = client.get("/api/v1/organisations", {"q": "Os\x00lo\x07", "kind": "municipality"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation" and response.json()["field"] == "q"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "Fant ikke."), ("nn", "Fann ikkje."), ("en", "Not found."), ("", "Fant ikke.")],
)
def test_errors_speak_the_callers_language(client, language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client.get("/api/v1/organisations/999999", **headers)
    assert response.status_code == 404
    assert response.json() == {"message": expected, "code": "not_found", "field": None}
    assert response["Content-Language"] == (language or "nb")


def test_signed_in_endpoints_need_a_session_or_token(client, world):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ybt_nonsense")
    assert bad.status_code == 401
    _t, key = token_create(actor=world.a.viewer, user=world.a.viewer, name="t")
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert me["username"] == world.a.viewer.username
    assert [(m["organisation"]["id"], m["role"]) for m in me["memberships"]] == [
        (world.a.org.pk, "viewer")
    ]


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username=world.a.admin.username, password=PASSWORD)
    url = f"/api/v1/organisations/{world.a.org.pk}"
    payload = json.dumps({"website": "https://alfa.example"})
    refused = client.patch(url, payload, content_type="application/json")
    assert refused.status_code in (401, 403)
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    allowed = client.patch(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200
    assert allowed.json()["website"] == "https://alfa.example"


def test_invalid_organisation_numbers_are_refused_with_a_field(client, world):
    _t, key = token_create(actor=world.platform_admin, user=world.platform_admin, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    response = client.post(
        "/api/v1/organisations",
        json.dumps({"kind": "company", "name": "Feil AS", "org_number": "123456789"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "org_number"
    assert "not a valid organisation number" in response.json()["message"]
    ok = client.post(
        "/api/v1/organisations",
        json.dumps({"kind": "company", "name": "Riktig AS", "org_number": "974 760 673"}),
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201 and ok.json()["org_number"] == "974760673"
    twice = client.post(
        "/api/v1/organisations",
        json.dumps({"kind": "company", "name": "Kopi AS", "org_number": "974760673"}),
        content_type="application/json",
        **auth,
    )
    assert twice.status_code == 400 and twice.json()["field"] == "org_number"
    county = client.post(
        "/api/v1/organisations",
        json.dumps({"kind": "county", "name": "Nytt fylke"}),
        content_type="application/json",
        **auth,
    )
    assert county.status_code == 400 and county.json()["field"] == "kind"


def test_register_fields_cannot_be_patched_by_municipal_admins(client, world, register_loaded):
    from yrkesbro.accounts.services import membership_create
    from yrkesbro.organisations.models import Organisation

    oslo = Organisation.objects.get(kind="municipality", number="0301")
    membership_create(actor=None, organisation=oslo, user=world.a.admin, role="admin")
    _t, key = token_create(actor=world.a.admin, user=world.a.admin, name="t")
    response = client.patch(
        f"/api/v1/organisations/{oslo.pk}",
        json.dumps({"org_number": "974760673"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    oslo.refresh_from_db()
    assert oslo.org_number == "958935420"
