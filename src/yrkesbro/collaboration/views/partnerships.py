"""Partnership pages: list, create, detail (public part and parties' part), edit, members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.collaboration import selectors
from yrkesbro.collaboration.forms import (
    ContactForm,
    LeaveForm,
    LiaisonForm,
    PartnershipCreateForm,
    PartnershipForm,
    PartyForm,
    RemoveForm,
    RepresentativeForm,
    StructureTypeForm,
)
from yrkesbro.collaboration.models import Liaison, Partnership, Representative, StructureType
from yrkesbro.collaboration.services import partnerships as services
from yrkesbro.collaboration.views import private_partnership, require_edit, rights
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.pickers import answer_pickers
from yrkesbro.core.policies import Capability, organisation_ids_with

PAGE_SIZE = 25


def index(request: HttpRequest) -> HttpResponse:
    """Your partnerships with their health, a page at a time, then the public ones."""
    mine = []
    mine_page = None
    private = Partnership.objects.private_to(request.user).values("id")
    if request.user.is_authenticated:
        # Health is computed for the shown page only: an organisation (or a platform
        # administrator) may take part in thousands of partnerships.
        mine_page = Paginator(selectors.own_partnerships(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        mine = selectors.with_health(list(mine_page))
    public = selectors.public_partnerships()
    if request.user.is_authenticated:
        public = public.exclude(id__in=private)
    # A page of the public ones too (there are thousands nationally), with its own page number.
    public_page = Paginator(public, PAGE_SIZE).get_page(request.GET.get("public_page"))
    own_orgs = []
    if request.user.is_authenticated:
        from yrkesbro.organisations.models import Organisation

        own_orgs = list(
            Organisation.objects.filter(
                id__in=organisation_ids_with(request.user, Capability.VIEW_INTERNAL)
            )
        )
    invitations = (
        list(selectors.invitations_for(request.user)) if request.user.is_authenticated else []
    )
    return render(
        request,
        "collaboration/index.html",
        {
            "mine": mine,
            "page": mine_page,
            "public": public_page.object_list,
            "public_page": public_page,
            "own_orgs": own_orgs,
            "invitations": invitations,
            "counties": [
                c
                for c in selectors.overview_counties(request.user).order_by("name")
                if c not in own_orgs
            ],
        },
    )


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin of an invited organisation accepts or declines (from the inbox)."""
    party = get_object_or_404(selectors.invitations_for(request.user), pk=pk)
    answer = request.POST.get("answer", "")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
        return redirect("collaboration:index")
    try:
        if answer == "accept":
            services.party_accept(actor=request.user, party=party)
        else:
            services.party_decline(actor=request.user, party=party)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("collaboration:index")
    if answer == "accept":
        messages.success(request, _("Your organisation now takes part in the partnership."))
        return redirect(party.partnership)
    messages.success(request, _("The invitation is declined."))
    return redirect("collaboration:index")


