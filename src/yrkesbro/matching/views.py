"""Pages for matching: a need's best offerings and the request button, a plan's matches,
a school's demand and leads, requests with their offers and history, and the gaps."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.catalogue.models import Offering
from yrkesbro.core.errors import DomainError
from yrkesbro.core.exports import safe_cell, spreadsheet_response
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.matching import charts, exports, gap_tables, selectors, services, tasks
from yrkesbro.matching.forms import GapForm, NoteForm, OfferForm, RefuseForm, RequestForm
from yrkesbro.matching.models import Request, RequestStatus
from yrkesbro.needs.models import CompetencePlan, Need
from yrkesbro.organisations.models import Organisation
from yrkesbro.taxonomy.models import TaxonomyVersion

PAGE_SIZE = 25


def _visible_need(request: HttpRequest, need_id: int) -> Need:
    return get_object_or_404(
        Need.objects.visible_to(request.user).select_related(
            "organisation", "organisation__municipality", "organisation__county", "plan"
        ),
        pk=need_id,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where to start: your needs with their matches, your schools' demand, your requests."""
    orgs = selectors.need_org_ids(request.user)
    needs = (
        Need.objects.visible_to(request.user)
        .filter(organisation__in=orgs, status__in=selectors.MATCHED_NEED_STATUSES)
        .select_related("organisation")
        .only("pk", "unit", "people", "deadline", "status", "organisation__name")
        .order_by("deadline", "pk")
    )
    plans = (
        CompetencePlan.objects.visible_to(request.user)
        .filter(organisation__in=orgs)
        .select_related("organisation")
    )
    context = {
        "plans": plans[:20],
        "needs": Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page")),
        "schools": selectors.school_orgs(request.user),
        "open_requests": Request.objects.visible_to(request.user)
        .filter(status__in=[RequestStatus.REQUESTED, RequestStatus.OFFERED])
        .count(),
    }
    return render(request, "matching/index.html", context)


