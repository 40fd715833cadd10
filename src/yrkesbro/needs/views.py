"""Pages for needs: list, detail, create, edit, status changes, assessment and import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import spreadsheet_response
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.needs import assessment, exports, selectors, services
from yrkesbro.needs.forms import (
    AssessmentForm,
    ImportForm,
    NeedFilterForm,
    NeedForm,
    StatusForm,
    need_initial,
)
from yrkesbro.needs.models import TRANSITIONS, Need, Status
from yrkesbro.organisations.models import Organisation


def _editable_orgs(request: HttpRequest) -> QuerySet[Organisation]:
    orgs = selectors.editable_organisations(request.user)
    if not orgs.exists():
        raise Http404
    return orgs


def _initial_org(request: HttpRequest, orgs: QuerySet[Organisation]) -> dict[str, object]:
    wanted = parse_id(request.GET.get("organisation", ""))
    if wanted is not None:
        org = orgs.filter(pk=wanted).first()
        if org is not None:
            return {"organisation": org}
    if orgs.count() == 1:
        return {"organisation": orgs.first()}
    return {}


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs the user may see: their own organisation's, and everyone's published ones."""
    form, qs = _filtered_needs(request)
    page = Paginator(selectors.list_rows(qs), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_create": selectors.editable_organisations(request.user).exists(),
        "export_query": _export_query(request),
    }
    template = "needs/partials/results.html" if request.htmx else "needs/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _filtered_needs(request: HttpRequest) -> tuple[NeedFilterForm, QuerySet[Need]]:
    """The list's filter form and the needs it selects (the page and its download share it)."""
    counties = list(selectors.counties())
    form = NeedFilterForm(request.GET or None, counties=counties)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.need_list(
        actor=request.user,
        q=filters.get("q", ""),
        area=filters.get("area", ""),
        county=filters.get("county", ""),
        status=filters.get("status", ""),
        mine=filters.get("mine", False),
    )


def _export_query(request: HttpRequest) -> str:
    """The page's filters for the download links (not the page number)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def need_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The needs list as CSV or XLSX: the same rows and filters as the page, every page."""
    needs = _filtered_needs(request)[1]
    return spreadsheet_response(
        request,
        fmt,
        "needs",
        exports.NEED_HEADER,
        exports.need_rows(needs, request.user),
        count_of=needs,
    )


def _visible_need(request: HttpRequest, need_id: int) -> Need:
    return get_object_or_404(
        Need.objects.visible_to(request.user).select_related(
            "organisation", "organisation__county", "plan"
        ),
        pk=need_id,
    )


@login_required
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _visible_need(request, need_id)
    can_edit = has_capability(request.user, Capability.EDIT_CONTENT, need.organisation)
    history = need.history.select_related("actor") if can_edit else []
    return render(
        request,
        "needs/detail.html",
        {
            "need": need,
            "areas": need.areas.all(),
            "can_edit": can_edit,
            "history": history,
            "next_statuses": [Status(s) for s in sorted(TRANSITIONS[need.status])]
            if can_edit
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    orgs = _editable_orgs(request)
    form = NeedForm(
        request.POST or None,
        organisations=orgs,
        initial={"online_ok": True, "part_time_ok": True, **_initial_org(request, orgs)},
    )
    if request.method == "POST" and form.is_valid():
        data, codes = form.service_data()
        try:
            need = services.need_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                data=data,
                area_codes=codes,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The need is saved as a draft."))
            return redirect(need)
    return render(request, "needs/form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_object_or_404(
        Need.objects.editable_by(request.user).select_related("organisation"), pk=need_id
    )
    form = NeedForm(request.POST or None, need=need, initial=need_initial(need))
    if request.method == "POST" and form.is_valid():
        data, codes = form.service_data()
        try:
            services.need_update(actor=request.user, need=need, data=data, area_codes=codes)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(need)
    return render(request, "needs/form.html", {"form": form, "need": need})


@login_required
@require_POST
def need_status(request: HttpRequest, need_id: int) -> HttpResponse:
    """Publish, withdraw or move a need along; viewers and other organisations get 404."""
    need = get_object_or_404(
        Need.objects.editable_by(request.user).select_related("organisation"), pk=need_id
    )
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(need)
    try:
        services.need_set_status(
            actor=request.user,
            need=need,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The status is changed."))
    return redirect(need)


@login_required
@require_http_methods(["GET", "POST"])
def need_assessment(request: HttpRequest) -> HttpResponse:
    """The guided form: one unit's staff and targets become proposed draft needs."""
    orgs = _editable_orgs(request)
    form = AssessmentForm(
        request.POST or None, organisations=orgs, initial=_initial_org(request, orgs)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = assessment.UnitAssessment(
            unit=data["unit"],
            service_area=data["service_area"],
            staff=data["staff"],
            deadline=data["deadline"],
            urgency=data["urgency"],
            targets=[
                assessment.AreaTarget(
                    a.code, data[f"qualified_{a.code}"] or 0, data[f"target_{a.code}"] or 0
                )
                for a in form.areas
                if data[f"target_{a.code}"]
            ],
        )
        try:
            created = assessment.assessment_apply(
                actor=request.user, organisation=data["organisation"], units=[unit]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if not created:
                messages.warning(request, _("No gaps: the targets are met already."))
            else:
                messages.success(
                    request,
                    _("%(n)s proposed needs are saved as private drafts.") % {"n": len(created)},
                )
            return redirect(f"{reverse('needs:list')}?status=draft")
    return render(request, "needs/assessment.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_import(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet; every row error is shown and nothing is imported until none."""
    orgs = _editable_orgs(request)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        organisations=orgs,
        initial=_initial_org(request, orgs),
    )
    parsed = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2_000_000:
            form.add_error("file", _("The file is larger than 2 MB."))
        else:
            parsed = assessment.parse_import(upload.read(), upload.name)
            if not parsed.errors:
                try:
                    created = assessment.assessment_apply(
                        actor=request.user,
                        organisation=form.cleaned_data["organisation"],
                        units=parsed.units,
                    )
                except DomainError as exc:
                    apply_domain_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("%(n)s proposed needs are saved as private drafts.")
                        % {"n": len(created)},
                    )
                    return redirect(f"{reverse('needs:list')}?status=draft")
    return render(request, "needs/import.html", {"form": form, "parsed": parsed})


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(assessment.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="needs-assessment.csv"'
    return response
