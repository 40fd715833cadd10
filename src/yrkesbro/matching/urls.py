from django.urls import path

from yrkesbro.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/<int:need_id>/", views.need_matches, name="need"),
    path("needs/<int:need_id>/request/", views.request_create, name="request_create"),
    path("plans/<int:plan_id>/", views.plan_matches, name="plan"),
    path("schools/<int:school_id>/", views.school_demand, name="school"),
    path("requests/", views.request_list, name="requests"),
    path("requests/export.<str:fmt>", views.request_export, name="request_export"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/<str:action>/", views.request_action, name="request_action"),
    path("gaps/", views.gaps_view, name="gaps"),
    path("gaps/data.csv", views.gaps_csv, name="gaps_csv"),
    path("gaps/data.json", views.gaps_json, name="gaps_json"),
]
