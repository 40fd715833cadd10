"""Forums, their meetings (planned from the cadence or added), decisions and actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import (
    CADENCE_MONTHS,
    ActionItem,
    ActionStatus,
    Cadence,
    Decision,
    Forum,
    Meeting,
    Partnership,
)
from yrkesbro.collaboration.services.common import can, clean, party_ids, require
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError
from yrkesbro.core.inputs import check_date, check_single_line, check_text
from yrkesbro.core.model_inputs import check_instance
from yrkesbro.core.policies import Actor, Capability

FORUM_FIELDS = ("name", "mandate", "cadence", "started_on")
MEETING_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "video_url",
    "agenda",
    "minutes",
    "status",
    "other_attendees",
)


def _members(forum: Forum, organisations: Iterable[Any], people: Iterable[Any]) -> None:
    parties = party_ids(forum.partnership)
    orgs = list(organisations)
    if any(org.pk not in parties for org in orgs):
        raise DomainError(
            _("Member organisations must be parties to the partnership."), field="organisations"
        )
    users = list(people)
    for user in users:
        if not user.memberships.filter(organisation_id__in=parties).exists():
            raise DomainError(_("Members must belong to one of the parties."), field="people")
    forum.organisations.set(orgs)
    forum.people.set(users)


@transaction.atomic
def forum_create(
    *,
    actor: Actor,
    partnership: Partnership,
    data: dict[str, Any],
    organisations: Iterable[Any] = (),
    people: Iterable[Any] = (),
) -> Forum:
    require(actor, Capability.EDIT_CONTENT, partnership)
    forum = Forum(partnership=partnership, **{k: v for k, v in data.items() if k in FORUM_FIELDS})
    clean(forum, exclude=["partnership"])
    forum.save()
    _members(
        forum,
        organisations or [p.organisation for p in partnership.parties.accepted()],
        people,
    )
    audit.record(actor=actor, action="forum.create", obj=forum, after=audit.snapshot(forum))
    return forum


@transaction.atomic
def forum_update(
    *,
    actor: Actor,
    forum: Forum,
    data: dict[str, Any],
    organisations: Iterable[Any] | None = None,
    people: Iterable[Any] | None = None,
) -> Forum:
    require(actor, Capability.EDIT_CONTENT, forum.partnership)
    before = audit.snapshot(forum)
    for key, value in data.items():
        if key not in FORUM_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(forum, key, value)
    clean(forum, exclude=["partnership"])
    forum.save()
    if organisations is not None or people is not None:
        _members(
            forum,
            forum.organisations.all() if organisations is None else organisations,
            forum.people.all() if people is None else people,
        )
    audit.record(
        actor=actor, action="forum.update", obj=forum, before=before, after=audit.snapshot(forum)
    )
    return forum


def add_months(day: Any, months: int) -> Any:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day.replace(year=year, month=month, day=min(day.day, last))


@transaction.atomic
def forum_plan_meetings(*, actor: Actor | None, forum: Forum, months: int = 12) -> int:
    """Create planned meetings from the cadence for the coming ``months``.

    Slots already covered by a meeting (any status) within half a cadence are
    left alone, so running it twice creates nothing new.
    """
    if actor is not None:
        require(actor, Capability.EDIT_CONTENT, forum.partnership)
    step = CADENCE_MONTHS[Cadence(forum.cadence)]
    today = timezone.localdate()
    horizon = add_months(today, months)
    tz = timezone.get_current_timezone()
    # Meetings beyond the horizon (even one on 9999-12-31) are no anchor for the
    # cadence: counting on from them would run past the last representable date.
    beyond = datetime.combine(horizon, time(23, 59), tzinfo=tz)
    last = forum.meetings.filter(starts_at__lte=beyond).order_by("-starts_at").first()
    anchor = timezone.localtime(last.starts_at).date() if last else max(forum.started_on, today)
    slot = add_months(anchor, step) if last else anchor
    while slot < today:
        slot = add_months(slot, step)
    created = 0
    tolerance = timedelta(days=step * 15)
    while slot <= horizon:
        starts = datetime.combine(slot, time(12, 0), tzinfo=tz)
        near = forum.meetings.filter(
            starts_at__gte=starts - tolerance, starts_at__lte=starts + tolerance
        )
        if not near.exists():
            Meeting.objects.create(
                forum=forum,
                title=str(_("%(forum)s – meeting") % {"forum": forum.name}),
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                generated=True,
            )
            created += 1
        slot = add_months(slot, step)
    if created:
        audit.record(
            actor=actor,
            action="forum.plan_meetings",
            obj=forum,
            after={"created": created, "months": months},
        )
    return created


def _check_times(meeting: Meeting) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")


@transaction.atomic
def meeting_create(*, actor: Actor, forum: Forum, data: dict[str, Any]) -> Meeting:
    require(actor, Capability.EDIT_CONTENT, forum.partnership)
    meeting = Meeting(forum=forum, **{k: v for k, v in data.items() if k in MEETING_FIELDS})
    check_instance(meeting)
    _check_times(meeting)
    clean(meeting, exclude=["forum"])
    meeting.save()
    audit.record(actor=actor, action="meeting.create", obj=meeting, after=audit.snapshot(meeting))
    from yrkesbro.collaboration.tasks import schedule_meeting

    schedule_meeting(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    data: dict[str, Any],
    attendees: Iterable[Any] | None = None,
) -> Meeting:
    require(actor, Capability.EDIT_CONTENT, meeting.forum.partnership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = audit.snapshot(meeting)
    for key, value in data.items():
        if key not in MEETING_FIELDS:
            raise DomainError(_("This field cannot be changed here."), field=key)
        setattr(meeting, key, value)
    check_instance(meeting)
    _check_times(meeting)
    clean(meeting, exclude=["forum"])
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(_check_attendees(meeting, attendees))
    audit.record(
        actor=actor,
        action="meeting.update",
        obj=meeting,
        before=before,
        after=audit.snapshot(meeting),
    )
    from yrkesbro.collaboration.tasks import schedule_meeting

    schedule_meeting(meeting)
    return meeting


def _check_attendees(meeting: Meeting, attendees: Iterable[Any]) -> list[Any]:
    """Only members of the accepted parties can be recorded as present."""
    from yrkesbro.collaboration.selectors import pickable_people

    people = list(attendees)
    allowed = set(
        pickable_people(meeting.forum.partnership)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in allowed for person in people):
        raise DomainError(
            _("Everyone present must be a member of one of the parties."), field="attendees"
        )
    return people


@transaction.atomic
def meeting_set_attendance(
    *,
    actor: Actor,
    meeting: Meeting,
    attendees: Iterable[Any],
    other_attendees: str | None = None,
) -> Meeting:
    """Record who was present: the parties' people, and (as text) anyone else."""
    require(actor, Capability.EDIT_CONTENT, meeting.forum.partnership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    people = _check_attendees(meeting, attendees)
    before = {
        "attendees": sorted(meeting.attendees.values_list("pk", flat=True)),
        "other_attendees": meeting.other_attendees,
    }
    if other_attendees is not None:
        meeting.other_attendees = other_attendees
        check_instance(meeting)
        clean(meeting, exclude=["forum"])
        meeting.save(update_fields=["other_attendees"])
    meeting.attendees.set(people)
    audit.record(
        actor=actor,
        action="meeting.attendance",
        obj=meeting,
        before=before,
        after={
            "attendees": sorted(p.pk for p in people),
            "other_attendees": meeting.other_attendees,
        },
    )
    return meeting


@transaction.atomic
def decision_add(*, actor: Actor, meeting: Meeting, text: str) -> Decision:
    require(actor, Capability.EDIT_CONTENT, meeting.forum.partnership)
    if not text.strip():
        raise DomainError(_("Write the decision."), field="text")
    check_text(text, field="text")
    decision = Decision.objects.create(meeting=meeting, text=text.strip())
    audit.record(actor=actor, action="meeting.decision", obj=meeting, after={"text": text})
    return decision


@transaction.atomic
def action_create(
    *, actor: Actor, meeting: Meeting, title: str, owner: Any, due_on: Any
) -> ActionItem:
    partnership = meeting.forum.partnership
    require(actor, Capability.EDIT_CONTENT, partnership)
    if not title.strip():
        raise DomainError(_("Describe the action."), field="title")
    check_single_line(title, field="title")
    check_date(due_on, field="due_on")
    if not owner.memberships.filter(organisation_id__in=party_ids(partnership)).exists():
        raise DomainError(_("The owner must belong to one of the parties."), field="owner")
    action = ActionItem.objects.create(
        meeting=meeting, title=title.strip(), owner=owner, due_on=due_on
    )
    audit.record(actor=actor, action="action.create", obj=action, after=audit.snapshot(action))
    from yrkesbro.collaboration.tasks import schedule_action

    schedule_action(action)
    return action


@transaction.atomic
def action_set_status(*, actor: Actor, action: ActionItem, status: str) -> ActionItem:
    """Editors of a party, and the action's owner, may close or reopen an action."""
    partnership = action.meeting.forum.partnership
    is_owner = actor.is_authenticated and action.owner_id == actor.pk
    if not (is_owner and can(actor, Capability.VIEW_INTERNAL, partnership)):
        require(actor, Capability.EDIT_CONTENT, partnership)
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    if status == action.status:
        raise DomainError(_("The action already has this status."), field="status")
    before = audit.snapshot(action)
    action.status = status
    action.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_at"])
    audit.record(
        actor=actor, action="action.status", obj=action, before=before, after=audit.snapshot(action)
    )
    return action
