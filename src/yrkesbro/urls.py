from django.contrib import admin
from django.urls import include, path

from yrkesbro.core.api_root import api

admin.site.site_header = "Yrkesbro"
admin.site.site_title = "Yrkesbro"

urlpatterns = [
    path("", include("yrkesbro.core.urls")),
    path("", include("yrkesbro.accounts.urls")),
    path("organisations/", include("yrkesbro.organisations.urls")),
    path("catalogue/", include("yrkesbro.catalogue.urls")),
    path("taxonomy/", include("yrkesbro.taxonomy.urls")),
    path("needs/", include("yrkesbro.needs.urls")),
    path("collaboration/", include("yrkesbro.collaboration.urls")),
    path("matching/", include("yrkesbro.matching.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# The 500 page speaks the request's language (core/errorpages.py).
handler500 = "yrkesbro.core.errorpages.server_error"
