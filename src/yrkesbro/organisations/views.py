from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesbro.accounts import selectors as people
from yrkesbro.accounts import services as people_services
from yrkesbro.accounts.forms import InvitationForm, RoleForm
from yrkesbro.accounts.models import Invitation, Membership
from yrkesbro.core.display import describe_entries
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Capability, is_platform_admin
from yrkesbro.organisations import register, selectors, services
from yrkesbro.organisations.forms import (
    OrganisationCreateForm,
    OrganisationProfileForm,
    RegisterImportForm,
    SearchForm,
)
from yrkesbro.organisations.models import Kind, Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    county_list = list(selectors.counties())
    form = SearchForm(request.GET or None, counties=county_list)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisation_list(
        actor=request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        county=filters.get("county", ""),
    )
    page = Paginator(selectors.list_rows(qs), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": is_platform_admin(request.user)}
    template = "organisations/partials/results.html" if request.htmx else "organisations/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _organisation(org_id: int, request: HttpRequest) -> Organisation:
    return get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("county", "municipality"),
        pk=org_id,
    )


def organisation_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(org_id, request)
    caps = people.capabilities_in(actor=request.user, organisation=org)
    municipalities = None
    if org.kind == Kind.COUNTY:
        municipalities = Organisation.objects.filter(
            county=org, kind=Kind.MUNICIPALITY, is_active=True
        ).order_by("name")
    located_here = (
        Organisation.objects.filter(municipality=org)
        .exclude(kind=Kind.MUNICIPALITY)
        .order_by("name")
        if org.kind == Kind.MUNICIPALITY
        else None
    )
    return render(
        request,
        "organisations/detail.html",
        {"org": org, "caps": caps, "municipalities": municipalities, "located_here": located_here},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.editable_by(request.user), pk=org_id)
    initial = {"org_number": org.org_number, "website": org.website, "description": org.description}
    form = OrganisationProfileForm(request.POST or None, initial=initial)
    if org.is_public_body:
        del form.fields["org_number"]
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=org, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(org)
    return render(request, "organisations/edit.html", {"org": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise Http404
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": org.name})
            return redirect(org)
    return render(request, "organisations/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    """Upload a newer register file: check it, show every row error, then import."""
    if not is_platform_admin(request.user):
        raise Http404
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    parsed = report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5_000_000:
            form.add_error("file", _("The file is larger than 5 MB; this is not a register file."))
        else:
            parsed = register.parse_register(upload.read(), upload.name)
        if parsed is not None and not parsed.errors:
            apply = form.cleaned_data["apply"]
            try:
                report = services.register_import(
                    actor=request.user,
                    parsed=parsed,
                    dry_run=not apply,
                    allow_shrink=form.cleaned_data["allow_shrink"],
                )
            except DomainError as exc:
                form.add_error(
                    "allow_shrink" if exc.code == "register_shrink" else None, str(exc.message)
                )
            else:
                if apply:
                    messages.success(request, _("The register is imported."))
    return render(
        request,
        "organisations/register_import.html",
        {"form": form, "parsed": parsed, "report": report},
    )


def _members_org(request: HttpRequest, org_id: int) -> tuple[Organisation, set[str]]:
    """Members pages exist only for the organisation's own members (others get 404)."""
    org = _organisation(org_id, request)
    caps = people.capabilities_in(actor=request.user, organisation=org)
    if Capability.VIEW_INTERNAL not in caps:
        raise Http404
    return org, caps


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, org_id: int) -> HttpResponse:
    org, caps = _members_org(request, org_id)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if Capability.MANAGE_MEMBERS not in caps:
            raise Http404
        if form.is_valid():
            try:
                invitation, _token = people_services.invitation_create(
                    actor=request.user,
                    organisation=org,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("organisations:members", org_id=org.pk)
    return render(
        request,
        "organisations/members.html",
        {
            "org": org,
            "caps": caps,
            # Paginated: large municipalities have hundreds of members.
            "page": Paginator(
                people.members_of(actor=request.user, organisation=org), settings.PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "invitations": people.pending_invitations(actor=request.user, organisation=org),
            "form": form,
        },
    )


def _membership(request: HttpRequest, org: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=membership_id,
        organisation=org,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, org_id: int, membership_id: int) -> HttpResponse:
    org, caps = _members_org(request, org_id)
    if Capability.MANAGE_MEMBERS not in caps:
        raise Http404
    membership = _membership(request, org, membership_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            people_services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The role is changed."))
            return redirect("organisations:members", org_id=org.pk)
    return render(
        request,
        "organisations/member_edit.html",
        {"org": org, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, org_id: int, membership_id: int) -> HttpResponse:
    org, caps = _members_org(request, org_id)
    membership = _membership(request, org, membership_id)
    is_self = membership.user_id == request.user.pk
    if Capability.MANAGE_MEMBERS not in caps and not is_self:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            people_services.membership_remove(actor=request.user, membership=membership)
        except DomainError as exc:
            error = str(exc)
        else:
            if is_self:
                messages.success(request, _("You have left %(org)s.") % {"org": org.name})
                return redirect("accounts:profile")
            messages.success(request, _("%(user)s is removed.") % {"user": membership.user})
            return redirect("organisations:members", org_id=org.pk)
    return render(
        request,
        "organisations/member_remove.html",
        {"org": org, "membership": membership, "is_self": is_self, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["POST"])
def invitation_revoke(request: HttpRequest, org_id: int, invitation_id: int) -> HttpResponse:
    org, _caps = _members_org(request, org_id)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=invitation_id, organisation=org
    )
    try:
        people_services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("organisations:members", org_id=org.pk)


@login_required
def audit_log(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(org_id, request)
    entries = AuditEntry.objects.visible_to(request.user).filter(organisation=org)
    caps = people.capabilities_in(actor=request.user, organisation=org)
    if Capability.VIEW_AUDIT not in caps:
        raise Http404
    page = Paginator(entries.select_related("actor"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = describe_entries(list(page.object_list))
    return render(request, "organisations/audit.html", {"org": org, "page": page, "rows": rows})
