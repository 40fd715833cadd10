from django.urls import path

from yrkesbro.workforce import outcomes, privacy_views, views

app_name = "workforce"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_id>/", views.org_page, name="org"),
    path("org/<int:org_id>/enrol/", views.enrol, name="enrol"),
    path("org/<int:org_id>/employees/new/", views.employee_create, name="employee_create"),
    path("org/<int:org_id>/effect/", views.effect, name="effect"),
    path("org/<int:org_id>/policy/", views.policy, name="policy"),
    path("org/<int:org_id>/import/", views.import_view, name="import"),
    path("org/<int:org_id>/enrolments.<str:fmt>", views.export, name="export"),
    path("enrolments/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
    path(
        "enrolments/<int:enrolment_id>/<str:action>/",
        views.enrolment_action,
        name="enrolment_action",
    ),
    path("me/", privacy_views.me, name="me"),
    path("me/export.json", privacy_views.me_export, name="me_export"),
    path("me/delete/", privacy_views.me_delete, name="me_delete"),
    path("personal-data/", privacy_views.record_of_processing, name="record"),
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/data.csv", outcomes.outcomes_csv, name="outcomes_csv"),
    path("outcomes/data.json", outcomes.outcomes_json, name="outcomes_json"),
    path("deletions/", privacy_views.deletions, name="deletions"),
    path(
        "deletions/<int:deletion_id>/carry-out/",
        privacy_views.deletion_carry_out,
        name="deletion_carry_out",
    ),
    path(
        "requests/<int:request_id>/partnership/",
        views.partnership_from_request,
        name="partnership_from_request",
    ),
]
