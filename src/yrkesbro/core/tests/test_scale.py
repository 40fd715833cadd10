"""``yrkesbro seed-scale``: the counts it promises, and that a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from yrkesbro.accounts.models import Membership
from yrkesbro.core.models import AuditEntry
from yrkesbro.core.scale import all_steps, synthetic_counts
from yrkesbro.organisations.models import Kind, Organisation

pytestmark = pytest.mark.django_db


def run(factor: float) -> str:
    out = StringIO()
    call_command("seed_scale", factor=factor, no_progress=True, stdout=out)
    return out.getvalue()


def test_seed_scale_makes_the_promised_rows_and_is_idempotent() -> None:
    output = run(0.05)

    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 357
    assert Organisation.objects.filter(kind=Kind.COUNTY).count() == 15
    counts = synthetic_counts()
    assert counts["schools"] == 5
    assert counts["companies"] == 20
    assert counts["users"] == 50
    # Every synthetic user has one or two memberships, in municipalities or schools.
    assert 50 <= counts["memberships"] <= 100
    kinds = set(
        Membership.objects.filter(user__username__startswith="syntetisk-").values_list(
            "organisation__kind", flat=True
        )
    )
    assert kinds <= {Kind.MUNICIPALITY, Kind.UPPER_SECONDARY_SCHOOL, Kind.FAGSKOLE}
    synthetic = Organisation.objects.filter(name__startswith="Syntetisk ")
    assert not synthetic.filter(is_demo=False).exists()
    assert not synthetic.filter(municipality__isnull=True).exists()
    # bulk_create skips save(); the search field must still be filled in.
    assert Organisation.objects.search("syntetisk").count() == 25
    assert AuditEntry.objects.filter(action="membership.create").count() == counts["memberships"]
    assert AuditEntry.objects.filter(action="organisation.update").count() == 100
    for step in all_steps():
        assert step.name in output

    audit_before = AuditEntry.objects.count()
    second = run(0.05)
    assert synthetic_counts() == {**counts, "audit_entries": audit_before}
    lines = [line.split() for line in second.splitlines() if "created" in line]
    assert [(words[0], words[1]) for words in lines] == [(step.name, "0") for step in all_steps()]


def test_a_larger_factor_adds_only_the_difference() -> None:
    run(0.02)
    names = set(Organisation.objects.filter(name__startswith="Syntetisk ").values_list("name"))
    run(0.05)
    after = set(Organisation.objects.filter(name__startswith="Syntetisk ").values_list("name"))
    assert names < after
    assert synthetic_counts()["schools"] == 5
    assert synthetic_counts()["users"] == 50
