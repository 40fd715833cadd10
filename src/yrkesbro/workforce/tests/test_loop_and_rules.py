"""Closing the loop from an accepted offer, and the rules on enrolments and outcomes:
every refusal has a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from yrkesbro.collaboration.models import Partnership
from yrkesbro.collaboration.selectors import timeline
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.needs.models import Status
from yrkesbro.workforce import services
from yrkesbro.workforce.models import Enrolment, EnrolmentStatus, Outcome
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def enrol(wf: Wf, i: int, **kw):  # type: ignore[no-untyped-def]
    return services.enrolment_create(
        actor=wf.s.world.a.editor,
        organisation=wf.s.world.a.org,
        employee=wf.employees[i],
        request=wf.offer,
        enrolled_on=TODAY - dt.timedelta(days=100),
        **kw,
    )


def test_enrolling_on_an_accepted_offer_moves_the_need_to_partly_met_then_met(wf: Wf) -> None:
    need = wf.s.need
    first = enrol(wf, 0)
    assert first.programme == wf.s.dementia and first.offering == wf.s.near
    need.refresh_from_db()
    assert need.status == Status.BEING_MET
    enrol(wf, 1)
    enrol(wf, 2)
    need.refresh_from_db()
    assert need.status == Status.MET
    assert need.history.last().note.startswith("3 of 3")
    # An interruption frees the seat and the need is partly met again.
    services.enrolment_interrupt(
        actor=wf.s.world.a.editor, enrolment=first, ended_on=TODAY, reason="health"
    )
    need.refresh_from_db()
    assert need.status == Status.BEING_MET


def test_beyond_the_agreed_seats_needs_a_reason(wf: Wf) -> None:
    for i in range(3):
        enrol(wf, i)
    extra = services.employee_create(
        actor=wf.s.world.a.editor, organisation=wf.s.world.a.org, data={"full_name": "Fjerde"}
    )
    kwargs = {
        "actor": wf.s.world.a.editor,
        "organisation": wf.s.world.a.org,
        "employee": extra,
        "request": wf.offer,
    }
    with pytest.raises(DomainError) as exc:
        services.enrolment_create(**kwargs)
    assert exc.value.code == "over_seats" and "3" in str(exc.value)
    assert Enrolment.objects.count() == 3
    made = services.enrolment_create(**kwargs, over_seats_reason="Skolen fant en plass til")
    assert made.over_seats_reason == "Skolen fant en plass til"


def test_the_request_shows_in_the_timeline_once_a_partnership_is_started(wf: Wf) -> None:
    client = Client()
    client.force_login(wf.s.world.a.editor)
    page = client.get(wf.offer.get_absolute_url())
    assert "Start et partnerskap" in page.content.decode()
    response = client.post(f"/workforce/requests/{wf.offer.pk}/partnership/")
    partnership = Partnership.objects.get()
    assert response.status_code == 302 and response.url == partnership.get_absolute_url()
    kinds = [(item.kind, item.text) for item in timeline(partnership)]
    assert len([k for k in kinds if k[0] == "Forespørsel" or "Request" in str(k[0])]) == 3
    assert any(text.endswith(("(accepted)", "(akseptert)", "(godtatt)")) for _, text in kinds)
    page = client.get(wf.offer.get_absolute_url())
    assert partnership.name in page.content.decode()


def test_need_page_links_to_its_matches_and_shows_enrolled(wf: Wf) -> None:
    enrol(wf, 0)
    client = Client()
    client.force_login(wf.s.world.a.editor)
    html = client.get(f"/needs/{wf.s.need.pk}/").content.decode()
    assert f'href="/matching/needs/{wf.s.need.pk}/"' in html
    assert "1 av 3 personer påmeldt" in html


def _refused(call, *, field: str | None = None, code: str | None = None) -> DomainError:  # type: ignore[no-untyped-def]
    before = (
        list(Enrolment.objects.values()),
        list(Outcome.objects.values()),
    )
    with pytest.raises(DomainError) as exc:
        call()
    assert str(exc.value.message)
    if field:
        assert exc.value.field == field
    if code:
        assert exc.value.code == code
    assert (list(Enrolment.objects.values()), list(Outcome.objects.values())) == before
    return exc.value


def test_bad_input_is_refused_and_changes_nothing(wf: Wf) -> None:
    a = wf.s.world.a
    enrolment = enrol(wf, 0)
    complete = services.enrolment_complete
    _refused(
        lambda: complete(
            actor=a.editor, enrolment=enrolment, ended_on=TODAY - dt.timedelta(days=200)
        ),
        field="ended_on",
    )
    _refused(
        lambda: complete(actor=a.editor, enrolment=enrolment, ended_on="31.12.2025"),
        field="ended_on",
    )
    _refused(
        lambda: complete(actor=a.editor, enrolment=enrolment, ended_on="9999-01-01"),
        field="ended_on",
    )
    _refused(
        lambda: services.outcome_record(actor=a.editor, enrolment=enrolment, data={}),
        code="not_completed",
    )
    _refused(
        lambda: services.enrolment_create(
            actor=a.editor, organisation=a.org, employee=wf.beta_employee, programme=wf.s.dementia
        ),
        field="employee",
    )
    _refused(
        lambda: services.enrolment_interrupt(
            actor=a.editor, enrolment=enrolment, ended_on=TODAY, reason="bored"
        ),
        field="interruption_reason",
    )
    complete(actor=a.editor, enrolment=enrolment, ended_on=TODAY)
    _refused(
        lambda: complete(actor=a.editor, enrolment=enrolment, ended_on=TODAY), code="wrong_status"
    )
    for salary in (-1, 10_000_000, "lots"):
        _refused(
            lambda salary=salary: services.outcome_record(
                actor=a.editor, enrolment=enrolment, data={"salary_step_nok": salary}
            ),
            field="salary_step_nok",
        )
    _refused(
        lambda: services.outcome_record(
            actor=a.editor, enrolment=enrolment, data={"new_title": "Leder\x00"}
        ),
        field="new_title",
    )
    _refused(
        lambda: services.outcome_record(
            actor=a.editor, enrolment=enrolment, data={"tasks": ["world_domination"]}
        ),
        field="tasks",
    )
    outcome = services.outcome_record(
        actor=a.editor,
        enrolment=enrolment,
        data={"tasks": ["new_tasks"], "job_group_after": "fagbrev_fagskole", "salary_step_nok": 0},
    )
    assert outcome.gave_new_tasks and outcome.gave_new_job_group and outcome.salary_step_nok == 0
    with pytest.raises(DomainError):
        services.employee_create(
            actor=a.editor, organisation=a.org, data={"full_name": "Navn\nMed linjeskift"}
        )


def test_only_the_employee_comments_on_their_own_record(wf: Wf) -> None:
    enrolment = enrol(wf, 0)
    with pytest.raises(NotAllowed):
        services.enrolment_comment(actor=wf.s.world.a.editor, enrolment=enrolment, comment="x")
    services.enrolment_comment(actor=wf.s.world.a.viewer, enrolment=enrolment, comment="Nyttig!")
    enrolment.refresh_from_db()
    assert enrolment.employee_comment == "Nyttig!"
    assert enrolment.status == EnrolmentStatus.ENROLLED
