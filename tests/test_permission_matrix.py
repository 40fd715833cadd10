"""Who may do what to organisation A: every role, in A and in another organisation B.

One table states the rule; the tests run it through the services, the web
pages and the API. A refusal must change nothing.
"""

from __future__ import annotations

import json

import pytest

from yrkesbro.accounts import selectors as people
from yrkesbro.accounts import services as people_services
from yrkesbro.accounts.models import Invitation, Membership
from yrkesbro.core.errors import DomainError
from yrkesbro.core.models import AuditEntry
from yrkesbro.organisations import services as org_services
from yrkesbro.testing import PASSWORD, MembershipFactory, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    """The shared world plus one more viewer in A, the target of removals."""
    world.target = MembershipFactory(organisation=world.a.org, role="viewer")
    return world


ACTORS = [
    "a.admin",
    "a.editor",
    "a.viewer",
    "b.admin",
    "b.editor",
    "b.viewer",
    "outsider",
    "platform",
]
ADMINS = {"a.admin", "platform"}
MEMBERS = {"a.admin", "a.editor", "a.viewer", "platform"}

# action -> who may do it to organisation A
RULES: dict[str, set[str]] = {
    "view_members": MEMBERS,
    "edit_profile": ADMINS,
    "invite": ADMINS,
    "change_role": ADMINS,
    "remove_member": ADMINS,
    "read_audit": ADMINS,
}


def who(world: World, name: str):  # type: ignore[no-untyped-def]
    if name == "outsider":
        return world.outsider
    if name == "platform":
        return world.platform_admin
    side, role = name.split(".")
    return getattr(world, side).member(role)


def state(world: World) -> tuple:
    org = type(world.a.org).objects.get(pk=world.a.org.pk)
    return (
        org.website,
        sorted(Membership.objects.values_list("user_id", "role")),
        Invitation.objects.count(),
    )


def attempt(world: World, actor, action: str) -> bool:  # type: ignore[no-untyped-def]
    """Try the action through the service layer; True if it was allowed."""
    a = world.a
    if action == "view_members":
        return people.members_of(actor=actor, organisation=a.org).exists()
    if action == "read_audit":
        AuditEntry.objects.create(action="test.seed", object_type="x", organisation=a.org)
        return AuditEntry.objects.visible_to(actor).filter(organisation=a.org).exists()
    try:
        if action == "edit_profile":
            org_services.organisation_update(
                actor=actor, organisation=a.org, data={"website": "https://changed.example"}
            )
        elif action == "invite":
            people_services.invitation_create(
                actor=actor, organisation=a.org, email="new@example.test", role="viewer"
            )
        elif action == "change_role":
            people_services.membership_change_role(
                actor=actor, membership=Membership.objects.get(user=a.viewer), role="editor"
            )
        elif action == "remove_member":
            people_services.membership_remove(actor=actor, membership=world.target)
    except DomainError:
        return False
    return True


@pytest.mark.parametrize("action", sorted(RULES))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_service_matrix(world, actor_name, action):
    actor = who(world, actor_name)
    allowed = actor_name in RULES[action]
    before = state(world)
    result = attempt(world, actor, action)
    assert result is allowed, f"{actor_name} {'may' if allowed else 'may not'} {action}"
    if not result:
        assert state(world) == before, "a refusal must change nothing"


# The web pages: (method, url template, data) -> expected status when allowed / refused.
PAGES = {
    "view_members": ("get", "/organisations/{a}/members/", None, 200),
    "edit_profile": ("post", "/organisations/{a}/edit/", {"website": "https://x.example"}, 302),
    "invite": (
        "post",
        "/organisations/{a}/members/",
        {"email": "n@example.test", "role": "viewer"},
        302,
    ),
    "change_role": ("post", "/organisations/{a}/members/{viewer_m}/", {"role": "editor"}, 302),
    "remove_member": ("post", "/organisations/{a}/members/{target_m}/remove/", {}, 302),
    "read_audit": ("get", "/organisations/{a}/audit/", None, 200),
}


