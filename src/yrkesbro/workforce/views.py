"""Pages for workforce development: an employer's enrolments, employees, import and export,
effect and incentive policy; an employee's own records; personal data (export, deletion)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yrkesbro.catalogue.models import Programme
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.organisations.models import Organisation
from yrkesbro.workforce import charts, selectors, services, spreadsheet
from yrkesbro.workforce.forms import (
    CommentForm,
    EmployeeForm,
    EndForm,
    EnrolForm,
    ImportForm,
    OutcomeForm,
    PolicyForm,
)
from yrkesbro.workforce.models import (
    Employee,
    Enrolment,
    EnrolmentStatus,
    IncentivePolicy,
)

PAGE_SIZE = 25
SCHOOLS = ("fagskole", "upper_secondary_school")


def _id(value: int) -> int:
    """A path id that the database can hold, or 404 (never an overflow)."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def _employer(request: HttpRequest, org_id: int) -> Organisation:
    """The organisation, if the actor may manage its enrolments; 404 otherwise."""
    org = Organisation.objects.filter(pk=_id(org_id)).first()
    if org is None or not has_capability(request.user, Capability.EDIT_CONTENT, org):
        raise Http404
    return org


def _enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related(
            "employee", "organisation", "programme", "programme__school", "offering", "request"
        ),
        pk=_id(enrolment_id),
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    schools = [
        (school, selectors.seats_by_municipality(request.user, school))
        for school in selectors.school_orgs(request.user)[:5]
    ]
    orgs = [o for o in selectors.employer_orgs(request.user)[:50] if o.kind not in SCHOOLS]
    if len(orgs) == 1 and not schools and not selectors.my_enrolments(request.user).exists():
        return redirect("workforce:org", orgs[0].pk)
    return render(request, "workforce/index.html", {"orgs": orgs, "schools": schools})


