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


# What the partnership pages edit, through the API (issue 13): A and B are both parties.
# Members of either side may read; editors and administrators may change; only
# administrators may end an agreement; outsiders see nothing (404), viewers are refused.
PARTY_MEMBERS = {f"{side}.{role}" for side in "ab" for role in ("admin", "editor", "viewer")}
PARTY_EDITORS = {f"{side}.{role}" for side in "ab" for role in ("admin", "editor")}
PARTY_RULES: dict[str, set[str]] = {
    "list_representatives": PARTY_MEMBERS | {"platform"},
    "list_liaisons": PARTY_MEMBERS | {"platform"},
    "list_contacts": PARTY_MEMBERS | {"platform"},
    "get_attendance": PARTY_MEMBERS | {"platform"},
    "add_representative": PARTY_EDITORS | {"platform"},
    "remove_representative": PARTY_EDITORS | {"platform"},
    "add_liaison": PARTY_EDITORS | {"platform"},
    "remove_liaison": PARTY_EDITORS | {"platform"},
    "remove_party": PARTY_EDITORS | {"platform"},
    "log_contact": PARTY_EDITORS | {"platform"},
    "own_structure_type": PARTY_EDITORS | {"platform"},
    "set_attendance": PARTY_EDITORS | {"platform"},
    "add_decision": PARTY_EDITORS | {"platform"},
    "plan_meetings": PARTY_EDITORS | {"platform"},
    "terminate": {"a.admin", "b.admin", "platform"},
}


def party_setup(world: World):  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    from django.utils import timezone

    from yrkesbro.collaboration.services import agreements, meetings, partnerships
    from yrkesbro.testing import OrganisationFactory

    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa–Beta", "purpose": "Kompetanse", "is_public": False},
        organisations=[world.a.org, world.b.org],
    )
    partnerships.party_accept(actor=world.b.admin, party=p.parties.get(organisation=world.b.org))
    third = OrganisationFactory(name="Gamma kommune")
    partnerships.party_add(actor=world.a.editor, partnership=p, organisation=third)
    Membership.objects.create(user=world.a.viewer, organisation=world.b.org, role="viewer")
    rep = partnerships.representative_add(
        actor=world.a.editor,
        partnership=p,
        organisation=world.a.org,
        user=world.a.admin,
        level="strategic",
    )
    liaison = partnerships.liaison_add(actor=world.a.editor, partnership=p, user=world.a.viewer)
    forum = meetings.forum_create(
        actor=world.a.editor,
        partnership=p,
        data={"name": "Forum", "mandate": "Følge opp", "cadence": "quarterly"},
    )
    start = timezone.now() - timedelta(days=3)
    meeting = meetings.meeting_create(
        actor=world.a.editor,
        forum=forum,
        data={"title": "Møte", "starts_at": start, "ends_at": start + timedelta(hours=1)},
    )
    agreement = agreements.agreement_create(
        actor=world.a.editor,
        partnership=p,
        title="Avtale",
        data={
            "purpose": "Formål",
            "starts_on": date.today(),
            "ends_on": date.today() + timedelta(days=300),
        },
        commitments={},
    )
    return {
        "p": p.pk,
        "third": third.pk,
        "rep": rep.pk,
        "liaison": liaison.pk,
        "forum": forum.pk,
        "meeting": meeting.pk,
        "agreement": agreement.pk,
        "b_viewer": world.b.viewer.pk,
        "a_org": world.a.org.pk,
        "today": str(date.today()),
    }


