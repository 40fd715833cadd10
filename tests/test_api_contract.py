"""The API's contract, checked directly: one error shape, documented, and the same
hostile values refused the same way on SQLite and PostgreSQL (CI runs both)."""

from __future__ import annotations

import json

import pytest

from yrkesbro.accounts.services import token_create
from yrkesbro.core.api_root import api
from yrkesbro.testing import PASSWORD

ERROR_KEYS = {"message", "code", "field"}


def _error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= ERROR_KEYS, body
    assert body["message"]
    return body


@pytest.fixture
def token(world):  # type: ignore[no-untyped-def]
    return token_create(actor=world.a.admin, user=world.a.admin, name="t")[1]


@pytest.fixture
def schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def test_schema_names_are_unique_and_operations_document_their_errors(schema):
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    assert document.conflicts == []  # type: ignore[attr-defined]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            assert {"400", "404", "405", "422", "429", "503"} <= documented, (method, path)
            public = {} in operation.get("security", [{}])
            if not public:
                assert {"401", "403"} <= documented, (method, path)


def test_public_operations_are_documented_as_public(schema):
    assert {} in schema["paths"]["/api/v1/programmes"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/me"]["get"]["security"]


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["", "Bearer ybt_wrong", "Basic eDp5"])
def test_token_failures_answer_401_with_www_authenticate(client, auth):
    headers = {"HTTP_AUTHORIZATION": auth, "HTTP_ACCEPT_LANGUAGE": "en"} if auth else {}
    response = client.post("/api/v1/needs", "{}", content_type="application/json", **headers)
    body = _error(response, 401)
    assert body["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_405_and_malformed_json_speak_the_error_shape(client, token):
    response = client.put("/api/v1/programmes", HTTP_ACCEPT_LANGUAGE="nn")
    body = _error(response, 405)
    assert body["code"] == "method_not_allowed" and "GET" in response["Allow"]
    assert "ikkje" in body["message"]  # translated
    response = client.post(
        "/api/v1/needs",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert _error(response, 400)["code"] == "malformed_json"


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", '"x"', "5", "null"])
def test_patch_bodies_must_be_objects(client, world, token, body):
    response = client.patch(
        f"/api/v1/organisations/{world.a.org.pk}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert _error(response, 422)["code"] == "body_not_object"


@pytest.mark.django_db
def test_explicit_null_on_nullable_text_empties_it(client, world, token):
    url = f"/api/v1/organisations/{world.a.org.pk}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.patch(url, {"website": "https://a.example"}, content_type="application/json", **auth)
    response = client.patch(
        url,
        {"website": None, "description": None, "name": None},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["website"] == "" and response.json()["name"] == world.a.org.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/needs?area=%00",
        "/api/v1/needs?county=%C2%B2",
        "/api/v1/gaps?area=%00",
        "/api/v1/gaps?county=%C2%B2",
        "/api/v1/organisations?county=%C2%B2",
        "/api/v1/organisations?q=a%00b",
        "/api/v1/programmes?county=%D9%A3",
        "/api/v1/competence-areas/%00",
        "/api/v1/needs/99999999999999999999",
    ],
)
def test_hostile_filters_are_refused_with_422(client, token, url):
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert _error(response, 422)["code"] == "validation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "reason"),
    [
        ("2027-03-01T09:00:00", "naive"),
        ("2027-03-01T09:00:00+15:00", "offset beyond 14:00"),
        ("0001-01-01T00:00:00+05:00", "year 1"),
        ("9999-12-31T23:59:59-05:00", "year 9999"),
    ],
)
def test_hostile_date_times_are_refused_with_422(client, world, token, starts_at, reason):
    response = client.post(
        "/api/v1/meetings",
        {"forum_id": 1, "title": "Møte", "starts_at": starts_at, "ends_at": starts_at},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = _error(response, 422)
    assert body["field"] in {"starts_at", "ends_at"}, reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Alfa\x00"}, "name"),
        ({"name": "Alfa\nBeta"}, "name"),
        ({"description": "a\x00b"}, "description"),
        ({"org_number": "\u2028"}, "org_number"),
    ],
)
def test_control_characters_in_bodies_are_refused_with_422(client, world, token, payload, field):
    response = client.patch(
        f"/api/v1/organisations/{world.a.org.pk}",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert _error(response, 422)["field"] == field


@pytest.mark.django_db
def test_session_writes_without_csrf_get_a_translated_403(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username=world.a.admin.username, password=PASSWORD)
    response = client.patch(
        f"/api/v1/organisations/{world.a.org.pk}",
        {"website": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _error(response, 403)["code"] == "csrf"


# The VET, health and workforce inputs use the shared types too (issue 13): NUL, other
# control characters, Unicode digits and dates outside the year range answer 422.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "payload", "field"),
    [
        ("post", "/api/v1/vet/offers", {"trade_code": "a\x00"}, "trade_code"),
        ("post", "/api/v1/vet/offers", {"instructor_name": "Kari\nNordmann"}, "instructor_name"),
        ("post", "/api/v1/vet/offers", {"starts_on": "0001-01-01"}, "starts_on"),
        ("post", "/api/v1/vet/offers", {"internal_note": "a\x07"}, "internal_note"),
        ("post", "/api/v1/vet/placements", {"pupil_name": "\x00"}, "pupil_name"),
        ("post", "/api/v1/vet/placements", {"ends_on": "9999-12-31"}, "ends_on"),
        ("post", "/api/v1/vet/placements", {"goals": "\x1b[31m"}, "goals"),
        ("post", "/api/v1/vet/placements/1/assessments", {"comment": "\x00"}, "comment"),
        ("get", "/api/v1/vet/supply-demand?county=%D9%A3%D9%A4", None, "county"),
        ("get", "/api/v1/indicators?county=%C2%B2%C2%B3", None, "county"),
        ("post", "/api/v1/health/rounds/1/answers", {"free_text": "a\x00"}, "free_text"),
        ("post", "/api/v1/health/item-sets", {"note": "a\u2028b"}, "note"),
        ("post", "/api/v1/employees", {"full_name": "Ola\x00"}, "full_name"),
        ("post", "/api/v1/employees", {"unit": "a\nb"}, "unit"),
        ("post", "/api/v1/enrolments", {"enrolled_on": "1066-10-14"}, "enrolled_on"),
        ("post", "/api/v1/enrolments", {"over_seats_reason": "\x00"}, "over_seats_reason"),
        ("put", "/api/v1/enrolments/1/outcome", {"tasks_text": "\x00"}, "tasks_text"),
        ("put", "/api/v1/enrolments/1/outcome", {"tasks": ["a\x00"]}, "0"),
        ("post", "/api/v1/enrolments/1/interrupt", {"ended_on": "2999-01-01"}, "ended_on"),
    ],
)
def test_vet_health_workforce_inputs_refuse_hostile_values(
    client, world, token, method, url, payload, field
):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if payload is not None:
        kwargs.update(data=json.dumps(payload), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    body = _error(response, 422)
    refused = {e["location"][-1] for e in body["errors"]}
    assert field in refused, body
