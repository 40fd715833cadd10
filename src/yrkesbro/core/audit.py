"""Writing the audit log. Services call ``record`` inside their transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from yrkesbro.core.models import AuditEntry
from yrkesbro.core.policies import Actor

# Never copied into the log, whatever model they sit on.
SECRET_FIELDS = frozenset({"password", "key_hash", "token_hash"})


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict[str, Any] | None:
    """The object's concrete field values as JSON-safe data (foreign keys as ids)."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        data[field.name] = field.value_from_object(obj)
    # Round-trip through JSON so dates and decimals are stored as text, as read back.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model,
    organisation: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "system",
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )
