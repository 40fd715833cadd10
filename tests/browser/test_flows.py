"""Real journeys through the web interface, in a real browser."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import translation

from yrkesbro.accounts.models import ApiToken, Invitation, Membership
from yrkesbro.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(message: str, language: str = "nb") -> str:
    """The interface text as the reader sees it (bokmål unless they chose otherwise)."""
    with translation.override(language):
        return translation.gettext(message)


def html_lang(page: Any) -> str:
    return page.evaluate("document.documentElement.lang")


def test_stylesheets_and_fonts_load(page: Any, live_server: Any) -> None:
    """Axe's contrast checks mean something only if the real CSS is applied."""
    css: dict[str, int] = {}
    page.on("response", lambda r: css.update({r.url: r.status}) if ".css" in r.url else None)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert len(css) >= 4, css
    assert all(status == 200 for status in css.values()), css
    assert "Inter" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("document.fonts.check('16px Inter')")
    # Designsystemet styles the primary button: it is not the browser's grey default.
    background = page.locator("header button[aria-pressed=true]").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)")


def test_language_switch(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/organisations/")
    assert html_lang(page) == "nb"
    assert page.locator("nav[aria-label] a[href='/organisations/']").inner_text() == t(
        "Organisations"
    )
    assert t("Organisations") != "Organisations"
    for code in ("nn", "en"):
        organisations = t("Organisations", code)
        page.locator(f"header button[name=language][value={code}]").click()
        page.wait_for_function(f"document.documentElement.lang === '{code}'")
        # The switch keeps the reader on the page they were on.
        assert urlparse(page.url).path == "/organisations/"
        pressed = page.locator("header button[aria-pressed=true]")
        assert pressed.get_attribute("value") == code
        assert page.locator("nav[aria-label] a[href='/organisations/']").inner_text() == (
            organisations
        )
    page.goto(live_server.url + "/accessibility/")
    assert html_lang(page) == "en"  # the choice is remembered
    page.locator("header button[name=language][value=nb]").click()
    page.wait_for_function("document.documentElement.lang === 'nb'")


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/organisations/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert focused == {"cls": "ds-skip-link", "href": "#main", "text": t("Skip to main content")}
    box = page.locator(".ds-skip-link").bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10, "the focused skip link is visible"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    # The next Tab goes into the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

    # Every focused control shows where focus is.
    page.goto(live_server.url + "/")
    for _ in range(3):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth]; })()"
        )
        assert outline[0] != "none" and outline[1] != "0px", outline


