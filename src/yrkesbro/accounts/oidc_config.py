"""Identity-provider settings read from the environment (imported by settings.py).

Kept apart from ``oidc.py`` because settings cannot import allauth's models.
"""

from __future__ import annotations

from typing import Any

from yrkesbro.env import env_list, env_str

#: Claims that must never be stored (the national identity number and its aliases).
NEVER_STORED_CLAIMS = frozenset({"pid", "nin", "norEduPersonNIN", "https://n.feide.no/claims/nin"})


def identity_providers_from_env() -> list[dict[str, Any]]:
    """allauth app entries for the providers whose issuer and client id are set.

    ``OIDC_IDPORTEN_ISSUER``, ``OIDC_IDPORTEN_CLIENT_ID``, ``OIDC_IDPORTEN_CLIENT_SECRET``,
    ``OIDC_IDPORTEN_ACR`` (accepted levels, comma-separated; the first is asked for);
    ``OIDC_FEIDE_ISSUER``, ``OIDC_FEIDE_CLIENT_ID``, ``OIDC_FEIDE_CLIENT_SECRET``.
    """
    apps: list[dict[str, Any]] = []
    idporten_issuer = env_str("OIDC_IDPORTEN_ISSUER", "")
    idporten_client = env_str("OIDC_IDPORTEN_CLIENT_ID", "")
    if idporten_issuer and idporten_client:
        levels = env_list("OIDC_IDPORTEN_ACR", ["idporten-loa-substantial", "idporten-loa-high"])
        apps.append(
            {
                "provider_id": "idporten",
                "name": "ID-porten",
                "client_id": idporten_client,
                "secret": env_str("OIDC_IDPORTEN_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": idporten_issuer,
                    "oauth_pkce_enabled": True,
                    # ID-porten answers who, not name or e-mail: those come from the invitation.
                    "scope": ["openid", "profile"],
                    "auth_params": {"acr_values": levels[0], "ui_locales": "nb"},
                    "accepted_acr": levels,
                    "fetch_userinfo": False,
                    "token_auth_method": "client_secret_post",
                },
            }
        )
    feide_issuer = env_str("OIDC_FEIDE_ISSUER", "")
    feide_client = env_str("OIDC_FEIDE_CLIENT_ID", "")
    if feide_issuer and feide_client:
        apps.append(
            {
                "provider_id": "feide",
                "name": "Feide",
                "client_id": feide_client,
                "secret": env_str("OIDC_FEIDE_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": feide_issuer,
                    "oauth_pkce_enabled": True,
                    "scope": ["openid", "userid", "userid-feide", "profile", "email"],
                    "fetch_userinfo": True,
                },
            }
        )
    return apps
