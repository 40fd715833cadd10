"""Reads of the competence taxonomy (public)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from yrkesbro.catalogue.models import NationalPlan
from yrkesbro.taxonomy.models import CompetenceArea


def area_list(*, include_inactive: bool = False, field: str = "") -> QuerySet[CompetenceArea]:
    qs = CompetenceArea.objects.prefetch_related(
        Prefetch("national_plans", queryset=NationalPlan.objects.order_by("code"))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if field:
        qs = qs.filter(field=field)
    return qs


def areas_by_code(codes: list[str]) -> dict[str, CompetenceArea]:
    return {a.code: a for a in CompetenceArea.objects.filter(code__in=codes)}
