"""Reminders are sent by the real background worker (django-tasks database backend).

The worker closes database connections between tasks, so these tests commit
their data (transaction=True) instead of running inside a test transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from yrkesbro.collaboration.models import Notification
from yrkesbro.collaboration.services import agreements, meetings
from yrkesbro.testing import PASSWORD

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_sends_meeting_and_overdue_action_reminders(setup):
    w = setup.world
    mail.outbox.clear()
    start = timezone.now() + timedelta(hours=3)
    meeting = meetings.meeting_create(
        actor=w.a.editor,
        forum=setup.forum,
        data={"title": "Kvartalsmøte", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    meetings.action_create(
        actor=w.a.editor,
        meeting=setup.meeting,
        title="Sende tilbud",
        owner=w.b.editor,
        due_on=date.today() - timedelta(days=2),
    )
    assert not mail.outbox  # nothing is sent until the worker runs
    run_worker()
    subjects = {m.subject for m in mail.outbox}
    assert any("Kvartalsmøte" in s for s in subjects)
    assert any("Sende tilbud" in s for s in subjects)
    recipients = {r for m in mail.outbox for r in m.to}
    assert {w.a.viewer.email, w.b.viewer.email, w.b.editor.email} <= recipients
    assert Notification.objects.filter(user=w.a.viewer, url=meeting.get_absolute_url()).exists()
    count = len(mail.outbox)
    meetings.meeting_update(actor=w.a.editor, meeting=meeting, data={"agenda": "1. Velkommen"})
    run_worker()
    assert len(mail.outbox) == count  # each reminder once


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
@pytest.mark.parametrize(("days_left", "stage"), [(80, "90d"), (20, "30d"), (-1, "expired")])
def test_worker_sends_agreement_expiry_reminders(setup, days_left, stage):
    w = setup.world
    ends = date.today() + timedelta(days=days_left)
    agreement = setup.agreement(starts_on=ends - timedelta(days=700), ends_on=ends)
    agreements.agreement_send(actor=w.a.editor, agreement=agreement)
    agreements.agreement_sign(actor=w.a.admin, agreement=agreement, organisation=w.a.org)
    agreements.agreement_sign(actor=w.b.admin, agreement=agreement, organisation=w.b.org)
    mail.outbox.clear()
    run_worker()
    notes = Notification.objects.filter(key__startswith=f"agreement:{agreement.pk}:")
    assert notes.exists() and all(n.key.endswith(stage) for n in notes)
    assert {w.a.admin.email, w.b.admin.email} <= {r for m in mail.outbox for r in m.to}
    agreement.refresh_from_db()
    assert agreement.status == ("expired" if stage == "expired" else "renewal")


def test_notification_list_page(client, setup):
    Notification.objects.create(user=setup.world.a.viewer, key="k", subject="Hei", body="Tekst")
    client.login(username=setup.world.a.viewer.username, password=PASSWORD)
    page = client.get("/collaboration/notifications/")
    assert "Hei" in page.content.decode()
    client.post("/collaboration/notifications/")
    assert Notification.objects.get(key="k").read_at


@pytest.mark.django_db
def test_the_sweep_reads_only_what_it_has_to_do(setup):
    """An overdue action is read until its reminder is sent, then never again (the key is
    matched in SQL); an agreement is read only near a status change or a reminder."""
    from yrkesbro.collaboration import tasks
    from yrkesbro.collaboration.models import ActionItem, Agreement

    w = setup.world
    today = timezone.localdate()
    action = meetings.action_create(
        actor=w.a.editor,
        meeting=setup.meeting,
        title="Sende tilbud",
        owner=w.b.editor,
        due_on=today - timedelta(days=400),
    )
    tasks.send_due_reminders()  # (the test settings may have run it on creation already)
    assert Notification.objects.filter(key=f"action-overdue:{action.pk}:{action.due_on}").exists()
    assert not tasks._overdue_unreminded(today).exists()
    ActionItem.objects.filter(pk=action.pk).update(due_on=today - timedelta(days=3))
    assert list(tasks._overdue_unreminded(today)) == [action]  # a new due date, a new reminder
    tasks.send_due_reminders()
    assert not tasks._overdue_unreminded(today).exists()
    assert Notification.objects.filter(key__startswith=f"action-overdue:{action.pk}:").count() == 2

    def signed(starts_on: date, ends_on: date) -> Agreement:
        agreement = setup.agreement(starts_on=starts_on, ends_on=ends_on)
        agreements.agreement_send(actor=w.a.editor, agreement=agreement)
        agreements.agreement_sign(actor=w.a.admin, agreement=agreement, organisation=w.a.org)
        agreements.agreement_sign(actor=w.b.admin, agreement=agreement, organisation=w.b.org)
        return agreement

    far = signed(today - timedelta(days=10), today + timedelta(days=400))
    near = signed(today - timedelta(days=300), today + timedelta(days=80))
    starting = signed(today + timedelta(days=5), today + timedelta(days=800))
    tasks.send_due_reminders()
    due = set(tasks._agreements_due(today, timezone.now()).values_list("pk", flat=True))
    assert near.pk in due and far.pk not in due and starting.pk not in due
    for agreement, status in ((far, "active"), (near, "renewal"), (starting, "signed")):
        agreement.refresh_from_db()
        assert agreement.status == status
    # The day the signed one starts, it is read and moves on.
    later = today + timedelta(days=5)
    assert starting.pk in set(
        tasks._agreements_due(later, timezone.now()).values_list("pk", flat=True)
    )
