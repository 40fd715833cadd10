"""Policy helpers shared by the collaboration services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import Membership
from yrkesbro.collaboration.models import Partnership
from yrkesbro.core.errors import NotFound, full_clean_or_refuse
from yrkesbro.core.policies import (
    Actor,
    Capability,
    Role,
    is_platform_admin,
    organisation_ids_with,
)


def party_ids(partnership: Partnership) -> set[int]:
    """The organisations that have accepted to be parties (invited ones take no part)."""
    return set(partnership.parties.accepted().values_list("organisation_id", flat=True))


def can(actor: Actor, capability: Capability, partnership: Partnership) -> bool:
    """Whether the actor holds ``capability`` in at least one party of the partnership."""
    if is_platform_admin(actor):
        return True
    return (
        partnership.parties.accepted()
        .filter(organisation_id__in=organisation_ids_with(actor, capability))
        .exists()
    )


def require(actor: Actor, capability: Capability, partnership: Partnership) -> None:
    """Outsiders learn nothing (NotFound); party members without the right get NotAllowed."""
    from yrkesbro.core.errors import NotAllowed

    if can(actor, capability, partnership):
        return
    if can(actor, Capability.VIEW_INTERNAL, partnership):
        raise NotAllowed(_("Your role does not allow this change."))
    raise NotFound(_("Not found."))


def is_member(user: Any, organisation_id: int) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def is_org_admin(user: Any, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.ADMIN
    ).exists()


clean = full_clean_or_refuse
