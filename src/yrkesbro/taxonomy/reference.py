"""Loading the shipped competence areas and their mapping to national plans."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from yrkesbro.catalogue.models import NationalPlan
from yrkesbro.taxonomy.models import CompetenceArea

AREAS_FILE = Path(__file__).parent / "data" / "competence_areas.csv"


def read_areas() -> list[dict[str, str]]:
    with AREAS_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def load_competence_areas() -> int:
    """Create the areas that are missing (with their plan mapping); returns how many were new.

    Existing areas are left alone, except that empty nynorsk names and synonyms
    are filled in: the taxonomy is maintained in the platform after loading.
    """
    plans = {plan.code: plan for plan in NationalPlan.objects.all()}
    created = 0
    for row in read_areas():
        area, was_created = CompetenceArea.objects.get_or_create(
            code=row["code"],
            defaults={
                "field": row["field"],
                "name_nb": row["name_nb"],
                "name_nn": row["name_nn"],
                "name_en": row["name_en"],
                "synonyms": row["synonyms"],
            },
        )
        if was_created:
            created += 1
            area.national_plans.set([plans[c] for c in row["national_plans"].split() if c in plans])
        elif not area.name_nn or not area.synonyms:
            area.name_nn = area.name_nn or row["name_nn"]
            area.synonyms = area.synonyms or row["synonyms"]
            area.save(update_fields=["name_nn", "synonyms"])
    return created
