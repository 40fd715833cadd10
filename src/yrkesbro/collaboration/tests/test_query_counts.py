"""Lists and overviews run the same number of queries whatever the number of partnerships."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesbro.collaboration.services import agreements, meetings, partnerships
from yrkesbro.testing import PASSWORD, CountyFactory, MembershipFactory, OrganisationFactory


def grow(world, county, n):
    for i in range(n):
        other = OrganisationFactory(county=county)
        p = partnerships.partnership_create(
            actor=world.a.editor,
            data={"name": f"P{i}", "purpose": "x"},
            organisations=[world.a.org, other],
        )
        forum = meetings.forum_create(
            actor=world.a.editor, partnership=p, data={"name": "F", "mandate": "m"}
        )
        start = timezone.now() - timedelta(days=20)
        m = meetings.meeting_create(
            actor=world.a.editor,
            forum=forum,
            data={
                "title": "M",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "status": "held",
            },
        )
        agreements.agreement_create(
            actor=world.a.editor,
            partnership=p,
            title="A",
            data={
                "purpose": "x",
                "starts_on": timezone.localdate(),
                "ends_on": timezone.localdate() + timedelta(days=30),
            },
            commitments={world.a.org.pk: "y"},
        )
        meetings.action_create(
            actor=world.a.editor,
            meeting=m,
            title="A",
            owner=world.a.viewer,
            due_on=timezone.localdate(),
        )


def count(client, url):
    from yrkesbro.core.models import StoredFigures

    # the county's figures built every time (not read as stored), to count what building costs
    StoredFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_no_n_plus_one(client, world):
    county = CountyFactory()
    world.a.org.county = county
    world.a.org.save()
    MembershipFactory(user=world.a.editor, organisation=county, role="editor")
    client.login(username=world.a.editor.username, password=PASSWORD)
    urls = [
        "/collaboration/",
        f"/collaboration/counties/{county.pk}/",
        f"/collaboration/organisations/{world.a.org.pk}/",
        "/api/v1/partnerships",
    ]
    grow(world, county, 3)
    small = [count(client, url) for url in urls]
    grow(world, county, 10)
    assert [count(client, url) for url in urls] == small


def test_the_index_shows_ones_own_partnerships_a_page_at_a_time(client, world, monkeypatch):
    from yrkesbro.collaboration.views import partnerships as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    county = CountyFactory()
    grow(world, county, 3)
    client.login(username=world.a.editor.username, password=PASSWORD)
    first = client.get("/collaboration/")
    assert len(first.context["mine"]) == 2
    assert first.context["page"].paginator.count == 3
    second = client.get("/collaboration/", {"page": 2})
    names = {p.name for p, _h in first.context["mine"]} | {
        p.name for p, _h in second.context["mine"]
    }
    assert names == {"P0", "P1", "P2"}
    # One's own partnerships are never listed again among the public ones.
    assert not {p.name for p in second.context["public"]} & names


def test_organisation_overview_shows_a_page_at_a_time(client, world, settings):
    """A city with hundreds of partnerships gets them a page at a time, with the total."""
    from yrkesbro.collaboration.views import overview

    county = CountyFactory()
    grow(world, county, overview.PAGE_SIZE + 2)
    client.login(username=world.a.editor.username, password=PASSWORD)
    url = f"/collaboration/organisations/{world.a.org.pk}/"
    first = client.get(url).content.decode()
    total = overview.PAGE_SIZE + 2
    assert f"{total} partnerships" in first or f"{total} samarbeid" in first
    assert first.count('<th scope="row">') == overview.PAGE_SIZE
    assert "P0<" in first  # ordered by name: P0, P1, P10, …
    second = client.get(url + "?page=2").content.decode()
    assert second.count('<th scope="row">') == total - overview.PAGE_SIZE
    assert client.get(url + "?page=99999999999999999999").status_code == 200


def test_the_public_partnerships_are_paged_on_their_own(client, world):
    """Thousands of public partnerships nationally: the index shows them 25 at a time, with
    their own page number beside the page number of the reader's own partnerships."""
    from yrkesbro.collaboration.models import Partnership
    from yrkesbro.collaboration.views import partnerships as views

    grow(world, CountyFactory(), views.PAGE_SIZE + 1)
    Partnership.objects.update(is_public=True, is_active=True)
    client.login(username=world.b.editor.username, password=PASSWORD)
    first = client.get("/collaboration/").content.decode()
    assert 'href="?public_page=2"' in first
    assert first.count(">P") >= views.PAGE_SIZE  # the names P0, P1, … as link texts
    second = client.get("/collaboration/?page=1&public_page=2").content.decode()
    shown = set(re.findall(r'href="/collaboration/partnerships/(\d+)/"', second))
    assert len(shown) == Partnership.objects.count() - views.PAGE_SIZE


def test_a_partnership_page_counts_its_forums_meetings_in_one_query(client, setup):
    """The page shows each forum's meetings held against its cadence: counted in the
    forums' own query, not one count per forum (issue 16)."""
    world, p = setup.world, setup.partnership
    client.login(username=world.a.editor.username, password=PASSWORD)
    url = f"/collaboration/partnerships/{p.pk}/"

    def add_forums(n):
        for i in range(n):
            forum = meetings.forum_create(
                actor=world.a.editor,
                partnership=p,
                data={"name": f"Forum {i}", "mandate": "m", "cadence": "monthly"},
            )
            start = timezone.now() - timedelta(days=10 + i)
            meetings.meeting_create(
                actor=world.a.editor,
                forum=forum,
                data={
                    "title": f"Møte {i}",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "status": "held",
                },
            )

    add_forums(1)
    small = count(client, url)
    add_forums(5)
    assert count(client, url) == small
    pulses = dict(client.get(url).context["forums"])
    assert len(pulses) == 7  # the setup's forum and six more
    for forum, pulse in pulses.items():
        assert pulse.held == forum.meetings.filter(status="held").count()  # all within a year
