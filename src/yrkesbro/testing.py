"""Factories and a small world of organisations and people, for the tests.

Factories keep related rows inside one organisation. ``World`` gives two
municipalities, each with an admin, an editor and a viewer, plus an outsider
and a platform administrator: the cast of the permission matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import factory
from factory.django import DjangoModelFactory

from yrkesbro.accounts.models import Membership, User
from yrkesbro.core.policies import Role
from yrkesbro.organisations.models import Kind, Organisation

PASSWORD = "correct-horse-battery"  # noqa: S105 - test fixture


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create and results:
            instance.save()


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.COUNTY
    number = factory.Sequence(lambda n: f"{90 + n % 10:02d}")
    name = factory.Sequence(lambda n: f"Testfylke {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    # No register number: these are not managed by the register import.
    number = ""
    latitude = 60.0
    longitude = 10.0


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


@dataclass
class Side:
    org: Organisation
    admin: User
    editor: User
    viewer: User

    def member(self, role: str) -> User:
        return {"admin": self.admin, "editor": self.editor, "viewer": self.viewer}[role]


@dataclass
class World:
    a: Side
    b: Side
    outsider: User
    platform_admin: User


def make_side(label: str) -> Side:
    org = cast(Organisation, OrganisationFactory(name=f"{label} kommune"))
    users: dict[str, User] = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        user = cast(User, UserFactory(username=f"{label.lower()}-{role}"))
        MembershipFactory(user=user, organisation=org, role=role)
        users[str(role)] = user
    return Side(org=org, admin=users["admin"], editor=users["editor"], viewer=users["viewer"])


def make_world() -> World:
    return World(
        a=make_side("Alfa"),
        b=make_side("Beta"),
        outsider=cast(User, UserFactory(username="outsider")),
        platform_admin=cast(
            User, UserFactory(username="platform", is_superuser=True, is_staff=True)
        ),
    )
