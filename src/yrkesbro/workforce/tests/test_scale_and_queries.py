"""The employer's pages and the API answer in a number of queries that does not grow with
the data. (The national-scale seed of this app is tested with every other capability's in
core/tests/test_scale_capabilities.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce import scale
from yrkesbro.workforce.models import Employee, Enrolment, EnrolmentStatus, Outcome
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db


def _enrol(org: Organisation, programme_id: int, total: int) -> None:
    """``total`` synthetic employees of ``org`` in all, each enrolled; half completed."""
    start = Employee.objects.filter(unit=scale.UNIT).count()
    employees = Employee.objects.bulk_create(
        Employee(organisation=org, full_name=f"Syntetisk ansatt {i:05d}", unit=scale.UNIT)
        for i in range(start, total)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            organisation=org,
            employee=e,
            programme_id=programme_id,
            status=EnrolmentStatus.COMPLETED if n % 2 else EnrolmentStatus.ENROLLED,
            enrolled_on=dt.date(2024, 1, 1),
            ended_on=dt.date(2025, 1, 1) if n % 2 else None,
        )
        for n, e in enumerate(employees)
    )
    Outcome.objects.bulk_create(
        Outcome(enrolment=e, tasks=["new_tasks"], gave_new_tasks=True)
        for e in enrolments
        if e.status == EnrolmentStatus.COMPLETED
    )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_enrolments(wf: Wf) -> None:
    a = wf.s.world.a
    client = Client()
    client.force_login(a.editor)
    urls = [
        f"/workforce/org/{a.org.pk}/",
        f"/workforce/org/{a.org.pk}/effect/",
        "/api/v1/enrolments",
        f"/workforce/org/{a.org.pk}/enrolments.csv",
        f"/api/v1/programmes/{wf.s.dementia.pk}/outcomes",
        wf.offer.get_absolute_url(),
    ]
    _enrol(a.org, wf.s.dementia.pk, 4)
    small = [_queries(client, u) for u in urls]
    _enrol(a.org, wf.s.dementia.pk, 40)
    assert Enrolment.objects.filter(organisation=a.org).count() >= 40
    large = [_queries(client, u) for u in urls]
    assert large == small, list(zip(urls, small, large, strict=True))
