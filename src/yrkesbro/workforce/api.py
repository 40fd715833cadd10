"""API for workforce development: employees, enrolments and outcomes (the employer's editors,
and each employee for their own rows), and the public "what it led to" per programme.

Enrolments, employees and outcomes are read through ``visible_to``: a school, county or
outsider gets 404 for every one of them.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from yrkesbro.catalogue.models import Programme
from yrkesbro.core.api import PUBLIC, SIGNED_IN, Mapped, actor
from yrkesbro.core.api_types import Day, Line, Text
from yrkesbro.core.errors import NotFound
from yrkesbro.core.inputs import ApiId
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.matching.models import Request
from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce import selectors, services
from yrkesbro.workforce.models import (
    CostsCovered,
    Employee,
    Enrolment,
    IncentivePolicy,
    ProgrammeOutcome,
)

router = Router(tags=["workforce"])


class OutcomeFigures(Schema):
    completions: int | None = Field(description="null under the threshold of 5 completions")
    completion_rate: float | None = Field(description="completed / (completed + interrupted)")
    share_new_tasks: float | None
    share_new_job_group: float | None


@router.get("/programmes/{programme_id}/outcomes", response=OutcomeFigures, auth=PUBLIC)
def programme_outcomes(request: HttpRequest, programme_id: ApiId) -> dict:
    """What the programme led to across employers (precomputed by the worker); every figure
    is null unless at least five completions lie behind it."""
    programme = get_object_or_404(Programme.objects.all(), pk=programme_id)
    row = ProgrammeOutcome.objects.filter(programme=programme).first()
    if row is None:
        return dict.fromkeys(OutcomeFigures.model_fields)
    return row.figures()


class EmployeeIn(Schema):
    organisation_id: ApiId
    full_name: Line = Field(max_length=200)
    email: Line = Field("", max_length=254)
    service_area: Line = Field("health", max_length=40)
    unit: Line = Field("", max_length=200)
    job_group: Line = Field("", max_length=40)


class EmployeeOut(Schema):
    id: int
    organisation_id: int
    full_name: str
    email: str
    service_area: str
    unit: str
    job_group: str


@router.get("/employees", response=list[EmployeeOut], auth=SIGNED_IN)
@paginate
def employees(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The employer's employees (editors), or your own employee records."""
    return Employee.objects.visible_to(actor(request)).order_by("full_name", "id")


@router.post("/employees", response={201: EmployeeOut}, auth=SIGNED_IN)
def create_employee(request: HttpRequest, payload: EmployeeIn):  # type: ignore[no-untyped-def]
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    made = services.employee_create(
        actor=actor(request), organisation=org, data=payload.dict(exclude={"organisation_id"})
    )
    return Status(201, made)


class OutcomeIn(Schema):
    tasks: list[Line] = Field(default_factory=list, max_length=50)
    tasks_text: Text = Field("", max_length=4000)
    new_title: Line = Field("", max_length=200)
    job_group_before: Line = Field("", max_length=40)
    job_group_after: Line = Field("", max_length=40)
    salary_step_nok: int | None = Field(None, ge=-(2**31), le=2**31)


class OutcomeOut(Schema):
    tasks: list[str]
    tasks_text: str
    new_title: str
    job_group_before: str
    job_group_after: str
    salary_step_nok: int | None


class EnrolmentIn(Schema):
    organisation_id: ApiId
    employee_id: ApiId
    programme_id: ApiId | None = None
    request_id: ApiId | None = Field(None, description="an accepted offer (matching request)")
    enrolled_on: Day | None = None
    over_seats_reason: Line = Field("", max_length=300)


class EnrolmentOut(Schema):
    id: int
    organisation_id: int
    employee_id: int
    employee_name: str
    programme_id: int
    offering_id: int | None
    request_id: int | None
    status: str
    enrolled_on: dt.date
    ended_on: dt.date | None
    interruption_reason: str
    employee_comment: str
    outcome: OutcomeOut | None


class EndIn(Schema):
    ended_on: Day
    reason: Line = Field("", max_length=40)


def _out(e: Enrolment) -> dict:
    outcome = getattr(e, "outcome", None)
    return {
        "id": e.pk,
        "organisation_id": e.organisation_id,
        "employee_id": e.employee_id,
        "employee_name": e.employee.full_name,
        "programme_id": e.programme_id,
        "offering_id": e.offering_id,
        "request_id": e.request_id,
        "status": e.status,
        "enrolled_on": e.enrolled_on,
        "ended_on": e.ended_on,
        "interruption_reason": e.interruption_reason,
        "employee_comment": e.employee_comment,
        "outcome": outcome,
    }


def _get(request: HttpRequest, enrolment_id: int) -> Enrolment:
    found = (
        Enrolment.objects.visible_to(actor(request))
        .select_related("employee", "outcome", "organisation")
        .filter(pk=enrolment_id)
        .first()
    )
    if found is None:
        raise NotFound("Not found.")
    return found


