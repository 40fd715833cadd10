"""Writes for workforce development. Every function checks the actor, runs in one
transaction, validates with a translated message (nothing changed on refusal) and
writes an audit entry; the public figures are refreshed by the worker after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.inputs import check_date, check_single_line, check_text
from yrkesbro.core.policies import Actor, Capability, has_capability
from yrkesbro.needs.models import ServiceArea
from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce import selectors
from yrkesbro.workforce.models import (
    MAX_SALARY_STEP,
    CostsCovered,
    Employee,
    Enrolment,
    EnrolmentStatus,
    IncentivePolicy,
    InterruptionReason,
    JobGroup,
    NewTask,
    Outcome,
)

MAX_TEXT = 4000
EMPLOYEE_FIELDS = ("full_name", "email", "service_area", "unit", "job_group")


def _require_editor(actor: Actor, organisation: Organisation | int) -> None:
    if not has_capability(actor, Capability.EDIT_CONTENT, organisation):
        raise NotAllowed(_("Only the employer's editors and administrators can do this."))


def _line(value: Any, field: str, *, required: bool = False, limit: int = 200) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DomainError(_("The text is too long."), field=field)
    return check_single_line(text, field=field)


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("The text is too long."), field=field)
    return check_text(text, field=field)


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("Give a date."), field=field)
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(_("Give the date as YYYY-MM-DD."), field=field) from None
    return check_date(value, field=field)


def _choice(value: Any, choices: Any, field: str, *, blank: bool = True) -> str:
    text = str(value or "")
    if (blank and text == "") or text in choices.values:
        return text
    raise DomainError(_("Choose a value from the list."), field=field)


# Employees -----------------------------------------------------------------------------


def _apply_employee(employee: Employee, data: dict[str, Any]) -> None:
    from django.core.validators import validate_email

    if "full_name" in data or employee.pk is None:
        employee.full_name = _line(data.get("full_name"), "full_name", required=True)
    if "email" in data:
        email = _line(data.get("email"), "email", limit=254)
        if email:
            try:
                validate_email(email)
            except Exception:
                raise DomainError(_("Enter a valid e-mail address."), field="email") from None
        employee.email = email
    if "service_area" in data:
        employee.service_area = _choice(
            data.get("service_area") or ServiceArea.HEALTH, ServiceArea, "service_area"
        )
    if "unit" in data:
        employee.unit = _line(data.get("unit"), "unit")
    if "job_group" in data:
        employee.job_group = _choice(data.get("job_group"), JobGroup, "job_group")


@transaction.atomic
def employee_create(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any], user: Any = None
) -> Employee:
    _require_editor(actor, organisation)
    employee = Employee(organisation=organisation)
    _apply_employee(employee, data)
    if user is not None:
        from yrkesbro.accounts.models import Membership

        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            raise DomainError(
                _("The user account is not a member of this organisation."), field="user"
            )
        employee.user = user
    employee.save()
    audit.record(
        actor=actor,
        action="workforce.employee_create",
        obj=employee,
        organisation=organisation,
        after=audit.snapshot(employee, ["id", "service_area", "unit", "job_group"]),
    )
    return employee


@transaction.atomic
def employee_update(*, actor: Actor, employee: Employee, data: dict[str, Any]) -> Employee:
    _require_editor(actor, employee.organisation_id)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _apply_employee(employee, data)
    employee.save()
    audit.record(
        actor=actor,
        action="workforce.employee_update",
        obj=employee,
        organisation=employee.organisation,
    )
    return employee


# Enrolments ----------------------------------------------------------------------------


def seats_taken(request: Any) -> int:
    """Enrolments that hold a seat of an accepted offer (the rule: ``selectors.seats_taken``)."""
    return selectors.seats_taken([request.pk]).get(request.pk, 0)


def _follow_need(actor: Actor, request: Any) -> None:
    """The need behind an accepted offer is partly met while fewer people than it asked
    for are enrolled, and met when enough are (interrupted enrolments do not count)."""
    from yrkesbro.matching.models import RequestStatus
    from yrkesbro.needs.models import Status
    from yrkesbro.needs.services import need_set_status

    if request is None:
        return
    need = request.need
    taken = (
        Enrolment.objects.filter(request__need=need, request__status=RequestStatus.ACCEPTED)
        .exclude(status=EnrolmentStatus.INTERRUPTED)
        .count()
    )
    if need.status not in (Status.PUBLISHED, Status.BEING_MET, Status.MET):
        return
    target = Status.MET if taken >= need.people else Status.BEING_MET if taken else None
    if target is None or target == need.status:
        return
    if target == Status.BEING_MET or need.status != Status.MET:
        need_set_status(
            actor=actor,
            need=need,
            status=target,
            note=str(
                _("%(n)s of %(people)s people enrolled") % {"n": taken, "people": need.people}
            ),
        )


@transaction.atomic
def enrolment_create(
    *,
    actor: Actor,
    organisation: Organisation,
    employee: Employee,
    programme: Programme | None = None,
    offering: Offering | None = None,
    request: Any = None,
    enrolled_on: Any = None,
    over_seats_reason: str = "",
) -> Enrolment:
    """Enrol an employee on a programme, from an accepted offer or directly.

    Beyond the offer's agreed seats the employer must give a reason (a warning that
    can be overridden, since a school may find room)."""
    from yrkesbro.matching.models import RequestStatus

    _require_editor(actor, organisation)
    if employee.organisation_id != organisation.pk:
        raise DomainError(_("The employee works for another organisation."), field="employee")
    reason = _line(over_seats_reason, "over_seats_reason", limit=300)
    if request is not None:
        from yrkesbro.matching.models import Request

        request = Request.objects.select_for_update().select_related("need").get(pk=request.pk)
        if request.need.organisation_id != organisation.pk:
            raise DomainError(_("The offer was made to another organisation."), field="request")
        if request.status != RequestStatus.ACCEPTED:
            raise DomainError(_("Only an accepted offer has seats to enrol on."), field="request")
        programme = request.offer_programme
        offering = request.offer_offering or offering
        agreed = request.offer_seats or 0
        if seats_taken(request) >= agreed and not reason:
            raise DomainError(
                _(
                    "All %(seats)s agreed seats are taken. Give a reason to enrol beyond them "
                    "(for example that the school has found room)."
                )
                % {"seats": agreed},
                field="over_seats_reason",
                code="over_seats",
            )
    if offering is not None:
        if programme is None:
            programme = offering.programme
        elif offering.programme_id != programme.pk:
            raise DomainError(_("The offering is not a run of that programme."), field="offering")
    if programme is None:
        raise DomainError(_("Choose a programme."), field="programme")
    enrolled = cast(dt.date, _date(enrolled_on or timezone.localdate(), "enrolled_on"))
    if Enrolment.objects.filter(
        employee=employee, programme=programme, status=EnrolmentStatus.ENROLLED
    ).exists():
        raise DomainError(
            _("The employee is already enrolled on this programme."),
            field="employee",
            code="duplicate",
        )
    enrolment = Enrolment.objects.create(
        organisation=organisation,
        employee=employee,
        programme=programme,
        offering=offering,
        request=request,
        enrolled_on=enrolled,
        over_seats_reason=reason,
    )
    _follow_need(actor, request)
    _audit(actor, "workforce.enrolment_create", enrolment, None)
    return enrolment


def _audit(actor: Actor, action: str, enrolment: Enrolment, before: Any) -> None:
    # No names in the audit snapshot: the employee is referred to by id only.
    fields = [
        "id",
        "employee",
        "programme",
        "offering",
        "request",
        "status",
        "enrolled_on",
        "ended_on",
        "interruption_reason",
    ]
    audit.record(
        actor=actor,
        action=action,
        obj=enrolment,
        organisation=enrolment.organisation,
        before=before,
        after=audit.snapshot(enrolment, fields),
    )
    from yrkesbro.workforce.tasks import enqueue_refresh

    enqueue_refresh()


def _locked(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _end(actor: Actor, enrolment: Enrolment, status: str, ended_on: Any, reason: str) -> Enrolment:
    _require_editor(actor, enrolment.organisation_id)
    enrolment = _locked(enrolment)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(
            _("The enrolment has already ended (%(status)s).")
            % {"status": enrolment.get_status_display().lower()},
            code="wrong_status",
        )
    ended = _date(ended_on, "ended_on")
    assert ended is not None
    if ended < enrolment.enrolled_on:
        raise DomainError(
            _("The end date cannot be before the enrolment date (%(date)s).")
            % {"date": enrolment.enrolled_on.isoformat()},
            field="ended_on",
        )
    if ended > timezone.localdate():
        raise DomainError(_("The end date cannot be in the future."), field="ended_on")
    before = audit.snapshot(enrolment, ["status", "ended_on", "interruption_reason"])
    enrolment.status, enrolment.ended_on = status, ended
    enrolment.interruption_reason = reason
    enrolment.save()
    if enrolment.request_id:
        _follow_need(actor, enrolment.request)
    _audit(actor, f"workforce.enrolment_{status}", enrolment, before)
    return enrolment


@transaction.atomic
def enrolment_complete(*, actor: Actor, enrolment: Enrolment, ended_on: Any) -> Enrolment:
    return _end(actor, enrolment, EnrolmentStatus.COMPLETED, ended_on, "")


@transaction.atomic
def enrolment_interrupt(
    *, actor: Actor, enrolment: Enrolment, ended_on: Any, reason: Any
) -> Enrolment:
    code = _choice(reason, InterruptionReason, "interruption_reason", blank=False)
    return _end(actor, enrolment, EnrolmentStatus.INTERRUPTED, ended_on, code)


@transaction.atomic
def enrolment_comment(*, actor: Actor, enrolment: Enrolment, comment: Any) -> Enrolment:
    """The employee comments on their own record (nobody else may)."""
    if not (actor and actor.is_authenticated and enrolment.employee.user_id == actor.pk):
        raise NotAllowed(_("Only the employee can comment on their own record."))
    enrolment = _locked(enrolment)
    enrolment.employee_comment = _text(comment, "employee_comment")
    enrolment.save(update_fields=["employee_comment", "updated_at"])
    audit.record(
        actor=actor,
        action="workforce.enrolment_comment",
        obj=enrolment,
        organisation=enrolment.organisation,
    )
    return enrolment


# Outcomes -----------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any]) -> Outcome:
    """Record what followed a completion; every part is optional."""
    _require_editor(actor, enrolment.organisation_id)
    enrolment = _locked(enrolment)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise DomainError(
            _("Outcomes are recorded for completed enrolments only."), code="not_completed"
        )
    tasks = data.get("tasks") or []
    if isinstance(tasks, str):
        tasks = [t for t in tasks.replace(";", ",").split(",") if t.strip()]
    tasks = [str(t).strip() for t in tasks]
    if any(t not in NewTask.values for t in tasks):
        raise DomainError(_("Choose new tasks from the list."), field="tasks")
    salary_raw = data.get("salary_step_nok")
    salary: int | None = None
    if salary_raw not in (None, ""):
        try:
            salary = int(str(salary_raw).replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise DomainError(
                _("Enter the amount as a whole number of kroner."), field="salary_step_nok"
            ) from None
        if salary < 0 or salary > MAX_SALARY_STEP:
            raise DomainError(
                _("The salary increase must be between 0 and %(max)s kroner a year.")
                % {"max": f"{MAX_SALARY_STEP:,}".replace(",", " ")},
                field="salary_step_nok",
            )
    outcome, _created = Outcome.objects.get_or_create(enrolment=enrolment)
    before = audit.snapshot(outcome)
    outcome.tasks = sorted(set(tasks), key=NewTask.values.index)
    outcome.tasks_text = _text(data.get("tasks_text"), "tasks_text")
    outcome.new_title = _line(data.get("new_title"), "new_title")
    outcome.job_group_before = _choice(
        data.get("job_group_before", enrolment.employee.job_group), JobGroup, "job_group_before"
    )
    outcome.job_group_after = _choice(data.get("job_group_after"), JobGroup, "job_group_after")
    outcome.salary_step_nok = salary
    outcome.save()
    if outcome.job_group_after:
        Employee.objects.filter(pk=enrolment.employee_id).update(job_group=outcome.job_group_after)
    audit.record(
        actor=actor,
        action="workforce.outcome_record",
        obj=outcome,
        organisation=enrolment.organisation,
        before=before,
        after=audit.snapshot(outcome),
    )
    from yrkesbro.workforce.tasks import enqueue_refresh

    enqueue_refresh()
    return outcome


# Incentive policy ----------------------------------------------------------------------------


def _small_int(value: Any, field: str, maximum: int) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=field) from None
    if not 0 <= number <= maximum:
        raise DomainError(
            _("Enter a number from %(min)s to %(max)s.") % {"min": 0, "max": maximum}, field=field
        )
    return number


@transaction.atomic
def policy_save(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> IncentivePolicy:
    _require_editor(actor, organisation)
    policy, _created = IncentivePolicy.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = audit.snapshot(policy)
    policy.paid_leave_days = _small_int(data.get("paid_leave_days"), "paid_leave_days", 365)
    policy.costs_covered = _choice(
        data.get("costs_covered") or CostsCovered.NONE, CostsCovered, "costs_covered"
    )
    policy.study_material = bool(data.get("study_material"))
    policy.binding_months = _small_int(data.get("binding_months"), "binding_months", 60)
    policy.decided_by = _line(data.get("decided_by"), "decided_by")
    policy.text = _text(data.get("text"), "text")
    policy.is_published = bool(data.get("is_published"))
    policy.save()
    audit.record(
        actor=actor,
        action="workforce.policy_save",
        obj=policy,
        organisation=organisation,
        before=before,
        after=audit.snapshot(policy),
    )
    return policy


def employee_for(actor: Actor, organisation: Organisation) -> Employee | None:
    """The actor's own employee record at ``organisation``, if any."""
    if not (actor and actor.is_authenticated):
        return None
    return Employee.objects.filter(Q(user=actor), organisation=organisation).first()
