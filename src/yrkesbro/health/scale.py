"""National-scale synthetic collaboration and survey data, for benchmarks (``seed-scale``).

At factor F: round(5000·F) partnerships between a municipality and a school (a fagskole
or an upper-secondary school), each with one forum; round(50000·F) meetings over the last
two years; an agreement for about a third of the partnerships; and round(20000·F)
anonymous survey responses (ten answers each) in closed rounds. Everything is named
"Syntetisk …" and marked demo. Rows are bulk-created and bypass the services on purpose.

Assumes the register (counties, municipalities, fagskoler) is loaded. Each run creates
only what is missing up to the factor, so running twice adds nothing. Participation rows
are not made: nothing a page reads depends on them, and synthetic answers have no author.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yrkesbro.collaboration.models import (
    Agreement,
    AgreementStatus,
    Bindingness,
    Cadence,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
)
from yrkesbro.health.models import Answer, ItemKind, Response, Round, Trigger
from yrkesbro.health.services import current_item_set
from yrkesbro.organisations.models import Kind, Organisation

PARTNERSHIPS = 5000
MEETINGS = 50000
RESPONSES = 20000
PER_ROUND = 8  # responses per round, split over the two sides
BATCH = 2000
PREFIX = "Syntetisk samarbeid"
MEETING_TITLE = "Syntetisk møte"


def _row_rng(base: int, step: str, index: int) -> random.Random:
    return random.Random(f"{base}:{step}:{index}")  # noqa: S311 - test data, not secrets


def seed(*, factor: float, rng: random.Random, progress: Callable[[str, int], None]) -> None:
    base = rng.randrange(2**31)
    progress("health partnerships", _partnerships(round(PARTNERSHIPS * factor), base))
    progress("health meetings", _meetings(round(MEETINGS * factor), base))
    progress("health responses", _responses(round(RESPONSES * factor), base))


@transaction.atomic
def _partnerships(total: int, base: int) -> int:
    existing = Partnership.objects.filter(name__startswith=PREFIX).count()
    if existing >= total:
        return 0
    munis = list(Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("number"))
    schools = list(
        Organisation.objects.filter(kind__in=[Kind.FAGSKOLE, Kind.UPPER_SECONDARY_SCHOOL]).order_by(
            "id"
        )
    )
    if not munis or not schools:
        return 0
    new = []
    for i in range(existing + 1, total + 1):
        r = _row_rng(base, "partnership", i)
        new.append(
            Partnership(
                name=f"{PREFIX} {i:05d}",
                purpose="Syntetisk samarbeid for ytelsestester.",
                bindingness=r.choice(Bindingness.values),
                is_active=r.random() < 0.9,
                is_demo=True,
            )
        )
    made = Partnership.objects.bulk_create(new, batch_size=BATCH)
    today = date.today()
    parties, forums, agreements = [], [], []
    for p in made:
        i = int(p.name.rsplit(" ", 1)[1])
        r = _row_rng(base, "partnership", i)
        r.random()
        muni = munis[min(len(munis) - 1, int(len(munis) * r.random() ** 2))]
        school = r.choice(schools)
        parties += [
            PartnershipParty(partnership=p, organisation=muni),
            PartnershipParty(partnership=p, organisation=school),
        ]
        forums.append(
            Forum(
                partnership=p,
                name=f"Forum {i:05d}",
                mandate="Syntetisk",
                cadence=r.choice(Cadence.values),
                started_on=today - timedelta(days=r.randint(30, 900)),
                is_demo=True,
            )
        )
        if r.random() < 0.35:
            agreements.append(
                Agreement(
                    partnership=p,
                    title="Syntetisk avtale",
                    status=r.choice(
                        [
                            AgreementStatus.ACTIVE,
                            AgreementStatus.RENEWAL,
                            AgreementStatus.EXPIRED,
                            AgreementStatus.DRAFT,
                        ]
                    ),
                )
            )
    PartnershipParty.objects.bulk_create(parties, batch_size=BATCH)
    Forum.objects.bulk_create(forums, batch_size=BATCH)
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    return len(made)


@transaction.atomic
def _meetings(total: int, base: int) -> int:
    existing = Meeting.objects.filter(title__startswith=MEETING_TITLE).count()
    forums = list(
        Forum.objects.filter(partnership__name__startswith=PREFIX)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if existing >= total or not forums:
        return 0
    now = timezone.now()
    rows = []
    for i in range(existing + 1, total + 1):
        r = _row_rng(base, "meeting", i)
        start = now - timedelta(days=r.randint(-90, 730), hours=r.randint(0, 8))
        rows.append(
            Meeting(
                forum_id=forums[min(len(forums) - 1, int(len(forums) * r.random() ** 1.5))],
                title=f"{MEETING_TITLE} {i:06d}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                status=MeetingStatus.PLANNED
                if start > now
                else r.choice([MeetingStatus.HELD] * 9 + [MeetingStatus.CANCELLED]),
                generated=True,
            )
        )
    Meeting.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@transaction.atomic
def _responses(total: int, base: int) -> int:
    item_set = current_item_set()
    items = [i for i in item_set.items.all() if i.kind == ItemKind.SCALE]
    existing = Response.objects.filter(round__partnership__name__startswith=PREFIX).count()
    parties: dict[int, list[int]] = {}
    for pid, org in PartnershipParty.objects.filter(
        partnership__name__startswith=PREFIX
    ).values_list("partnership_id", "organisation_id"):
        parties.setdefault(pid, []).append(org)
    ids = sorted(pid for pid, orgs in parties.items() if len(orgs) >= 2)
    if existing >= total or not ids:
        return 0
    now = timezone.now()
    made = 0
    index = existing // PER_ROUND
    while existing + made < total:
        index += 1
        r = _row_rng(base, "round", index)
        pid = ids[(index * 7919) % len(ids)]
        opened = now - timedelta(days=r.randint(30, 700))
        round_ = Round.objects.create(
            partnership_id=pid,
            item_set=item_set,
            trigger=Trigger.CADENCE,
            opened_at=opened,
            closes_on=timezone.localdate(opened) + timedelta(days=21),
            closed_at=opened + timedelta(days=21),
            is_demo=True,
        )
        count = min(PER_ROUND, total - existing - made)
        responses = [
            Response(round=round_, organisation_id=parties[pid][n % 2]) for n in range(count)
        ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(
            [
                Answer(
                    response=resp,
                    item=item,
                    value=None if r.random() < 0.05 else r.randint(1, 5),
                )
                for resp in responses
                for item in items
            ],
            batch_size=BATCH,
        )
        made += count
    return made