PARTY_API = {
    "list_representatives": ("get", "/partnerships/{p}/representatives", None, 200),
    "list_liaisons": ("get", "/partnerships/{p}/liaisons", None, 200),
    "list_contacts": ("get", "/partnerships/{p}/contacts", None, 200),
    "get_attendance": ("get", "/meetings/{meeting}/attendance", None, 200),
    "add_representative": (
        "post",
        "/partnerships/{p}/representatives",
        {"organisation_id": "{a_org}", "user_id": "{b_viewer}", "level": "operational"},
        400,  # allowed through, then the rule: B's viewer cannot represent A
    ),
    "remove_representative": ("delete", "/partnerships/{p}/representatives/{rep}", None, 204),
    "add_liaison": ("post", "/partnerships/{p}/liaisons", {"user_id": "{b_viewer}"}, 400),
    "remove_liaison": ("delete", "/partnerships/{p}/liaisons/{liaison}", None, 204),
    "remove_party": ("delete", "/partnerships/{p}/parties/{third}", None, 204),
    "log_contact": (
        "post",
        "/partnerships/{p}/contacts",
        {"kind": "call", "happened_on": "{today}", "summary": "Ringte"},
        201,
    ),
    "own_structure_type": (
        "post",
        "/structure-types",
        {"name": "Nettverk", "bindingness": "informal", "partnership_id": "{p}"},
        201,
    ),
    "set_attendance": ("put", "/meetings/{meeting}/attendance", {"user_ids": ["{b_viewer}"]}, 200),
    "add_decision": ("post", "/meetings/{meeting}/decisions", {"text": "Vedtak"}, 201),
    "plan_meetings": ("post", "/forums/{forum}/plan", None, 200),
    "terminate": ("post", "/agreements/{agreement}/terminate", None, 200),
}


def party_state(ids: dict) -> tuple:  # type: ignore[type-arg]
    from yrkesbro.collaboration.models import (
        Agreement,
        ContactEntry,
        Decision,
        Liaison,
        Meeting,
        PartnershipParty,
        Representative,
        StructureType,
    )

    return (
        sorted(Representative.objects.values_list("pk", "user_id", "level")),
        sorted(Liaison.objects.values_list("pk", "user_id")),
        sorted(PartnershipParty.objects.values_list("organisation_id", "status")),
        ContactEntry.objects.count(),
        StructureType.objects.count(),
        sorted(Meeting.objects.get(pk=ids["meeting"]).attendees.values_list("pk", flat=True)),
        Meeting.objects.count(),
        Decision.objects.count(),
        Agreement.objects.get(pk=ids["agreement"]).status,
    )


def _fill(value, ids):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def test_party_rules_cover_every_party_operation() -> None:
    assert set(PARTY_RULES) == set(PARTY_API)


@pytest.mark.parametrize("action", sorted(PARTY_API))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_partnership_api_matrix(client, world, actor_name, action):
    from yrkesbro.accounts.services import token_create

    ids = party_setup(world)
    method, template, data, ok_status = PARTY_API[action]
    actor = who(world, actor_name)
    _t, key = token_create(actor=actor, user=actor, name="matrix")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if method != "get":
        kwargs.update(data=json.dumps(_fill(data or {}, ids)), content_type="application/json")
    before = party_state(ids)
    response = getattr(client, method)("/api/v1" + template.format(**ids), **kwargs)
    if actor_name in PARTY_RULES[action]:
        assert response.status_code == ok_status, response.content[:500]
        if method == "get":
            assert response.status_code == 200
        elif ok_status < 400:
            assert party_state(ids) != before, "an allowed change must change something"
    else:
        # Party members without the right are told "forbidden"; others learn nothing.
        expected = 403 if actor_name in PARTY_MEMBERS else 404
        assert response.status_code == expected, response.content[:500]
        assert response.json()["code"] in ("forbidden", "not_found")
        assert party_state(ids) == before


@pytest.mark.parametrize("actor_name", ACTORS)
def test_notifications_api_is_the_callers_own(client, world, actor_name):
    from yrkesbro.accounts.services import token_create
    from yrkesbro.collaboration.models import Notification

    note = Notification.objects.create(user=world.a.viewer, key="k", subject="S", body="B")
    actor = who(world, actor_name)
    _t, key = token_create(actor=actor, user=actor, name="matrix")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    listed = client.get("/api/v1/notifications", **auth).json()
    response = client.post(f"/api/v1/notifications/{note.pk}/read", **auth)
    client.post("/api/v1/notifications/read", **auth)
    note.refresh_from_db()
    if actor == world.a.viewer:
        assert listed["count"] == 1 and response.status_code == 200
    else:  # not even the platform administrator reads or marks someone else's
        assert listed["count"] == 0 and response.status_code == 404
        assert note.read_at is None
