"""Reads of organisations for pages and the API."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from yrkesbro.core.policies import Actor
from yrkesbro.organisations.models import Kind, Organisation, OrganisationQuerySet


def organisation_list(
    *, actor: Actor, q: str = "", kind: str = "", county: str = "", include_inactive: bool = False
) -> QuerySet[Organisation]:
    """Organisations matching a search; ``county`` is a county number ("34") or id."""
    qs = Organisation.objects.visible_to(actor).select_related("county", "municipality")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if county:
        if len(county) == 2 and county.isdigit():
            qs = qs.filter(county__number=county)
        elif county.isdigit():
            qs = qs.filter(county_id=int(county))
        else:
            return qs.none()
    return cast(OrganisationQuerySet, qs).search(q)


def counties() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")