def test_sign_in_wrong_then_right_password(page: Any, live_server: Any, world: World) -> None:
    page.goto(live_server.url + "/organisations/")
    page.locator("header a[href^='/login/']").click()
    page.locator("#id_username").fill(world.a.editor.username)
    page.locator("#id_password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".ds-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "passord" in text and "Please" not in text, text
    assert page.locator("header").get_by_role("button", name=t("Sign out")).count() == 0
    # The username is kept; the password is not.
    assert page.locator("#id_username").input_value() == world.a.editor.username
    assert page.locator("#id_password").input_value() == ""
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/organisations/")  # back where they came from
    assert page.locator("header").get_by_role("button", name=t("Sign out")).is_visible()
    assert page.locator("header a[href='/account/']").is_visible()


def test_search_as_you_type_with_htmx_and_without_javascript(
    page: Any, new_context: Any, live_server: Any, world: World
) -> None:
    page.goto(live_server.url + "/organisations/")
    page.evaluate("window.__sameDocument = true")
    results = page.locator("#results")
    assert results.get_by_role("link", name="Alfa kommune").is_visible()
    with page.expect_response(lambda r: "q=Bet" in r.url) as response_info:
        page.locator("#id_q").press_sequentially("Bet", delay=30)
    response = response_info.value
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text()  # a fragment, not a page
    results.get_by_role("link", name="Beta kommune").wait_for()
    assert results.get_by_role("link", name="Alfa kommune").count() == 0
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert "q=Bet" in page.url  # the address can be shared and bookmarked
    page.locator("#id_q").fill("ingen slik organisasjon")
    page.locator("#result-count").filter(has_text="0").wait_for()
    assert page.evaluate("window.__sameDocument === true")

    # The same form without JavaScript: a plain GET submit.
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/organisations/")
    page.locator("#id_q").fill("Beta")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/organisations/?*q=Beta*")
    results = page.locator("#results")
    assert results.get_by_role("link", name="Beta kommune").is_visible()
    assert results.get_by_role("link", name="Alfa kommune").count() == 0
    assert page.locator("#id_q").input_value() == "Beta"


def test_invitation_by_email_to_new_member(
    page: Any, new_context: Any, live_server: Any, login: Any, world: World, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    mail.outbox.clear()
    org = world.a.org
    login(page, world.a.admin)
    page.goto(f"{live_server.url}{org.get_absolute_url()}")
    page.locator("main a[href$='/members/']").click()
    page.locator("#id_email").fill("Kari.Nordmann@example.test")
    page.locator("#id_role").select_option("editor")
    page.locator("main form.yb-form button[type=submit]").click()
    page.locator(".yb-messages [role=status]").wait_for()
    assert "kari.nordmann@example.test" in page.locator(".yb-messages").inner_text()
    pending = page.locator("main table").nth(1)
    assert "kari.nordmann@example.test" in pending.inner_text()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@example.test"]
    link = re.search(r"https?://\S+/invitations/\S+/", message.body)
    assert link, message.body
    assert link.group(0).startswith(live_server.url)

    newcomer = new_context().new_page()
    newcomer.goto(link.group(0))
    assert org.name in newcomer.locator("h1").inner_text()
    newcomer.locator("#id_username").fill("kari")
    newcomer.locator("#id_full_name").fill("Kari Nordmann")
    newcomer.locator("#id_password1").fill("et langt og godt passord 42")
    newcomer.locator("#id_password2").fill("et langt og godt passord 42")
    newcomer.locator("main form button[type=submit]").click()
    newcomer.wait_for_url(f"{live_server.url}{org.get_absolute_url()}")
    assert org.name in newcomer.locator(".yb-messages").inner_text()
    assert newcomer.locator("header").get_by_role("button", name=t("Sign out")).is_visible()
    # As an editor they see the members list but cannot manage it.
    newcomer.locator("main a[href$='/members/']").click()
    row = newcomer.locator("main tr", has_text="Kari Nordmann")
    assert t("Editor").lower() in row.inner_text().lower()
    assert newcomer.locator("#id_email").count() == 0

    membership = Membership.objects.get(user__username="kari", organisation=org)
    assert membership.role == "editor"
    assert membership.user.email == "kari.nordmann@example.test"
    assert Invitation.objects.get(email="kari.nordmann@example.test").accepted_at is not None
    # The link works once.
    again = new_context().new_page()
    assert again.goto(link.group(0)).status == 410


def test_token_shown_once_and_revoked_after_confirmation(
    page: Any, live_server: Any, login: Any, world: World
) -> None:
    login(page, world.a.viewer)
    page.goto(live_server.url + "/account/")
    page.locator("main a[href='/account/tokens/']").click()
    page.locator("#id_name").fill("Rapportskript")
    page.locator("main form button[type=submit]").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("ybt_")
    token = ApiToken.objects.get(user=world.a.viewer, name="Rapportskript")
    assert secret.startswith(token.prefix) and secret not in token.key_hash
    page.goto(live_server.url + "/account/tokens/")  # coming back later
    assert page.locator("#new-token").count() == 0
    assert secret not in page.content()

    row = page.locator("main tr", has_text="Rapportskript")
    row.get_by_role("link").click()
    page.wait_for_url(f"**/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not doing
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/account/tokens/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    row = page.locator("main tr", has_text="Rapportskript")
    assert row.get_by_role("link").count() == 0
    assert t("revoked") in row.inner_text()
    assert page.locator(".yb-messages [role=status]").is_visible()


def test_viewer_cannot_invite(page: Any, live_server: Any, login: Any, world: World) -> None:
    login(page, world.a.viewer)
    url = f"{live_server.url}/organisations/{world.a.org.pk}/members/"
    assert page.goto(url).status == 200
    assert page.locator("main tr", has_text=world.a.admin.username).count() == 1
    assert page.locator("#id_email").count() == 0
    assert page.locator("main form.yb-form").count() == 0
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        url,
        form={"csrfmiddlewaretoken": csrf, "email": "sneaky@example.test", "role": "admin"},
        headers={"Referer": url},
    )
    assert response.status == 404
    assert not Invitation.objects.filter(email="sneaky@example.test").exists()
    # And the other organisation's members page does not exist for them at all.
    other = f"{live_server.url}/organisations/{world.b.org.pk}/members/"
    assert page.goto(other).status == 404


def test_pages_reflow_at_320_css_pixels(
    page: Any, live_server: Any, login: Any, world: World
) -> None:
    """WCAG 1.4.10: at 320 px (1280 px zoomed to 400 %) nothing scrolls sideways but tables."""
    login(page, world.a.admin)
    page.set_viewport_size({"width": 320, "height": 800})
    org = world.a.org.pk
    for path in (
        "/",
        "/organisations/",
        f"/organisations/{org}/",
        f"/organisations/{org}/members/",
        "/account/",
        "/account/tokens/",
    ):
        page.goto(live_server.url + path)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 320 px: {widths}"
