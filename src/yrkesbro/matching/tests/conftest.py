"""A small world for matching: two municipalities (Alfa at Gjøvik's point, Beta at Bergen's),
two fagskoler with editors, dementia and cancer programmes, offerings near and far."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.catalogue.models import NationalPlan, Offering, Programme
from yrkesbro.catalogue.reference import load_national_plans
from yrkesbro.core.policies import Role
from yrkesbro.needs.models import Need, Status, Visibility
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.taxonomy.models import CompetenceArea
from yrkesbro.taxonomy.reference import load_competence_areas
from yrkesbro.testing import (
    CountyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    World,
)

GJOVIK = (60.7957, 10.6916)
HAMAR = (60.7945, 11.0680)
BERGEN = (60.3913, 5.3221)


def future(days: int = 400) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@dataclass
class SchoolSide:
    org: Organisation
    admin: User
    editor: User
    viewer: User

    def member(self, role: str) -> User:
        return {"admin": self.admin, "editor": self.editor, "viewer": self.viewer}[role]


@dataclass
class Setup:
    world: World
    school: SchoolSide
    other_school: SchoolSide
    dementia: Programme
    cancer: Programme
    near: Offering  # dementia, Hamar (≈ 20 km from Alfa), blended
    online: Offering  # dementia, online, tuition
    far: Offering  # dementia, Bergen (far from Alfa)
    cancer_near: Offering
    need: Need  # Alfa's published dementia need


def make_school(label: str, lat_lon: tuple[float, float]) -> SchoolSide:
    org = cast(
        Organisation,
        OrganisationFactory(
            kind=Kind.FAGSKOLE, name=f"{label} fagskole", latitude=lat_lon[0], longitude=lat_lon[1]
        ),
    )
    users = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        user = cast(User, UserFactory(username=f"{label.lower()}-school-{role}"))
        MembershipFactory(user=user, organisation=org, role=role)
        users[str(role)] = user
    return SchoolSide(org, users["admin"], users["editor"], users["viewer"])


def programme(school: Organisation, plan: str, title: str, outcomes: str = "") -> Programme:
    return Programme.objects.create(
        school=school,
        national_plan=NationalPlan.objects.get(code=plan),
        title=title,
        field="health",
        credits=60,
        outcomes_knowledge=outcomes,
    )


def offering(prog: Programme, muni: Organisation | None, **kw: Any) -> Offering:
    data: dict[str, Any] = {
        "delivery": "blended",
        "pace": "part-time",
        "start_date": future(200),
        "semesters": 4,
        "seats": 30,
        "funding": "state-funded",
        "status": "open",
    }
    data.update(kw)
    if muni is None:
        data["delivery"] = "online"
    return Offering.objects.create(programme=prog, municipality=muni, **data)


def make_need(org: Organisation, codes: list[str], **kw: Any) -> Need:
    data: dict[str, Any] = {
        "unit": "Hjemmetjenesten",
        "description": "Flere brukere med demens og kognitiv svikt bor hjemme lenger.",
        "people": 12,
        "deadline": future(),
        "status": Status.PUBLISHED,
        "visibility": Visibility.SHARED,
        "published_at": timezone.now(),
    }
    data.update(kw)
    need = Need.objects.create(organisation=org, **data)
    need.areas.set(CompetenceArea.objects.filter(code__in=codes))
    return need


def ask_for_places(s: Setup, n: int, people: int = 1) -> None:
    """Alfa asks the school for ``people`` places on the near offering, for ``n`` new
    dementia needs (people 1, 2, … in need)."""
    from yrkesbro.matching import services

    for i in range(n):
        services.request_create(
            actor=s.world.a.editor,
            need=make_need(s.world.a.org, ["demens"], people=i + 1),
            school=s.school.org,
            offering=s.near,
            kind="place",
            people=people,
            message="",
        )


@pytest.fixture
def setup(world: World) -> Setup:
    load_national_plans()
    load_competence_areas()
    county = CountyFactory(number="34", name="Innlandet")
    a, b = world.a.org, world.b.org
    a.name, a.latitude, a.longitude, a.county = "Alfa", *GJOVIK, county
    a.save()
    b.name, b.latitude, b.longitude = "Beta", *BERGEN
    b.save()
    hamar = cast(
        Organisation,
        OrganisationFactory(name="Hamar", latitude=HAMAR[0], longitude=HAMAR[1], county=county),
    )
    bergen = cast(
        Organisation, OrganisationFactory(name="Bergen", latitude=BERGEN[0], longitude=BERGEN[1])
    )
    school = make_school("Innlandet", GJOVIK)
    other = make_school("Vestland", BERGEN)
    # Reach is measured between municipality places (organisations.distances).
    Organisation.objects.filter(pk=school.org.pk).update(municipality=a)
    Organisation.objects.filter(pk=other.org.pk).update(municipality=b)
    school.org.municipality, other.org.municipality = a, b
    dementia = programme(
        school.org,
        "DEMENS",
        "Demensomsorg og alderspsykiatri",
        "Kunnskap om demens og kognitiv svikt.",
    )
    cancer = programme(school.org, "KREFT", "Kreftomsorg og lindrende pleie", "Kunnskap om kreft.")
    other_dementia = programme(other.org, "DEMENS", "Demensomsorg Vest", "Demens.")
    near = offering(dementia, hamar)
    online = offering(dementia, None, funding="tuition", price_nok=50_000)
    far = offering(other_dementia, bergen)
    cancer_near = offering(cancer, hamar)
    need = make_need(a, ["demens"], max_travel_km=100)
    return Setup(world, school, other, dementia, cancer, near, online, far, cancer_near, need)
