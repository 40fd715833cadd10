"""The enrol page shows a searchable picker: at most 20 employees and programmes besides the
chosen ones, whatever the size of the organisation; any permitted employee can be enrolled."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesbro.core.pickers import LIMIT
from yrkesbro.workforce.models import Employee, Enrolment
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db


def _staff(wf: Wf, total: int) -> None:
    org = wf.s.world.a.org
    have = Employee.objects.filter(organisation=org).count()
    Employee.objects.bulk_create(
        Employee(organisation=org, full_name=f"Ansatt {i:03d}", unit="Sone nord")
        for i in range(have, total)
    )


def _client(wf: Wf) -> Client:
    client = Client()
    client.force_login(wf.s.world.a.editor)
    return client


def _url(wf: Wf) -> str:
    return f"/workforce/org/{wf.s.world.a.org.pk}/enrol/"


def _employee_boxes(html: str) -> list[str]:
    return re.findall(r'type="checkbox" name="employees" value="(\d+)"', html)


def test_the_page_shows_at_most_n_employees_and_enrols_one_not_shown(wf: Wf) -> None:
    _staff(wf, 60)
    client = _client(wf)
    html = client.get(_url(wf)).content.decode()
    assert len(_employee_boxes(html)) == LIMIT
    assert f"Viser {LIMIT} av 60. Skriv for å finne flere." in html
    last = Employee.objects.get(organisation=wf.s.world.a.org, full_name="Ansatt 059")
    assert str(last.pk) not in _employee_boxes(html)
    # a permitted employee who was not shown may still be enrolled
    response = client.post(
        _url(wf),
        {
            "employees": [str(last.pk)],
            "programme": str(wf.s.dementia.pk),
            "enrolled_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrolment.objects.filter(employee=last, programme=wf.s.dementia).exists()


def test_an_employee_of_another_organisation_is_refused_with_a_message(wf: Wf) -> None:
    response = _client(wf).post(
        _url(wf),
        {"employees": [str(wf.beta_employee.pk)], "enrolled_on": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    assert not Enrolment.objects.filter(employee=wf.beta_employee).exists()


def test_search_with_htmx_answers_only_the_options_and_keeps_the_chosen(wf: Wf) -> None:
    _staff(wf, 60)
    chosen = wf.employees[1]  # Per Pleier
    response = _client(wf).get(
        _url(wf),
        {"picker": "employees", "employees_q": "ansatt 05", "employees": [str(chosen.pk)]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    names = re.findall(r'for="id_employees_[cs]\d+">([^<]+)<', html)
    found = ["Ansatt 005"] + [f"Ansatt {i:03d}" for i in range(50, 60)]
    assert names == ["Per Pleier", *found]
    assert re.search(rf'value="{chosen.pk}"[^>]* checked', html)
    # programmes are searched by title, code and school name
    response = _client(wf).get(
        _url(wf),
        {"picker": "programme", "programme_q": wf.s.dementia.school.name[:8]},
        headers={"HX-Request": "true"},
    )
    assert f'value="{wf.s.dementia.pk}"' in response.content.decode()


def test_the_search_button_without_javascript_keeps_the_chosen_and_saves_nothing(wf: Wf) -> None:
    _staff(wf, 60)
    chosen = wf.employees[2]
    response = _client(wf).post(
        _url(wf),
        {
            "picker": "employees",
            "employees_q": "Ansatt 059",
            "employees": [str(chosen.pk)],
            "enrolled_on": "2025-02-03",
            "over_seats_reason": "Kurs i februar",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "ds-error-summary" not in html
    assert not Enrolment.objects.exists()
    assert re.search(rf'value="{chosen.pk}"[^>]* checked', html)
    assert len(_employee_boxes(html)) == 2  # the chosen one and the one found
    assert 'value="2025-02-03"' in html and 'value="Kurs i februar"' in html
    assert 'value="Ansatt 059"' in html


def test_queries_of_the_enrol_page_do_not_grow_with_the_employees(wf: Wf) -> None:
    client = _client(wf)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(wf)).status_code == 200
        return len(ctx.captured_queries)

    _staff(wf, 10)
    few = queries()
    _staff(wf, 60)
    assert queries() == few
