"""Refresh the public indicators when what they count changes, and start a round when an
agreement is signed, without touching the other apps' services.

Work is enqueued after the commit, once per transaction and kind.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    Forum,
    Meeting,
    Partnership,
    PartnershipParty,
)
from yrkesbro.matching.models import Request
from yrkesbro.needs.models import CompetencePlan, Need


def _once(key: Any, enqueue: Any) -> None:
    """Run ``enqueue`` after the commit, unless the same key is already waiting for it."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if getattr(entry[1], "health_key", None) == key:
            return

    def run() -> None:
        enqueue()

    run.health_key = key  # type: ignore[attr-defined]
    transaction.on_commit(run)


def refresh_after_commit() -> None:
    from yrkesbro.health.tasks import enqueue_refresh

    _once(("refresh",), enqueue_refresh)


@receiver(post_save, sender=Meeting, dispatch_uid="health_meeting_saved")
@receiver(post_delete, sender=Meeting, dispatch_uid="health_meeting_deleted")
@receiver(post_save, sender=Forum, dispatch_uid="health_forum_saved")
@receiver(post_save, sender=Partnership, dispatch_uid="health_partnership_saved")
@receiver(post_save, sender=PartnershipParty, dispatch_uid="health_party_saved")
@receiver(post_delete, sender=PartnershipParty, dispatch_uid="health_party_deleted")
@receiver(post_save, sender=CompetencePlan, dispatch_uid="health_plan_saved")
@receiver(post_save, sender=Need, dispatch_uid="health_need_saved")
@receiver(post_save, sender=Request, dispatch_uid="health_request_saved")
def counted_data_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_after_commit()


@receiver(post_save, sender=Agreement, dispatch_uid="health_agreement_saved")
def agreement_saved(sender: Any, instance: Agreement, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    refresh_after_commit()
    if instance.status == AgreementStatus.SIGNED:
        from yrkesbro.health.tasks import start_after_agreement

        pk = instance.partnership_id
        _once(("agreement", pk), lambda: start_after_agreement.enqueue(pk))
