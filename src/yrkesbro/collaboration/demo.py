"""Demo collaboration structures with a year of meeting history (idempotent).

Four structures around Gjøvik and Innlandet: two keep their cadence, two do
not; one has an agreement up for renewal, one a draft; one lacks operational
anchoring at the fagskole. Everything is marked as demo.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import (
    ActionItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Bindingness,
    Cadence,
    Commitment,
    ContactEntry,
    Decision,
    Forum,
    Meeting,
    MeetingStatus,
    Partnership,
    PartnershipParty,
    PartyStatus,
    Representative,
    Signature,
    StructureType,
)
from yrkesbro.collaboration.services.meetings import add_months
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea


def _org(kind: str, key: str) -> Organisation | None:
    qs = Organisation.objects.filter(kind=kind)
    return (qs.filter(number=key) | qs.filter(code=key) | qs.filter(name=key)).first()


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _at(day: Any, hour: int = 13) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _history(forum: Forum, held_months_ago: list[int], planned_ahead: int, people: list) -> None:
    """Held meetings ``held_months_ago``, plus planned ones for the next months."""
    today = timezone.localdate()
    for i, months in enumerate(sorted(held_months_ago, reverse=True), start=1):
        day = add_months(today, -months)
        meeting = Meeting.objects.create(
            forum=forum,
            title=f"{forum.name} – møte {i}",
            starts_at=_at(day),
            ends_at=_at(day, 15),
            place="Gjøvik rådhus, møterom 2" if i % 2 else "",
            video_url="" if i % 2 else "https://video.example.invalid/yrkesbro-demo",
            agenda="1. Status siden sist\n2. Kompetansebehov neste halvår\n3. Eventuelt",
            minutes=(
                "Partene gikk gjennom status for studieplasser og praksis. "
                "Kommunen melder økt behov innen demens og velferdsteknologi."
            ),
            status=MeetingStatus.HELD,
        )
        meeting.attendees.set([p for p in people if p])
        Decision.objects.create(
            meeting=meeting, text="Partene utarbeider felles oversikt over behov."
        )
        owner = people[i % len(people)] if people and people[i % len(people)] else None
        if owner:
            due = day + timedelta(days=45)
            ActionItem.objects.create(
                meeting=meeting,
                title=f"Følge opp punkt 2 fra møte {i}",
                owner=owner,
                due_on=due,
                status="done" if i % 3 else "open",
                completed_at=_at(due) if i % 3 else None,
            )
    step = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[forum.cadence]
    for n in range(1, planned_ahead + 1):
        day = add_months(today, step * n)
        Meeting.objects.create(
            forum=forum,
            title=f"{forum.name} – planlagt møte",
            starts_at=_at(day),
            ends_at=_at(day, 15),
            status=MeetingStatus.PLANNED,
            generated=True,
        )


def _partnership(name: str, orgs: list, **fields: Any) -> Partnership | None:
    orgs = [o for o in orgs if o is not None]
    if len(orgs) < 2:
        return None
    areas = fields.pop("areas", [])
    p = Partnership.objects.create(name=name, is_demo=True, **fields)
    # The same path as real partnerships: the first organisation starts it, the
    # others are invited and (in the demo) accepted on their behalf.
    from yrkesbro.collaboration.services.partnerships import party_accept

    platform = User.objects.filter(username="demo-admin", is_superuser=True).first()
    for i, org in enumerate(orgs):
        party = PartnershipParty.objects.create(
            partnership=p,
            organisation=org,
            status=PartyStatus.ACCEPTED if i == 0 or platform is None else PartyStatus.INVITED,
        )
        if platform is not None and party.status == PartyStatus.INVITED:
            party_accept(actor=platform, party=party)
    p.competence_areas.set(CompetenceArea.objects.filter(code__in=areas))
    return p


def _rep(
    p: Partnership, org: Organisation | None, user: User | None, level: str, title: str
) -> None:
    if org and user and user.memberships.filter(organisation=org).exists():
        Representative.objects.create(
            partnership=p, organisation=org, user=user, level=level, title=title
        )


def _agreement(p: Partnership, title: str, status: str, starts_ago: int, ends_in: int) -> Agreement:
    today = timezone.localdate()
    agreement = Agreement.objects.create(partnership=p, title=title, status=status)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        purpose=p.purpose,
        meeting_cadence=Cadence.QUARTERLY,
        starts_on=today - timedelta(days=starts_ago),
        ends_on=today + timedelta(days=ends_in),
        contacts="Se representantene i partnerskapet.",
        signatories="Kommunedirektør og rektor.",
    )
    for party in p.parties.all():
        Commitment.objects.create(
            version=version,
            organisation=party.organisation,
            text="Stiller med representanter til møtene og melder behov og tilbud i god tid.",
        )
        if status != AgreementStatus.DRAFT:
            admin = party.organisation.memberships.filter(role="admin").first()
            if admin:
                Signature.objects.create(
                    version=version, organisation=party.organisation, user=admin.user
                )
    return agreement


@transaction.atomic
def load() -> None:
    if Partnership.objects.filter(is_demo=True).exists():
        return
    county = _org(Kind.COUNTY, "34")
    gjovik = _org(Kind.MUNICIPALITY, "3407")
    finn = _org(Kind.FAGSKOLE, "FINN")
    vgs = _org(Kind.UPPER_SECONDARY_SCHOOL, "Gjøvik videregående skole (demo)")
    company = _org(Kind.COMPANY, "Mjøsa Omsorg AS (demo)")
    office = _org(Kind.TRAINING_OFFICE, "Opplæringskontoret for helse og oppvekst Innlandet (demo)")
    kommune, ansatt = _user("demo-kommune"), _user("demo-ansatt")
    fagskole, fylke = _user("demo-fagskole"), _user("demo-fylke")
    vgs_user, bedrift = _user("demo-vgs"), _user("demo-bedrift")
    if county is None or gjovik is None:
        return
    written = StructureType.objects.create(
        owner=county,
        name="Partnerskapsavtale (demo)",
        bindingness=Bindingness.WRITTEN,
        description="Skriftlig avtale mellom kommune og utdanningstilbyder.",
    )
    council = StructureType.objects.create(
        owner=county,
        name="Programområderåd (demo)",
        bindingness=Bindingness.CADENCE,
        description="Fylkets råd for et programområde, med fast møterytme.",
    )
    network = StructureType.objects.create(
        owner=county,
        name="Fagnettverk (demo)",
        bindingness=Bindingness.INFORMAL,
        description="Uformelt nettverk uten fast møterytme.",
    )

    p1 = _partnership(
        "Gjøvik kommune og Fagskolen Innlandet – helse og omsorg",
        [gjovik, finn],
        purpose="Sikre at kommunens ansatte får fagskoleutdanning innen demens, "
        "velferdsteknologi og psykisk helse, med studieplasser og praksis i kommunen.",
        structure_type=written,
        bindingness=Bindingness.WRITTEN,
        trades="helsefagarbeider",
        areas=["demens", "velferdsteknologi", "rus-psykisk"],
    )
    if p1:
        _rep(p1, gjovik, kommune, "strategic", "Kompetanseleder")
        _rep(p1, gjovik, ansatt, "operational", "Tillitsvalgt og praksisveileder")
        _rep(p1, finn, fagskole, "strategic", "Studieleder helse")
        forum = Forum.objects.create(
            partnership=p1,
            name="Kompetanseforum helse Gjøvik",
            mandate="Følge opp avtalen, melde behov og planlegge studieplasser.",
            cadence=Cadence.QUARTERLY,
            started_on=add_months(timezone.localdate(), -15),
            is_demo=True,
        )
        forum.organisations.set([gjovik, *([finn] if finn else [])])
        forum.people.set([u for u in (kommune, ansatt, fagskole) if u])
        _history(forum, [11, 8, 5, 2], 4, [kommune, fagskole])
        _agreement(p1, "Samarbeidsavtale om fagskoleutdanning", AgreementStatus.RENEWAL, 640, 70)
        today = timezone.localdate()
        for days, kind, summary, author in [
            (40, "call", "Avklarte antall studieplasser i demensomsorg til høsten.", kommune),
            (20, "message", "Sendte oversikt over ansatte som ønsker fagskole.", kommune),
            (6, "visit", "Studieleder besøkte hjemmetjenesten.", fagskole),
        ]:
            ContactEntry.objects.create(
                partnership=p1,
                kind=kind,
                happened_on=today - timedelta(days=days),
                summary=summary,
                author=author,
            )

    if p1 and company and kommune:
        # One invitation left open, for the company admin's inbox.
        from yrkesbro.collaboration.services.partnerships import party_add

        party_add(actor=kommune, partnership=p1, organisation=company, role="Praksisplasser")

    p2 = _partnership(
        "Programområderåd helse- og oppvekstfag Innlandet",
        [county, vgs, company, office, gjovik],
        purpose="Rådet følger opp tilbudsstruktur, læreplasser og kvalitet i "
        "helse- og oppvekstfag i Innlandet.",
        structure_type=council,
        bindingness=Bindingness.CADENCE,
        trades="helsefagarbeider, barne- og ungdomsarbeider",
        areas=["aldring", "tidlig-innsats"],
    )
    if p2:
        _rep(p2, county, fylke, "strategic", "Rådgiver fag- og yrkesopplæring")
        _rep(p2, vgs, vgs_user, "operational", "Lærer helse- og oppvekstfag")
        _rep(p2, company, bedrift, "strategic", "Faglig leder")
        _rep(p2, company, bedrift, "operational", "Faglig leder")
        _rep(p2, gjovik, kommune, "strategic", "Kompetanseleder")
        forum = Forum.objects.create(
            partnership=p2,
            name="Programområderådet (møter)",
            mandate="Gi råd om tilbudsstruktur og læreplasser.",
            cadence=Cadence.MONTHLY,
            started_on=add_months(timezone.localdate(), -24),
            is_demo=True,
        )
        forum.organisations.set([o for o in (county, vgs, company, gjovik) if o])
        forum.people.set([u for u in (fylke, vgs_user, bedrift) if u])
        _history(forum, [11, 9, 6, 3, 1], 3, [fylke, vgs_user, bedrift])

    p3 = _partnership(
        "Gjøvik vgs og Mjøsa Omsorg – praksisplasser",
        [vgs, company],
        purpose="Praksisplasser for elever i helse- og oppvekstfag og hospitering for lærere.",
        structure_type=network,
        bindingness=Bindingness.INFORMAL,
        trades="helsefagarbeider",
        areas=["aldring"],
    )
    if p3:
        _rep(p3, vgs, vgs_user, "operational", "Kontaktlærer")
        _rep(p3, company, bedrift, "strategic", "Faglig leder")
        forum = Forum.objects.create(
            partnership=p3,
            name="Praksisnettverk Gjøvik",
            mandate="Fordele praksisplasser og avtale hospitering.",
            cadence=Cadence.HALF_YEARLY,
            started_on=add_months(timezone.localdate(), -18),
            is_demo=True,
        )
        forum.people.set([u for u in (vgs_user, bedrift) if u])
        _history(forum, [10, 4], 2, [vgs_user, bedrift])
        _agreement(p3, "Avtale om praksisplasser", AgreementStatus.DRAFT, 0, 730)

    p4 = _partnership(
        "Fagnettverk for fagskoletilbud i Innlandet",
        [county, finn],
        purpose="Samordne fagskoletilbud og fylkets kompetansestrategi.",
        structure_type=network,
        bindingness=Bindingness.INFORMAL,
        is_public=False,
        areas=["ikt-digital"],
    )
    if p4:
        _rep(p4, county, fylke, "strategic", "Rådgiver")
        forum = Forum.objects.create(
            partnership=p4,
            name="Fagskolenettverket",
            mandate="Årlig samordning av tilbud.",
            cadence=Cadence.QUARTERLY,
            started_on=add_months(timezone.localdate(), -20),
            is_demo=True,
        )
        forum.people.set([u for u in (fylke, fagskole) if u])
        _history(forum, [13], 1, [fylke, fagskole])
