from django.urls import path

from yrkesbro.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("export.<str:fmt>", views.export, name="export"),
    path("overview/", views.overview, name="overview"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<str:code>/", views.plan_detail, name="plan"),
    path("schools/<int:org_id>/", views.school_detail, name="school"),
    path("schools/<int:org_id>/new/", views.programme_create, name="programme_create"),
    path("schools/<int:org_id>/import/", views.import_upload, name="import_upload"),
    path("imports/<int:upload_id>/", views.import_status, name="import_status"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_id>/delete/", views.programme_delete, name="programme_delete"),
    path(
        "programmes/<int:programme_id>/offerings/new/",
        views.offering_create,
        name="offering_create",
    ),
    path("offerings/<int:offering_id>/edit/", views.offering_edit, name="offering_edit"),
    path("offerings/<int:offering_id>/delete/", views.offering_delete, name="offering_delete"),
]
