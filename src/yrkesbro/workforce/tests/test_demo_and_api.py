"""The demo (Gjøvik: twenty employees, three programmes, two years) and the API's writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from yrkesbro.core.demo import load_demo
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.workforce.models import (
    Employee,
    Enrolment,
    IncentivePolicy,
    Outcome,
    ProgrammeOutcome,
)
from yrkesbro.workforce.tests.conftest import Wf

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_demo_gjovik_twenty_employees_three_programmes_two_years() -> None:
    load_demo()
    gjovik = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="3407")
    employees = Employee.objects.filter(organisation=gjovik)
    assert employees.count() == 20 and not employees.filter(is_demo=False).exists()
    assert employees.get(user__username="demo-ansatt").full_name == "Ola Hansen"
    enrolments = Enrolment.objects.filter(organisation=gjovik, is_demo=True)
    assert enrolments.values("programme").distinct().count() == 3
    # Two years: the first enrolment started about two years ago, some are still running.
    assert min(e.enrolled_on for e in enrolments) <= TODAY - dt.timedelta(days=700)
    assert enrolments.filter(ended_on__isnull=True).exists()
    by_status = dict(enrolments.values_list("status").annotate(n=Count("id")))
    assert by_status["interrupted"] == 1 and by_status["completed"] >= 10
    assert Outcome.objects.filter(enrolment__in=enrolments).count() == by_status["completed"]
    policy = IncentivePolicy.objects.get(organisation=gjovik)
    assert policy.is_published and policy.is_demo
    assert ProgrammeOutcome.objects.filter(completions__gte=5).count() == 2
    load_demo()  # idempotent
    assert Employee.objects.filter(organisation=gjovik).count() == 20


@pytest.mark.django_db
def test_api_enrol_complete_and_outcome(wf: Wf) -> None:
    a = wf.s.world.a
    client = Client()
    client.force_login(a.editor)
    made = client.post(
        "/api/v1/enrolments",
        {"organisation_id": a.org.pk, "employee_id": wf.employees[0].pk, "request_id": wf.offer.pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["programme_id"] == wf.s.dementia.pk and body["status"] == "enrolled"
    eid = body["id"]
    early = client.post(
        f"/api/v1/enrolments/{eid}/complete",
        {"ended_on": "1999-01-01"},
        content_type="application/json",
    )
    assert early.status_code == 400 and early.json()["field"] == "ended_on"
    done = client.post(
        f"/api/v1/enrolments/{eid}/complete",
        {"ended_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert done.json()["status"] == "completed"
    absurd = client.put(
        f"/api/v1/enrolments/{eid}/outcome",
        {"salary_step_nok": 99_000_000},
        content_type="application/json",
    )
    assert absurd.status_code == 400 and absurd.json()["field"] == "salary_step_nok"
    outcome = client.put(
        f"/api/v1/enrolments/{eid}/outcome",
        {"tasks": ["guidance"], "job_group_after": "fagbrev_fagskole", "salary_step_nok": 20000},
        content_type="application/json",
    )
    assert outcome.status_code == 200 and outcome.json()["tasks"] == ["guidance"]
    other = client.post(
        "/api/v1/enrolments",
        {"organisation_id": a.org.pk, "employee_id": wf.beta_employee.pk},
        content_type="application/json",
    )
    assert other.status_code == 404  # another employer's employee is not visible
    huge = client.post(
        "/api/v1/enrolments",
        {"organisation_id": 2**70, "employee_id": 1},
        content_type="application/json",
    )
    assert huge.status_code == 422
    school = Client()
    school.force_login(wf.s.school.admin)
    assert school.get(f"/api/v1/enrolments/{eid}").status_code == 404
    assert school.get("/api/v1/employees").json()["count"] == 0
    refused = school.put(
        f"/api/v1/enrolments/{eid}/outcome", {"new_title": "x"}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert Outcome.objects.get().new_title == ""


@pytest.mark.django_db
def test_record_of_processing_is_public_and_my_page_needs_a_sign_in() -> None:
    client = Client()
    page = client.get("/workforce/personal-data/")
    assert page.status_code == 200
    html = page.content.decode()
    # In the reader's words: the record's and fields' names and the purpose in bokmål,
    # never the model's code name.
    assert "Ansatt" in html and "e-postadresse" in html
    assert "Planlegge og følge opp kompetanseutviklingen" in html
    assert "workforce.Employee" not in html and "pupil_name" not in html
    for path in ("/workforce/me/", "/workforce/me/export.json", "/workforce/deletions/"):
        assert client.get(path).status_code == 302
    assert client.post("/workforce/me/delete/").status_code == 302


@pytest.mark.django_db
def test_an_employee_is_linked_to_their_account_only_within_the_organisation(wf: Wf) -> None:
    a = wf.s.world.a
    client = Client()
    client.force_login(a.editor)
    url = f"/workforce/org/{a.org.pk}/employees/new/"
    outsider = client.post(
        url, {"full_name": "Ekstern", "service_area": "health", "user": wf.s.world.b.viewer.pk}
    )
    assert outsider.status_code == 200 and not Employee.objects.filter(full_name="Ekstern").exists()
    response = client.post(
        url, {"full_name": "Ny Ansatt", "service_area": "health", "user": a.admin.pk}
    )
    assert response.status_code == 302
    assert Employee.objects.get(full_name="Ny Ansatt").user == a.admin
