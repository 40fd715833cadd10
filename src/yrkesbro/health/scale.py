"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): pulse surveys.

At factor 1: 20,000 anonymous survey responses (one value for each scale item of the
current item set, about ten each, so some 200,000 answers) in 2,500 closed rounds of eight
responses, four from each of the first two parties of a synthetic partnership of the
collaboration step, over the last two years; then the public indicators as the worker
keeps them. Rounds are ``is_demo``; the partnerships are those marked ``(syntetisk n)``.

Round n is drawn from its own random stream (``scale.rng("survey_rounds", n)``), so a seed
gives the same rounds at any factor; the step counts the synthetic rounds that exist and
adds the rest. Participation rows are not made: nothing a page reads depends on them, and
synthetic answers have no author.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from yrkesbro.collaboration.models import PartnershipParty
from yrkesbro.collaboration.scale import MARK as PARTNERSHIP_MARK
from yrkesbro.core.scale import BATCH, Scale, Step, indexed_rows
from yrkesbro.health.models import (
    Answer,
    IndicatorValue,
    ItemKind,
    Response,
    Round,
    Trigger,
)
from yrkesbro.health.services import current_item_set

RESPONSES = 20_000
PER_ROUND = 8  # responses per round, split over the two sides (threshold 3 per side)
CHUNK = 250  # rounds per round of bulk inserts


def _synthetic_rounds():  # type: ignore[no-untyped-def]
    return Round.objects.filter(is_demo=True, partnership__name__contains=PARTNERSHIP_MARK)


def step_survey_rounds(scale: Scale) -> int:
    """Closed rounds n = 1 … ceil(20,000·F / 8) with their responses and answers."""
    total = -(-scale.count(RESPONSES) // PER_ROUND)
    done = _synthetic_rounds().count()
    if done >= total:
        return 0
    parties: dict[int, list[int]] = {}
    for partnership, org in (
        PartnershipParty.objects.accepted()
        .filter(partnership__name__contains=PARTNERSHIP_MARK)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "organisation_id")
    ):
        parties.setdefault(partnership, []).append(org)
    partnerships = sorted(pk for pk, orgs in parties.items() if len(orgs) >= 2)
    if not partnerships:
        return 0
    item_set = current_item_set()
    items = [item for item in item_set.items.order_by("pk") if item.kind == ItemKind.SCALE]
    now = dt.datetime.combine(scale.today, dt.time(12, 0), tzinfo=dt.UTC)
    made = 0
    rounds: list[Round] = []
    draws: list[tuple[random.Random, list[int]]] = []

    def flush() -> None:
        nonlocal made
        created = Round.objects.bulk_create(rounds, batch_size=BATCH)
        responses: list[Response] = []
        values: list[tuple[Response, random.Random]] = []
        for round_, (rng, orgs) in zip(created, draws, strict=True):
            for n in range(PER_ROUND):
                response = Response(round=round_, organisation_id=orgs[n % 2])
                responses.append(response)
                values.append((response, rng))
        Response.objects.bulk_create(responses, batch_size=BATCH)
        Answer.objects.bulk_create(
            (
                Answer(
                    response=response,
                    item=item,
                    value=None if rng.random() < 0.05 else rng.randint(1, 5),
                )
                for response, rng in values
                for item in items
            ),
            batch_size=BATCH,
        )
        made += len(created)
        rounds.clear()
        draws.clear()

    for _i, rng in indexed_rows(scale, "survey_rounds", done, total):
        partnership = partnerships[rng.randrange(len(partnerships))]
        opened = now - dt.timedelta(days=rng.randint(30, 700))
        rounds.append(
            Round(
                partnership_id=partnership,
                item_set=item_set,
                trigger=Trigger.CADENCE,
                opened_at=opened,
                closes_on=opened.date() + dt.timedelta(days=21),
                closed_at=opened + dt.timedelta(days=21),
                reminded_at=opened + dt.timedelta(days=14),
                is_demo=True,
            )
        )
        draws.append((rng, parties[partnership]))
        if len(rounds) >= CHUNK:
            flush()
    flush()
    return made


def step_indicators(scale: Scale) -> int:
    """The public indicators by county and for the nation, as the worker keeps them."""
    from yrkesbro.health import indicators

    if not scale.changed and IndicatorValue.objects.exists():
        return 0
    return indicators.refresh()


def counts() -> dict[str, int]:
    rounds = _synthetic_rounds()
    return {
        "survey_rounds": rounds.count(),
        "survey_responses": Response.objects.filter(round__in=rounds).count(),
    }


STEPS = [Step("survey_rounds", step_survey_rounds), Step("indicators", step_indicators)]


def seed(
    *,
    factor: float,
    rng: random.Random | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """The steps the indicators read (organisations and users, partnerships with forums
    and meetings, surveys) without the catalogue, needs and matching (bench/health.py).

    ``rng`` is not used: every row has its own stream from seed-scale's seed.
    """
    from yrkesbro.collaboration.scale import STEPS as COLLABORATION_STEPS
    from yrkesbro.core.scale import STEPS as CORE_STEPS
    from yrkesbro.core.scale import seed_scale

    report = (lambda r: progress(r.name, r.created)) if progress else (lambda r: None)
    seed_scale(factor, steps=[*CORE_STEPS, *COLLABORATION_STEPS, *STEPS], report=report)
