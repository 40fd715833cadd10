"""Web pages for collaboration structures, one module per area."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from yrkesbro.collaboration.models import Partnership
from yrkesbro.collaboration.services.common import can
from yrkesbro.core.policies import Capability, capabilities_in_any


def private_partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership, for its parties' members; everyone else gets 404."""
    return get_object_or_404(Partnership.objects.private_to(request.user), pk=pk)


def rights(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """What the reader may do here (``can`` for each capability, asked in one query)."""
    caps = capabilities_in_any(
        request.user, partnership.parties.accepted().values("organisation_id")
    )
    return {
        "can_view": Capability.VIEW_INTERNAL in caps,
        "can_edit": Capability.EDIT_CONTENT in caps,
        "can_admin": Capability.MANAGE_MEMBERS in caps,
    }


def require_edit(request: HttpRequest, partnership: Partnership) -> None:
    if not can(request.user, Capability.EDIT_CONTENT, partnership):
        raise Http404