@login_required
@require_POST
def party_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin of a party takes the organisation out of the partnership."""
    partnership = private_partnership(request, pk)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a valid option."), status=400)
    # Only an organisation the user administers can be taken out; others: 404.
    orgs = selectors.leavable_parties(request.user, partnership)
    org = next((o for o in orgs if o.pk == form.cleaned_data["organisation"]), None)
    if org is None:
        raise Http404
    try:
        services.party_leave(actor=request.user, partnership=partnership, organisation=org)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(partnership)
    messages.success(request, _("%(org)s has left the partnership.") % {"org": org.name})
    return redirect("collaboration:index")


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipCreateForm(request.POST or None, actor=request.user)
    if picker := answer_pickers(request, form):
        return picker
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                actor=request.user,
                data=form.data_for_service(),
                organisations=[form.cleaned_data["own"], *form.cleaned_data["partners"]],
                competence_areas=form.cleaned_data["competence_areas"],
            )
        except DomainError as exc:
            if exc.field == "organisations":
                exc.field = "partners"
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The partnership is created."))
            return redirect(partnership)
    return render(request, "collaboration/partnership_form.html", {"form": form})


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.objects.visible_to(request.user).select_related("structure_type"), pk=pk
    )
    context = {
        "p": partnership,
        "parties": selectors.parties_with_status(partnership),
        "leave_orgs": selectors.leavable_parties(request.user, partnership),
        **rights(request, partnership),
    }
    if context["can_view"]:
        health = selectors.health_for([partnership])[partnership.pk]
        context.update(
            health=health,
            representatives=partnership.representatives.select_related("user", "organisation"),
            liaisons=partnership.liaisons.select_related("user"),
            agreements=partnership.agreements.all(),
            forums=selectors.forums_with_pulse(partnership.forums.all()),
            timeline=selectors.timeline(partnership),
            contact_form=ContactForm(initial={"happened_on": timezone.localdate()})
            if context["can_edit"]
            else None,
        )
    return render(request, "collaboration/partnership_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = private_partnership(request, pk)
    require_edit(request, partnership)
    initial = {
        "name": partnership.name,
        "purpose": partnership.purpose,
        "structure_type": partnership.structure_type,
        "bindingness": partnership.bindingness,
        "competence_areas": partnership.competence_areas.all(),
        "trades": partnership.trades,
        "is_public": partnership.is_public,
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                actor=request.user,
                partnership=partnership,
                data=form.data_for_service(),
                competence_areas=form.cleaned_data["competence_areas"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(partnership)
    return render(
        request,
        "collaboration/partnership_edit.html",
        {"p": partnership, "form": form},
    )


def _member_forms(request: HttpRequest, partnership: Partnership, kind: str) -> dict:
    data = request.POST if request.method == "POST" else None
    return {
        "rep_form": RepresentativeForm(
            data if kind == "rep" else None, partnership=partnership, prefix="rep"
        ),
        "liaison_form": LiaisonForm(
            data if kind == "liaison" else None, partnership=partnership, prefix="liaison"
        ),
        "party_form": PartyForm(data if kind == "party" else None, prefix="party"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def partnership_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Parties, representatives and liaison persons: add and remove."""
    partnership = private_partnership(request, pk)
    require_edit(request, partnership)
    kind = request.POST.get("kind", "")
    forms = _member_forms(request, partnership, kind)
    if picker := answer_pickers(request, forms["party_form"]):
        return picker
    status = 200
    if request.method == "POST":
        form = {"rep": forms["rep_form"], "liaison": forms["liaison_form"]}.get(
            kind, forms["party_form"]
        )
        if form.is_valid():
            try:
                if kind == "rep":
                    services.representative_add(
                        actor=request.user, partnership=partnership, **form.cleaned_data
                    )
                elif kind == "liaison":
                    services.liaison_add(
                        actor=request.user, partnership=partnership, **form.cleaned_data
                    )
                else:
                    services.party_add(
                        actor=request.user, partnership=partnership, **form.cleaned_data
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Added."))
                return redirect("collaboration:partnership_people", pk=partnership.pk)
        status = 400 if form.is_bound else 200  # unbound: a picker's search, nothing to save
    health = selectors.health_for([partnership])[partnership.pk]
    return render(
        request,
        "collaboration/partnership_people.html",
        {
            "p": partnership,
            "health": health,
            "parties": selectors.parties_with_status(partnership),
            "representatives": partnership.representatives.select_related("user", "organisation"),
            "liaisons": partnership.liaisons.select_related("user"),
            **forms,
        },
        status=status,
    )


@login_required
@require_POST
def partnership_people_remove(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = private_partnership(request, pk)
    require_edit(request, partnership)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a valid option."), status=400)
    ids = form.cleaned_data
    try:
        if ids["representative"]:
            rep = get_object_or_404(
                Representative, pk=ids["representative"], partnership=partnership
            )
            services.representative_remove(actor=request.user, representative=rep)
        elif ids["liaison"]:
            liaison = get_object_or_404(Liaison, pk=ids["liaison"], partnership=partnership)
            services.liaison_remove(actor=request.user, liaison=liaison)
        elif ids["party"]:
            party = get_object_or_404(
                partnership.parties.select_related("organisation"), pk=ids["party"]
            )
            services.party_remove(
                actor=request.user, partnership=partnership, organisation=party.organisation
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed."))
    return redirect("collaboration:partnership_people", pk=partnership.pk)


@login_required
@require_POST
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a call, message, visit or request on the partnership's timeline."""
    partnership = private_partnership(request, pk)
    form = ContactForm(request.POST)
    try:
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise DomainError(str(first))
        services.contact_log(actor=request.user, partnership=partnership, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The contact is logged."))
    return redirect(f"{partnership.get_absolute_url()}#timeline-heading")


@require_http_methods(["GET", "POST"])
def structure_types(request: HttpRequest) -> HttpResponse:
    """The structure types counties have defined, and a form for a county's own staff."""
    form = None
    if request.user.is_authenticated:
        form = StructureTypeForm(request.POST or None, actor=request.user)
        if not form.fields["owner"].queryset.exists():  # type: ignore[attr-defined]
            form = None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.structure_type_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The structure type is added."))
                return redirect("collaboration:structure_types")
    types = StructureType.objects.visible_to(request.user).select_related("owner", "partnership")
    return render(request, "collaboration/structure_types.html", {"types": types, "form": form})
