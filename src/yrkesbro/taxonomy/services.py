"""Changes to the competence taxonomy: platform administrators only, versioned and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue.models import NationalPlan
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.policies import Actor, is_platform_admin
from yrkesbro.taxonomy.models import AreaField, CompetenceArea, TaxonomyVersion

EDITABLE_FIELDS = ("field", "name_nb", "name_nn", "name_en", "synonyms")


def _require_admin(actor: Actor) -> None:
    if not is_platform_admin(actor):
        raise NotAllowed(_("Only platform administrators can change the competence taxonomy."))


def _snapshot(area: CompetenceArea) -> dict[str, Any]:
    data = audit.snapshot(area) or {}
    data["national_plans"] = sorted(area.national_plans.values_list("code", flat=True))
    return data


def _bump(actor: Actor, area: CompetenceArea, summary: str) -> TaxonomyVersion:
    # Serialise version numbers: lock the newest row (none yet: the unique constraint guards).
    latest = TaxonomyVersion.objects.select_for_update().order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    user = actor if actor is not None and actor.is_authenticated else None
    return TaxonomyVersion.objects.create(number=number, actor=user, area=area, summary=summary)


def _clean(area: CompetenceArea) -> None:
    area.name_nb = area.name_nb.strip()
    area.name_nn = area.name_nn.strip()
    area.name_en = area.name_en.strip()
    area.synonyms = ", ".join(w.strip() for w in area.synonyms.split(",") if w.strip())
    if area.field not in AreaField.values:
        raise DomainError(_("Choose health, upbringing or both."), field="field")
    from yrkesbro.core.model_inputs import check_instance

    check_instance(area)
    try:
        area.full_clean(exclude=["national_plans"], validate_unique=True)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field_name) from exc


def _plans(codes: list[str]) -> list[NationalPlan]:
    plans = list(NationalPlan.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {p.code for p in plans})
    if unknown:
        raise DomainError(
            _("Unknown national plan: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="national_plans",
        )
    return plans


@transaction.atomic
def area_create(
    *, actor: Actor, data: dict[str, Any], plan_codes: list[str] | None = None
) -> CompetenceArea:
    _require_admin(actor)
    area = CompetenceArea(code=str(data.get("code", "")).strip().lower())
    for key in EDITABLE_FIELDS:
        if key in data:
            setattr(area, key, data[key] or "")
    _clean(area)
    area.save()
    if plan_codes:
        area.national_plans.set(_plans(plan_codes))
    version = _bump(actor, area, f"create {area.code}")
    after = _snapshot(area) | {"taxonomy_version": version.number}
    audit.record(actor=actor, action="taxonomy.area_create", obj=area, after=after)
    return area


@transaction.atomic
def area_update(*, actor: Actor, area: CompetenceArea, data: dict[str, Any]) -> CompetenceArea:
    """Change names, field or synonyms. The code never changes: others refer to areas by it."""
    _require_admin(actor)
    area = CompetenceArea.objects.select_for_update().get(pk=area.pk)
    before = _snapshot(area)
    for key, value in data.items():
        if key not in EDITABLE_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(area, key, value or "")
    _clean(area)
    area.save()
    after = _snapshot(area)
    if before != after:
        version = _bump(actor, area, f"update {area.code}")
        after["taxonomy_version"] = version.number
        audit.record(
            actor=actor, action="taxonomy.area_update", obj=area, before=before, after=after
        )
    return area


@transaction.atomic
def area_set_plans(*, actor: Actor, area: CompetenceArea, plan_codes: list[str]) -> CompetenceArea:
    """Replace the national plans that cover an area (an empty list: none covers it)."""
    _require_admin(actor)
    area = CompetenceArea.objects.select_for_update().get(pk=area.pk)
    before = _snapshot(area)
    area.national_plans.set(_plans(plan_codes))
    after = _snapshot(area)
    if before != after:
        version = _bump(actor, area, f"map {area.code}")
        after["taxonomy_version"] = version.number
        audit.record(actor=actor, action="taxonomy.area_map", obj=area, before=before, after=after)
    return area


@transaction.atomic
def area_set_active(*, actor: Actor, area: CompetenceArea, active: bool) -> CompetenceArea:
    """Deactivate (or reactivate) an area. Existing needs keep it; new ones cannot choose it."""
    _require_admin(actor)
    area = CompetenceArea.objects.select_for_update().get(pk=area.pk)
    if area.is_active == active:
        return area
    before = _snapshot(area)
    area.is_active = active
    area.save(update_fields=["is_active"])
    after = _snapshot(area)
    version = _bump(actor, area, f"{'activate' if active else 'deactivate'} {area.code}")
    after["taxonomy_version"] = version.number
    audit.record(
        actor=actor,
        action="taxonomy.area_activate" if active else "taxonomy.area_deactivate",
        obj=area,
        before=before,
        after=after,
    )
    return area
