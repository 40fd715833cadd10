"""Who may do what with workforce data: every role in the employer (Alfa), in another
municipality (Beta), at the school, an outsider, anonymous and a platform administrator.
Writes go through the services, reads through the web pages and the API; a refusal
changes nothing, and whoever may not read gets 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from yrkesbro.core.errors import DomainError
from yrkesbro.workforce import services
from yrkesbro.workforce.models import Enrolment, IncentivePolicy, Outcome
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ACTORS = [
    "a.admin",
    "a.editor",
    "a.viewer",  # also the employee behind employees[0]
    "b.admin",
    "b.editor",
    "school.admin",
    "outsider",
    "anonymous",
    "platform",
]
EDITORS = {"a.admin", "a.editor", "platform"}
# action -> who may do it to Alfa's workforce data
RULES: dict[str, set[str]] = {
    "enrol": EDITORS,
    "complete": EDITORS,
    "outcome": EDITORS,
    "policy": EDITORS,
    "comment": {"a.viewer"},
    "read_own_record": EDITORS | {"a.viewer"},
    "read_other_record": EDITORS,
}


def who(wf: Wf, name: str) -> Any:
    w = wf.s.world
    if name == "outsider":
        return w.outsider
    if name == "anonymous":
        return AnonymousUser()
    if name == "platform":
        return w.platform_admin
    side, role = name.split(".")
    if side == "school":
        return wf.s.school.member(role)
    return getattr(w, side).member(role)


def _started(wf: Wf) -> Enrolment:
    return services.enrolment_create(
        actor=wf.s.world.a.editor,
        organisation=wf.s.world.a.org,
        employee=wf.employees[0],
        programme=wf.s.dementia,
        enrolled_on=TODAY - dt.timedelta(days=30),
    )


def _state() -> Any:
    return (
        list(Enrolment.objects.values()),
        list(Outcome.objects.values()),
        list(IncentivePolicy.objects.values()),
    )


def _do(wf: Wf, action: str, actor: Any) -> None:
    a = wf.s.world.a
    if action == "enrol":
        services.enrolment_create(
            actor=actor, organisation=a.org, employee=wf.employees[1], programme=wf.s.dementia
        )
    elif action == "complete":
        services.enrolment_complete(actor=actor, enrolment=_started(wf), ended_on=TODAY)
    elif action == "outcome":
        enrolment = _started(wf)
        services.enrolment_complete(actor=a.editor, enrolment=enrolment, ended_on=TODAY)
        services.outcome_record(actor=actor, enrolment=enrolment, data={"new_title": "Leder"})
    elif action == "policy":
        services.policy_save(actor=actor, organisation=a.org, data={"paid_leave_days": 5})
    elif action == "comment":
        services.enrolment_comment(actor=actor, enrolment=_started(wf), comment="Bra")


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("action", ["enrol", "complete", "outcome", "policy", "comment"])
def test_writes(wf: Wf, action: str, actor_name: str) -> None:
    actor = who(wf, actor_name)
    allowed = actor_name in RULES[action]
    if allowed:
        _do(wf, action, actor)
        return
    # The setup steps run as the editor; only the step under test is refused.
    with pytest.raises(DomainError):
        from django.db import transaction

        with transaction.atomic():
            sid = transaction.savepoint()
            try:
                _do(wf, action, actor)
            finally:
                transaction.savepoint_rollback(sid)
    # Nothing by the refused actor stayed: no outcome, no policy, no comment.
    assert not Outcome.objects.exclude(new_title="").exists()
    assert not IncentivePolicy.objects.exists()
    assert not Enrolment.objects.exclude(employee_comment="").exists()


@pytest.mark.parametrize("actor_name", ACTORS)
def test_reads_over_http_and_api(wf: Wf, actor_name: str) -> None:
    own = _started(wf)
    other = services.enrolment_create(
        actor=wf.s.world.a.editor,
        organisation=wf.s.world.a.org,
        employee=wf.employees[1],
        programme=wf.s.dementia,
    )
    actor = who(wf, actor_name)
    client = Client()
    if actor.is_authenticated:
        client.force_login(actor)
    for enrolment, rule in ((own, "read_own_record"), (other, "read_other_record")):
        allowed = actor_name in RULES[rule]
        page = client.get(f"/workforce/enrolments/{enrolment.pk}/")
        api = client.get(f"/api/v1/enrolments/{enrolment.pk}")
        if allowed:
            assert page.status_code == 200 and enrolment.employee.full_name in page.content.decode()
            assert api.status_code == 200 and api.json()["employee_name"]
        else:
            assert page.status_code in (302, 404), (actor_name, page.status_code)
            assert api.status_code in (401, 404)
            assert enrolment.employee.full_name not in page.content.decode()
    listing = client.get("/api/v1/enrolments")
    names = {i["employee_name"] for i in listing.json().get("items", [])}
    if actor_name in EDITORS:
        assert names == {"Vera Viewer", "Per Pleier"}
    elif actor_name == "a.viewer":
        assert names == {"Vera Viewer"}
    else:
        assert names == set()
    org_page = client.get(f"/workforce/org/{wf.s.world.a.org.pk}/")
    effect = client.get(f"/workforce/org/{wf.s.world.a.org.pk}/effect/")
    export = client.get(f"/workforce/org/{wf.s.world.a.org.pk}/enrolments.csv")
    for response in (org_page, effect, export):
        if actor_name in EDITORS:
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 404)
            assert b"Per Pleier" not in response.content


def test_school_sees_seat_counts_not_names(wf: Wf) -> None:
    from yrkesbro.workforce import selectors

    services.enrolment_create(
        actor=wf.s.world.a.editor,
        organisation=wf.s.world.a.org,
        employee=wf.employees[0],
        request=wf.offer,
    )
    rows = selectors.seats_by_municipality(wf.s.school.viewer, wf.s.school.org)
    assert rows == [
        {"organisation__name": "Alfa", "programme__title": wf.s.dementia.title, "seats": 1}
    ]
    assert selectors.seats_by_municipality(wf.s.world.outsider, wf.s.school.org) == []
    client = Client()
    client.force_login(wf.s.school.editor)
    page = client.get(wf.offer.get_absolute_url()).content.decode()
    assert "Tatt: 1" in page and "Vera Viewer" not in page
    index = client.get("/workforce/").content.decode()
    assert "Plasser tatt ved Innlandet fagskole" in index and "<td>Alfa</td>" in index
    assert "Vera Viewer" not in index


@pytest.mark.parametrize(
    "path",
    [
        "/workforce/enrolments/99999999999999999999/",
        "/workforce/enrolments/0/",
        "/workforce/org/99999999999999999999/",
        "/workforce/org/1/enrolments.exe",
        "/workforce/deletions/99999999999999999999/carry-out/",
        "/api/v1/enrolments/99999999999999999999",
        "/api/v1/programmes/99999999999999999999/outcomes",
        "/api/v1/programmes/0/outcomes",
    ],
)
def test_hostile_ids_never_500(wf: Wf, path: str) -> None:
    client = Client()
    client.force_login(wf.s.world.a.admin)
    response = client.post(path) if "carry-out" in path else client.get(path)
    assert response.status_code in (404, 405, 422)


def test_hostile_form_input_is_refused_with_a_message(wf: Wf) -> None:
    client = Client()
    client.force_login(wf.s.world.a.editor)
    org = wf.s.world.a.org.pk
    response = client.post(
        f"/workforce/org/{org}/employees/new/",
        {"full_name": "Ola\x00Nordmann", "service_area": "health"},
    )
    assert response.status_code == 200 and "ds-validation-message" in response.content.decode()
    response = client.post(
        f"/workforce/org/{org}/enrol/",
        {"employees": [wf.beta_employee.pk], "enrolled_on": "2026-01-01"},
    )
    assert "ds-validation-message" in response.content.decode()
    enrolment = _started(wf)
    response = client.post(
        f"/workforce/enrolments/{enrolment.pk}/complete/", {"ended_on": "1800-01-01"}
    )
    assert response.status_code == 400
    response = client.post(
        f"/workforce/enrolments/{enrolment.pk}/outcome/", {"salary_step_nok": "-5"}
    )
    assert response.status_code == 400
    response = client.post(
        f"/workforce/org/{org}/policy/", {"paid_leave_days": "99999999999999999999999"}
    )
    assert response.status_code == 400
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    assert not Outcome.objects.exists() and not IncentivePolicy.objects.exists()
