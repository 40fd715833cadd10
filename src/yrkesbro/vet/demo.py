"""VET demo data in Innlandet (county 34), marked demo, loaded once by ``yrkesbro demo``.

A training office and several companies offer places in eight trades across five
programmes; two schools record demand, with a clear shortfall in Helsearbeiderfaget and a
surplus in Elektrikerfaget; six ended placements carry assessments from both sides; one
hospitering is asked, accepted and reported by both sides.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.collaboration.models import Partnership, PartnershipParty
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.vet import services
from yrkesbro.vet.models import Approval, Hospitering, Level, Offer, OfferKind, Outcome, Side
from yrkesbro.vet.register import load_trades
from yrkesbro.vet.tasks import recompute_supply_demand

SCHOOL = "Gjøvik videregående skole (demo)"
COMPANY = "Mjøsa Omsorg AS (demo)"
OFFICE = "Opplæringskontoret for helse og oppvekst Innlandet (demo)"

EXTRA_ORGS = [
    (Kind.UPPER_SECONDARY_SCHOOL, "Hamar videregående skole (demo)", "3403"),
    (Kind.COMPANY, "Hamar Elektro AS (demo)", "3403"),
    (Kind.COMPANY, "Lillehammer Bygg AS (demo)", "3405"),
    (Kind.COMPANY, "Gjøvik Bil og Kjøkken AS (demo)", "3407"),
]

# trade, offered by, apprenticeship places
APPRENTICESHIPS = [
    ("HSHEA3----", COMPANY, 2),
    ("HSHEA3----", OFFICE, 10),
    ("HSBUA3----", OFFICE, 6),
    ("ELELE3----", "Hamar Elektro AS (demo)", 15),
    ("BATMF3----", "Lillehammer Bygg AS (demo)", 5),
    ("BARLF3----", "Lillehammer Bygg AS (demo)", 3),
    ("TPBMK3----", "Gjøvik Bil og Kjøkken AS (demo)", 4),
    ("RMKOK3----", "Gjøvik Bil og Kjøkken AS (demo)", 2),
    ("SRSOA3----", OFFICE, 3),
]

# school, trade, YFF pupils, Vg2 pupils seeking an apprenticeship
DEMAND = [
    (SCHOOL, "HSHEA3----", 12, 20),
    ("Hamar videregående skole (demo)", "HSHEA3----", 8, 10),
    (SCHOOL, "HSBUA3----", 6, 7),
    ("Hamar videregående skole (demo)", "ELELE3----", 10, 6),
    (SCHOOL, "BATMF3----", 5, 8),
    ("Hamar videregående skole (demo)", "BARLF3----", 3, 4),
    (SCHOOL, "TPBMK3----", 4, 5),
    (SCHOOL, "RMKOK3----", 2, 3),
    ("Hamar videregående skole (demo)", "SRSOA3----", 2, 2),
]

PUPILS = ["Emma Solberg", "Noah Bakken", "Sara Lunde", "Jakob Moen", "Nora Haugen", "Elias Strand"]


def _org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _ensure_orgs() -> None:
    for kind, name, number in EXTRA_ORGS:
        municipality = Organisation.objects.filter(kind=Kind.MUNICIPALITY, number=number).first()
        if municipality is None:
            continue
        Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "municipality": municipality,
                "county": municipality.county,
                "latitude": municipality.latitude,
                "longitude": municipality.longitude,
                "is_demo": True,
                "description": "Fiktiv organisasjon for demonstrasjon.",
            },
        )


@transaction.atomic
def load() -> None:
    load_trades()
    if Offer.objects.filter(is_demo=True).exists():
        return
    admin = User.objects.filter(username="demo-admin").first()
    teacher = User.objects.filter(username="demo-vgs").first()
    instructor = User.objects.filter(username="demo-bedrift").first()
    school, company = _org(SCHOOL), _org(COMPANY)
    if admin is None or teacher is None or instructor is None or school is None or company is None:
        return
    _ensure_orgs()
    year = services.current_school_year()
    hamar_school = _org("Hamar videregående skole (demo)")
    schools = [s for s in (school, hamar_school) if s]
    for code, org_name, places in APPRENTICESHIPS:
        org = _org(org_name)
        if org is None:
            continue
        services.offer_create(
            actor=admin,
            organisation=org,
            trade_code=code,
            kind=OfferKind.APPRENTICESHIP,
            school_year=year,
            places=places,
            starts_on=date(year + 1, 8, 15),
            approval=Approval.APPROVED,
            instructor_name="Jonas Lie" if org == company else "Faglig leder (demo)",
            instructor_email="demo-bedrift@yrkesbro.invalid" if org == company else "",
            instructor=instructor if org == company else None,
            internal_note="Intern merknad (demo): budsjett for to lærlinger er godkjent.",
            shared_with=schools,
        )
    for school_name, code, yff_pupils, seekers in DEMAND:
        org = _org(school_name)
        if org is not None:
            services.demand_set(
                actor=admin,
                school=org,
                trade_code=code,
                school_year=year,
                yff_pupils=yff_pupils,
                apprenticeship_seekers=seekers,
            )
    yff = services.offer_create(
        actor=admin,
        organisation=company,
        trade_code="HSHEA3----",
        kind=OfferKind.YFF,
        school_year=year,
        places=8,
        level=Level.VG2,
        weeks="36–41",
        hours=60,
        instructor_name="Jonas Lie",
        instructor_email="demo-bedrift@yrkesbro.invalid",
        instructor=instructor,
        internal_note="Intern merknad (demo): helst elever som kan jobbe helg.",
        shared_with=schools,
    )
    today = timezone.localdate()
    # Early in a school year the demo placements lie just behind today, so they have ended.
    start = min(date(year, 9, 1), today - timedelta(days=40))
    for i, pupil in enumerate(PUPILS):
        begins = start + timedelta(days=7 * (i % 3))
        ends = min(begins + timedelta(days=11), today - timedelta(days=1))
        placement = services.placement_book(
            actor=teacher,
            offer=yff,
            school=school,
            pupil_name=pupil,
            starts_on=begins,
            ends_on=max(ends, begins),
            hours=60,
            goals="Grunnleggende pleie og omsorg; kommunikasjon med brukere.",
            tasks="Morgenstell sammen med veileder, måltider, aktiviteter.",
            teacher=teacher,
        )
        services.placement_agree(actor=instructor, placement=placement)
        services.assessment_submit(
            actor=teacher,
            placement=placement,
            outcome=Outcome.PARTLY if i == 4 else Outcome.COMPLETED,
            comment="Eleven møtte forberedt og fikk god oppfølging.",
        )
        services.assessment_submit(
            actor=instructor,
            placement=placement,
            outcome=Outcome.PARTLY if i == 4 else Outcome.COMPLETED,
            comment="Stabil og interessert; god på kommunikasjon.",
            would_take_apprentice=i not in (2, 4),
        )
    _hospitering(year, school, company, teacher, instructor)
    recompute_supply_demand()


def _hospitering(
    year: int, school: Organisation, company: Organisation, teacher: User, instructor: User
) -> None:
    shared = PartnershipParty.objects.filter(organisation=company).values("partnership_id")
    partnership = (
        Partnership.objects.filter(parties__organisation=school, pk__in=shared)
        .order_by("id")
        .first()
    )
    if partnership is None or Hospitering.objects.filter(partnership=partnership).exists():
        return
    begins = min(date(year, 10, 5), timezone.localdate() - timedelta(days=20))
    item = services.hospitering_ask(
        actor=teacher,
        partnership=partnership,
        school=school,
        workplace=company,
        asked_by_side=Side.SCHOOL,
        participant="Aisha Rahman",
        starts_on=begins,
        ends_on=begins + timedelta(days=6),
        days=5,
        goals="Oppdatere kunnskap om velferdsteknologi og hverdagsrehabilitering.",
    )
    services.hospitering_answer(actor=instructor, hospitering=item, accept=True)
    if begins <= timezone.localdate():
        services.hospitering_report(
            actor=teacher,
            hospitering=item,
            side=Side.SCHOOL,
            report="Fem lærerike dager; opplegget for Vg2 justeres med nye oppgaver.",
        )
        services.hospitering_report(
            actor=instructor,
            hospitering=item,
            side=Side.WORKPLACE,
            report="Nyttig for begge; vi tar imot to lærere igjen neste år.",
        )
