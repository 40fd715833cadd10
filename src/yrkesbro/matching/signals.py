"""Recompute matches when needs or the catalogue change, without touching their services.

The work is enqueued after the commit, once per transaction and kind, on the background
worker (``matching.tasks``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from yrkesbro.catalogue.models import Offering, Programme
from yrkesbro.needs.models import Need


def _once(key: Any, enqueue: Any) -> None:
    """Run ``enqueue`` after the commit, unless the same key is already waiting for it."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if getattr(entry[1], "matching_key", None) == key:
            return

    def run() -> None:
        enqueue()

    run.matching_key = key  # type: ignore[attr-defined]
    # robust: the write has committed, so a failed enqueue must not answer 500; the
    # daily sweep's refresh_stale recomputes whatever it missed.
    transaction.on_commit(run, robust=True)


def _refresh_need(need_id: int) -> None:
    from yrkesbro.matching.tasks import refresh_need

    _once(("need", need_id), lambda: refresh_need.enqueue(need_id))


def _refresh_stale() -> None:
    from yrkesbro.matching.tasks import refresh_stale

    _once(("stale",), refresh_stale.enqueue)


@receiver(post_save, sender=Need, dispatch_uid="matching_need_saved")
def need_saved(sender: Any, instance: Need, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_need(instance.pk)


@receiver(m2m_changed, sender=Need.areas.through, dispatch_uid="matching_need_areas")
def need_areas_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Need):
        _refresh_need(instance.pk)


@receiver(post_save, sender=Offering, dispatch_uid="matching_offering_saved")
@receiver(post_delete, sender=Offering, dispatch_uid="matching_offering_deleted")
@receiver(post_save, sender=Programme, dispatch_uid="matching_programme_saved")
def catalogue_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_stale()
