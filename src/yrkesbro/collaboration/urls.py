from django.urls import path

from yrkesbro.collaboration.views import agreements, exports, meetings, overview, partnerships

app_name = "collaboration"
urlpatterns = [
    path("", partnerships.index, name="index"),
    path("structure-types/", partnerships.structure_types, name="structure_types"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/export.<str:fmt>", exports.partnership_export, name="partnership_export"),
    path("meetings/export.<str:fmt>", exports.meeting_export, name="meeting_export"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path(
        "partnerships/<int:pk>/people/",
        partnerships.partnership_people,
        name="partnership_people",
    ),
    path(
        "partnerships/<int:pk>/people/remove/",
        partnerships.partnership_people_remove,
        name="partnership_people_remove",
    ),
    path("partnerships/<int:pk>/contacts/", partnerships.contact_log, name="contact_log"),
    path(
        "partnerships/<int:pk>/agreements/new/",
        agreements.agreement_create,
        name="agreement_create",
    ),
    path("partnerships/<int:pk>/forums/new/", meetings.forum_create, name="forum_create"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/compare/", agreements.agreement_diff, name="agreement_diff"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    path("agreements/<int:pk>/document.pdf", agreements.agreement_pdf, name="agreement_pdf"),
    path(
        "agreements/<int:pk>/<str:action>/",
        agreements.agreement_action,
        name="agreement_action",
    ),
    path("forums/<int:pk>/", meetings.forum_detail, name="forum"),
    path("forums/<int:pk>/edit/", meetings.forum_edit, name="forum_edit"),
    path("forums/<int:pk>/plan/", meetings.forum_plan, name="forum_plan"),
    path("forums/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/add/<str:what>/", meetings.meeting_add, name="meeting_add"),
    path("actions/<int:pk>/status/", meetings.action_status, name="action_status"),
    path("organisations/<int:org_id>/", overview.organisation_overview, name="org_overview"),
    path("counties/<int:org_id>/", overview.county_overview, name="county_overview"),
    path("notifications/", overview.notifications, name="notifications"),
    path("calendars/", overview.calendars, name="calendars"),
    path("ical/<str:token>.ics", overview.ical_feed, name="ical"),
    path("invitations/<int:pk>/answer/", partnerships.invitation_answer, name="invitation_answer"),
    path("partnerships/<int:pk>/leave/", partnerships.party_leave, name="party_leave"),
]
