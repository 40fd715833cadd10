"""Personal data held by core and by Django's own apps (audit log, admin log)."""

from __future__ import annotations

from typing import Any

from yrkesbro.core.personal_data import declare


def _erase_audit(user: Any) -> int:
    """Audit entries stay (they prove what was done) but no longer say by whom."""
    from yrkesbro.core.models import AuditEntry

    return AuditEntry.objects.filter(actor=user).update(actor=None, actor_name="")


declare(
    "core.AuditEntry",
    fields=["actor", "actor_name"],
    purpose="Show who changed what, for accountability and security",
    retention="Kept 5 years, then the actor is removed; anonymised at once on deletion",
    person="actor",
    eraser=_erase_audit,
    retention_days=5 * 365,
    retention_field="created_at",
    retention_action="anonymise",
)
declare(
    "admin.LogEntry",
    fields=["user"],
    purpose="Django's record of changes made by platform administrators",
    retention="Kept 5 years",
    subject="platform administrator",
    person="user",
    erase="keep",
    retention_days=5 * 365,
    retention_field="action_time",
)
declare(
    "core.OutboxMessage",
    fields=["to", "subject", "body"],
    purpose="Deliver notifications and invitations by e-mail",
    retention="Deleted 30 days after the message was sent (the daily sweep)",
    subject="recipient",
    erase="keep",
)
