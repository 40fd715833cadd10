"""Every page of the foundation, checked with axe-core (WCAG 2.0/2.1 A and AA): 0 violations.

Each page is opened as the person who can see it, in the state worth checking
(empty and filled forms, error reports, HTMX-updated fragments, other languages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from yrkesbro.accounts import services as people
from yrkesbro.accounts.models import Invitation, Membership
from yrkesbro.organisations import services as org_services
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import OrganisationFactory, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Site:
    """The world plus the rows the members, audit and invitation pages need."""

    world: World
    invitation: Invitation
    invitation_token: str
    viewer_membership: Membership


@pytest.fixture
def site(world: World) -> Site:
    a = world.a
    invitation, token = people.invitation_create(
        actor=a.admin, organisation=a.org, email="ny.person@example.test", role="editor"
    )
    org_services.organisation_update(
        actor=a.admin,
        organisation=a.org,
        data={"website": "https://alfa.example.test", "description": "Alfa."},
    )
    return Site(
        world=world,
        invitation=invitation,
        invitation_token=token,
        viewer_membership=Membership.objects.get(user=a.viewer, organisation=a.org),
    )


# (label, who is signed in, path). "who" is an attribute path into the World.
PAGES: list[tuple[str, str | None, Callable[[Site], str]]] = [
    ("home, anonymous", None, lambda s: "/"),
    ("home, signed in", "a.admin", lambda s: "/"),
    ("organisations", None, lambda s: "/organisations/"),
    ("organisations, search", None, lambda s: "/organisations/?q=Alfa"),
    ("organisations, no match", None, lambda s: "/organisations/?q=zzzz"),
    ("organisation, public view", None, lambda s: f"/organisations/{s.world.a.org.pk}/"),
    ("organisation, member view", "a.admin", lambda s: f"/organisations/{s.world.a.org.pk}/"),
    ("log-in", None, lambda s: "/login/"),
    ("password reset", None, lambda s: "/password-reset/"),
    ("password reset sent", None, lambda s: "/password-reset/sent/"),
    ("password reset, bad link", None, lambda s: "/password-reset/MQ/bad-token/"),
    ("password reset complete", None, lambda s: "/password-reset/done/"),
    ("accessibility statement", None, lambda s: "/accessibility/"),
    ("my page", "a.admin", lambda s: "/account/"),
    ("my page, no memberships", "outsider", lambda s: "/account/"),
    ("API tokens, none", "a.admin", lambda s: "/account/tokens/"),
    ("members as admin", "a.admin", lambda s: f"/organisations/{s.world.a.org.pk}/members/"),
    ("members as viewer", "a.viewer", lambda s: f"/organisations/{s.world.a.org.pk}/members/"),
    (
        "member edit",
        "a.admin",
        lambda s: f"/organisations/{s.world.a.org.pk}/members/{s.viewer_membership.pk}/",
    ),
    (
        "member remove",
        "a.admin",
        lambda s: f"/organisations/{s.world.a.org.pk}/members/{s.viewer_membership.pk}/remove/",
    ),
    (
        "leave organisation",
        "a.viewer",
        lambda s: f"/organisations/{s.world.a.org.pk}/members/{s.viewer_membership.pk}/remove/",
    ),
    ("organisation edit", "a.admin", lambda s: f"/organisations/{s.world.a.org.pk}/edit/"),
    ("audit log", "a.admin", lambda s: f"/organisations/{s.world.a.org.pk}/audit/"),
    ("new organisation", "platform_admin", lambda s: "/organisations/new/"),
    ("register import", "platform_admin", lambda s: "/organisations/import-register/"),
    ("invitation, anonymous", None, lambda s: f"/invitations/{s.invitation_token}/"),
    ("invitation, signed in", "outsider", lambda s: f"/invitations/{s.invitation_token}/"),
    ("not found", None, lambda s: "/organisations/99999999/"),
]


def _user(world: World, who: str) -> Any:
    obj: Any = world
    for part in who.split("."):
        obj = getattr(obj, part)
    return obj


# Text a page must show, so the check runs on the state the label promises.
EXPECT: dict[str, Callable[[Site], str]] = {
    "members as admin": lambda s: s.invitation.email,
    "audit log": lambda s: s.world.a.admin.display_name,  # people by name, not user name
    "organisations, search": lambda s: s.world.a.org.name,
    "invitation, anonymous": lambda s: s.world.a.org.name,
}

VIEWERS = list(dict.fromkeys(who or "anonymous" for _label, who, _path in PAGES))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_have_no_violations(
    site: Site,
    new_context: Any,
    live_server: Any,
    sign_in: Any,
    axe_check: Any,
    viewer: str,
) -> None:
    """Each page seen by this viewer; all failures are gathered, then reported together."""
    context = new_context()
    if viewer != "anonymous":
        sign_in(context, _user(site.world, viewer))
    page = context.new_page()
    failures: list[str] = []
    checked = 0
    for label, who, path in PAGES:
        if (who or "anonymous") != viewer:
            continue
        response = page.goto(live_server.url + path(site))
        expected = 404 if label == "not found" else 200
        assert response.status == expected, f"{label}: {response.status}"
        if label in EXPECT:
            text = EXPECT[label](site)
            assert text in page.locator("main").inner_text(), f"{label}: {text} not shown"
        axe_check(page, f"{label} ({path(site)})", failures)
        checked += 1
    assert checked
    assert not failures, "\n".join(failures)


def test_anonymous_states(site: Site, page: Any, live_server: Any, axe_check: Any) -> None:
    """Other languages, a failed log-in, HTMX-swapped results and an expired invitation."""
    failures: list[str] = []
    for language in ("nn", "en"):
        page.goto(live_server.url + "/")
        page.locator(f"header button[name=language][value={language}]").click()
        page.wait_for_function(f"document.documentElement.lang === '{language}'")
        axe_check(page, f"home in {language}", failures)
        page.goto(live_server.url + "/organisations/")
        axe_check(page, f"organisations in {language}", failures)
    page.context.clear_cookies()

    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill(site.world.a.admin.username)
    page.locator("#id_password").fill("wrong password")
    page.locator("main form button[type=submit]").click()
    page.locator(".ds-error-summary").wait_for()
    axe_check(page, "log-in with an error", failures)

    page.goto(live_server.url + "/organisations/")
    with page.expect_response(lambda r: "q=Beta" in r.url and r.request.headers.get("hx-request")):
        page.locator("#id_q").fill("Beta")
    page.locator("#results").get_by_role("link", name="Beta kommune").wait_for()
    axe_check(page, "organisations after an HTMX search", failures)

    # A valid password-reset link leads to the set-password form.
    user = site.world.a.viewer
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page.goto(f"{live_server.url}/password-reset/{uid}/{token}/")
    page.locator("#id_new_password1").wait_for()
    axe_check(page, "set a new password", failures)

    Invitation.objects.filter(pk=site.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = page.goto(f"{live_server.url}/invitations/{site.invitation_token}/")
    assert response.status == 410
    axe_check(page, "expired invitation", failures)
    assert not failures, "\n".join(failures)


def test_county_and_municipality(
    page: Any, live_server: Any, axe_check: Any, register_loaded: Any
) -> None:
    county = Organisation.objects.get(kind=Kind.COUNTY, number="46")
    municipality = Organisation.objects.get(kind=Kind.MUNICIPALITY, number="4601")
    OrganisationFactory(
        kind=Kind.UPPER_SECONDARY_SCHOOL,
        name="Bergen katedralskole",
        number="",
        municipality=municipality,
        county=municipality.county,
    )
    failures: list[str] = []
    page.goto(live_server.url + county.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == county.name
    axe_check(page, "county page", failures)
    page.goto(live_server.url + municipality.get_absolute_url())
    assert page.get_by_role("link", name="Bergen katedralskole").is_visible()
    axe_check(page, "municipality page", failures)
    page.goto(live_server.url + "/organisations/?kind=municipality&county=46")
    assert page.locator(".yb-pagination").count() == 1
    axe_check(page, "municipalities of a county, paginated", failures)
    assert not failures, "\n".join(failures)


def test_signed_in_states(
    site: Site, new_context: Any, live_server: Any, sign_in: Any, axe_check: Any
) -> None:
    """A new token and its revocation, forms with errors, a register file with errors."""
    failures: list[str] = []
    world = site.world

    editor = new_context()
    sign_in(editor, world.a.editor)
    page = editor.new_page()
    page.goto(live_server.url + "/account/tokens/")
    page.locator("#id_name").fill("Rapportskript")
    page.locator("main form button[type=submit]").click()
    page.locator("#new-token").wait_for()
    axe_check(page, "tokens right after creating one", failures)
    page.locator("main table a").first.click()
    page.wait_for_url("**/revoke/")
    axe_check(page, "token revoke confirmation", failures)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/tokens/")
    axe_check(page, "tokens after revoking one", failures)

    admin = new_context()
    sign_in(admin, world.a.admin)
    page = admin.new_page()
    page.goto(f"{live_server.url}/organisations/{world.a.org.pk}/members/")
    page.locator("#id_email").fill("not-an-address")
    page.locator("main form.yb-form button[type=submit]").click()
    page.locator(".ds-error-summary").wait_for()
    axe_check(page, "members with an invitation error", failures)
    page.goto(f"{live_server.url}/organisations/{world.a.org.pk}/edit/")
    page.locator("#id_website").fill("not a web address")
    page.locator("main form button[type=submit]").click()
    page.locator(".ds-error-summary").wait_for()
    axe_check(page, "organisation edit with errors", failures)

    platform = new_context()
    sign_in(platform, world.platform_admin)
    page = platform.new_page()
    page.goto(live_server.url + "/organisations/new/")
    page.locator("main form button[type=submit]").click()
    page.locator(".ds-error-summary").wait_for()
    axe_check(page, "new organisation with errors", failures)
    page.goto(live_server.url + "/organisations/import-register/")
    bad = (
        "municipality_number,name,other_official_names,county_number,county_name,"
        "organisation_number,latitude,longitude\n"
        "03x1,Oslo,,03,Oslo,123456789,959.9,10.7\n"
    )
    page.locator("#id_file").set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.locator("main form button[type=submit]").click()
    page.locator("main table").wait_for()
    axe_check(page, "register import with an error report", failures)
    assert not failures, "\n".join(failures)
