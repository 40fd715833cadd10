"""The web shell and the foundation's pages, through HTTP."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from yrkesbro.accounts.models import ApiToken, Invitation, Membership, User
from yrkesbro.core.models import AuditEntry
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'<html lang="([a-z-]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


def test_start_page_is_norwegian_whatever_the_browser_prefers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert html_lang(response) == "nb"
    assert "Hopp til hovedinnhold" in response.content.decode()


def test_language_switch_sets_the_page_language(client):
    for code in ("nn", "en", "nb"):
        response = client.post("/i18n/setlang/", {"language": code, "next": "/organisations/"})
        assert response.status_code == 302 and response["Location"] == "/organisations/"
        assert html_lang(client.get("/organisations/")) == code
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302
    assert html_lang(client.get("/")) == "nb"


def test_no_asset_comes_from_another_host(client):
    body = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not url.startswith(("http:", "https:", "//")), url


def test_organisation_search_page_and_htmx_partial(client, register_loaded):
    page = client.get("/organisations/", {"q": "bø", "kind": "municipality"})
    body = page.content.decode()
    assert "<html" in body and "Bø" in body
    partial = client.get(
        "/organisations/", {"q": "bø", "kind": "municipality"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()
    assert "Bø" in partial.content.decode()
    county = Organisation.objects.get(kind=Kind.COUNTY, number="34")
    detail = client.get(f"/organisations/{county.pk}/").content.decode()
    assert detail.count("/organisations/") > 46  # links to its 46 municipalities


@pytest.mark.parametrize(
    "params", [{"page": "999"}, {"page": "x"}, {"county": "nowhere"}, {"kind": "x"}]
)
def test_odd_list_parameters_still_give_a_page(client, register_loaded, params):
    assert client.get("/organisations/", params).status_code == 200


def test_unknown_pages_give_a_translated_404(client):
    response = client.get("/organisations/999999/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode() or "ikke" in response.content.decode()


def test_sign_in_and_out(client, world):
    bad = client.post("/login/", {"username": world.a.viewer.username, "password": "wrong"})
    assert bad.status_code == 200 and "_auth_user_id" not in client.session
    good = client.post("/login/", {"username": world.a.viewer.username, "password": PASSWORD})
    assert good.status_code == 302
    assert world.a.org.name in client.get("/account/").content.decode()
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post("/password-reset/", {"email": world.a.viewer.email})
    assert response.status_code == 302
    link = re.search(r"http://\S+/password-reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    post = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert post.status_code == 302
    assert User.objects.get(pk=world.a.viewer.pk).check_password("a-new-long-passphrase")


def test_edit_organisation_refuses_a_bad_number_and_keeps_the_old(client, world):
    company = OrganisationFactory(kind=Kind.COMPANY, name="Alfa Omsorg AS")
    MembershipFactory(organisation=company, user=world.a.admin, role="admin")
    world.a.org = company
    client.login(username=world.a.admin.username, password=PASSWORD)
    url = f"/organisations/{world.a.org.pk}/edit/"
    response = client.post(url, {"org_number": "123456789", "website": "", "description": ""})
    assert response.status_code == 200
    assert "aria-invalid" in response.content.decode()
    world.a.org.refresh_from_db()
    assert world.a.org.org_number == ""
    ok = client.post(
        url, {"org_number": "974 760 673", "website": "alfa.example", "description": "Hei"}
    )
    assert ok.status_code == 302
    world.a.org.refresh_from_db()
    assert (world.a.org.org_number, world.a.org.website) == ("974760673", "https://alfa.example")
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before["org_number"] == "" and entry.after["org_number"] == "974760673"
    assert "974760673" in client.get(f"/organisations/{world.a.org.pk}/audit/").content.decode()


def test_platform_admin_registers_a_company(client, world, register_loaded):
    client.login(username=world.platform_admin.username, password=PASSWORD)
    gjovik = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="3407")
    data = {
        "kind": "company",
        "name": "Ny Bedrift AS",
        "org_number": "974760673",
        "municipality": gjovik.pk,
        "website": "",
        "description": "",
    }
    response = client.post("/organisations/new/", data)
    assert response.status_code == 302
    company = Organisation.objects.get(name="Ny Bedrift AS")
    assert company.county.number == "34"
    again = client.post("/organisations/new/", {**data, "name": "Kopi AS"})
    assert again.status_code == 200 and not Organisation.objects.filter(name="Kopi AS").exists()


def test_invitation_accept_creates_an_account_and_a_membership(
    client, world, django_capture_on_commit_callbacks
):
    client.login(username=world.a.admin.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisations/{world.a.org.pk}/members/",
            {"email": "ny@example.test", "role": "editor"},
        )
    assert response.status_code == 302
    link = re.search(r"/invitations/[\w-]+/", mail.outbox[0].body).group(0)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and world.a.org.name in page.content.decode()
    mismatch = client.post(
        link,
        {
            "username": "ny",
            "full_name": "Ny Person",
            "password1": "a-long-pass-phrase",
            "password2": "different",
        },
    )
    assert mismatch.status_code == 200 and not User.objects.filter(username="ny").exists()
    done = client.post(
        link,
        {
            "username": "ny",
            "full_name": "Ny Person",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert done.status_code == 302 and done["Location"] == f"/organisations/{world.a.org.pk}/"
    assert Membership.objects.get(user__username="ny").role == "editor"
    assert client.get(link).status_code == 410  # used


def test_an_expired_invitation_says_so(client, world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    client.login(username=world.a.admin.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{world.a.org.pk}/members/",
            {"email": "late@example.test", "role": "viewer"},
        )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    link = re.search(r"/invitations/[\w-]+/", mail.outbox[0].body).group(0)
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert client.get("/invitations/nonsense/").status_code == 404


def test_tokens_page_shows_the_secret_once_and_revokes_after_confirmation(client, world):
    client.login(username=world.a.viewer.username, password=PASSWORD)
    response = client.post("/account/tokens/", {"name": "rapport"})
    # Shown once in the answer to the POST, never cached, never kept server-side.
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    created = response.content.decode()
    key = re.search(r"ybt_[\w-]+", created).group(0)
    from django.contrib.sessions.models import Session

    assert all(key not in str(s.get_decoded()) for s in Session.objects.all())
    assert key not in client.get("/account/tokens/").content.decode()
    token = ApiToken.objects.get(name="rapport")
    confirm = client.get(f"/account/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and token.revoked_at is None
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    client.login(username=world.b.viewer.username, password=PASSWORD)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404


def test_demo_command_is_idempotent(capsys):
    call_command("demo", "--no-serve")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo", "--no-serve")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 357
    assert Organisation.objects.filter(kind=Kind.COUNTY).count() == 15
    out = capsys.readouterr().out
    for username in ("demo-admin", "demo-kommune", "demo-fagskole", "demo-fylke", "demo-bedrift"):
        assert username in out
        assert User.objects.get(username=username).check_password("yrkesbro-demo")


def test_healthz_is_json_and_uncached(client):
    response = client.get("/healthz")
    assert response.json()["status"] == "ok" and "no-cache" in response["Cache-Control"]


def test_platform_admins_use_the_django_admin_and_their_changes_are_audited(client, world):
    client.login(username=world.platform_admin.username, password=PASSWORD)
    for url in (
        "/admin/",
        "/admin/organisations/organisation/",
        "/admin/accounts/user/",
        "/admin/core/auditentry/",
        "/admin/accounts/membership/",
    ):
        assert client.get(url).status_code == 200, url
    url = f"/admin/organisations/organisation/{world.a.org.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "kind": "municipality",
        "name": "Alfa kommune",
        "other_names": "",
        "number": "",
        "code": "",
        "org_number": "",
        "county": "",
        "municipality": "",
        "latitude": "60.0",
        "longitude": "10.0",
        "website": "https://alfa.example",
        "description": "",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="organisation.admin_change")
    assert entry.actor == world.platform_admin
    assert entry.before["website"] == "" and entry.after["website"] == "https://alfa.example"
    client.login(username=world.a.admin.username, password=PASSWORD)
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin log-in


def test_the_developers_page_explains_the_api_in_norwegian(client):
    body = client.get("/developers/").content.decode()
    assert "API for utviklere" in body
    assert "/api/v1/openapi.json" in body and "/api/v1/docs" in body
