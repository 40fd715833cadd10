"""The permission matrix: role × party / non-party × action, through the web pages.

A party's viewer reads but does not change; editors change; only an admin of a
party signs for it; members of other organisations and outsiders get 404.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yrkesbro.collaboration.models import ActionItem, Meeting, Signature
from yrkesbro.collaboration.services import agreements, meetings
from yrkesbro.testing import PASSWORD, make_side

ACTORS = ["party_admin", "party_editor", "party_viewer", "other_admin", "outsider", "anonymous"]
# action -> {actor: expected outcome}
MATRIX = {
    "read_minutes": dict(zip(ACTORS, ["ok", "ok", "ok", "404", "404", "404"], strict=True)),
    "edit": dict(zip(ACTORS, ["ok", "ok", "404", "404", "404", "login"], strict=True)),
    "sign": dict(zip(ACTORS, ["ok", "refused", "refused", "404", "404", "login"], strict=True)),
    "create_meeting": dict(zip(ACTORS, ["ok", "ok", "404", "404", "404", "login"], strict=True)),
    "complete_action": dict(
        zip(ACTORS, ["ok", "ok", "refused", "404", "404", "login"], strict=True)
    ),
}
CASES = [
    (action, actor, outcome) for action, row in MATRIX.items() for actor, outcome in row.items()
]


@pytest.fixture
def cast(setup):
    w = setup.world
    other = make_side("Gamma")
    return {
        "party_admin": w.a.admin,
        "party_editor": w.a.editor,
        "party_viewer": w.a.viewer,
        "other_admin": other.admin,
        "outsider": w.outsider,
        "anonymous": None,
    }


@pytest.mark.parametrize(("action", "actor", "outcome"), CASES)
def test_matrix(client, setup, cast, action, actor, outcome):
    w = setup.world
    user = cast[actor]
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    agreement = setup.agreement()
    agreements.agreement_send(actor=w.a.editor, agreement=agreement)
    item = meetings.action_create(
        actor=w.a.editor,
        meeting=setup.meeting,
        title="Plan",
        owner=w.b.editor,
        due_on=date.today() + timedelta(days=5),
    )
    p = setup.partnership
    if action == "read_minutes":
        response = client.get(setup.meeting.get_absolute_url())
        changed = "Hemmelig referat" in response.content.decode()
    elif action == "edit":
        response = client.post(
            f"/collaboration/partnerships/{p.pk}/edit/",
            {"name": "Nytt navn", "purpose": "Nytt", "is_public": "on"},
        )
        p.refresh_from_db()
        changed = p.name == "Nytt navn"
    elif action == "sign":
        response = client.post(
            f"/collaboration/agreements/{agreement.pk}/sign/", {"organisation": w.a.org.pk}
        )
        changed = Signature.objects.filter(organisation=w.a.org).exists()
    elif action == "create_meeting":
        response = client.post(
            f"/collaboration/forums/{setup.forum.pk}/meetings/new/",
            {
                "title": "Nytt møte",
                "starts_at": "2031-03-01T10:00",
                "ends_at": "2031-03-01T12:00",
                "status": "planned",
            },
        )
        changed = Meeting.objects.filter(title="Nytt møte").exists()
    else:
        response = client.post(f"/collaboration/actions/{item.pk}/status/", {"status": "done"})
        item.refresh_from_db()
        changed = item.status == "done"

    if outcome == "ok":
        assert response.status_code in (200, 302) and changed
    elif outcome == "refused":
        assert response.status_code in (302, 404) and not changed
    elif outcome == "login":
        assert response.status_code == 302 and "/login/" in response["Location"] and not changed
    else:
        assert response.status_code == 404 and not changed
    assert ActionItem.objects.count() == 1


def test_the_rights_a_page_shows_are_the_ones_the_services_check(setup, rf):
    """``rights`` asks for the three capabilities in one query; each answer equals the
    services' own check (``can``) for every kind of reader, an invited party that has not
    accepted included."""
    from django.contrib.auth.models import AnonymousUser

    from yrkesbro.collaboration.services import partnerships
    from yrkesbro.collaboration.services.common import can
    from yrkesbro.collaboration.views import rights
    from yrkesbro.core.policies import Capability

    world = setup.world
    invited = make_side("Invitert")
    partnerships.party_add(
        actor=world.a.admin, partnership=setup.partnership, organisation=invited.org
    )
    readers = [
        world.a.admin, world.a.editor, world.a.viewer, world.b.admin, world.b.viewer,
        invited.admin, world.outsider, world.platform_admin, AnonymousUser(),
    ]  # fmt: skip
    names = {
        Capability.VIEW_INTERNAL: "can_view",
        Capability.EDIT_CONTENT: "can_edit",
        Capability.MANAGE_MEMBERS: "can_admin",
    }
    seen = set()
    for reader in readers:
        request = rf.get("/")
        request.user = reader
        shown = rights(request, setup.partnership)
        for capability, name in names.items():
            assert shown[name] == can(reader, capability, setup.partnership), (reader, name)
        seen.add(tuple(shown.values()))
        if reader is invited.admin:  # invited, not yet a party: nothing inside
            assert not any(shown.values())
    assert len(seen) >= 3  # admins, editors and outsiders differ
