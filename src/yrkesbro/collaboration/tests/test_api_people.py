"""The API for representatives, liaisons, parties, contacts, structure types, attendance,
decisions, planning, termination and notifications: same services and rules as the pages."""

from __future__ import annotations

import json
from datetime import date, timedelta

from yrkesbro.collaboration.models import (
    ContactEntry,
    Liaison,
    Notification,
    Representative,
    StructureType,
)
from yrkesbro.core.models import AuditEntry
from yrkesbro.testing import PASSWORD, CountyFactory, MembershipFactory, OrganisationFactory

API = "/api/v1"


def login(client, user):  # type: ignore[no-untyped-def]
    client.logout()
    client.login(username=user.username, password=PASSWORD)


def post(client, url, data=None, method="post"):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_representatives_add_list_remove(client, setup):
    w, p = setup.world, setup.partnership
    url = f"{API}/partnerships/{p.pk}/representatives"
    data = {
        "organisation_id": w.b.org.pk,
        "user_id": w.b.viewer.pk,
        "level": "strategic",
        "title": "Rektor",
    }
    login(client, w.a.viewer)
    assert post(client, url, data).status_code == 403  # a viewer may read, not change
    login(client, w.a.editor)
    response = post(client, url, data)
    assert response.status_code == 201, response.content
    rep_id = response.json()["id"]
    assert response.json()["user"]["id"] == w.b.viewer.pk
    again = post(client, url, data)
    assert again.status_code == 400 and again.json()["message"]
    outsider = post(client, url, {**data, "user_id": w.outsider.pk})
    assert outsider.status_code == 400 and outsider.json()["field"] == "user_id"
    body = client.get(url).json()
    assert body["count"] == 1 and body["items"][0]["id"] == rep_id
    assert client.delete(f"{url}/{rep_id}").status_code == 204
    assert not Representative.objects.filter(pk=rep_id).exists()
    assert AuditEntry.objects.filter(action="partnership.representative_remove").exists()
    login(client, w.outsider)
    assert client.get(url).status_code == 404
    assert post(client, url, data).status_code == 404


def test_liaisons_add_list_remove(client, setup):
    w, p = setup.world, setup.partnership
    MembershipFactory(user=w.a.viewer, organisation=w.b.org)  # belongs to both sides
    url = f"{API}/partnerships/{p.pk}/liaisons"
    login(client, w.a.editor)
    one_side = post(client, url, {"user_id": w.b.viewer.pk})
    assert one_side.status_code == 400 and one_side.json()["field"] == "user"
    response = post(client, url, {"user_id": w.a.viewer.pk, "note": "Lærer og rådgiver"})
    assert response.status_code == 201, response.content
    assert client.get(url).json()["items"][0]["note"] == "Lærer og rådgiver"
    liaison_id = response.json()["id"]
    login(client, w.b.viewer)
    assert client.delete(f"{url}/{liaison_id}").status_code == 403
    login(client, w.b.editor)
    assert client.delete(f"{url}/{liaison_id}").status_code == 204
    assert not Liaison.objects.exists()


def test_remove_party_keeps_two(client, setup):
    w, p = setup.world, setup.partnership
    third = OrganisationFactory(name="Gamma kommune")
    login(client, w.a.editor)
    assert (
        post(
            client, f"{API}/partnerships/{p.pk}/parties", {"organisation_id": third.pk}
        ).status_code
        == 201
    )
    assert client.delete(f"{API}/partnerships/{p.pk}/parties/{third.pk}").status_code == 204
    refused = client.delete(f"{API}/partnerships/{p.pk}/parties/{w.b.org.pk}")
    assert refused.status_code == 400  # a partnership needs two parties
    assert client.delete(f"{API}/partnerships/{p.pk}/parties/{third.pk}").status_code == 404


