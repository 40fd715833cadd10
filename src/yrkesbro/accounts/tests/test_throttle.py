"""Issue 14, finding 2: log-in, password reset and invitation links are throttled (django-axes).

The test settings switch throttling off for the test client's ``login()``; these
tests switch it back on and go through the real forms.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from yrkesbro.testing import PASSWORD

pytestmark = pytest.mark.django_db

THROTTLED = override_settings(
    AXES_ENABLED=True,
    AXES_FAILURE_LIMIT=5,
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
)


def _login(client, username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _page(response) -> str:  # type: ignore[no-untyped-def]
    """The page without its per-request CSRF token."""
    import re

    return re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", response.content.decode()
    )


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


@THROTTLED
def test_many_wrong_passwords_lock_the_user_out_even_with_the_right_one(client, world):
    user = world.a.viewer
    for _ in range(4):
        assert _login(client, user.username, "wrong").status_code == 200
    assert _login(client, user.username, "wrong").status_code == 429  # the fifth locks
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert not _signed_in(client)
    # From another address too: the lock is per user as well as per address.
    assert _login(client, user.username, PASSWORD, ip="10.0.0.2").status_code == 429


@THROTTLED
def test_the_address_is_locked_across_user_names(client, world):
    for i in range(5):
        _login(client, f"guess-{i}", "wrong", ip="10.9.9.9")
    assert _login(client, world.b.viewer.username, PASSWORD, ip="10.9.9.9").status_code == 429
    # Another address is not affected.
    assert _login(client, world.b.viewer.username, PASSWORD, ip="10.9.9.8").status_code == 302


@THROTTLED
def test_success_resets_the_count(client, world):
    user = world.a.editor
    for _ in range(4):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == 302


@THROTTLED
def test_lockout_does_not_reveal_whether_a_user_exists(client, world):
    for _ in range(5):
        _login(client, world.a.admin.username, "wrong", ip="10.1.1.1")
        _login(client, "nobody-at-all", "wrong", ip="10.1.1.2")
    known = _login(client, world.a.admin.username, "wrong", ip="10.1.1.1")
    unknown = _login(client, "nobody-at-all", "wrong", ip="10.1.1.2")
    assert known.status_code == unknown.status_code == 429
    assert _page(known) == _page(unknown)
    # Before the lock, a wrong password and an unknown user read the same too.
    first = _page(_login(client, world.b.admin.username, "wrong", ip="10.1.1.3"))
    second = _page(_login(client, "nobody-else", "wrong", ip="10.1.1.4"))
    assert first.replace(world.b.admin.username, "") == second.replace("nobody-else", "")


@THROTTLED
def test_password_reset_is_throttled(client, world):
    from django.core import mail

    from yrkesbro.core.outbox import deliver_due

    mail.outbox.clear()
    for _ in range(4):
        response = client.post(
            "/password-reset/", {"email": world.a.viewer.email}, REMOTE_ADDR="10.2.2.2"
        )
        assert response.status_code == 302
    deliver_due()  # e-mail goes out through the outbox
    assert len(mail.outbox) == 4
    response = client.post(
        "/password-reset/", {"email": world.a.viewer.email}, REMOTE_ADDR="10.2.2.3"
    )
    assert response.status_code == 429
    deliver_due()
    assert len(mail.outbox) == 4
    # Unknown addresses get the same answers.
    for _ in range(5):
        client.post("/password-reset/", {"email": "nobody@example.test"}, REMOTE_ADDR="10.2.2.4")
    assert (
        client.post(
            "/password-reset/", {"email": "nobody@example.test"}, REMOTE_ADDR="10.2.2.5"
        ).status_code
        == 429
    )


@THROTTLED
def test_guessing_invitation_links_is_throttled(client, world):
    for i in range(4):
        assert client.get(f"/invitations/guess-{i}/", REMOTE_ADDR="10.3.3.3").status_code == 404
    assert client.get("/invitations/guess-x/", REMOTE_ADDR="10.3.3.3").status_code == 429
    assert client.get("/invitations/guess-y/", REMOTE_ADDR="10.3.3.4").status_code == 404


def test_client_address_trusts_only_the_configured_proxies(rf, settings):
    from yrkesbro.accounts.throttle import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.YRKESBRO_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"
    settings.YRKESBRO_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"
