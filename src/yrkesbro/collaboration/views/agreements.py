"""Agreement pages: create, view, edit (new version once sent), send, sign, diff, document."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.accounts.models import Membership
from yrkesbro.collaboration.forms import AgreementForm, SignForm
from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    PartyStatus,
)
from yrkesbro.collaboration.services import agreements as services
from yrkesbro.collaboration.views import private_partnership, require_edit, rights
from yrkesbro.core.display import show_date
from yrkesbro.core.errors import DomainError
from yrkesbro.core.forms import apply_domain_error
from yrkesbro.core.pdf import render_pdf
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Organisation


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("partnership"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = private_partnership(request, pk)
    require_edit(request, partnership)
    form = AgreementForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                data=form.version_data(),
                commitments=form.commitments(),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The agreement is saved as a draft."))
            return redirect(agreement)
    return render(request, "collaboration/agreement_form.html", {"p": partnership, "form": form})


def _signable(request: HttpRequest, agreement: Agreement, version: AgreementVersion) -> Any:
    """Parties the user administers that have not yet signed the current version."""
    if agreement.status != AgreementStatus.SENT or not request.user.is_authenticated:
        return Organisation.objects.none()
    signed = version.signatures.values("organisation_id")
    return Organisation.objects.filter(
        partnership_parties__partnership=agreement.partnership,
        partnership_parties__status=PartyStatus.ACCEPTED,
        id__in=Membership.objects.filter(user=request.user, role=Role.ADMIN).values(
            "organisation_id"
        ),
    ).exclude(id__in=signed)


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    versions = list(agreement.versions.order_by("-number"))
    number = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == number), versions[0])
    signable = _signable(request, agreement, versions[0])
    return render(
        request,
        "collaboration/agreement_detail.html",
        {
            "agreement": agreement,
            "p": agreement.partnership,
            "version": version,
            "is_current": version == versions[0],
            "versions": versions,
            "commitments": version.commitments.select_related("organisation"),
            "signatures": version.signatures.select_related("organisation", "user"),
            "sign_form": SignForm(organisations=signable) if signable.exists() else None,
            **rights(request, agreement.partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    require_edit(request, agreement.partnership)
    current = agreement.current
    initial = {
        "title": agreement.title,
        **{f: getattr(current, f) for f in services.VERSION_FIELDS},
        **{f"commitment_{c.organisation_id}": c.text for c in current.commitments.all()},
    }
    form = AgreementForm(request.POST or None, initial=initial, partnership=agreement.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_edit(
                actor=request.user,
                agreement=agreement,
                data=form.version_data(),
                commitments=form.commitments(),
                title=form.cleaned_data["title"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if version.number != current.number:
                messages.success(
                    request,
                    _("Version %(n)s is created; the signed version is kept unchanged.")
                    % {"n": version.number},
                )
            else:
                messages.success(request, _("The changes are saved."))
            return redirect(agreement)
    return render(
        request,
        "collaboration/agreement_form.html",
        {"p": agreement.partnership, "form": form, "agreement": agreement},
    )


@login_required
@require_POST
def agreement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    agreement = _agreement(request, pk)
    try:
        if action == "send":
            services.agreement_send(actor=request.user, agreement=agreement)
            messages.success(request, _("The agreement is sent for signature."))
        elif action == "sign":
            form = SignForm(
                request.POST,
                organisations=Organisation.objects.filter(
                    partnership_parties__partnership=agreement.partnership,
                    partnership_parties__status=PartyStatus.ACCEPTED,
                ),
            )
            if not form.is_valid():
                raise DomainError(_("Choose the party you sign for."))
            services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                organisation=form.cleaned_data["organisation"],
            )
            messages.success(request, _("You have signed the agreement."))
        elif action == "terminate":
            services.agreement_terminate(actor=request.user, agreement=agreement)
            messages.success(request, _("The agreement is terminated."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(agreement)


def _text(version: AgreementVersion) -> list[str]:
    lines = [
        f"{_('Purpose')}:",
        *version.purpose.splitlines(),
        f"{_('Meeting cadence')}: {version.get_meeting_cadence_display() or '–'}",
        f"{_('Valid from')}: {show_date(version.starts_on)}",
        f"{_('Valid until')}: {show_date(version.ends_on)}",
        f"{_('Contacts')}:",
        *version.contacts.splitlines(),
        f"{_('Signatories')}:",
        *version.signatories.splitlines(),
    ]
    for c in version.commitments.select_related("organisation"):
        lines += [f"{_('Commitments of %(org)s') % {'org': c.organisation.name}}:"]
        lines += c.text.splitlines()
    return lines


def agreement_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side: what was removed and what was added, line by line."""
    agreement = _agreement(request, pk)
    versions = {v.number: v for v in agreement.versions.all()}
    try:
        a = versions[int(request.GET.get("a", "0") or 0)]
        b = versions[int(request.GET.get("b", "0") or 0)]
    except (KeyError, ValueError):
        numbers = sorted(versions)
        a, b = versions[numbers[max(0, len(numbers) - 2)]], versions[numbers[-1]]
    rows = []
    for line in difflib.ndiff(_text(a), _text(b)):
        tag, text = line[:1], line[2:]
        if tag == "?":
            continue
        rows.append({"tag": {"-": "removed", "+": "added"}.get(tag, "same"), "text": text})
    return render(
        request,
        "collaboration/agreement_diff.html",
        {
            "agreement": agreement,
            "p": agreement.partnership,
            "a": a,
            "b": b,
            "rows": rows,
            "numbers": sorted(versions),
        },
    )


def _document_context(request: HttpRequest, pk: int) -> dict:
    agreement = _agreement(request, pk)
    versions = {v.number: v for v in agreement.versions.all()}
    try:
        version = versions[int(request.GET.get("version") or max(versions))]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    return {
        "agreement": agreement,
        "p": agreement.partnership,
        "version": version,
        "parties": agreement.partnership.parties.accepted().select_related("organisation"),
        "commitments": version.commitments.select_related("organisation"),
        "signatures": version.signatures.select_related("organisation", "user"),
    }


def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "collaboration/agreement_document.html", _document_context(request, pk))


def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _document_context(request, pk)
    html = render_to_string("collaboration/agreement_document.html", context, request=request)
    pdf = render_pdf(html)  # tagged PDF/UA with Inter embedded, no network fetches
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"agreement-{context['agreement'].pk}-v{context['version'].number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