def test_contact_log(client, setup):
    w, p = setup.world, setup.partnership
    url = f"{API}/partnerships/{p.pk}/contacts"
    login(client, w.b.editor)
    today = date.today()
    response = post(
        client, url, {"kind": "call", "happened_on": str(today), "summary": "Ringte om plasser"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"]["id"] == w.b.editor.pk
    future = post(
        client,
        url,
        {"kind": "call", "happened_on": str(today + timedelta(days=3)), "summary": "x"},
    )
    assert future.status_code == 400 and future.json()["field"] == "happened_on"
    control = post(client, url, {"kind": "visit", "happened_on": str(today), "summary": "a\x00b"})
    assert control.status_code == 422
    assert (
        post(client, url, {"kind": "gossip", "happened_on": str(today), "summary": "x"}).status_code
        == 422
    )
    assert ContactEntry.objects.count() == 1
    login(client, w.a.viewer)
    body = client.get(url).json()
    assert body["count"] == 1 and body["items"][0]["summary"] == "Ringte om plasser"
    assert (
        post(client, url, {"kind": "call", "happened_on": str(today), "summary": "y"}).status_code
        == 403
    )
    login(client, w.outsider)
    assert client.get(url).status_code == 404


def test_structure_types(client, setup):
    w, p = setup.world, setup.partnership
    county = CountyFactory()
    MembershipFactory(user=w.a.editor, organisation=county, role="editor")
    login(client, w.a.editor)
    response = post(
        client,
        f"{API}/structure-types",
        {"name": "Regionalt råd", "bindingness": "written", "owner_id": county.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["id"] == county.pk
    own = post(
        client,
        f"{API}/structure-types",
        {"name": "Vårt nettverk", "bindingness": "informal", "partnership_id": p.pk},
    )
    assert own.status_code == 201 and own.json()["partnership_id"] == p.pk
    municipality = post(
        client,
        f"{API}/structure-types",
        {"name": "X", "bindingness": "informal", "owner_id": w.a.org.pk},
    )
    assert municipality.status_code == 400 and municipality.json()["field"] == "owner"
    p.is_public = False  # a private partnership's own types stay with its parties
    p.save(update_fields=["is_public"])
    login(client, w.outsider)
    names = [i["name"] for i in client.get(f"{API}/structure-types").json()["items"]]
    assert "Regionalt råd" in names and "Vårt nettverk" not in names
    refused = post(
        client,
        f"{API}/structure-types",
        {"name": "Y", "bindingness": "informal", "owner_id": county.pk},
    )
    assert refused.status_code == 403
    assert StructureType.objects.count() == 2


def test_attendance_decisions_plan_and_terminate(client, setup):
    w, m = setup.world, setup.meeting
    url = f"{API}/meetings/{m.pk}/attendance"
    login(client, w.a.editor)
    assert client.get(url).json() == {"meeting_id": m.pk, "attendees": [], "other_attendees": ""}
    response = post(
        client,
        url,
        {"user_ids": [w.a.viewer.pk, w.b.viewer.pk], "other_attendees": "NAV"},
        method="put",
    )
    assert response.status_code == 200, response.content
    assert sorted(a["id"] for a in response.json()["attendees"]) == sorted(
        [w.a.viewer.pk, w.b.viewer.pk]
    )
    stranger = post(client, url, {"user_ids": [w.outsider.pk]}, method="put")
    assert stranger.status_code == 400
    missing = post(client, url, {"user_ids": [10**15]}, method="put")
    assert missing.status_code == 400
    m.refresh_from_db()
    assert m.attendees.count() == 2 and m.other_attendees == "NAV"
    decision = post(client, f"{API}/meetings/{m.pk}/decisions", {"text": "Vi starter kurs"})
    assert decision.status_code == 201 and decision.json()["meeting_id"] == m.pk
    planned = post(client, f"{API}/forums/{setup.forum.pk}/plan")
    assert planned.status_code == 200 and planned.json()["created"] > 0
    assert post(client, f"{API}/forums/{setup.forum.pk}/plan").json()["created"] == 0
    agreement = setup.agreement()
    assert post(client, f"{API}/agreements/{agreement.pk}/terminate").status_code == 403
    login(client, w.b.admin)
    ended = post(client, f"{API}/agreements/{agreement.pk}/terminate")
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    login(client, w.outsider)
    assert client.get(url).status_code == 404
    assert post(client, url, {"user_ids": []}, method="put").status_code == 404


def test_notifications_are_the_callers_own(client, setup):
    w = setup.world
    mine = Notification.objects.create(user=w.a.viewer, key="a", subject="Møte", body="i morgen")
    Notification.objects.create(user=w.a.viewer, key="b", subject="Avtale", body="utløper")
    other = Notification.objects.create(user=w.b.viewer, key="c", subject="Annen", body="x")
    login(client, w.a.viewer)
    body = client.get(f"{API}/notifications").json()
    assert body["count"] == 2 and {i["subject"] for i in body["items"]} == {"Møte", "Avtale"}
    assert client.post(f"{API}/notifications/{other.pk}/read").status_code == 404
    response = client.post(f"{API}/notifications/{mine.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get(f"{API}/notifications?unread=true").json()["count"] == 1
    assert client.post(f"{API}/notifications/read").json() == {"marked": 1}
    assert client.get(f"{API}/notifications?unread=true").json()["count"] == 0
    other.refresh_from_db()
    assert other.read_at is None
    client.logout()
    assert client.get(f"{API}/notifications").status_code == 401
