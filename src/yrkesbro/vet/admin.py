from django.contrib import admin

from yrkesbro.core.admin import AuditedAdmin
from yrkesbro.vet.models import Trade


@admin.register(Trade)
class TradeAdmin(AuditedAdmin):
    """Single trades; a whole new register is imported from a file at /vet/trades/import/."""

    list_display = ("code", "name", "programme_code", "is_active")
    list_filter = ("programme_code", "is_active")
    search_fields = ("code", "name")
    ordering = ("programme_code", "name")