@pytest.mark.parametrize("action", sorted(PAGES))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_web_matrix(client, world, actor_name, action):
    method, template, data, ok_status = PAGES[action]
    url = template.format(
        a=world.a.org.pk,
        viewer_m=Membership.objects.get(user=world.a.viewer).pk,
        target_m=world.target.pk,
    )
    client.login(username=who(world, actor_name).username, password=PASSWORD)
    before = state(world)
    response = getattr(client, method)(url, data or {})
    if actor_name in RULES[action]:
        assert response.status_code == ok_status, response.content[:500]
    else:
        # Outsiders and non-admins find nothing there: 404, never 403 with a hint.
        assert response.status_code == 404
        assert state(world) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (f"/organisations/{world.a.org.pk}/members/", "/account/", "/account/tokens/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


API = {
    "view_members": ("get", "/api/v1/organisations/{a}/memberships", None, 200),
    "edit_profile": ("patch", "/api/v1/organisations/{a}", {"website": "https://x.example"}, 200),
    "invite": ("post", "/api/v1/organisations/{a}/invitations", {"email": "n@example.org"}, 201),
    "change_role": ("patch", "/api/v1/memberships/{viewer_m}", {"role": "editor"}, 200),
    "remove_member": ("delete", "/api/v1/memberships/{target_m}", None, 204),
}


@pytest.mark.parametrize("action", sorted(API))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_api_matrix(client, world, actor_name, action):
    from yrkesbro.accounts.services import token_create

    method, template, data, ok_status = API[action]
    url = template.format(
        a=world.a.org.pk,
        viewer_m=Membership.objects.get(user=world.a.viewer).pk,
        target_m=world.target.pk,
    )
    actor = who(world, actor_name)
    _t, key = token_create(actor=actor, user=actor, name="matrix")
    before = state(world)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if data is not None:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    if actor_name in RULES[action]:
        assert response.status_code == ok_status, response.content[:500]
    else:
        # Members of A are told "forbidden"; those who cannot see the object get 404.
        assert response.status_code in (403, 404), response.content[:500]
        body = response.json()
        assert body["message"] and body["code"] in ("forbidden", "not_found")
        assert state(world) == before


# Partnership invitations: organisation B's people start a partnership and invite A.
# Inviting is for editors of the partnership's parties; accepting, declining and
# leaving are for A's administrators. Every role in both organisations is tried.
CONSENT_ACTORS = [*ACTORS, "anonymous"]
CONSENT_RULES: dict[str, set[str]] = {
    "invite": {"b.admin", "b.editor", "platform"},
    "accept": {"a.admin", "platform"},
    "decline": {"a.admin", "platform"},
    "leave": {"a.admin", "platform"},
}


def consent_who(world: World, name: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if name == "anonymous" else who(world, name)


def consent_partnership(world: World, *, invite_a: bool):  # type: ignore[no-untyped-def]
    from yrkesbro.collaboration.services import partnerships
    from yrkesbro.testing import OrganisationFactory

    third = OrganisationFactory(name="Tredje kommune")
    p = partnerships.partnership_create(
        actor=world.b.editor,
        data={"name": "Beta-samarbeid", "purpose": "Kompetanse"},
        organisations=[world.b.org, third],
    )
    if invite_a:
        partnerships.party_add(actor=world.b.editor, partnership=p, organisation=world.a.org)
    return p


def consent_state(p) -> list:  # type: ignore[no-untyped-def]
    return sorted(p.parties.values_list("organisation_id", "status"))


def consent_attempt(world: World, actor, action: str, p) -> bool:  # type: ignore[no-untyped-def]
    from yrkesbro.collaboration.services import partnerships

    party = p.parties.filter(organisation=world.a.org).first()
    try:
        if action == "invite":
            partnerships.party_add(actor=actor, partnership=p, organisation=world.a.org)
        elif action == "accept":
            partnerships.party_accept(actor=actor, party=party)
        elif action == "decline":
            partnerships.party_decline(actor=actor, party=party)
        else:
            partnerships.party_leave(actor=actor, partnership=p, organisation=world.a.org)
    except DomainError:
        return False
    return True


@pytest.mark.parametrize("action", sorted(CONSENT_RULES))
@pytest.mark.parametrize("actor_name", CONSENT_ACTORS)
def test_partnership_consent_matrix(world, actor_name, action):
    from yrkesbro.collaboration.services import partnerships

    p = consent_partnership(world, invite_a=action != "invite")
    if action == "leave":
        party = p.parties.get(organisation=world.a.org)
        partnerships.party_accept(actor=world.a.admin, party=party)
    before = consent_state(p)
    allowed = actor_name in CONSENT_RULES[action]
    result = consent_attempt(world, consent_who(world, actor_name), action, p)
    assert result is allowed, f"{actor_name} {'may' if allowed else 'may not'} {action}"
    if not result:
        assert consent_state(p) == before, "a refusal must change nothing"


CONSENT_PAGES = {
    "accept": ("/collaboration/invitations/{party}/answer/", {"answer": "accept"}),
    "decline": ("/collaboration/invitations/{party}/answer/", {"answer": "decline"}),
    "leave": ("/collaboration/partnerships/{p}/leave/", {"organisation": "{a}"}),
}


@pytest.mark.parametrize("action", sorted(CONSENT_PAGES))
@pytest.mark.parametrize("actor_name", CONSENT_ACTORS)
def test_partnership_consent_web_matrix(client, world, actor_name, action):
    from yrkesbro.collaboration.services import partnerships

    p = consent_partnership(world, invite_a=True)
    party = p.parties.get(organisation=world.a.org)
    if action == "leave":
        partnerships.party_accept(actor=world.a.admin, party=party)
    url, data = CONSENT_PAGES[action]
    url = url.format(party=party.pk, p=p.pk)
    data = {k: v.format(a=world.a.org.pk) for k, v in data.items()}
    if actor_name != "anonymous":
        client.force_login(who(world, actor_name))
    before = consent_state(p)
    response = client.post(url, data)
    if actor_name in CONSENT_RULES[action]:
        assert response.status_code == 302
        assert consent_state(p) != before
    else:
        assert response.status_code in (302, 404)
        if response.status_code == 302:  # only anonymous visitors are sent to sign in
            assert actor_name == "anonymous" and "/login/" in response["Location"]
        assert consent_state(p) == before
