from django.urls import path

from yrkesbro.health import indicator_views, views

app_name = "health"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<str:round_id>/answer/", views.answer, name="answer"),
    path("rounds/<str:round_id>/close/", views.round_close, name="round_close"),
    path("partnerships/<str:partnership_id>/", views.partnership, name="partnership"),
    path("partnerships/<str:partnership_id>/start/", views.round_start, name="round_start"),
    path("partnerships/<str:partnership_id>/settings/", views.pulse_settings, name="settings"),
    path("indicators/", indicator_views.indicators_page, name="indicators"),
    path("indicators/data.csv", indicator_views.indicators_csv, name="indicators_csv"),
    path("indicators/data.xlsx", indicator_views.indicators_xlsx, name="indicators_xlsx"),
    path("indicators/data.json", indicator_views.indicators_json, name="indicators_json"),
    path("indicators/dcat.jsonld", indicator_views.dcat, name="dcat"),
]
