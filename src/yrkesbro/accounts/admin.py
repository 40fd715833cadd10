from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from yrkesbro.accounts.models import ApiToken, Invitation, Membership, User
from yrkesbro.core.admin import AuditedAdmin, ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Yrkesbro"), {"fields": ("full_name",)}),
    )
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    search_fields = ("user__username", "name")
    list_select_related = ("user",)
