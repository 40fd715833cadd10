"""Reads about people and their access."""

from __future__ import annotations

from django.db.models import QuerySet

from yrkesbro.accounts.models import ApiToken, Invitation, Membership
from yrkesbro.core.policies import ROLE_CAPABILITIES, Actor, Capability, is_platform_admin
from yrkesbro.organisations.models import Organisation


def members_of(*, actor: Actor, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(actor)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )


def memberships_of_user(*, actor: Actor) -> QuerySet[Membership]:
    if not actor.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=actor)
        .select_related("organisation", "organisation__county")
        .order_by("organisation__name")
    )


def pending_invitations(*, actor: Actor, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.visible_to(actor).pending().filter(organisation=organisation)


def tokens_of(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.visible_to(actor)


def capabilities_in(*, actor: Actor, organisation: Organisation) -> set[str]:
    """What the actor may do in one organisation, for deciding which controls to show.

    Showing is a courtesy; the services decide again on every write.
    """
    if is_platform_admin(actor):
        return {cap.value for cap in Capability}
    if not actor.is_authenticated:
        return set()
    role = (
        Membership.objects.filter(user=actor, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    return {cap.value for cap in ROLE_CAPABILITIES.get(role or "", frozenset())}
