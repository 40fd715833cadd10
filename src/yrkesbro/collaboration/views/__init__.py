"""Web pages for collaboration structures, one module per area."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from yrkesbro.collaboration.models import Partnership
from yrkesbro.collaboration.services.common import can
from yrkesbro.core.policies import Capability


def private_partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership, for its parties' members; everyone else gets 404."""
    return get_object_or_404(Partnership.objects.private_to(request.user), pk=pk)


def rights(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    return {
        "can_view": can(request.user, Capability.VIEW_INTERNAL, partnership),
        "can_edit": can(request.user, Capability.EDIT_CONTENT, partnership),
        "can_admin": can(request.user, Capability.MANAGE_MEMBERS, partnership),
    }


def require_edit(request: HttpRequest, partnership: Partnership) -> None:
    if not can(request.user, Capability.EDIT_CONTENT, partnership):
        raise Http404
