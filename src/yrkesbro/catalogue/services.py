"""Writes to the catalogue. Each checks the actor, runs in a transaction and is audited.

Only editors (and admins) of the owning school may create, change or delete
its programmes and offerings; platform administrators may do everything.
``actor=None`` is the system (reference and demo loading, imports from the
command line).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yrkesbro.catalogue import search
from yrkesbro.catalogue.models import SCHOOL_KINDS, Offering, Programme
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, full_clean_or_refuse
from yrkesbro.core.policies import Actor, Capability, has_capability
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

PROGRAMME_FIELDS = (
    "national_plan",
    "code",
    "title",
    "field",
    "credits",
    "nkr_level",
    "description",
    "outcomes_knowledge",
    "outcomes_skills",
    "outcomes_general_competence",
    "admission_requirements",
    "nokut_accredited_on",
    "is_demo",
)
#: The many-to-many of a programme's own competence areas: set after the row is saved.
AREAS_FIELD = "competence_areas"
MAX_OWN_AREAS = 10
OFFERING_FIELDS = (
    "code",
    "municipality",
    "place",
    "delivery",
    "pace",
    "start_date",
    "end_date",
    "semesters",
    "seats",
    "price_nok",
    "funding",
    "application_deadline",
    "status",
    "is_demo",
)


def _may_edit(actor: Actor | None, school: Organisation) -> None:
    if actor is None:
        return
    if not has_capability(actor, Capability.EDIT_CONTENT, school):
        raise NotAllowed(_("Only the school's editors can change its programmes."))


_clean = full_clean_or_refuse


def resolve_own_areas(values: Iterable[Any] | None) -> list[CompetenceArea]:
    """A programme's own competence areas from areas or area codes (form, API, import).

    Codes must name active areas; at most ``MAX_OWN_AREAS``; repeats count once."""
    areas: dict[int, CompetenceArea] = {}
    codes: list[str] = []
    for value in values or ():
        if isinstance(value, CompetenceArea):
            areas[value.pk] = value
        elif str(value).strip():
            codes.append(str(value).strip())
    if codes:
        wanted = {c.casefold() for c in codes}
        found = {
            a.code.casefold(): a
            for a in CompetenceArea.objects.filter(is_active=True)
            if a.code.casefold() in wanted
        }
        unknown = [c for c in codes if c.casefold() not in found]
        if unknown:
            raise DomainError(
                _("Unknown competence area: %(codes)s.") % {"codes": ", ".join(unknown[:5])[:200]},
                field=AREAS_FIELD,
            )
        for code in codes:
            area = found[code.casefold()]
            areas[area.pk] = area
    if len(areas) > MAX_OWN_AREAS:
        raise DomainError(
            _("Choose at most %(n)s competence areas.") % {"n": MAX_OWN_AREAS},
            field=AREAS_FIELD,
        )
    return sorted(areas.values(), key=lambda a: a.code)


def _snapshot(programme: Programme) -> dict[str, Any]:
    """The audited values: the row's fields and the codes of its own competence areas."""
    data = audit.snapshot(programme) or {}
    data[AREAS_FIELD] = (
        sorted(programme.competence_areas.values_list("code", flat=True)) if programme.pk else []
    )
    return data


def _check_programme(programme: Programme) -> None:
    _check_programme_fields(programme)
    if programme.code:
        clash = Programme.objects.filter(code=programme.code).exclude(pk=programme.pk)
        if clash.exists():
            raise DomainError(_("Another programme already has this code."), field="code")


def _check_programme_fields(programme: Programme) -> None:
    """Every rule but the code's uniqueness (the bulk importer checks that for a whole file)."""
    if programme.school.kind not in SCHOOL_KINDS:
        raise DomainError(_("Programmes belong to a fagskole or an upper-secondary school."))
    if programme.national_plan is not None and not programme.field:
        programme.field = programme.national_plan.field
    _clean(programme, exclude=["school", "national_plan", "search_length"])


def _check_offering(offering: Offering) -> None:
    _check_offering_fields(offering)
    if offering.code:
        clash = Offering.objects.filter(code=offering.code).exclude(pk=offering.pk)
        if clash.exists():
            raise DomainError(_("Another offering already has this code."), field="code")


