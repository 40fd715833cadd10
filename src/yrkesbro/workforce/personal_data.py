"""Personal data in workforce development: employees, their enrolments, outcomes and
comments, and deletion requests. Enrolments and outcomes stay after a deletion (with the
employee's name removed) so that the employer's and the public figures do not change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import ERASED_TEXT, declare


def _erase_employee(user: Any) -> int:
    from yrkesbro.core.models import AuditEntry
    from yrkesbro.workforce.models import Employee, Enrolment, Outcome

    ids = list(Employee.objects.filter(user=user).values_list("pk", flat=True))
    Enrolment.objects.filter(employee_id__in=ids).update(employee_comment="")
    enrolment_ids = list(Enrolment.objects.filter(employee_id__in=ids).values_list("pk", flat=True))
    outcome_ids = list(
        Outcome.objects.filter(enrolment_id__in=enrolment_ids).values_list("pk", flat=True)
    )
    # Audit entries stay (what was done, when, by whom) but no longer name the person.
    for object_type, pks in (
        ("workforce.employee", ids),
        ("workforce.enrolment", enrolment_ids),
        ("workforce.outcome", outcome_ids),
    ):
        AuditEntry.objects.filter(
            object_type=object_type, object_id__in=[str(i) for i in pks]
        ).update(object_repr="")
    AuditEntry.objects.filter(
        object_type="workforce.employee", object_id__in=[str(i) for i in ids]
    ).update(before=None, after=None)
    return Employee.objects.filter(pk__in=ids).update(
        full_name=ERASED_TEXT, email="", user=None, unit=""
    )


declare(
    "workforce.Employee",
    fields=["full_name", "email", "user"],
    purpose=_("Plan and follow up the competence development of the organisation's staff"),
    retention=(
        _(
            "While employed and 5 years after the last enrolment ended; anonymised on a "
            "deletion request (counts stay)"
        )
    ),
    subject=_("employee"),
    person="user",
    eraser=_erase_employee,
)
declare(
    "workforce.Enrolment",
    fields=["employee_comment", "over_seats_reason"],
    purpose=_("Which employee studies what, and how it ended"),
    retention=_("5 years after it ended, then the employee's comment is removed"),
    subject=_("employee"),
    person="employee__user",
    retention_days=5 * 365,
    retention_field="ended_on",
    retention_action="anonymise",
)
declare(
    "workforce.Outcome",
    fields=["tasks_text", "new_title", "salary_step_nok"],
    purpose=_("What followed a completion, shown anonymously as the effect of education"),
    retention=_("5 years after recording, then the title, text and salary are removed"),
    subject=_("employee"),
    person="enrolment__employee__user",
    retention_days=5 * 365,
    retention_field="recorded_at",
    retention_action="anonymise",
)
declare(
    "workforce.DeletionRequest",
    fields=["user"],
    purpose=_("A person's request to delete their data, and when it was carried out"),
    retention=_("Deleted one year after it was carried out"),
    person="user",
    erase="keep",
    retention_days=365,
    retention_field="handled_at",
)
