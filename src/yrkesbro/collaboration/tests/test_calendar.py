"""iCalendar feeds: parsed with the icalendar library, secret, revocable, scoped."""

from __future__ import annotations

import re

from icalendar import Calendar

from yrkesbro.collaboration.models import CalendarFeed
from yrkesbro.testing import PASSWORD


def _make_feed(client, user, forum=None) -> str:
    client.login(username=user.username, password=PASSWORD)
    page = client.post("/collaboration/calendars/", {"forum": forum.pk if forum else ""})
    match = re.search(r"(/collaboration/ical/[\w-]+\.ics)", page.content.decode())
    assert match
    client.logout()
    return match.group(1)


def test_personal_feed_parses_and_lists_meetings(client, setup):
    url = _make_feed(client, setup.world.a.viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Møte 1"]
    assert events[0]["UID"] and events[0].decoded("DTEND") > events[0].decoded("DTSTART")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]


def test_forum_feed_regenerate_and_revoke(client, setup):
    url1 = _make_feed(client, setup.world.b.editor, setup.forum)
    assert len(Calendar.from_ical(client.get(url1).content).walk("VEVENT")) == 1
    url2 = _make_feed(client, setup.world.b.editor, setup.forum)
    assert client.get(url1).status_code == 404  # the new link replaces the old one
    assert client.get(url2).status_code == 200
    feed = CalendarFeed.objects.get(revoked_at__isnull=True)
    client.login(username=setup.world.b.editor.username, password=PASSWORD)
    client.post("/collaboration/calendars/", {"revoke": feed.pk})
    assert client.get(url2).status_code == 404


def test_outsider_cannot_make_forum_feed(client, setup):
    client.login(username=setup.world.outsider.username, password=PASSWORD)
    response = client.post("/collaboration/calendars/", {"forum": setup.forum.pk})
    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_feed_follows_access(client, setup):
    url = _make_feed(client, setup.world.a.viewer, setup.forum)
    setup.world.a.viewer.memberships.all().delete()
    cal = Calendar.from_ical(client.get(url).content)
    assert not cal.walk("VEVENT")
    assert client.get("/collaboration/ical/not-a-token.ics").status_code == 404


def test_the_forum_is_a_search_picker(client, setup):
    """The page lists at most the picker's limit of forums and searches the rest; the empty
    choice says what it means."""
    client.login(username=setup.world.b.editor.username, password=PASSWORD)
    page = client.get("/collaboration/calendars/").content.decode()
    assert "Alle mine møter og oppfølgingspunkter" in page
    assert 'name="forum_q"' in page and "Samarbeidsforum" in page
    found = client.get(
        "/collaboration/calendars/",
        {"picker": "forum", "forum_q": "samarbeid"},
        HTTP_HX_REQUEST="true",
    )
    assert found.status_code == 200 and b"<html" not in found.content
    assert b"Samarbeidsforum" in found.content
    none = client.get(
        "/collaboration/calendars/", {"picker": "forum", "forum_q": "zzz"}, HTTP_HX_REQUEST="true"
    )
    assert b"Samarbeidsforum" not in none.content
    # Searching without JavaScript shows the page again and makes no link.
    searched = client.post("/collaboration/calendars/", {"picker": "forum", "forum_q": "sam"})
    assert searched.status_code == 200 and "/collaboration/ical/" not in searched.content.decode()
    assert not CalendarFeed.objects.exists()


def test_hostile_calendar_posts_change_nothing(client, setup):
    client.login(username=setup.world.b.editor.username, password=PASSWORD)
    for data in (
        {"forum": "9" * 30},
        {"forum": "\x00"},
        {"forum": "-1"},
        {"revoke": "abc"},
        {"revoke": "9" * 30},
    ):
        assert client.post("/collaboration/calendars/", data).status_code == 404, data
    assert not CalendarFeed.objects.exists()
