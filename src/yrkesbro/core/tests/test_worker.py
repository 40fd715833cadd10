"""The worker: survives database errors, recovers orphaned tasks, runs the daily sweep itself."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from yrkesbro.core import tasks as core_tasks
from yrkesbro.core import worker as core_worker
from yrkesbro.core.models import OutboxMessage, WorkerHeartbeat, WorkerProcess

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


def task_rows(task):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_task_left_running_by_a_dead_worker_is_requeued_and_runs_once_more():
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    result = core_tasks.heartbeat.enqueue(reschedule=False)
    WorkerProcess.objects.create(worker_id="dead", beat_at=now - timedelta(minutes=5))
    WorkerProcess.objects.create(worker_id="alive", beat_at=now)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=now - timedelta(minutes=6), worker_ids=["dead"]
    )
    busy = core_tasks.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=busy.id).update(
        status="RUNNING", started_at=now - timedelta(minutes=6), worker_ids=["alive"]
    )
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=result.id).worker_ids[0] == "dead"
    assert DBTaskResult.objects.get(pk=busy.id).status == "RUNNING"  # its worker still beats
    assert WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_task_of_an_unregistered_worker_is_requeued_only_after_the_lease():
    from django_tasks_db.models import DBTaskResult

    fresh = core_tasks.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["plain-db-worker"]
    )
    assert core_worker.recover_orphans() == 0
    DBTaskResult.objects.filter(pk=fresh.id).update(
        started_at=timezone.now() - core_worker.LEASE - timedelta(seconds=1)
    )
    assert core_worker.recover_orphans() == 1
    assert DBTaskResult.objects.get(pk=fresh.id).status == "READY"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_waits_out_a_database_error_instead_of_exiting(monkeypatch):
    from django_tasks_db.models import DBTaskResultQuerySet

    real = DBTaskResultQuerySet.get_locked
    failures = iter([OperationalError("server closed the connection unexpectedly")] * 2)
    sleeps: list[float] = []

    def flaky(self):  # type: ignore[no-untyped-def]
        error = next(failures, None)
        if error is not None:
            raise error
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky)
    monkeypatch.setattr(core_worker.time, "sleep", sleeps.append)
    run_worker()
    assert len(sleeps) == 2 and all(0 < s <= core_worker.MAX_BACKOFF for s in sleeps)
    assert task_rows(core_tasks.heartbeat).get().status == "SUCCESSFUL"
    assert not WorkerProcess.objects.exists()  # a clean exit unregisters


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_start_schedules_one_daily_chain_and_a_sweep_due_now():
    call_command("worker", max_tasks=1, verbosity=0)  # starts, runs one task, stops
    chain = task_rows(core_tasks.daily_sweep).filter(
        status="READY", args_kwargs__kwargs__reschedule=True
    )
    assert chain.count() == 1
    assert chain.get().run_after > timezone.now() + timedelta(hours=23)
    call_command("worker", max_tasks=1, verbosity=0)
    assert chain.count() == 1  # a second start does not add a second chain
    heartbeats = task_rows(core_tasks.heartbeat).filter(status="READY")
    assert heartbeats.count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_daily_sweep_prunes_finished_task_rows_and_keeps_recent_ones():
    from django_tasks_db.models import DBTaskResult

    old = core_tasks.deliver_outbox.enqueue()
    recent = core_tasks.deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=8)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=1)
    )
    results = core_tasks.daily_sweep.call()
    assert results["yrkesbro.core.tasks.prune_finished_tasks"] == 1
    assert not DBTaskResult.objects.filter(pk=old.id).exists()
    assert DBTaskResult.objects.filter(pk=recent.id).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_fresh_demo_worker_sends_the_renewal_and_overdue_reminders_once_each():
    from yrkesbro.collaboration.models import Notification
    from yrkesbro.core.demo import load_demo

    load_demo()
    mail.outbox = []
    run_worker()  # the first start: the sweep is due at once
    keys = list(Notification.objects.values_list("key", flat=True))
    assert any(k.startswith("agreement:") and k.endswith(("90d", "30d")) for k in keys)
    assert any(k.startswith("action-overdue:") for k in keys)
    sent = sorted((m.subject, tuple(m.to)) for m in mail.outbox)
    assert len(sent) == OutboxMessage.objects.count() > 0
    reminders = [m for m in sent if m[0].startswith(("Avtalen utløper", "Forfalt"))]
    assert reminders and len(reminders) == len(set(reminders))  # each reminder once
    subjects = " ".join(s for s, _to in sent)
    assert "Avtalen utløper" in subjects and "Forfalt oppfølgingspunkt" in subjects
    run_worker()  # a restart sweeps again and sends nothing new
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == sent


@pytest.mark.django_db
def test_platform_admins_see_how_long_ago_each_worker_beat(client, world):
    from yrkesbro.testing import PASSWORD

    WorkerProcess.objects.create(
        worker_id="w1", host="app-1", pid=42, beat_at=timezone.now() - timedelta(seconds=95)
    )
    client.login(username=world.platform_admin.username, password=PASSWORD)
    page = client.get("/admin/core/workerprocess/")
    assert page.status_code == 200
    text = page.content.decode()
    age = re.search(r'field-seconds_since_beat">(\d+)<', text)
    assert "app-1" in text and age and 95 <= int(age.group(1)) < 300
    client.login(username=world.a.admin.username, password=PASSWORD)
    assert client.get("/admin/core/workerprocess/").status_code == 302  # not staff: to log-in


def test_the_apps_daily_jobs_run_in_the_one_daily_sweep():
    from yrkesbro.core.tasks import DAILY

    assert "yrkesbro.vet.tasks.vet_sweep" in DAILY
    assert "yrkesbro.health.tasks.pulse_sweep" in DAILY
