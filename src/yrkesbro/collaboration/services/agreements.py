"""Written agreements: versions, sending, signing, and the lifecycle over time.

Draft → sent for signature → signed (every party has signed) → active (from the
start date) → up for renewal (three months before the end) → expired (after the
end) or terminated (by a party). A version that has been sent never changes:
editing it makes a new draft version, and the earlier signatures stay with the
version they were given on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Commitment,
    Partnership,
    Signature,
)
from yrkesbro.collaboration.services.common import clean, is_org_admin, party_ids, require
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed
from yrkesbro.core.inputs import check_single_line, check_text
from yrkesbro.core.policies import Actor, Capability

VERSION_FIELDS = (
    "purpose",
    "meeting_cadence",
    "starts_on",
    "ends_on",
    "contacts",
    "signatories",
)
RENEWAL_NOTICE = timedelta(days=91)
FINISHED = (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)


def _version_snapshot(version: AgreementVersion) -> dict[str, Any]:
    data = audit.snapshot(version) or {}
    data["commitments"] = {str(c.organisation_id): c.text for c in version.commitments.all()}
    return data


def _fill_version(
    version: AgreementVersion, data: dict[str, Any], commitments: dict[int, str], parties: set[int]
) -> None:
    for key, value in data.items():
        if key not in VERSION_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(version, key, value)
    if version.starts_on and version.ends_on and version.ends_on <= version.starts_on:
        raise DomainError(_("The agreement must end after it starts."), field="ends_on")
    clean(version, exclude=["agreement", "created_by"])
    for text in commitments.values():
        check_text(text, field="commitments")
    unknown = set(commitments) - parties
    if unknown:
        raise DomainError(_("Commitments can only be given by parties."), field="commitments")


def _save_commitments(version: AgreementVersion, commitments: dict[int, str]) -> None:
    for org_id, text in commitments.items():
        Commitment.objects.update_or_create(
            version=version, organisation_id=org_id, defaults={"text": text}
        )


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    data: dict[str, Any],
    commitments: dict[int, str] | None = None,
) -> Agreement:
    require(actor, Capability.EDIT_CONTENT, partnership)
    if not title.strip():
        raise DomainError(_("Give the agreement a title."), field="title")
    check_single_line(title, field="title")
    commitments = commitments or {}
    version = AgreementVersion(number=1, created_by_id=actor.pk)
    _fill_version(version, data, commitments, party_ids(partnership))
    agreement = Agreement.objects.create(partnership=partnership, title=title.strip())
    version.agreement = agreement
    version.save()
    _save_commitments(version, commitments)
    audit.record(
        actor=actor,
        action="agreement.create",
        obj=agreement,
        after={"title": agreement.title, **_version_snapshot(version)},
    )
    return agreement


@transaction.atomic
def agreement_edit(
    *,
    actor: Actor,
    agreement: Agreement,
    data: dict[str, Any],
    commitments: dict[int, str] | None = None,
    title: str | None = None,
) -> AgreementVersion:
    """Change the text. A draft changes in place; anything sent or signed gets a new version."""
    require(actor, Capability.EDIT_CONTENT, agreement.partnership)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status in FINISHED:
        raise DomainError(_("An expired or terminated agreement cannot be changed."))
    current = agreement.current
    before = _version_snapshot(current)
    commitments = commitments or {}
    if agreement.status == AgreementStatus.DRAFT and not current.signatures.exists():
        version = current
    else:
        version = AgreementVersion(
            agreement=agreement,
            number=current.number + 1,
            created_by_id=actor.pk,
            **{f: getattr(current, f) for f in VERSION_FIELDS},
        )
        commitments = {
            **{c.organisation_id: c.text for c in current.commitments.all()},
            **commitments,
        }
    _fill_version(version, data, commitments, party_ids(agreement.partnership))
    version.save()
    _save_commitments(version, commitments)
    if title is not None:
        check_single_line(title, field="title")
    if title is not None and title.strip():
        agreement.title = title.strip()
    agreement.status = AgreementStatus.DRAFT
    agreement.save()
    audit.record(
        actor=actor,
        action="agreement.edit",
        obj=agreement,
        before=before,
        after=_version_snapshot(version),
    )
    return version


@transaction.atomic
def agreement_send(*, actor: Actor, agreement: Agreement) -> Agreement:
    require(actor, Capability.EDIT_CONTENT, agreement.partnership)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise DomainError(_("Only a draft can be sent for signature."))
    agreement.status = AgreementStatus.SENT
    agreement.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="agreement.send",
        obj=agreement,
        before={"status": AgreementStatus.DRAFT},
        after={"status": agreement.status, "version": agreement.current.number},
    )
    return agreement


@transaction.atomic
def agreement_sign(*, actor: Actor, agreement: Agreement, organisation: Any) -> Signature:
    """An administrator of a party signs the current version for that party.

    When the last party has signed the agreement is signed, and active at once
    if its period has begun.
    """
    require(actor, Capability.VIEW_INTERNAL, agreement.partnership)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    org_id = getattr(organisation, "pk", organisation)
    parties = party_ids(agreement.partnership)
    if org_id not in parties:
        raise DomainError(_("Only the parties to the agreement can sign it."), field="organisation")
    if not is_org_admin(actor, org_id):
        raise NotAllowed(
            _("Only an administrator of the party organisation can sign on its behalf.")
        )
    if agreement.status != AgreementStatus.SENT:
        raise DomainError(_("The agreement is not waiting for signatures."))
    version = agreement.current
    if version.signatures.filter(organisation_id=org_id).exists():
        raise DomainError(_("This party has already signed this version."))
    assert isinstance(actor, User)  # an organisation admin is a signed-in user
    signature = Signature.objects.create(version=version, organisation_id=org_id, user=actor)
    audit.record(
        actor=actor,
        action="agreement.sign",
        obj=agreement,
        organisation=signature.organisation,
        after={"version": version.number, "organisation": org_id},
    )
    signed = set(version.signatures.values_list("organisation_id", flat=True))
    if parties <= signed:
        agreement.status = AgreementStatus.SIGNED
        agreement.save(update_fields=["status", "updated_at"])
        agreement_refresh(agreement=agreement, today=timezone.localdate())
        from yrkesbro.collaboration.tasks import schedule_agreement

        schedule_agreement(agreement)
    return signature


@transaction.atomic
def agreement_terminate(*, actor: Actor, agreement: Agreement) -> Agreement:
    require(actor, Capability.MANAGE_MEMBERS, agreement.partnership)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status in FINISHED:
        raise DomainError(_("The agreement has already ended."))
    before = agreement.status
    agreement.status = AgreementStatus.TERMINATED
    agreement.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="agreement.terminate",
        obj=agreement,
        before={"status": before},
        after={"status": agreement.status},
    )
    return agreement


def status_on(agreement: Agreement, today: date) -> str:
    """The status a signed agreement should have on ``today``."""
    if agreement.status not in (
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.RENEWAL,
    ):
        return agreement.status
    version = agreement.current
    if today > version.ends_on:
        return AgreementStatus.EXPIRED
    if today >= version.ends_on - RENEWAL_NOTICE:
        return AgreementStatus.RENEWAL
    if today >= version.starts_on:
        return AgreementStatus.ACTIVE
    return AgreementStatus.SIGNED


def agreement_refresh(*, agreement: Agreement, today: date) -> Agreement:
    """Move a signed agreement along its lifecycle as time passes (the worker calls this)."""
    new = status_on(agreement, today)
    if new != agreement.status:
        before = agreement.status
        agreement.status = new
        agreement.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=None,
            action="agreement.status",
            obj=agreement,
            before={"status": before},
            after={"status": new},
        )
    return agreement
