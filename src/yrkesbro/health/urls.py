from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from yrkesbro.health import indicator_views, item_set_views, views

app_name = "health"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<str:round_id>/answer/", views.answer, name="answer"),
    path("rounds/<str:round_id>/close/", views.round_close, name="round_close"),
    path("partnerships/<str:partnership_id>/", views.partnership, name="partnership"),
    path("partnerships/<str:partnership_id>/start/", views.round_start, name="round_start"),
    path("partnerships/<str:partnership_id>/settings/", views.pulse_settings, name="settings"),
    path("item-sets/", item_set_views.item_sets, name="item_sets"),
    path("item-sets/new/", item_set_views.item_set_new, name="item_set_new"),
    path("indicators/", indicator_views.indicators_page, name="indicators"),
    path("indicators/data.csv", indicator_views.indicators_csv, name="indicators_csv"),
    path("indicators/data.xlsx", indicator_views.indicators_xlsx, name="indicators_xlsx"),
    path("indicators/data.json", indicator_views.indicators_json, name="indicators_json"),
    # The DCAT-AP-NO description moved into the shared open-data catalogue (core/opendata.py).
    path(
        "indicators/dcat.jsonld",
        RedirectView.as_view(url=reverse_lazy("core:open_data_jsonld"), permanent=True),
        name="dcat",
    ),
]
