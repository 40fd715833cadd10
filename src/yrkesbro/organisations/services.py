"""Writes to organisations. Every function checks the actor and records an audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, full_clean_or_refuse
from yrkesbro.core.policies import Actor, Capability, has_capability, is_platform_admin
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.organisations.register import SHRINK_LIMIT, ParsedRegister
from yrkesbro.organisations.validators import normalise_org_number

# Fields an organisation's own admins may change. Name, kind and official
# numbers of counties and municipalities come from the register.
PROFILE_FIELDS = ("website", "description", "org_number")
PROFILE_FIELDS_REGISTERED = ("website", "description")
CREATE_FIELDS = ("kind", "name", "org_number", "municipality", "website", "description", "code")


def _clean(org: Organisation) -> None:
    org.org_number = normalise_org_number(org.org_number)
    # Uniqueness is checked below, so the message can name the field.
    full_clean_or_refuse(org, exclude=["search_name", "county", "municipality"])
    if org.org_number:
        clash = Organisation.objects.filter(org_number=org.org_number).exclude(pk=org.pk)
        if clash.exists():
            raise DomainError(
                _("Another organisation already has this organisation number."), field="org_number"
            )


@transaction.atomic
def organisation_create(*, actor: Actor, data: dict[str, Any]) -> Organisation:
    """Platform admins register schools, companies, training offices and agencies."""
    if not is_platform_admin(actor):
        raise NotAllowed(_("Only platform administrators can register organisations."))
    if data.get("kind") in (Kind.COUNTY, Kind.MUNICIPALITY):
        raise DomainError(
            _("Counties and municipalities come from the national register; import it instead."),
            field="kind",
        )
    org = Organisation(**{k: v for k, v in data.items() if k in CREATE_FIELDS})
    if org.municipality_id:
        if org.municipality.kind != Kind.MUNICIPALITY:  # type: ignore[union-attr]
            raise DomainError(_("Choose a municipality."), field="municipality")
        org.county_id = org.municipality.county_id  # type: ignore[union-attr]
    _clean(org)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise DomainError(_("An organisation with this number or code already exists.")) from exc
    audit.record(
        actor=actor,
        action="organisation.create",
        obj=org,
        organisation=org,
        after=audit.snapshot(org),
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    if not has_capability(actor, Capability.EDIT_PROFILE, organisation):
        raise NotAllowed(_("You cannot change this organisation's details."))
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    allowed = PROFILE_FIELDS_REGISTERED if org.is_public_body else PROFILE_FIELDS
    if is_platform_admin(actor) and not org.is_public_body:
        allowed = (*allowed, "name")
    before = audit.snapshot(org)
    for key, value in data.items():
        if key not in allowed:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(org, key, value)
    _clean(org)
    org.save()
    after = audit.snapshot(org)
    if before != after:
        audit.record(
            actor=actor,
            action="organisation.update",
            obj=org,
            organisation=org,
            before=before,
            after=after,
        )
    return org


@dataclass
class RegisterReport:
    counties_created: int = 0
    counties_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    unchanged: int = 0
    deactivated: list[str] = field(default_factory=list)
    counties_deactivated: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # names, for the dry run's summary
    updated: list[str] = field(default_factory=list)
    dry_run: bool = False


def _upsert(
    actor: Actor | None, kind: str, number: str, values: dict[str, Any]
) -> tuple[Organisation, str]:
    org = Organisation.objects.filter(kind=kind, number=number).first()
    if org is None:
        org = Organisation.objects.create(kind=kind, number=number, **values)
        audit.record(
            actor=actor,
            action="organisation.import",
            obj=org,
            organisation=org,
            after=audit.snapshot(org),
        )
        return org, "created"
    before = audit.snapshot(org)
    for key, value in values.items():
        setattr(org, key, value)
    after = audit.snapshot(org, fields=list(before or {}))
    if before == after:
        return org, "unchanged"
    org.save()
    audit.record(
        actor=actor,
        action="organisation.import",
        obj=org,
        organisation=org,
        before=before,
        after=audit.snapshot(org),
    )
    return org, "updated"


@transaction.atomic
def register_import(
    *,
    actor: Actor | None,
    parsed: ParsedRegister,
    dry_run: bool = False,
    allow_shrink: bool = False,
) -> RegisterReport:
    """Create or update counties and municipalities from a parsed register.

    ``actor`` None is the system loading the register shipped with Yrkesbro.
    Municipalities missing from the file are deactivated, not deleted, so the
    history that points at them survives a merger. An import that would
    deactivate more than ``SHRINK_LIMIT`` of the active register is refused
    unless ``allow_shrink`` (a one-row file is far likelier a wrong file than
    a reform). ``dry_run`` does everything, reports it by name, and rolls back.
    """
    if actor is not None and not is_platform_admin(actor):
        raise NotAllowed(_("Only platform administrators can import the register."))
    if parsed.errors:
        raise DomainError(_("The file has errors; nothing was imported."))
    report = RegisterReport()
    counties: dict[str, Organisation] = {}
    for number, name in sorted(parsed.counties.items()):
        county, outcome = _upsert(actor, Kind.COUNTY, number, {"name": name, "is_active": True})
        counties[number] = county
        if outcome == "created":
            report.counties_created += 1
            report.created.append(county.name)
        elif outcome == "updated":
            report.counties_updated += 1
            report.updated.append(county.name)
        else:
            report.unchanged += 1
    for row in parsed.rows:
        org, outcome = _upsert(
            actor,
            Kind.MUNICIPALITY,
            row.number,
            {
                "name": row.name,
                "other_names": row.other_names,
                "county": counties[row.county_number],
                "org_number": row.org_number,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "is_active": True,
            },
        )
        if outcome == "created":
            report.municipalities_created += 1
            report.created.append(org.name)
        elif outcome == "updated":
            report.municipalities_updated += 1
            report.updated.append(org.name)
        else:
            report.unchanged += 1
    numbers = {row.number for row in parsed.rows}
    active = Organisation.objects.filter(
        kind__in=[Kind.MUNICIPALITY, Kind.COUNTY], is_active=True
    ).exclude(number="")
    gone = active.filter(kind=Kind.MUNICIPALITY).exclude(number__in=numbers)
    gone_counties = active.filter(kind=Kind.COUNTY).exclude(number__in=set(parsed.counties))
    losing, total = gone.count() + gone_counties.count(), active.count()
    if not allow_shrink and total and losing > SHRINK_LIMIT * total:
        raise DomainError(
            _(
                "The file would deactivate %(losing)s of %(total)s active counties and "
                "municipalities. If that is right, import again allowing the register to shrink."
            )
            % {"losing": losing, "total": total},
            code="register_shrink",
        )
    for org in gone:
        before = audit.snapshot(org)
        org.is_active = False
        org.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="organisation.deactivate",
            obj=org,
            organisation=org,
            before=before,
            after=audit.snapshot(org),
        )
        report.deactivated.append(org.name)
    for county in gone_counties:
        before = audit.snapshot(county)
        county.is_active = False
        county.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="organisation.deactivate",
            obj=county,
            organisation=county,
            before=before,
            after=audit.snapshot(county),
        )
        report.counties_deactivated.append(county.name)
    if dry_run:
        report.dry_run = True
        transaction.set_rollback(True)
        return report
    # Reach is read from the distances between municipality points: recompute them with
    # the register (only when a point may have moved; a re-import of the same file skips it).
    from yrkesbro.organisations import distances

    if report.municipalities_created or report.municipalities_updated:
        distances.rebuild()
    else:
        distances.ensure()
    return report
