"""Loading the shipped national plans."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from yrkesbro.catalogue.models import NationalPlan

PLANS_FILE = Path(__file__).parent / "data" / "national_plans.csv"
PLAN_FIELDS = (
    "field",
    "credits",
    "title_nb",
    "title_en",
    "description_nb",
    "outcomes_knowledge_nb",
    "outcomes_skills_nb",
    "outcomes_general_competence_nb",
    "seen_in",
)


@transaction.atomic
def load_national_plans() -> int:
    """Create or refresh the national plans from the shipped file; returns how many were new."""
    created = 0
    with PLANS_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            values = {key: row[key] for key in PLAN_FIELDS}
            values["credits"] = int(row["credits"])
            _plan, was_created = NationalPlan.objects.update_or_create(
                code=row["code"], defaults=values
            )
            created += was_created
    return created
