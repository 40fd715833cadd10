"""Writes for matching: a municipality asks a school; the school offers or refuses; the
municipality accepts or declines (or withdraws its request). Every step is checked, kept
in the request's history, audited, and notified to the other side (a record per person,
e-mailed after the commit)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesbro.catalogue.models import Delivery, Offering, OfferingStatus, Programme
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound
from yrkesbro.core.inputs import check_text
from yrkesbro.core.outbox import queue_email
from yrkesbro.core.policies import Actor, Capability, has_capability
from yrkesbro.matching.models import (
    OPEN_STATUSES,
    MatchNotification,
    Request,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from yrkesbro.needs.models import MAX_PEOPLE, Need, Status, Visibility
from yrkesbro.organisations.models import Kind, Organisation

SCHOOL_KINDS = (Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL)
REQUESTABLE_NEED_STATUSES = (Status.PUBLISHED, Status.BEING_MET)
MAX_MESSAGE = 4000
MAX_PRICE = 10_000_000

SUBJECTS = {
    RequestStatus.REQUESTED: gettext_lazy("%(org)s asks %(school)s for education"),
    RequestStatus.OFFERED: gettext_lazy("%(school)s has made an offer to %(org)s"),
    RequestStatus.REFUSED: gettext_lazy("%(school)s cannot meet the request from %(org)s"),
    RequestStatus.ACCEPTED: gettext_lazy("%(org)s accepted the offer from %(school)s"),
    RequestStatus.DECLINED: gettext_lazy("%(org)s declined the offer from %(school)s"),
    RequestStatus.WITHDRAWN: gettext_lazy("%(org)s withdrew its request to %(school)s"),
}


def _text(value: Any, field: str, *, required: bool = False, limit: int = MAX_MESSAGE) -> str:
    text = check_text(str(value or "").strip(), field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DomainError(_("The text is too long."), field=field)
    return text


def _int(
    value: Any, field: str, *, minimum: int, maximum: int, required: bool = True
) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("This field is required."), field=field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=field) from None
    if not minimum <= number <= maximum:
        raise DomainError(
            _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum},
            field=field,
        )
    return number


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update().select_related("need", "school").get(pk=request.pk)


def _people_to_tell(organisation: Organisation) -> list[Any]:
    from yrkesbro.accounts.models import Membership
    from yrkesbro.core.policies import roles_with

    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role__in=roles_with(Capability.EDIT_CONTENT)
        ).select_related("user")
        if m.user.is_active
    ]


def _move(
    request: Request,
    actor: Actor,
    new: str,
    note: str,
    action: str,
    *,
    organisation: Organisation,
    before: dict[str, Any] | None,
) -> None:
    """Change the status and record it: history, notices and the audit entry."""
    old, request.status = request.status, new
    request.save()
    _step(request, actor, old, new, note)
    audit.record(
        actor=actor,
        action=action,
        obj=request,
        organisation=organisation,
        before=before,
        after=audit.snapshot(request),
    )


def _step(request: Request, actor: Actor, old: str, new: str, note: str = "") -> RequestEvent:
    """History row and notices to the other side, in the caller's transaction."""
    user = actor if actor is not None and actor.is_authenticated else None
    event = RequestEvent.objects.create(
        request=request,
        from_status=old,
        to_status=new,
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else "system",
        note=note,
    )
    from_school = new in (RequestStatus.OFFERED, RequestStatus.REFUSED)
    other = request.need.organisation if from_school else request.school
    names = {"org": request.need.organisation.name, "school": request.school.name}
    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(SUBJECTS[RequestStatus(new)]) % names
        body = _("Need: %(need)s") % {"need": request.need.unit}
        if note:
            body += "\n\n" + note
    for person in _people_to_tell(other):
        if user is not None and person.pk == user.pk:
            continue
        notices.append(
            MatchNotification.objects.create(
                user=person, request=request, event=event, subject=subject[:300], body=body
            )
        )
    url = request.get_absolute_url()
    for notice in notices:
        if notice.user.email:
            # Stored in this transaction, sent by the worker: a mail outage never fails the request.
            queue_email(
                to=notice.user.email,
                subject=notice.subject,
                body=notice.body,
                url=url,
                key=f"match-notice:{notice.pk}",
            )
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
    return event


def request_create(
    *,
    actor: Actor,
    need: Need,
    school: Organisation,
    offering: Offering | None = None,
    kind: str = RequestKind.PLACE,
    people: Any = None,
    message: str = "",
) -> Request:
    """Ask a school for places on an offering, or for a tailored cohort."""
    if not has_capability(actor, Capability.EDIT_CONTENT, need.organisation):
        raise NotAllowed(_("Only editors of the organisation that owns the need can ask schools."))
    with transaction.atomic():
        need = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
        if need.status not in REQUESTABLE_NEED_STATUSES or need.visibility != Visibility.SHARED:
            raise DomainError(
                _("Only a published need can be sent to schools. This one is %(status)s.")
                % {"status": need.get_status_display().lower()},
                code="need_not_published",
            )
        if school.kind not in SCHOOL_KINDS:
            raise DomainError(_("Requests can only be sent to schools."), field="school")
        if kind not in RequestKind.values:
            raise DomainError(_("Choose what you ask for."), field="kind")
        count = cast(
            int,
            _int(
                need.people if people in (None, "") else people,
                "people",
                minimum=1,
                maximum=MAX_PEOPLE,
            ),
        )
        if offering is not None:
            offering = Offering.objects.select_related("programme").get(pk=offering.pk)
            if offering.programme.school_id != school.pk:
                raise DomainError(_("The offering is not one of this school's."), field="offering")
            if offering.status == OfferingStatus.FULL or offering.seats == 0:
                raise DomainError(
                    _("The offering is full. Ask the school for a tailored cohort instead."),
                    field="offering",
                    code="offering_full",
                )
            if offering.status not in (OfferingStatus.PLANNED, OfferingStatus.OPEN):
                raise DomainError(
                    _("The offering is no longer open for requests."), field="offering"
                )
        if Request.objects.filter(need=need, school=school, status__in=OPEN_STATUSES).exists():
            raise DomainError(
                _("There is already an open request for this need to this school."),
                code="duplicate",
            )
        request = Request.objects.create(
            need=need,
            school=school,
            offering=offering,
            kind=kind,
            people=count,
            message=_text(message, "message"),
            created_by=actor if actor.is_authenticated else None,
        )
        _step(request, actor, "", RequestStatus.REQUESTED, request.message)
        audit.record(
            actor=actor,
            action="matching.request_create",
            obj=request,
            organisation=need.organisation,
            after=audit.snapshot(request),
        )
    return request


