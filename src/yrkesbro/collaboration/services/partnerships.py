"""Partnerships, their parties, representatives, liaisons and structure types."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import (
    Bindingness,
    ContactEntry,
    ContactKind,
    Level,
    Liaison,
    Partnership,
    PartnershipParty,
    PartyStatus,
    Representative,
    StructureType,
)
from yrkesbro.collaboration.services.common import clean, is_member, party_ids, require
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.inputs import check_date, check_single_line, check_text
from yrkesbro.core.policies import Actor, Capability, has_capability
from yrkesbro.organisations.models import Kind, Organisation

PARTNERSHIP_FIELDS = ("name", "purpose", "structure_type", "bindingness", "trades", "is_public")


@transaction.atomic
def structure_type_create(
    *,
    actor: Actor,
    name: str,
    bindingness: str,
    description: str = "",
    owner: Organisation | None = None,
    partnership: Partnership | None = None,
) -> StructureType:
    """A county (school owner) defines types for its area; a partnership for itself."""
    if partnership is not None:
        require(actor, Capability.EDIT_CONTENT, partnership)
    elif owner is None:
        raise DomainError(_("Choose who defines the structure type."), field="owner")
    elif owner.kind != Kind.COUNTY:
        raise DomainError(
            _("Structure types are defined by a county or by a partnership."), field="owner"
        )
    elif not has_capability(actor, Capability.EDIT_CONTENT, owner):
        raise NotAllowed(_("You cannot define structure types for this county."))
    if bindingness not in Bindingness.values:
        raise DomainError(_("Choose how binding the structure is."), field="bindingness")
    check_single_line(name, field="name")
    check_text(description, field="description")
    st = StructureType(
        name=name.strip(),
        description=description,
        bindingness=bindingness,
        owner=owner,
        partnership=partnership,
    )
    clean(st, exclude=["owner", "partnership"])
    st.save()
    audit.record(
        actor=actor,
        action="structure_type.create",
        obj=st,
        organisation=owner,
        after=audit.snapshot(st),
    )
    return st


def _check_partnership_data(data: dict[str, Any]) -> None:
    for key in ("name", "trades"):
        if isinstance(data.get(key), str):
            check_single_line(data[key], field=key)
    if isinstance(data.get("purpose"), str):
        check_text(data["purpose"], field="purpose")


def _consents(actor: Actor, organisation: Organisation) -> bool:
    """Whether the actor may commit ``organisation`` to a partnership without asking it:
    someone who may edit its content (as when they start a partnership for it)."""
    return has_capability(actor, Capability.EDIT_CONTENT, organisation)


def _check_organisations(organisations: Iterable[Organisation]) -> list[Organisation]:
    unique = {org.pk: org for org in organisations}
    if len(unique) < 2:
        raise DomainError(
            _("A partnership needs at least two different organisations."), field="organisations"
        )
    return list(unique.values())


@transaction.atomic
def partnership_create(
    *,
    actor: Actor,
    data: dict[str, Any],
    organisations: Iterable[Organisation],
    competence_areas: Iterable[Any] = (),
) -> Partnership:
    """Anyone who may edit content in one of the organisations may start a partnership.

    The actor's own organisations take part at once; every other organisation is
    invited and takes no part until an admin there accepts.
    """
    orgs = _check_organisations(organisations)
    _check_partnership_data(data)
    if not any(has_capability(actor, Capability.EDIT_CONTENT, org) for org in orgs):
        raise NotAllowed(
            _("You can only start a partnership that one of your organisations takes part in."),
            field="organisations",
        )
    partnership = Partnership(**{k: v for k, v in data.items() if k in PARTNERSHIP_FIELDS})
    if partnership.structure_type_id and "bindingness" not in data:
        partnership.bindingness = partnership.structure_type.bindingness  # type: ignore[union-attr]
    partnership.created_by = actor if actor.is_authenticated else None
    clean(partnership, exclude=["created_by"])
    partnership.save()
    now = timezone.now()
    PartnershipParty.objects.bulk_create(
        PartnershipParty(
            partnership=partnership,
            organisation=org,
            status=PartyStatus.ACCEPTED if _consents(actor, org) else PartyStatus.INVITED,
            invited_by=partnership.created_by,
            answered_at=now if _consents(actor, org) else None,
        )
        for org in orgs
    )
    partnership.competence_areas.set(list(competence_areas))
    audit.record(
        actor=actor,
        action="partnership.create",
        obj=partnership,
        organisation=orgs[0],
        after={**(audit.snapshot(partnership) or {}), "parties": [o.pk for o in orgs]},
    )
    return partnership


@transaction.atomic
def partnership_update(
    *,
    actor: Actor,
    partnership: Partnership,
    data: dict[str, Any],
    competence_areas: Iterable[Any] | None = None,
) -> Partnership:
    require(actor, Capability.EDIT_CONTENT, partnership)
    _check_partnership_data(data)
    obj = Partnership.objects.select_for_update().get(pk=partnership.pk)
    before = audit.snapshot(obj)
    for key, value in data.items():
        if key not in PARTNERSHIP_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(obj, key, value)
    if "structure_type" in data and obj.structure_type_id and "bindingness" not in data:
        obj.bindingness = obj.structure_type.bindingness  # type: ignore[union-attr]
    clean(obj, exclude=["created_by"])
    obj.save()
    if competence_areas is not None:
        obj.competence_areas.set(list(competence_areas))
    audit.record(
        actor=actor,
        action="partnership.update",
        obj=obj,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


@transaction.atomic
def party_add(
    *, actor: Actor, partnership: Partnership, organisation: Organisation, role: str = ""
) -> PartnershipParty:
    """Invite ``organisation`` to the partnership; an admin there accepts or declines.

    An actor who may edit the organisation's content commits it at once. A declined
    invitation may be renewed; nothing is e-mailed (the invitation waits in the
    organisation's inbox), so an invitation cannot be used to send mail to strangers.
    """
    require(actor, Capability.EDIT_CONTENT, partnership)
    check_single_line(role, field="role")
    existing = PartnershipParty.objects.filter(
        partnership=partnership, organisation=organisation
    ).first()
    if existing is not None and existing.status != PartyStatus.DECLINED:
        raise DomainError(
            _("This organisation is already a party or invited."), field="organisation"
        )
    consents = _consents(actor, organisation)
    party = existing or PartnershipParty(partnership=partnership, organisation=organisation)
    party.role = role
    party.status = PartyStatus.ACCEPTED if consents else PartyStatus.INVITED
    party.invited_by = actor if actor.is_authenticated else None
    party.answered_at = timezone.now() if consents else None
    party.save()
    audit.record(
        actor=actor,
        action="partnership.party_invite",
        obj=partnership,
        organisation=organisation,
        after={"organisation": organisation.pk, "role": role, "status": party.status},
    )
    return party


def _answerable(actor: Actor, party: PartnershipParty) -> PartnershipParty:
    """The party row locked, if ``actor`` may answer for its organisation (an admin)."""
    if not has_capability(actor, Capability.MANAGE_MEMBERS, party.organisation_id):
        if has_capability(actor, Capability.VIEW_INTERNAL, party.organisation_id):
            raise NotAllowed(_("Only an administrator of the organisation can answer this."))
        raise NotFound(_("Not found."))
    return PartnershipParty.objects.select_for_update().get(pk=party.pk)


@transaction.atomic
def party_accept(*, actor: Actor, party: PartnershipParty) -> PartnershipParty:
    """An admin of the invited organisation agrees to take part."""
    row = _answerable(actor, party)
    if row.status != PartyStatus.INVITED:
        raise DomainError(_("This invitation is no longer open."))
    row.status = PartyStatus.ACCEPTED
    row.answered_at = timezone.now()
    row.save(update_fields=["status", "answered_at"])
    audit.record(
        actor=actor,
        action="partnership.party_accept",
        obj=row.partnership,
        organisation=row.organisation,
        after={"organisation": row.organisation_id, "status": row.status},
    )
    return row


@transaction.atomic
def party_decline(*, actor: Actor, party: PartnershipParty) -> PartnershipParty:
    """An admin of the invited organisation says no; nothing of it is shared."""
    row = _answerable(actor, party)
    if row.status != PartyStatus.INVITED:
        raise DomainError(_("This invitation is no longer open."))
    row.status = PartyStatus.DECLINED
    row.answered_at = timezone.now()
    row.save(update_fields=["status", "answered_at"])
    audit.record(
        actor=actor,
        action="partnership.party_decline",
        obj=row.partnership,
        organisation=row.organisation,
        after={"organisation": row.organisation_id, "status": row.status},
    )
    return row


def _detach(partnership: Partnership, organisation: Organisation) -> None:
    """Take an organisation and its people out of everything in the partnership."""
    from yrkesbro.collaboration.models import Forum
    from yrkesbro.collaboration.selectors import pickable_people

    PartnershipParty.objects.filter(partnership=partnership, organisation=organisation).delete()
    Representative.objects.filter(partnership=partnership, organisation=organisation).delete()
    staying = pickable_people(partnership).values("pk")
    Liaison.objects.filter(partnership=partnership).exclude(user__in=staying).delete()
    for forum in Forum.objects.filter(partnership=partnership):
        forum.organisations.remove(organisation)
        forum.people.remove(*forum.people.exclude(pk__in=staying))


@transaction.atomic
def party_remove(*, actor: Actor, partnership: Partnership, organisation: Organisation) -> None:
    """An editor of the partnership removes a party or withdraws an invitation."""
    require(actor, Capability.EDIT_CONTENT, partnership)
    party = PartnershipParty.objects.filter(
        partnership=partnership, organisation=organisation
    ).first()
    if party is None:
        raise NotFound(_("Not found."))
    if party.status == PartyStatus.ACCEPTED and len(party_ids(partnership)) <= 2:
        raise DomainError(_("A partnership needs at least two parties."))
    _detach(partnership, organisation)
    audit.record(
        actor=actor,
        action="partnership.party_remove",
        obj=partnership,
        organisation=organisation,
        before={"organisation": organisation.pk, "status": party.status},
    )


@transaction.atomic
def party_leave(*, actor: Actor, partnership: Partnership, organisation: Organisation) -> None:
    """An admin of a party takes the organisation out of the partnership.

    Consent can be withdrawn at any time, so leaving is allowed even when fewer
    than two parties stay; the organisation's people leave its forums too.
    """
    party = PartnershipParty.objects.filter(
        partnership=partnership, organisation=organisation, status=PartyStatus.ACCEPTED
    ).first()
    if party is None:
        raise NotFound(_("Not found."))
    _answerable(actor, party)
    _detach(partnership, organisation)
    audit.record(
        actor=actor,
        action="partnership.party_leave",
        obj=partnership,
        organisation=organisation,
        before={"organisation": organisation.pk, "status": party.status},
    )


@transaction.atomic
def representative_add(
    *,
    actor: Actor,
    partnership: Partnership,
    organisation: Organisation,
    user: Any,
    level: str,
    title: str = "",
) -> Representative:
    """A party's representative must be a member of that party organisation."""
    require(actor, Capability.EDIT_CONTENT, partnership)
    if organisation.pk not in party_ids(partnership):
        raise DomainError(_("This organisation is not a party."), field="organisation")
    if level not in Level.values:
        raise DomainError(_("Choose strategic or operational."), field="level")
    if not is_member(user, organisation.pk):
        raise DomainError(
            _("A representative must be a member of the organisation they represent."),
            field="user",
        )
    check_single_line(title, field="title")
    if Representative.objects.filter(
        partnership=partnership, organisation=organisation, user=user, level=level
    ).exists():
        raise DomainError(_("This person already represents the party on this level."))
    rep = Representative.objects.create(
        partnership=partnership, organisation=organisation, user=user, level=level, title=title
    )
    audit.record(
        actor=actor,
        action="partnership.representative_add",
        obj=partnership,
        organisation=organisation,
        after=audit.snapshot(rep),
    )
    return rep


@transaction.atomic
def representative_remove(*, actor: Actor, representative: Representative) -> None:
    require(actor, Capability.EDIT_CONTENT, representative.partnership)
    before = audit.snapshot(representative)
    representative.delete()
    audit.record(
        actor=actor,
        action="partnership.representative_remove",
        obj=representative.partnership,
        before=before,
    )


@transaction.atomic
def liaison_add(*, actor: Actor, partnership: Partnership, user: Any, note: str = "") -> Liaison:
    """A liaison person belongs to at least two of the parties."""
    require(actor, Capability.EDIT_CONTENT, partnership)
    check_single_line(note, field="note")
    ids = party_ids(partnership)
    sides = user.memberships.filter(organisation_id__in=ids).count()
    if sides < 2:
        raise DomainError(
            _("A liaison person must be a member of at least two of the parties."), field="user"
        )
    if Liaison.objects.filter(partnership=partnership, user=user).exists():
        raise DomainError(_("This person is already a liaison."), field="user")
    liaison = Liaison.objects.create(partnership=partnership, user=user, note=note)
    audit.record(
        actor=actor,
        action="partnership.liaison_add",
        obj=partnership,
        after=audit.snapshot(liaison),
    )
    return liaison


@transaction.atomic
def liaison_remove(*, actor: Actor, liaison: Liaison) -> None:
    require(actor, Capability.EDIT_CONTENT, liaison.partnership)
    before = audit.snapshot(liaison)
    liaison.delete()
    audit.record(
        actor=actor, action="partnership.liaison_remove", obj=liaison.partnership, before=before
    )


@transaction.atomic
def contact_log(
    *, actor: Actor, partnership: Partnership, kind: str, happened_on: Any, summary: str
) -> ContactEntry:
    """Record a call, message, visit or request between the parties on the timeline."""
    require(actor, Capability.EDIT_CONTENT, partnership)
    if kind not in ContactKind.values:
        raise DomainError(_("Choose the kind of contact."), field="kind")
    if not summary.strip():
        raise DomainError(_("Write what the contact was about."), field="summary")
    check_text(summary, field="summary")
    check_date(happened_on, field="happened_on")
    if happened_on > timezone.localdate():
        raise DomainError(_("A logged contact cannot be in the future."), field="happened_on")
    entry = ContactEntry.objects.create(
        partnership=partnership,
        kind=kind,
        happened_on=happened_on,
        summary=summary.strip(),
        author_id=actor.pk,
    )
    audit.record(
        actor=actor, action="partnership.contact", obj=partnership, after=audit.snapshot(entry)
    )
    return entry
