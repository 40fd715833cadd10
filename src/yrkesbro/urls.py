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
    path("workforce/", include("yrkesbro.workforce.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # OpenID Connect log-in: /auth/oidc/<provider>/login/ and .../login/callback/
    path("auth/oidc/", include("yrkesbro.accounts.urls_oidc")),
    path("auth/", include("yrkesbro.accounts.urls_allauth")),
    path("health/", include("yrkesbro.health.urls")),
    path("vet/", include("yrkesbro.vet.urls")),
]

handler500 = "yrkesbro.core.resilience.server_error"
