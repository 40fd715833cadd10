"""Demo data for workforce development, loaded by `yrkesbro demo` (idempotent, marked demo).

Gjøvik has twenty employees (Ola Hansen, the demo-ansatt user, among them) across three
programmes of Fagskolen Innlandet over two years: completions with outcomes, one
interruption, some still studying, and a published incentive policy.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.catalogue.models import Programme
from yrkesbro.needs.models import ServiceArea
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.workforce import services, tasks
from yrkesbro.workforce.models import (
    CostsCovered,
    Employee,
    Enrolment,
    IncentivePolicy,
    InterruptionReason,
    JobGroup,
    NewTask,
)

NAMES = [
    "Ola Hansen",  # the demo-ansatt user
    "Mona Bakken",
    "Lars Haugen",
    "Siri Moen",
    "Nils Solberg",
    "Hilde Eide",
    "Trond Lunde",
    "Anne Strand",
    "Geir Nilsen",
    "Marit Dahl",
    "Espen Berg",
    "Tone Holm",
    "Arne Vik",
    "Liv Sæther",
    "Bjørn Lie",
    "Randi Aas",
    "Kjell Foss",
    "Eva Ruud",
    "Pål Hagen",
    "Inger Lund",
]
# programme code, employees (index into NAMES), how many completed, index of the interruption
PLAN = [
    ("FINN-HAAO", range(0, 8), 6, 7),
    ("FINN-KREFT", range(8, 15), 5, None),
    ("FINN-PSYKRUS", range(15, 20), 2, None),
]


def load() -> None:
    actor = User.objects.filter(username="demo-kommune").first()
    gjovik = Organisation.objects.filter(kind=Kind.MUNICIPALITY, number="3407").first()
    if actor is None or gjovik is None:
        return
    if not IncentivePolicy.objects.filter(organisation=gjovik).exists():
        services.policy_save(
            actor=actor,
            organisation=gjovik,
            data={
                "paid_leave_days": 10,
                "costs_covered": CostsCovered.ALL,
                "study_material": True,
                "binding_months": 12,
                "decided_by": "Kommunalsjef helse og omsorg, etter søknad til nærmeste leder",
                "text": "Demodata: Ansatte som tar fagskole beholder lønn på samlingsdager.",
                "is_published": True,
            },
        )
        IncentivePolicy.objects.filter(organisation=gjovik).update(is_demo=True)
    if Employee.objects.filter(organisation=gjovik, is_demo=True).exists():
        return
    today = timezone.localdate()
    start = today - dt.timedelta(days=2 * 365)
    ansatt = User.objects.filter(username="demo-ansatt").first()
    employees = []
    for i, name in enumerate(NAMES):
        employee = services.employee_create(
            actor=actor,
            organisation=gjovik,
            data={
                "full_name": name,
                "email": f"demo-ansatt-{i}@yrkesbro.invalid",
                "service_area": ServiceArea.HEALTH if i % 4 else ServiceArea.UPBRINGING,
                "unit": "Hjemmetjenesten" if i % 2 else "Sykehjemmet",
                "job_group": JobGroup.FAGBREV,
            },
            user=ansatt if i == 0 else None,
        )
        employees.append(employee)
    Employee.objects.filter(pk__in=[e.pk for e in employees]).update(is_demo=True)
    for n, (code, members, completed, interrupted) in enumerate(PLAN):
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            continue
        for k, i in enumerate(members):
            enrolled_on = start + dt.timedelta(days=30 * n + 7 * k)
            enrolment = services.enrolment_create(
                actor=actor,
                organisation=gjovik,
                employee=employees[i],
                programme=programme,
                enrolled_on=enrolled_on,
            )
            if k < completed:
                services.enrolment_complete(
                    actor=actor,
                    enrolment=enrolment,
                    ended_on=enrolled_on + dt.timedelta(days=365 + 30 * (k % 3)),
                )
                services.outcome_record(
                    actor=actor,
                    enrolment=enrolment,
                    data={
                        "tasks": [NewTask.RESPONSIBILITY, NewTask.RESOURCE_PERSON][: 1 + k % 2]
                        if k % 3 != 2
                        else [],
                        "tasks_text": "Demodata: ressurssperson for kollegaer i enheten."
                        if k % 3 == 0
                        else "",
                        "new_title": "Fagansvarlig" if k % 4 == 0 else "",
                        "job_group_before": JobGroup.FAGBREV,
                        "job_group_after": JobGroup.FAGBREV_FAGSKOLE if k % 2 == 0 else "",
                        "salary_step_nok": 25_000 if k % 2 == 0 else None,
                    },
                )
            elif interrupted is not None and i == interrupted:
                services.enrolment_interrupt(
                    actor=actor,
                    enrolment=enrolment,
                    ended_on=enrolled_on + dt.timedelta(days=120),
                    reason=InterruptionReason.WORKLOAD,
                )
    Enrolment.objects.filter(organisation=gjovik).update(is_demo=True)
    tasks.refresh_now()