class _PageByIds:
    """The rows of a page found in two steps within one query: the page's ids among the
    visible rows (sorted on the enrolment's own columns, read from indexes), then those rows
    with their employee and outcome. Joining first would join every visible row before the
    sort cuts out the page."""

    ORDER = ("-enrolled_on", "-id")

    def __init__(self, visible: QuerySet) -> None:
        self.visible = visible.order_by(*self.ORDER)

    def count(self) -> int:
        return int(self.visible.count())

    def __getitem__(self, index: slice) -> list[Enrolment]:
        ids = self.visible.values("pk")[index]
        return list(
            Enrolment.objects.filter(pk__in=ids)
            .select_related("employee", "outcome")
            .order_by(*self.ORDER)
        )


@router.get("/enrolments", response=list[EnrolmentOut], auth=SIGNED_IN)
@paginate
def enrolments(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Enrolments you may see: your employer's (editors) or your own."""
    return Mapped(_PageByIds(Enrolment.objects.visible_to(actor(request))), _out)


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, auth=SIGNED_IN)
def enrolment(request: HttpRequest, enrolment_id: ApiId) -> dict:
    return _out(_get(request, enrolment_id))


@router.post("/enrolments", response={201: EnrolmentOut}, auth=SIGNED_IN)
def create_enrolment(request: HttpRequest, payload: EnrolmentIn):  # type: ignore[no-untyped-def]
    user = actor(request)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    employee = get_object_or_404(Employee.objects.visible_to(user), pk=payload.employee_id)
    programme = (
        get_object_or_404(Programme, pk=payload.programme_id) if payload.programme_id else None
    )
    offer = (
        get_object_or_404(Request.objects.visible_to(user), pk=payload.request_id)
        if payload.request_id
        else None
    )
    made = services.enrolment_create(
        actor=user,
        organisation=org,
        employee=employee,
        programme=programme,
        request=offer,
        enrolled_on=payload.enrolled_on,
        over_seats_reason=payload.over_seats_reason,
    )
    return Status(201, _out(_get(request, made.pk)))


@router.post("/enrolments/{enrolment_id}/complete", response=EnrolmentOut, auth=SIGNED_IN)
def complete(request: HttpRequest, enrolment_id: ApiId, payload: EndIn) -> dict:
    found = _get(request, enrolment_id)
    services.enrolment_complete(actor=actor(request), enrolment=found, ended_on=payload.ended_on)
    return _out(_get(request, enrolment_id))


@router.post("/enrolments/{enrolment_id}/interrupt", response=EnrolmentOut, auth=SIGNED_IN)
def interrupt(request: HttpRequest, enrolment_id: ApiId, payload: EndIn) -> dict:
    found = _get(request, enrolment_id)
    services.enrolment_interrupt(
        actor=actor(request), enrolment=found, ended_on=payload.ended_on, reason=payload.reason
    )
    return _out(_get(request, enrolment_id))


@router.put("/enrolments/{enrolment_id}/outcome", response=OutcomeOut, auth=SIGNED_IN)
def record_outcome(request: HttpRequest, enrolment_id: ApiId, payload: OutcomeIn):  # type: ignore[no-untyped-def]
    found = _get(request, enrolment_id)
    return services.outcome_record(actor=actor(request), enrolment=found, data=payload.dict())


class CommentIn(Schema):
    comment: Text = Field(max_length=4000)


@router.put("/enrolments/{enrolment_id}/comment", response=EnrolmentOut, auth=SIGNED_IN)
def comment_enrolment(request: HttpRequest, enrolment_id: ApiId, payload: CommentIn) -> dict:
    """The employee's own comment on their record (only the employee may write it)."""
    found = _get(request, enrolment_id)
    services.enrolment_comment(actor=actor(request), enrolment=found, comment=payload.comment)
    return _out(_get(request, enrolment_id))


class IncentivePolicyOut(Schema):
    organisation_id: int
    paid_leave_days: int
    costs_covered: CostsCovered
    study_material: bool
    binding_months: int
    decided_by: str
    text: str
    is_published: bool


class IncentivePolicyIn(Schema):
    paid_leave_days: int = Field(0, ge=0, le=365)
    costs_covered: CostsCovered = CostsCovered.NONE
    study_material: bool = False
    binding_months: int = Field(0, ge=0, le=60)
    decided_by: Line = Field("", max_length=200)
    text: Text = Field("", max_length=4000)
    is_published: bool = False


@router.get("/organisations/{org_id}/incentive-policy", response=IncentivePolicyOut, auth=SIGNED_IN)
def incentive_policy(request: HttpRequest, org_id: ApiId):  # type: ignore[no-untyped-def]
    """The employer's incentive policy: for its editors (the defaults until one is saved,
    as on the page), and for its staff once published."""
    found = selectors.policy_for(actor(request), org_id)
    if found is None:
        org = get_object_or_404(Organisation, pk=org_id)
        if not has_capability(actor(request), Capability.EDIT_CONTENT, org):
            raise NotFound("Not found.")
        found = IncentivePolicy(organisation=org)
    return found


@router.put("/organisations/{org_id}/incentive-policy", response=IncentivePolicyOut, auth=SIGNED_IN)
def save_incentive_policy(request: HttpRequest, org_id: ApiId, payload: IncentivePolicyIn):  # type: ignore[no-untyped-def]
    org = get_object_or_404(Organisation, pk=org_id)
    if not has_capability(actor(request), Capability.VIEW_INTERNAL, org):
        raise NotFound("Not found.")  # outsiders learn nothing; members without the right: 403
    return services.policy_save(actor=actor(request), organisation=org, data=payload.dict())
