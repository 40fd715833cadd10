"""Who may see or change what: decided here, in SQL, for every app.

A membership gives a user a role in one organisation; a role is a set of
capabilities. Query sets of organisation-owned data inherit ``ScopedQuerySet``
and expose ``visible_to(actor)`` and ``editable_by(actor)``, which views, the
API, exports and counts all go through. Platform administrators
(``is_superuser``) may do everything.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yrkesbro.accounts.models import User

    Actor: TypeAlias = User | AnonymousUser
else:
    Actor: TypeAlias = Any


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Capability(StrEnum):
    VIEW_INTERNAL = "view_internal"  # read the organisation's internal data and members
    EDIT_CONTENT = "edit_content"  # create and change the organisation's content
    EDIT_PROFILE = "edit_profile"  # change the organisation's own details
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove members
    VIEW_AUDIT = "view_audit"  # read the organisation's audit log


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.EDITOR: frozenset({Capability.VIEW_INTERNAL, Capability.EDIT_CONTENT}),
    Role.VIEWER: frozenset({Capability.VIEW_INTERNAL}),
}


def roles_with(capability: Capability) -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def is_platform_admin(actor: Actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.is_superuser)


def organisation_ids_with(actor: Actor, capability: Capability) -> models.QuerySet:
    """A sub-query of the ids of organisations where ``actor`` holds ``capability``."""
    membership = apps.get_model("accounts", "Membership")
    if not (actor and actor.is_authenticated and actor.is_active):
        return membership.objects.none().values("organisation_id")
    return membership.objects.filter(user=actor, role__in=roles_with(capability)).values(
        "organisation_id"
    )


def organisation_ids_with_any(
    actor: Actor, capabilities: tuple[Capability, ...]
) -> models.QuerySet:
    """A sub-query of the ids of organisations where ``actor`` holds any of ``capabilities``."""
    membership = apps.get_model("accounts", "Membership")
    if not (actor and actor.is_authenticated and actor.is_active):
        return membership.objects.none().values("organisation_id")
    roles = sorted({role for c in capabilities for role in roles_with(c)})
    return membership.objects.filter(user=actor, role__in=roles).values("organisation_id")


def capabilities_in_any(actor: Actor, organisation_ids: models.QuerySet) -> frozenset[Capability]:
    """Every capability ``actor`` holds in at least one of ``organisation_ids`` (a one-column
    sub-query), in one query: what several ``has_capability`` checks would ask one by one."""
    if is_platform_admin(actor):
        return frozenset(Capability)
    if not (actor and actor.is_authenticated and actor.is_active):
        return frozenset()
    membership = apps.get_model("accounts", "Membership")
    roles = (
        membership.objects.filter(user=actor, organisation_id__in=organisation_ids)
        .order_by()
        .values_list("role", flat=True)
        .distinct()
    )
    return frozenset(cap for role in roles for cap in ROLE_CAPABILITIES.get(role, ()))


def has_capability(actor: Actor, capability: Capability, organisation: Any) -> bool:
    """One check for one organisation, for services about to write."""
    if organisation is None:
        return is_platform_admin(actor)
    if is_platform_admin(actor):
        return True
    org_id = getattr(organisation, "pk", organisation)
    return organisation_ids_with(actor, capability).filter(organisation_id=org_id).exists()


class ScopedQuerySet(models.QuerySet):
    """Rows owned by an organisation, filtered by what the actor may do there.

    ``organisation_field`` is the lookup path from the row to its owning
    organisation's id. Subclasses override ``public`` for rows anyone may read.
    """

    organisation_field = "organisation"

    def public(self) -> models.QuerySet:
        return self.none()

    def with_capability(self, actor: Actor, capability: Capability) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        lookup = f"{self.organisation_field}__in"
        return self.filter(**{lookup: organisation_ids_with(actor, capability)})

    def visible_to(self, actor: Actor) -> models.QuerySet:
        if is_platform_admin(actor):
            return self.all()
        return self.public() | self.with_capability(actor, Capability.VIEW_INTERNAL)

    def editable_by(self, actor: Actor) -> models.QuerySet:
        return self.with_capability(actor, Capability.EDIT_CONTENT)
