"""Reminders, sent by the background worker.

One idempotent sweep does all the work: it moves agreements along their
lifecycle and sends what is due (meetings within a day, overdue actions,
agreements three months and one month before expiry and the day after). Each
reminder has a key, so it is sent once however often the sweep runs. The sweep
runs every day in the worker's one daily sweep (``core.tasks.DAILY``), and is also
enqueued to run when something becomes due (``schedule_*`` on change, with
``run_after``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from yrkesbro.collaboration.models import (
    ActionItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Meeting,
    MeetingStatus,
    Notification,
)
from yrkesbro.core.outbox import queue_email

log = logging.getLogger(__name__)

MEETING_NOTICE = timedelta(hours=24)
RECENTLY_EXPIRED = timedelta(days=30)
EXPIRY_STAGES = ((-1, "expired"), (30, "30d"), (91, "90d"))  # days before the end date


def notify(*, user: Any, key: str, subject: str, body: str, url: str = "") -> bool:
    """Record a notification and e-mail it, once per (user, key). True if it was new."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user, key=key[:120], subject=subject[:300], body=body, url=url
            )
    except IntegrityError:
        return False
    if user.email:
        # Stored in the outbox and sent by the worker: a mail outage delays it, never loses it.
        queue_email(to=user.email, subject=subject, body=body, url=url, key=f"notify:{note.pk}")
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


def _meeting_people(meeting: Meeting) -> list[Any]:
    from yrkesbro.collaboration.selectors import pickable_people

    # Only members of parties that have accepted are ever e-mailed.
    allowed = pickable_people(meeting.forum.partnership).values("pk")
    people = list(meeting.forum.people.filter(pk__in=allowed))
    if not people:
        people = [
            rep.user for rep in meeting.forum.partnership.representatives.filter(user__in=allowed)
        ]
    return list({p.pk: p for p in people}.values())


def _agreement_people(agreement: Agreement) -> list[Any]:
    from yrkesbro.accounts.models import Membership
    from yrkesbro.core.policies import Role

    accepted = agreement.partnership.parties.accepted().values("organisation_id")
    reps = [
        rep.user
        for rep in agreement.partnership.representatives.filter(organisation_id__in=accepted)
    ]
    admins = [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=accepted, role=Role.ADMIN
        ).select_related("user")
    ]
    return list({p.pk: p for p in reps + admins}.values())


def _each(items: QuerySet, what: str, handle: Callable[[Any], int]) -> int:
    """Run ``handle`` per item, read in chunks (never the whole query set in memory at
    once); one bad item is logged and skipped, never stops the sweep."""
    sent = 0
    for item in items.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                sent += handle(item)
        except Exception:
            log.exception("Reminder sweep: %s %s failed; continuing", what, item.pk)
    return sent


def send_due_reminders(now: datetime | None = None) -> int:
    """Everything that is due at ``now``; returns the number of notifications sent.

    Each meeting, action and agreement is handled on its own: one that fails (bad
    data, a mail error) is logged and skipped, and the others still go out.
    """
    from yrkesbro.collaboration.services.agreements import agreement_refresh

    now = now or timezone.now()
    today = timezone.localdate(now)

    def meeting_reminders(meeting: Meeting) -> int:
        when = timezone.localtime(meeting.starts_at)
        sent = 0
        for user in _meeting_people(meeting):
            sent += notify(
                user=user,
                key=f"meeting:{meeting.pk}:{meeting.starts_at.isoformat()}",
                subject=_("Meeting %(when)s: %(title)s")
                % {"when": when.strftime("%d.%m.%Y %H:%M"), "title": meeting.title},
                body=_("%(forum)s meets %(when)s. Place: %(place)s")
                % {
                    "forum": meeting.forum.name,
                    "when": when.strftime("%d.%m.%Y %H:%M"),
                    "place": meeting.place or meeting.video_url or "–",
                },
                url=meeting.get_absolute_url(),
            )
        return sent

    def action_reminder(action: ActionItem) -> int:
        return int(
            notify(
                user=action.owner,
                key=f"action-overdue:{action.pk}:{action.due_on.isoformat()}",
                subject=_("Overdue action: %(title)s") % {"title": action.title},
                body=_("The action was due %(due)s and is still open.")
                % {"due": action.due_on.strftime("%d.%m.%Y")},
                url=action.meeting.get_absolute_url(),
            )
        )

    def agreement_reminders(agreement: Agreement) -> int:
        ends_on = agreement.current.ends_on
        days_left = (ends_on - today).days
        agreement_refresh(agreement=agreement, today=today)
        stage = next((name for limit, name in EXPIRY_STAGES if days_left <= limit), None)
        if stage is None or (stage == "expired" and days_left < -RECENTLY_EXPIRED.days):
            return 0
        if stage == "expired":
            subject = _("Agreement expired: %(title)s") % {"title": agreement.title}
        else:
            subject = _("Agreement expires %(date)s: %(title)s") % {
                "date": ends_on.strftime("%d.%m.%Y"),
                "title": agreement.title,
            }
        sent = 0
        for user in _agreement_people(agreement):
            sent += notify(
                user=user,
                key=f"agreement:{agreement.pk}:{ends_on.isoformat()}:{stage}",
                subject=subject,
                body=_("Consider renewing the agreement in %(partnership)s.")
                % {"partnership": agreement.partnership.name},
                url=agreement.get_absolute_url(),
            )
        return sent

    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + MEETING_NOTICE
    ).select_related("forum__partnership")
    sent = _each(meetings, "meeting", meeting_reminders)
    sent += _each(_overdue_unreminded(today), "action", action_reminder)
    sent += _each(
        _agreements_due(today, now).select_related("partnership"),
        "agreement",
        agreement_reminders,
    )
    return sent


