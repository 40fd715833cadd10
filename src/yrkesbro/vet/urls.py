from django.urls import path

from yrkesbro.vet import supply, views

app_name = "vet"
urlpatterns = [
    path("", views.index, name="index"),
    path("supply-demand/", supply.supply_demand_page, name="supply_demand"),
    path("supply-demand/data.csv", supply.supply_demand_csv, name="supply_demand_csv"),
    path("supply-demand/data.xlsx", supply.supply_demand_xlsx, name="supply_demand_xlsx"),
    path("supply-demand/data.json", supply.supply_demand_json, name="supply_demand_json"),
    path("trades/", supply.trade_list, name="trades"),
    path("trades/import/", supply.trades_import, name="trades_import"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("demand/", views.demand_view, name="demand"),
    path("placements/<int:placement_id>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:placement_id>/assess/", views.placement_assess, name="placement_assess"),
    path("placements/<int:placement_id>/agree/", views.placement_agree, name="placement_agree"),
    path("hospitering/new/", views.hospitering_create, name="hospitering_create"),
    path("hospitering/<int:item_id>/", views.hospitering_detail, name="hospitering_detail"),
    path("hospitering/<int:item_id>/answer/", views.hospitering_answer, name="hospitering_answer"),
    path("hospitering/<int:item_id>/report/", views.hospitering_report, name="hospitering_report"),
    path("hospitering/<int:item_id>/print/", views.hospitering_print, name="hospitering_print"),
    path("hospitering/<int:item_id>/pdf/", views.hospitering_pdf, name="hospitering_pdf"),
]
