from django.urls import path

from yrkesbro.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("developers/", views.developers, name="developers"),
    path("healthz", views.healthz, name="healthz"),
]
