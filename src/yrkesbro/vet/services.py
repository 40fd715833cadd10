"""Writes for upper-secondary VET. Every function checks the actor, runs in a transaction,
refuses bad input with a translated ``DomainError`` (nothing changed) and is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import (
    Agreement,
    ContactEntry,
    ContactKind,
    Partnership,
    PartnershipParty,
)
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotAllowed, NotFound, full_clean_or_refuse
from yrkesbro.core.inputs import (
    check_date,
    check_single_line,
    check_text,
    has_control_characters,
)
from yrkesbro.core.outbox import queue_email
from yrkesbro.core.policies import Actor, Capability, has_capability, is_platform_admin
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet.models import (
    MIN_HOSPITERING_DAYS,
    YFF_HOURS,
    Approval,
    Assessment,
    Demand,
    Hospitering,
    HospiteringStatus,
    Level,
    Offer,
    OfferKind,
    Outcome,
    Placement,
    Side,
    Trade,
)
from yrkesbro.vet.register import ParsedTrades

OFFERING_KINDS = (Kind.COMPANY, Kind.TRAINING_OFFICE, Kind.MUNICIPALITY)
MAX_COUNT = 10_000  # places or pupils in one row; more is a typing error


def current_school_year(today: date | None = None) -> int:
    """The autumn year of the school year ``today`` lies in (August starts a new one)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


def _require(actor: Actor, organisation: Organisation) -> None:
    """Members without the right get NotAllowed; everyone else learns nothing (NotFound)."""
    if has_capability(actor, Capability.EDIT_CONTENT, organisation):
        return
    if has_capability(actor, Capability.VIEW_INTERNAL, organisation):
        raise NotAllowed(_("You may read this, but not change it."))
    raise NotFound(_("Not found."))


