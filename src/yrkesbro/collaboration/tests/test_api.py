"""The API: scoped to the parties, same rules as the web pages."""

from __future__ import annotations

from datetime import date, timedelta

from yrkesbro.testing import PASSWORD

API = "/api/v1"


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_lists_are_scoped_to_parties(client, setup):
    setup.agreement()
    login(client, setup.world.b.viewer)
    for path in ("partnerships", "agreements", "forums", "meetings", "action-items"):
        body = client.get(f"{API}/{path}").json()
        assert set(body) == {"count", "items"}
    assert client.get(f"{API}/partnerships").json()["count"] == 1
    assert client.get(f"{API}/meetings").json()["items"][0]["minutes"] == "Hemmelig referat"
    client.logout()
    login(client, setup.world.outsider)
    for path in ("partnerships", "agreements", "forums", "meetings"):
        assert client.get(f"{API}/{path}").json()["count"] == 0
    assert client.get(f"{API}/meetings/{setup.meeting.pk}").status_code == 404
    assert client.get(f"{API}/partnerships/{setup.partnership.pk}").status_code == 404
    client.logout()
    assert client.get(f"{API}/partnerships").status_code == 401


def test_create_and_sign_through_the_api(client, setup):
    w = setup.world
    login(client, w.a.editor)
    response = client.post(
        f"{API}/partnerships",
        {"name": "API-samarbeid", "purpose": "Test", "organisation_ids": [w.a.org.pk, w.b.org.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    # Beta is only invited until its administrator accepts.
    assert [o["id"] for o in response.json()["parties"]] == [w.a.org.pk]
    assert [o["id"] for o in response.json()["invited"]] == [w.b.org.pk]
    client.logout()
    login(client, w.b.admin)
    items = client.get(f"{API}/partnership-invitations").json()["items"]
    invitation = next(i for i in items if i["partnership"]["id"] == pid)
    response = client.post(f"{API}/partnership-invitations/{invitation['id']}/accept")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    client.logout()
    login(client, w.a.editor)
    response = client.post(
        f"{API}/agreements",
        {
            "partnership_id": pid,
            "title": "Avtale",
            "purpose": "Formål",
            "starts_on": str(date.today()),
            "ends_on": str(date.today() + timedelta(days=365)),
            "commitments": {str(w.a.org.pk): "Vi stiller lokaler"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    aid = response.json()["id"]
    assert client.post(f"{API}/agreements/{aid}/send").json()["status"] == "sent"
    # An editor may not sign.
    response = client.post(
        f"{API}/agreements/{aid}/sign",
        {"organisation_id": w.a.org.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.logout()
    for side in (w.a, w.b):
        login(client, side.admin)
        response = client.post(
            f"{API}/agreements/{aid}/sign",
            {"organisation_id": side.org.pk},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        client.logout()
    body = response.json()
    assert body["status"] == "active" and len(body["current"]["signatures"]) == 2
    login(client, w.b.editor)
    body = client.patch(
        f"{API}/agreements/{aid}", {"purpose": "Nytt"}, content_type="application/json"
    ).json()
    assert body["versions"] == [1, 2] and body["status"] == "draft"


def test_meeting_and_action_through_the_api(client, setup):
    w = setup.world
    login(client, w.a.editor)
    bad = client.post(
        f"{API}/meetings",
        {
            "forum_id": setup.forum.pk,
            "title": "X",
            "starts_at": "2031-01-01T12:00:00+01:00",
            "ends_at": "2031-01-01T11:00:00+01:00",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "ends_at"
    action = client.post(
        f"{API}/action-items",
        {
            "meeting_id": setup.meeting.pk,
            "title": "Ringe",
            "owner_id": w.b.viewer.pk,
            "due_on": str(date.today()),
        },
        content_type="application/json",
    )
    assert action.status_code == 201
    client.logout()
    login(client, w.a.viewer)
    response = client.patch(
        f"{API}/action-items/{action.json()['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.logout()
    login(client, w.b.viewer)
    response = client.patch(
        f"{API}/action-items/{action.json()['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
