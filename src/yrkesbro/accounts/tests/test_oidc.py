"""OpenID Connect settings and the password switch, without a browser.

The whole log-in against a real provider is in tests/browser/test_oidc_login.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from yrkesbro.accounts.oidc import _scrub
from yrkesbro.accounts.oidc_config import identity_providers_from_env
from yrkesbro.accounts.services import invitation_create
from yrkesbro.testing import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_no_provider_is_offered_unless_configured(monkeypatch):
    for name in ("OIDC_IDPORTEN_ISSUER", "OIDC_IDPORTEN_CLIENT_ID", "OIDC_FEIDE_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    assert identity_providers_from_env() == []


def test_providers_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("OIDC_IDPORTEN_ISSUER", "https://test.idporten.no")
    monkeypatch.setenv("OIDC_IDPORTEN_CLIENT_ID", "yb-client")
    monkeypatch.setenv("OIDC_IDPORTEN_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("OIDC_FEIDE_ISSUER", "https://auth.dataporten.no")
    monkeypatch.setenv("OIDC_FEIDE_CLIENT_ID", "feide-client")
    monkeypatch.delenv("OIDC_IDPORTEN_ACR", raising=False)
    idporten, feide = identity_providers_from_env()
    assert idporten["provider_id"] == "idporten"
    assert idporten["client_id"] == "yb-client"
    assert idporten["secret"] == "s3cret"
    assert idporten["settings"]["server_url"] == "https://test.idporten.no"
    assert idporten["settings"]["oauth_pkce_enabled"] is True
    assert idporten["settings"]["auth_params"]["acr_values"] == "idporten-loa-substantial"
    assert idporten["settings"]["accepted_acr"] == [
        "idporten-loa-substantial",
        "idporten-loa-high",
    ]
    assert feide["provider_id"] == "feide"
    assert feide["settings"]["server_url"] == "https://auth.dataporten.no"
    assert "email" in feide["settings"]["scope"]


def test_high_only_when_the_operator_asks_for_it(monkeypatch):
    monkeypatch.setenv("OIDC_IDPORTEN_ISSUER", "https://test.idporten.no")
    monkeypatch.setenv("OIDC_IDPORTEN_CLIENT_ID", "yb-client")
    monkeypatch.setenv("OIDC_IDPORTEN_ACR", "idporten-loa-high")
    (idporten,) = identity_providers_from_env()
    assert idporten["settings"]["accepted_acr"] == ["idporten-loa-high"]


def test_identity_numbers_are_scrubbed_at_every_depth():
    claims = {
        "sub": "abc",
        "pid": "01017012345",
        "userinfo": {"pid": "01017012345", "name": "Ola"},
        "https://n.feide.no/claims/nin": "01017012345",
    }
    scrubbed = _scrub(claims)
    assert "01017012345" not in repr(scrubbed)
    assert scrubbed["userinfo"]["name"] == "Ola"
    assert scrubbed["sub"] == "abc"


@pytest.fixture
def invited():
    org = OrganisationFactory()
    admin = MembershipFactory(organisation=org, role="admin").user
    _inv, token = invitation_create(
        actor=admin, organisation=org, email="ny@example.no", role="viewer"
    )
    return token


def test_password_log_in_can_be_switched_off(settings, invited):
    user = UserFactory()
    settings.PASSWORD_LOGIN = False
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/password-reset/").status_code == 404
    page = client.get(f"/invitations/{invited}/")
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    # A registration posted anyway creates nobody.
    client.post(
        f"/invitations/{invited}/",
        {"username": "sneaky", "full_name": "S", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert not get_user_model().objects.filter(username="sneaky").exists()


def test_password_log_in_is_on_by_default(settings, invited):
    user = UserFactory()
    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert client.get("/password-reset/").status_code == 200
    assert 'name="password1"' in Client().get(f"/invitations/{invited}/").content.decode()


def test_starting_a_provider_log_in_needs_a_configured_provider_and_a_post(settings, invited):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    client = Client()
    assert client.get(f"/invitations/{invited}/sign-in/idporten/").status_code == 405
    assert client.post(f"/invitations/{invited}/sign-in/idporten/").status_code == 404
    assert client.post("/invitations/not-a-token/sign-in/idporten/").status_code == 404


def test_log_out_without_a_provider_session_goes_home():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
