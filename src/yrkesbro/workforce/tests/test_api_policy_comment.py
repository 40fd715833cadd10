"""The incentive policy and the employee's own comment through the API."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from yrkesbro.workforce import services
from yrkesbro.workforce.models import Enrolment, IncentivePolicy
from yrkesbro.workforce.tests.conftest import Wf


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_policy_and_comment(wf: Wf) -> None:
    a = wf.s.world.a
    url = f"/api/v1/organisations/{a.org.pk}/incentive-policy"
    assert _client(a.editor).get(url).json()["paid_leave_days"] == 0  # the page's defaults
    assert _client(a.viewer).get(url).status_code == 404  # nothing published yet
    body = {"paid_leave_days": 10, "costs_covered": "tuition", "decided_by": "Rådmann"}
    assert (
        _client(wf.s.world.outsider).put(url, body, content_type="application/json").status_code
        == 404
    )
    assert _client(a.viewer).put(url, body, content_type="application/json").status_code == 403
    assert (
        _client(a.editor).put(url, {"text": "a\x00"}, content_type="application/json").status_code
        == 422
    )
    saved = _client(a.editor).put(url, body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["costs_covered"] == "tuition"
    assert IncentivePolicy.objects.get(organisation=a.org).paid_leave_days == 10
    assert _client(a.editor).get(url).json()["decided_by"] == "Rådmann"
    assert _client(wf.s.world.outsider).get(url).status_code == 404

    enrolment = services.enrolment_create(
        actor=a.editor,
        organisation=a.org,
        employee=wf.employees[0],  # Vera's own record (the user a.viewer)
        programme=wf.s.dementia,
        enrolled_on=dt.date.today(),
    )
    comment_url = f"/api/v1/enrolments/{enrolment.pk}/comment"
    refused = _client(a.editor).put(
        comment_url, {"comment": "Bra"}, content_type="application/json"
    )
    assert refused.status_code == 403  # only the employee writes it
    mine = _client(a.viewer).put(
        comment_url, {"comment": "Lærte mye"}, content_type="application/json"
    )
    assert mine.status_code == 200 and mine.json()["employee_comment"] == "Lærte mye"
    assert Enrolment.objects.get(pk=enrolment.pk).employee_comment == "Lærte mye"
