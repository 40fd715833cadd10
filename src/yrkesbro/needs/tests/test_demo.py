"""The demo: a dozen municipalities in several counties, every competence area, idempotent."""

from __future__ import annotations

import pytest

from yrkesbro.accounts.models import User
from yrkesbro.core.demo import load_demo
from yrkesbro.needs.models import CompetencePlan, Need, Status, Visibility
from yrkesbro.taxonomy.models import CompetenceArea


@pytest.mark.django_db
def test_demo_needs():
    load_demo()
    needs = Need.objects.filter(is_demo=True)
    plans = CompetencePlan.objects.filter(is_demo=True).select_related("organisation")
    municipalities = {p.organisation for p in plans}
    assert len(municipalities) == 13
    assert len({m.county_id for m in municipalities}) >= 10
    used = set(needs.values_list("areas__code", flat=True))
    published = set(needs.filter(status=Status.PUBLISHED).values_list("areas__code", flat=True))
    assert published == used  # the regional view shows every area too
    assert used == set(CompetenceArea.objects.values_list("code", flat=True))
    uncovered = set(
        CompetenceArea.objects.filter(national_plans__isnull=True).values_list("code", flat=True)
    )
    assert {"flerkulturell", "ikt-digital", "nevrologi"} <= uncovered <= used
    assert (
        needs.filter(status=Status.DRAFT).exists()
        and needs.filter(status=Status.PUBLISHED).exists()
    )

    kommune = User.objects.get(username="demo-kommune")
    ansatt = User.objects.get(username="demo-ansatt")
    gjovik = next(m for m in municipalities if m.number == "3407")
    mine = Need.objects.visible_to(kommune)
    assert mine.filter(organisation=gjovik, visibility=Visibility.PRIVATE).exists()
    others = mine.exclude(organisation=gjovik)
    assert others.exists() and not others.exclude(visibility=Visibility.SHARED).exists()
    assert not Need.objects.editable_by(kommune).exclude(organisation=gjovik).exists()
    assert not Need.objects.visible_to(ansatt).filter(visibility=Visibility.PRIVATE).exists()
    assert CompetencePlan.objects.get(organisation=gjovik, is_demo=True).approved_by == kommune

    count = Need.objects.count()
    load_demo()
    assert Need.objects.count() == count
