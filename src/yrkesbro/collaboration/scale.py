"""This app's part of ``yrkesbro seed-scale`` (see ``core/scale.py``): partnerships between
municipalities and the synthetic schools, with everything that hangs on them.

At factor 1: 5,000 partnerships (a municipality and a school, one in four also a company or
training office), each with a strategic representative per party where the party has
members, one to two competence areas, two logged contacts, one agreement (versions,
commitments and signatures as its status implies), and two forums with five meetings
each (10,000 forums, 50,000 meetings): three in the past (held, with attendance, a
decision and an action item, or cancelled) and two planned. Municipalities are chosen
with a skew, so a few take part in hundreds of partnerships.

One step makes a partnership and all its rows, so a run that stopped part-way, or a larger
factor, adds whole partnerships. Synthetic partnerships carry ``(syntetisk n)`` in
their name.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from yrkesbro.accounts.models import Membership
from yrkesbro.collaboration.models import (
    CADENCE_MONTHS,
    ActionItem,
    ActionStatus,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Bindingness,
    Cadence,
    Commitment,
    ContactEntry,
    ContactKind,
    Decision,
    Forum,
    Level,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
    Representative,
    Signature,
)
from yrkesbro.core.scale import (
    NAME_PREFIX,
    USERNAME_PREFIX,
    Scale,
    Step,
    indexed_rows,
    skewed_index,
)
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea

PARTNERSHIPS = 5000
FORUMS_PER_PARTNERSHIP = 2
PAST_MEETINGS, PLANNED_MEETINGS = 3, 2
CHUNK = 250  # partnerships written per round of bulk inserts
MARK = " (syntetisk "
SIGNED = (
    AgreementStatus.SIGNED,
    AgreementStatus.ACTIVE,
    AgreementStatus.RENEWAL,
    AgreementStatus.EXPIRED,
)
AGREEMENT_MIX = (
    (AgreementStatus.DRAFT, 2),
    (AgreementStatus.SENT, 1),
    (AgreementStatus.ACTIVE, 5),
    (AgreementStatus.RENEWAL, 1),
    (AgreementStatus.EXPIRED, 1),
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


class World:
    """What every partnership draws from: organisations and the synthetic members of each."""

    def __init__(self) -> None:
        orgs = Organisation.objects.order_by("pk")
        self.municipalities = list(
            orgs.filter(kind=Kind.MUNICIPALITY).order_by("number").values_list("pk", "name")
        )
        synthetic = orgs.filter(is_demo=True, name__startswith=f"{NAME_PREFIX} ")
        self.schools = list(
            synthetic.filter(kind__in=[Kind.UPPER_SECONDARY_SCHOOL, Kind.FAGSKOLE])
            .order_by("name")
            .values_list("pk", "name")
        )
        self.companies = list(
            synthetic.filter(kind__in=[Kind.COMPANY, Kind.TRAINING_OFFICE])
            .order_by("name")
            .values_list("pk", "name")
        )
        self.members: dict[int, list[int]] = {}
        for org, user in (
            Membership.objects.filter(user__username__startswith=USERNAME_PREFIX)
            .order_by("organisation_id", "user_id")
            .values_list("organisation_id", "user_id")
        ):
            self.members.setdefault(org, []).append(user)
        self.areas = list(CompetenceArea.objects.order_by("code").values_list("pk", flat=True))


def _one(scale: Scale, world: World, i: int, rng: random.Random, out: dict[str, list]) -> None:
    """Partnership ``i`` and all its rows, appended to ``out`` (model name → unsaved rows).

    Rows that point at rows made here are linked through attributes set in ``_write``.
    """
    muni = world.municipalities[skewed_index(rng, len(world.municipalities))]
    school = world.schools[rng.randrange(len(world.schools))]
    parties = [muni, school]
    if world.companies and rng.random() < 0.25:
        parties.append(world.companies[rng.randrange(len(world.companies))])
    agreement_status = rng.choices(AGREEMENT_MIX, weights=[m[1] for m in AGREEMENT_MIX])[0][0]
    bindingness = (
        Bindingness.WRITTEN
        if agreement_status in SIGNED
        else rng.choice([Bindingness.INFORMAL, Bindingness.CADENCE])
    )
    partnership = Partnership(
        name=f"Samarbeid {muni[1]} og {school[1]}{MARK}{i:05d})",
        purpose="Syntetisk samarbeid om kompetanse og studieplasser for ytelsestester.",
        bindingness=bindingness,
        is_public=rng.random() < 0.8,
        is_demo=True,
    )
    out["partnerships"].append(partnership)
    people = []
    for org, _name in parties:
        out["parties"].append((partnership, PartnershipParty(organisation_id=org)))
        members = world.members.get(org, [])
        if members:
            user = members[rng.randrange(len(members))]
            people.append(user)
            out["representatives"].append(
                (
                    partnership,
                    Representative(organisation_id=org, user_id=user, level=Level.STRATEGIC),
                )
            )
    if world.areas:
        for area in rng.sample(world.areas, min(len(world.areas), rng.randint(1, 2))):
            out["areas"].append((partnership, area))
    for n in range(2):
        out["contacts"].append(
            (
                partnership,
                ContactEntry(
                    kind=rng.choice([ContactKind.CALL, ContactKind.MESSAGE, ContactKind.VISIT]),
                    happened_on=scale.today - dt.timedelta(days=rng.randint(1, 400)),
                    summary=f"Syntetisk kontakt {n + 1}.",
                ),
            )
        )
    # The agreement, its first version, and commitments and signatures per party.
    years = dt.timedelta(days=365 * rng.randint(1, 3))
    if agreement_status == AgreementStatus.EXPIRED:
        ends = scale.today - dt.timedelta(days=rng.randint(1, 60))
        starts = ends - years
    elif agreement_status == AgreementStatus.RENEWAL:
        ends = scale.today + dt.timedelta(days=rng.randint(10, 80))
        starts = ends - years
    elif agreement_status in SIGNED:
        starts = scale.today - dt.timedelta(days=rng.randint(30, 900))
        ends = max(starts + years, scale.today + dt.timedelta(days=100))
    else:
        starts = scale.today + dt.timedelta(days=rng.randint(10, 60))
        ends = starts + years
    agreement = Agreement(title="Samarbeidsavtale", status=agreement_status)
    version = AgreementVersion(
        number=1,
        purpose="Partene samarbeider om kompetanseheving i helse og oppvekst.",
        meeting_cadence=Cadence.QUARTERLY,
        starts_on=starts,
        ends_on=ends,
    )
    out["agreements"].append((partnership, agreement))
    out["versions"].append((agreement, version))
    for org, _name in parties:
        out["commitments"].append(
            (version, Commitment(organisation_id=org, text="Delta på faste møter."))
        )
        members = world.members.get(org, [])
        if agreement_status in SIGNED and members:
            out["signatures"].append((version, Signature(organisation_id=org, user_id=members[0])))
    # Two forums with their meetings.
    for f in range(FORUMS_PER_PARTNERSHIP):
        cadence = rng.choice(list(CADENCE_MONTHS))
        months = CADENCE_MONTHS[cadence]
        forum = Forum(
            name=f"{'Fagråd' if f == 0 else 'Arbeidsgruppe'}{MARK}{i:05d}-{f + 1})",
            mandate="Følge opp kompetansebehov og studietilbud.",
            cadence=cadence,
            started_on=scale.today - dt.timedelta(days=30 * months * (PAST_MEETINGS + 1)),
            is_demo=True,
        )
        out["forums"].append((partnership, forum))
        for org, _name in parties:
            out["forum_orgs"].append((forum, org))
        for user in people:
            out["forum_people"].append((forum, user))
        for m in range(-PAST_MEETINGS, PLANNED_MEETINGS):
            day = scale.today + dt.timedelta(days=30 * months * m + rng.randint(-5, 5) + 1)
            past = m < 0
            held = past and rng.random() < 0.85
            meeting = Meeting(
                title=f"{forum.name} – møte",
                starts_at=_at(day, 13),
                ends_at=_at(day, 15),
                place="Rådhuset, møterom 2",
                agenda="1. Status siden sist\n2. Kompetansebehov\n3. Eventuelt",
                minutes="Partene gikk gjennom status for studieplasser." if held else "",
                status=(
                    MeetingStatus.HELD
                    if held
                    else MeetingStatus.CANCELLED
                    if past
                    else MeetingStatus.PLANNED
                ),
                generated=not past,
            )
            out["meetings"].append((forum, meeting))
            if held:
                for user in people:
                    out["attendance"].append((meeting, user))
                out["decisions"].append(
                    (meeting, Decision(text="Partene lager en felles oversikt over behov."))
                )
                if people:
                    done = rng.random() < 0.6
                    out["actions"].append(
                        (
                            meeting,
                            ActionItem(
                                title="Sende oversikt over kompetansebehov",
                                owner_id=people[rng.randrange(len(people))],
                                due_on=day + dt.timedelta(days=45),
                                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                                completed_at=_at(day, 16) if done else None,
                            ),
                        )
                    )


def _write(out: dict[str, list]) -> int:
    """Insert one chunk, parents first, setting each child's foreign key from its parent."""

    def linked(pairs: list[tuple[Any, Any]], attr: str) -> list[Any]:
        rows = []
        for parent, row in pairs:
            setattr(row, attr, parent.pk)
            rows.append(row)
        return rows

    n = len(Partnership.objects.bulk_create(out["partnerships"]))
    n += len(PartnershipParty.objects.bulk_create(linked(out["parties"], "partnership_id")))
    n += len(Representative.objects.bulk_create(linked(out["representatives"], "partnership_id")))
    through = Partnership.competence_areas.through
    n += len(
        through.objects.bulk_create(
            through(partnership_id=p.pk, competencearea_id=a) for p, a in out["areas"]
        )
    )
    n += len(ContactEntry.objects.bulk_create(linked(out["contacts"], "partnership_id")))
    n += len(Agreement.objects.bulk_create(linked(out["agreements"], "partnership_id")))
    n += len(AgreementVersion.objects.bulk_create(linked(out["versions"], "agreement_id")))
    n += len(Commitment.objects.bulk_create(linked(out["commitments"], "version_id")))
    n += len(Signature.objects.bulk_create(linked(out["signatures"], "version_id")))
    n += len(Forum.objects.bulk_create(linked(out["forums"], "partnership_id")))
    orgs = Forum.organisations.through
    n += len(
        orgs.objects.bulk_create(
            orgs(forum_id=f.pk, organisation_id=o) for f, o in out["forum_orgs"]
        )
    )
    people = Forum.people.through
    n += len(
        people.objects.bulk_create(
            people(forum_id=f.pk, user_id=u) for f, u in set(out["forum_people"])
        )
    )
    n += len(Meeting.objects.bulk_create(linked(out["meetings"], "forum_id"), batch_size=1000))
    attendees = Meeting.attendees.through
    n += len(
        attendees.objects.bulk_create(
            (attendees(meeting_id=m.pk, user_id=u) for m, u in set(out["attendance"])),
            batch_size=1000,
        )
    )
    n += len(Decision.objects.bulk_create(linked(out["decisions"], "meeting_id")))
    n += len(ActionItem.objects.bulk_create(linked(out["actions"], "meeting_id")))
    return n


