"""A small VET world: one county with two schools and two companies (admin, editor and
viewer in each), a county adviser, an outsider and a platform administrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.utils import timezone

from yrkesbro.accounts.models import User
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation
from yrkesbro.testing import CountyFactory, MembershipFactory, OrganisationFactory, UserFactory
from yrkesbro.vet import services
from yrkesbro.vet.models import Offer, OfferKind, Placement


@dataclass
class Org:
    org: Organisation
    admin: User
    editor: User
    viewer: User


@dataclass
class VetWorld:
    county: Organisation
    county_user: User
    school: Org
    school2: Org
    company: Org
    company2: Org
    outsider: User
    platform: User
    year: int

    def who(self, name: str) -> Any:
        if name == "outsider":
            return self.outsider
        if name == "platform":
            return self.platform
        if name == "county":
            return self.county_user
        if name == "anonymous":
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        side, role = name.split(".")
        return getattr(getattr(self, side), role)


def _org(label: str, kind: str, county: Organisation) -> Org:
    org = cast(Organisation, OrganisationFactory(name=label, kind=kind, county=county))
    users = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        slug = label.lower().replace(" ", "-")
        user = cast(User, UserFactory(username=f"{slug}-{role}"))
        MembershipFactory(user=user, organisation=org, role=role)
        users[str(role)] = user
    return Org(org, users["admin"], users["editor"], users["viewer"])


@pytest.fixture
def vet(db) -> VetWorld:  # type: ignore[no-untyped-def]
    # The data migration loads the register, but a transactional test elsewhere in the run
    # flushes every table; load it again (idempotent) so these tests never depend on order.
    from yrkesbro.vet.register import load_trades

    load_trades()
    county = cast(Organisation, CountyFactory(name="Testfylket", number="34"))
    county_user = cast(User, UserFactory(username="fylke-admin"))
    MembershipFactory(user=county_user, organisation=county, role=Role.ADMIN)
    return VetWorld(
        county=county,
        county_user=county_user,
        school=_org("Alfa vgs", Kind.UPPER_SECONDARY_SCHOOL, county),
        school2=_org("Beta vgs", Kind.UPPER_SECONDARY_SCHOOL, county),
        company=_org("Alfa Bygg", Kind.COMPANY, county),
        company2=_org("Beta Elektro", Kind.COMPANY, county),
        outsider=cast(User, UserFactory(username="outsider")),
        platform=cast(User, UserFactory(username="platform", is_superuser=True, is_staff=True)),
        year=services.current_school_year(),
    )


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def yff_offer(w: VetWorld, **kw: Any) -> Offer:
    data: dict[str, Any] = {
        "actor": w.company.editor,
        "organisation": w.company.org,
        "trade_code": "HSHEA3----",
        "kind": OfferKind.YFF,
        "school_year": w.year,
        "places": 2,
        "level": "vg2",
        "weeks": "36–41",
        "hours": 60,
        "instructor_name": "Ina Instruktør",
        "instructor_email": "ina@example.test",
        "instructor": w.company.editor,
        "internal_note": "HEMMELIG-NOTAT",
        "shared_with": [w.school.org],
    }
    data.update(kw)
    return services.offer_create(**data)


def book(w: VetWorld, offer: Offer, name: str = "Kari Elevsen", **kw: Any) -> Placement:
    data: dict[str, Any] = {
        "actor": w.school.editor,
        "offer": offer,
        "school": w.school.org,
        "pupil_name": name,
        "starts_on": days(-20),
        "ends_on": days(-5),
        "hours": 60,
        "goals": "Mål",
        "tasks": "Oppgaver",
        "teacher": w.school.editor,
    }
    data.update(kw)
    return services.placement_book(**data)
