"""Nobody can recover one person's answer: not from pages, API, exports or the log.

An attacker who knows who answered tries to difference two overlapping groups (the
figures before and after one more person answers; a side with and without a hidden
small side in the region's figures) and two rounds. Every attempt must come out empty.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yrkesbro.core.models import AuditEntry
from yrkesbro.health import indicators, selectors
from yrkesbro.health.models import Response
from yrkesbro.health.tests.conftest import Pulse
from yrkesbro.testing import CountyFactory

pytestmark = pytest.mark.django_db

SECRET = 1  # the value the victim gives; everyone else gives 4


def everything_published(pulse: Pulse, client: Client) -> dict[str, str]:
    """Every page, API answer and export a party member or the public can read."""
    p = pulse.partnership
    client.force_login(pulse.world.a.viewer)
    out = {
        "page": client.get(f"/health/partnerships/{p.pk}/").content.decode(),
        "api": client.get(f"/api/v1/health/partnerships/{p.pk}/divergence").content.decode(),
        "rounds": client.get("/api/v1/health/rounds").content.decode(),
    }
    indicators.refresh()
    for url in (
        "/health/indicators/data.json",
        "/health/indicators/data.csv",
        "/api/v1/indicators",
    ):
        body = client.get(url).content.decode()
        out[url] = body.split('"computed"')[0]  # the refresh time differs, nothing else may
    return out


def strip_times(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "computed" not in line)


def test_one_more_answer_in_an_open_round_changes_nothing_anyone_can_read(pulse: Pulse) -> None:
    """Group {a,b,c} versus {a,b,c,victim}: nothing shown differs while the round is open."""
    client = Client()
    round_ = pulse.start()
    for user in pulse.side_a[:3] + pulse.side_b[:3]:
        pulse.answer(round_, user)
    before = everything_published(pulse, client)
    victim = pulse.side_a[3]
    pulse.answer(round_, victim, communication=SECRET, free_text="Hemmelig hilsen")
    after = everything_published(pulse, client)
    changed = {k for k in before if strip_times(before[k]) != strip_times(after[k])}
    # Only the count of answers may move ("4 people have answered"), never a figure.
    assert changed <= {"page", "rounds"}
    assert "Hemmelig hilsen" not in "".join(after.values())
    div = selectors.divergence(pulse.partnership)
    assert div.latest is None and div.rows == []


def test_a_side_below_the_threshold_is_left_out_of_every_figure(pulse: Pulse) -> None:
    """Region total minus the visible side would expose a small side: it is not in the total."""
    county = CountyFactory(number="93")
    pulse.world.a.org.county = county
    pulse.world.b.org.county = county
    pulse.world.a.org.save()
    pulse.world.b.org.save()
    round_ = pulse.start()
    for user in pulse.side_a[:3]:
        pulse.answer(round_, user, communication=4)
    for user in pulse.side_b[:2]:  # two people: below the threshold of three
        pulse.answer(round_, user, communication=SECRET, free_text="Bare to av oss")
    pulse.close(round_)
    div = selectors.divergence(pulse.partnership)
    row = next(r for r in div.rows if r.code == "communication")
    shown = dict(zip([s.organisation_id for s in div.sides], row.averages, strict=True))
    assert shown == {pulse.world.a.org.pk: 4.0, pulse.world.b.org.pk: None}
    assert row.gap is None
    assert div.free_texts == []
    tallies = indicators.compute()
    tally = tallies["pulse:communication"]
    # The county and the nation hold exactly side A's three answers: differencing yields nothing.
    assert (tally.num[county.pk], tally.den[county.pk]) == (12, 3)
    assert (tally.num[None], tally.den[None]) == (12, 3)


def test_an_item_with_too_few_values_is_hidden_even_when_the_side_is_large_enough(
    pulse: Pulse,
) -> None:
    round_ = pulse.start()
    for user in pulse.side_a[:3]:
        pulse.answer(round_, user)
    pulse.answer(round_, pulse.side_b[0], commitments=SECRET)
    for user in pulse.side_b[1:3]:
        pulse.answer(round_, user, commitments=None)  # don't know
    pulse.close(round_)
    div = selectors.divergence(pulse.partnership)
    commitments = next(r for r in div.rows if r.code == "commitments")
    assert (
        commitments.averages[[s.organisation_id for s in div.sides].index(pulse.world.b.org.pk)]
        is None
    )
    tally = indicators.compute()["pulse:commitments"]
    assert (tally.num[None], tally.den[None]) == (12, 3)  # side A only


def test_two_rounds_with_overlapping_people_do_not_reveal_the_newcomer(pulse: Pulse) -> None:
    """Round 1: a, b, c. Round 2: a, b, c and the victim. The stored rows give no way to tell
    which answer in round 2 is the victim's, and the figures are per round and side only."""
    first = pulse.start()
    for user in pulse.side_a[:3] + pulse.side_b[:3]:
        pulse.answer(first, user)
    pulse.close(first)
    second = pulse.start()
    for user in pulse.side_a[:3] + pulse.side_b[:3]:
        pulse.answer(second, user)
    pulse.answer(second, pulse.side_a[3], communication=SECRET)
    pulse.close(second)
    # The answers in round 2 are a set with no order of arrival: random keys, no times.
    responses = list(Response.objects.filter(round=second, organisation=pulse.world.a.org))
    assert len(responses) == 4
    keys = [r.pk for r in responses]
    assert all(k.version == 4 for k in keys)  # random UUIDs, not a sequence
    # Nothing in the audit log or in the participation rows carries a value.
    entries = AuditEntry.objects.exclude(action="health.item_set_create")
    assert entries.filter(action="health.participate").count() == 13
    logged = json.dumps(list(entries.values("before", "after", "object_repr")))
    assert "communication" not in logged and '"value"' not in logged
    div = selectors.divergence(pulse.partnership)
    history = div.history["communication"]
    side = [s.organisation_id for s in div.sides].index(pulse.world.a.org.pk)
    # The figure is the side's average of four answers; which one is the victim's is unknowable
    # from what is shown (a round-1-to-round-2 difference is four new answers, not one).
    assert [p.averages[side] for p in history] == [4.0, 3.25]
    assert div.sides[side].respondents == 4


def test_free_text_is_shown_without_author_only_above_the_threshold(pulse: Pulse) -> None:
    round_ = pulse.start()
    texts = ["Zebra", "Alfa", "Mellom"]
    for user, text in zip(pulse.side_a[:3], texts, strict=True):
        pulse.answer(round_, user, free_text=text)
    pulse.close(round_)
    div = selectors.divergence(pulse.partnership)
    # Sorted by text, not by when or by whom.
    assert div.free_texts == [(pulse.world.a.org.name, t) for t in sorted(texts)]
    client = Client()
    client.force_login(pulse.world.b.viewer)
    page = client.get(f"/health/partnerships/{pulse.partnership.pk}/").content.decode()
    for user in pulse.side_a:
        assert user.username not in page and user.full_name not in page
