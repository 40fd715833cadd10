"""A client that retries POST /api/v1/requests with the same Idempotency-Key gets the first answer."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from yrkesbro.core.models import IdempotencyRecord
from yrkesbro.matching import api as matching_api
from yrkesbro.matching.models import Request

from .conftest import Setup
from .test_pages_and_api import client_for


def body(s: Setup) -> dict[str, int]:
    return {"need_id": s.need.pk, "school_id": s.school.org.pk, "offering_id": s.near.pk}


def post(client, data, key="retry-1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/requests", data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.mark.django_db(transaction=True)
def test_a_retry_returns_the_first_answer_and_creates_nothing_new(setup: Setup) -> None:
    muni = client_for(setup.world.a.editor)
    first = post(muni, body(setup))
    assert first.status_code == 201, first.content
    again = post(muni, body(setup))
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Request.objects.count() == 1
    # Without the key the same request is a new attempt, refused as a duplicate.
    plain = muni.post("/api/v1/requests", body(setup), content_type="application/json")
    assert plain.status_code == 400
    # The same key for a different request is an error, not a silent replay.
    other = post(muni, {**body(setup), "offering_id": setup.online.pk})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db(transaction=True)
def test_keys_are_scoped_to_the_caller(setup: Setup) -> None:
    first = post(client_for(setup.world.a.editor), body(setup))
    assert first.status_code == 201
    admin = post(client_for(setup.world.a.admin), body(setup))
    assert "Idempotent-Replayed" not in admin  # a different caller is not given a's answer
    assert admin.status_code == 400  # it ran, and found the open request
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_write_rolls_it_back_so_the_retry_succeeds(
    setup: Setup, monkeypatch
) -> None:
    muni = client_for(setup.world.a.editor)
    real = matching_api._request

    def lost_connection(request, request_id):  # type: ignore[no-untyped-def]
        raise OperationalError("the database went away after the write")

    monkeypatch.setattr(matching_api, "_request", lost_connection)
    failed = post(muni, body(setup))
    assert failed.status_code == 503 and failed["Retry-After"]
    assert failed.json()["code"] == "unavailable"
    assert Request.objects.count() == 0  # the write went with the failed answer
    monkeypatch.setattr(matching_api, "_request", real)
    retry = post(muni, body(setup))
    assert retry.status_code == 201 and Request.objects.count() == 1


@pytest.mark.django_db
def test_a_malformed_key_is_refused(setup: Setup) -> None:
    muni = client_for(setup.world.a.editor)
    response = post(muni, body(setup), key="x" * 201)
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"
    assert Request.objects.count() == 0
