"""Pages for competence plans: list, create, edit, approve, print, PDF and the internal page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import spreadsheet_response
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.pdf import render_pdf
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.core.templatetags.display import ybdate
from yrkesbro.needs import exports, selectors, services
from yrkesbro.needs.forms import PlanForm, PlanNeedSearchForm
from yrkesbro.needs.models import CompetencePlan, Need, Status, Urgency, Visibility


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


@dataclass(frozen=True)
class NeedRow:
    """One need of a plan as its table shows it: plain text, formatted once."""

    pk: int
    unit: str
    areas: str
    people: int
    deadline: str
    urgency: str
    status: str


def need_rows(needs: list[dict[str, Any]], areas: dict[int, list[str]]) -> list[NeedRow]:
    """The table rows of ``needs`` (``selectors.plan_needs`` rows; ``areas`` from
    ``selectors.area_names``): labels and dates are formatted once per distinct value, so
    a plan of a thousand needs costs little more than its queries."""
    urgency = {value: str(label) for value, label in Urgency.choices}
    status = {value: str(label) for value, label in Status.choices}
    dates: dict[object, str] = {}
    rows = []
    for need in needs:
        deadline = need["deadline"]
        if deadline not in dates:
            dates[deadline] = ybdate(deadline)
        rows.append(
            NeedRow(
                pk=need["pk"],
                unit=need["unit"],
                areas=", ".join(areas.get(need["pk"], ())),
                people=need["people"],
                deadline=dates[deadline],
                urgency=urgency.get(need["urgency"], need["urgency"]),
                status=status.get(need["status"], need["status"]),
            )
        )
    return rows


def _plan_context(request: HttpRequest, plan: CompetencePlan) -> dict[str, object]:
    """The plan with one page of its needs (paginated in SQL, areas read for the page only)
    and the totals of all of them from one aggregate query."""
    paginator = Paginator(selectors.plan_needs(actor=request.user, plan=plan), settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    needs = list(page.object_list)
    return {
        "plan": plan,
        "page": page,
        "rows": need_rows(needs, selectors.area_names(need_ids=[n["pk"] for n in needs])),
        "totals": selectors.plan_totals(actor=request.user, plan=plan),
        **_plan_rights(request, plan),
    }


def _plan_rights(request: HttpRequest, plan: CompetencePlan) -> dict[str, bool]:
    return {
        "can_edit": has_capability(request.user, Capability.EDIT_CONTENT, plan.organisation),
        "can_approve": services.can_approve(request.user, plan.organisation),
        # Only the plan's own staff have the internal page; others would get 404 there.
        "can_view_internal": has_capability(
            request.user, Capability.VIEW_INTERNAL, plan.organisation
        ),
    }


def _print_context(request: HttpRequest, plan: CompetencePlan) -> dict[str, object]:
    """The whole plan for print and PDF: every need the reader may see as plain rows (one
    query) with their areas (two more); the totals come from the rows already read."""
    needs = list(selectors.plan_needs(actor=request.user, plan=plan))
    areas = selectors.area_names(plan=plan) if needs else {}
    return {
        "plan": plan,
        "rows": need_rows(needs, areas),
        "totals": {"needs": len(needs), "people": sum(n["people"] for n in needs)},
    }


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    return render(request, "needs/plan_detail.html", _plan_context(request, plan))


@login_required
def plan_print(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    return render(request, "needs/plan_print.html", _print_context(request, plan))


@login_required
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The printable view as PDF, made by WeasyPrint on the server (no network fetches)."""
    plan = _visible_plan(request, plan_id)
    html = render_to_string("needs/plan_print.html", _print_context(request, plan), request=request)
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
            return redirect("needs:plan_add_needs", plan_id=plan.pk)
    return render(request, "needs/plan_form.html", {"form": form, "plan": None})


def _editable_plan(request: HttpRequest, plan_id: int) -> CompetencePlan:
    return get_object_or_404(
        CompetencePlan.objects.editable_by(request.user).select_related("organisation"),
        pk=plan_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's own fields; its needs are added and removed on their own pages."""
    plan = _editable_plan(request, plan_id)
    initial = {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "summary": plan.summary,
        "owner": plan.owner,
        "visibility": plan.visibility,
    }
    form = PlanForm(request.POST or None, plan=plan, initial=initial)
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=dict(form.cleaned_data))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(plan)
    return render(request, "needs/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_add_needs(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The organisation's needs not in the plan, a page at a time with a search box; the
    chosen ones are added (each checked against what the actor may add)."""
    plan = _editable_plan(request, plan_id)
    search = PlanNeedSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("needs")
        try:
            added = services.plan_add_needs(actor=request.user, plan=plan, need_ids=chosen)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s need is added to the plan.",
                    "%(n)s needs are added to the plan.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect(plan)
    addable = selectors.plan_addable_needs(actor=request.user, plan=plan, q=q)
    page = Paginator(addable, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/plan_add_needs.html",
        {"plan": plan, "page": page, "search": search, "q": q, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_remove_need(request: HttpRequest, plan_id: int, need_id: int) -> HttpResponse:
    """Asks first (GET), then takes the need out of the plan (POST); the need itself stays."""
    plan = _editable_plan(request, plan_id)
    need = (
        Need.objects.editable_by(request.user)
        .filter(plan=plan, pk=need_id)
        .prefetch_related("areas")
        .first()
        if parse_id(need_id) is not None
        else None
    )
    if need is None:
        if request.method == "POST":
            messages.error(request, _("This need is not in the plan any more."))
            return redirect(plan)
        raise Http404
    if request.method == "POST":
        try:
            services.plan_remove_need(actor=request.user, plan=plan, need_id=need.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "«%(unit)s» is taken out of the plan. "
                    "You can add it again under «Add needs to the plan»."
                )
                % {"unit": need.unit},
            )
        return redirect(plan)
    return render(request, "needs/plan_remove_need.html", {"plan": plan, "need": need})


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
