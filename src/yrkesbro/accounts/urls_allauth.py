"""URL names allauth's flows reverse, pointed at our own pages (allauth's own pages are not served)."""

from django.urls import path
from django.views.generic import RedirectView

from yrkesbro.accounts import views_oidc

urlpatterns = [
    path("cancelled/", views_oidc.login_cancelled, name="socialaccount_login_cancelled"),
    path(
        "error/",
        RedirectView.as_view(pattern_name="accounts:login"),
        name="socialaccount_login_error",
    ),
    path(
        "connections/",
        RedirectView.as_view(pattern_name="accounts:profile"),
        name="socialaccount_connections",
    ),
    path("signup/", views_oidc.not_invited, name="socialaccount_signup"),
    path("login/", RedirectView.as_view(pattern_name="accounts:login"), name="account_login"),
    path("inactive/", views_oidc.not_invited, name="account_inactive"),
]
