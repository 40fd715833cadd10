"""A partnership between the two sides of the test world, with four representatives a side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import Level, Partnership, Representative
from yrkesbro.collaboration.services import partnerships
from yrkesbro.core.policies import Role
from yrkesbro.health import services
from yrkesbro.health.models import Round
from yrkesbro.testing import MembershipFactory, UserFactory, World

CODES = [
    "shared_goal",
    "responsibilities",
    "communication",
    "joint_decisions",
    "commitments",
    "practical",
    "fit",
    "worth_it",
    "synergy",
    "recommend",
]


def values(default: int | None = 4, **changes: int | None) -> dict[str, int | None]:
    return {code: changes.get(code, default) for code in CODES}


@dataclass
class Pulse:
    world: World
    partnership: Partnership
    side_a: list[User] = field(default_factory=list)
    side_b: list[User] = field(default_factory=list)

    def start(self) -> Round:
        return services.round_start(actor=self.world.a.admin, partnership=self.partnership)

    def answer(self, round_: Round, user: User, **kwargs: Any) -> None:
        free_text = kwargs.pop("free_text", "")
        default = kwargs.pop("default", 4)
        services.round_answer(
            actor=user, round_=round_, values=values(default, **kwargs), free_text=free_text
        )

    def close(self, round_: Round) -> Round:
        return services.round_close(actor=None, round_=round_)


@pytest.fixture
def pulse(world: World) -> Pulse:
    p = partnerships.partnership_create(
        actor=world.a.editor,
        data={"name": "Alfa–Beta", "purpose": "Kompetanse i helse"},
        organisations=[world.a.org, world.b.org],
    )
    # Consent: the other organisation's admin accepts the invitation to be a party.
    invited = p.parties.get(organisation=world.b.org)
    partnerships.party_accept(actor=world.b.admin, party=invited)
    result = Pulse(world=world, partnership=p)
    for side, members in ((world.a, result.side_a), (world.b, result.side_b)):
        extra = cast(User, UserFactory(username=f"{side.org.name.split()[0].lower()}-extra"))
        MembershipFactory(user=extra, organisation=side.org, role=Role.VIEWER)
        for user in (side.admin, side.editor, side.viewer, extra):
            Representative.objects.create(
                partnership=p, organisation=side.org, user=user, level=Level.OPERATIONAL
            )
            members.append(user)
    return result
