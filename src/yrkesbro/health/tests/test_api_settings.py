"""Closing a round and the pulse settings through the API: the page's services and rules."""

from __future__ import annotations

from django.test import Client

from yrkesbro.health.models import PulseSettings, Round
from yrkesbro.health.tests.conftest import Pulse


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_close_round_and_settings(pulse: Pulse) -> None:
    w, p = pulse.world, pulse.partnership
    round_ = pulse.start()
    assert _client(w.a.editor).post(f"/api/v1/health/rounds/{round_.pk}/close").status_code == 403
    assert _client(w.outsider).post(f"/api/v1/health/rounds/{round_.pk}/close").status_code == 404
    response = _client(w.b.admin).post(f"/api/v1/health/rounds/{round_.pk}/close")
    assert response.status_code == 200, response.content
    assert Round.objects.get(pk=round_.pk).closed_at is not None
    url = f"/api/v1/health/partnerships/{p.pk}/settings"
    assert _client(w.a.viewer).get(url).json() == {
        "partnership_id": p.pk, "cadence_months": 6, "open_days": 21,
    }  # fmt: skip
    body = {"cadence_months": 12, "open_days": 30}
    assert _client(w.a.editor).put(url, body, content_type="application/json").status_code == 403
    assert _client(w.outsider).put(url, body, content_type="application/json").status_code == 404
    bad = _client(w.a.admin).put(
        url, {"cadence_months": 0, "open_days": 30}, content_type="application/json"
    )
    assert bad.status_code == 422
    saved = _client(w.a.admin).put(url, body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["cadence_months"] == 12
    assert PulseSettings.objects.get(partnership=p).open_days == 30
