"""Personal data in matching: who asked and answered, and the notices sent to people."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare


def _erase_events(user: Any) -> int:
    from yrkesbro.matching.models import RequestEvent

    return RequestEvent.objects.filter(actor=user).update(actor=None, actor_name="")


declare(
    "matching.Request",
    fields=["created_by"],
    purpose=_("Who asked a school on behalf of the organisation"),
    retention=_("As long as the request; the person is removed on a deletion request"),
    person="created_by",
)
declare(
    "matching.RequestEvent",
    fields=["actor", "actor_name"],
    purpose=_("The history of a request: who did what"),
    retention=_("As long as the request; the person is removed on a deletion request"),
    person="actor",
    eraser=_erase_events,
)
declare(
    "matching.MatchNotification",
    fields=["user", "subject", "body"],
    purpose=_("Notices about requests sent to a person"),
    retention=_("Deleted after one year"),
    person="user",
    erase="delete",
    retention_days=365,
    retention_field="created_at",
)