@login_required
def need_matches(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _visible_need(request, need_id)
    shown, precomputed, waiting = tasks.need_matches_or_wait(need, selectors.SHOWN)
    can_ask = has_capability(request.user, Capability.EDIT_CONTENT, need.organisation)
    context = {
        "need": need,
        "areas": list(need.areas.all()),
        "matches": shown,
        "precomputed": precomputed,
        "waiting": waiting,
        "can_ask": can_ask and need.status in services.REQUESTABLE_NEED_STATUSES,
        "requests": selectors.request_list(actor=request.user).filter(need=need),
    }
    return render(request, "matching/need.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _visible_need(request, need_id)
    if not has_capability(request.user, Capability.EDIT_CONTENT, need.organisation):
        raise Http404
    schools = Organisation.objects.filter(kind__in=services.SCHOOL_KINDS, is_active=True).order_by(
        "name"
    )
    school_id = request.POST.get("school") or request.GET.get("school") or ""
    offerings = Offering.objects.none()
    if parse_id(school_id) is not None:
        offerings = Offering.objects.filter(
            programme__school_id=parse_id(school_id)
        ).select_related("programme", "municipality")
    initial = {"school": school_id, "offering": request.GET.get("offering"), "people": need.people}
    if request.GET.get("kind") == "cohort":
        initial["kind"] = "cohort"
    form = RequestForm(request.POST or None, initial=initial, schools=schools, offerings=offerings)
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_create(
                actor=request.user,
                need=need,
                school=data["school"],
                offering=data["offering"],
                kind=data["kind"],
                people=data["people"],
                message=data["message"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("Your request was sent to %(school)s.") % {"school": made.school.name}
            )
            return redirect(made)
    return render(request, "matching/request_form.html", {"need": need, "form": form})


@login_required
def plan_matches(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        CompetencePlan.objects.visible_to(request.user).select_related("organisation"), pk=plan_id
    )
    needs = (
        Need.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("organisation", "organisation__municipality")
        .order_by("deadline", "pk")
    )
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.matches_for(list(page), limit=3)
    return render(request, "matching/plan.html", {"plan": plan, "rows": rows, "page": page})


@login_required
def school_demand(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(selectors.school_orgs(request.user), pk=school_id)
    demand = selectors.school_demand(school)
    incoming = selectors.request_rows(actor=request.user).filter(school=school)
    context = {
        "school": school,
        "demand": demand,
        "needs": demand.page(request.GET.get("page"), PAGE_SIZE),
        # Its own page number: a school with many requests sees them all, 25 at a time.
        "incoming": Paginator(incoming, PAGE_SIZE).get_page(request.GET.get("requests_page")),
    }
    return render(request, "matching/school.html", context)


def _filtered_requests(request: HttpRequest, qs: Any) -> tuple[str, Any]:
    """``qs`` with the status the page asks for, if it is one."""
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return status, qs


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status, qs = _filtered_requests(request, selectors.request_rows(actor=request.user))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": RequestStatus.choices,
        "export_query": f"status={status}" if status in RequestStatus.values else "",
    }
    return render(request, "matching/requests.html", context)


@login_required
def request_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The requests and their offers as CSV or XLSX, with the page's status filter."""
    _status, qs = _filtered_requests(request, selectors.request_list(actor=request.user))
    return spreadsheet_response(
        request, fmt, "requests", exports.REQUEST_HEADER, exports.request_rows(qs), count_of=qs
    )


def _detail_context(request: HttpRequest, req: Request, **forms: Any) -> dict[str, Any]:
    user = request.user
    school_side = has_capability(user, Capability.EDIT_CONTENT, req.school)
    need_side = has_capability(user, Capability.EDIT_CONTENT, req.need.organisation)
    initial: dict[str, Any] = {"seats": req.people, "price_nok": 0}
    if req.offering is not None:
        initial.update(
            programme=req.offering.programme_id,
            offering=req.offering.pk,
            delivery=req.offering.delivery,
            price_nok=req.offering.price_nok,
            start=req.offering.start_date,
        )
    context = {
        "req": req,
        "history": req.history.all(),
        "can_answer": school_side and req.status == RequestStatus.REQUESTED,
        "can_decide": need_side and req.status == RequestStatus.OFFERED,
        "can_withdraw": need_side and req.is_open,
        "offer_form": forms.get("offer_form") or OfferForm(initial=initial, school=req.school),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "note_form": forms.get("note_form") or NoteForm(),
    }
    return context


def _visible_request(request: HttpRequest, request_id: int) -> Request:
    return get_object_or_404(
        selectors.request_list(actor=request.user).select_related(
            "offer_programme", "offer_offering", "created_by"
        ),
        pk=request_id,
    )


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    req = _visible_request(request, request_id)
    return render(request, "matching/request.html", _detail_context(request, req))


@login_required
@require_POST
def request_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    req = _visible_request(request, request_id)
    done = {
        "offer": _("Your offer was sent."),
        "refuse": _("Your answer was sent."),
        "accept": _("You accepted the offer."),
        "decline": _("You declined the offer."),
        "withdraw": _("You withdrew the request."),
    }
    if action not in done:
        raise Http404
    form: Any
    key: str
    if action == "offer":
        form, key = OfferForm(request.POST, school=req.school), "offer_form"
    elif action == "refuse":
        form, key = RefuseForm(request.POST), "refuse_form"
    else:
        form, key = NoteForm(request.POST), "note_form"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "offer":
                services.request_offer(actor=request.user, request=req, data=data)
            elif action == "refuse":
                services.request_refuse(actor=request.user, request=req, reason=data["answer"])
            else:
                decide = {
                    "accept": services.request_accept,
                    "decline": services.request_decline,
                    "withdraw": services.request_withdraw,
                }[action]
                decide(actor=request.user, request=req, note=data["note"])
        except DomainError as exc:
            if exc.field and exc.field in form.fields:
                apply_domain_error(form, exc)
            else:
                messages.error(request, str(exc.message))
                return redirect(req)
        else:
            messages.success(request, done[action])
            return redirect(req)
    context = _detail_context(request, req, **{key: form})
    return render(request, "matching/request.html", context, status=400)


# --- gaps -------------------------------------------------------------------------------


def _gap_input(request: HttpRequest) -> tuple[GapForm, selectors.Region, str]:
    counties = list(selectors.counties())
    form = GapForm(request.GET or None, counties=counties)
    if form.is_valid():
        data = form.cleaned_data
        region = selectors.region_from(data["county"], data["municipality"])
        return form, region, data["area"]
    return form, selectors.Region(), ""


def _region_label(region: selectors.Region) -> str:
    if region.county is not None:
        return region.county.name
    if region.municipalities:
        return ", ".join(m.name for m in region.municipalities)
    return _("Norway")


def gaps_view(request: HttpRequest) -> HttpResponse:
    form, region, area = _gap_input(request)
    rows = selectors.gaps(region, area)
    context = {
        "form": form,
        "rows": rows,
        "refreshed": None if region.municipalities else gap_tables.last_refresh(),
        "region": _region_label(region),
        "chart": charts.gap_chart(rows) if rows else "",
        "query": request.GET.urlencode(),
        "totals": {
            "people_needed": sum(r.people_needed for r in rows),
            "people_unmet": sum(r.people_unmet for r in rows),
        },
    }
    return render(request, "matching/gaps.html", context)


FIELDS = ["area", "name", "needs", "people_needed", "offerings_in_reach", "people_unmet"]


def _gap_rows(rows: list[selectors.GapRow]) -> list[dict[str, Any]]:
    return [
        {
            "area": r.code,
            "name": r.name,
            "needs": r.needs,
            "people_needed": r.people_needed,
            "offerings_in_reach": r.offerings_in_reach,
            "people_unmet": r.people_unmet,
        }
        for r in rows
    ]


def gaps_csv(request: HttpRequest) -> HttpResponse:
    _, region, area = _gap_input(request)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    rows = _gap_rows(selectors.gaps(region, area))
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gaps.csv"'
    return response


def gaps_json(request: HttpRequest) -> HttpResponse:
    _, region, area = _gap_input(request)
    body = {
        "region": {
            "county": region.county.number if region.county else None,
            "municipalities": [m.number for m in region.municipalities],
            "name": _region_label(region),
        },
        "generated": timezone.now().isoformat(timespec="seconds"),
        "refreshed": (
            refreshed.finished_at.isoformat(timespec="seconds")
            if (refreshed := None if region.municipalities else gap_tables.last_refresh())
            else None
        ),
        "taxonomy_version": TaxonomyVersion.current(),
        "definition": (
            "Published competence needs by competence area; offerings in reach are distinct "
            "upcoming, not full offerings whose national plan covers the area, online or within "
            "the need's maximum travel (else 150 km); unmet people are in needs with none."
        ),
        "items": _gap_rows(selectors.gaps(region, area)),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="gaps.json"'
    return response
