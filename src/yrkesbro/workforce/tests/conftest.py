"""A world for workforce: Alfa's need (3 people) has an accepted offer of 3 seats from the
Innlandet fagskole; Alfa has three employees (the first is Alfa's viewer, who has an account)
and Beta one."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from yrkesbro.matching import services as matching
from yrkesbro.matching.models import Request
from yrkesbro.matching.tests.conftest import Setup, setup  # noqa: F401 - the fixture
from yrkesbro.needs.models import Need
from yrkesbro.workforce import services
from yrkesbro.workforce.models import Employee


@dataclass
class Wf:
    s: Setup
    offer: Request
    employees: list[Employee]
    beta_employee: Employee


def accepted_offer(s: Setup, seats: int = 3) -> Request:
    Need.objects.filter(pk=s.need.pk).update(people=3)
    s.need.refresh_from_db()
    req = matching.request_create(
        actor=s.world.a.editor, need=s.need, school=s.school.org, offering=s.near, people=3
    )
    matching.request_offer(
        actor=s.school.editor,
        request=req,
        data={
            "programme": s.dementia,
            "offering": s.near,
            "seats": seats,
            "price_nok": 0,
            "delivery": "blended",
        },
    )
    return matching.request_accept(actor=s.world.a.editor, request=req)


@pytest.fixture
def wf(setup: Setup) -> Wf:  # noqa: F811
    s = setup
    offer = accepted_offer(s)
    a = s.world.a
    people = [
        services.employee_create(
            actor=a.editor,
            organisation=a.org,
            data={"full_name": name, "service_area": "health", "job_group": "fagbrev"},
            user=a.viewer if i == 0 else None,
        )
        for i, name in enumerate(["Vera Viewer", "Per Pleier", "Kari Karlsen"])
    ]
    beta = services.employee_create(
        actor=s.world.b.editor, organisation=s.world.b.org, data={"full_name": "Bente Beta"}
    )
    return Wf(s, offer, people, beta)