def _check_offering_fields(offering: Offering) -> None:
    """Every rule but the code's uniqueness (the bulk importer checks that for a whole file)."""
    if offering.municipality is not None and offering.municipality.kind != Kind.MUNICIPALITY:
        raise DomainError(_("Choose a municipality."), field="municipality")
    if offering.delivery != "online" and offering.municipality is None:
        raise DomainError(
            _("Campus and blended offerings need a municipality."), field="municipality"
        )
    if offering.end_date and offering.start_date and offering.end_date < offering.start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    if (
        offering.application_deadline
        and offering.start_date
        and offering.application_deadline > offering.start_date
    ):
        raise DomainError(
            _("The application deadline is after the start date."), field="application_deadline"
        )
    _clean(offering, exclude=["programme", "municipality"])


def _save(obj: Programme | Offering) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise DomainError(
            _("The values break a rule of the catalogue; nothing was saved.")
        ) from exc


@transaction.atomic
def programme_create(
    *, actor: Actor | None, school: Organisation, data: dict[str, Any]
) -> Programme:
    _may_edit(actor, school)
    areas = resolve_own_areas(data.get(AREAS_FIELD))
    programme = Programme(school=school, **{k: v for k, v in data.items() if k in PROGRAMME_FIELDS})
    _check_programme(programme)
    _save(programme)
    if areas:
        programme.competence_areas.set(areas)
    search.index_programme(programme)
    audit.record(
        actor=actor,
        action="programme.create",
        obj=programme,
        organisation=school,
        after=_snapshot(programme),
    )
    return programme


@transaction.atomic
def programme_update(
    *, actor: Actor | None, programme: Programme, data: dict[str, Any]
) -> Programme:
    _may_edit(actor, programme.school)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = _snapshot(programme)
    data = dict(data)
    areas = resolve_own_areas(data.pop(AREAS_FIELD)) if AREAS_FIELD in data else None
    for key, value in data.items():
        if key not in PROGRAMME_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(programme, key, value)
    _check_programme(programme)
    _save(programme)
    if areas is not None and [a.code for a in areas] != before[AREAS_FIELD]:
        programme.competence_areas.set(areas)
    search.index_programme(programme)
    after = _snapshot(programme)
    if before != after:
        audit.record(
            actor=actor,
            action="programme.update",
            obj=programme,
            organisation=programme.school,
            before=before,
            after=after,
        )
    return programme


@transaction.atomic
def programme_delete(*, actor: Actor | None, programme: Programme) -> None:
    """Delete a programme with its offerings (the audit log keeps what was there)."""
    _may_edit(actor, programme.school)
    before = _snapshot(programme)
    audit.record(
        actor=actor,
        action="programme.delete",
        obj=programme,
        organisation=programme.school,
        before=before,
    )
    search.unindex_programme(programme)
    programme.delete()


@transaction.atomic
def offering_create(*, actor: Actor | None, programme: Programme, data: dict[str, Any]) -> Offering:
    _may_edit(actor, programme.school)
    offering = Offering(
        programme=programme, **{k: v for k, v in data.items() if k in OFFERING_FIELDS}
    )
    _check_offering(offering)
    _save(offering)
    audit.record(
        actor=actor,
        action="offering.create",
        obj=offering,
        organisation=programme.school,
        after=audit.snapshot(offering),
    )
    return offering


@transaction.atomic
def offering_update(*, actor: Actor | None, offering: Offering, data: dict[str, Any]) -> Offering:
    _may_edit(actor, offering.programme.school)
    offering = (
        Offering.objects.select_for_update().select_related("programme__school").get(pk=offering.pk)
    )
    before = audit.snapshot(offering)
    for key, value in data.items():
        if key not in OFFERING_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(offering, key, value)
    _check_offering(offering)
    _save(offering)
    after = audit.snapshot(offering)
    if before != after:
        audit.record(
            actor=actor,
            action="offering.update",
            obj=offering,
            organisation=offering.programme.school,
            before=before,
            after=after,
        )
    return offering


@transaction.atomic
def offering_delete(*, actor: Actor | None, offering: Offering) -> None:
    school = offering.programme.school
    _may_edit(actor, school)
    audit.record(
        actor=actor,
        action="offering.delete",
        obj=offering,
        organisation=school,
        before=audit.snapshot(offering),
    )
    offering.delete()
