"""Personal data held by core and by Django's own apps (audit log, admin log)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare


def _erase_audit(user: Any) -> int:
    """Audit entries stay (they prove what was done) but no longer say by whom."""
    from yrkesbro.core.models import AuditEntry

    return AuditEntry.objects.filter(actor=user).update(actor=None, actor_name="")


declare(
    "core.AuditEntry",
    fields=["actor", "actor_name"],
    purpose=_("Show who changed what, for accountability and security"),
    retention=_("Kept 5 years, then the actor is removed; anonymised at once on deletion"),
    person="actor",
    eraser=_erase_audit,
    retention_days=5 * 365,
    retention_field="created_at",
    retention_action="anonymise",
)
declare(
    "admin.LogEntry",
    fields=["user"],
    purpose=_("Django's record of changes made by platform administrators"),
    retention=_("Kept 5 years"),
    subject=_("platform administrator"),
    person="user",
    erase="keep",
    retention_days=5 * 365,
    retention_field="action_time",
)
declare(
    "core.OutboxMessage",
    fields=["to", "subject", "body"],
    purpose=_("Deliver notifications and invitations by e-mail"),
    retention=_("Deleted 30 days after the message was sent (the daily sweep)"),
    subject=_("recipient"),
    erase="keep",
)
