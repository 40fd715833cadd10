"""What the employer's pages cost does not grow with the data, and they still show the same:
the accepted offers' seats in one grouped query, a searchable picker of members instead of
a list of all of them, the effect figures from grouped queries equal to a count by hand,
the export's rows, and the API's page found through the visible ids."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.accounts.models import User
from yrkesbro.catalogue.models import Programme
from yrkesbro.core.policies import Role
from yrkesbro.matching.models import Request
from yrkesbro.needs.models import ServiceArea
from yrkesbro.testing import MembershipFactory, UserFactory
from yrkesbro.workforce import selectors, services, spreadsheet
from yrkesbro.workforce.models import Employee, Enrolment, EnrolmentStatus
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def _more_accepted_offers(wf: Wf, total: int) -> None:
    """Copies of the accepted offer until Alfa has ``total`` of them."""
    have = Request.objects.filter(need__organisation=wf.s.world.a.org, status="accepted").count()
    for _ in range(total - have):
        copy = Request.objects.get(pk=wf.offer.pk)
        copy.pk = None
        copy.save()


def test_the_employer_page_counts_seats_of_all_offers_in_one_query(wf: Wf) -> None:
    a = wf.s.world.a
    services.enrolment_create(
        actor=a.editor, organisation=a.org, employee=wf.employees[0], request=wf.offer
    )
    interrupted = services.enrolment_create(
        actor=a.editor, organisation=a.org, employee=wf.employees[1], request=wf.offer
    )
    services.enrolment_interrupt(
        actor=a.editor, enrolment=interrupted, ended_on=dt.date.today(), reason="health"
    )
    client = Client()
    client.force_login(a.editor)
    url = f"/workforce/org/{a.org.pk}/"
    _more_accepted_offers(wf, 2)
    small, page = _get(client, url)
    # The interrupted enrolment frees its seat; the copy has none taken.
    assert page.count("<td>1 av 3</td>") == 1 and page.count("<td>0 av 3</td>") == 1
    _more_accepted_offers(wf, 12)
    large, page = _get(client, url)
    assert page.count("<td>1 av 3</td>") == 1 and page.count("<td>0 av 3</td>") == 11
    assert large == small
    assert selectors.seats_taken([]) == {}
    assert selectors.seats_taken([wf.offer.pk]) == {wf.offer.pk: 1}


def enrol_each_in_dementia(wf: Wf) -> None:
    """Every employee of the fixture enrolled in dementia care, a day apart from 1 January."""
    a = wf.s.world.a
    for n, employee in enumerate(wf.employees):
        services.enrolment_create(
            actor=a.editor,
            organisation=a.org,
            employee=employee,
            programme=wf.s.dementia,
            enrolled_on=dt.date(2025, 1, 1 + n),
        )


def test_the_employer_page_lists_a_page_of_enrolments_newest_first(wf: Wf) -> None:
    a = wf.s.world.a
    enrol_each_in_dementia(wf)
    services.enrolment_create(
        actor=wf.s.world.b.editor,
        organisation=wf.s.world.b.org,
        employee=wf.beta_employee,
        programme=wf.s.dementia,
    )
    client = Client()
    client.force_login(a.editor)
    _, page = _get(client, f"/workforce/org/{a.org.pk}/")
    names = re.findall(r'/workforce/enrolments/\d+/">([^<]+)</a>', page)
    assert names == ["Kari Karlsen", "Per Pleier", "Vera Viewer"]  # newest first, Alfa's only
    _, page = _get(client, f"/workforce/org/{a.org.pk}/?status=completed")
    assert "Kari Karlsen" not in page


def test_the_member_picker_shows_a_few_members_whatever_their_number(wf: Wf) -> None:
    a = wf.s.world.a
    client = Client()
    client.force_login(a.editor)
    url = f"/workforce/org/{a.org.pk}/employees/new/"

    def members(total: int) -> list[User]:
        have = User.objects.filter(memberships__organisation=a.org).count()
        for i in range(have, total):
            MembershipFactory(
                user=UserFactory(username=f"member-{i:03d}", full_name=f"Medlem {i:03d}"),
                organisation=a.org,
                role=Role.VIEWER,
            )
        return list(User.objects.filter(memberships__organisation=a.org).order_by("full_name"))

    members(5)
    small, page = _get(client, url)
    assert page.count('name="user"') == 6  # "(none chosen)" and the five members
    last = members(60)[-1]
    large, page = _get(client, url)
    assert large == small
    assert page.count('name="user"') == 21  # "(none chosen)" and the first twenty
    # A member not shown can still be chosen, and searched for.
    _, found = _get(client, f"{url}?picker=user&user_q={last.full_name}")
    assert last.full_name in found
    response = client.post(
        url, {"full_name": "Ny Ansatt", "service_area": "health", "user": str(last.pk)}
    )
    assert response.status_code == 302
    assert Employee.objects.get(full_name="Ny Ansatt").user == last


def _by_hand(rows: list[Enrolment], group: object) -> dict[tuple[int, str], Counter]:
    figures: dict[tuple[int, str], Counter] = {}
    for e in rows:
        key = group(e)  # type: ignore[operator]
        figures.setdefault((e.enrolled_on.year, key), Counter())["enrolled"] += 1
        if e.ended_on is not None:
            c = figures.setdefault((e.ended_on.year, key), Counter())
            c["completed"] += e.status == EnrolmentStatus.COMPLETED
            c["interrupted"] += e.status == EnrolmentStatus.INTERRUPTED
    return figures


def test_the_effect_tables_equal_a_count_by_hand(wf: Wf) -> None:
    a = wf.s.world.a
    own_plan = Programme.objects.create(
        school=wf.s.school.org, title="Egen plan", field="health", credits=30
    )
    areas = [ServiceArea.HEALTH, ServiceArea.choices[1][0]]
    programmes = [wf.s.dementia, wf.s.cancer, own_plan]
    for i in range(12):
        employee = services.employee_create(
            actor=a.editor,
            organisation=a.org,
            data={"full_name": f"Person {i}", "service_area": areas[i % 2]},
        )
        enrolment = services.enrolment_create(
            actor=a.editor,
            organisation=a.org,
            employee=employee,
            programme=programmes[i % 3],
            enrolled_on=dt.date(2023 + i % 2, 3, 1),
        )
        if i % 4 == 1:
            services.enrolment_complete(
                actor=a.editor, enrolment=enrolment, ended_on=dt.date(2025, 6, 1)
            )
        elif i % 4 == 2:
            services.enrolment_interrupt(
                actor=a.editor, enrolment=enrolment, ended_on=dt.date(2024, 6, 1), reason="health"
            )
    rows = list(
        Enrolment.objects.filter(organisation=a.org).select_related(
            "employee", "programme__national_plan"
        )
    )
    labels = dict(ServiceArea.choices)
    effect = selectors.effect(a.editor, a.org)
    for table, group in (
        (effect.by_service_area, lambda e: str(labels[e.employee.service_area])),
        (effect.by_programme, lambda e: e.programme.title),
        (
            effect.by_plan,
            lambda e: e.programme.national_plan.title_nb if e.programme.national_plan else "–",
        ),
    ):
        expected = _by_hand(rows, group)
        assert [(r.year, r.group) for r in table] == sorted(expected)
        for r in table:
            c = expected[(r.year, r.group)]
            assert (r.enrolled, r.completed, r.interrupted) == (
                c["enrolled"],
                c["completed"],
                c["interrupted"],
            )
    assert effect.years == [2023, 2024, 2025]
    assert ("–" in {r.group for r in effect.by_plan}) is True
    client = Client()
    client.force_login(a.editor)
    _, page = _get(client, f"/workforce/org/{a.org.pk}/effect/")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<table" not in title and "Alfa" in title
    assert page.count("<table") == 3  # service area, programme, plan (no table in the title)


def test_the_export_holds_every_enrolment_of_the_employer(wf: Wf) -> None:
    a = wf.s.world.a
    employee = wf.employees[1]
    Employee.objects.filter(pk=employee.pk).update(email="per@example.test", unit="Hjemmetjenesten")
    done = services.enrolment_create(
        actor=a.editor,
        organisation=a.org,
        employee=employee,
        programme=wf.s.dementia,
        enrolled_on=dt.date(2024, 2, 1),
    )
    services.enrolment_interrupt(
        actor=a.editor, enrolment=done, ended_on=dt.date(2024, 3, 1), reason="health"
    )
    services.enrolment_create(
        actor=a.editor,
        organisation=a.org,
        employee=wf.employees[2],
        programme=wf.s.cancer,
        enrolled_on=dt.date(2025, 2, 1),
    )
    rows = spreadsheet.export_rows(spreadsheet.enrolments_for_export(a.editor, a.org))
    assert rows == [
        [
            "Per Pleier",
            "per@example.test",
            "health",
            "Hjemmetjenesten",
            wf.s.dementia.pk,
            "2024-02-01",
            "interrupted",
            "2024-03-01",
            "health",
        ],
        ["Kari Karlsen", "", "health", "", wf.s.cancer.pk, "2025-02-01", "enrolled", "", ""],
    ]
    assert spreadsheet.enrolments_for_export(wf.s.world.b.editor, a.org).count() == 0


def test_the_api_pages_through_what_each_may_see(wf: Wf) -> None:
    a = wf.s.world.a
    enrol_each_in_dementia(wf)
    editor, viewer = Client(), Client()
    editor.force_login(a.editor)
    viewer.force_login(a.viewer)  # Vera Viewer, the first employee: her own row only
    everything = editor.get("/api/v1/enrolments?limit=2").json()
    assert everything["count"] == 3
    assert [i["employee_name"] for i in everything["items"]] == ["Kari Karlsen", "Per Pleier"]
    rest = editor.get("/api/v1/enrolments?limit=2&offset=2").json()
    assert [i["employee_name"] for i in rest["items"]] == ["Vera Viewer"]
    own = viewer.get("/api/v1/enrolments").json()
    assert own["count"] == 1 and own["items"][0]["employee_name"] == "Vera Viewer"
    outsider = Client()
    outsider.force_login(wf.s.world.b.editor)
    assert outsider.get("/api/v1/enrolments").json() == {"count": 0, "items": []}


def test_the_effect_figures_are_kept_until_the_employer_changes_something(wf: Wf) -> None:
    """Computed once per version (the employer's last audit entry, its enrolment count, the
    language): a second view reads them from the cache; an enrolment, a completion or an
    employee's new service area shows on the next view; an outsider gets nothing kept."""
    from django.core.cache import cache

    cache.clear()
    a = wf.s.world.a
    employee = wf.employees[0]
    services.enrolment_create(
        actor=a.editor,
        organisation=a.org,
        employee=employee,
        programme=wf.s.dementia,
        enrolled_on=dt.date(2024, 3, 1),
    )
    first = selectors.effect(a.editor, a.org)
    assert first.totals.enrolled == 1
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.effect(a.editor, a.org).totals.enrolled == 1
    assert not any("GROUP BY" in q["sql"] for q in ctx.captured_queries)  # from the cache
    enrolment = services.enrolment_create(
        actor=a.editor,
        organisation=a.org,
        employee=wf.employees[1],
        programme=wf.s.cancer,
        enrolled_on=dt.date(2025, 3, 1),
    )
    assert selectors.effect(a.editor, a.org).totals.enrolled == 2
    services.enrolment_complete(actor=a.editor, enrolment=enrolment, ended_on=dt.date(2025, 9, 1))
    assert selectors.effect(a.editor, a.org).totals.completed == 1
    services.employee_update(
        actor=a.editor, employee=employee, data={"service_area": ServiceArea.choices[1][0]}
    )
    groups = {r.group for r in selectors.effect(a.editor, a.org).by_service_area}
    assert str(ServiceArea.choices[1][1]) in groups
    outsider = wf.s.world.b.editor
    assert selectors.effect(outsider, a.org).totals.enrolled == 0
