"""Pages for competence plans: list, create, edit, approve, print, PDF and the internal page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import spreadsheet_response
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.pdf import render_pdf
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.needs import exports, selectors, services
from yrkesbro.needs.forms import PlanForm
from yrkesbro.needs.models import CompetencePlan, Visibility


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.plan_list(actor=request.user)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/plan_list.html",
        {"page": page, "can_create": selectors.editable_organisations(request.user).exists()},
    )


@login_required
def plan_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The plans list as CSV or XLSX: every plan the page lists, on every page."""
    plans = selectors.plan_list(actor=request.user)
    return spreadsheet_response(
        request, fmt, "plans", exports.PLAN_HEADER, exports.plan_rows(plans), count_of=plans
    )


def _visible_plan(request: HttpRequest, plan_id: int) -> CompetencePlan:
    return get_object_or_404(
        CompetencePlan.objects.visible_to(request.user).select_related(
            "organisation", "organisation__county", "owner", "approved_by"
        ),
        pk=plan_id,
    )


def _plan_context(request: HttpRequest, plan: CompetencePlan) -> dict[str, object]:
    needs = list(selectors.plan_needs(actor=request.user, plan=plan))
    return {
        "plan": plan,
        "needs": needs,
        "people": sum(n.people for n in needs),
        "can_edit": has_capability(request.user, Capability.EDIT_CONTENT, plan.organisation),
        "can_approve": services.can_approve(request.user, plan.organisation),
        # Only the plan's own staff have the internal page; others would get 404 there.
        "can_view_internal": has_capability(
            request.user, Capability.VIEW_INTERNAL, plan.organisation
        ),
    }


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    return render(request, "needs/plan_detail.html", _plan_context(request, plan))


@login_required
def plan_print(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    return render(request, "needs/plan_print.html", _plan_context(request, plan))


@login_required
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The printable view as PDF, made by WeasyPrint on the server (no network fetches)."""
    plan = _visible_plan(request, plan_id)
    html = render_to_string("needs/plan_print.html", _plan_context(request, plan), request=request)
    pdf = render_pdf(html)  # tagged PDF/UA with Inter embedded, no network fetches
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="competence-plan-{plan.pk}.pdf"'
    return response


@login_required
def plan_internal(request: HttpRequest, plan_id: int) -> HttpResponse:
    """ "Share internally": every member of the organisation sees the plan here."""
    plan = _visible_plan(request, plan_id)
    if not has_capability(request.user, Capability.VIEW_INTERNAL, plan.organisation):
        raise Http404
    if plan.visibility == Visibility.PRIVATE and not has_capability(
        request.user, Capability.EDIT_CONTENT, plan.organisation
    ):
        raise Http404
    return render(request, "needs/plan_internal.html", _plan_context(request, plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    orgs = selectors.editable_organisations(request.user)
    if not orgs.exists():
        raise Http404
    initial: dict[str, object] = {"visibility": Visibility.INTERNAL}
    if orgs.count() == 1:
        initial["organisation"] = orgs.first()
    form = PlanForm(request.POST or None, organisations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organisation")
        try:
            plan = services.plan_create(actor=request.user, organisation=org, data=data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The plan is created. Add needs to it."))
            return redirect("needs:plan_edit", plan_id=plan.pk)
    return render(request, "needs/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        CompetencePlan.objects.editable_by(request.user).select_related("organisation"),
        pk=plan_id,
    )
    initial = {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "summary": plan.summary,
        "owner": plan.owner,
        "visibility": plan.visibility,
        "needs": list(plan.needs.all()),
    }
    form = PlanForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        needs = data.pop("needs")
        try:
            with transaction.atomic():
                services.plan_update(actor=request.user, plan=plan, data=data)
                services.plan_set_needs(
                    actor=request.user, plan=plan, need_ids=[n.pk for n in needs]
                )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(plan)
    return render(request, "needs/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    if not has_capability(request.user, Capability.VIEW_INTERNAL, plan.organisation):
        raise Http404
    try:
        services.plan_approve(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The plan is approved."))
    return redirect(plan)
