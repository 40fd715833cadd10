"""Lists of rounds and open surveys cost the same however many rounds there are: the rounds
API maps only the page it returns, and "my surveys" decides who is asked in SQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yrkesbro.collaboration.models import Level, Liaison, Partnership, Representative
from yrkesbro.collaboration.services import partnerships
from yrkesbro.health import api, selectors, services
from yrkesbro.health.models import Round
from yrkesbro.health.tests.conftest import Pulse
from yrkesbro.testing import World

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> tuple[int, Any]:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _partnership(world: World, name: str) -> Partnership:
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": name, "purpose": "Kompetanse"},
        organisations=[world.a.org, world.b.org],
    )
    partnerships.party_accept(actor=world.b.admin, party=p.parties.get(organisation=world.b.org))
    return p


def _open(world: World, name: str, *, asked: bool = True) -> Round:
    """A partnership with an open round; ``world.a.viewer`` asked in it as a representative
    (or not asked at all)."""
    p = _partnership(world, name)
    Representative.objects.create(
        partnership=p,
        organisation=world.b.org,
        user=world.b.viewer,
        level=Level.OPERATIONAL,
    )
    if asked:
        Representative.objects.create(
            partnership=p,
            organisation=world.a.org,
            user=world.a.viewer,
            level=Level.OPERATIONAL,
        )
    return services.round_start(actor=world.a.admin, partnership=p)


def test_rounds_api_maps_only_the_page(pulse: Pulse, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = []
    for i in range(6):
        r = pulse.start()
        for user in pulse.side_a[: i % 3]:
            pulse.answer(r, user)
        answered.append(i % 3)
        pulse.close(r)
    mapped: list[int] = []

    def counting(r: Round) -> dict:
        mapped.append(r.pk)
        return original(r)

    original = api._round_out
    monkeypatch.setattr(api, "_round_out", counting)
    client = Client()
    client.force_login(pulse.world.a.viewer)
    n_small, response = _queries(client, "/api/v1/health/rounds?limit=2")
    body = response.json()
    assert body["count"] == 6
    assert [item["answered"] for item in body["items"]] == answered[::-1][:2]
    assert len(mapped) == 2 * 2  # two requests, two rows each: never every round
    for _ in range(4):
        r = pulse.start()
        pulse.close(r)
    n_large, response = _queries(client, "/api/v1/health/rounds?limit=2")
    assert response.json()["count"] == 10
    assert n_large == n_small


def test_my_surveys_cost_the_same_for_one_round_or_many(world: World) -> None:
    client = Client()
    client.force_login(world.a.viewer)
    first = _open(world, "P0")
    other = _open(world, "Not asked", asked=False)
    small, response = _queries(client, "/api/v1/health/my-surveys")
    assert [s["round"]["id"] for s in response.json()] == [first.pk]
    assert response.json()[0]["items"]
    small_page, page = _queries(client, "/health/")
    html = page.content.decode()
    assert f"/health/rounds/{first.pk}/answer/" in html
    assert f"/health/rounds/{other.pk}/answer/" not in html
    more = [_open(world, f"P{i}") for i in range(1, 4)]
    large, response = _queries(client, "/api/v1/health/my-surveys")
    assert sorted(s["round"]["id"] for s in response.json()) == sorted(
        [first.pk] + [r.pk for r in more]
    )
    assert all(s["items"] for s in response.json())
    assert large == small
    assert _queries(client, "/health/")[0] == small_page


def test_my_open_rounds_follow_who_is_asked(world: World) -> None:
    asked = _open(world, "Asked")
    not_asked = _open(world, "Not asked", asked=False)
    assert selectors.my_open_rounds(world.a.viewer) == [asked]
    # A liaison is asked when a member of an accepted party.
    Liaison.objects.create(partnership=not_asked.partnership, user=world.a.editor)
    assert {r.pk for r in selectors.my_open_rounds(world.a.editor)} == {not_asked.pk}
    # Answered rounds, closed rounds and inactive people are not asked.
    services.round_answer(
        actor=world.a.viewer,
        round_=asked,
        values={i.code: 4 for i in selectors.answer_form_items(asked) if i.kind == "scale"},
        free_text="",
    )
    assert selectors.my_open_rounds(world.a.viewer) == []
    services.round_close(actor=None, round_=not_asked)
    assert selectors.my_open_rounds(world.a.editor) == []
    # Without a membership in an accepted party, a liaison is not asked.
    outsider_round = _open(world, "Outsider liaison", asked=False)
    Liaison.objects.create(partnership=outsider_round.partnership, user=world.outsider)
    assert selectors.my_open_rounds(world.outsider) == []
