"""Pages for a person's own data: their studies and policies, the JSON export and the
request to delete; the administrators' list of deletion requests; the record of processing."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yrkesbro.core.errors import DomainError
from yrkesbro.workforce import privacy, selectors
from yrkesbro.workforce.models import DeletionRequest, DeletionStatus, IncentivePolicy
from yrkesbro.workforce.views import PAGE_SIZE, _id

# The person's own page ------------------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    from yrkesbro.accounts.models import Membership

    mine = list(selectors.my_enrolments(request.user))
    org_ids = {e.organisation_id for e in mine} | set(
        Membership.objects.filter(user_id=cast(int, request.user.pk)).values_list(
            "organisation_id", flat=True
        )
    )
    policies = IncentivePolicy.objects.filter(
        organisation_id__in=org_ids, is_published=True
    ).select_related("organisation")
    return render(
        request,
        "workforce/me.html",
        {
            "enrolments": mine,
            "policies": policies,
            "pending": DeletionRequest.objects.filter(
                user_id=cast(int, request.user.pk), status=DeletionStatus.PENDING
            ).first(),
        },
    )


@login_required
def me_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(privacy.export_json(request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="yrkesbro-my-data.json"'
    return response


@login_required
@require_POST
def me_delete(request: HttpRequest) -> HttpResponse:
    try:
        privacy.deletion_request_create(actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Your request to delete your data is sent to your organisation's administrators."),
        )
    return redirect("workforce:me")


@login_required
def deletions(request: HttpRequest) -> HttpResponse:
    rows = (
        DeletionRequest.objects.editable_by(request.user)
        .select_related("user", "organisation")
        .order_by("status", "-requested_at")
    )
    return render(
        request,
        "workforce/deletions.html",
        {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


@login_required
@require_POST
def deletion_carry_out(request: HttpRequest, deletion_id: int) -> HttpResponse:
    row = get_object_or_404(DeletionRequest.objects.editable_by(request.user), pk=_id(deletion_id))
    try:
        privacy.deletion_request_carry_out(actor=request.user, request=row)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The person's data is deleted."))
    return redirect("workforce:deletions")


def record_of_processing(request: HttpRequest) -> HttpResponse:
    """The platform's record of processing, read from the personal-data registry (public)."""
    from yrkesbro.core.personal_data import REGISTRY

    rows = []
    for key in sorted(REGISTRY):
        declaration = REGISTRY[key]
        meta = declaration.model_class._meta
        rows.append(
            {
                "record": capfirst(meta.verbose_name),
                "fields": [
                    str(getattr(meta.get_field(name), "verbose_name", name))
                    for name in declaration.fields
                ],
                "purpose": declaration.purpose,
                "retention": declaration.retention,
            }
        )
    rows.sort(key=lambda row: str(row["record"]).casefold())
    return render(request, "workforce/record.html", {"rows": rows})
