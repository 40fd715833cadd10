"""The outbox: stored in the caller's transaction, sent by the worker once, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from yrkesbro.core import outbox
from yrkesbro.core.models import OutboxMessage, OutboxStatus

UNREACHABLE = "yrkesbro.core.tests.mail_backends.UnreachableBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def empty_mailbox():
    mail.outbox = []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_stores_and_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_email(to="a@example.test", subject="Hei", body="Tekst", key="k1")
        raise RuntimeError("the write failed")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_message_is_sent_after_the_commit_once_per_key():
    with transaction.atomic():
        assert outbox.queue_email(
            to="a@example.test", subject="Hei", body="Tekst", url="/x/", key="k1"
        )
        assert not outbox.queue_email(to="a@example.test", subject="Hei", body="Tekst", key="k1")
        assert mail.outbox == []  # nothing leaves before the commit
    assert [m.subject for m in mail.outbox] == ["Hei"]
    assert mail.outbox[0].body.endswith("/x/") and mail.outbox[0].to == ["a@example.test"]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.SENT and message.sent_at is not None
    assert outbox.deliver_due() == 0  # a second run sends nothing
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_subject_is_always_one_header_safe_line():
    outbox.queue_email(
        to="a@example.test", subject="Hei\r\nBcc: x@example.test\x00", body="b", key="n"
    )
    assert OutboxMessage.objects.get(key="n").subject == "Hei Bcc: x@example.test"
    outbox.queue_email(to="a@example.test", subject="  Hei \t der  ", body="b", key="s")
    assert OutboxMessage.objects.get(key="s").subject == "Hei der"
    assert not outbox.queue_email(to="", subject="Hei", body="b")


@pytest.mark.django_db
def test_an_unreachable_mail_server_delays_with_backoff_then_sends():
    outbox.queue_email(to="a@example.test", subject="Hei", body="b", key="k")
    with override_settings(EMAIL_BACKEND=UNREACHABLE):
        assert outbox.deliver_due() == 0
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "unreachable" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert outbox.deliver_due() == 0  # not due yet
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 1
    assert [m.subject for m in mail.outbox] == ["Hei"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(50) == outbox.MAX_BACKOFF


@pytest.mark.django_db
def test_a_message_claimed_by_a_worker_that_died_is_sent_once_more_after_the_lease():
    outbox.queue_email(to="a@example.test", subject="Hei", body="b", key="k")
    # A worker claimed it and died before marking it sent.
    assert outbox._claim(timezone.now(), 10)
    assert outbox.deliver_due() == 0  # the lease still holds: no second sender
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox.deliver_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_old_sent_messages_are_pruned_and_failed_ones_kept():
    old = timezone.now() - timedelta(days=31)
    OutboxMessage.objects.create(
        key="a", to="a@x.test", subject="s", body="b", status="sent", sent_at=old
    )
    OutboxMessage.objects.create(key="b", to="a@x.test", subject="s", body="b", status="failed")
    OutboxMessage.objects.create(
        key="c", to="a@x.test", subject="s", body="b", status="sent", sent_at=timezone.now()
    )
    assert outbox.prune_sent() == 1
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {"b", "c"}