def _overdue_unreminded(today: date) -> QuerySet:
    """Open overdue actions whose owner has not had their reminder yet (the notification
    key ``action-overdue:<id>:<due date>`` looked up in SQL). Not every open action ever
    overdue (93,000 at factor 10), each of which cost a refused insert of its
    already-sent notification every day."""
    key = Concat(
        Value("action-overdue:"),
        Cast("pk", CharField()),
        Value(":"),
        Cast("due_on", CharField()),  # ISO (YYYY-MM-DD) on SQLite and PostgreSQL alike
        output_field=CharField(),
    )
    reminded = Notification.objects.filter(user_id=OuterRef("owner_id"), key=OuterRef("key"))
    return (
        ActionItem.objects.overdue(today)
        .annotate(key=key)
        .filter(~Exists(reminded))
        .select_related("owner", "meeting")
        .order_by("pk")
    )


def _agreements_due(today: date, now: datetime) -> QuerySet:
    """The agreements the sweep has something to do for today: a status to move on
    (``agreements.status_on``) or a reminder to send (within 91 days of the end, or
    recently expired). Every other live agreement ends more than the renewal notice
    away and keeps its status, so it is not read at all (35,000 live at factor 10)."""
    from yrkesbro.collaboration.services.agreements import RENEWAL_NOTICE

    horizon = today + max(RENEWAL_NOTICE, timedelta(days=max(d for d, _ in EXPIRY_STAGES)))
    newest = AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number")
    live = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.RENEWAL)
    return (
        Agreement.objects.annotate(
            ends=Subquery(newest.values("ends_on")[:1]),
            starts=Subquery(newest.values("starts_on")[:1]),
        )
        .filter(
            Q(status__in=live)
            & (
                Q(ends__lte=horizon)
                | Q(status=AgreementStatus.RENEWAL)
                | Q(status=AgreementStatus.SIGNED, starts__lte=today)
                | Q(status=AgreementStatus.ACTIVE, starts__gt=today)
            )
            # Recently expired ones too, so the day-after reminder goes out even if the
            # agreement expired while no worker ran.
            | Q(status=AgreementStatus.EXPIRED, updated_at__gte=now - RECENTLY_EXPIRED)
        )
        .order_by("pk")
    )


@task()
def reminder_sweep(reschedule: bool = False) -> int:
    """Send what is due; the daily run comes from ``core.tasks.daily_sweep``.

    ``reschedule`` is ignored: a row queued by the old private daily chain still runs
    once after an upgrade, and the chain ends there.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return send_due_reminders()


def _enqueue(when: datetime) -> None:
    """Run the sweep at ``when``; a backend without deferral runs only what is due now."""
    if default_task_backend.supports_defer:
        reminder_sweep.using(run_after=when).enqueue()
    elif when <= timezone.now():
        reminder_sweep.enqueue()


def _at(day: Any, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _soon(when: datetime) -> None:
    # Enqueued inside the caller's transaction: with the database backend the task
    # row commits (or rolls back) together with the change that caused it.
    _enqueue(max(when, timezone.now()))


def schedule_meeting(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now():
        _soon(meeting.starts_at - MEETING_NOTICE)


def schedule_action(action: ActionItem) -> None:
    _soon(_at(action.due_on + timedelta(days=1)))


def schedule_agreement(agreement: Agreement) -> None:
    version = agreement.current
    for days in (91, 30, -1):
        _soon(_at(version.ends_on - timedelta(days=days)))
    _soon(_at(version.starts_on))


@task()
def refresh_county_figures(county_id: int, language: str) -> bool:
    """Compute a county overview's pulses and network (unfiltered, in the reader's
    language) unless they are current; asked for by the page at national scale. Safe to
    run twice."""
    from yrkesbro.collaboration import selectors
    from yrkesbro.collaboration.views.overview import NETWORK_EDGES
    from yrkesbro.organisations.models import Organisation

    county = Organisation.objects.filter(pk=county_id).first()
    if county is None:
        return False
    with translation.override(language):
        qs = selectors.in_county(county).filter(is_active=True)
        selectors.county_figures(county, {}, qs, max_edges=NETWORK_EDGES, refresh=True)
    return True