def _answerable(actor: Actor, request: Request) -> None:
    if not has_capability(actor, Capability.EDIT_CONTENT, request.school):
        raise NotAllowed(_("Only the school that was asked can answer this request."))
    if request.status != RequestStatus.REQUESTED:
        raise DomainError(
            _("This request has already been answered (%(status)s).")
            % {"status": request.get_status_display().lower()},
            code="already_answered",
        )


def request_offer(*, actor: Actor, request: Request, data: dict[str, Any]) -> Request:
    """The school offers: a programme (and an offering), seats, price and delivery."""
    if not has_capability(actor, Capability.EDIT_CONTENT, request.school):
        raise NotAllowed(_("Only the school that was asked can answer this request."))
    with transaction.atomic():
        request = _locked(request)
        _answerable(actor, request)
        before = audit.snapshot(request)
        programme = data.get("programme")
        if programme is not None and not isinstance(programme, Programme):
            programme = (
                Programme.objects.filter(pk=programme).first() if str(programme).isdigit() else None
            )
        if programme is None or programme.school_id != request.school_id:
            raise DomainError(_("Choose one of the school's programmes."), field="programme")
        offering = data.get("offering")
        if offering is not None and not isinstance(offering, Offering):
            offering = (
                Offering.objects.filter(pk=offering).first() if str(offering).isdigit() else None
            )
        if offering is not None and offering.programme_id != programme.pk:
            raise DomainError(_("The offering is not a run of that programme."), field="offering")
        delivery = str(data.get("delivery") or "")
        if delivery not in Delivery.values:
            raise DomainError(_("Choose how the education is delivered."), field="delivery")
        request.offer_programme = programme
        request.offer_offering = offering
        request.offer_seats = _int(data.get("seats"), "seats", minimum=1, maximum=MAX_PEOPLE)
        request.offer_price_nok = _int(
            data.get("price_nok"), "price_nok", minimum=0, maximum=MAX_PRICE
        )
        request.offer_delivery = delivery
        request.offer_start = data.get("start") or (offering.start_date if offering else None)
        request.answer = _text(data.get("answer"), "answer")
        _move(
            request,
            actor,
            RequestStatus.OFFERED,
            request.answer,
            "matching.request_offer",
            organisation=request.school,
            before=before,
        )
    return request


def request_refuse(*, actor: Actor, request: Request, reason: str) -> Request:
    if not has_capability(actor, Capability.EDIT_CONTENT, request.school):
        raise NotAllowed(_("Only the school that was asked can answer this request."))
    with transaction.atomic():
        request = _locked(request)
        _answerable(actor, request)
        before = audit.snapshot(request)
        request.answer = _text(reason, "answer", required=True)
        _move(
            request,
            actor,
            RequestStatus.REFUSED,
            request.answer,
            "matching.request_refuse",
            organisation=request.school,
            before=before,
        )
    return request


def _decide(
    actor: Actor, request: Request, new: str, allowed_from: tuple[str, ...], note: str
) -> Request:
    if not has_capability(actor, Capability.EDIT_CONTENT, request.need.organisation):
        raise NotAllowed(_("Only editors of the organisation that asked can do this."))
    with transaction.atomic():
        request = _locked(request)
        if request.status not in allowed_from:
            if request.status == new:
                message = _("This has already been done: the request is %(status)s.")
            elif request.status == RequestStatus.REQUESTED:
                message = _("The school has not made an offer yet.")
            else:
                message = _("The request is %(status)s and can no longer be changed.")
            raise DomainError(
                message % {"status": request.get_status_display().lower()}, code="wrong_status"
            )
        before = audit.snapshot(request)
        _move(
            request,
            actor,
            new,
            _text(note, "note"),
            f"matching.request_{new}",
            organisation=request.need.organisation,
            before=before,
        )
    return request


def request_accept(*, actor: Actor, request: Request, note: str = "") -> Request:
    return _decide(actor, request, RequestStatus.ACCEPTED, (RequestStatus.OFFERED,), note)


def request_decline(*, actor: Actor, request: Request, note: str = "") -> Request:
    return _decide(actor, request, RequestStatus.DECLINED, (RequestStatus.OFFERED,), note)


def request_withdraw(*, actor: Actor, request: Request, note: str = "") -> Request:
    return _decide(actor, request, RequestStatus.WITHDRAWN, OPEN_STATUSES, note)


def get_visible(actor: Actor, pk: int) -> Request:
    request = (
        Request.objects.visible_to(actor)
        .select_related("need", "need__organisation", "school")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFound(_("Not found."))
    return request