def step_partnerships(scale: Scale) -> int:
    total = scale.count(PARTNERSHIPS)
    done = Partnership.objects.filter(name__contains=MARK).count()
    if done >= total:
        return 0
    world = World()
    if not world.schools or not world.municipalities:
        return 0
    keys = [
        "partnerships",
        "parties",
        "representatives",
        "areas",
        "contacts",
        "agreements",
        "versions",
        "commitments",
        "signatures",
        "forums",
        "forum_orgs",
        "forum_people",
        "meetings",
        "attendance",
        "decisions",
        "actions",
    ]
    made = 0
    out: dict[str, list] = {key: [] for key in keys}
    for i, rng in indexed_rows(scale, "partnerships", done, total):
        _one(scale, world, i, rng, out)
        if len(out["partnerships"]) >= CHUNK:
            made += _write(out)
            out = {key: [] for key in keys}
    if out["partnerships"]:
        made += _write(out)
    return made


def counts() -> dict[str, int]:
    partnerships = Partnership.objects.filter(name__contains=MARK)
    return {
        "partnerships": partnerships.count(),
        "forums": Forum.objects.filter(partnership__in=partnerships).count(),
        "meetings": Meeting.objects.filter(forum__partnership__in=partnerships).count(),
        "agreements": Agreement.objects.filter(partnership__in=partnerships).count(),
    }


STEPS = [Step("partnerships", step_partnerships)]
