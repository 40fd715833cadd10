"""Reads of organisations for pages and the API."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from yrkesbro.core.lru import BoundedCache
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


# What a row of the organisations list shows (organisations/partials/results.html).
LIST_COLUMNS = ("id", "kind", "name", "number", "org_number", "is_demo", "county__name")


def list_rows(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """``organisation_list`` narrowed to the list's columns: 25 organisations with their
    county's name, not every column of three organisations a row (the API keeps them)."""
    return qs.select_related(None).select_related("county").only(*LIST_COLUMNS)


# The register changes a few times a year; a process keeps the places for a minute, so a
# renamed or new municipality reaches every picker within that minute.
PLACES_SECONDS = 60
_places: BoundedCache[list[tuple[str, str, str]]] = BoundedCache(1, max_age=PLACES_SECONDS)


def places() -> list[tuple[str, str, str]]:
    """Active counties and municipalities as ``(kind, number, name)``, by name: the
    choices of the place filters on every catalogue page (372 rows, read once a minute
    per process rather than on every request)."""
    found = _places.get("places")
    if found is None:
        found = list(
            Organisation.objects.filter(kind__in=(Kind.COUNTY, Kind.MUNICIPALITY), is_active=True)
            .order_by("name")
            .values_list("kind", "number", "name")
        )
        _places.set("places", found)
    return found


def counties() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Kind.COUNTY, is_active=True).order_by("number")
