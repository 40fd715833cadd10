"""A person's own notifications: marking them read.

Only the person a notification is addressed to can mark it; anyone else is told
it does not exist. Read receipts are the person's own bookkeeping and change
nothing others see, so they are not written to the audit log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.collaboration.models import Notification
from yrkesbro.core.errors import NotFound
from yrkesbro.core.policies import Actor


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications as read; marking it again changes nothing."""
    if not actor.is_authenticated or notification.user_id != actor.pk:
        raise NotFound(_("Not found."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    if not actor.is_authenticated:
        raise NotFound(_("Not found."))
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
