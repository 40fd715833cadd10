"""Demo organisations and users, clearly marked, loaded by ``yrkesbro demo``.

Loading is idempotent: running it again creates what is missing and leaves
the rest (including changes made in the demo) alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import import_string

from yrkesbro.accounts.models import Membership, User
from yrkesbro.accounts.services import membership_create
from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.organisations.reference import load_all
from yrkesbro.taxonomy.reference import load_competence_areas

# Each capability loads its own demo data after organisations and users exist.
APP_DEMO_LOADERS = (
    "yrkesbro.catalogue.demo.load",
    "yrkesbro.taxonomy.demo.load",
    "yrkesbro.needs.demo.load",
    "yrkesbro.collaboration.demo.load",
    "yrkesbro.matching.demo.load",
    "yrkesbro.health.demo.load",
    "yrkesbro.workforce.demo.load",
    "yrkesbro.vet.demo.load",
)

DEMO_PASSWORD = "yrkesbro-demo"  # noqa: S105 - printed on purpose; demo instances only


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    who: str  # which kind of user in PRODUCT.md this is
    org: tuple[str, str]  # (kind, number or code or name) identifying the organisation
    role: str
    title: str


DEMO_ORGS = [
    # kind, name, municipality number
    (Kind.UPPER_SECONDARY_SCHOOL, "Gjøvik videregående skole (demo)", "3407"),
    (Kind.COMPANY, "Mjøsa Omsorg AS (demo)", "3407"),
    (Kind.TRAINING_OFFICE, "Opplæringskontoret for helse og oppvekst Innlandet (demo)", "3403"),
    (Kind.STATE_AGENCY, "Kompetansedirektoratet (demo)", "0301"),
]

DEMO_USERS = [
    DemoUser(
        "demo-kommune",
        "Kari Nordmann",
        "Municipal competence lead",
        (Kind.MUNICIPALITY, "3407"),
        Role.ADMIN,
        "Kompetanseleder helse og omsorg",
    ),
    DemoUser(
        "demo-ansatt",
        "Ola Hansen",
        "Employee / prospective student",
        (Kind.MUNICIPALITY, "3407"),
        Role.VIEWER,
        "Helsefagarbeider, hjemmetjenesten",
    ),
    DemoUser(
        "demo-fagskole",
        "Ingrid Berg",
        "Fagskole programme lead",
        (Kind.FAGSKOLE, "FINN"),
        Role.ADMIN,
        "Studieleder helse",
    ),
    DemoUser(
        "demo-fylke",
        "Per Johansen",
        "County VET coordinator",
        (Kind.COUNTY, "34"),
        Role.ADMIN,
        "Rådgiver fag- og yrkesopplæring",
    ),
    DemoUser(
        "demo-vgs",
        "Aisha Rahman",
        "Upper-secondary VET teacher",
        (Kind.UPPER_SECONDARY_SCHOOL, "Gjøvik videregående skole (demo)"),
        Role.EDITOR,
        "Lærer helse- og oppvekstfag",
    ),
    DemoUser(
        "demo-bedrift",
        "Jonas Lie",
        "Company / training office contact",
        (Kind.COMPANY, "Mjøsa Omsorg AS (demo)"),
        Role.ADMIN,
        "Faglig leder",
    ),
    DemoUser(
        "demo-analytiker",
        "Sofie Dahl",
        "Analyst",
        (Kind.STATE_AGENCY, "Kompetansedirektoratet (demo)"),
        Role.VIEWER,
        "Analytiker",
    ),
]


def _find(kind: str, key: str) -> Organisation:
    qs = Organisation.objects.filter(kind=kind)
    return (qs.filter(number=key) | qs.filter(code=key) | qs.filter(name=key)).get()


@transaction.atomic
def load_demo() -> list[DemoUser]:
    load_all()
    load_national_plans()
    load_competence_areas()
    for kind, name, municipality_number in DEMO_ORGS:
        municipality = Organisation.objects.get(kind=Kind.MUNICIPALITY, number=municipality_number)
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
    admin, created = User.objects.get_or_create(
        username="demo-admin",
        defaults={
            "full_name": "Plattformadministrator",
            "is_staff": True,
            "is_superuser": True,
            "email": "demo-admin@yrkesbro.invalid",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={"full_name": spec.full_name, "email": f"{spec.username}@yrkesbro.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        org = _find(*spec.org)
        if not Membership.objects.filter(user=user, organisation=org).exists():
            membership_create(
                actor=None, organisation=org, user=user, role=spec.role, title=spec.title
            )
    for loader in APP_DEMO_LOADERS:
        import_string(loader)()
    return DEMO_USERS