@login_required
def org_page(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _employer(request, org_id)
    status = request.GET.get("status", "")
    if status not in EnrolmentStatus.values:
        status = ""
    enrolments = selectors.enrolments(request.user, org, status)
    return render(
        request,
        "workforce/org.html",
        {
            "org": org,
            "page": Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page")),
            "accepted": selectors.accepted_offers(org),
            "status": status,
            "statuses": EnrolmentStatus.choices,
            "employee_count": Employee.objects.editable_by(request.user)
            .filter(organisation=org)
            .count(),
            "can_manage": has_capability(request.user, Capability.MANAGE_MEMBERS, org),
        },
    )


def _programmes() -> Any:
    return Programme.objects.select_related("school").order_by("title")


@login_required
def enrol(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _employer(request, org_id)
    request_id = parse_id(request.POST.get("request") or request.GET.get("request") or "")
    offer = (
        Request.objects.filter(pk=request_id, need__organisation=org, status=RequestStatus.ACCEPTED)
        .select_related("offer_programme", "offer_offering", "school", "need")
        .first()
        if request_id
        else None
    )
    employees = Employee.objects.editable_by(request.user).filter(organisation=org)
    form = EnrolForm(
        request.POST or None,
        employees=employees,
        programmes=_programmes(),
        initial={"enrolled_on": timezone.localdate(), "request": offer.pk if offer else None},
    )
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            for employee in data["employees"]:
                services.enrolment_create(
                    actor=request.user,
                    organisation=org,
                    employee=employee,
                    programme=data["programme"],
                    request=offer,
                    enrolled_on=data["enrolled_on"],
                    over_seats_reason=data["over_seats_reason"],
                )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("%(n)s employees enrolled.") % {"n": len(data["employees"])}
            )
            return redirect("workforce:org", org.pk)
    if offer is not None:
        offer.seats_taken = services.seats_taken(offer)  # type: ignore[attr-defined]
    policy = selectors.policy_for(request.user, org)
    return render(
        request,
        "workforce/enrol.html",
        {"org": org, "form": form, "offer": offer, "policy": policy},
    )


@login_required
def employee_create(request: HttpRequest, org_id: int) -> HttpResponse:
    from yrkesbro.accounts.models import User

    org = _employer(request, org_id)
    members = User.objects.filter(memberships__organisation=org, is_active=True).order_by(
        "full_name", "username"
    )
    form = EmployeeForm(request.POST or None, members=members)
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = data.pop("user", None)
        try:
            services.employee_create(actor=request.user, organisation=org, data=data, user=user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Employee added."))
            target = "workforce:enrol" if request.GET.get("next") == "enrol" else "workforce:org"
            return redirect(target, org.pk)
    return render(request, "workforce/employee_form.html", {"org": org, "form": form})


@login_required
def enrolment_detail(request: HttpRequest, enrolment_id: int, **forms: Any) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    can_edit = has_capability(request.user, Capability.EDIT_CONTENT, enrolment.organisation_id)
    is_own = enrolment.employee.user_id == request.user.pk
    outcome = getattr(enrolment, "outcome", None)
    context = {
        "enrolment": enrolment,
        "outcome": outcome,
        "can_edit": can_edit,
        "is_own": is_own,
        "policy": IncentivePolicy.objects.filter(
            organisation=enrolment.organisation_id, is_published=True
        ).first(),
        "end_form": forms.get("end_form") or EndForm(initial={"ended_on": timezone.localdate()}),
        "outcome_form": forms.get("outcome_form")
        or OutcomeForm(
            initial={
                "tasks": outcome.tasks if outcome else [],
                "tasks_text": outcome.tasks_text if outcome else "",
                "new_title": outcome.new_title if outcome else "",
                "job_group_before": outcome.job_group_before
                if outcome
                else enrolment.employee.job_group,
                "job_group_after": outcome.job_group_after if outcome else "",
                "salary_step_nok": outcome.salary_step_nok if outcome else None,
            }
        ),
        "comment_form": forms.get("comment_form")
        or CommentForm(initial={"employee_comment": enrolment.employee_comment}),
    }
    status = 400 if forms else 200
    return render(request, "workforce/enrolment.html", context, status=status)


@login_required
@require_POST
def enrolment_action(request: HttpRequest, enrolment_id: int, action: str) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    try:
        if action in ("complete", "interrupt"):
            form = EndForm(request.POST)
            if not form.is_valid():
                return enrolment_detail(request, enrolment_id, end_form=form)
            try:
                if action == "complete":
                    services.enrolment_complete(
                        actor=request.user,
                        enrolment=enrolment,
                        ended_on=form.cleaned_data["ended_on"],
                    )
                else:
                    services.enrolment_interrupt(
                        actor=request.user,
                        enrolment=enrolment,
                        ended_on=form.cleaned_data["ended_on"],
                        reason=form.cleaned_data["interruption_reason"],
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
                return enrolment_detail(request, enrolment_id, end_form=form)
        elif action == "outcome":
            oform = OutcomeForm(request.POST)
            if not oform.is_valid():
                return enrolment_detail(request, enrolment_id, outcome_form=oform)
            try:
                services.outcome_record(
                    actor=request.user, enrolment=enrolment, data=oform.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(oform, exc)
                return enrolment_detail(request, enrolment_id, outcome_form=oform)
        elif action == "comment":
            cform = CommentForm(request.POST)
            if not cform.is_valid():
                return enrolment_detail(request, enrolment_id, comment_form=cform)
            try:
                services.enrolment_comment(
                    actor=request.user,
                    enrolment=enrolment,
                    comment=cform.cleaned_data["employee_comment"],
                )
            except DomainError as exc:
                apply_domain_error(cform, exc)
                return enrolment_detail(request, enrolment_id, comment_form=cform)
        else:
            raise Http404
    except DomainError as exc:  # NotAllowed from a service
        messages.error(request, str(exc.message))
        return redirect("workforce:enrolment", enrolment.pk)
    messages.success(request, _("Saved."))
    return redirect("workforce:enrolment", enrolment.pk)


@login_required
def effect(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _employer(request, org_id)
    figures = selectors.effect(request.user, org)
    return render(
        request,
        "workforce/effect.html",
        {
            "org": org,
            "effect": figures,
            "chart": charts.effect_chart(figures) if figures.years else "",
        },
    )


@login_required
def policy(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=_id(org_id))
    can_edit = has_capability(request.user, Capability.EDIT_CONTENT, org)
    current = selectors.policy_for(request.user, org)
    if not can_edit and current is None:
        raise Http404
    form = None
    if can_edit:
        initial = {
            "paid_leave_days": current.paid_leave_days if current else 0,
            "costs_covered": current.costs_covered if current else "none",
            "study_material": current.study_material if current else False,
            "binding_months": current.binding_months if current else 0,
            "decided_by": current.decided_by if current else "",
            "text": current.text if current else "",
            "is_published": current.is_published if current else False,
        }
        form = PolicyForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.policy_save(actor=request.user, organisation=org, data=form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The incentive policy is saved."))
                return redirect("workforce:policy", org.pk)
    return render(
        request,
        "workforce/policy.html",
        {"org": org, "policy": current, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def export(request: HttpRequest, org_id: int, fmt: str) -> HttpResponse:
    org = _employer(request, org_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = spreadsheet.enrolments_for_export(request.user, org)
    if fmt == "xlsx":
        response = HttpResponse(
            spreadsheet.export_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            spreadsheet.export_csv(rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="enrolments-{org.pk}.{fmt}"'
    return response


@login_required
def import_view(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _employer(request, org_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = spreadsheet.import_enrolments(
            actor=request.user, organisation=org, data=upload.read(), filename=upload.name
        )
        if not result.errors:
            messages.success(request, _("%(n)s enrolments imported.") % {"n": result.created})
            return redirect("workforce:org", org.pk)
    return render(
        request,
        "workforce/import.html",
        {"org": org, "form": form, "result": result, "columns": spreadsheet.COLUMNS},
        status=400 if result and result.errors else 200,
    )


@login_required
@require_POST
def partnership_from_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """Offer made on a request page: start the partnership between the two organisations."""
    from yrkesbro.collaboration.services.partnerships import partnership_create

    req = get_object_or_404(
        Request.objects.visible_to(request.user).select_related("need__organisation", "school"),
        pk=_id(request_id),
    )
    org, school = req.need.organisation, req.school
    try:
        partnership = partnership_create(
            actor=request.user,
            data={
                "name": f"{org.name} – {school.name}"[:200],
                "purpose": _("Competence development: started from a request for education."),
            },
            organisations=[org, school],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(req.get_absolute_url())
    messages.success(request, _("The partnership is created."))
    return redirect(partnership.get_absolute_url())
