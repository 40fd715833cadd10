"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): workforce development.

At factor 1: 14,000 fictional employees (about 40 per municipality, municipalities chosen
with the same skew as the needs, so Oslo has some two thousand), each enrolled once on a
synthetic programme of the catalogue step over the last three years; about 55 %
completed (most with an outcome), 10 % interrupted, the rest still studying. Last, the
public programme figures (``ProgrammeOutcome``) as the worker keeps them.

Employee n ("Syntetisk ansatt 00042", unit "Syntetisk enhet", ``is_demo``) and its
enrolment and outcome are drawn from one stream, ``scale.rng("employees", n)``, so a seed
gives the same rows at any factor; the step counts the synthetic employees that exist and
adds the rest. Rows are bulk-created, bypassing the services (as in ``core/scale.py``).
"""

from __future__ import annotations

import datetime as dt

from yrkesbro.catalogue.models import Programme
from yrkesbro.catalogue.scale import SCALE_PROGRAMME_PREFIX, SCALE_PROGRAMMES
from yrkesbro.core.scale import BATCH, Scale, Step, indexed_rows, skewed_index
from yrkesbro.needs.models import ServiceArea
from yrkesbro.workforce.models import (
    Employee,
    Enrolment,
    EnrolmentStatus,
    InterruptionReason,
    JobGroup,
    NewTask,
    Outcome,
    ProgrammeOutcome,
)

UNIT = "Syntetisk enhet"
NAME = "Syntetisk ansatt"
EMPLOYEES = 14_000


def _synthetic_employees():  # type: ignore[no-untyped-def]
    return Employee.objects.filter(is_demo=True, unit=UNIT)


def step_employees(scale: Scale) -> int:
    """Employees n = 1 … round(14,000·F), each with one enrolment and maybe an outcome."""
    total = scale.count(EMPLOYEES)
    done = _synthetic_employees().count()
    programmes = dict(
        Programme.objects.filter(code__startswith=SCALE_PROGRAMME_PREFIX).values_list("code", "pk")
    )
    municipalities = scale.municipalities()
    if done >= total or not programmes or not municipalities:
        return 0
    # A programme by its number, within what the catalogue step makes at this factor.
    numbers = min(len(programmes), max(1, scale.count(SCALE_PROGRAMMES)))
    made = 0
    employees: list[Employee] = []
    enrolments: list[Enrolment] = []
    outcomes: list[Outcome | None] = []

    def flush() -> None:
        nonlocal made
        Employee.objects.bulk_create(employees, batch_size=BATCH)
        for enrolment in enrolments:
            enrolment.employee_id = enrolment.employee.pk
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        kept = []
        for enrolment, outcome in zip(enrolments, outcomes, strict=True):
            if outcome is not None:
                outcome.enrolment = enrolment
                kept.append(outcome)
        Outcome.objects.bulk_create(kept, batch_size=BATCH)
        made += len(employees)
        employees.clear()
        enrolments.clear()
        outcomes.clear()

    for i, rng in indexed_rows(scale, "employees", done, total):
        org = municipalities[skewed_index(rng, len(municipalities))]
        code = f"{SCALE_PROGRAMME_PREFIX}{rng.randrange(numbers) + 1:05d}"
        programme = programmes.get(code) or next(iter(programmes.values()))
        employee = Employee(
            organisation=org,
            full_name=f"{NAME} {i:05d}",
            service_area=rng.choice([ServiceArea.HEALTH, ServiceArea.UPBRINGING]),
            unit=UNIT,
            job_group=JobGroup.FAGBREV,
            is_demo=True,
        )
        start = scale.today - dt.timedelta(days=rng.randint(200, 3 * 365))
        fate = rng.random()
        status = (
            EnrolmentStatus.COMPLETED
            if fate < 0.55
            else EnrolmentStatus.INTERRUPTED
            if fate < 0.65
            else EnrolmentStatus.ENROLLED
        )
        ended = (
            min(scale.today, start + dt.timedelta(days=rng.randint(90, 720)))
            if status != EnrolmentStatus.ENROLLED
            else None
        )
        employees.append(employee)
        enrolments.append(
            Enrolment(
                organisation=org,
                employee=employee,
                programme_id=programme,
                status=status,
                enrolled_on=start,
                ended_on=ended,
                interruption_reason=InterruptionReason.WORKLOAD
                if status == EnrolmentStatus.INTERRUPTED
                else "",
                is_demo=True,
            )
        )
        outcome = None
        if status == EnrolmentStatus.COMPLETED and rng.random() <= 0.8:
            tasks = rng.choice([[], [NewTask.NEW_TASKS], [NewTask.RESPONSIBILITY]])
            after = rng.choice(["", JobGroup.FAGBREV_FAGSKOLE])
            outcome = Outcome(
                tasks=tasks,
                job_group_before=JobGroup.FAGBREV,
                job_group_after=after,
                gave_new_tasks=bool(tasks),
                gave_new_job_group=bool(after),
                salary_step_nok=rng.choice([None, 10_000, 25_000]),
            )
        outcomes.append(outcome)
        if len(employees) >= BATCH:
            flush()
    flush()
    return made


def step_programme_outcomes(scale: Scale) -> int:
    """The public figures per programme, as the worker keeps them."""
    from yrkesbro.workforce import tasks

    if not scale.changed and ProgrammeOutcome.objects.exists():
        return 0
    return tasks.refresh_now()


def counts() -> dict[str, int]:
    return {
        "employees": _synthetic_employees().count(),
        "enrolments": Enrolment.objects.filter(is_demo=True, employee__unit=UNIT).count(),
    }


STEPS = [
    Step("employees", step_employees),
    Step("programme_outcomes", step_programme_outcomes),
]
