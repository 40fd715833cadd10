"""Django admin for platform administrators.

Admin writes do not go through the capability services (platform
administrators may change anything), but they are audited like every other
write: ``AuditedAdmin`` records before and after for saves and deletions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesbro.core import audit
from yrkesbro.core.models import AuditEntry, OutboxMessage, WorkerHeartbeat, WorkerProcess


def _organisation_of(obj: Any) -> Any:
    from yrkesbro.organisations.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk:
                before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.admin_{'change' if change else 'add'}",
                obj=obj,
                organisation=_organisation_of(obj),
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.admin_delete",
                obj=obj,
                organisation=_organisation_of(obj),
                before=audit.snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "object_repr", "organisation")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "action")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("beat_at", "worker")


@admin.register(WorkerProcess)
class WorkerProcessAdmin(ReadOnlyAdmin):
    """Platform administrators see which workers run and how long ago each last beat."""

    list_display = ("host", "pid", "started_at", "beat_at", "seconds_since_beat")

    @admin.display(description=_("seconds since last beat"))
    def seconds_since_beat(self, obj: WorkerProcess) -> int:
        return int((timezone.now() - obj.beat_at).total_seconds())


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "to", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("to", "subject", "key")
    readonly_fields = ("last_error",)
