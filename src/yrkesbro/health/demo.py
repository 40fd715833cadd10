"""Demo pulse surveys and indicator history (idempotent, everything marked demo).

Two of the collaboration demo's partnerships get three closed rounds each: in
"Gjøvik kommune og Fagskolen Innlandet" the sides disagree widely on communication and
commitments; in the Innlandet fagskole network they agree. Gjøvik's partnership also has
an open round that demo-kommune and demo-fagskole have not answered yet. Fictional
colleagues (``demo-puls-*``, no usable password) make up the three-per-side threshold.
Earlier quarters of the indicators are demo figures (most counties low, Innlandet higher);
the current quarter is computed from the platform's data.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from yrkesbro.accounts.models import Membership, User
from yrkesbro.collaboration.models import Level, Partnership, Representative
from yrkesbro.core.policies import Role
from yrkesbro.health import indicators
from yrkesbro.health.indicators import SHARES
from yrkesbro.health.models import (
    Answer,
    IndicatorValue,
    ItemKind,
    Participation,
    Response,
    Round,
    Trigger,
)
from yrkesbro.health.services import current_item_set, respondents
from yrkesbro.organisations.models import Kind, Organisation

GAP_NAME = "Gjøvik kommune og Fagskolen Innlandet – helse og omsorg"
AGREE_NAME = "Fagnettverk for fagskoletilbud i Innlandet"
INNLANDET = "34"
GAP_ITEMS = {"communication", "commitments"}

FREE_TEXTS = {
    GAP_NAME: [
        "Vi hører for sjelden fra fagskolen mellom møtene.",
        "Avtalte studieplasser kom senere enn lovet.",
        "Fint samarbeid om praksis, men mer faste møter trengs.",
    ],
    AGREE_NAME: [
        "Nettverket fungerer godt; fortsett med kvartalsvise møter.",
        "Nyttig å se fylkets strategi og tilbudet samlet.",
    ],
}


def _colleague(username: str, full_name: str, org: Organisation) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": f"{username}@yrkesbro.invalid"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Role.VIEWER})
    return user


def _representative(p: Partnership, org: Organisation, user: User | None, title: str) -> None:
    if user is None or not Membership.objects.filter(user=user, organisation=org).exists():
        return
    Representative.objects.get_or_create(
        partnership=p,
        organisation=org,
        user=user,
        level=Level.OPERATIONAL,
        defaults={"title": title},
    )


def _fill(p: Partnership, extra: int) -> None:
    """Up to ``extra`` fictional colleagues per party, as operational representatives."""
    for party in p.parties.select_related("organisation"):
        org = party.organisation
        for n in range(1, extra + 1):
            user = _colleague(
                f"demo-puls-{org.pk}-{n}", f"Kollega {n} ({org.name[:40]}, demo)", org
            )
            _representative(p, org, user, "Deltaker i pulsmåling (demo)")


def _value(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.05:
        return None  # don't know
    return max(1, min(5, round(rng.gauss(mean, 0.35))))


def _answer(
    round_: Round, user_id: int, side: int, means: dict[str, float], rng: random.Random, text: str
) -> None:
    Participation.objects.create(round=round_, organisation_id=side, user_id=user_id)
    response = Response.objects.create(round=round_, organisation_id=side, free_text=text)
    items = [i for i in round_.item_set.items.all() if i.kind == ItemKind.SCALE]
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=_value(rng, means[item.code])) for item in items
    )


def _rounds(p: Partnership, *, gap: bool, rng: random.Random) -> None:
    item_set = current_item_set()
    codes = [i.code for i in item_set.items.all() if i.kind == ItemKind.SCALE]
    people = respondents(p)
    sides = sorted({side for _u, side in people.values()})
    if len(sides) < 2:
        return
    school_side = next(
        (s for s in sides if Organisation.objects.filter(pk=s, kind=Kind.FAGSKOLE).exists()),
        sides[-1],
    )
    now = timezone.now()
    for k, months in enumerate((18, 12, 6)):
        opened = now - timedelta(days=round(months * 30.4))
        round_ = Round.objects.create(
            partnership=p,
            item_set=item_set,
            trigger=Trigger.CADENCE,
            opened_at=opened,
            closes_on=timezone.localdate(opened) + timedelta(days=21),
            closed_at=opened + timedelta(days=21),
            reminded_at=opened + timedelta(days=10),
            is_demo=True,
        )
        texts = list(FREE_TEXTS.get(p.name, []))
        for user_id, (_user, side) in sorted(people.items()):
            means = {}
            for code in codes:
                base = 3.9 + 0.1 * k
                if gap and code in GAP_ITEMS:
                    base = 4.5 if side == school_side else 2.0 + 0.2 * k
                means[code] = base
            text = texts.pop() if texts and rng.random() < 0.6 else ""
            _answer(round_, user_id, side, means, rng, text)
    if gap:
        # An open round: the fictional colleagues answered, the demo users have not.
        opened = now - timedelta(days=3)
        round_ = Round.objects.create(
            partnership=p,
            item_set=item_set,
            trigger=Trigger.MANUAL,
            opened_at=opened,
            closes_on=timezone.localdate(opened) + timedelta(days=21),
            is_demo=True,
        )
        for user_id, (user, side) in sorted(people.items()):
            if user.username.startswith("demo-puls-"):
                means = dict.fromkeys(codes, 4.5 if side == school_side else 2.4)
                _answer(round_, user_id, side, means, rng, "")


def _indicator_history(rng: random.Random) -> None:
    """Four earlier quarters per county and for the nation, marked demo."""
    IndicatorValue.objects.filter(is_demo=True).delete()
    today = timezone.localdate()
    periods = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        periods.append(f"{year}-Q{quarter}")
    counties = list(Organisation.objects.filter(kind=Kind.COUNTY))
    munis = dict(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        .values("county_id")
        .annotate(n=Count("id"))
        .values_list("county_id", "n")
    )
    rows = []
    now = timezone.now()
    for age, period in enumerate(sorted(periods)):
        national: dict[str, list[float]] = {str(c.value): [0.0, 0.0] for c in SHARES}
        for county in counties:
            den = float(munis.get(county.pk, 0) or 10)
            for share_code in SHARES:
                code = str(share_code.value)
                high = county.number == INNLANDET
                share = (0.12 if high else 0.02) + 0.02 * age + rng.uniform(0, 0.04)
                num = float(round(den * share))
                national[code][0] += num
                national[code][1] += den
                rows.append(
                    IndicatorValue(
                        code=code,
                        county=county,
                        period=period,
                        value=num / den,
                        numerator=num,
                        denominator=den,
                        computed_at=now,
                        is_demo=True,
                    )
                )
        for code, (num, den) in national.items():
            rows.append(
                IndicatorValue(
                    code=code,
                    county=None,
                    period=period,
                    value=num / den if den else None,
                    numerator=num,
                    denominator=den,
                    computed_at=now,
                    is_demo=True,
                )
            )
    IndicatorValue.objects.bulk_create(rows)


@transaction.atomic
def load() -> None:
    rng = random.Random(20261130)  # noqa: S311 - demo data, not secrets
    current_item_set()
    if not Round.objects.filter(is_demo=True).exists():
        gap = Partnership.objects.filter(is_demo=True, name=GAP_NAME).first()
        agree = Partnership.objects.filter(is_demo=True, name=AGREE_NAME).first()
        fagskole = User.objects.filter(username="demo-fagskole").first()
        for p, is_gap in ((gap, True), (agree, False)):
            if p is None:
                continue
            for party in p.parties.select_related("organisation"):
                if party.organisation.kind == Kind.FAGSKOLE:
                    _representative(p, party.organisation, fagskole, "Studieleder helse")
            _fill(p, 3)
            _rounds(p, gap=is_gap, rng=rng)
    _indicator_history(rng)
    indicators.refresh()
