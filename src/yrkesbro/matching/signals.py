"""Recompute matches and gaps when needs or the catalogue change, without touching their
services.

A catalogue change marks stale only the stored matches it can move (the needs whose areas
the changed programme covers, through its plan or as its own areas, and those ranking the
changed offering); a programme whose plan or own areas change away from a need's areas is
caught through its ranked offerings.

The work is enqueued after the commit, once per transaction and kind, on the background
worker (``matching.tasks``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
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


def _refresh_gaps(organisation: int | None = None, plan: int | None = None) -> None:
    """Refresh the gap tables for one organisation's needs, one plan's areas, or all
    (both None). One task per transaction and scope."""
    from yrkesbro.matching.tasks import refresh_gaps

    if organisation is not None:
        _once(("gaps-org", organisation), lambda: refresh_gaps.enqueue([organisation], None))
    elif plan is not None:
        _once(("gaps-plan", plan), lambda: refresh_gaps.enqueue(None, [plan]))
    else:
        _once(("gaps",), lambda: refresh_gaps.enqueue(None, None))


@receiver(post_save, sender=Need, dispatch_uid="matching_need_saved")
def need_saved(sender: Any, instance: Need, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_need(instance.pk)
        _refresh_gaps(organisation=instance.organisation_id)


@receiver(post_delete, sender=Need, dispatch_uid="matching_need_deleted")
def need_deleted(sender: Any, instance: Need, **kwargs: Any) -> None:
    _refresh_gaps(organisation=instance.organisation_id)


@receiver(m2m_changed, sender=Need.areas.through, dispatch_uid="matching_need_areas")
def need_areas_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Need):
        _refresh_need(instance.pk)
        _refresh_gaps(organisation=instance.organisation_id)


@receiver(post_save, sender=Offering, dispatch_uid="matching_offering_gaps")
def offering_saved(sender: Any, instance: Offering, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan = (
            Programme.objects.filter(pk=instance.programme_id)
            .values_list("national_plan_id", flat=True)
            .first()
        )
        # The plan's refresh covers the own areas of its programmes too; without a plan, only
        # own areas can be covered (none: nothing in the gaps changes).
        if plan is not None:
            _refresh_gaps(plan=plan)
        elif Programme.competence_areas.through.objects.filter(
            programme_id=instance.programme_id
        ).exists():
            _refresh_gaps()


@receiver(post_delete, sender=Offering, dispatch_uid="matching_offering_deleted_gaps")
@receiver(post_save, sender=Programme, dispatch_uid="matching_programme_gaps")
@receiver(post_delete, sender=Programme, dispatch_uid="matching_programme_deleted_gaps")
def catalogue_gaps_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    # The programme's plan may have changed (or the row is gone): recompute every area.
    if not raw:
        _refresh_gaps()


def _mark_stale(plan: int | None, offerings: list[int], own_areas: Any = None) -> None:
    """Mark stale the stored matches a catalogue change can move: those of needs whose areas
    a programme of ``plan`` covers or that have one of ``own_areas`` (a programme's own
    competence areas: ids, or a query of ids), and those that rank one of ``offerings``."""
    from yrkesbro.matching.models import MatchResult, NeedMatching
    from yrkesbro.taxonomy.models import CompetenceArea

    by_area = Q(pk__in=[])
    if plan is not None:
        areas = CompetenceArea.national_plans.through.objects.filter(nationalplan_id=plan)
        needs = Need.areas.through.objects.filter(
            competencearea_id__in=areas.values("competencearea_id")
        )
        by_area |= Q(need_id__in=needs.values("need_id"))
    if own_areas is not None:
        needs = Need.areas.through.objects.filter(competencearea_id__in=own_areas)
        by_area |= Q(need_id__in=needs.values("need_id"))
    MatchResult.objects.filter(by_area | Q(offering_id__in=offerings), stale=False).update(
        stale=True
    )
    # a need that found nothing before may find this programme now
    NeedMatching.objects.filter(by_area, stale=False).update(stale=True)
    _refresh_stale()


@receiver(post_save, sender=Offering, dispatch_uid="matching_offering_saved")
@receiver(post_delete, sender=Offering, dispatch_uid="matching_offering_deleted")
def offering_changed(sender: Any, instance: Offering, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan = (
            Programme.objects.filter(pk=instance.programme_id)
            .values_list("national_plan_id", flat=True)
            .first()
        )
        _mark_stale(plan, [instance.pk], _own_areas(instance.programme_id))


@receiver(post_save, sender=Programme, dispatch_uid="matching_programme_saved")
def programme_changed(sender: Any, instance: Programme, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        offerings = list(instance.offerings.values_list("pk", flat=True))
        _mark_stale(instance.national_plan_id, offerings, _own_areas(instance.pk))


def _own_areas(programme_id: int) -> Any:
    """A query of the programme's own competence area ids (evaluated inside the UPDATE)."""
    return Programme.competence_areas.through.objects.filter(programme_id=programme_id).values(
        "competencearea_id"
    )


@receiver(m2m_changed, sender=Programme.competence_areas.through, dispatch_uid="matching_own_areas")
def programme_areas_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None = None, **kwargs: Any
) -> None:
    """A programme's own areas were added or removed: the needs with those areas may move (a
    removed area's needs also through the offerings they rank). A ``clear`` is seen before it
    happens, while the links are still there. Changed from the area's side, ``pk_set`` holds
    programmes."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    through = Programme.competence_areas.through.objects
    if isinstance(instance, Programme):
        programmes = [instance.pk]
        areas = (
            list(
                through.filter(programme_id=instance.pk).values_list("competencearea_id", flat=True)
            )
            if action == "pre_clear"
            else sorted(pk_set or ())
        )
    else:
        areas = [instance.pk]
        programmes = (
            list(
                through.filter(competencearea_id=instance.pk).values_list("programme_id", flat=True)
            )
            if action == "pre_clear"
            else sorted(pk_set or ())
        )
    if not areas or not programmes:
        return
    offerings = list(
        Offering.objects.filter(programme_id__in=programmes).values_list("pk", flat=True)
    )
    _mark_stale(None, offerings, areas)
    _refresh_gaps()
