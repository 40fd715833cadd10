"""The matching pages cost the same whatever the size of the country: a school's first pages
of needs come by id from the cached order (no sort of every need in reach), lists of
requests read the actor's requests by index, and no page runs more queries for more rows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesbro.matching import demand, selectors, services
from yrkesbro.matching.models import Request
from yrkesbro.organisations.models import Organisation
from yrkesbro.testing import MembershipFactory

from .conftest import Setup, ask_for_places, make_need
from .test_pages_and_api import client_for


def _needs_in_reach(setup: Setup, n: int) -> None:
    hamar = Organisation.objects.get(name="Hamar")
    for i in range(n):
        make_need(hamar, ["demens"], people=i + 1, urgency=("high", "low")[i % 2])


def test_kept_pages_are_read_by_id_in_the_order_sql_gives(setup: Setup, monkeypatch: Any) -> None:
    monkeypatch.setattr(demand, "ORDER_KEPT", 5)  # part of the cache version: a fresh entry
    _needs_in_reach(setup, 9)
    school = setup.school.org
    d = selectors.school_demand(school)
    expected = list(d.needs_in_reach.values_list("pk", flat=True))
    assert d.count == len(expected) >= 9
    assert list(d.first_ids) == expected[:5]
    shown, kms = [], {}
    for number in range(1, (d.count + 1) // 2 + 1):
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.school_demand(school).page(number, 2)
        (read,) = [q["sql"] for q in ctx.captured_queries if '"needs_need"."unit"' in q["sql"]]
        # Pages 1-2 (needs 1-4) are kept; page 3 holds the 5th and 6th: sorted in SQL.
        assert ("municipalitydistance" in read) == (number > 2)
        shown += [row.need.pk for row in page.object_list]
        kms.update({row.need.pk: row.km for row in page.object_list})
    assert shown == expected
    near = d.needs_in_reach.values_list("pk", "km")
    assert kms == dict(near)


def test_school_page_queries_do_not_grow_with_needs_and_requests(setup: Setup) -> None:
    school = setup.school
    c = client_for(school.admin)
    url = reverse("matching:school", args=[school.org.pk])

    def grow_and_count(n: int) -> tuple[int, int]:
        _needs_in_reach(setup, n)
        ask_for_places(setup, n, people=2)
        assert c.get(url).status_code == 200  # builds the figures of this version
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(url)
        assert page.status_code == 200
        return len(ctx.captured_queries), len(page.context["needs"].object_list)

    small, shown_small = grow_and_count(2)
    large, shown_large = grow_and_count(10)
    assert shown_large > shown_small
    assert small == large


def test_index_and_request_lists_do_not_grow(setup: Setup) -> None:
    c = client_for(setup.world.a.admin)

    def counts(n: int) -> list[int]:
        ask_for_places(setup, n)
        out = []
        for url in (reverse("matching:index"), reverse("matching:requests"), "/api/v1/requests"):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    assert counts(2) == counts(10)


def test_a_request_between_two_of_ones_organisations_is_listed_once(setup: Setup) -> None:
    """The visibility is a UNION ALL of the asking and the asked side; a person in both
    sees the request once, and an outsider not at all."""
    both = setup.world.a.admin
    MembershipFactory(user=both, organisation=setup.school.org, role="viewer")
    req = services.request_create(
        actor=setup.world.a.editor,
        need=setup.need,
        school=setup.school.org,
        offering=setup.near,
        kind="place",
        people=1,
        message="",
    )
    assert list(Request.objects.visible_to(both)) == [req]
    assert selectors.request_rows(actor=both).count() == 1
    assert list(Request.objects.visible_to(setup.school.viewer)) == [req]
    assert list(Request.objects.visible_to(setup.world.a.viewer)) == [req]
    assert not Request.objects.visible_to(setup.world.b.admin).exists()
    assert not Request.objects.visible_to(setup.other_school.admin).exists()
    page = client_for(both).get(reverse("matching:requests"))
    assert page.content.decode().count(req.get_absolute_url()) == 1


def test_a_school_sees_all_its_incoming_requests_a_page_at_a_time(setup: Setup) -> None:
    """Not the first 50 and no more: the requests have their own page number."""
    import re

    from yrkesbro.matching.views import PAGE_SIZE

    school = setup.school
    ask_for_places(setup, PAGE_SIZE + 2)
    c = client_for(school.admin)
    url = reverse("matching:school", args=[school.org.pk])

    def requests(html: str) -> set[str]:
        return set(re.findall(r'href="/matching/requests/(\d+)/"', html))

    first = c.get(url).content.decode()
    assert len(requests(first)) == PAGE_SIZE
    assert 'href="?requests_page=2"' in first
    second = c.get(url, {"requests_page": 2}).content.decode()
    assert len(requests(second)) == 2
    assert not requests(first) & requests(second)
    assert c.get(url, {"requests_page": "99999999999999999999"}).status_code == 200