def _count(value: Any, field: str, *, low: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_COUNT:
        raise DomainError(
            _("Give a whole number between %(low)s and %(high)s.")
            % {"low": low, "high": MAX_COUNT},
            field=field,
        )
    return value


def _school_year(value: Any) -> int:
    if not isinstance(value, int) or not 2000 <= value <= 2100:
        raise DomainError(
            _("Give the school year as its autumn year, e.g. 2026."), field="school_year"
        )
    return value


def _trade(code: str) -> Trade:
    code = str(code).strip().upper()
    # Checked before the query: PostgreSQL refuses NUL bytes even in a WHERE clause.
    if has_control_characters(code) or len(code) > 20:
        raise DomainError(_("The trade code is not in the trades register."), field="trade")
    trade = Trade.objects.filter(code=code, is_active=True).first()
    if trade is None:
        raise DomainError(_("The trade code is not in the trades register."), field="trade")
    return trade


def refresh_later() -> None:
    """Recompute the supply/demand figures after the commit, once per transaction."""
    connection = transaction.get_connection()
    if any(getattr(e[1], "vet_refresh", False) for e in connection.run_on_commit):
        return

    def run() -> None:
        from yrkesbro.vet.tasks import refresh_supply_demand

        refresh_supply_demand.enqueue()

    run.vet_refresh = True  # type: ignore[attr-defined]
    transaction.on_commit(run)


@transaction.atomic
def offer_create(
    *,
    actor: Actor,
    organisation: Organisation,
    trade_code: str,
    kind: str,
    school_year: int,
    places: int,
    instructor_name: str,
    instructor_email: str = "",
    instructor_phone: str = "",
    instructor: Any = None,
    starts_on: date | None = None,
    approval: str = "",
    level: str = "",
    weeks: str = "",
    hours: int | None = None,
    internal_note: str = "",
    shared_with: list[Organisation] | tuple[Organisation, ...] = (),
) -> Offer:
    """Apprenticeship places (from a date, with approval status) or YFF practice (level,
    weeks, hours per pupil within the level's total), with an instructor."""
    _require(actor, organisation)
    if organisation.kind not in OFFERING_KINDS:
        raise DomainError(
            _("Only companies, training offices and municipalities offer places."),
            field="organisation",
        )
    trade = _trade(trade_code)
    if kind not in OfferKind.values:
        raise DomainError(_("Choose apprenticeship places or workplace practice."), field="kind")
    _school_year(school_year)
    _count(places, "places", low=1)
    check_single_line(instructor_name, field="instructor_name")
    check_single_line(instructor_phone, field="instructor_phone")
    check_single_line(weeks, field="weeks")
    check_text(internal_note, field="internal_note")
    check_date(starts_on, field="starts_on")
    if not instructor_name.strip():
        raise DomainError(_("Name the workplace instructor."), field="instructor_name")
    if kind == OfferKind.APPRENTICESHIP:
        if approval not in Approval.values:
            raise DomainError(_("Choose the training company's approval status."), field="approval")
        if starts_on is None:
            raise DomainError(_("Give the date the apprenticeships start."), field="starts_on")
        level, weeks, hours = "", "", None
    else:
        if level not in Level.values:
            raise DomainError(_("Choose Vg1 or Vg2."), field="level")
        _hours(hours, level)
        approval = ""
    if instructor is not None and not has_capability(
        instructor, Capability.VIEW_INTERNAL, organisation
    ):
        raise DomainError(
            _("The instructor must be a member of the organisation."), field="instructor"
        )
    schools = list(shared_with)
    if any(s.kind != Kind.UPPER_SECONDARY_SCHOOL for s in schools):
        raise DomainError(_("Offers are shared with upper-secondary schools."), field="shared_with")
    offer = Offer(
        organisation=organisation,
        trade=trade,
        kind=kind,
        school_year=school_year,
        places=places,
        starts_on=starts_on,
        approval=approval,
        level=level,
        weeks=weeks.strip(),
        hours=hours,
        instructor_name=instructor_name.strip(),
        instructor_email=instructor_email.strip(),
        instructor_phone=instructor_phone.strip(),
        instructor=instructor,
        internal_note=internal_note.strip(),
        is_demo=organisation.is_demo,
    )
    full_clean_or_refuse(offer)
    offer.save()
    offer.shared_with.set(schools)
    audit.record(
        actor=actor,
        action="vet.offer_create",
        obj=offer,
        organisation=organisation,
        after=audit.snapshot(offer),
    )
    refresh_later()
    return offer


def _hours(hours: Any, level: str, field: str = "hours") -> int:
    limit = YFF_HOURS.get(level, 0)
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= limit:
        raise DomainError(
            _("Hours must be between 1 and %(max)s for this level.") % {"max": limit}, field=field
        )
    return hours


@transaction.atomic
def demand_set(
    *,
    actor: Actor,
    school: Organisation,
    trade_code: str,
    school_year: int,
    yff_pupils: int,
    apprenticeship_seekers: int,
) -> Demand:
    """Record (or correct) a school's figures for one trade and school year."""
    _require(actor, school)
    if school.kind != Kind.UPPER_SECONDARY_SCHOOL:
        raise DomainError(_("Only upper-secondary schools record demand."), field="school")
    trade = _trade(trade_code)
    _school_year(school_year)
    _count(yff_pupils, "yff_pupils")
    _count(apprenticeship_seekers, "apprenticeship_seekers")
    demand = Demand.objects.select_for_update().filter(
        school=school, trade=trade, school_year=school_year
    ).first() or Demand(school=school, trade=trade, school_year=school_year)
    before = audit.snapshot(demand) if demand.pk else None
    demand.yff_pupils = yff_pupils
    demand.apprenticeship_seekers = apprenticeship_seekers
    demand.is_demo = school.is_demo
    demand.save()
    audit.record(
        actor=actor,
        action="vet.demand_set",
        obj=demand,
        organisation=school,
        before=before,
        after=audit.snapshot(demand),
    )
    refresh_later()
    return demand


def _first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.split() else ""


@transaction.atomic
def placement_book(
    *,
    actor: Actor,
    offer: Offer,
    school: Organisation,
    pupil_name: str,
    starts_on: date,
    ends_on: date,
    hours: int,
    goals: str = "",
    tasks: str = "",
    teacher: Any = None,
) -> Placement:
    """Book one pupil onto a YFF offer shared with the school. The company will see the
    first name and the period only."""
    _require(actor, school)
    offer = Offer.objects.select_for_update().select_related("trade").get(pk=offer.pk)
    if not offer.shared_with.filter(pk=school.pk).exists():
        raise NotFound(_("Not found."))
    if offer.kind != OfferKind.YFF:
        raise DomainError(_("Pupils are booked onto workplace practice offers."), field="offer")
    pupil_name = " ".join(check_single_line(pupil_name, field="pupil_name").split())
    if not pupil_name or len(pupil_name) > 200:
        raise DomainError(_("Give the pupil's name (at most 200 characters)."), field="pupil_name")
    check_date(starts_on, field="starts_on")
    check_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The placement must end after it starts."), field="ends_on")
    _hours(hours, offer.level)
    check_text(goals, field="goals")
    check_text(tasks, field="tasks")
    if teacher is None:
        teacher = actor if actor.is_authenticated else None
    elif not has_capability(teacher, Capability.VIEW_INTERNAL, school):
        raise DomainError(_("The teacher must be a member of the school."), field="teacher")
    if offer.placements.count() >= offer.places:
        raise DomainError(
            _("The offer has %(n)s places and all are booked.") % {"n": offer.places},
            field="offer",
        )
    same_pupil = [
        p
        for p in Placement.objects.filter(
            school=school, names_removed_at=None, offer__school_year=offer.school_year
        ).select_related("offer")
        if p.pupil_name.casefold() == pupil_name.casefold()
    ]
    if any(p.starts_on <= ends_on and p.ends_on >= starts_on for p in same_pupil):
        raise DomainError(
            _("This pupil already has a placement in the same period."), field="starts_on"
        )
    # Vg1 168 and Vg2 253 hours are the totals per pupil and school year, over all placements.
    used = sum(p.hours for p in same_pupil if p.offer.level == offer.level)
    if used + hours > YFF_HOURS[offer.level]:
        raise DomainError(
            _(
                "With this placement the pupil would have %(n)s hours at this level; at most %(max)s."
            )
            % {"n": used + hours, "max": YFF_HOURS[offer.level]},
            field="hours",
        )
    placement = Placement.objects.create(
        offer=offer,
        school=school,
        pupil_name=pupil_name,
        pupil_first_name=_first_name(pupil_name)[:100],
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        goals=goals.strip(),
        tasks=tasks.strip(),
        teacher=teacher,
        school_agreed_at=timezone.now(),
        is_demo=offer.is_demo,
    )
    # The audit entry names the placement, never the pupil.
    audit.record(
        actor=actor,
        action="vet.placement_book",
        obj=placement,
        organisation=school,
        after=audit.snapshot(
            placement, fields=["offer", "school", "starts_on", "ends_on", "hours"]
        ),
    )
    if offer.instructor_email:
        from django.conf import settings
        from django.utils import formats, translation

        with translation.override(settings.LANGUAGE_CODE):
            subject = str(_("A pupil is booked for workplace practice"))
            body = str(_("%(school)s has booked a pupil for %(trade)s, %(start)s to %(end)s.")) % {
                "school": school.name,
                "trade": offer.trade.name,
                "start": formats.date_format(starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(ends_on, "SHORT_DATE_FORMAT"),
            }
        queue_email(
            to=offer.instructor_email,
            subject=subject,
            body=body,
            url=placement.get_absolute_url(),
            key=f"vet-placement-booked-{placement.pk}",
        )
    refresh_later()
    return placement


def placement_side(actor: Actor, placement: Placement) -> str | None:
    """Which side the actor may write for: the school's, the workplace's, or none."""
    if has_capability(actor, Capability.EDIT_CONTENT, placement.school_id):
        return Side.SCHOOL
    if has_capability(actor, Capability.EDIT_CONTENT, placement.offer.organisation_id):
        return Side.WORKPLACE
    return None


@transaction.atomic
def placement_agree(*, actor: Actor, placement: Placement) -> Placement:
    """The workplace (or the school) agrees to the local curriculum (goals and tasks)."""
    side = placement_side(actor, placement)
    if side is None:
        if Placement.objects.visible_to(actor).filter(pk=placement.pk).exists():
            raise NotAllowed(_("You may read this, but not change it."))
        raise NotFound(_("Not found."))
    now = timezone.now()
    if side == Side.SCHOOL:
        placement.school_agreed_at = now
        placement.save(update_fields=["school_agreed_at"])
    else:
        placement.workplace_agreed_at = now
        placement.save(update_fields=["workplace_agreed_at"])
    audit.record(actor=actor, action=f"vet.placement_agree_{side}", obj=placement)
    return placement


@transaction.atomic
def assessment_submit(
    *,
    actor: Actor,
    placement: Placement,
    outcome: str,
    comment: str = "",
    would_take_apprentice: bool | None = None,
) -> Assessment:
    """Only the placement's teacher (school side) or instructor (workplace side) assess,
    once each, and only once the placement has started."""
    placement = Placement.objects.select_related("offer").get(pk=placement.pk)
    if not Placement.objects.visible_to(actor).filter(pk=placement.pk).exists():
        raise NotFound(_("Not found."))
    user_id = getattr(actor, "pk", None)
    if user_id is not None and user_id == placement.teacher_id:
        side = Side.SCHOOL
    elif user_id is not None and user_id == placement.offer.instructor_id:
        side = Side.WORKPLACE
    else:
        raise NotAllowed(_("Only the placement's teacher and instructor assess it."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose how the placement went."), field="outcome")
    check_text(comment, field="comment")
    if len(comment) > 4000:
        raise DomainError(_("At most 4000 characters."), field="comment")
    if placement.starts_on > timezone.localdate():
        raise DomainError(_("A placement is assessed once it has started."), field="outcome")
    if Assessment.objects.filter(placement=placement, side=side).exists():
        raise DomainError(_("Your side has already assessed this placement."), field="outcome")
    assessment = Assessment.objects.create(
        placement=placement,
        side=side,
        outcome=outcome,
        comment=comment.strip(),
        would_take_apprentice=would_take_apprentice,
        author_id=user_id,
    )
    audit.record(
        actor=actor,
        action="vet.assessment_submit",
        obj=placement,
        organisation=placement.school if side == Side.SCHOOL else placement.offer.organisation,
        after={"side": side, "outcome": outcome},
    )
    refresh_later()
    return assessment


def accepted_parties(partnerships: Any) -> QuerySet[Organisation]:
    """The parties of one or more partnerships that may take part in VET exchanges.

    Only parties that have accepted to be in the partnership (consent): an invited
    organisation takes part in nothing yet."""
    if isinstance(partnerships, Partnership):
        partnerships = [partnerships]
    ids = (
        PartnershipParty.objects.accepted()
        .filter(partnership__in=partnerships)
        .values("organisation_id")
    )
    return Organisation.objects.filter(pk__in=ids).order_by("name", "id")


def _hospitering_dates(starts_on: date, ends_on: date, days: Any) -> None:
    check_date(starts_on, field="starts_on")
    check_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The exchange must end after it starts."), field="ends_on")
    if not isinstance(days, int) or not MIN_HOSPITERING_DAYS <= days <= 60:
        raise DomainError(
            _("An exchange lasts at least %(n)s days.") % {"n": MIN_HOSPITERING_DAYS}, field="days"
        )
    if (ends_on - starts_on).days + 1 < days:
        raise DomainError(_("The days do not fit between the dates."), field="days")


@transaction.atomic
def hospitering_ask(
    *,
    actor: Actor,
    partnership: Partnership,
    school: Organisation,
    workplace: Organisation,
    asked_by_side: str,
    participant: str,
    starts_on: date,
    ends_on: date,
    days: int,
    goals: str,
    agreement: Agreement | None = None,
) -> Hospitering:
    """A teacher asks for days in a workplace (school side), or a workplace offers days
    (workplace side); the other side answers."""
    if asked_by_side not in Side.values:
        raise DomainError(_("Choose who asks."), field="asked_by_side")
    _require(actor, school if asked_by_side == Side.SCHOOL else workplace)
    parties = {org.pk for org in accepted_parties(partnership)}
    if school.pk not in parties or workplace.pk not in parties:
        raise DomainError(
            _("Both organisations must be parties to the partnership."), field="school"
        )
    if school.kind != Kind.UPPER_SECONDARY_SCHOOL:
        raise DomainError(_("Choose an upper-secondary school."), field="school")
    if workplace.kind == Kind.UPPER_SECONDARY_SCHOOL or workplace.pk == school.pk:
        raise DomainError(_("Choose a workplace."), field="workplace")
    if agreement is not None and agreement.partnership_id != partnership.pk:
        raise DomainError(_("Choose an agreement of this partnership."), field="agreement")
    participant = " ".join(check_single_line(participant, field="participant").split())
    if not participant or len(participant) > 200:
        raise DomainError(_("Name the participant."), field="participant")
    check_text(goals, field="goals")
    if not goals.strip():
        raise DomainError(_("Write the goals of the exchange."), field="goals")
    _hospitering_dates(starts_on, ends_on, days)
    item = Hospitering.objects.create(
        partnership=partnership,
        agreement=agreement,
        school=school,
        workplace=workplace,
        asked_by_side=asked_by_side,
        participant=participant,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        goals=goals.strip(),
        created_by=actor if actor.is_authenticated else None,
        is_demo=partnership.is_demo,
    )
    audit.record(
        actor=actor,
        action="vet.hospitering_ask",
        obj=item,
        organisation=school if asked_by_side == Side.SCHOOL else workplace,
        after=audit.snapshot(item),
    )
    return item


def hospitering_side(actor: Actor, item: Hospitering) -> str | None:
    if has_capability(actor, Capability.EDIT_CONTENT, item.school_id):
        return Side.SCHOOL
    if has_capability(actor, Capability.EDIT_CONTENT, item.workplace_id):
        return Side.WORKPLACE
    return None


def _require_hospitering(actor: Actor, item: Hospitering) -> None:
    if not Hospitering.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise NotFound(_("Not found."))


@transaction.atomic
def hospitering_answer(*, actor: Actor, hospitering: Hospitering, accept: bool) -> Hospitering:
    """The side that did not ask accepts or declines."""
    _require_hospitering(actor, hospitering)
    item = Hospitering.objects.select_for_update().get(pk=hospitering.pk)
    other = Side.WORKPLACE if item.asked_by_side == Side.SCHOOL else Side.SCHOOL
    org_id = item.workplace_id if other == Side.WORKPLACE else item.school_id
    if not has_capability(actor, Capability.EDIT_CONTENT, org_id):
        raise NotAllowed(_("The other side answers this request."))
    if item.status != HospiteringStatus.REQUESTED:
        raise DomainError(_("This request has already been answered."), field="status")
    item.status = HospiteringStatus.ACCEPTED if accept else HospiteringStatus.DECLINED
    item.answered_at = timezone.now()
    item.save(update_fields=["status", "answered_at"])
    audit.record(
        actor=actor, action="vet.hospitering_answer", obj=item, after={"status": item.status}
    )
    return item


@transaction.atomic
def hospitering_report(
    *, actor: Actor, hospitering: Hospitering, side: str, report: str
) -> Hospitering:
    """Each side writes a short report after the exchange; with both, it is reported and
    appears in the partnership's contact timeline."""
    _require_hospitering(actor, hospitering)
    item = Hospitering.objects.select_for_update().get(pk=hospitering.pk)
    if side not in Side.values:
        raise DomainError(_("Choose your side."), field="side")
    org_id = item.school_id if side == Side.SCHOOL else item.workplace_id
    if not has_capability(actor, Capability.EDIT_CONTENT, org_id):
        raise NotAllowed(_("Each side writes its own report."))
    if item.status not in (HospiteringStatus.ACCEPTED, HospiteringStatus.REPORTED):
        raise DomainError(_("Only an accepted exchange is reported."), field="status")
    if item.starts_on > timezone.localdate():
        raise DomainError(_("Report once the exchange has started."), field="report")
    check_text(report, field="report")
    if not report.strip() or len(report) > 8000:
        raise DomainError(_("Write the report (at most 8000 characters)."), field="report")
    if side == Side.SCHOOL:
        item.school_report = report.strip()
    else:
        item.workplace_report = report.strip()
    newly_done = (
        item.status != HospiteringStatus.REPORTED
        and bool(item.school_report)
        and bool(item.workplace_report)
    )
    if newly_done:
        item.status = HospiteringStatus.REPORTED
        ContactEntry.objects.create(
            partnership=item.partnership,
            kind=ContactKind.VISIT,
            happened_on=item.ends_on,
            summary=str(
                _("Hospitering: %(who)s, %(days)s days at %(workplace)s (%(school)s)")
                % {
                    "who": item.participant,
                    "days": item.days,
                    "workplace": item.workplace.name,
                    "school": item.school.name,
                }
            ),
            author_id=getattr(actor, "pk", None),
        )
    item.save()
    audit.record(actor=actor, action="vet.hospitering_report", obj=item, after={"side": side})
    return item


@transaction.atomic
def trades_import(*, actor: Actor | None, parsed: ParsedTrades) -> dict[str, int]:
    """Create or update trades from a checked file; trades missing from it are deactivated.

    ``actor`` None is the system (the command line)."""
    if actor is not None and not is_platform_admin(actor):
        raise NotAllowed(_("Only platform administrators import the trades register."))
    if parsed.errors:
        raise DomainError(_("The file has errors; nothing was imported."))
    report = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    existing = {t.code: t for t in Trade.objects.all()}
    for row in parsed.rows:
        values = {
            "name": row.name,
            "programme_code": row.programme_code,
            "programme_name": row.programme_name,
            "is_active": True,
        }
        trade = existing.get(row.code)
        if trade is None:
            Trade.objects.create(code=row.code, **values)
            report["created"] += 1
        elif any(getattr(trade, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(trade, k, v)
            trade.save()
            report["updated"] += 1
        else:
            report["unchanged"] += 1
    codes = {row.code for row in parsed.rows}
    gone = [t.pk for code, t in existing.items() if code not in codes and t.is_active]
    report["deactivated"] = Trade.objects.filter(pk__in=gone).update(is_active=False)
    marker = Trade.objects.order_by("pk").first()
    if marker is not None:
        audit.record(actor=actor, action="vet.trades_import", obj=marker, after=report)
    refresh_later()
    return report
