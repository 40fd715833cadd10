"""National-scale synthetic workforce data (wired into ``yrkesbro seed-scale`` by the lead).

For every municipality: round(40·factor) fictional employees ("Syntetisk ansatt 000123",
``is_demo``), each enrolled once on a programme from the catalogue over the last three
years; about 55 % completed (most with an outcome), 10 % interrupted, the rest still
studying. Rows are written with ``bulk_create`` (bypassing the services, as in
``core/scale.py``); running twice adds nothing; the public figures are recomputed at the
end. Needs the organisations and the catalogue of the existing seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from yrkesbro.catalogue.models import Programme
from yrkesbro.needs.models import ServiceArea
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.workforce import tasks
from yrkesbro.workforce.models import (
    Employee,
    Enrolment,
    EnrolmentStatus,
    InterruptionReason,
    JobGroup,
    NewTask,
    Outcome,
)

UNIT = "Syntetisk enhet"
PER_MUNICIPALITY = 40


def seed(*, factor: float, rng: random.Random, progress: Callable[[str, int], None]) -> None:
    programmes = list(Programme.objects.values_list("pk", flat=True)[:2000])
    if not programmes:
        progress("workforce: no programmes, nothing seeded", 0)
        return
    per_org = max(1, round(PER_MUNICIPALITY * factor))
    today = timezone.localdate()
    done = set(
        Employee.objects.filter(unit=UNIT).values_list("organisation_id", flat=True).distinct()
    )
    made = 0
    municipalities = Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("pk")
    for org in municipalities.iterator():
        if org.pk in done:
            continue
        with transaction.atomic():
            employees = Employee.objects.bulk_create(
                Employee(
                    organisation=org,
                    full_name=f"Syntetisk ansatt {org.pk:04d}{i:03d}",
                    service_area=rng.choice([ServiceArea.HEALTH, ServiceArea.UPBRINGING]),
                    unit=UNIT,
                    job_group=JobGroup.FAGBREV,
                    is_demo=True,
                )
                for i in range(per_org)
            )
            enrolments = []
            for employee in employees:
                start = today - dt.timedelta(days=rng.randint(200, 3 * 365))
                fate = rng.random()
                status = (
                    EnrolmentStatus.COMPLETED
                    if fate < 0.55
                    else EnrolmentStatus.INTERRUPTED
                    if fate < 0.65
                    else EnrolmentStatus.ENROLLED
                )
                ended = (
                    min(today, start + dt.timedelta(days=rng.randint(90, 720)))
                    if status != EnrolmentStatus.ENROLLED
                    else None
                )
                enrolments.append(
                    Enrolment(
                        organisation=org,
                        employee=employee,
                        programme_id=rng.choice(programmes),
                        status=status,
                        enrolled_on=start,
                        ended_on=ended,
                        interruption_reason=InterruptionReason.WORKLOAD
                        if status == EnrolmentStatus.INTERRUPTED
                        else "",
                        is_demo=True,
                    )
                )
            Enrolment.objects.bulk_create(enrolments)
            outcomes = []
            for enrolment in enrolments:
                if enrolment.status != EnrolmentStatus.COMPLETED or rng.random() > 0.8:
                    continue
                tasks_ = rng.choice([[], [NewTask.NEW_TASKS], [NewTask.RESPONSIBILITY]])
                after = rng.choice(["", JobGroup.FAGBREV_FAGSKOLE])
                outcomes.append(
                    Outcome(
                        enrolment=enrolment,
                        tasks=tasks_,
                        job_group_before=JobGroup.FAGBREV,
                        job_group_after=after,
                        gave_new_tasks=bool(tasks_),
                        gave_new_job_group=bool(after),
                        salary_step_nok=rng.choice([None, 10_000, 25_000]),
                    )
                )
            Outcome.objects.bulk_create(outcomes)
        made += len(employees)
    progress("workforce employees and enrolments", made)
    progress("workforce programme figures", tasks.refresh_now())
