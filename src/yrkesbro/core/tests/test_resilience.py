"""With the database down: JSON 503 on the API, a translated 503 page, honest health checks."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from yrkesbro.core.models import WorkerProcess
from yrkesbro.core.resilience import server_error


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", refuse)


@pytest.mark.django_db
def test_the_api_answers_json_503_with_retry_after(client, database_down):
    response = client.get("/api/v1/organisations", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "message": "The service is briefly unavailable. Try again in a few seconds.",
        "code": "unavailable",
        "field": None,
    }


@pytest.mark.django_db
def test_a_post_with_an_idempotency_key_answers_503_too(client, database_down):
    response = client.post(
        "/api/v1/needs", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


@pytest.mark.django_db
def test_pages_answer_a_translated_503_page(client, world, monkeypatch):
    client.force_login(world.a.viewer)  # a signed-in user's session is not read either
    monkeypatch.setattr(
        CursorWrapper,
        "_execute_with_wrappers",
        lambda *a, **k: (_ for _ in ()).throw(OperationalError("connection refused")),
    )
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "Midlertidig utilgjengelig" in response.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/organisations/")
    assert english.status_code == 503 and "Briefly unavailable" in english.content.decode()


def test_the_500_handler_turns_a_database_error_raised_outside_views_into_a_503(rf):
    # Middleware errors reach handler500, which is called inside the except block.
    try:
        raise OperationalError("the server closed the connection")
    except OperationalError:
        api = server_error(rf.get("/api/v1/organisations"))
        page = server_error(rf.get("/"))
    assert api.status_code == 503 and json.loads(api.content)["code"] == "unavailable"
    assert page.status_code == 503 and page["Retry-After"]
    try:
        raise ValueError("a bug")
    except ValueError:
        bug = server_error(rf.get("/api/v1/organisations"))
    assert bug.status_code == 500 and json.loads(bug.content)["code"] == "server_error"


@pytest.mark.django_db
def test_healthz_needs_no_database(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_the_database_down(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["database"]["ok"] is False


@pytest.mark.django_db
def test_readyz_reports_database_migrations_and_worker_age(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] and body["migrations"] == {"ok": True, "pending": []}
    assert body["worker"] == {"ok": False, "last_beat_seconds": None}
    WorkerProcess.objects.create(worker_id="w", beat_at=timezone.now())
    worker = client.get("/readyz").json()["worker"]
    assert worker["ok"] is True and worker["last_beat_seconds"] < 5
