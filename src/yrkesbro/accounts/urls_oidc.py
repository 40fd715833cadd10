"""allauth's OpenID Connect URLs, served by views that use our adapter (nonce, acr, no pid).

allauth's own views build its stock adapter directly, so the names
``openid_connect_login`` and ``openid_connect_callback`` are kept but point here.
"""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from yrkesbro.accounts.oidc import OAuth2Adapter


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2LoginView.adapter_view(OAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(OAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


urlpatterns = [
    path(
        "<slug:provider_id>/",
        include(
            [
                path("login/", login, name="openid_connect_login"),
                path("login/callback/", callback, name="openid_connect_callback"),
            ]
        ),
    )
]
