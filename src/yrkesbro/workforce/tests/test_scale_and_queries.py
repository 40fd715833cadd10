"""The national-scale seed runs twice without adding rows, and the employer's pages and
the API answer in a number of queries that does not grow with the data."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.workforce import scale
from yrkesbro.workforce.models import Employee, Enrolment, ProgrammeOutcome
from yrkesbro.workforce.tests.conftest import Wf

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_fills_the_figures(wf: Wf) -> None:
    steps: list[tuple[str, int]] = []
    scale.seed(factor=0.1, rng=random.Random(1), progress=lambda s, n: steps.append((s, n)))
    employees = Employee.objects.filter(unit=scale.UNIT).count()
    municipalities = Organisation.objects.filter(kind=Kind.MUNICIPALITY).count()
    assert employees == 4 * municipalities  # four each at factor 0.1
    assert Enrolment.objects.filter(employee__unit=scale.UNIT).count() == employees
    assert ProgrammeOutcome.objects.exists()
    scale.seed(factor=0.1, rng=random.Random(1), progress=lambda s, n: steps.append((s, n)))
    assert Employee.objects.filter(unit=scale.UNIT).count() == employees


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
    scale.seed(factor=0.1, rng=random.Random(2), progress=lambda s, n: None)
    small = [_queries(client, u) for u in urls]
    Employee.objects.filter(unit=scale.UNIT).delete()
    scale.seed(factor=1.0, rng=random.Random(2), progress=lambda s, n: None)
    assert Enrolment.objects.filter(organisation=a.org).count() >= 40
    large = [_queries(client, u) for u in urls]
    assert large == small, list(zip(urls, small, large, strict=True))
