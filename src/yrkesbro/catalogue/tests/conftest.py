"""Fixtures for the catalogue tests: the reference catalogue, and two fagskoler with staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from yrkesbro.accounts.models import User
from yrkesbro.catalogue.models import NationalPlan, Programme
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def catalogue_loaded(db, register_loaded):  # type: ignore[no-untyped-def]
    """The shipped register, fagskoler, plans, competence areas and the 75 demo programmes."""
    from yrkesbro.catalogue import demo
    from yrkesbro.organisations.reference import load_fagskoler
    from yrkesbro.taxonomy.reference import load_competence_areas

    load_fagskoler()
    from yrkesbro.catalogue.reference import load_national_plans

    load_national_plans()
    load_competence_areas()
    demo.load()
    return Programme.objects.count()


@dataclass
class SchoolSide:
    school: Organisation
    admin: User
    editor: User
    viewer: User
    programme: Programme


@dataclass
class Schools:
    a: SchoolSide
    b: SchoolSide
    outsider: User
    platform_admin: User


def make_school(label: str, plan: NationalPlan | None) -> SchoolSide:
    school = OrganisationFactory(
        kind=Kind.FAGSKOLE, name=f"Fagskolen {label}", number="", code=label.upper()
    )
    users = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        user = UserFactory(username=f"{label.lower()}-{role}")
        MembershipFactory(user=user, organisation=school, role=role)
        users[str(role)] = user
    from yrkesbro.catalogue import services

    programme = services.programme_create(
        actor=None,
        school=school,
        data={
            "code": f"{label.upper()}-DEMENS",
            "title": f"Demensomsorg ved {label}",
            "field": "health",
            "credits": 60,
            "national_plan": plan,
            "description": "Personsentrert omsorg for personer med demens.",
        },
    )
    return SchoolSide(school, users["admin"], users["editor"], users["viewer"], programme)


@pytest.fixture
def schools(db) -> Schools:  # type: ignore[no-untyped-def]
    from yrkesbro.catalogue.reference import load_national_plans

    load_national_plans()
    plan = NationalPlan.objects.get(code="DEMENS")
    return Schools(
        a=make_school("Alfa", plan),
        b=make_school("Beta", plan),
        outsider=UserFactory(username="outsider"),
        platform_admin=UserFactory(username="platform", is_superuser=True, is_staff=True),
    )
