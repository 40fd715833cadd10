"""Pages for offers, school demand, placements and hospitering. Thin: forms in, services
do the work, selectors read through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.inputs import parse_id
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability, has_capability
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet import selectors, services
from yrkesbro.vet.forms import (
    AssessmentForm,
    DemandForm,
    HospiteringForm,
    OfferForm,
    PlacementForm,
    ReportForm,
)
from yrkesbro.vet.models import Hospitering, HospiteringStatus, OfferKind, Placement, Side

PAGE_SIZE = 50  # rows of a list page (a county sees every school's demand)


INDEX_PAGE_SIZE = 25  # rows of each of the arena's three lists


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's VET arena: offers, demand, placements and exchanges they may see, each list
    a page at a time with its own page number (a county sees every school's)."""
    user = request.user

    def page(rows: Any, param: str) -> Any:
        return Paginator(rows, INDEX_PAGE_SIZE).get_page(request.GET.get(param))

    return render(
        request,
        "vet/index.html",
        {
            "offers": page(selectors.offers(user), "offers_page"),
            "placements": page(selectors.placements(user), "placements_page"),
            "hospiterings": page(selectors.hospiterings(user), "hospitering_page"),
            "can_offer": selectors.editable(user, services.OFFERING_KINDS).exists(),
            "can_demand": selectors.editable(user, (Kind.UPPER_SECONDARY_SCHOOL,)).exists(),
            "can_hospitering": Partnership.objects.editable_by(user).exists(),
        },
    )


