"""Background work: the public "what it led to" figures per programme.

``refresh_programme_outcomes`` recounts every programme with enrolments in one grouped
query and replaces the rows of ``ProgrammeOutcome``; it is enqueued after any commit that
changes enrolments or outcomes. It is safe to run twice. (Retention runs in core:
``core.tasks.retention_sweep``.)
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from yrkesbro.workforce.models import Enrolment, EnrolmentStatus, ProgrammeOutcome

COMPLETED = Q(status=EnrolmentStatus.COMPLETED)


def refresh_now() -> int:
    """Recount the figures of every programme; returns the number of rows written."""
    rows = (
        Enrolment.objects.values("programme_id")
        .annotate(
            enrolments=Count("id"),
            ended=Count("id", filter=~Q(status=EnrolmentStatus.ENROLLED)),
            completions=Count("id", filter=COMPLETED),
            new_tasks=Count("id", filter=COMPLETED & Q(outcome__gave_new_tasks=True)),
            new_job_group=Count("id", filter=COMPLETED & Q(outcome__gave_new_job_group=True)),
        )
        .order_by("programme_id")
    )
    now = timezone.now()
    objects = [ProgrammeOutcome(refreshed_at=now, **row) for row in rows]
    with transaction.atomic():
        ProgrammeOutcome.objects.all().delete()
        ProgrammeOutcome.objects.bulk_create(objects)
    return len(objects)


@task()
def refresh_programme_outcomes() -> int:
    return refresh_now()


def enqueue_refresh() -> None:
    """Refresh the public figures once the current transaction commits (once per commit)."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if getattr(entry[1], "workforce_refresh", False):
            return

    def run() -> None:
        refresh_programme_outcomes.enqueue()

    run.workforce_refresh = True  # type: ignore[attr-defined]
    transaction.on_commit(run)
