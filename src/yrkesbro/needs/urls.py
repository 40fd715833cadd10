from django.urls import path

from yrkesbro.needs import plan_views, regional, views

app_name = "needs"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_create, name="create"),
    path("export.<str:fmt>", views.need_export, name="export"),
    path("assessment/", views.need_assessment, name="assessment"),
    path("import/", views.need_import, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("regional/", regional.regional_view, name="regional"),
    path("regional/data.csv", regional.regional_csv, name="regional_csv"),
    path("regional/data.json", regional.regional_json, name="regional_json"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/export.<str:fmt>", plan_views.plan_export, name="plan_export"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/add-needs/", plan_views.plan_add_needs, name="plan_add_needs"),
    path(
        "plans/<int:plan_id>/needs/<int:need_id>/remove/",
        plan_views.plan_remove_need,
        name="plan_remove_need",
    ),
    path("plans/<int:plan_id>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_id>/print/", plan_views.plan_print, name="plan_print"),
    path("plans/<int:plan_id>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:plan_id>/internal/", plan_views.plan_internal, name="plan_internal"),
    path("<int:need_id>/", views.need_detail, name="detail"),
    path("<int:need_id>/edit/", views.need_edit, name="edit"),
    path("<int:need_id>/status/", views.need_status, name="status"),
]
