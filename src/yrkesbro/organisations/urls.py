from django.urls import path

from yrkesbro.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("import-register/", views.register_import, name="register_import"),
    path("<int:org_id>/", views.organisation_detail, name="detail"),
    path("<int:org_id>/edit/", views.organisation_edit, name="edit"),
    path("<int:org_id>/members/", views.members, name="members"),
    path("<int:org_id>/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(
        "<int:org_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<int:org_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:org_id>/audit/", views.audit_log, name="audit"),
]
