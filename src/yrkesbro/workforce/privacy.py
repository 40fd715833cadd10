"""A person's control over their personal data: the export on "My page", the request to
delete, and the organisation administrator carrying the deletion out. What is exported
and how each model is erased is decided by the registry (``core.personal_data``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.core import audit, personal_data
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.policies import Actor, Capability, has_capability
from yrkesbro.workforce.models import DeletionRequest, DeletionStatus


def export_json(user: Any) -> str:
    data = {
        "exported_at": timezone.now(),
        "user_id": user.pk,
        "records": personal_data.export_person(user),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def deletion_request_create(*, actor: Actor) -> DeletionRequest:
    """The signed-in person asks for deletion; the administrators of their (first)
    organisation see the request."""
    from yrkesbro.accounts.models import Membership

    if not (actor and actor.is_authenticated):
        raise NotAllowed(_("Sign in to ask for deletion."))
    if actor.is_superuser:
        raise DomainError(_("A platform administrator's account cannot be deleted this way."))
    existing = DeletionRequest.objects.filter(user=actor, status=DeletionStatus.PENDING).first()
    if existing is not None:
        return existing
    membership = Membership.objects.filter(user=actor).order_by("created_at", "pk").first()
    request = DeletionRequest.objects.create(
        user=actor, organisation=membership.organisation if membership else None
    )
    audit.record(
        actor=actor,
        action="personal_data.deletion_request",
        obj=request,
        organisation=request.organisation,
    )
    return request


@transaction.atomic
def deletion_request_carry_out(*, actor: Actor, request: DeletionRequest) -> dict[str, int]:
    """Erase the person everywhere (anonymised where others' records must stay)."""
    request = DeletionRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if not has_capability(actor, Capability.MANAGE_MEMBERS, request.organisation):
        raise NotAllowed(_("Only the organisation's administrators can carry out deletions."))
    if request.status != DeletionStatus.PENDING:
        raise DomainError(_("This deletion has already been carried out."), code="done")
    if actor.pk == request.user_id:
        raise DomainError(_("Ask another administrator to carry out your own deletion."))
    counts = personal_data.erase_person(request.user)
    request.status = DeletionStatus.DONE
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_at"])
    audit.record(
        actor=actor,
        action="personal_data.erase",
        obj=request,
        organisation=request.organisation,
        after={"rows": counts},
    )
    return counts
