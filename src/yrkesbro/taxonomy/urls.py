from django.urls import path

from yrkesbro.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("new/", views.area_edit, name="create"),
    path("<slug:code>/edit/", views.area_edit, name="edit"),
]
