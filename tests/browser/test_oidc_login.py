"""Log-in with ID-porten and Feide, driven in a real browser against a real local OIDC provider.

The provider is ``oidc-provider-mock`` (authlib underneath) started in a
thread on the loopback interface; it signs real ID tokens with the claims a
test gives it, so everything between the browser, Yrkesbro and the provider
runs as in production: discovery, the authorisation request (PKCE, state,
nonce, acr_values), the code exchange, ID-token validation, log-out with
``id_token_hint``. Claim sets are shaped like ID-porten's (pairwise ``sub``,
``pid``, ``acr``, ``amr``) and Feide's (name, e-mail, Feide user id).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PID = "01017012345"  # a national identity number the provider sends and we must never keep
IDPORTEN_SUB = "idporten-pairwise-7Hq2"
FEIDE_SUB = "feide-pairwise-Kx91"
FEIDE_USERID = "feide:kari.nordmann@gjovik.kommune.no"


@pytest.fixture
def provider() -> Iterator[str]:
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def providers_configured(settings: Any, provider: str, live_server: Any) -> str:
    settings.SITE_URL = live_server.url
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "idporten",
                    "name": "ID-porten",
                    "client_id": "yrkesbro-test",
                    "secret": "test-secret",
                    "settings": {
                        "server_url": provider,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "profile"],
                        "auth_params": {"acr_values": "idporten-loa-substantial"},
                        "accepted_acr": ["idporten-loa-substantial", "idporten-loa-high"],
                        "fetch_userinfo": False,
                        "token_auth_method": "client_secret_post",
                    },
                },
                {
                    "provider_id": "feide",
                    "name": "Feide",
                    "client_id": "yrkesbro-test-feide",
                    "secret": "test-secret",
                    "settings": {
                        "server_url": provider,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "profile", "email"],
                        "fetch_userinfo": True,
                    },
                },
            ],
        }
    }
    return provider


def _set_claims(provider: str, sub: str, claims: dict[str, Any]) -> None:
    response = httpx.put(f"{provider}/users/{quote(sub)}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def _idporten_claims(acr: str = "idporten-loa-substantial") -> dict[str, Any]:
    return {"pid": PID, "acr": acr, "amr": ["MinID-OTC"], "locale": "nb"}


def _invitation(email: str) -> str:
    from yrkesbro.accounts.services import invitation_create
    from yrkesbro.testing import MembershipFactory, OrganisationFactory

    org = OrganisationFactory(name="Gjøvik kommune (test)")
    admin = MembershipFactory(organisation=org, role="admin").user
    _invitation_obj, token = invitation_create(
        actor=admin, organisation=org, email=email, role="editor"
    )
    return token


def _authorize_at_provider(page: Any, sub: str) -> None:
    """Fill the provider's own log-in form (the mock's: a subject and an Authorize button)."""
    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name=sub]").first.fill(sub)
    page.get_by_role("button", name="Authorize").click()


def _signed_in_username(page: Any, base: str) -> str | None:
    response = page.request.get(f"{base}/account/", max_redirects=0)
    if response.status != 200:
        return None
    return "signed-in"


def _all_stored_text() -> str:
    """Every social-account row as text, to prove what is (not) kept."""
    from allauth.socialaccount.models import SocialAccount

    return json.dumps([{"uid": a.uid, "extra": a.extra_data} for a in SocialAccount.objects.all()])


def test_idporten_first_login_by_invitation_then_straight_in_and_logout(
    page: Any, live_server: Any, providers_configured: str, axe_check: Any
) -> None:
    from allauth.socialaccount.models import SocialAccount

    from yrkesbro.accounts.models import Membership

    provider = providers_configured
    _set_claims(provider, IDPORTEN_SUB, _idporten_claims())
    token = _invitation("ola.nordmann@example.no")

    page.goto(f"{live_server.url}/invitations/{token}/")
    axe_check(page, "invitation page with identity providers")
    with page.expect_request("**/oauth2/authorize**") as authorize:
        page.get_by_role("button", name="Logg inn med ID-porten").click()
    query = parse_qs(urlsplit(authorize.value.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["nonce"][0]) >= 32
    assert len(query["state"][0]) >= 8
    assert query["acr_values"] == ["idporten-loa-substantial"]
    _authorize_at_provider(page, IDPORTEN_SUB)
    page.wait_for_url(f"{live_server.url}/organisations/**")

    account = SocialAccount.objects.get(provider="idporten")
    assert account.uid == IDPORTEN_SUB  # the pairwise sub is the key
    assert account.user.email == "ola.nordmann@example.no"
    assert not account.user.has_usable_password()
    assert Membership.objects.filter(user=account.user, role="editor").exists()
    assert PID not in _all_stored_text()
    assert "pid" not in json.dumps(account.extra_data)

    # Log-out ends the provider session too, with the ID token as hint.
    with page.expect_request("**/oauth2/end_session**") as end_session:
        page.locator("header form[action$='/logout/'] button").press("Enter")
    end_query = parse_qs(urlsplit(end_session.value.url).query)
    assert end_query["id_token_hint"][0].count(".") == 2
    assert end_query["post_logout_redirect_uri"] == [f"{live_server.url}/"]
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    assert _signed_in_username(page, live_server.url) is None

    # Second log-in: straight in, no invitation needed, no second account.
    page.goto(f"{live_server.url}/login/")
    axe_check(page, "log-in page with identity providers")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    _authorize_at_provider(page, IDPORTEN_SUB)
    page.wait_for_url(f"{live_server.url}/")
    assert _signed_in_username(page, live_server.url) == "signed-in"
    assert SocialAccount.objects.filter(provider="idporten").count() == 1


def test_feide_login_by_invitation_keeps_name_and_feide_user_id(
    page: Any, live_server: Any, providers_configured: str
) -> None:
    from allauth.socialaccount.models import SocialAccount

    _set_claims(
        providers_configured,
        FEIDE_SUB,
        {
            "name": "Kari Nordmann",
            "email": "kari.nordmann@gjovik.kommune.no",
            "email_verified": True,
            "https://n.feide.no/claims/userid_sec": [FEIDE_USERID],
            "https://n.feide.no/claims/nin": PID,
        },
    )
    token = _invitation("kari.nordmann@gjovik.kommune.no")
    page.goto(f"{live_server.url}/invitations/{token}/")
    page.get_by_role("button", name="Logg inn med Feide").click()
    _authorize_at_provider(page, FEIDE_SUB)
    page.wait_for_url(f"{live_server.url}/organisations/**")
    account = SocialAccount.objects.get(provider="feide")
    assert account.uid == FEIDE_SUB
    assert account.user.full_name == "Kari Nordmann"
    assert FEIDE_USERID in json.dumps(account.extra_data)
    assert PID not in _all_stored_text()


def test_refused_acr_lets_nobody_in(
    page: Any, live_server: Any, providers_configured: str, axe_check: Any
) -> None:
    from allauth.socialaccount.models import SocialAccount

    from yrkesbro.accounts.models import Membership

    _set_claims(providers_configured, IDPORTEN_SUB, _idporten_claims(acr="idporten-loa-low"))
    token = _invitation("lav.sikkerhet@example.no")
    page.goto(f"{live_server.url}/invitations/{token}/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    _authorize_at_provider(page, IDPORTEN_SUB)
    page.wait_for_url(f"{live_server.url}/auth/oidc/idporten/login/callback/**")
    assert "lavere sikkerhetsnivå" in page.locator("main").inner_text()
    axe_check(page, "refused sign-in")
    assert SocialAccount.objects.count() == 0
    assert not Membership.objects.filter(user__email="lav.sikkerhet@example.no").exists()
    assert _signed_in_username(page, live_server.url) is None


def _rewrite_callback(page: Any, provider: str, **replace: str) -> None:
    """Change what the provider sends back to Yrkesbro (as an attacker or a slow user would).

    Playwright does not route the target of a redirect, so the provider's own
    answer (a 302 to the callback) is fetched and its Location rewritten.
    """

    def handle(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        location = response.headers["location"]
        parts = urlsplit(location)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query.update(replace)
        route.fulfill(
            status=302,
            headers={"Location": urlunsplit(parts._replace(query=urlencode(query)))},
        )

    page.route(f"{provider}/oauth2/authorize**", handle)


@pytest.mark.parametrize(
    ("replace", "label"),
    [({"state": "tampered-state"}, "tampered state"), ({"code": "expired-code"}, "expired code")],
)
def test_tampered_state_or_expired_code_is_refused(
    page: Any, live_server: Any, providers_configured: str, replace: dict, label: str
) -> None:
    from allauth.socialaccount.models import SocialAccount

    _set_claims(providers_configured, IDPORTEN_SUB, _idporten_claims())
    token = _invitation("ola.nordmann@example.no")
    _rewrite_callback(page, providers_configured, **replace)
    page.goto(f"{live_server.url}/invitations/{token}/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    _authorize_at_provider(page, IDPORTEN_SUB)
    page.wait_for_url(f"{live_server.url}/auth/oidc/idporten/login/callback/**")
    assert "Innloggingen mislyktes" in page.locator("main").inner_text(), label
    assert SocialAccount.objects.count() == 0, label
    assert _signed_in_username(page, live_server.url) is None, label


def test_a_stranger_is_told_how_to_get_invited(
    page: Any, live_server: Any, providers_configured: str, axe_check: Any
) -> None:
    from allauth.socialaccount.models import SocialAccount

    _set_claims(providers_configured, "stranger-sub", _idporten_claims())
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    _authorize_at_provider(page, "stranger-sub")
    page.wait_for_url(f"{live_server.url}/sign-in/not-invited/")
    assert "invitasjon" in page.locator("main").inner_text().lower()
    axe_check(page, "not invited")
    assert SocialAccount.objects.count() == 0
    assert _signed_in_username(page, live_server.url) is None
