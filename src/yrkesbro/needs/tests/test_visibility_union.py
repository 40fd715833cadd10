"""The needs visibility filter, written as a union of index-served arms, selects exactly the
rows of the single OR filter it replaced, for every kind of actor, in lists and counts."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from yrkesbro.core.policies import Capability, Role, is_platform_admin
from yrkesbro.needs import selectors
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.testing import MembershipFactory, OrganisationFactory, UserFactory, World

from .conftest import future

pytestmark = pytest.mark.django_db


def or_filter(qs: QuerySet, actor: object) -> QuerySet:
    """The definition before: shared, or internal/shared of a member, or any of an editor."""
    if is_platform_admin(actor):
        return qs.all()
    if not (actor and actor.is_authenticated and actor.is_active):  # type: ignore[attr-defined]
        return qs.none()
    internal = qs.with_capability(actor, Capability.VIEW_INTERNAL).filter(
        visibility__in=[Visibility.INTERNAL, Visibility.SHARED]
    )
    return qs.public() | internal | qs.editable_by(actor)


def test_the_union_equals_the_or_filter_for_a_mix_of_actors(world: World, areas: None) -> None:
    c = OrganisationFactory(name="Gamma kommune")
    orgs = [world.a.org, world.b.org, c]
    plans = [
        CompetencePlan.objects.create(
            organisation=org, title=f"Plan {v}", start_year=2026, end_year=2028, visibility=v
        )
        for org, v in itertools.product(orgs, Visibility.values)
    ]
    for i, (org, visibility, status) in enumerate(
        itertools.product(orgs, Visibility.values, Status.values)
    ):
        Need.objects.create(
            organisation=org,
            plan=plans[i % len(plans)],
            unit=f"Enhet {i}",
            people=1 + i,
            deadline=future(i),
            visibility=visibility,
            status=status,
        )
    both = UserFactory(username="both")
    MembershipFactory(user=both, organisation=world.a.org, role=Role.VIEWER)
    MembershipFactory(user=both, organisation=world.b.org, role=Role.EDITOR)
    inactive = UserFactory(username="gone", is_active=False)
    MembershipFactory(user=inactive, organisation=world.a.org, role=Role.ADMIN)
    actors: list[object] = [
        world.a.admin,
        world.a.editor,
        world.a.viewer,
        world.b.viewer,
        both,
        inactive,
        world.outsider,
        world.platform_admin,
        AnonymousUser(),
    ]
    for actor in actors:
        for model in (Need, CompetencePlan):
            old = or_filter(model.objects.all(), actor)
            new = model.objects.visible_to(actor)
            assert set(new.values_list("pk", flat=True)) == set(old.values_list("pk", flat=True)), (
                actor,
                model,
            )
            assert new.count() == old.count()
        # the list page's and the API's query, with a filter and its count
        listed = selectors.need_list(actor=actor, status=Status.PUBLISHED)
        expected = or_filter(Need.objects.all(), actor).filter(status=Status.PUBLISHED)
        assert listed.count() == expected.count()
        assert list(listed.values_list("pk", flat=True)) == list(
            expected.order_by("deadline", "id").values_list("pk", flat=True)
        )
