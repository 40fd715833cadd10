"""A partnership between the two sides of the test world, with a forum and a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from yrkesbro.collaboration.models import Agreement, Forum, Meeting, Partnership
from yrkesbro.collaboration.services import agreements, meetings, partnerships
from yrkesbro.testing import World


@dataclass
class Setup:
    world: World
    partnership: Partnership
    forum: Forum
    meeting: Meeting

    def agreement(self, **changes: object) -> Agreement:
        data = {
            "purpose": "Samarbeid om helsefag",
            "meeting_cadence": "quarterly",
            "starts_on": date.today() - timedelta(days=10),
            "ends_on": date.today() + timedelta(days=365),
            "contacts": "Kari",
            "signatories": "Rådmann",
            **changes,
        }
        return agreements.agreement_create(
            actor=self.world.a.editor,
            partnership=self.partnership,
            title="Samarbeidsavtale",
            data=data,
            commitments={self.world.a.org.pk: "Frikjøp", self.world.b.org.pk: "Studieplasser"},
        )


@pytest.fixture
def setup(world: World) -> Setup:
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa–Beta", "purpose": "Kompetanse i helse"},
        organisations=[world.a.org, world.b.org],
    )
    # Beta was invited; its administrator accepts, so both sides take part.
    partnerships.party_accept(actor=world.b.admin, party=p.parties.get(organisation=world.b.org))
    forum = meetings.forum_create(
        actor=world.a.editor,
        partnership=p,
        data={
            "name": "Samarbeidsforum",
            "mandate": "Følge opp",
            "cadence": "quarterly",
            "started_on": date.today() - timedelta(days=400),
        },
        people=[world.a.viewer, world.b.viewer],
    )
    start = timezone.now() - timedelta(days=30)
    meeting = meetings.meeting_create(
        actor=world.a.editor,
        forum=forum,
        data={
            "title": "Møte 1",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "minutes": "Hemmelig referat",
            "status": "held",
        },
    )
    return Setup(world=world, partnership=p, forum=forum, meeting=meeting)
