"""Outgoing e-mail, the one way any app sends a message.

Call ``queue_email`` inside the service's transaction. It stores an
``OutboxMessage`` in that transaction, so a rolled-back write sends nothing and
a committed one is never lost. The worker delivers stored messages
(``deliver_due``) with retries and backoff; a mail outage therefore never
fails the user's request, and the messages go out once the server is back.

Delivery is at most once per ``key``, or once more after a crash: a message is
claimed with a lease before it is handed to the mail server and marked sent
after; a worker that dies in between leaves the lease to run out.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A claimed message whose sender has not finished within this time is sent again.
SEND_LEASE = timedelta(minutes=5)
# After this many failed attempts the message is marked failed (visible in the admin).
MAX_ATTEMPTS = 20
MAX_BACKOFF = timedelta(hours=1)
KEEP_SENT = timedelta(days=30)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour between attempts."""
    return min(timedelta(seconds=30 * 2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)


def _single_line(subject: str) -> str:
    """The subject as one header-safe line: every run of whitespace (line breaks too) is
    one space, other control characters go. Titles are checked when they are written
    (``core.inputs``); this also covers rows stored before that check, so a reminder
    about an old title still goes out and can never inject a header."""
    text = "".join(ch for ch in str(subject) if ch.isspace() or ch.isprintable())
    return " ".join(text.split())[:300]


def queue_email(*, to: str, subject: str, body: str, url: str = "", key: str = "") -> bool:
    """Store ``subject``/``body`` for ``to``; the worker sends it once the transaction commits.

    ``url`` is a site-relative link appended to the body with the site address;
    ``key`` identifies the message so that the same key is stored (and sent) at
    most once. Returns False when a message with this key already exists.
    The subject is made one line (line breaks become spaces).
    """
    from yrkesbro.core.models import OutboxMessage

    if not to:
        return False
    subject_line = _single_line(subject)
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    if key:
        # Long keys are hashed so the unique column keeps its meaning.
        key = key if len(key) <= 200 else hashlib.sha256(key.encode()).hexdigest()
    else:
        key = f"auto:{uuid.uuid4().hex}"
    try:
        with transaction.atomic():
            OutboxMessage.objects.create(
                key=key, to=to, subject=subject_line, body=str(body) + link
            )
    except IntegrityError:
        return False
    _wake_worker()
    return True


def _wake_worker() -> None:
    """Ask for a delivery run after the commit; the worker's minute beat is the fallback."""
    from django_tasks import default_task_backend

    from yrkesbro.core.tasks import deliver_outbox, enqueue_once

    if default_task_backend.supports_defer:
        # Database backend: the task row commits together with the message; one
        # waiting delivery run is enough for any number of messages.
        try:
            with transaction.atomic():
                enqueue_once(deliver_outbox)
        except Exception:  # a lost wake-up only delays the message until the next beat
            logger.warning("could not enqueue outbox delivery", exc_info=True)
        return

    def run() -> None:
        try:
            deliver_outbox.enqueue()
        except Exception:
            logger.warning("outbox delivery failed", exc_info=True)

    transaction.on_commit(run, robust=True)


def _claim(now: object, limit: int) -> list[int]:
    from yrkesbro.core.models import OutboxMessage, OutboxStatus

    due = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, next_attempt_at__lte=now
    )
    pending = OutboxMessage.objects.filter(due).order_by("next_attempt_at")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    claimed = []
    for pk in ids:
        # A conditional update is the claim: only one worker sees rowcount 1.
        won = OutboxMessage.objects.filter(due, pk=pk).update(
            status=OutboxStatus.SENDING, next_attempt_at=timezone.now() + SEND_LEASE
        )
        if won:
            claimed.append(pk)
    return claimed


def deliver_due(limit: int = 200) -> int:
    """Send every message that is due; returns how many were sent. Safe to run concurrently."""
    from yrkesbro.core.models import OutboxMessage, OutboxStatus

    sent = 0
    for pk in _claim(timezone.now(), limit):
        message = OutboxMessage.objects.get(pk=pk)
        try:
            send_mail(message.subject, message.body, None, [message.to])
        except Exception as exc:  # any mail failure: try again later
            attempts = message.attempts + 1
            failed = attempts >= MAX_ATTEMPTS
            OutboxMessage.objects.filter(pk=pk).update(
                attempts=attempts,
                status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
                next_attempt_at=timezone.now() + backoff(attempts),
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            logger.warning("e-mail %s not sent (attempt %s): %s", pk, attempts, exc)
            continue
        OutboxMessage.objects.filter(pk=pk).update(
            status=OutboxStatus.SENT,
            sent_at=timezone.now(),
            attempts=message.attempts + 1,
            last_error="",
        )
        sent += 1
    return sent


def prune_sent(now: object = None) -> int:
    """Forget sent messages after a month; failed ones stay for an administrator to see."""
    from yrkesbro.core.models import OutboxMessage, OutboxStatus

    cutoff = (now or timezone.now()) - KEEP_SENT  # type: ignore[operator]
    deleted, _ = OutboxMessage.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted
