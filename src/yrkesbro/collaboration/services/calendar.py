"""Secret iCalendar feeds (RFC 5545): a person's meetings and actions, or one forum's."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from yrkesbro.collaboration.models import (
    ActionItem,
    ActionStatus,
    CalendarFeed,
    Forum,
    Meeting,
    MeetingStatus,
    hash_token,
)
from yrkesbro.core import audit
from yrkesbro.core.errors import DomainError, NotFound
from yrkesbro.core.policies import Actor

HOST = "yrkesbro"


@transaction.atomic
def feed_create(*, actor: Actor, forum: Forum | None = None) -> tuple[CalendarFeed, str]:
    """A new secret URL; any earlier feed of the same kind stops working."""
    if not actor.is_authenticated:
        raise DomainError(gettext_lazy("Sign in first."))
    if forum is not None and not Forum.objects.visible_to(actor).filter(pk=forum.pk).exists():
        raise NotFound(gettext_lazy("Not found."))
    CalendarFeed.objects.filter(user=actor, forum=forum, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(user=actor, forum=forum, token_hash=hash_token(token))
    audit.record(actor=actor, action="calendar.create", obj=feed, after={"forum": feed.forum_id})
    return feed, token


@transaction.atomic
def feed_revoke(*, actor: Actor, feed: CalendarFeed) -> None:
    if feed.user_id != actor.pk:
        raise NotFound(gettext_lazy("Not found."))
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="calendar.revoke", obj=feed)


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user", "forum")
        .first()
    )


def _meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{HOST}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    description = meeting.agenda
    if meeting.video_url:
        description = f"{meeting.video_url}\n\n{description}"
        event.add("url", meeting.video_url)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("last-modified", meeting.created_at)
    return event


def _action_event(action: ActionItem) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@{HOST}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", action.due_on)
    event.add("dtend", action.due_on + timedelta(days=1))
    event.add("summary", _("Action due: %(title)s") % {"title": action.title})
    event.add("transp", "TRANSPARENT")
    return event


def feed_render(feed: CalendarFeed) -> bytes:
    """The feed as text/calendar, re-checking today what its owner may see."""
    owner = feed.user
    cal = Calendar()
    cal.add("prodid", "-//Yrkesbro//Collaboration//NB")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    meetings = Meeting.objects.visible_to(owner).select_related("forum")
    if feed.forum_id:
        cal.add("x-wr-calname", feed.forum.name)  # type: ignore[union-attr]
        meetings = meetings.filter(forum_id=feed.forum_id)
    else:
        cal.add("x-wr-calname", _("Yrkesbro – my meetings"))
        meetings = meetings.filter(forum__people=owner) | meetings.filter(attendees=owner)
        for action in ActionItem.objects.visible_to(owner).filter(
            owner=owner, status=ActionStatus.OPEN
        ):
            cal.add_component(_action_event(action))
    since = timezone.now() - timedelta(days=400)
    for meeting in meetings.filter(starts_at__gte=since).distinct().order_by("starts_at"):
        cal.add_component(_meeting_event(meeting))
    return cal.to_ical()
