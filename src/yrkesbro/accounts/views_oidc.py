"""Pages around log-in with an identity provider: start from an invitation, refusals, log-out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from yrkesbro.accounts import services
from yrkesbro.accounts.oidc import INVITATION_SESSION_KEY, LOGOUT_SESSION_KEY, configured_providers
from yrkesbro.core.errors import DomainError, NotFound


def password_login_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages that only make sense with password log-in: 404 when it is switched off."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.PASSWORD_LOGIN:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
def start_from_invitation(request: HttpRequest, token: str, provider_id: str) -> HttpResponse:
    """Remember the invitation in this browser, then go to the provider to sign in."""
    if provider_id not in {p["provider_id"] for p in configured_providers()}:
        raise Http404
    try:
        invitation = services.invitation_by_token(token)
        services.invitation_check_open(invitation)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except DomainError:
        return redirect("accounts:invitation", token=token)
    if request.user.is_authenticated:
        logout(request)
    request.session[INVITATION_SESSION_KEY] = token
    from yrkesbro.accounts.urls_oidc import login as provider_login

    return provider_login(request, provider_id=provider_id)


def not_invited(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/oidc_not_invited.html", status=403)


def login_cancelled(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/oidc_error.html", {"reason": "cancelled"}, status=200)


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out here, and at the identity provider too when the person came from one."""
    provider_session = request.session.get(LOGOUT_SESSION_KEY) or {}
    logout(request)
    endpoint = provider_session.get("end_session_endpoint")
    id_token = provider_session.get("id_token")
    if endpoint and id_token:
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": f"{settings.SITE_URL}/",
            }
        )
        return HttpResponseRedirect(f"{endpoint}?{query}")
    return redirect(settings.LOGOUT_REDIRECT_URL)
