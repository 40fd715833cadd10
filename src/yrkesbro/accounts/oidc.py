"""Log-in with OpenID Connect (ID-porten, Feide) through django-allauth.

One allauth ``openid_connect`` app per identity provider, configured from the
environment (``identity_providers_from_env``); nothing is hard-coded. On top
of allauth this module adds what Norway's providers require:

- PKCE (allauth's ``oauth_pkce_enabled``), ``state`` (allauth) and a ``nonce``
  sent with every authorisation request and checked against the ID token;
- ``acr`` checked against the provider's accepted levels (ID-porten:
  ``idporten-loa-substantial`` or ``idporten-loa-high``);
- the pairwise ``sub`` as the account key, and the national identity number
  (``pid``) dropped before anything is stored;
- the raw ID token kept in the session only, for log-out with ``id_token_hint``;
- no self-registration: a first log-in links to an account only through an
  invitation the person opened in this browser (see ``views_oidc``); anybody
  else is shown how to get invited.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from yrkesbro.accounts.oidc_config import NEVER_STORED_CLAIMS

log = logging.getLogger(__name__)

NONCE_SESSION_PREFIX = "oidc_nonce:"
LOGOUT_SESSION_KEY = "oidc_logout"
INVITATION_SESSION_KEY = "oidc_invitation"
PROVIDER_ORDER = ("idporten", "feide")


class IdentityProviderRefused(OAuth2Error):
    """The provider answered, but what it said does not let the person in."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _scrub(claims: Any) -> Any:
    if isinstance(claims, dict):
        return {k: _scrub(v) for k, v in claims.items() if k not in NEVER_STORED_CLAIMS}
    return claims


class Provider(OpenIDConnectProvider):
    """allauth's OIDC provider with a nonce in every request and no identity numbers kept."""

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: Any = None,
        data: Any = None,
        **kwargs: Any,
    ) -> Any:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        response = super().redirect(
            request, process, next_url, data, auth_params=auth_params, oidc_nonce=nonce, **kwargs
        )
        # allauth keeps the state in the session; the nonce rides beside it, keyed by state id.
        state_id = _state_from_location(response.get("Location", ""))
        if state_id:
            request.session[NONCE_SESSION_PREFIX + state_id] = nonce
        return response

    def sociallogin_from_response(self, request: HttpRequest, response: Any) -> Any:
        return super().sociallogin_from_response(request, _scrub(response))


def _state_from_location(location: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    values = parse_qs(urlsplit(location).query).get("state", [])
    return values[0] if values else ""


class OAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """Checks the nonce and the level of assurance before anything is looked up or saved."""

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        response = kwargs.get("response") or {}
        raw_id_token = response.get("id_token")
        if not raw_id_token:
            raise IdentityProviderRefused("no_id_token")
        claims = self._decode_id_token(app, raw_id_token)
        state_id = request.GET.get("state", "")
        expected = request.session.pop(NONCE_SESSION_PREFIX + state_id, None)
        if not expected or not hmac.compare_digest(str(claims.get("nonce", "")), expected):
            log.warning("OIDC log-in refused: nonce mismatch (provider %s)", app.provider_id)
            raise IdentityProviderRefused("nonce")
        accepted = app.settings.get("accepted_acr")
        if accepted and claims.get("acr") not in accepted:
            log.warning(
                "OIDC log-in refused: acr %r (provider %s)", claims.get("acr"), app.provider_id
            )
            raise IdentityProviderRefused("acr")
        login = super().complete_login(request, app, token, **kwargs)
        request.session[LOGOUT_SESSION_KEY] = {
            "provider_id": app.provider_id,
            "id_token": raw_id_token,
            "end_session_endpoint": self.openid_config.get("end_session_endpoint", ""),
        }
        return login


Provider.oauth2_adapter_class = OAuth2Adapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by invitation only, never by allauth's own sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Any mail allauth wants to send goes through the outbox like all other mail."""
        from yrkesbro.core.outbox import queue_email

        message = self.render_mail(template_prefix, email, context)
        queue_email(to=email, subject=str(message.subject), body=str(message.body))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Who may come in through a provider, and as whom."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Our own page, in the reader's language, instead of allauth's."""
        from django.shortcuts import render

        reason = getattr(exception, "reason", None) or str(error or "unknown")
        if str(error) == "cancelled":
            return  # allauth redirects to the cancelled page
        log.warning("OIDC log-in failed: %s (%s)", reason, type(exception).__name__)
        raise ImmediateHttpResponse(
            render(request, "accounts/oidc_error.html", {"reason": reason}, status=401)
        )

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        """No mail about linked accounts: the invitation already told the person."""

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(redirect("accounts:oidc_not_invited"))
            return
        token = request.session.get(INVITATION_SESSION_KEY)
        if not token:
            raise ImmediateHttpResponse(redirect("accounts:oidc_not_invited"))
        from yrkesbro.accounts.identity import user_link_identity_from_invitation
        from yrkesbro.core.errors import DomainError

        try:
            user, invitation = user_link_identity_from_invitation(
                token=token, claims=_pick_claims(sociallogin.account.extra_data)
            )
        except DomainError:
            request.session.pop(INVITATION_SESSION_KEY, None)
            raise ImmediateHttpResponse(
                redirect(reverse("accounts:invitation", args=[token]))
            ) from None
        request.session.pop(INVITATION_SESSION_KEY, None)
        sociallogin.connect(request, user)
        # Straight to the organisation that invited them, as the password path does.
        sociallogin.state["next"] = invitation.organisation.get_absolute_url()


def _pick_claims(extra_data: dict) -> dict:
    claims: dict = {}
    claims.update(extra_data.get("id_token") or {})
    claims.update(extra_data.get("userinfo") or {})
    return _scrub(claims)


def configured_providers() -> list[dict[str, Any]]:
    """The identity providers this instance offers, in a fixed order (ID-porten first)."""
    from django.conf import settings

    config: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {})
    apps: list[dict[str, Any]] = list(config.get("APPS", []))

    def rank(app: dict[str, Any]) -> int:
        pid = app["provider_id"]
        return PROVIDER_ORDER.index(pid) if pid in PROVIDER_ORDER else len(PROVIDER_ORDER)

    return sorted(apps, key=rank)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the providers offered here, and whether passwords still work."""
    from django.conf import settings

    return {
        "identity_providers": configured_providers(),
        "password_login": settings.PASSWORD_LOGIN,
    }


class IdentityProviderFormAction:
    """Let forms lead to the configured identity providers under the CSP's ``form-action``.

    Log-in and log-out are form posts that redirect to the provider, and browsers
    apply ``form-action`` to those redirects. Listed after django-csp's middleware,
    so it runs first on the way out; read per request, so changed settings apply.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        origins = sorted({_origin(p["settings"]["server_url"]) for p in configured_providers()})
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = list(update.get("form-action", [])) + origins
            response._csp_update = update
        return response


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
