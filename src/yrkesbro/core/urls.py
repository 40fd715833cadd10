from django.urls import path

from yrkesbro.core import health, views, views_opendata

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("developers/", views.developers, name="developers"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("open-data/", views_opendata.open_data, name="open_data"),
    path("open-data/catalog.ttl", views_opendata.catalog_turtle, name="open_data_ttl"),
    path("open-data/catalog.jsonld", views_opendata.catalog_jsonld, name="open_data_jsonld"),
]