def _form_error(form: Any, exc: DomainError) -> None:
    apply_domain_error(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    orgs = selectors.editable(request.user, services.OFFERING_KINDS)
    if not orgs.exists():
        raise Http404
    schools = Organisation.objects.filter(kind=Kind.UPPER_SECONDARY_SCHOOL, is_active=True)
    county_ids = orgs.exclude(county=None).values("county_id")
    if county_ids.exists():
        schools = schools.filter(county_id__in=county_ids)
    initial = {"school_year": services.current_school_year(), "kind": OfferKind.APPRENTICESHIP}
    if orgs.count() == 1:
        initial["organisation"] = orgs.first()
    form = OfferForm(
        request.POST or None,
        organisations=orgs,
        trades=selectors.trades(),
        schools=schools,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        instructor = request.user if data.pop("instructor_is_me") else None
        try:
            offer = services.offer_create(
                actor=request.user,
                instructor=instructor,
                organisation=data.pop("organisation"),
                trade_code=data.pop("trade"),
                shared_with=list(data.pop("shared_with")),
                **data,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(offer)
    return render(request, "vet/offer_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(selectors.offers(request.user), pk=offer_id)
    user = request.user
    is_owner = has_capability(user, Capability.VIEW_INTERNAL, offer.organisation_id)
    schools = selectors.editable(user, (Kind.UPPER_SECONDARY_SCHOOL,)).filter(
        pk__in=offer.shared_with.values("pk")
    )
    form = None
    if offer.kind == OfferKind.YFF and schools.exists():
        form = PlacementForm(
            request.POST or None,
            schools=schools,
            initial={"school": schools.first(), "hours": offer.hours},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                placement = services.placement_book(
                    actor=user, offer=offer, school=data.pop("school"), **data
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The pupil is booked."))
                return redirect(placement)
    elif request.method == "POST":
        raise Http404
    label = selectors.pupil_labeller(user)
    placements = [(p, label(p)) for p in selectors.placements(user).filter(offer=offer)]
    return render(
        request,
        "vet/offer_detail.html",
        {
            "offer": offer,
            "is_owner": is_owner,
            "shared_with": offer.shared_with.all(),
            "placements": placements,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_view(request: HttpRequest) -> HttpResponse:
    """A school records its figures; the county sees every school's (in the list)."""
    schools = selectors.editable(request.user, (Kind.UPPER_SECONDARY_SCHOOL,))
    form = None
    if schools.exists():
        form = DemandForm(
            request.POST or None,
            schools=schools,
            trades=selectors.trades(),
            initial={"school": schools.first(), "school_year": services.current_school_year()},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.demand_set(
                    actor=request.user,
                    school=data.pop("school"),
                    trade_code=data.pop("trade"),
                    **data,
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The figures are saved."))
                return redirect("vet:demand")
    elif request.method == "POST":
        raise Http404
    rows = selectors.demand(request.user).order_by(
        "-school_year", "trade__name", "school__name", "id"
    )
    return render(
        request,
        "vet/demand.html",
        {"form": form, "rows": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


def _visible_placement(request: HttpRequest, placement_id: int) -> Placement:
    return get_object_or_404(selectors.placements(request.user), pk=placement_id)


@login_required
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = _visible_placement(request, placement_id)
    user = request.user
    assessments = {a.side: a for a in placement.assessments.all()}
    may_assess = None
    if user.pk == placement.teacher_id:
        may_assess = Side.SCHOOL
    elif user.pk == placement.offer.instructor_id:
        may_assess = Side.WORKPLACE
    if may_assess in assessments:
        may_assess = None
    return render(
        request,
        "vet/placement_detail.html",
        {
            "placement": placement,
            "pupil": selectors.pupil_label(user, placement),
            "sees_full_name": selectors.can_see_pupil_name(user, placement),
            "school_assessment": assessments.get(Side.SCHOOL),
            "workplace_assessment": assessments.get(Side.WORKPLACE),
            "form": AssessmentForm() if may_assess else None,
            "side": services.placement_side(user, placement),
        },
    )


@login_required
@require_POST
def placement_assess(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = _visible_placement(request, placement_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_submit(actor=request.user, placement=placement, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Thank you; the assessment is saved."))
    else:
        messages.error(request, _("Choose how the placement went."))
    return redirect(placement)


@login_required
@require_POST
def placement_agree(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = _visible_placement(request, placement_id)
    try:
        services.placement_agree(actor=request.user, placement=placement)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The local curriculum is agreed."))
    return redirect(placement)


def _partnerships(request: HttpRequest) -> Any:
    return Partnership.objects.editable_by(request.user).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def hospitering_create(request: HttpRequest) -> HttpResponse:
    partnerships = _partnerships(request)
    if not partnerships.exists():
        raise Http404
    wanted = request.GET.get("partnership", "")
    initial: dict[str, Any] = {"days": 5}
    wanted_id = parse_id(wanted)
    chosen = partnerships.filter(pk=wanted_id).first() if wanted_id else None
    if chosen is None and partnerships.count() == 1:
        chosen = partnerships.first()
    if chosen is not None:
        initial["partnership"] = chosen
    orgs = services.accepted_parties(partnerships)
    form = HospiteringForm(
        request.POST or None, partnerships=partnerships, organisations=orgs, initial=initial
    )
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        try:
            item = services.hospitering_ask(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The request is sent to the other side."))
            return redirect(item)
    return render(request, "vet/hospitering_form.html", {"form": form})


def _visible_hospitering(request: HttpRequest, item_id: int) -> Hospitering:
    return get_object_or_404(selectors.hospiterings(request.user), pk=item_id)


@login_required
def hospitering_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _visible_hospitering(request, item_id)
    side = services.hospitering_side(request.user, item)
    answering_side = Side.WORKPLACE if item.asked_by_side == Side.SCHOOL else Side.SCHOOL
    org_id = item.workplace_id if answering_side == Side.WORKPLACE else item.school_id
    can_answer = item.status == HospiteringStatus.REQUESTED and has_capability(
        request.user, Capability.EDIT_CONTENT, org_id
    )
    report_form = None
    if side and item.status in (HospiteringStatus.ACCEPTED, HospiteringStatus.REPORTED):
        report_form = ReportForm(initial={"side": side})
    return render(
        request,
        "vet/hospitering_detail.html",
        {"item": item, "can_answer": can_answer, "report_form": report_form},
    )


@login_required
@require_POST
def hospitering_answer(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _visible_hospitering(request, item_id)
    try:
        services.hospitering_answer(
            actor=request.user, hospitering=item, accept=request.POST.get("answer") == "accept"
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(item)


@login_required
@require_POST
def hospitering_report(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _visible_hospitering(request, item_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.hospitering_report(actor=request.user, hospitering=item, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The report is saved."))
    else:
        messages.error(request, _("Write the report (at most 8000 characters)."))
    return redirect(item)


def _summary(request: HttpRequest, item_id: int) -> tuple[Hospitering, str]:
    item = _visible_hospitering(request, item_id)
    html = render_to_string("vet/hospitering_print.html", {"item": item}, request=request)
    return item, html


@login_required
def hospitering_print(request: HttpRequest, item_id: int) -> HttpResponse:
    return HttpResponse(_summary(request, item_id)[1])


@login_required
def hospitering_pdf(request: HttpRequest, item_id: int) -> HttpResponse:
    """The printable summary as PDF (WeasyPrint, no network fetches) for a grant claim."""
    from weasyprint import HTML

    item, html = _summary(request, item_id)

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(url)

    pdf = HTML(string=html, base_url=None, url_fetcher=no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hospitering-{item.pk}.pdf"'
    return response
