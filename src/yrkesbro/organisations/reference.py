"""Loading the reference data shipped in ``data/``: the register and the fagskoler."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from yrkesbro.core import audit
from yrkesbro.organisations import register, services
from yrkesbro.organisations.models import Kind, Organisation

FAGSKOLER_FILE = Path(__file__).parent / "data" / "fagskoler.csv"


def load_register() -> services.RegisterReport:
    parsed = register.parse_register(register.decode(register.REGISTER_FILE.read_bytes()))
    return services.register_import(actor=None, parsed=parsed)


@transaction.atomic
def load_fagskoler() -> int:
    """Create the fagskoler of the reference list once; later runs leave edits alone."""
    created = 0
    with FAGSKOLER_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            campuses = row["campus_municipality_numbers"].split()
            municipality = Organisation.objects.filter(
                kind=Kind.MUNICIPALITY, number=campuses[0] if campuses else ""
            ).first()
            org, was_created = Organisation.objects.get_or_create(
                kind=Kind.FAGSKOLE,
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "municipality": municipality,
                    "county": municipality.county if municipality else None,
                    "latitude": municipality.latitude if municipality else None,
                    "longitude": municipality.longitude if municipality else None,
                },
            )
            if was_created:
                created += 1
                audit.record(
                    actor=None,
                    action="organisation.import",
                    obj=org,
                    organisation=org,
                    after=audit.snapshot(org),
                )
    return created


def load_all() -> dict[str, object]:
    report = load_register()
    return {"register": report, "fagskoler_created": load_fagskoler()}
