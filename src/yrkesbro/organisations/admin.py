from django.contrib import admin

from yrkesbro.core.admin import AuditedAdmin
from yrkesbro.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "number", "org_number", "county", "is_active", "is_demo")
    list_filter = ("kind", "is_active", "is_demo")
    search_fields = ("name", "number", "org_number", "code")
    autocomplete_fields = ("county", "municipality")
    list_select_related = ("county",)
    readonly_fields = ("created_at", "updated_at")
